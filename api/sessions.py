"""Signed sign-in cookies and the CSRF tokens tied to them.

A session cookie holds the user name, the account's generation (a new password or a
disabled account ends older sign-ins), an expiry and a random nonce, signed with
HMAC-SHA256 under the app's secret; nothing is kept on the server. The cookie is HttpOnly,
SameSite=Lax, and Secure when the request came over HTTPS.

A state-changing request made with the cookie must also carry the CSRF token — the form
field ``_csrf`` or the header ``X-CSRF-Token`` — which is an HMAC of the nonce: a page on
another site can make a browser send the cookie, but cannot read the token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

COOKIE = "zg_session"
CSRF_FIELD = "_csrf"
CSRF_HEADER = "x-csrf-token"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Session:
    """What a valid cookie says."""

    user: str
    generation: int
    expires: float
    nonce: str


class Signer:
    """Makes and checks session cookies and CSRF tokens with one secret key."""

    def __init__(self, secret: bytes) -> None:
        self._key = hashlib.sha256(b"zonegraph session\0" + secret).digest()
        self._csrf_key = hashlib.sha256(b"zonegraph csrf\0" + secret).digest()

    def _mac(self, payload: str) -> str:
        return _b64(hmac.new(self._key, payload.encode(), hashlib.sha256).digest())

    def cookie(self, user: str, generation: int, hours: float) -> str:
        body = {
            "u": user,
            "g": generation,
            "e": int(time.time() + hours * 3600),
            "n": secrets.token_urlsafe(16),
        }
        payload = _b64(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode())
        return f"{payload}.{self._mac(payload)}"

    def session(self, cookie: str) -> Session | None:
        """The session a cookie holds, if its signature is ours and it has not expired."""
        payload, _, mac = cookie.partition(".")
        if not payload or not hmac.compare_digest(mac, self._mac(payload)):
            return None
        try:
            body = json.loads(_unb64(payload))
            session = Session(str(body["u"]), int(body["g"]), float(body["e"]), str(body["n"]))
        except (ValueError, KeyError, TypeError):
            return None
        return session if session.expires > time.time() else None

    def csrf(self, session: Session) -> str:
        return _b64(hmac.new(self._csrf_key, session.nonce.encode(), hashlib.sha256).digest())

    def csrf_ok(self, session: Session, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(str(token), self.csrf(session))

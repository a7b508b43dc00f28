"""Dependencies every route shares: the settings, the store, and the current user.

Every route goes through :func:`current_user` (the app adds it to every router). It
recognises the user — a bearer token (``Authorization: Bearer zg_…``) or a sign-in cookie —
and enforces the route's rule from :data:`api.roles.RULES`: nobody without an account
passes a non-public route (401, or the sign-in page for pages), a role below the rule gets
403, and a state-changing request made with a cookie must carry its CSRF token.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import Depends, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from api.accounts import AccountBook
from api.roles import ANONYMOUS, GrantedStore, User, rule_for
from api.sessions import COOKIE, CSRF_FIELD, CSRF_HEADER, Signer
from graph_model.errors import AccountError, BodyTooLarge, Forbidden, NotSignedIn
from graph_model.settings import Settings
from graph_model.store.base import Store

__all__ = ["CurrentUser", "SettingsDep", "StoreDep", "StoreHolder", "User", "current_user"]

#: Methods that change nothing: no CSRF token needed.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_bearer = HTTPBearer(
    auto_error=False,
    description="A token from `zonegraph token create` (scripts; accepted on every route)",
)
_cookie = APIKeyCookie(
    name=COOKIE,
    auto_error=False,
    description="The sign-in cookie the /login page sets (browsers)",
)


def _identify(
    request: Request, bearer: HTTPAuthorizationCredentials | None, cookie: str | None
) -> User | None:
    """The user the request's token or cookie names, or None when it names nobody valid."""
    accounts: AccountBook = request.app.state.accounts
    if bearer is not None:
        token = accounts.check_token(bearer.credentials)
        if token is None:
            return None
        return User(f"token:{token.name}", token.role, token.streets, "token")
    if cookie:
        signer: Signer = request.app.state.signer
        session = signer.session(cookie)
        if session is None:
            return None
        try:
            account = accounts.user(session.user)
        except AccountError:
            return None
        if account.disabled or account.generation != session.generation:
            return None
        return User(account.name, account.role, account.streets, "session", signer.csrf(session))
    return None


#: The most a url-encoded form may hold (a page's form is a few fields).
MAX_FORM = 64 << 10


async def read_url_form(request: Request) -> dict[str, str]:
    """A url-encoded form body (each field's first value), read up to :data:`MAX_FORM`.

    Starlette serves the body kept here to any later reading of the stream, so the route
    reads the same form again after :func:`current_user` has looked for its CSRF token."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM:
            raise BodyTooLarge(f"a form may hold at most {MAX_FORM >> 10} KiB")
    request._body = bytes(body)
    fields = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    return {k: v[0] for k, v in fields.items()}


async def _csrf_token(request: Request) -> str | None:
    """The CSRF token a write carries: the ``X-CSRF-Token`` header (scripts on our pages),
    the ``_csrf`` field of a url-encoded form, or ``?_csrf=`` (the upload form, whose
    multipart body is streamed to disk by the route and must not be read here)."""
    if token := request.headers.get(CSRF_HEADER):
        return token
    if token := request.query_params.get(CSRF_FIELD):
        return token
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("application/x-www-form-urlencoded"):
        return (await read_url_form(request)).get(CSRF_FIELD)
    return None


async def current_user(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    cookie: Annotated[str | None, Depends(_cookie)],
) -> User:
    """The user making the request, once the route's rule allows them.

    Raises
    ------
    NotSignedIn
        A non-public route without a valid token or sign-in.
    Forbidden
        A role below the route's rule, or a cookie-borne write without its CSRF token.
    """
    rule = rule_for(request.scope.get("route"))
    user = _identify(request, bearer, cookie) or ANONYMOUS
    request.state.user = user
    if rule == "public":
        return user
    if user.role is None:
        raise NotSignedIn(
            "sign in first: a bearer token (zonegraph token create) or the /login page"
        )
    if request.method not in SAFE_METHODS and user.via == "session":
        token = await _csrf_token(request)
        if not token or not hmac.compare_digest(token, user.csrf):
            raise Forbidden(
                "the form is out of date or came from another site: reload the page",
                reason="csrf",
            )
    if not user.may(rule):
        raise Forbidden(
            f"{user.name} ({user.role}) may not do this: it needs the {rule} role",
            reason="role",
            role=user.role,
            rule=rule,
        )
    return user


class StoreHolder:
    """The app's one store, shared by every request.

    The store guards itself where its engine needs it (the embedded store lends each read
    its own connection and runs one write at a time on its file; the Neo4j driver is
    thread-safe), so requests do not queue behind each other here.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    def use(self) -> Iterator[Store]:
        yield self.store


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request, user: Annotated[User, Depends(current_user)]) -> Iterator[Store]:
    """The store, as the current user may change it (an organizer's grant checks writes)."""
    holder: StoreHolder = request.app.state.store
    for store in holder.use():
        if user.role is not None and not user.zone_wide:
            yield GrantedStore(store, user)
        else:
            yield store


CurrentUser = Annotated[User, Depends(current_user)]
StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]

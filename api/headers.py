"""Security headers on every response: pages, the JSON API, static files and errors.

:class:`SecurityHeaders` (an ASGI middleware) adds them to each response that does not set
its own. The Content-Security-Policy lets a page run only scripts and style sheets served
by this server: no inline script, no ``on…=`` handler, no ``style=`` attribute, nothing from
another site, and no framing by any site. The one exception are the style sheets that the
vendored vis-network build injects as ``<style>`` elements when the network view loads: they
are allowed by their SHA-256 hashes, read from the vendored file (:func:`vis_style_hashes`).

The API's documentation pages (``/docs``, ``/redoc``, :mod:`api.pages_docs`) run vendored
Swagger UI and ReDoc, which style their widgets with ``<style>`` elements and ``style``
attributes they write at run time: on those two paths only, ``style-src`` also allows inline
styles, and ``worker-src`` allows the ``blob:`` worker ReDoc builds from its own script for
its search. Scripts stay ``'self'`` there as everywhere, and images ``'self'``: the Redocly
badge ReDoc always draws names a logo on a CDN, which the browser refuses to fetch (the
badge shows its text alone).

CORS stays closed: no response carries ``Access-Control-Allow-Origin``, so a page on another
site cannot read what this server answers.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.pages_common import STATIC_DIR

#: The vis-network build the network page loads (see its README in the same folder).
VIS_NETWORK_JS = STATIC_DIR / "vendor" / "vis-network" / "vis-network.min.js"

#: The injector the build calls once per style sheet: ``function A(g,A){…insertAt…}``.
_INJECTOR = re.compile(
    r"function (\w+)\(\w+,\w+\)\{void 0===\w+&&\(\w+=\{\}\);var \w+=\w+\.insertAt;"
)


def _js_strings_called(text: str, name: str, start: int) -> list[str]:
    """The string literals of the calls ``name("…");`` that follow each other from ``start``."""
    found: list[str] = []
    call = re.compile(re.escape(name) + r"\((['\"])")
    pos = start
    while m := call.match(text, pos):
        quote, i = m.group(1), m.end()
        chunk: list[str] = []
        while text[i] != quote:
            if text[i] == "\\":
                chunk.append(text[i + 1])  # \" \' \\ are the only escapes a CSS text needs
                i += 2
            else:
                chunk.append(text[i])
                i += 1
        found.append("".join(chunk))
        pos = i + 2  # past the closing quote and ")"
        if text.startswith(";", pos):
            pos += 1
    return found


@lru_cache(maxsize=1)
def vis_style_hashes() -> tuple[str, ...]:
    """CSP sources (``'sha256-…'``) of the style sheets vis-network injects, in order, and
    of the empty sheet (the injector appends its ``<style>`` before filling it).

    They are read off the vendored file: the injector's definition, then the run of calls
    to it right after, each with its CSS as one string literal.
    """
    text = VIS_NETWORK_JS.read_text(encoding="utf-8")
    m = _INJECTOR.search(text)
    if m is None:
        return ()  # a rebuilt library: tests/test_hostile_requests.py says so
    end = text.find("}}", m.end()) + 2
    sheets = _js_strings_called(text, m.group(1), end)
    return tuple(
        "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"
        for css in ["", *sheets]
    )


#: Paths of the documentation pages (api.pages_docs), whose viewers style inline.
DOCS_PATHS = frozenset({"/docs", "/redoc"})


@lru_cache(maxsize=2)
def content_security_policy(docs: bool = False) -> str:
    """The policy every page and answer carries (see the module docstring); ``docs``: the
    documentation pages' (inline styles allowed)."""
    styles = "'unsafe-inline'" if docs else " ".join(vis_style_hashes())
    workers = ("worker-src 'self' blob:",) if docs else ()
    return "; ".join(
        (
            *workers,
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' " + styles,
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


def security_headers(path: str) -> dict[str, str]:
    """The headers a response to ``path`` carries."""
    return {
        "Content-Security-Policy": content_security_policy(path in DOCS_PATHS),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    }


def add_security_headers(headers: MutableHeaders, path: str) -> None:
    """Set each security header the response has not set itself."""
    for name, value in security_headers(path).items():
        if name not in headers:
            headers[name] = value


class SecurityHeaders:
    """ASGI middleware: :func:`security_headers` on every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                add_security_headers(MutableHeaders(scope=message), path)
            await send(message)

        await self.app(scope, receive, send_with_headers)

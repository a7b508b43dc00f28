"""How much one request may ask of the server: body sizes and the largest numbers it takes.

Every bound a request could use to make the server read or walk more than a zone holds is
here or beside the parameter it bounds: hops (1–6, 12 inside planning), page sizes
(``per_page`` ≤ 1000, ``page`` ≤ :data:`MAX_PAGE`), result limits (``limit``, ``cap``), the
changes of one what-if (200), text lengths, and every integer a query takes (each has a
maximum; a number past it, 2^63 included, is a 422).

:class:`BodyLimit` refuses a request body over :data:`MAX_BODY` bytes with 413 before the
route reads it: at once when ``Content-Length`` says so, else at the chunk that passes it.
Uploads (``POST /api/imports`` and the import page) are streamed to disk under their own
limit (``ZONEGRAPH_UPLOAD_MAX_MB``), so they are left to it.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Largest request body (JSON or form) a route other than an upload reads: 1 MiB.
MAX_BODY = 1 << 20
#: Largest page number of a paged answer (with per_page ≤ 1000: 10^8 rows).
MAX_PAGE = 100_000
#: Routes that stream an upload under ``upload_max_mb`` instead.
UPLOAD_ROUTES = frozenset({("POST", "/api/imports"), ("POST", "/import")})


class BodyTooLarge(HTTPException):
    """The request body passed :data:`MAX_BODY`; the error handlers answer it (413)."""

    def __init__(self) -> None:
        super().__init__(
            status_code=413,
            detail=f"the request body is over {MAX_BODY >> 10} KiB",
            headers={"Connection": "close"},
        )


def declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodyLimit:
    """ASGI middleware: a body over ``limit`` bytes ends the request with 413.

    The refusal is raised as :class:`BodyTooLarge` where the route reads the body, so the
    app's error handlers answer it as every other error (ErrorOut JSON, or an error page).
    """

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (scope["method"], scope["path"]) in UPLOAD_ROUTES:
            await self.app(scope, receive, send)
            return
        declared = declared_length(scope)
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            if declared is not None and declared > self.limit:
                raise BodyTooLarge()
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge()
            return message

        await self.app(scope, limited, send)

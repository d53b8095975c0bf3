"""Headers every response carries, set in one place as the response leaves the app.

A `before_send` hook rather than a route middleware: it also sees the answers the router gives
itself (an unknown path, a wrong method), which no route middleware runs for.
"""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

from allora.entrypoints.http.catalogue_cache import shares_response

# Browsers may keep a public catalogue answer this long; the server's own cache sees changes
# at once, so this is all the staleness a shopper can meet.
PUBLIC_MAX_AGE = 10
_ALWAYS = {
    "X-Content-Type-Options": "nosniff",  # a JSON body is never run as a script or a page
    "X-Frame-Options": "DENY",  # no page may frame the API (clickjacking)
}


async def security_headers(message: Message, scope: Scope) -> None:
    """nosniff and no framing on every answer; `no-store` on every answer that set, or may
    depend on, a cookie, and on anything not declared public."""
    if message["type"] != "http.response.start":
        return
    headers = MutableScopeHeaders.from_message(message)
    for name, value in _ALWAYS.items():
        if name not in headers:
            headers[name] = value
    headers["Cache-Control"] = _cache_control(message["status"], scope, headers)


def _cache_control(status: int, scope: Scope, headers: MutableScopeHeaders) -> str:
    if "set-cookie" in headers:
        return "no-store"
    if "cache-control" in headers:  # a route that chose its own (stored images)
        return str(headers["cache-control"])
    if _credentials_sent(scope):
        return "no-store"
    handler = scope.get("route_handler")
    shared = handler is not None and shares_response(handler.opt)
    if shared and scope.get("method") == "GET" and status == 200:
        return f"public, max-age={PUBLIC_MAX_AGE}"
    return "no-store"


def _credentials_sent(scope: Scope) -> bool:
    return any(key in (b"cookie", b"authorization") for key, _ in scope.get("headers", ()))

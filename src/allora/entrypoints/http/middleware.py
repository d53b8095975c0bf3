"""ASGI middleware: request ids with structured access logs, and the Origin check."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from allora.entrypoints.http.errors import request_id, send_error

access_log = logging.getLogger("allora.access")

_UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


class RequestLogMiddleware:
    """Gives each request an id (echoed in `X-Request-ID`) and logs one JSON line for it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        rid = uuid.uuid4().hex[:16]
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if access_log.isEnabledFor(logging.INFO):
                access_log.info(
                    "request",
                    extra={
                        "request_id": rid,
                        "method": scope.get("method"),
                        "path": scope.get("path"),
                        "status": status,
                        "ms": round((time.perf_counter() - started) * 1000, 2),
                    },
                )
            request_id.reset(token)


class OriginCheckMiddleware:
    """CSRF defence: a state-changing request whose `Origin` is present must come from the
    server's own origin or a configured one; it needs nothing from the frontend."""

    def __init__(self, app: ASGIApp, allowed: Iterable[str]) -> None:
        self.app, self.allowed = app, frozenset(allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP and scope.get("method") in _UNSAFE_METHODS:
            origin = _header(scope, b"origin")
            if origin is not None and origin not in self.allowed and origin != _own_origin(scope):
                await send_error(send, 403, "Cross-origin request refused: origin not allowed")
                return
        await self.app(scope, receive, send)


_DEFAULT_PORTS = {"http": ":80", "https": ":443"}


def _own_origin(scope: Scope) -> str | None:
    """The origin a page served by this server has: the request's scheme and `Host` (a page
    the server serves itself, like its /schema docs, posts with it)."""
    host = _header(scope, b"host")
    if not host:
        return None
    scheme = str(scope.get("scheme", "http"))
    host = host.lower().removesuffix(_DEFAULT_PORTS.get(scheme, ""))
    return f"{scheme}://{host}"

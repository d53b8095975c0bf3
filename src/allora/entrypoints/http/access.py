"""Who may call a route, declared where the route is defined and checked once per request.

A route states its access in its `opt` (`opt=ADMIN`); the `SessionGuard` middleware reads the
session cookie once, before the body is read (so an anonymous upload is refused without parsing
megabytes first), and keeps the user for the `actor` and `author` dependencies. The use cases
still apply their own rules: the guard only spares work and reads the session in one place.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from allora.application.current_user import CurrentUser
from allora.domain.errors import DomainError, NotAuthenticated
from allora.domain.users import User
from allora.entrypoints.http.errors import send_error, status_of

COOKIE_NAME = "token"
_ACTOR = "actor"


class Access(StrEnum):
    ANYONE = "anyone"  # a visitor, or the signed-in user when the cookie is valid
    SIGNED_IN = "signed_in"
    ADMIN = "admin"


ANYONE: dict[str, Any] = {"access": Access.ANYONE}
SIGNED_IN: dict[str, Any] = {"access": Access.SIGNED_IN}
ADMIN: dict[str, Any] = {"access": Access.ADMIN}


def session_token(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    return connection.cookies.get(COOKIE_NAME) or None


class SessionGuard:
    """ASGI middleware resolving the signed-in user of routes that declare an access: 401
    without a valid session, 403 for a non-ADMIN on an ADMIN route; a visitor is None on
    ANYONE routes. A middleware rather than a Litestar guard: the framework copies the route
    handler for every guard call on every request, a cost routes without an access would pay
    too."""

    def __init__(self, app: ASGIApp, current_user: CurrentUser) -> None:
        self.app, self._current_user = app, current_user

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP:
            access = scope["route_handler"].opt.get("access")
            if access is not None:
                try:
                    actor = await self._actor(access, ASGIConnection(scope))
                except DomainError as refused:  # answered here, so the access log sees it
                    await send_error(send, status_of(refused), refused.message)
                    return
                scope.setdefault("state", {})[_ACTOR] = actor
        await self.app(scope, receive, send)

    async def _actor(
        self, access: Access, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> User | None:
        try:
            user = await self._current_user(token=session_token(connection))
        except NotAuthenticated:
            if access is not Access.ANYONE:
                raise
            return None
        if access is Access.ADMIN:
            user.require_admin()
        return user


def _resolved(request: Request[Any, Any, Any]) -> User | None:
    if _ACTOR not in request.state:
        raise RuntimeError(f"{request.url.path}: the route must declare its access in `opt`")
    user: User | None = request.state[_ACTOR]
    return user


async def provide_actor(request: Request[Any, Any, Any]) -> User:
    """The signed-in user of a SIGNED_IN or ADMIN route."""
    user = _resolved(request)
    if user is None:
        raise RuntimeError(f"{request.url.path}: `actor` needs a SIGNED_IN or ADMIN route")
    return user


async def provide_author(request: Request[Any, Any, Any]) -> User | None:
    """The signed-in user of an ANYONE route, or None for a visitor (a stale or bad cookie
    counts as a visitor)."""
    return _resolved(request)

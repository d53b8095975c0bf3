"""Who may call a route, declared where the route is defined and checked once per request.

A route states its access in its `opt` (`opt=ADMIN`); the app-level `SessionGuard` reads the
session cookie once, before the body is read (so an anonymous upload is refused without parsing
megabytes first), and keeps the user for the `actor` and `author` dependencies. The use cases
still apply their own rules: the guard only spares work and reads the session in one place.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from allora.application.current_user import CurrentUser
from allora.domain.errors import NotAuthenticated
from allora.domain.users import User

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
    """Resolves the signed-in user of routes that declare an access: 401 without a valid
    session, 403 for a non-ADMIN on an ADMIN route; a visitor is None on ANYONE routes."""

    def __init__(self, current_user: CurrentUser) -> None:
        self._current_user = current_user

    async def __call__(
        self, connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
    ) -> None:
        access = handler.opt.get("access")
        if access is None:
            return
        user: User | None
        try:
            user = await self._current_user(token=session_token(connection))
        except NotAuthenticated:
            if access is not Access.ANYONE:
                raise
            user = None
        if access is Access.ADMIN and user is not None:
            user.require_admin()
        connection.state[_ACTOR] = user


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

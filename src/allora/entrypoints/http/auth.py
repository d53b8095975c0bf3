"""The session cookie, and the dependencies that turn it into the signed-in user."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar import Request, Response
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.di import NamedDependency

from allora.application.current_user import CurrentUser
from allora.domain.errors import NotAuthenticated
from allora.domain.users import User

COOKIE_NAME = "token"


class CookiePolicy:
    """`token`: HttpOnly, Path=/, SameSite=Lax, Secure when serving over HTTPS."""

    def __init__(self, secure: bool, lifetime: timedelta) -> None:
        self._secure, self._max_age = secure, int(lifetime.total_seconds())

    def grant(self, response: Response[Any], token: str) -> None:
        response.set_cookie(self._cookie(token, self._max_age))

    def clear(self, response: Response[Any]) -> None:
        response.set_cookie(self._cookie("", 0))

    def _cookie(self, value: str, max_age: int) -> Cookie:
        return Cookie(
            key=COOKIE_NAME,
            value=value,
            path="/",
            max_age=max_age,
            httponly=True,
            samesite="lax",
            secure=self._secure,
        )


def session_token(request: Request[Any, Any, Any]) -> str | None:
    return request.cookies.get(COOKIE_NAME) or None


async def provide_actor(
    request: Request[Any, Any, Any], current_user: NamedDependency[CurrentUser]
) -> User:
    """The signed-in user, or 401."""
    return await current_user(session_token(request))


async def provide_optional_actor(
    request: Request[Any, Any, Any], current_user: NamedDependency[CurrentUser]
) -> User | None:
    """The signed-in user, or None for a visitor (a stale or bad cookie counts as a visitor)."""
    try:
        return await current_user(session_token(request))
    except NotAuthenticated:
        return None


async def require_admin_session(connection: ASGIConnection[Any, Any, Any, Any], _: Any) -> None:
    """A guard: runs before the body is read, so anonymous uploads are refused (401/403)
    without parsing megabytes of multipart first."""
    current_user: CurrentUser = connection.app.state.current_user
    user = await current_user(connection.cookies.get(COOKIE_NAME) or None)
    user.require_admin()

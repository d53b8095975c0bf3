"""The session cookie: how the `token` is granted and cleared."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar import Response
from litestar.datastructures import Cookie

from allora.entrypoints.http.access import COOKIE_NAME


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

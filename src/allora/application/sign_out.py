"""SignOut: end the session on the server, so copies of the cookie stop working."""

from __future__ import annotations

from allora.application.ports import TokenIssuer, UnitOfWorkFactory
from allora.domain.errors import NotAuthenticated


class SignOut:
    """Rules: always succeeds; a genuine token's session is deleted."""

    def __init__(self, uow: UnitOfWorkFactory, tokens: TokenIssuer) -> None:
        self._uow, self._tokens = uow, tokens

    async def __call__(self, *, token: str | None) -> None:
        if not token:
            return
        try:
            session_id = self._tokens.read(token)
        except NotAuthenticated:
            return
        async with self._uow() as uow:
            await uow.sessions.remove(session_id)
            await uow.commit()

"""CurrentUser: who a session token belongs to, checked on every authenticated request."""

from __future__ import annotations

from allora.application.ports import Clock, TokenIssuer, UnitOfWorkFactory
from allora.domain.errors import NotAuthenticated
from allora.domain.users import User


class CurrentUser:
    """Rules: the token must be genuine and unexpired, its session not revoked nor past its end,
    and its user not banned; the user is read fresh, so role changes apply at once."""

    def __init__(self, uow: UnitOfWorkFactory, tokens: TokenIssuer, clock: Clock) -> None:
        self._uow, self._tokens, self._clock = uow, tokens, clock

    async def __call__(self, *, token: str | None) -> User:
        if not token:
            raise NotAuthenticated("Not signed in")
        session_id = self._tokens.read(token)
        async with self._uow() as uow:
            found = await uow.sessions.get(session_id)
        if found is None:
            raise NotAuthenticated("Session ended, sign in again")
        session, user = found
        if not session.is_live(self._clock.now()) or user.banned:
            raise NotAuthenticated("Session ended, sign in again")
        return user

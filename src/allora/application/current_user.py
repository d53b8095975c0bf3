"""CurrentUser: who a session token belongs to, checked on every authenticated request."""

from __future__ import annotations

from allora.application.ports import Clock, SessionLookup, TokenIssuer
from allora.domain.errors import NotAuthenticated
from allora.domain.users import User


class CurrentUser:
    """Rules: the token must be genuine and unexpired, its session not revoked nor past its end
    (checked on every call, also for a session found in memory), and its user not banned; a
    sign-out, ban or role change applies from the next request on (`SessionLookup`)."""

    def __init__(self, sessions: SessionLookup, tokens: TokenIssuer, clock: Clock) -> None:
        self._sessions, self._tokens, self._clock = sessions, tokens, clock

    async def __call__(self, *, token: str | None) -> User:
        if not token:
            raise NotAuthenticated("Not signed in")
        found = await self._sessions.find(self._tokens.read(token))
        if found is None:
            raise NotAuthenticated("Session ended, sign in again")
        session, user = found
        if not session.is_live(self._clock.now()) or user.banned:
            raise NotAuthenticated("Session ended, sign in again")
        return user

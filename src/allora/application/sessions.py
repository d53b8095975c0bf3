"""Opening a session: the row that makes revocation possible, and the token naming it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from allora.application.ports import Clock, IdGenerator, TokenIssuer, UnitOfWork
from allora.domain.sessions import Session, SessionId
from allora.domain.users import User


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A user and the token of the session just opened for them."""

    user: User
    token: str


class SessionOpener:
    """Starts a server-side session inside the caller's transaction and signs its token."""

    def __init__(
        self, tokens: TokenIssuer, clock: Clock, ids: IdGenerator, lifetime: timedelta
    ) -> None:
        self._tokens, self._clock, self._ids, self._lifetime = tokens, clock, ids, lifetime

    async def open(self, uow: UnitOfWork, user: User) -> str:
        session = Session.start(SessionId(self._ids()), user.id, self._clock.now(), self._lifetime)
        await uow.sessions.add(session)
        return self._tokens.issue(session)

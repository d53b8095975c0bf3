"""SignUp: a new account, signed in at once."""

from __future__ import annotations

from allora.application.attempts import count_attempt
from allora.application.ports import AttemptLimiter, UnitOfWorkFactory
from allora.application.registration import Registrar
from allora.application.sessions import SessionOpener, SignedIn


class SignUp:
    """Rules: at most the client limit a minute from one address, every attempt counted
    (429); every field valid (400); email and phone not banned (403); name, email and phone
    not taken (422); the very first account ever becomes ADMIN, every later one USER."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        registrar: Registrar,
        sessions: SessionOpener,
        per_client: AttemptLimiter,
    ) -> None:
        self._uow, self._registrar, self._sessions = uow, registrar, sessions
        self._per_client = per_client

    async def __call__(
        self, *, name: str, email: str, phone: str, password: str, client: str
    ) -> SignedIn:
        await count_attempt(self._per_client, client)
        account = await self._registrar.prepare(
            name=name, email=email, phone=phone, password=password
        )
        async with self._uow() as uow:
            user = await self._registrar.register(uow, account, role=None)
            token = await self._sessions.open(uow, user)
            await uow.commit()
        return SignedIn(user, token)

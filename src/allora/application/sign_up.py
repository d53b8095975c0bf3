"""SignUp: a new account, signed in at once."""

from __future__ import annotations

from dataclasses import dataclass

from allora.application.ports import UnitOfWorkFactory
from allora.application.registration import Registrar
from allora.application.sessions import SessionOpener
from allora.domain.users import User


@dataclass(frozen=True, slots=True)
class SignedIn:
    user: User
    token: str


class SignUp:
    """Rules: every field valid (400); email and phone not banned (403); name, email and phone
    not taken (422); the very first account ever becomes ADMIN, every later one USER."""

    def __init__(
        self, uow: UnitOfWorkFactory, registrar: Registrar, sessions: SessionOpener
    ) -> None:
        self._uow, self._registrar, self._sessions = uow, registrar, sessions

    async def __call__(
        self, name: object, email: object, phone: object, password: object
    ) -> SignedIn:
        account = await self._registrar.prepare(name, email, phone, password)
        async with self._uow() as uow:
            user = await self._registrar.register(uow, account, role=None)
            token = await self._sessions.open(uow, user)
            await uow.commit()
        return SignedIn(user, token)

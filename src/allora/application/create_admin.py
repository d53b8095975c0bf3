"""CreateAdmin: the operator's way to make an ADMIN account from the command line."""

from __future__ import annotations

from allora.application.ports import UnitOfWorkFactory
from allora.application.registration import Registrar
from allora.domain.users import Role, User


class CreateAdmin:
    """Same rules as sign-up, but the account is ADMIN whatever its place in line."""

    def __init__(self, uow: UnitOfWorkFactory, registrar: Registrar) -> None:
        self._uow, self._registrar = uow, registrar

    async def __call__(self, *, name: str, email: str, phone: str, password: str) -> User:
        account = await self._registrar.prepare(
            name=name, email=email, phone=phone, password=password
        )
        async with self._uow() as uow:
            user = await self._registrar.register(uow, account, role=Role.ADMIN)
            await uow.commit()
        return user

"""ActAs: who a command-line operator acts as, named by the account's email."""

from __future__ import annotations

from allora.application.ports import UnitOfWorkFactory
from allora.domain.errors import Banned
from allora.domain.users import Email, User, UserNotFound


class ActAs:
    """Rules: the account holding `email` acts (400 for a malformed email, 404 for none); a
    banned account does not act (403), as it could not sign in either. What it may then do is
    decided by each use case, the same as over HTTP (a USER is refused what only an ADMIN may)."""

    def __init__(self, reader: UnitOfWorkFactory) -> None:
        self._reader = reader

    async def __call__(self, *, email: str) -> User:
        wanted = Email.parse(email)
        async with self._reader() as uow:
            user = await uow.users.get_by_email(wanted)
        if user is None:
            raise UserNotFound()
        if user.banned:
            raise Banned()
        return user

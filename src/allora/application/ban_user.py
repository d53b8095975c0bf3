"""BanUser: shut an email and a phone out of the shop."""

from __future__ import annotations

from allora.application.ports import UnitOfWorkFactory
from allora.domain.bans import Ban
from allora.domain.errors import LastAdmin
from allora.domain.users import User


class BanUser:
    """Rules: ADMIN only (403); the email and phone are blocked from sign-up and sign-in, the
    accounts holding them are marked banned and their sessions end at once; a ban that would
    leave no active ADMIN is refused (409)."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, *, actor: User, email: str | None, phone: str | None) -> None:
        actor.require_admin()
        ban = Ban.parse(email, phone)
        async with self._uow() as uow:
            await uow.bans.hold()
            admins = set(await uow.users.lock_active_admins())
            targets = await uow.users.matching(ban)
            if admins and admins <= {target.id for target in targets}:
                raise LastAdmin()
            await uow.bans.add(ban)
            for target in targets:
                await uow.users.save(target.as_banned())
            await uow.sessions.remove_all_of([target.id for target in targets])
            await uow.commit()

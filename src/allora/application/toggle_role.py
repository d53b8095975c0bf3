"""ToggleRole: promote a USER to ADMIN or demote an ADMIN to USER."""

from __future__ import annotations

from allora.application.ids import parse_id
from allora.application.ports import UnitOfWorkFactory
from allora.domain.errors import LastAdmin
from allora.domain.users import Role, User, UserId, UserNotFound


class ToggleRole:
    """Rules: ADMIN only (403); an unknown id is 404; demoting the last active ADMIN is refused
    (409), also when two admins demote each other at the same instant."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, *, actor: User, user_id: str) -> Role:
        actor.require_admin()
        target_id = parse_id(user_id)
        async with self._uow() as uow:
            admins = await uow.users.lock_active_admins()
            target = await uow.users.get(UserId(target_id)) if target_id else None
            if target is None:
                raise UserNotFound()
            if admins == [target.id]:
                raise LastAdmin()
            new_role = target.role.toggled()
            await uow.users.save(target.with_role(new_role))
            await uow.commit()
        return new_role

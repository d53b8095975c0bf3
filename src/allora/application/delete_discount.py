"""DeleteDiscount: an ADMIN removes a discount code."""

from __future__ import annotations

from allora.application.ids import parse_id
from allora.application.ports import UnitOfWorkFactory
from allora.domain.discounts import DiscountId, DiscountNotFound
from allora.domain.users import User


class DeleteDiscount:
    """Rules: ADMIN only (403); unknown code id 404; its redemption records go with it."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, *, actor: User, discount_id: str) -> None:
        actor.require_admin()
        wanted = parse_id(discount_id)
        async with self._uow() as uow:
            found = await uow.discounts.get(DiscountId(wanted)) if wanted else None
            if found is None:
                raise DiscountNotFound.by_id()
            await uow.discounts.remove(found.id)
            await uow.commit()

"""RemoveFromWishlist: a signed-in user forgets a saved product."""

from __future__ import annotations

from allora.application.ids import parse_id
from allora.application.ports import UnitOfWorkFactory
from allora.domain.products import ProductId
from allora.domain.users import User


class RemoveFromWishlist:
    """Rules: removing a product that is not on the list is fine."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, *, actor: User, product_id: str) -> None:
        wanted = parse_id(product_id)
        if wanted is None:
            return
        async with self._uow() as uow:
            await uow.wishlists.remove(actor.id, ProductId(wanted))
            await uow.commit()

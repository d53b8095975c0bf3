"""ListWishlist: a signed-in user's saved products."""

from __future__ import annotations

from allora.application.ports import UnitOfWorkFactory
from allora.domain.paging import Page, Paged
from allora.domain.products import Product
from allora.domain.users import User


class ListWishlist:
    """Rules: the signed-in user's products, most recently added first, paged."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, *, actor: User, page: Page) -> Paged[Product]:
        async with self._uow() as uow:
            return await uow.wishlists.products_of(actor.id, page)

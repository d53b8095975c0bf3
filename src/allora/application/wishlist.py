"""AddToWishlist, ListWishlist and RemoveFromWishlist: a user's saved products."""

from __future__ import annotations

from allora.application.ids import parse_id
from allora.application.ports import Clock, UnitOfWorkFactory
from allora.domain.errors import NotFound
from allora.domain.paging import Page, Paged
from allora.domain.products import Product, ProductId
from allora.domain.users import User


class AddToWishlist:
    """Rules: always the signed-in user's list; the product must exist (404); adding twice is
    fine and keeps one entry."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow, self._clock = uow, clock

    async def __call__(self, actor: User, raw_product_id: object) -> None:
        product_id = parse_id("product", raw_product_id)
        async with self._uow() as uow:
            product = await uow.products.get(ProductId(product_id)) if product_id else None
            if product is None:
                raise NotFound("No such product")
            await uow.wishlists.add(actor.id, product.id, self._clock.now())
            await uow.commit()


class ListWishlist:
    """Rules: the signed-in user's products, most recently added first, paged."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, actor: User, page: Page) -> Paged[Product]:
        async with self._uow() as uow:
            return await uow.wishlists.products_of(actor.id, page)


class RemoveFromWishlist:
    """Rules: removing a product that is not on the list is fine."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, actor: User, raw_product_id: str) -> None:
        product_id = parse_id("product", raw_product_id)
        if product_id is None:
            return
        async with self._uow() as uow:
            await uow.wishlists.remove(actor.id, ProductId(product_id))
            await uow.commit()

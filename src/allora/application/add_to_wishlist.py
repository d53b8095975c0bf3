"""AddToWishlist: a signed-in user saves a product."""

from __future__ import annotations

from allora.application.ids import parse_id
from allora.application.ports import Clock, UnitOfWorkFactory
from allora.domain.products import ProductId, ProductNotFound
from allora.domain.users import User


class AddToWishlist:
    """Rules: always the signed-in user's list; the product must exist (404); adding twice is
    fine and keeps one entry."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow, self._clock = uow, clock

    async def __call__(self, *, actor: User, product_id: str) -> None:
        wanted = parse_id(product_id)
        async with self._uow() as uow:
            product = await uow.products.get(ProductId(wanted)) if wanted else None
            if product is None:
                raise ProductNotFound()
            await uow.wishlists.add(actor.id, product.id, self._clock.now())
            await uow.commit()

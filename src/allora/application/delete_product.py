"""DeleteProduct: an ADMIN removes a product."""

from __future__ import annotations

from allora.application.ids import parse_id
from allora.application.ports import ImageStore, UnitOfWorkFactory
from allora.domain.products import ProductId, ProductNotFound
from allora.domain.users import User


class DeleteProduct:
    """Rules: ADMIN only (403); unknown product 404; its comments and wishlist entries go with
    it, and its image files are removed once the deletion is committed."""

    def __init__(self, uow: UnitOfWorkFactory, images: ImageStore) -> None:
        self._uow, self._images = uow, images

    async def __call__(self, *, actor: User, product_id: str) -> None:
        actor.require_admin()
        wanted = parse_id(product_id)
        async with self._uow() as uow:
            product = await uow.products.lock(ProductId(wanted)) if wanted else None
            if product is None:
                raise ProductNotFound()
            await uow.products.remove(product.id)
            await uow.commit()
        for key in product.images:
            await self._images.delete(key)

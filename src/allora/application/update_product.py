"""UpdateProduct and DeleteProduct: an ADMIN edits or removes a product."""

from __future__ import annotations

from collections.abc import Mapping

from allora.application.ids import parse_id
from allora.application.ports import Clock, IdGenerator, ImageStore, UnitOfWorkFactory
from allora.domain.errors import InvalidInput, NotFound
from allora.domain.products import Product, ProductId, Variant, VariantId, parse_variants
from allora.domain.users import User


class UpdateProduct:
    """Rules: ADMIN only (403); unknown product 404; the given fields (name, price, description,
    category, stock, discount, variants) are validated as at creation (400), others untouched;
    new variants replace the old ones under new ids (orders keep their own copy of what they
    bought)."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, ids: IdGenerator) -> None:
        self._uow, self._clock, self._ids = uow, clock, ids

    async def __call__(self, actor: User, raw_id: str, changes: Mapping[str, object]) -> Product:
        actor.require_admin()
        if not changes:
            raise InvalidInput("Nothing to change")
        product_id = parse_id("id", raw_id)
        detail_changes = {k: v for k, v in changes.items() if k != "variants"}
        variants = (
            tuple(Variant(VariantId(self._ids()), v) for v in parse_variants(changes["variants"]))
            if "variants" in changes
            else None
        )
        async with self._uow() as uow:
            product = await uow.products.lock(ProductId(product_id)) if product_id else None
            if product is None:
                raise NotFound("No such product")
            details = product.details.changed(detail_changes)
            revised = product.revised(details, variants, self._clock.now())
            await uow.products.save(revised)
            await uow.commit()
        return revised


class DeleteProduct:
    """Rules: ADMIN only (403); unknown product 404; its comments and wishlist entries go with
    it, and its image files are removed once the deletion is committed."""

    def __init__(self, uow: UnitOfWorkFactory, images: ImageStore) -> None:
        self._uow, self._images = uow, images

    async def __call__(self, actor: User, raw_id: str) -> None:
        actor.require_admin()
        product_id = parse_id("id", raw_id)
        async with self._uow() as uow:
            product = await uow.products.lock(ProductId(product_id)) if product_id else None
            if product is None:
                raise NotFound("No such product")
            await uow.products.remove(product.id)
            await uow.commit()
        for key in product.images:
            await self._images.delete(key)

"""UpdateProduct: an ADMIN edits a product."""

from __future__ import annotations

from allora.application.ids import parse_id
from allora.application.ports import Clock, IdGenerator, UnitOfWorkFactory
from allora.domain.errors import InvalidInput
from allora.domain.products import (
    Product,
    ProductFields,
    ProductId,
    ProductNotFound,
    Variant,
    VariantId,
    parse_variants,
)
from allora.domain.users import User


class UpdateProduct:
    """Rules: ADMIN only (403); unknown product 404; at least one field (400); the given fields
    (name, price, description, category, stock, discount, variants) are validated as at creation
    (400), others untouched; new variants replace the old ones under new ids (orders keep their
    own copy of what they bought)."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, ids: IdGenerator) -> None:
        self._uow, self._clock, self._ids = uow, clock, ids

    async def __call__(self, *, actor: User, product_id: str, changes: ProductFields) -> Product:
        actor.require_admin()
        if changes == ProductFields():
            raise InvalidInput("Nothing to change")
        wanted = parse_id(product_id)
        variants = (
            None
            if changes.variants is None
            else tuple(Variant(VariantId(self._ids()), v) for v in parse_variants(changes.variants))
        )
        async with self._uow() as uow:
            product = await uow.products.lock(ProductId(wanted)) if wanted else None
            if product is None:
                raise ProductNotFound()
            details = product.details.changed(changes)
            revised = product.revised(details, variants, self._clock.now())
            await uow.products.save(revised)
            await uow.commit()
        return revised

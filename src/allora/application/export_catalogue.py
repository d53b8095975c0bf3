"""ExportCatalogue: every product with its variants and image bytes, for a file an import reads."""

from __future__ import annotations

from dataclasses import dataclass

from allora.application.ports import ImageStore, UnitOfWorkFactory
from allora.domain.paging import Page, Paged
from allora.domain.product_query import ProductQuery
from allora.domain.products import Product
from allora.domain.users import User


@dataclass(frozen=True, slots=True)
class ExportedImage:
    key: str
    data: bytes


@dataclass(frozen=True, slots=True)
class ExportedProduct:
    product: Product
    images: tuple[ExportedImage, ...]


class ExportCatalogue:
    """Rules: ADMIN only (403); every product, newest first, a page at a time, with its
    variants and the bytes of its images as stored (an image the store no longer holds is left
    out: an export can only carry what exists)."""

    def __init__(self, reader: UnitOfWorkFactory, images: ImageStore) -> None:
        self._reader, self._images = reader, images

    async def __call__(self, *, actor: User, page: Page) -> Paged[ExportedProduct]:
        actor.require_admin()
        async with self._reader() as uow:
            found = await uow.products.search(ProductQuery(), page)
        exported = []
        for product in found.items:
            images = []
            for key in product.images:
                data = await self._images.read(key)
                if data is not None:
                    images.append(ExportedImage(key, data))
            exported.append(ExportedProduct(product, tuple(images)))
        return Paged(exported, found.total)

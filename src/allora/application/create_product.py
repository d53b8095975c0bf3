"""CreateProduct: an ADMIN adds a product with its variants and images."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from allora.application.ports import (
    Clock,
    IdGenerator,
    ImageInspector,
    ImageStore,
    UnitOfWorkFactory,
)
from allora.domain.errors import InvalidInput, TooLarge, Validation
from allora.domain.products import (
    MAX_IMAGES,
    Product,
    ProductDetails,
    ProductFields,
    ProductId,
    Variant,
    VariantId,
    mean_score,
    parse_variants,
)
from allora.domain.users import User

MAX_IMAGE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Upload:
    """An uploaded file; its client-side name is never used for storage."""

    data: bytes


class CreateProduct:
    """Rules: ADMIN only (403); every field as the contract says (400); 1 to 10 images (400),
    each at most 5 MiB (413) and really a jpg, png, webp or gif by its content (400); stored
    under fresh names; a failure half-way leaves no product and no file behind."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        images: ImageStore,
        inspector: ImageInspector,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._uow, self._images, self._inspector = uow, images, inspector
        self._clock, self._ids = clock, ids

    async def __call__(
        self, *, actor: User, fields: ProductFields, uploads: Sequence[Upload]
    ) -> Product:
        actor.require_admin()
        check = Validation()
        details = check(lambda: ProductDetails.parse(fields))
        parsed_variants = check(lambda: parse_variants(fields.variants or ()))
        check.raise_if_failed()
        assert details is not None
        assert parsed_variants is not None
        extensions = await self._inspect(uploads)
        keys: list[str] = []
        try:
            for upload, extension in zip(uploads, extensions, strict=True):
                keys.append(await self._images.put(upload.data, extension))
            now = self._clock.now()
            product = Product(
                id=ProductId(self._ids()),
                details=details,
                variants=tuple(Variant(VariantId(self._ids()), v) for v in parsed_variants),
                images=tuple(keys),
                score=mean_score(0, 0),
                created_at=now,
                updated_at=now,
            )
            async with self._uow() as uow:
                await uow.products.add(product)
                await uow.commit()
        except BaseException:
            for key in keys:
                await self._images.delete(key)
            raise
        return product

    async def _inspect(self, uploads: Sequence[Upload]) -> list[str]:
        if not uploads:
            raise InvalidInput.for_field("img", "at least one image is required")
        if len(uploads) > MAX_IMAGES:
            raise InvalidInput.for_field("img", f"at most {MAX_IMAGES} images")
        if any(len(upload.data) > MAX_IMAGE_BYTES for upload in uploads):
            raise TooLarge(f"each image must be at most {MAX_IMAGE_BYTES // (1024 * 1024)} MiB")
        return [await self._inspector.extension_of(upload.data) for upload in uploads]

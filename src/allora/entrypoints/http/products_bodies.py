"""Wire types of products: the multipart form, the JSON changes and the Product JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import msgspec
from litestar.datastructures import UploadFile

from allora.application.ports import ImageStore
from allora.domain.products import Product, Variant
from allora.entrypoints.http.comments_bodies import CommentOut


@dataclass
class ProductForm:
    """The multipart form of a new product: text fields, read by `product_form.fields_of`."""

    name: str | None = None
    price: str | None = None
    description: str | None = None
    category: str | None = None
    stock: str | None = None
    discount: str | None = None
    variants: str | None = None
    img: list[UploadFile] = field(default_factory=list)


class VariantBody(msgspec.Struct, forbid_unknown_fields=True):
    """A variant; every field may be missing, null or empty. The admin panel builds it from
    form inputs, so `stock` and `price` may also be numeric text ("5", "19.90"), read by
    `product_fields.variant_inputs`."""

    colorName: str | None = None
    colorHex: str | None = None
    size: str | None = None
    stock: int | str | None = None
    price: float | int | str | None = None


class UpdateProductBody(msgspec.Struct, forbid_unknown_fields=True):
    """PUT/PATCH body: only the fields to change."""

    name: str | msgspec.UnsetType = msgspec.UNSET
    price: float | int | msgspec.UnsetType = msgspec.UNSET
    description: str | msgspec.UnsetType = msgspec.UNSET
    category: str | msgspec.UnsetType = msgspec.UNSET
    stock: int | msgspec.UnsetType = msgspec.UNSET
    discount: int | msgspec.UnsetType = msgspec.UNSET
    variants: list[VariantBody] | msgspec.UnsetType = msgspec.UNSET


class ColorOut(msgspec.Struct):
    name: str | None
    hex: str | None


class VariantOut(msgspec.Struct):
    id: str
    color: ColorOut
    size: str | None
    stock: int | None
    price: float | None

    @classmethod
    def of(cls, variant: Variant) -> VariantOut:
        details = variant.details
        return cls(
            id=str(variant.id),
            color=ColorOut(
                details.color_name.value if details.color_name else None, details.color_hex
            ),
            size=details.size.value if details.size else None,
            stock=details.stock,
            price=float(details.price) if details.price is not None else None,
        )


class ProductOut(msgspec.Struct):
    id: str
    name: str
    price: float
    description: str
    category: str
    stock: int
    discount: int
    score: float
    images: list[str]
    variants: list[VariantOut]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, product: Product, images: ImageStore) -> ProductOut:
        details = product.details
        return cls(
            id=str(product.id),
            name=details.name,
            price=float(details.price),
            description=details.description,
            category=details.category,
            stock=details.stock,
            discount=details.discount,
            score=float(product.score),
            images=[images.url(key) for key in product.images],
            variants=[VariantOut.of(v) for v in product.variants],
            created_at=product.created_at,
            updated_at=product.updated_at,
        )


class ProductWithComments(ProductOut):
    comments: list[CommentOut]


class ProductCreated(msgspec.Struct):
    message: str
    data: ProductOut

"""Wire types of the catalogue: product and comment bodies and their JSON forms."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import msgspec
from litestar.datastructures import UploadFile

from allora.application.ports import ImageStore
from allora.domain.comments import Comment
from allora.domain.products import Product, Variant


@dataclass
class ProductForm:
    """The multipart form of a new product; text fields are parsed by the domain's rules."""

    name: str | None = None
    price: str | None = None
    description: str | None = None
    category: str | None = None
    stock: str | None = None
    discount: str | None = None
    variants: str | None = None
    img: list[UploadFile] = field(default_factory=list)


class VariantIn(msgspec.Struct, forbid_unknown_fields=True):
    """A variant; every field may be missing, null or empty."""

    colorName: str | None = None
    colorHex: str | None = None
    size: str | None = None
    stock: int | Literal[""] | None = None
    price: float | int | Literal[""] | None = None


class ProductChanges(msgspec.Struct, forbid_unknown_fields=True):
    """PUT/PATCH body: only the fields to change."""

    name: str | msgspec.UnsetType = msgspec.UNSET
    price: float | int | msgspec.UnsetType = msgspec.UNSET
    description: str | msgspec.UnsetType = msgspec.UNSET
    category: str | msgspec.UnsetType = msgspec.UNSET
    stock: int | msgspec.UnsetType = msgspec.UNSET
    discount: int | msgspec.UnsetType = msgspec.UNSET
    variants: list[VariantIn] | msgspec.UnsetType = msgspec.UNSET

    def as_changes(self) -> dict[str, Any]:
        changes = {
            name: getattr(self, name)
            for name in self.__struct_fields__
            if getattr(self, name) is not msgspec.UNSET
        }
        if "variants" in changes:
            changes["variants"] = [msgspec.structs.asdict(v) for v in changes["variants"]]
        return changes


class CommentIn(msgspec.Struct):
    username: str
    email: str
    body: str
    score: int
    productID: str


class IdIn(msgspec.Struct):
    id: str


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


class CommentOut(msgspec.Struct):
    id: str
    username: str
    body: str
    score: int
    isAccept: bool
    product: str
    created_at: datetime

    @classmethod
    def of(cls, comment: Comment) -> CommentOut:
        return cls(
            id=str(comment.id),
            username=comment.draft.username,
            body=comment.draft.body,
            score=comment.draft.score,
            isAccept=comment.is_accepted,
            product=str(comment.product_id),
            created_at=comment.created_at,
        )


class AdminCommentOut(CommentOut):
    email: str
    status: str

    @classmethod
    def of_admin(cls, comment: Comment) -> AdminCommentOut:
        public = CommentOut.of(comment)
        return cls(
            **msgspec.structs.asdict(public),
            email=comment.draft.email.value,
            status=comment.status.value,
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


class CommentCreated(msgspec.Struct):
    message: str
    data: CommentOut

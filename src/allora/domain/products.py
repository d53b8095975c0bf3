"""The catalogue: products with colour/size variants, images and a score from comments."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import partial
from typing import NewType
from uuid import UUID

from allora.domain.errors import InvalidInput, NotFound, Validation
from allora.domain.fields import parse_catalogue_text, parse_choice, parse_hex, parse_whole
from allora.domain.money import parse_price

ProductId = NewType("ProductId", UUID)
VariantId = NewType("VariantId", UUID)

MAX_IMAGES = 10
MAX_VARIANTS = 100
MAX_STOCK = 1_000_000_000


class ProductNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("No such product")


class ColorName(StrEnum):
    BLACK = "black"
    WHITE = "white"
    BLUE = "blue"
    RED = "red"
    GREEN = "green"
    YELLOW = "yellow"


class Size(StrEnum):
    XS = "XS"
    S = "S"
    M = "M"
    L = "L"
    XL = "XL"
    XXL = "XXL"


def _blank(raw: object) -> bool:
    return raw is None or raw == ""


@dataclass(frozen=True, slots=True)
class VariantInput:
    """A variant as a client sent it, typed but not yet checked; a missing, null or empty
    field (`""`) is no value."""

    color_name: str | None = None
    color_hex: str | None = None
    size: str | None = None
    stock: int | None = None
    price: Decimal | int | None = None


@dataclass(frozen=True, slots=True)
class VariantDetails:
    """What one colour/size offer of a product is; each part is optional."""

    color_name: ColorName | None = None
    color_hex: str | None = None
    size: Size | None = None
    stock: int | None = None
    price: Decimal | None = None

    @classmethod
    def parse(cls, entry: VariantInput, where: str) -> VariantDetails | None:
        """None for an entry whose every field is empty: the contract drops those."""
        name, hex_, size = entry.color_name, entry.color_hex, entry.size
        stock, price = entry.stock, entry.price
        if all(_blank(value) for value in (name, hex_, size, stock, price)):
            return None
        check = Validation()
        at = f"{where}."
        variant = cls(
            color_name=None
            if _blank(name)
            else check(lambda: parse_choice(at + "colorName", name, ColorName)),
            color_hex=None if _blank(hex_) else check(lambda: parse_hex(at + "colorHex", hex_)),
            size=None if _blank(size) else check(lambda: parse_choice(at + "size", size, Size)),
            stock=None
            if stock is None
            else check(lambda: parse_whole(at + "stock", stock, 0, MAX_STOCK)),
            price=None
            if price is None
            else check(lambda: parse_price(at + "price", price, allow_zero=True)),
        )
        check.raise_if_failed()
        return variant


@dataclass(frozen=True, slots=True)
class Variant:
    """A stored offer: its id is what an order line names."""

    id: VariantId
    details: VariantDetails


def parse_variants(entries: Sequence[VariantInput]) -> tuple[VariantDetails, ...]:
    """At most 100 entries; entries with every field empty are dropped."""
    if len(entries) > MAX_VARIANTS:
        raise InvalidInput.for_field("variants", f"at most {MAX_VARIANTS} variants")
    check = Validation()
    parsed = [
        check(partial(VariantDetails.parse, entry, f"variants[{i}]"))
        for i, entry in enumerate(entries)
    ]
    check.raise_if_failed()
    return tuple(variant for variant in parsed if variant is not None)


@dataclass(frozen=True, slots=True)
class ProductFields:
    """A product's fields as a client sent them, typed but not yet checked; None is "not
    given" (a new product needs every detail; a change names only what changes)."""

    name: str | None = None
    price: Decimal | int | None = None
    description: str | None = None
    category: str | None = None
    stock: int | None = None
    discount: int | None = None
    variants: tuple[VariantInput, ...] | None = None


DETAIL_FIELDS = ("name", "price", "description", "category", "stock", "discount")


@dataclass(frozen=True, slots=True)
class ProductDetails:
    """The validated, editable facts of a product."""

    name: str
    price: Decimal
    description: str
    category: str
    stock: int
    discount: int

    @classmethod
    def parse(cls, fields: ProductFields) -> ProductDetails:
        """Every field of the contract's rules, all failures reported together."""
        check = Validation()
        parsed = {
            key: check(partial(_DETAIL_PARSERS[key], getattr(fields, key))) for key in DETAIL_FIELDS
        }
        check.raise_if_failed()
        return cls(**parsed)  # type: ignore[arg-type]

    def changed(self, changes: ProductFields) -> ProductDetails:
        """A copy with the given fields replaced, each validated as at creation."""
        given = {key: getattr(changes, key) for key in DETAIL_FIELDS}
        current = {key: getattr(self, key) for key in DETAIL_FIELDS}
        merged = {key: current[key] if given[key] is None else given[key] for key in current}
        return ProductDetails.parse(ProductFields(**merged))


_DETAIL_PARSERS: dict[str, Callable[[object], object]] = {
    "name": lambda raw: parse_catalogue_text("name", raw, 3, 200),
    "price": lambda raw: parse_price("price", raw, allow_zero=False),
    "description": lambda raw: parse_catalogue_text("description", raw, 10, 10_000),
    "category": lambda raw: parse_catalogue_text("category", raw, 1, 100),
    "stock": lambda raw: parse_whole("stock", raw, 0, MAX_STOCK),
    "discount": lambda raw: parse_whole("discount", raw, 0, 100),
}


@dataclass(frozen=True, slots=True)
class Product:
    id: ProductId
    details: ProductDetails
    variants: tuple[Variant, ...]
    images: tuple[str, ...]
    score: Decimal
    created_at: datetime
    updated_at: datetime

    def scored(self, score: Decimal) -> Product:
        return replace(self, score=score)

    def revised(
        self, details: ProductDetails, variants: tuple[Variant, ...] | None, now: datetime
    ) -> Product:
        return replace(
            self,
            details=details,
            variants=self.variants if variants is None else variants,
            updated_at=now,
        )


def mean_score(total: int, count: int) -> Decimal:
    """The mean of the accepted comments' scores, rounded half-up to 2 decimals; 0 when none."""
    if count == 0:
        return Decimal("0.00")
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

"""The catalogue: products with colour/size variants, images and a score from comments."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import partial
from typing import NewType
from uuid import UUID

from allora.domain.errors import InvalidInput, Validation
from allora.domain.fields import parse_choice, parse_hex, parse_text, parse_whole
from allora.domain.money import parse_price

ProductId = NewType("ProductId", UUID)
VariantId = NewType("VariantId", UUID)

MAX_IMAGES = 10
MAX_VARIANTS = 100
MAX_STOCK = 1_000_000_000
VARIANT_FIELDS = ("colorName", "colorHex", "size", "stock", "price")


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
class VariantDetails:
    """What one colour/size offer of a product is; each part is optional."""

    color_name: ColorName | None = None
    color_hex: str | None = None
    size: Size | None = None
    stock: int | None = None
    price: Decimal | None = None

    @classmethod
    def parse(cls, raw: object, where: str) -> VariantDetails | None:
        """None for an entry whose every field is empty: the contract drops those."""
        if not isinstance(raw, dict):
            raise InvalidInput.for_field(where, f"{where} must be an object")
        if unknown := sorted(set(raw) - set(VARIANT_FIELDS)):
            raise InvalidInput.for_field(where, f"{where} has unknown fields {unknown}")
        values = {key: raw.get(key) for key in VARIANT_FIELDS}
        if all(_blank(value) for value in values.values()):
            return None
        check = Validation()
        name, hex_, size, stock, price = (values[key] for key in VARIANT_FIELDS)
        at = f"{where}."
        variant = cls(
            color_name=None
            if _blank(name)
            else check(lambda: parse_choice(at + "colorName", name, ColorName)),
            color_hex=None if _blank(hex_) else check(lambda: parse_hex(at + "colorHex", hex_)),
            size=None if _blank(size) else check(lambda: parse_choice(at + "size", size, Size)),
            stock=None
            if _blank(stock)
            else check(lambda: parse_whole(at + "stock", stock, 0, MAX_STOCK)),
            price=None
            if _blank(price)
            else check(lambda: parse_price(at + "price", price, allow_zero=True)),
        )
        check.raise_if_failed()
        return variant


@dataclass(frozen=True, slots=True)
class Variant:
    """A stored offer: its id is what an order line names."""

    id: VariantId
    details: VariantDetails


def parse_variants(raw: object) -> tuple[VariantDetails, ...]:
    """A list of variant entries; entries with every field empty are dropped."""
    if not isinstance(raw, list):
        raise InvalidInput.for_field("variants", "variants must be a list")
    if len(raw) > MAX_VARIANTS:
        raise InvalidInput.for_field("variants", f"at most {MAX_VARIANTS} variants")
    check = Validation()
    parsed = [
        check(partial(VariantDetails.parse, entry, f"variants[{i}]")) for i, entry in enumerate(raw)
    ]
    check.raise_if_failed()
    return tuple(variant for variant in parsed if variant is not None)


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
    def parse(cls, fields: Mapping[str, object]) -> ProductDetails:
        """Every field of the contract's rules, all failures reported together."""
        check = Validation()
        parsed = {
            key: check(partial(_DETAIL_PARSERS[key], fields.get(key))) for key in DETAIL_FIELDS
        }
        check.raise_if_failed()
        return cls(**parsed)  # type: ignore[arg-type]

    def changed(self, changes: Mapping[str, object]) -> ProductDetails:
        """A copy with some fields replaced, each validated as at creation."""
        if unknown := sorted(set(changes) - set(DETAIL_FIELDS)):
            raise InvalidInput(f"Unknown product fields {unknown}")
        current = {key: getattr(self, key) for key in DETAIL_FIELDS}
        return ProductDetails.parse({**current, **changes})


_DETAIL_PARSERS: dict[str, Callable[[object], object]] = {
    "name": lambda raw: parse_text("name", raw, 3, 200),
    "price": lambda raw: parse_price("price", raw, allow_zero=False),
    "description": lambda raw: parse_text("description", raw, 10, 10_000),
    "category": lambda raw: parse_text("category", raw, 1, 100),
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


class ProductSort(StrEnum):
    NEWEST = "newest"
    PRICE = "price"
    PRICE_DESC = "-price"
    SCORE = "score"


@dataclass(frozen=True, slots=True)
class ProductQuery:
    """Filters and order of the product listing."""

    category: str | None = None
    text: str | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    sort: ProductSort = ProductSort.NEWEST

    @classmethod
    def parse(
        cls,
        category: str | None,
        q: str | None,
        min_price: str | None,
        max_price: str | None,
        sort: str | None,
    ) -> ProductQuery:
        check = Validation()
        low = (
            None
            if min_price is None
            else check(partial(parse_price, "min_price", min_price, allow_zero=True))
        )
        high = (
            None
            if max_price is None
            else check(partial(parse_price, "max_price", max_price, allow_zero=True))
        )
        order = check(partial(parse_choice, "sort", sort or "newest", ProductSort))
        words = None if q is None else check(partial(parse_text, "q", q, 0, 200))
        kind = (
            None if category is None else check(partial(parse_text, "category", category, 0, 100))
        )
        check.raise_if_failed()
        assert order is not None
        return cls(kind or None, words or None, low, high, order)

"""The cart a storefront sends at checkout: lines merged, checked, then priced from the catalogue.

The browser keeps the cart, so what arrives is only ids and quantities; every price comes from
the products as stored now, whatever else a line carries.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from allora.domain.errors import FieldError, InvalidInput, NotFound
from allora.domain.pricing import line_total, unit_price
from allora.domain.products import Product, ProductId, Variant, VariantId

MAX_QUANTITY = 99
MAX_LINES = 50


@dataclass(frozen=True, slots=True)
class CartItem:
    """One line as the client sent it: opaque ids and a whole number of units."""

    product: str
    quantity: int
    variant: str | None = None


def _canonical(text: str) -> str:
    """The id's one spelling when it is a UUID (any case or form), else the text as sent."""
    try:
        return str(UUID(text))
    except ValueError:
        return text


def _as_uuid(text: str) -> UUID | None:
    try:
        return UUID(text)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class CartLine:
    """The items naming one product and variant, merged; reported at `index`, the position of
    the first of them in the request."""

    index: int
    product: str
    variant: str | None
    quantity: int

    @property
    def field(self) -> str:
        return f"items[{self.index}]"

    @property
    def product_id(self) -> ProductId | None:
        found = _as_uuid(self.product)
        return None if found is None else ProductId(found)

    @property
    def variant_id(self) -> VariantId | None:
        found = None if self.variant is None else _as_uuid(self.variant)
        return None if found is None else VariantId(found)


def _quantity_error(index: int, message: str) -> InvalidInput:
    return InvalidInput.for_field(f"items[{index}].quantity", f"items[{index}].quantity {message}")


@dataclass(frozen=True, slots=True)
class Cart:
    """1-50 merged lines, each of 1-99 units."""

    lines: tuple[CartLine, ...]

    @classmethod
    def parse(cls, items: Sequence[CartItem]) -> Cart:
        """Merges items naming the same product and variant (a `variant` of "" is none), then
        checks every quantity; all failures are reported together (400)."""
        failures: list[InvalidInput] = []
        merged: dict[tuple[str, str | None], CartLine] = {}
        for index, item in enumerate(items):
            if not 1 <= item.quantity <= MAX_QUANTITY:
                failures.append(_quantity_error(index, f"must be from 1 to {MAX_QUANTITY}"))
                continue
            variant = _canonical(item.variant) if item.variant else None
            key = (_canonical(item.product), variant)
            line = merged.get(key)
            quantity = item.quantity + (line.quantity if line else 0)
            merged[key] = CartLine(line.index if line else index, key[0], variant, quantity)
        for line in merged.values():
            if line.quantity > MAX_QUANTITY:
                failures.append(
                    _quantity_error(line.index, f"comes to more than {MAX_QUANTITY} once merged")
                )
        if not failures and not 1 <= len(merged) <= MAX_LINES:
            failures.append(
                InvalidInput.for_field("items", f"items must hold 1 to {MAX_LINES} lines")
            )
        if failures:
            raise InvalidInput.combine(failures)
        return cls(tuple(merged.values()))

    def product_ids(self) -> list[ProductId]:
        """The ids worth looking up (text that is no UUID names no product)."""
        return sorted({pid for line in self.lines if (pid := line.product_id) is not None})


@dataclass(frozen=True, slots=True)
class StockUnits:
    """Units taken from or returned to one stock: a variant's, or a product's without
    variants (`variant` None)."""

    product: ProductId
    variant: VariantId | None
    quantity: int


@dataclass(frozen=True, slots=True)
class PricedLine:
    """A cart line with the product and variant it names, priced from them."""

    line: CartLine
    product: Product
    variant: Variant | None
    unit_price: Decimal
    line_total: Decimal

    @property
    def quantity(self) -> int:
        return self.line.quantity

    @property
    def stock(self) -> int:
        """The units there are to sell: a variant's own stock (none when it has no figure),
        or the product's when it has no variants."""
        if self.variant is not None:
            return self.variant.details.stock or 0
        return self.product.details.stock

    @property
    def available(self) -> bool:
        return self.stock >= self.quantity

    @property
    def units(self) -> StockUnits:
        variant = self.variant.id if self.variant else None
        return StockUnits(self.product.id, variant, self.quantity)


def price_cart(cart: Cart, products: Mapping[ProductId, Product]) -> list[PricedLine]:
    """Every line priced, or: 404 when a line names an unknown product or variant; 400 when a
    line names no variant of a product that has some, or one of a product that has none."""
    missing: list[str] = []
    misnamed: list[InvalidInput] = []
    priced: list[PricedLine] = []
    for line in cart.lines:
        product = products.get(line.product_id) if line.product_id else None
        if product is None:
            missing.append(f"{line.field}: no such product")
            continue
        variant = None
        if line.variant is not None and not product.variants:
            misnamed.append(_variant_error(line, "this product has no variants"))
        elif line.variant is None and product.variants:
            misnamed.append(_variant_error(line, "a variant is required for this product"))
        elif line.variant is not None:
            variant = next((v for v in product.variants if v.id == line.variant_id), None)
            if variant is None:
                missing.append(f"{line.field}: no such variant of this product")
                continue
        details = product.details
        offer = variant.details.price if variant else None
        unit = unit_price(details.price, offer, details.discount)
        priced.append(PricedLine(line, product, variant, unit, line_total(unit, line.quantity)))
    if missing:
        raise NotFound("; ".join(missing))
    if misnamed:
        raise InvalidInput.combine(misnamed)
    return priced


def _variant_error(line: CartLine, message: str) -> InvalidInput:
    field = f"{line.field}.variant"
    return InvalidInput(f"{field}: {message}", (FieldError(field, message),))

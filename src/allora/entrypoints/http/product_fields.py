"""The product's multipart form and JSON changes, read into the use cases' typed fields.

A multipart form carries every value as text: here its numbers are read (400 for text that is
no number), so the domain's rules only ever see numbers. JSON bodies arrive typed already.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import partial
from typing import TypeVar

import msgspec

from allora.domain.errors import InvalidInput, Validation
from allora.domain.fields import read_whole
from allora.domain.money import read_decimal
from allora.domain.products import ProductFields, VariantInput
from allora.entrypoints.http.products_bodies import ProductForm, UpdateProductBody, VariantBody
from allora.entrypoints.http.strict_json import decode_strict

N = TypeVar("N", int, Decimal)


def form_fields(form: ProductForm) -> ProductFields:
    """A missing or empty `discount` is 0; `variants` is a JSON text, typed as strictly as a
    JSON body; every unreadable field is reported at once."""
    check = Validation()
    price = check(lambda: _read(form.price, lambda text: read_decimal("price", text)))
    stock = check(lambda: _read(form.stock, lambda text: read_whole("stock", text)))
    discount = check(lambda: _read(form.discount or "0", lambda text: read_whole("discount", text)))
    variants = check(lambda: _variants_text(form.variants))
    check.raise_if_failed()
    return ProductFields(
        name=form.name,
        price=price,
        description=form.description,
        category=form.category,
        stock=stock,
        discount=discount,
        variants=variants,
    )


def changed_fields(body: UpdateProductBody) -> ProductFields:
    """The fields a PUT/PATCH body names; the others stay None (unchanged)."""

    return ProductFields(
        name=None if body.name is msgspec.UNSET else body.name,
        price=None if body.price is msgspec.UNSET else _exact(body.price),
        description=None if body.description is msgspec.UNSET else body.description,
        category=None if body.category is msgspec.UNSET else body.category,
        stock=None if body.stock is msgspec.UNSET else body.stock,
        discount=None if body.discount is msgspec.UNSET else body.discount,
        variants=None if body.variants is msgspec.UNSET else variant_inputs(body.variants),
    )


def variant_inputs(entries: Sequence[VariantBody]) -> tuple[VariantInput, ...]:
    """An empty string (what a form input sends for a field left blank) is no value; numeric
    text in `stock` and `price` is read as the number it writes, exactly as a form field."""
    check = Validation()
    inputs = [
        check(partial(_variant_input, entry, f"variants[{i}]")) for i, entry in enumerate(entries)
    ]
    check.raise_if_failed()
    return tuple(entry for entry in inputs if entry is not None)


def _variant_input(entry: VariantBody, where: str) -> VariantInput:
    check = Validation()
    variant = VariantInput(
        color_name=entry.colorName,
        color_hex=entry.colorHex,
        size=entry.size,
        stock=check(lambda: _variant_stock(entry.stock, f"{where}.stock")),
        price=check(lambda: _variant_price(entry.price, f"{where}.price")),
    )
    check.raise_if_failed()
    return variant


def _variant_stock(value: int | str | None, field: str) -> int | None:
    """Numeric text is read as strictly as a form field, with no blanks forgiven (" 5" is
    refused: it is JSON, not a form input); "" is no value."""
    if isinstance(value, str):
        return read_whole(field, value) if value else None
    return value


def _variant_price(value: float | int | str | None, field: str) -> Decimal | int | None:
    """As `_variant_stock`; a JSON number stays the exact number the client wrote."""
    if isinstance(value, str):
        return read_decimal(field, value) if value else None
    return None if value is None else _exact(value)


def _read(text: str | None, read: Callable[[str], N]) -> N | None:
    """A form field's number, blanks around it ignored; a missing field is None."""
    return None if text is None else read(text.strip())


def _exact(value: float | int | Decimal) -> Decimal | int:
    """`decode_strict` hands on every JSON number with a fraction as the exact Decimal the
    client wrote (typed `float` for the schema); a float that is still one is read by its
    shortest text."""
    return Decimal(str(value)) if isinstance(value, float) else value


def _variants_text(raw: str | None) -> tuple[VariantInput, ...]:
    if raw is None or not raw.strip():
        return ()
    try:
        entries = decode_strict(raw.encode(), list[VariantBody])
    except InvalidInput as error:
        raise InvalidInput.for_field("variants", f"variants: {error.message}") from None
    return variant_inputs(entries)

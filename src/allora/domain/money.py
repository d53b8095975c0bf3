"""Exact prices: Decimal with at most 2 decimals, never a float."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from allora.domain.errors import InvalidInput

CENT = Decimal("0.01")
MAX_PRICE = Decimal("1000000000")


def parse_price(field: str, raw: object, *, allow_zero: bool) -> Decimal:
    """A JSON number (int or float), a multipart string, or a Decimal; at most 2 decimals."""
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        raise InvalidInput.for_field(field, f"{field} must be a number")
    try:
        # str() of a float is its shortest round-trip form: 19.99 -> "19.99", exactly.
        value = Decimal(raw.strip() if isinstance(raw, str) else str(raw))
    except InvalidOperation:
        raise InvalidInput.for_field(field, f"{field} must be a number") from None
    if not value.is_finite():
        raise InvalidInput.for_field(field, f"{field} must be a number")
    if abs(value) >= MAX_PRICE or value != value.quantize(CENT):
        raise InvalidInput.for_field(
            field, f"{field} must have at most 2 decimals and be below {MAX_PRICE}"
        )
    if value < 0 or (value == 0 and not allow_zero):
        bound = "0 or more" if allow_zero else "more than 0"
        raise InvalidInput.for_field(field, f"{field} must be {bound}")
    return value.quantize(CENT)

"""Exact prices: Decimal with at most 2 decimals, never a float."""

from __future__ import annotations

import re
from decimal import Decimal

from allora.domain.errors import InvalidInput

CENT = Decimal("0.01")
MAX_PRICE = Decimal("1000000000")
# A number written in text: ASCII digits with an optional fraction, nothing else.
_TEXT_NUMBER = re.compile(r"-?[0-9]{1,12}(?:\.[0-9]{1,12})?")


def read_decimal(field: str, text: str) -> Decimal:
    """The exact number a text like "19.99" or "-3" writes: no blanks, exponent or other
    digits; see `fields.read_whole` for why text is read apart from parsing."""
    if not _TEXT_NUMBER.fullmatch(text):
        raise InvalidInput.for_field(field, f"{field} must be a number")
    return Decimal(text)


def parse_price(field: str, raw: object, *, allow_zero: bool) -> Decimal:
    """A JSON number (int, float or exact Decimal, never text or a boolean); at most 2
    decimals, below a billion."""
    value = _as_decimal(field, raw)
    if abs(value) >= MAX_PRICE or value != value.quantize(CENT):
        raise InvalidInput.for_field(
            field, f"{field} must have at most 2 decimals and be below {MAX_PRICE}"
        )
    if value < 0 or (value == 0 and not allow_zero):
        bound = "0 or more" if allow_zero else "more than 0"
        raise InvalidInput.for_field(field, f"{field} must be {bound}")
    return abs(value).quantize(CENT) if value == 0 else value.quantize(CENT)


def _as_decimal(field: str, raw: object) -> Decimal:
    if isinstance(raw, bool):
        raise InvalidInput.for_field(field, f"{field} must be a number")
    if isinstance(raw, int):
        if abs(raw) >= MAX_PRICE:  # before any conversion: 10**5000 has no text form
            raise InvalidInput.for_field(field, f"{field} must be below {MAX_PRICE}")
        return Decimal(raw)
    if isinstance(raw, float) and raw == raw and abs(raw) != float("inf"):
        return Decimal(str(raw))  # the shortest round-trip text: 19.99 -> "19.99", exactly
    if isinstance(raw, Decimal) and raw.is_finite():
        return raw
    raise InvalidInput.for_field(field, f"{field} must be a number")

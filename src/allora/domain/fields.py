"""Field parsers shared by several entities: text, whole numbers, choices and colours.

Parsers of numbers take numbers. Where an entrypoint carries numbers as text (a multipart form,
a CSV file, a query string), it reads them first with `read_whole` (or `money.read_decimal`),
so that what counts as a number written in text is one rule, applied only where text is.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from typing import TypeVar

from allora.domain.errors import InvalidInput

E = TypeVar("E", bound=StrEnum)

_HEX = re.compile(r"#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})")
_WHOLE_TEXT = re.compile(r"-?[0-9]{1,12}")
# Characters that draw nothing on their own: controls, formatting (zero-width space and joiners,
# the byte-order mark), blanks, combining marks with nothing to sit on, and unassigned or
# surrogate code points; plus the letters and symbols that render as blanks.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cn", "Cs", "Zs", "Zl", "Zp", "Mn", "Me"})
_BLANK_GLYPHS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def parse_text(field: str, raw: object, low: int, high: int) -> str:
    """Text of `low` to `high` characters once surrounding blanks are trimmed."""
    if not isinstance(raw, str):
        raise InvalidInput.for_field(field, f"{field} must be a string")
    text = raw.strip()
    if not is_storable_text(text):
        raise InvalidInput.for_field(field, f"{field} must not contain NUL or invalid characters")
    if not low <= len(text) <= high:
        raise InvalidInput.for_field(field, f"{field} must be {low} to {high} characters long")
    return text


def parse_catalogue_text(field: str, raw: object, low: int, high: int) -> str:
    """Text a shopper searches (product names, descriptions, categories, and the search itself):
    in NFC, so "é" written as one character or as "e" and an accent is the same text, and with
    something visible unless empty."""
    text = unicodedata.normalize("NFC", parse_text(field, raw, 0, high))
    if text and not any(_is_visible(char) for char in text):
        raise InvalidInput.for_field(field, f"{field} must contain a visible character")
    if not low <= len(text) <= high:
        raise InvalidInput.for_field(field, f"{field} must be {low} to {high} characters long")
    return text


def _is_visible(char: str) -> bool:
    return char not in _BLANK_GLYPHS and unicodedata.category(char) not in _INVISIBLE_CATEGORIES


def is_storable_text(text: str) -> bool:
    """Text every database can keep: no NUL character, no unpaired surrogate."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def read_whole(field: str, text: str) -> int:
    """A whole number written in ASCII decimal digits, with an optional minus sign: no blanks,
    no plus sign, no other digits, no fraction or exponent."""
    if not _WHOLE_TEXT.fullmatch(text):
        raise InvalidInput.for_field(field, f"{field} must be a whole number")
    return int(text)


def parse_whole(field: str, raw: object, low: int, high: int) -> int:
    """An integer in [low, high] (a JSON integer; never a boolean, a float or text)."""
    if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
        raise InvalidInput.for_field(field, f"{field} must be a whole number from {low} to {high}")
    return raw


def parse_choice(field: str, raw: object, kind: type[E]) -> E:
    if isinstance(raw, str) and raw in kind._value2member_map_:
        return kind(raw)
    allowed = ", ".join(member.value for member in kind)
    raise InvalidInput.for_field(field, f"{field} must be one of {allowed}")


def parse_hex(field: str, raw: object) -> str:
    if not isinstance(raw, str) or not _HEX.fullmatch(raw):
        raise InvalidInput.for_field(field, f"{field} must be #RGB or #RRGGBB")
    return raw.lower()

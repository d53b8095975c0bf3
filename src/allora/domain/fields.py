"""Field parsers shared by several entities: text, whole numbers, choices and colours."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import TypeVar

from allora.domain.errors import InvalidInput

E = TypeVar("E", bound=StrEnum)

_HEX = re.compile(r"#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})")
_DIGITS = re.compile(r"-?[0-9]{1,12}")


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


def is_storable_text(text: str) -> bool:
    """Text every database can keep: no NUL character, no unpaired surrogate."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def parse_whole(field: str, raw: object, low: int, high: int) -> int:
    """An integer in [low, high]; multipart text fields carry it as decimal digits."""
    if isinstance(raw, str) and _DIGITS.fullmatch(raw.strip()):
        raw = int(raw.strip())
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

"""Reading ids clients send back: opaque strings that name a row or nothing."""

from __future__ import annotations

from uuid import UUID

from allora.domain.errors import InvalidInput


def parse_id(field: str, raw: object) -> UUID | None:
    """A string is required (400 otherwise); one that is not a UUID names nothing (None)."""
    if not isinstance(raw, str):
        raise InvalidInput.for_field(field, f"{field} must be a string")
    try:
        return UUID(raw)
    except ValueError:
        return None

"""Reading ids clients send back: opaque strings that name a row or nothing."""

from __future__ import annotations

from uuid import UUID


def parse_id(text: str) -> UUID | None:
    """The id `text` names, or None when it is no id of ours (so: nothing, a 404)."""
    try:
        return UUID(text)
    except ValueError:
        return None

"""Paging of list endpoints: `limit` 1-200 (default 50) and a non-negative `offset`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from allora.domain.errors import InvalidInput

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_OFFSET = 2**31 - 1


@dataclass(frozen=True, slots=True)
class Page:
    limit: int = DEFAULT_LIMIT
    offset: int = 0

    @classmethod
    def parse(cls, limit: int, offset: int) -> Page:
        failures = []
        if not 1 <= limit <= MAX_LIMIT:
            failures.append(
                InvalidInput.for_field("limit", f"limit must be between 1 and {MAX_LIMIT}")
            )
        if not 0 <= offset <= MAX_OFFSET:
            failures.append(
                InvalidInput.for_field("offset", f"offset must be between 0 and {MAX_OFFSET}")
            )
        if failures:
            raise InvalidInput.combine(failures)
        return cls(limit, offset)


@dataclass(frozen=True, slots=True)
class Paged(Generic[T]):
    """One page of items and the total the whole listing would have."""

    items: list[T]
    total: int

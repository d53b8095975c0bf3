"""The real clock and id source."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from uuid_utils.compat import uuid7


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def new_id() -> UUID:
    """UUIDv7: unguessable and time-ordered, so new rows land at the end of the index."""
    return uuid7()

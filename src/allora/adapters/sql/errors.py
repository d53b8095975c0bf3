"""Reading database constraint failures, the same way for asyncpg and SQLite."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError

from allora.domain.errors import NotFound

_UNIQUE_VIOLATION = "23505"
_FOREIGN_KEY_VIOLATION = "23503"
_SQLITE_UNIQUE = "UNIQUE constraint failed:"


def violated_unique(error: IntegrityError) -> str | None:
    """The broken unique constraint as `table.column`, or None for any other failure.

    PostgreSQL reports the constraint's name (`uq_<table>_<column>` by the naming convention),
    SQLite the columns; both are brought to one form.
    """
    original = error.orig
    cause = getattr(original, "__cause__", None) or original
    if getattr(cause, "sqlstate", None) == _UNIQUE_VIOLATION:
        name = str(getattr(cause, "constraint_name", "") or "")
        table = str(getattr(cause, "table_name", "") or "")
        if name.startswith(f"uq_{table}_"):
            return f"{table}.{name.removeprefix(f'uq_{table}_')}"
        return name or None
    message = str(original)
    if _SQLITE_UNIQUE in message:
        return message.split(_SQLITE_UNIQUE, 1)[1].split(",")[0].strip()
    return None


def violated_foreign_key(error: IntegrityError) -> bool:
    """True when a row referred to (a product, a discount) was deleted meanwhile."""
    original = error.orig
    cause = getattr(original, "__cause__", None) or original
    if getattr(cause, "sqlstate", None) == _FOREIGN_KEY_VIOLATION:
        return True
    return "FOREIGN KEY constraint failed" in str(original)


@contextmanager
def missing_parent_is(not_found: Callable[[], NotFound]) -> Iterator[None]:
    """Turns a foreign-key failure into `not_found()`: the parent vanished mid-request."""
    try:
        yield
    except IntegrityError as error:
        if violated_foreign_key(error):
            raise not_found() from error
        raise

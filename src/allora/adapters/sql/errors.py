"""Reading database constraint failures, the same way for asyncpg and SQLite."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

_UNIQUE_VIOLATION = "23505"
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

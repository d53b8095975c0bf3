"""How Alembic compares the tables with a database, shared by env.py and the schema test."""

from __future__ import annotations

from typing import Any

from advanced_alchemy.types import GUID

from allora.adapters.sql.types import Money


def compare_type(
    _context: Any, _inspected: Any, _column: Any, _db_type: Any, model_type: Any
) -> bool | None:
    """GUID and Money columns reflect as another type per database: not a change."""
    return False if isinstance(model_type, GUID | Money) else None

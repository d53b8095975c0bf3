"""How Alembic compares the tables with a database, shared by env.py and the schema test."""

from __future__ import annotations

from typing import Any

from advanced_alchemy.types import GUID

from allora.adapters.sql.types import Money

# Tables only PostgreSQL has, kept by its triggers and read by plain SQL (no ORM model).
POSTGRES_READ_MODELS = frozenset({"product_documents"})


def compare_type(
    _context: Any, _inspected: Any, _column: Any, _db_type: Any, model_type: Any
) -> bool | None:
    """GUID and Money columns reflect as another type per database: not a change."""
    return False if isinstance(model_type, GUID | Money) else None


def include_name(name: str | None, type_: str, _parents: Any) -> bool:
    """The read models of `POSTGRES_READ_MODELS` are the migrations' alone: not compared."""
    return not (type_ == "table" and name in POSTGRES_READ_MODELS)

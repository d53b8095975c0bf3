"""How Alembic compares the tables with a database, shared by env.py and the schema test."""

from __future__ import annotations

from typing import Any

from advanced_alchemy.types import GUID

from allora.adapters.sql.types import Money

# What only PostgreSQL has, kept by its triggers or generated, and read by plain SQL (no ORM
# model): the product documents (migration 0012) and the folded search text (migration 0013).
POSTGRES_READ_MODELS = frozenset({"product_documents"})
POSTGRES_READ_PARTS = frozenset(
    ("products", name)
    for name in (
        "name_folded",
        "description_folded",
        "ix_products_name_folded_trgm",
        "ix_products_description_folded_trgm",
    )
)


def compare_type(
    _context: Any, _inspected: Any, _column: Any, _db_type: Any, model_type: Any
) -> bool | None:
    """GUID and Money columns reflect as another type per database: not a change."""
    return False if isinstance(model_type, GUID | Money) else None


def include_name(name: str | None, type_: str, parents: Any) -> bool:
    """PostgreSQL's read models are the migrations' alone: not compared."""
    if type_ == "table":
        return name not in POSTGRES_READ_MODELS
    return (parents.get("table_name"), name) not in POSTGRES_READ_PARTS

"""catalogue text in NFC: product names, descriptions and categories written before the domain
normalised them are normalised here, so a search (normalised too) finds them whichever way their
accents were encoded. PostgreSQL keeps its trigram indexes usable this way (a search on
`normalize(name)` could not use them). The downgrade keeps the normalised text: it is the same
text to a reader.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 14:45:00
"""

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = ("name", "description", "category")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        assignments = ", ".join(f"{c} = normalize({c}, NFC)" for c in _COLUMNS)
        changed = " OR ".join(f"{c} IS NOT NFC NORMALIZED" for c in _COLUMNS)
        op.execute(f"UPDATE products SET {assignments} WHERE {changed}")  # noqa: S608
        return
    rows = bind.execute(sa.text("SELECT id, name, description, category FROM products"))
    update = sa.text(
        "UPDATE products SET name = :name, description = :description, category = :category"
        " WHERE id = :id"
    )
    for row in rows.mappings().all():
        normal = {c: unicodedata.normalize("NFC", row[c]) for c in _COLUMNS}
        if any(normal[c] != row[c] for c in _COLUMNS):
            bind.execute(update, {**normal, "id": row["id"]})


def downgrade() -> None:
    """Nothing to undo: NFC text reads as the text it was."""

"""folded search text: products' names and descriptions kept in lower case, for `q`

A text search on PostgreSQL matched `name ILIKE pattern OR description ILIKE pattern` row by
row, and ILIKE lowers both texts of every row it tries (about 1.2 µs a row here): two thirds of
a common word's page. `lower(text) LIKE lower(pattern)` is what ILIKE does; storing the lowered
texts (generated columns, so no writer can forget them) leaves a plain LIKE per row (0.16 µs),
with trigram indexes of their own for the searches that collect their matches. The original
trigram indexes stay for the repository's ILIKE search (`SqlProductRepository.search`).

SQLite keeps nothing of this: its searches run in Python-registered functions anyway.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 17:50:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = ("name", "description")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    added = ", ".join(
        f"ADD COLUMN {c}_folded text GENERATED ALWAYS AS (lower({c})) STORED" for c in _COLUMNS
    )
    op.execute(f"ALTER TABLE products {added}")
    for column in _COLUMNS:
        op.execute(
            f"CREATE INDEX ix_products_{column}_folded_trgm ON products"
            f" USING gin ({column}_folded gin_trgm_ops)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in _COLUMNS:
        op.execute(f"DROP INDEX ix_products_{column}_folded_trgm")
    op.execute("ALTER TABLE products " + ", ".join(f"DROP COLUMN {c}_folded" for c in _COLUMNS))

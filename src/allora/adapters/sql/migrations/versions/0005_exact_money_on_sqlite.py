"""exact money on SQLite: prices as whole cents (PostgreSQL keeps NUMERIC)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 13:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PRICES = (("products", False), ("product_variants", True))


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table, nullable in _PRICES:
        op.execute(f"UPDATE {table} SET price = CAST(ROUND(price * 100) AS INTEGER)")  # noqa: S608
        with op.batch_alter_table(table) as batch:
            batch.alter_column(
                "price",
                type_=sa.BigInteger(),
                existing_type=sa.Numeric(12, 2),
                existing_nullable=nullable,
            )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table, nullable in _PRICES:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(
                "price",
                type_=sa.Numeric(12, 2),
                existing_type=sa.BigInteger(),
                existing_nullable=nullable,
            )
        op.execute(f"UPDATE {table} SET price = price / 100.0")  # noqa: S608

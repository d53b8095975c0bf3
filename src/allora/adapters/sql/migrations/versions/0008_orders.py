"""orders: checkout, with a snapshot of each line, and redemptions that an order holds

An order keeps what was bought as it was then (name, colour, size, unit price), so its lines
name their product and variant by plain id, not by foreign key. A redemption gains the order
holding it: None while a code was only redeemed on the cart page. Stock changes by orders go
through the product and variant tables, whose triggers (migration 0006) already announce them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 11:00:00
"""

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op

from allora.adapters.sql.types import Money

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_AMOUNT = 18


def _moment(name: str) -> sa.Column[object]:
    return sa.Column(
        name, advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False
    )


def _guid(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, advanced_alchemy.types.guid.GUID(length=16), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "orders",
        _guid("id"),
        _guid("user_id"),
        sa.Column("status", sa.String(length=9), nullable=False),
        sa.Column("subtotal", Money(_AMOUNT), nullable=False),
        sa.Column("discount_code", sa.String(length=20), nullable=True),
        sa.Column("discount_percent", sa.Integer(), nullable=True),
        sa.Column("discount_amount", Money(_AMOUNT), nullable=True),
        sa.Column("shipping", Money(_AMOUNT), nullable=False),
        sa.Column("total", Money(_AMOUNT), nullable=False),
        sa.Column("billing_first_name", sa.String(length=100), nullable=False),
        sa.Column("billing_company_name", sa.String(length=100), nullable=True),
        sa.Column("billing_street_address", sa.String(length=100), nullable=False),
        sa.Column("billing_apartment", sa.String(length=100), nullable=True),
        sa.Column("billing_city", sa.String(length=100), nullable=False),
        sa.Column("billing_phone", sa.String(length=15), nullable=False),
        sa.Column("billing_email", sa.String(length=254), nullable=False),
        sa.Column("idempotency_key", sa.String(length=255), nullable=True),
        sa.Column("request_digest", sa.String(length=64), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        _moment("created_at"),
        _moment("updated_at"),
        sa.CheckConstraint(
            "status IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled')",
            name=op.f("ck_orders_status"),
        ),
        sa.CheckConstraint(
            "subtotal >= 0 AND shipping >= 0 AND total >= 0"
            " AND (discount_amount IS NULL OR discount_amount >= 0)",
            name=op.f("ck_orders_amounts"),
        ),
        sa.CheckConstraint(
            "total = subtotal - COALESCE(discount_amount, 0) + shipping",
            name=op.f("ck_orders_total"),
        ),
        sa.CheckConstraint(
            "(discount_code IS NULL) = (discount_percent IS NULL)"
            " AND (discount_code IS NULL) = (discount_amount IS NULL)"
            " AND (discount_percent IS NULL OR discount_percent BETWEEN 0 AND 100)",
            name=op.f("ck_orders_discount"),
        ),
        sa.CheckConstraint(
            "(idempotency_key IS NULL) = (request_digest IS NULL)",
            name=op.f("ck_orders_idempotency"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_orders_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders")),
        sa.UniqueConstraint("user_id", "idempotency_key", name="uq_orders_idempotency"),
    )
    with op.batch_alter_table("orders") as batch_op:
        batch_op.create_index("ix_orders_created", ["created_at", "id"], unique=False)
        batch_op.create_index(
            "ix_orders_status_created", ["status", "created_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_orders_user_created", ["user_id", "created_at", "id"], unique=False
        )
    op.create_table(
        "order_lines",
        _guid("order_id"),
        sa.Column("position", sa.Integer(), nullable=False),
        _guid("product_id"),
        _guid("variant_id", nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("color_name", sa.String(length=10), nullable=True),
        sa.Column("color_hex", sa.String(length=7), nullable=True),
        sa.Column("size", sa.String(length=3), nullable=True),
        sa.Column("unit_price", Money(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("line_total", Money(_AMOUNT), nullable=False),
        sa.CheckConstraint(
            "line_total = unit_price * quantity", name=op.f("ck_order_lines_line_total")
        ),
        sa.CheckConstraint("quantity BETWEEN 1 AND 99", name=op.f("ck_order_lines_quantity")),
        sa.CheckConstraint("unit_price >= 0", name=op.f("ck_order_lines_unit_price")),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name=op.f("fk_order_lines_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("order_id", "position", name=op.f("pk_order_lines")),
    )
    with op.batch_alter_table("discount_redemptions") as batch_op:
        batch_op.add_column(_guid("order_id", nullable=True))
        batch_op.create_index(
            batch_op.f("ix_discount_redemptions_order_id"), ["order_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_discount_redemptions_order_id_orders"),
            "orders",
            ["order_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("discount_redemptions") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_discount_redemptions_order_id_orders"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_discount_redemptions_order_id"))
        batch_op.drop_column("order_id")
    op.drop_table("order_lines")
    with op.batch_alter_table("orders") as batch_op:
        batch_op.drop_index("ix_orders_user_created")
        batch_op.drop_index("ix_orders_status_created")
        batch_op.drop_index("ix_orders_created")
    op.drop_table("orders")

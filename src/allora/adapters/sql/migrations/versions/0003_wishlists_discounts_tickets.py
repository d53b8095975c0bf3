"""wishlists, discount codes with their redemptions, support tickets

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 12:38:49.554400
"""

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "discounts",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=False),
        sa.Column("max_use", sa.Integer(), nullable=False),
        sa.Column("uses", sa.Integer(), nullable=False),
        sa.Column(
            "starts_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True
        ),
        sa.Column(
            "ends_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True
        ),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column(
            "created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False
        ),
        sa.CheckConstraint("max_use >= 1", name=op.f("ck_discounts_max_use")),
        sa.CheckConstraint("percent BETWEEN 0 AND 100", name=op.f("ck_discounts_percent")),
        sa.CheckConstraint("uses >= 0 AND uses <= max_use", name=op.f("ck_discounts_uses")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discounts")),
        sa.UniqueConstraint("code", name=op.f("uq_discounts_code")),
    )
    op.create_table(
        "discount_redemptions",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("discount_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("user_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column(
            "redeemed_at",
            advanced_alchemy.types.datetime.DateTimeUTC(timezone=True),
            nullable=False,
        ),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["discount_id"],
            ["discounts.id"],
            name=op.f("fk_discount_redemptions_discount_id_discounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_discount_redemptions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discount_redemptions")),
        sa.UniqueConstraint("discount_id", "user_id", name="uq_redemption_once"),
    )
    with op.batch_alter_table("discount_redemptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_discount_redemptions_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "tickets",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("phone", sa.String(length=15), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("user_id", advanced_alchemy.types.guid.GUID(length=16), nullable=True),
        sa.Column("has_answer", sa.Boolean(), nullable=False),
        sa.Column("main_ticket_id", advanced_alchemy.types.guid.GUID(length=16), nullable=True),
        sa.Column(
            "created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False
        ),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["main_ticket_id"],
            ["tickets.id"],
            name=op.f("fk_tickets_main_ticket_id_tickets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_tickets_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tickets")),
    )
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.create_index(
            "ix_tickets_main_created", ["main_ticket_id", "created_at"], unique=False
        )
        batch_op.create_index("ix_tickets_user_created", ["user_id", "created_at"], unique=False)

    op.create_table(
        "wishlist_items",
        sa.Column("user_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("product_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column(
            "added_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_wishlist_items_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_wishlist_items_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "product_id", name=op.f("pk_wishlist_items")),
    )
    with op.batch_alter_table("wishlist_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_wishlist_items_product_id"), ["product_id"], unique=False
        )
        batch_op.create_index("ix_wishlist_items_user_added", ["user_id", "added_at"], unique=False)

    with op.batch_alter_table("bans", schema=None) as batch_op:
        batch_op.alter_column(
            "id",
            existing_type=sa.NUMERIC(precision=16),
            type_=advanced_alchemy.types.guid.GUID(length=16),
            existing_nullable=False,
        )

    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.alter_column(
            "id",
            existing_type=sa.NUMERIC(precision=16),
            type_=advanced_alchemy.types.guid.GUID(length=16),
            existing_nullable=False,
        )
        batch_op.alter_column(
            "product_id",
            existing_type=sa.NUMERIC(precision=16),
            type_=advanced_alchemy.types.guid.GUID(length=16),
            existing_nullable=False,
        )
        batch_op.alter_column(
            "author_id",
            existing_type=sa.NUMERIC(precision=16),
            type_=advanced_alchemy.types.guid.GUID(length=16),
            existing_nullable=True,
        )

    with op.batch_alter_table("product_images", schema=None) as batch_op:
        batch_op.alter_column(
            "id",
            existing_type=sa.NUMERIC(precision=16),
            type_=advanced_alchemy.types.guid.GUID(length=16),
            existing_nullable=False,
        )
        batch_op.alter_column(
            "product_id",
            existing_type=sa.NUMERIC(precision=16),
            type_=advanced_alchemy.types.guid.GUID(length=16),
            existing_nullable=False,
        )

    with op.batch_alter_table("product_variants", schema=None) as batch_op:
        batch_op.alter_column(
            "id",
            existing_type=sa.NUMERIC(precision=16),
            type_=advanced_alchemy.types.guid.GUID(length=16),
            existing_nullable=False,
        )
        batch_op.alter_column(
            "product_id",
            existing_type=sa.NUMERIC(precision=16),
            type_=advanced_alchemy.types.guid.GUID(length=16),
            existing_nullable=False,
        )

    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.alter_column(
            "id",
            existing_type=sa.NUMERIC(precision=16),
            type_=advanced_alchemy.types.guid.GUID(length=16),
            existing_nullable=False,
        )

    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.alter_column(
            "id",
            existing_type=sa.NUMERIC(precision=16),
            type_=advanced_alchemy.types.guid.GUID(length=16),
            existing_nullable=False,
        )
        batch_op.alter_column(
            "user_id",
            existing_type=sa.NUMERIC(precision=16),
            type_=advanced_alchemy.types.guid.GUID(length=16),
            existing_nullable=False,
        )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column(
            "id",
            existing_type=sa.NUMERIC(precision=16),
            type_=advanced_alchemy.types.guid.GUID(length=16),
            existing_nullable=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column(
            "id",
            existing_type=advanced_alchemy.types.guid.GUID(length=16),
            type_=sa.NUMERIC(precision=16),
            existing_nullable=False,
        )

    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.alter_column(
            "user_id",
            existing_type=advanced_alchemy.types.guid.GUID(length=16),
            type_=sa.NUMERIC(precision=16),
            existing_nullable=False,
        )
        batch_op.alter_column(
            "id",
            existing_type=advanced_alchemy.types.guid.GUID(length=16),
            type_=sa.NUMERIC(precision=16),
            existing_nullable=False,
        )

    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.alter_column(
            "id",
            existing_type=advanced_alchemy.types.guid.GUID(length=16),
            type_=sa.NUMERIC(precision=16),
            existing_nullable=False,
        )

    with op.batch_alter_table("product_variants", schema=None) as batch_op:
        batch_op.alter_column(
            "product_id",
            existing_type=advanced_alchemy.types.guid.GUID(length=16),
            type_=sa.NUMERIC(precision=16),
            existing_nullable=False,
        )
        batch_op.alter_column(
            "id",
            existing_type=advanced_alchemy.types.guid.GUID(length=16),
            type_=sa.NUMERIC(precision=16),
            existing_nullable=False,
        )

    with op.batch_alter_table("product_images", schema=None) as batch_op:
        batch_op.alter_column(
            "product_id",
            existing_type=advanced_alchemy.types.guid.GUID(length=16),
            type_=sa.NUMERIC(precision=16),
            existing_nullable=False,
        )
        batch_op.alter_column(
            "id",
            existing_type=advanced_alchemy.types.guid.GUID(length=16),
            type_=sa.NUMERIC(precision=16),
            existing_nullable=False,
        )

    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.alter_column(
            "author_id",
            existing_type=advanced_alchemy.types.guid.GUID(length=16),
            type_=sa.NUMERIC(precision=16),
            existing_nullable=True,
        )
        batch_op.alter_column(
            "product_id",
            existing_type=advanced_alchemy.types.guid.GUID(length=16),
            type_=sa.NUMERIC(precision=16),
            existing_nullable=False,
        )
        batch_op.alter_column(
            "id",
            existing_type=advanced_alchemy.types.guid.GUID(length=16),
            type_=sa.NUMERIC(precision=16),
            existing_nullable=False,
        )

    with op.batch_alter_table("bans", schema=None) as batch_op:
        batch_op.alter_column(
            "id",
            existing_type=advanced_alchemy.types.guid.GUID(length=16),
            type_=sa.NUMERIC(precision=16),
            existing_nullable=False,
        )

    with op.batch_alter_table("wishlist_items", schema=None) as batch_op:
        batch_op.drop_index("ix_wishlist_items_user_added")
        batch_op.drop_index(batch_op.f("ix_wishlist_items_product_id"))

    op.drop_table("wishlist_items")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_tickets_user_created")
        batch_op.drop_index("ix_tickets_main_created")

    op.drop_table("tickets")
    with op.batch_alter_table("discount_redemptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_discount_redemptions_user_id"))

    op.drop_table("discount_redemptions")
    op.drop_table("discounts")

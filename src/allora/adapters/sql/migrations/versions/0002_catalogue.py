"""catalogue: products, their images and variants, comments

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 12:30:25.762929
"""

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "products",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("price", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("stock", sa.Integer(), nullable=False),
        sa.Column("discount", sa.Integer(), nullable=False),
        sa.Column("score", sa.Numeric(precision=3, scale=2), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column(
            "created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False
        ),
        sa.CheckConstraint("discount BETWEEN 0 AND 100", name=op.f("ck_products_discount")),
        sa.CheckConstraint("price > 0", name=op.f("ck_products_price_positive")),
        sa.CheckConstraint("score BETWEEN 0 AND 5", name=op.f("ck_products_score")),
        sa.CheckConstraint("stock >= 0", name=op.f("ck_products_stock")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
    )
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.create_index(
            "ix_products_category_created", ["category", "created_at", "id"], unique=False
        )
        batch_op.create_index("ix_products_created", ["created_at", "id"], unique=False)
        batch_op.create_index("ix_products_price", ["price", "id"], unique=False)
        batch_op.create_index("ix_products_score", ["score", "id"], unique=False)

    op.create_table(
        "comments",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("product_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("author_id", advanced_alchemy.types.guid.GUID(length=16), nullable=True),
        sa.Column("username", sa.String(length=50), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column(
            "created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False
        ),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'accepted', 'rejected')", name=op.f("ck_comments_status")
        ),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name=op.f("ck_comments_score")),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_comments_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_comments_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comments")),
    )
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_comments_product_status", ["product_id", "status", "created_at"], unique=False
        )
        batch_op.create_index("ix_comments_status_created", ["status", "created_at"], unique=False)

    op.create_table(
        "product_images",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("product_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_product_images_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_images")),
    )
    with op.batch_alter_table("product_images", schema=None) as batch_op:
        batch_op.create_index("ix_product_images_product", ["product_id", "position"], unique=False)

    op.create_table(
        "product_variants",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("product_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("color_name", sa.String(length=10), nullable=True),
        sa.Column("color_hex", sa.String(length=7), nullable=True),
        sa.Column("size", sa.String(length=3), nullable=True),
        sa.Column("stock", sa.Integer(), nullable=True),
        sa.Column("price", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.CheckConstraint("price IS NULL OR price >= 0", name=op.f("ck_product_variants_price")),
        sa.CheckConstraint("stock IS NULL OR stock >= 0", name=op.f("ck_product_variants_stock")),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_product_variants_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_variants")),
    )
    with op.batch_alter_table("product_variants", schema=None) as batch_op:
        batch_op.create_index(
            "ix_product_variants_product", ["product_id", "position"], unique=False
        )

    with op.batch_alter_table("bans", schema=None) as batch_op:
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

    with op.batch_alter_table("bans", schema=None) as batch_op:
        batch_op.alter_column(
            "id",
            existing_type=advanced_alchemy.types.guid.GUID(length=16),
            type_=sa.NUMERIC(precision=16),
            existing_nullable=False,
        )

    with op.batch_alter_table("product_variants", schema=None) as batch_op:
        batch_op.drop_index("ix_product_variants_product")

    op.drop_table("product_variants")
    with op.batch_alter_table("product_images", schema=None) as batch_op:
        batch_op.drop_index("ix_product_images_product")

    op.drop_table("product_images")
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index("ix_comments_status_created")
        batch_op.drop_index("ix_comments_product_status")

    op.drop_table("comments")
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_index("ix_products_score")
        batch_op.drop_index("ix_products_price")
        batch_op.drop_index("ix_products_created")
        batch_op.drop_index("ix_products_category_created")

    op.drop_table("products")

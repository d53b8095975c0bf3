"""The schema, on advanced-alchemy's bases (UUIDv7 keys, UTC datetimes, named constraints).

Changes reach a database only through the Alembic migrations beside this module.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from advanced_alchemy.base import DefaultBase, UUIDv7AuditBase, UUIDv7Base, orm_registry
from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from allora.adapters.sql.types import Money

metadata = orm_registry.metadata


class UserRow(UUIDv7AuditBase):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('USER', 'ADMIN')", name="role"),
        Index("ix_users_role", "role", "banned"),
    )

    name: Mapped[str] = mapped_column(String(15), unique=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    phone: Mapped[str] = mapped_column(String(15), unique=True)
    role: Mapped[str] = mapped_column(String(5))
    password_hash: Mapped[str] = mapped_column(String(255))
    banned: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))


class SessionRow(UUIDv7Base):
    __tablename__ = "sessions"

    user_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class BanRow(UUIDv7AuditBase):
    __tablename__ = "bans"
    __table_args__ = (CheckConstraint("email IS NOT NULL OR phone IS NOT NULL", name="target"),)

    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(15), index=True)


class ShopRow(DefaultBase):
    """A single row: whether the first account (the founding ADMIN) has been created."""

    __tablename__ = "shop"
    __table_args__ = (CheckConstraint("id = 1", name="singleton"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    first_account_claimed: Mapped[bool] = mapped_column(Boolean)


class ProductRow(UUIDv7AuditBase):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("price > 0", name="price_positive"),
        CheckConstraint("stock >= 0", name="stock"),
        CheckConstraint("discount BETWEEN 0 AND 100", name="discount"),
        CheckConstraint("score BETWEEN 0 AND 5", name="score"),
        Index("ix_products_created", "created_at", "id"),
        Index("ix_products_category_created", "category", "created_at", "id"),
        Index("ix_products_price", "price", "id"),
        Index("ix_products_score", "score", "id"),
        # Trigram indexes serve `q` (ILIKE '%text%') on PostgreSQL; plain indexes on SQLite.
        Index(
            "ix_products_name_trgm",
            "name",
            postgresql_using="gin",
            postgresql_ops={"name": "gin_trgm_ops"},
        ),
        Index(
            "ix_products_description_trgm",
            "description",
            postgresql_using="gin",
            postgresql_ops={"description": "gin_trgm_ops"},
        ),
    )

    name: Mapped[str] = mapped_column(String(200))
    price: Mapped[Decimal] = mapped_column(Money())
    description: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(100))
    stock: Mapped[int] = mapped_column(Integer)
    discount: Mapped[int] = mapped_column(Integer)
    score: Mapped[Decimal] = mapped_column(Numeric(3, 2), default=Decimal("0"))


class ProductTotalRow(DefaultBase):
    """A single row: how many products there are, kept by triggers (migration 0007)."""

    __tablename__ = "product_totals"
    __table_args__ = (CheckConstraint("id = 1", name="singleton"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    products: Mapped[int] = mapped_column(BigInteger)


class CategoryTotalRow(DefaultBase):
    """How many products each category has, kept by triggers (migration 0007)."""

    __tablename__ = "category_totals"

    category: Mapped[str] = mapped_column(String(100), primary_key=True)
    products: Mapped[int] = mapped_column(BigInteger)


class ProductImageRow(UUIDv7Base):
    __tablename__ = "product_images"
    __table_args__ = (Index("ix_product_images_product", "product_id", "position"),)

    product_id: Mapped[UUID] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(100))


class ProductVariantRow(UUIDv7Base):
    __tablename__ = "product_variants"
    __table_args__ = (
        Index("ix_product_variants_product", "product_id", "position"),
        CheckConstraint("stock IS NULL OR stock >= 0", name="stock"),
        CheckConstraint("price IS NULL OR price >= 0", name="price"),
    )

    product_id: Mapped[UUID] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    color_name: Mapped[str | None] = mapped_column(String(10))
    color_hex: Mapped[str | None] = mapped_column(String(7))
    size: Mapped[str | None] = mapped_column(String(3))
    stock: Mapped[int | None] = mapped_column(Integer)
    price: Mapped[Decimal | None] = mapped_column(Money())


class CommentRow(UUIDv7Base):
    __tablename__ = "comments"
    __table_args__ = (
        CheckConstraint("score BETWEEN 1 AND 5", name="score"),
        CheckConstraint("status IN ('pending', 'accepted', 'rejected')", name="status"),
        Index("ix_comments_product_status", "product_id", "status", "created_at"),
        Index("ix_comments_status_created", "status", "created_at"),
    )

    product_id: Mapped[UUID] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    author_id: Mapped[UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    username: Mapped[str] = mapped_column(String(50))
    email: Mapped[str] = mapped_column(String(254))
    body: Mapped[str] = mapped_column(Text)
    score: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class WishlistRow(DefaultBase):
    __tablename__ = "wishlist_items"
    __table_args__ = (Index("ix_wishlist_items_user_added", "user_id", "added_at"),)

    user_id: Mapped[UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    product_id: Mapped[UUID] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class DiscountRow(UUIDv7AuditBase):
    __tablename__ = "discounts"
    __table_args__ = (
        CheckConstraint("percent BETWEEN 0 AND 100", name="percent"),
        CheckConstraint("max_use >= 1", name="max_use"),
        CheckConstraint("uses >= 0 AND uses <= max_use", name="uses"),
    )

    code: Mapped[str] = mapped_column(String(20), unique=True)
    percent: Mapped[int] = mapped_column(Integer)
    max_use: Mapped[int] = mapped_column(Integer)
    uses: Mapped[int] = mapped_column(Integer, default=0)
    starts_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    ends_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))


class RedemptionRow(UUIDv7Base):
    __tablename__ = "discount_redemptions"
    __table_args__ = (UniqueConstraint("discount_id", "user_id", name="uq_redemption_once"),)

    discount_id: Mapped[UUID] = mapped_column(ForeignKey("discounts.id", ondelete="CASCADE"))
    user_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    redeemed_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    # The order holding this redemption; None while it was only redeemed on the cart page.
    order_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("orders.id", ondelete="SET NULL"), index=True
    )


ORDER_AMOUNT_DIGITS = 18  # 50 lines x 99 units x a price below a billion, and room to spare


class OrderRow(UUIDv7AuditBase):
    """An order with its totals, the code as it applied, and the billing details as sent."""

    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled')", name="status"
        ),
        CheckConstraint(
            "subtotal >= 0 AND shipping >= 0 AND total >= 0"
            " AND (discount_amount IS NULL OR discount_amount >= 0)",
            name="amounts",
        ),
        CheckConstraint("total = subtotal - COALESCE(discount_amount, 0) + shipping", name="total"),
        CheckConstraint(
            "(discount_code IS NULL) = (discount_percent IS NULL)"
            " AND (discount_code IS NULL) = (discount_amount IS NULL)"
            " AND (discount_percent IS NULL OR discount_percent BETWEEN 0 AND 100)",
            name="discount",
        ),
        CheckConstraint("(idempotency_key IS NULL) = (request_digest IS NULL)", name="idempotency"),
        UniqueConstraint("user_id", "idempotency_key", name="uq_orders_idempotency"),
        Index("ix_orders_user_created", "user_id", "created_at", "id"),
        Index("ix_orders_status_created", "status", "created_at", "id"),
        Index("ix_orders_created", "created_at", "id"),
    )

    user_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(9))
    subtotal: Mapped[Decimal] = mapped_column(Money(ORDER_AMOUNT_DIGITS))
    discount_code: Mapped[str | None] = mapped_column(String(20))
    discount_percent: Mapped[int | None] = mapped_column(Integer)
    discount_amount: Mapped[Decimal | None] = mapped_column(Money(ORDER_AMOUNT_DIGITS))
    shipping: Mapped[Decimal] = mapped_column(Money(ORDER_AMOUNT_DIGITS))
    total: Mapped[Decimal] = mapped_column(Money(ORDER_AMOUNT_DIGITS))
    billing_first_name: Mapped[str] = mapped_column(String(100))
    billing_company_name: Mapped[str | None] = mapped_column(String(100))
    billing_street_address: Mapped[str] = mapped_column(String(100))
    billing_apartment: Mapped[str | None] = mapped_column(String(100))
    billing_city: Mapped[str] = mapped_column(String(100))
    billing_phone: Mapped[str] = mapped_column(String(15))
    billing_email: Mapped[str] = mapped_column(String(254))
    idempotency_key: Mapped[str | None] = mapped_column(String(255))
    request_digest: Mapped[str | None] = mapped_column(String(64))


class OrderLineRow(DefaultBase):
    """One line as bought. Its product and variant are plain ids, not foreign keys: the line
    outlives them, and restocking a cancelled order skips what no longer exists."""

    __tablename__ = "order_lines"
    __table_args__ = (
        CheckConstraint("quantity BETWEEN 1 AND 99", name="quantity"),
        CheckConstraint("unit_price >= 0", name="unit_price"),
        CheckConstraint("line_total = unit_price * quantity", name="line_total"),
    )

    order_id: Mapped[UUID] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[UUID] = mapped_column(GUID(length=16))
    variant_id: Mapped[UUID | None] = mapped_column(GUID(length=16))
    name: Mapped[str] = mapped_column(String(200))
    color_name: Mapped[str | None] = mapped_column(String(10))
    color_hex: Mapped[str | None] = mapped_column(String(7))
    size: Mapped[str | None] = mapped_column(String(3))
    unit_price: Mapped[Decimal] = mapped_column(Money())
    quantity: Mapped[int] = mapped_column(Integer)
    line_total: Mapped[Decimal] = mapped_column(Money(ORDER_AMOUNT_DIGITS))


class TicketRow(UUIDv7Base):
    __tablename__ = "tickets"
    __table_args__ = (
        Index("ix_tickets_main_created", "main_ticket_id", "created_at"),
        Index("ix_tickets_user_created", "user_id", "created_at"),
    )

    name: Mapped[str] = mapped_column(String(100))
    message: Mapped[str] = mapped_column(Text)
    phone: Mapped[str] = mapped_column(String(15))
    email: Mapped[str] = mapped_column(String(254))
    user_id: Mapped[UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    has_answer: Mapped[bool] = mapped_column(Boolean, default=False)
    main_ticket_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class BillingRow(DefaultBase):
    """A user's one saved set of billing details (the checkout form's fields)."""

    __tablename__ = "billing_details"

    user_id: Mapped[UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    first_name: Mapped[str] = mapped_column(String(100))
    company_name: Mapped[str | None] = mapped_column(String(100))
    street_address: Mapped[str] = mapped_column(String(100))
    apartment: Mapped[str | None] = mapped_column(String(100))
    city: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(15))
    email: Mapped[str] = mapped_column(String(254))
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class PasswordResetRow(DefaultBase):
    """A user's live reset code, as a keyed digest only (never the code)."""

    __tablename__ = "password_resets"
    __table_args__ = (CheckConstraint("failures BETWEEN 0 AND 5", name="failures"),)

    user_id: Mapped[UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    failures: Mapped[int] = mapped_column(Integer)


class OutboxRow(UUIDv7Base):
    """Mail waiting for (or done with) delivery; PostgreSQL notifies `allora_outbox` on insert
    (migration 0009)."""

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'sent', 'parked')", name="status"),
        CheckConstraint("attempts >= 0", name="attempts"),
        Index(
            "ix_outbox_pending_due",
            "due_at",
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
        Index("ix_outbox_status_created", "status", "created_at"),
    )

    recipient: Mapped[str] = mapped_column(String(254))
    recipient_name: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    due_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(7))
    last_error: Mapped[str | None] = mapped_column(String(500))
    sent_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    claim: Mapped[UUID | None] = mapped_column(GUID(length=16))

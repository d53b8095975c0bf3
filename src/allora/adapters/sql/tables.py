"""The schema, on advanced-alchemy's bases (UUIDv7 keys, UTC datetimes, named constraints).

Changes reach a database only through the Alembic migrations beside this module.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.base import DefaultBase, UUIDv7AuditBase, UUIDv7Base, orm_registry
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

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

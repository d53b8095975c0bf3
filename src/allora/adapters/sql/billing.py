"""Saved billing details in SQL: one row per user, written by an upsert."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from allora.adapters.sql.errors import missing_parent_is
from allora.adapters.sql.tables import BillingRow
from allora.domain.billing import BillingDetails
from allora.domain.users import Email, Phone, UserId, UserNotFound


class SqlBillingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: UserId) -> BillingDetails | None:
        row = await self._session.scalar(select(BillingRow).where(BillingRow.user_id == user_id))
        if row is None:
            return None
        return BillingDetails(
            first_name=row.first_name,
            company_name=row.company_name,
            street_address=row.street_address,
            apartment=row.apartment,
            city=row.city,
            phone=Phone(row.phone),
            email=Email(row.email),
        )

    async def save(self, user_id: UserId, details: BillingDetails, now: datetime) -> None:
        values: dict[str, Any] = {
            "first_name": details.first_name,
            "company_name": details.company_name,
            "street_address": details.street_address,
            "apartment": details.apartment,
            "city": details.city,
            "phone": details.phone.value,
            "email": details.email.value,
            "updated_at": now,
        }
        dialect = postgresql if self._session.get_bind().dialect.name == "postgresql" else sqlite
        statement = dialect.insert(BillingRow).values(user_id=user_id, **values)
        statement = statement.on_conflict_do_update(index_elements=["user_id"], set_=values)
        with missing_parent_is(UserNotFound):
            await self._session.execute(statement)

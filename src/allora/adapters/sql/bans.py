"""Bans in SQL."""

from __future__ import annotations

from sqlalchemy import exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from allora.adapters.sql.tables import BanRow, ShopRow
from allora.domain.bans import Ban
from allora.domain.users import Email, Phone


class SqlBanRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, ban: Ban) -> None:
        self._session.add(
            BanRow(
                email=ban.email.value if ban.email else None,
                phone=ban.phone.value if ban.phone else None,
            )
        )
        await self._session.flush()

    async def hold(self) -> None:
        """`SELECT ... FOR UPDATE` on the shop's single row (SQLite already runs one writer)."""
        await self._session.execute(select(ShopRow.id).where(ShopRow.id == 1).with_for_update())

    async def is_banned(self, email: Email, phone: Phone) -> bool:
        query = select(
            exists().where(or_(BanRow.email == email.value, BanRow.phone == phone.value))
        )
        return bool(await self._session.scalar(query))

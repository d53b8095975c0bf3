"""Password reset codes in SQL: digests only, one row per user."""

from __future__ import annotations

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from allora.adapters.sql.tables import PasswordResetRow
from allora.domain.password_reset import ResetCode
from allora.domain.users import UserId


class SqlPasswordResetRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def replace(self, code: ResetCode) -> None:
        """Delete then insert in one transaction: concurrent requests for one user queue on
        the row (PostgreSQL) or the writer lock (SQLite), and the last one's code wins."""
        await self._session.execute(
            delete(PasswordResetRow).where(PasswordResetRow.user_id == code.user_id)
        )
        await self._session.execute(
            insert(PasswordResetRow).values(
                user_id=code.user_id,
                digest=code.digest,
                created_at=code.created_at,
                expires_at=code.expires_at,
                failures=code.failures,
            )
        )

    async def lock(self, user_id: UserId) -> ResetCode | None:
        row = await self._session.scalar(
            select(PasswordResetRow).where(PasswordResetRow.user_id == user_id).with_for_update()
        )
        if row is None:
            return None
        return ResetCode(
            user_id=UserId(row.user_id),
            digest=row.digest,
            created_at=row.created_at,
            expires_at=row.expires_at,
            failures=row.failures,
        )

    async def save_failures(self, code: ResetCode) -> None:
        await self._session.execute(
            update(PasswordResetRow)
            .where(PasswordResetRow.user_id == code.user_id)
            .values(failures=code.failures)
        )

    async def remove(self, user_id: UserId) -> None:
        await self._session.execute(
            delete(PasswordResetRow).where(PasswordResetRow.user_id == user_id)
        )

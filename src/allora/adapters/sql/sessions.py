"""Sessions in SQL."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from allora.adapters.sql.tables import SessionRow, UserRow
from allora.adapters.sql.users import to_user
from allora.domain.sessions import Session, SessionId
from allora.domain.users import User, UserId


class SqlSessionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, session: Session) -> None:
        self._session.add(
            SessionRow(
                id=session.id,
                user_id=session.user_id,
                created_at=session.created_at,
                expires_at=session.expires_at,
            )
        )
        await self._session.flush()

    async def get(self, session_id: SessionId) -> tuple[Session, User] | None:
        query = (
            select(SessionRow, UserRow)
            .join(UserRow, UserRow.id == SessionRow.user_id)
            .where(SessionRow.id == session_id)
        )
        found = (await self._session.execute(query)).first()
        if found is None:
            return None
        row, user_row = found
        session = Session(
            id=SessionId(row.id),
            user_id=UserId(row.user_id),
            created_at=row.created_at,
            expires_at=row.expires_at,
        )
        return session, to_user(user_row)

    async def remove(self, session_id: SessionId) -> None:
        await self._session.execute(delete(SessionRow).where(SessionRow.id == session_id))

    async def remove_all_of(self, user_ids: list[UserId]) -> None:
        if user_ids:
            await self._session.execute(delete(SessionRow).where(SessionRow.user_id.in_(user_ids)))

    async def remove_all_but(self, user_id: UserId, keep: SessionId | None) -> None:
        statement = delete(SessionRow).where(SessionRow.user_id == user_id)
        if keep is not None:
            statement = statement.where(SessionRow.id != keep)
        await self._session.execute(statement)

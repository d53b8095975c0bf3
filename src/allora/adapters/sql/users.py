"""Users in SQL."""

from __future__ import annotations

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from allora.adapters.session_cache import Touched
from allora.adapters.sql.errors import violated_unique
from allora.adapters.sql.paging import fetch_page
from allora.adapters.sql.tables import ShopRow, UserRow
from allora.domain.bans import Ban
from allora.domain.errors import AlreadyTaken, taken_message
from allora.domain.paging import Page, Paged
from allora.domain.users import Email, Phone, Profile, Role, User, UserId, UserName

_PROFILE_FIELDS = ("name", "email", "phone")


def to_user(row: UserRow) -> User:
    return User(
        id=UserId(row.id),
        profile=Profile(UserName(row.name), Email(row.email), Phone(row.phone)),
        role=Role(row.role),
        password_hash=row.password_hash,
        created_at=row.created_at,
        banned=row.banned,
    )


def _columns(user: User) -> dict[str, object]:
    return {
        "name": user.profile.name.value,
        "email": user.profile.email.value,
        "phone": user.profile.phone.value,
        "role": user.role.value,
        "password_hash": user.password_hash,
        "banned": user.banned,
    }


class SqlUserRepository:
    """Records the users it changes in `touched`, for the unit of work to report on commit."""

    def __init__(self, session: AsyncSession, touched: Touched | None = None) -> None:
        self._session = session
        self._touched = Touched() if touched is None else touched

    async def get(self, user_id: UserId) -> User | None:
        row = await self._session.get(UserRow, user_id)
        return to_user(row) if row else None

    async def get_by_email(self, email: Email) -> User | None:
        row = await self._session.scalar(select(UserRow).where(UserRow.email == email.value))
        return to_user(row) if row else None

    async def taken_fields(self, profile: Profile, other_than: UserId | None) -> list[str]:
        wanted = {
            "name": profile.name.value,
            "email": profile.email.value,
            "phone": profile.phone.value,
        }
        query = select(UserRow.name, UserRow.email, UserRow.phone).where(
            or_(*(getattr(UserRow, field) == value for field, value in wanted.items()))
        )
        if other_than is not None:
            query = query.where(UserRow.id != other_than)
        rows = (await self._session.execute(query)).all()
        return [f for f in _PROFILE_FIELDS if any(getattr(r, f) == wanted[f] for r in rows)]

    async def add(self, user: User) -> None:
        row = UserRow(id=user.id, created_at=user.created_at, **_columns(user))
        self._session.add(row)
        await self._flush()

    async def save(self, user: User) -> None:
        self._touched.users.add(user.id)
        statement = update(UserRow).where(UserRow.id == user.id).values(**_columns(user))
        await self._flush(statement)

    async def listing(self, page: Page) -> Paged[User]:
        """Oldest first, as `ListUsers` promises: by creation time, not by the id's own order."""
        order = (UserRow.created_at, UserRow.id)
        rows, total = await fetch_page(self._session, select(UserRow), order, page)
        return Paged([to_user(row) for row in rows], total)

    async def matching(self, ban: Ban) -> list[User]:
        conditions = []
        if ban.email is not None:
            conditions.append(UserRow.email == ban.email.value)
        if ban.phone is not None:
            conditions.append(UserRow.phone == ban.phone.value)
        rows = await self._session.scalars(select(UserRow).where(or_(*conditions)))
        return [to_user(row) for row in rows]

    async def lock_active_admins(self) -> list[UserId]:
        query = (
            select(UserRow.id)
            .where(UserRow.role == Role.ADMIN.value, UserRow.banned.is_(False))
            .order_by(UserRow.id)
            .with_for_update()
        )
        return [UserId(user_id) for user_id in await self._session.scalars(query)]

    async def claim_first_account(self) -> bool:
        """One conditional UPDATE: concurrent callers queue on the row and only one sees it
        unclaimed (PostgreSQL re-checks the WHERE after the lock; SQLite runs one writer)."""
        result = await self._session.execute(
            update(ShopRow)
            .where(ShopRow.id == 1, ShopRow.first_account_claimed.is_(False))
            .values(first_account_claimed=True)
            .returning(ShopRow.id)
        )
        return result.first() is not None

    async def _flush(self, statement: object | None = None) -> None:
        try:
            if statement is None:
                await self._session.flush()
            else:
                await self._session.execute(statement)  # type: ignore[call-overload]
        except IntegrityError as error:
            column = violated_unique(error)
            if column is None or not column.startswith("users."):
                raise
            raise AlreadyTaken(taken_message([column.removeprefix("users.")])) from error

"""Discount codes in SQL: the database enforces the usage limit and once-per-user."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from allora.adapters.sql.errors import violated_foreign_key, violated_unique
from allora.adapters.sql.paging import fetch_page
from allora.adapters.sql.tables import DiscountRow, RedemptionRow
from allora.domain.discounts import (
    Discount,
    DiscountCodeTaken,
    DiscountId,
    DiscountNotFound,
    DiscountTerms,
    DiscountUnavailable,
    Redemption,
)
from allora.domain.orders import OrderId
from allora.domain.paging import Page, Paged
from allora.domain.users import UserId


def _to_discount(row: DiscountRow) -> Discount:
    terms = DiscountTerms(row.code, row.percent, row.max_use, row.starts_at, row.ends_at)
    return Discount(DiscountId(row.id), terms, row.uses, row.created_at, row.updated_at)


class SqlDiscountRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, discount: Discount) -> None:
        terms = discount.terms
        try:
            async with self._session.begin_nested():
                await self._session.execute(
                    insert(DiscountRow).values(
                        id=discount.id,
                        code=terms.code,
                        percent=terms.percent,
                        max_use=terms.max_use,
                        uses=discount.uses,
                        starts_at=terms.starts_at,
                        ends_at=terms.ends_at,
                        created_at=discount.created_at,
                        updated_at=discount.updated_at,
                    )
                )
        except IntegrityError as error:
            if violated_unique(error) == "discounts.code":
                raise DiscountCodeTaken(terms.code) from error
            raise

    async def get(self, discount_id: DiscountId) -> Discount | None:
        row = await self._session.scalar(select(DiscountRow).where(DiscountRow.id == discount_id))
        return _to_discount(row) if row else None

    async def get_by_code(self, code: str) -> Discount | None:
        row = await self._session.scalar(select(DiscountRow).where(DiscountRow.code == code))
        return _to_discount(row) if row else None

    async def listing(self, page: Page) -> Paged[Discount]:
        order = (DiscountRow.created_at.desc(), DiscountRow.id.desc())
        rows, total = await fetch_page(self._session, select(DiscountRow), order, page)
        return Paged([_to_discount(row) for row in rows], total)

    async def remove(self, discount_id: DiscountId) -> None:
        await self._session.execute(delete(DiscountRow).where(DiscountRow.id == discount_id))

    async def record_redemption(
        self,
        discount_id: DiscountId,
        user_id: UserId,
        now: datetime,
        order_id: OrderId | None = None,
    ) -> None:
        try:
            async with self._session.begin_nested():
                await self._session.execute(
                    insert(RedemptionRow).values(
                        discount_id=discount_id, user_id=user_id, redeemed_at=now, order_id=order_id
                    )
                )
        except IntegrityError as error:
            if violated_unique(error) is not None:
                raise DiscountUnavailable.already_used() from error
            if violated_foreign_key(error):
                raise DiscountNotFound.by_code() from error
            raise

    async def use_one(self, discount_id: DiscountId, now: datetime) -> Discount | None:
        """`UPDATE ... WHERE uses < max_use RETURNING`: concurrent callers queue on the row and
        each sees the count the previous one committed, so the limit can never be passed."""
        row = await self._session.scalar(
            update(DiscountRow)
            .where(DiscountRow.id == discount_id, DiscountRow.uses < DiscountRow.max_use)
            .values(uses=DiscountRow.uses + 1, updated_at=now)
            .returning(DiscountRow)
        )
        return _to_discount(row) if row else None

    async def redemption_of(self, discount_id: DiscountId, user_id: UserId) -> Redemption | None:
        row = await self._session.scalar(
            select(RedemptionRow).where(
                RedemptionRow.discount_id == discount_id, RedemptionRow.user_id == user_id
            )
        )
        if row is None:
            return None
        return Redemption(
            DiscountId(row.discount_id), UserId(row.user_id), row.order_id, row.redeemed_at
        )

    async def bind_redemption(
        self, discount_id: DiscountId, user_id: UserId, order_id: OrderId
    ) -> bool:
        """`UPDATE ... WHERE order_id IS NULL`: of two orders taking the same redemption over
        at once, the second waits for the first and then finds nothing left to take."""
        taken = await self._session.scalar(
            update(RedemptionRow)
            .where(
                RedemptionRow.discount_id == discount_id,
                RedemptionRow.user_id == user_id,
                RedemptionRow.order_id.is_(None),
            )
            .values(order_id=order_id)
            .returning(RedemptionRow.id)
        )
        return taken is not None

    async def release_redemption(self, order_id: OrderId, now: datetime) -> None:
        """Two statements: the redemption goes, then its code's use comes back."""
        discount_id = await self._session.scalar(
            delete(RedemptionRow)
            .where(RedemptionRow.order_id == order_id)
            .returning(RedemptionRow.discount_id)
        )
        if discount_id is not None:
            await self._session.execute(
                update(DiscountRow)
                .where(DiscountRow.id == discount_id, DiscountRow.uses > 0)
                .values(uses=DiscountRow.uses - 1, updated_at=now)
            )

"""Wishlists in SQL."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from allora.adapters.sql.errors import missing_parent_is
from allora.adapters.sql.paging import fetch_page
from allora.adapters.sql.products import PRODUCT_COLUMNS, SqlProductRepository
from allora.adapters.sql.tables import ProductRow, WishlistRow
from allora.domain.paging import Page, Paged
from allora.domain.products import Product, ProductId, ProductNotFound
from allora.domain.users import UserId


class SqlWishlistRepository:
    def __init__(self, session: AsyncSession, products: SqlProductRepository) -> None:
        self._session, self._products = session, products

    async def add(self, user_id: UserId, product_id: ProductId, now: datetime) -> None:
        """INSERT ... ON CONFLICT DO NOTHING: two concurrent adds keep one entry, no error."""
        dialect = self._session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        with missing_parent_is(ProductNotFound):
            await self._session.execute(
                insert(WishlistRow)
                .values(user_id=user_id, product_id=product_id, added_at=now)
                .on_conflict_do_nothing()
            )

    async def remove(self, user_id: UserId, product_id: ProductId) -> None:
        await self._session.execute(
            delete(WishlistRow).where(
                WishlistRow.user_id == user_id, WishlistRow.product_id == product_id
            )
        )

    async def products_of(self, user_id: UserId, page: Page) -> Paged[Product]:
        query = (
            select(PRODUCT_COLUMNS)
            .join(WishlistRow, WishlistRow.product_id == ProductRow.id)
            .where(WishlistRow.user_id == user_id)
        )
        order = (WishlistRow.added_at.desc(), ProductRow.id)
        rows, total = await fetch_page(self._session, query, order, page)
        return Paged(await self._products.hydrate(rows), total)

"""The public catalogue's reads on PostgreSQL: one statement per request
(`catalogue_statements`), the JSON written by the database (`catalogue_json`) and handed over
as bytes, straight from asyncpg on a connection of the shop's pool: no ORM, no result
processing, no Python object per field.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from allora.adapters.session_cache import ChangeVersion
from allora.adapters.sql.catalogue_statements import comments_sql, detail_sql, listing_sql
from allora.adapters.sql.filtered_totals import FilteredTotals
from allora.adapters.sql.products import like_pattern
from allora.application.ports import EncodedPage
from allora.domain.comments import CommentStatus
from allora.domain.paging import Page
from allora.domain.product_query import ProductQuery
from allora.domain.products import ProductId


class PostgresCatalogueViews:
    """`CatalogueViews` on PostgreSQL; `engine` should be the reading engine (no transaction
    around the one statement). `version` (the catalogue watcher) lets filtered totals be
    counted once per catalogue version."""

    def __init__(self, engine: AsyncEngine, image_url_prefix: str, version: ChangeVersion) -> None:
        self._engine = engine
        self._media = image_url_prefix.rstrip("/") + "/"
        self._totals = FilteredTotals(version)

    async def product(
        self, product_id: ProductId, statuses: frozenset[CommentStatus], comments: Page
    ) -> bytes | None:
        sql, names = detail_sql(statuses)
        values = {"id": product_id, "media": self._media, **_paging(comments)}
        row = await self._fetch(sql, [values[name] for name in names])
        return None if row is None else bytes(row[0])

    async def products(self, query: ProductQuery, page: Page) -> EncodedPage:
        pattern = None if query.text is None else like_pattern(query.text)
        filtered = (query.category, pattern, query.min_price, query.max_price)
        counted = pattern is not None or query.min_price is not None or query.max_price is not None
        version = self._totals.version() if counted else None
        known = self._totals.get(filtered, version)
        if known is not None and page.offset >= known:
            return EncodedPage(b"[]", known)  # past the end: no statement at all
        sql, names = listing_sql(
            query.sort,
            query.category is not None,
            query.text is not None,
            query.min_price is not None,
            query.max_price is not None,
            known is not None,
        )
        values = {
            "category": query.category,
            "pattern": pattern,
            "min_price": query.min_price,
            "max_price": query.max_price,
            "media": self._media,
            "total": known,
            **_paging(page),
        }
        found = await self._page(sql, [values[name] for name in names])
        if counted and known is None:
            self._totals.put(filtered, version, found.total)
        return found

    async def comments(
        self, product_id: ProductId | None, statuses: frozenset[CommentStatus], page: Page
    ) -> EncodedPage:
        sql, names = comments_sql(product_id is not None, statuses)
        values = {"product_id": product_id, **_paging(page)}
        return await self._page(sql, [values[name] for name in names])

    async def _page(self, sql: str, args: list[Any]) -> EncodedPage:
        row = await self._fetch(sql, args)
        assert row is not None  # an aggregate without GROUP BY always gives one row
        return EncodedPage(bytes(row[1]), int(row[0]))

    async def _fetch(self, sql: str, args: list[Any]) -> Any:
        """The statement's first row, straight from asyncpg on a connection of the pool (a
        raw checkout costs a quarter of a SQLAlchemy `Connection`'s). A connection found dead
        is invalidated, so the pool replaces it rather than handing it out again."""
        pooled = await self._engine.raw_connection()
        connection = pooled.driver_connection
        try:
            return await connection.fetchrow(sql, *args)  # type: ignore[union-attr]
        except BaseException:
            if connection.is_closed():  # type: ignore[union-attr]
                pooled.invalidate()
            raise
        finally:
            pooled.close()


def _paging(page: Page) -> dict[str, int]:
    return {"limit": page.limit, "offset": page.offset}

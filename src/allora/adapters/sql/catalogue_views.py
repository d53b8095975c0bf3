# ruff: noqa: S608  (SQL built from constants and enum values; every value is a parameter)
"""The public catalogue's reads on PostgreSQL: one statement per request, the JSON written by
the database (`catalogue_json`) and handed over as bytes.

The statements are built once per shape (sort, which filters, which statuses) and sent
straight to asyncpg on a connection of the shop's pool: no ORM, no result processing, no
Python object per field. The listing's total comes from the totals the triggers of migration
0007 keep, unless a text or price filter makes counting necessary, in the same statement.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from allora.adapters.sql.catalogue_json import (
    NEWEST_COMMENTS,
    array,
    comment_object,
    product_object,
    status_in,
)
from allora.adapters.sql.products import like_pattern
from allora.application.ports import EncodedPage
from allora.domain.comments import CommentStatus
from allora.domain.paging import Page
from allora.domain.product_query import ProductQuery, ProductSort
from allora.domain.products import ProductId

_ORDER = {
    ProductSort.NEWEST: "p.created_at DESC, p.id DESC",
    ProductSort.PRICE: "p.price ASC, p.id ASC",
    ProductSort.PRICE_DESC: "p.price DESC, p.id DESC",
    ProductSort.SCORE: "p.score DESC, p.id DESC",
}


class _Slots:
    """Positional parameters ($1, $2, ...) handed out by name, in order."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def __call__(self, name: str) -> str:
        if name not in self.names:
            self.names.append(name)
        return f"${self.names.index(name) + 1}"


def _bytes(text: str) -> str:
    """The body as bytea, which asyncpg hands over as `bytes`: no decoding to `str` and
    encoding back."""
    return f"convert_to({text}, 'UTF8')"


@cache
def _detail_sql(statuses: frozenset[CommentStatus]) -> tuple[str, list[str]]:
    slot = _Slots()
    product_id, media = slot("id"), slot("media")
    page = f"""FROM (SELECT * FROM comments c
        WHERE c.product_id = p.id AND {status_in("c", statuses)}
        ORDER BY {NEWEST_COMMENTS} LIMIT {slot("limit")} OFFSET {slot("offset")}) c"""
    comments = array(comment_object("c"), NEWEST_COMMENTS, page)
    body = product_object("p", media, comments)
    return f"SELECT {_bytes(body)} FROM products p WHERE p.id = {product_id}", slot.names


def _where(slot: _Slots, category: bool, text: bool, low: bool, high: bool) -> str:
    conditions = ["true"]
    if category:
        conditions.append(f"p.category = {slot('category')}")
    if text:
        like = f"ILIKE {slot('pattern')} ESCAPE '\\'"
        conditions.append(f"(p.name {like} OR p.description {like})")
    if low:
        conditions.append(f"p.price >= {slot('min_price')}")
    if high:
        conditions.append(f"p.price <= {slot('max_price')}")
    return " AND ".join(conditions)


@cache
def _listing_sql(
    sort: ProductSort, category: bool, text: bool, low: bool, high: bool
) -> tuple[str, list[str]]:
    """The page and its total. Without a text or price filter, the total is kept (migration
    0007) and the page is read in the order of an index."""
    if text or low or high:
        return _counted_listing_sql(sort, category, text, low, high)
    slot = _Slots()
    where = _where(slot, category, False, False, False)
    if category:
        kept = f"SELECT products FROM category_totals WHERE category = {slot('category')}"
        total = f"coalesce(({kept}), 0)"
    else:
        total = "(SELECT products FROM product_totals)"
    order = _ORDER[sort]
    page = f"""FROM (SELECT * FROM products p WHERE {where} ORDER BY {order}
        LIMIT {slot("limit")} OFFSET {slot("offset")}) p"""
    body = array(product_object("p", slot("media")), order, page)
    return f"SELECT {total}, {_bytes(body)}", slot.names


def _counted_listing_sql(
    sort: ProductSort, category: bool, text: bool, low: bool, high: bool
) -> tuple[str, list[str]]:
    """A filtered page and its count. The planner cannot tell how many products a text
    matches, and expects many: it reads the page in index order, filtering as it goes, which
    for a rare or absent word means every product (0.2-0.4 s at 100,000). The count comes
    first, so the page is read in the way that suits it: in index order when matches are
    many (the page is soon filled), else by collecting the matches through the trigram
    indexes and sorting them (the way the count found them)."""
    slot = _Slots()
    where = _where(slot, category, text, low, high)
    order = _ORDER[sort]
    limit, offset, media = slot("limit"), slot("offset"), slot("media")
    scanned = f"""FROM (SELECT * FROM products p WHERE {where} ORDER BY {order}
        LIMIT {limit} OFFSET {offset}) p"""
    collected = f"""FROM (SELECT p.* FROM (SELECT * FROM matched p ORDER BY {order}
        LIMIT {limit} OFFSET {offset}) m JOIN products p ON p.id = m.id) p"""
    product = product_object("p", media)
    # Index order reads about (offset + limit) * everything / total products; collecting
    # reads `total`: the first is cheaper when total² exceeds about (offset + limit) *
    # everything / 2 (the per-row costs measured at 100,000 products).
    many = f"2 * t.total * t.total > ({offset}::bigint + {limit}) * t.everything"
    return (
        f"""WITH matched AS MATERIALIZED (
            SELECT p.id, p.created_at, p.price, p.score FROM products p WHERE {where})
        SELECT t.total, convert_to(CASE WHEN {many} THEN {array(product, order, scanned)}
            ELSE {array(product, order, collected)} END, 'UTF8')
        FROM (SELECT (SELECT count(*) FROM products p WHERE {where}) AS total,
                     (SELECT products FROM product_totals) AS everything
              OFFSET 0) t""",
        slot.names,
    )


@cache
def _comments_sql(one_product: bool, statuses: frozenset[CommentStatus]) -> tuple[str, list[str]]:
    slot = _Slots()
    where = status_in("c", statuses)
    if one_product:
        where += f" AND c.product_id = {slot('product_id')}"
    page = f"""FROM (SELECT * FROM comments c WHERE {where} ORDER BY {NEWEST_COMMENTS}
        LIMIT {slot("limit")} OFFSET {slot("offset")}) c"""
    body = array(comment_object("c"), NEWEST_COMMENTS, page)
    total = f"(SELECT count(*) FROM comments c WHERE {where})"
    return f"SELECT {total}, {_bytes(body)}", slot.names


class PostgresCatalogueViews:
    """`CatalogueViews` on PostgreSQL; `engine` should be the reading engine (no transaction
    around the one statement)."""

    def __init__(self, engine: AsyncEngine, image_url_prefix: str) -> None:
        self._engine = engine
        self._media = image_url_prefix.rstrip("/") + "/"

    async def product(
        self, product_id: ProductId, statuses: frozenset[CommentStatus], comments: Page
    ) -> bytes | None:
        sql, names = _detail_sql(statuses)
        values = {"id": product_id, "media": self._media, **_paging(comments)}
        row = await self._fetch(sql, [values[name] for name in names])
        return None if row is None else bytes(row[0])

    async def products(self, query: ProductQuery, page: Page) -> EncodedPage:
        sql, names = _listing_sql(
            query.sort,
            query.category is not None,
            query.text is not None,
            query.min_price is not None,
            query.max_price is not None,
        )
        values = {
            "category": query.category,
            "pattern": None if query.text is None else like_pattern(query.text),
            "min_price": query.min_price,
            "max_price": query.max_price,
            "media": self._media,
            **_paging(page),
        }
        return await self._page(sql, [values[name] for name in names])

    async def comments(
        self, product_id: ProductId | None, statuses: frozenset[CommentStatus], page: Page
    ) -> EncodedPage:
        sql, names = _comments_sql(product_id is not None, statuses)
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

"""Products in SQL: one row each, with variant and image rows loaded per page, not per product."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Select, delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from allora.adapters.session_cache import Touched
from allora.adapters.sql.paging import fetch_page
from allora.adapters.sql.stock import return_stock, take_stock
from allora.adapters.sql.tables import (
    CategoryTotalRow,
    ProductImageRow,
    ProductRow,
    ProductTotalRow,
    ProductVariantRow,
)
from allora.domain.cart import StockUnits
from allora.domain.paging import Page, Paged
from allora.domain.product_query import ProductQuery, ProductSort
from allora.domain.products import (
    ColorName,
    Product,
    ProductDetails,
    ProductId,
    Size,
    Variant,
    VariantDetails,
    VariantId,
)

PRODUCT_COLUMNS = ProductRow.__table__
_KEYS_PER_STATEMENT = 1000
_ORDER: dict[ProductSort, tuple[ColumnElement[Any], ...]] = {
    ProductSort.NEWEST: (ProductRow.created_at.desc(), ProductRow.id.desc()),
    ProductSort.PRICE: (ProductRow.price.asc(), ProductRow.id.asc()),
    ProductSort.PRICE_DESC: (ProductRow.price.desc(), ProductRow.id.desc()),
    ProductSort.SCORE: (ProductRow.score.desc(), ProductRow.id.desc()),
}


# Rows of one multi-row INSERT: at most ~12 columns a row, well under the 32,767 parameters
# of a PostgreSQL statement and the 32,766 variables of a SQLite one.
_ROWS_A_STATEMENT = 500


def like_pattern(text: str) -> str:
    """`%text%` for ILIKE, with the pattern characters of `text` escaped."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _conditions(query: ProductQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if query.category is not None:
        conditions.append(ProductRow.category == query.category)
    if query.text is not None:
        pattern = like_pattern(query.text)
        conditions.append(
            or_(
                ProductRow.name.ilike(pattern, escape="\\"),
                ProductRow.description.ilike(pattern, escape="\\"),
            )
        )
    if query.min_price is not None:
        conditions.append(ProductRow.price >= query.min_price)
    if query.max_price is not None:
        conditions.append(ProductRow.price <= query.max_price)
    return conditions


def _kept_total(query: ProductQuery) -> Select[tuple[int]] | None:
    """The total the triggers of migration 0007 keep, when the query is one they keep: all
    products or one category (a category with no row has no products)."""
    if query.text is not None or query.min_price is not None or query.max_price is not None:
        return None
    if query.category is None:
        # By its key: a scan reads every page the row's many updates left behind.
        kept_all: Select[tuple[int]] = select(ProductTotalRow.products)
        return kept_all.where(ProductTotalRow.id == 1)
    kept = select(CategoryTotalRow.products).where(CategoryTotalRow.category == query.category)
    return select(func.coalesce(kept.scalar_subquery(), 0))


def _row_values(product: Product) -> dict[str, Any]:
    details = product.details
    return {
        "name": details.name,
        "price": details.price,
        "description": details.description,
        "category": details.category,
        "stock": details.stock,
        "discount": details.discount,
        "score": product.score,
        "updated_at": product.updated_at,
    }


def _variant_values(product_id: UUID, position: int, variant: Variant) -> dict[str, Any]:
    details = variant.details
    return {
        "id": variant.id,
        "product_id": product_id,
        "position": position,
        "color_name": details.color_name.value if details.color_name else None,
        "color_hex": details.color_hex,
        "size": details.size.value if details.size else None,
        "stock": details.stock,
        "price": details.price,
    }


def _to_variant(row: Any) -> Variant:
    details = VariantDetails(
        color_name=ColorName(row.color_name) if row.color_name else None,
        color_hex=row.color_hex,
        size=Size(row.size) if row.size else None,
        stock=row.stock,
        price=row.price,
    )
    return Variant(VariantId(row.id), details)


class SqlProductRepository:
    def __init__(self, session: AsyncSession, touched: Touched | None = None) -> None:
        self._session = session
        self._touched = touched or Touched()

    async def add(self, product: Product) -> None:
        await self.add_many([product])

    async def add_many(self, products: Sequence[Product]) -> None:
        """A multi-row INSERT a table (products, images, variants) per `_ROWS_A_STATEMENT`
        rows: PostgreSQL's statement triggers (kept totals, product documents) then run once
        per statement, where an executemany ran them once per row."""
        if not products:
            return
        self._touched.catalogue = True
        rows = [{"id": p.id, "created_at": p.created_at, **_row_values(p)} for p in products]
        await self._insert(ProductRow, rows)
        images = [
            {"product_id": p.id, "position": i, "key": key}
            for p in products
            for i, key in enumerate(p.images)
        ]
        await self._insert(ProductImageRow, images)
        variants = [_variant_values(p.id, i, v) for p in products for i, v in enumerate(p.variants)]
        await self._insert(ProductVariantRow, variants)

    async def _insert(self, table: type[Any], rows: list[dict[str, Any]]) -> None:
        for start in range(0, len(rows), _ROWS_A_STATEMENT):
            chunk = rows[start : start + _ROWS_A_STATEMENT]
            await self._session.execute(insert(table).values(chunk))

    async def get(self, product_id: ProductId) -> Product | None:
        row = await self._session.scalar(select(ProductRow).where(ProductRow.id == product_id))
        return (await self.hydrate([row]))[0] if row else None

    async def lock(self, product_id: ProductId) -> Product | None:
        query = select(ProductRow).where(ProductRow.id == product_id).with_for_update()
        row = await self._session.scalar(query)
        return (await self.hydrate([row]))[0] if row else None

    async def save(self, product: Product) -> None:
        """A product that no longer exists changes nothing (its variants are not inserted)."""
        self._touched.catalogue = True
        found = await self._session.scalar(
            update(ProductRow)
            .where(ProductRow.id == product.id)
            .values(**_row_values(product))
            .returning(ProductRow.id)
        )
        if found is None:
            return
        await self._session.execute(
            delete(ProductVariantRow).where(ProductVariantRow.product_id == product.id)
        )
        if product.variants:
            await self._session.execute(
                insert(ProductVariantRow),
                [_variant_values(product.id, i, v) for i, v in enumerate(product.variants)],
            )

    async def remove(self, product_id: ProductId) -> None:
        self._touched.catalogue = True
        await self._session.execute(delete(ProductRow).where(ProductRow.id == product_id))

    async def search(self, query: ProductQuery, page: Page) -> Paged[Product]:
        """Four statements whatever the page size: count, page, its images, its variants."""
        filtered = select(PRODUCT_COLUMNS).where(*_conditions(query))
        rows, total = await fetch_page(
            self._session, filtered, _ORDER[query.sort], page, _kept_total(query)
        )
        return Paged(await self.hydrate(rows), total)

    async def get_many(self, product_ids: Sequence[ProductId]) -> list[Product]:
        """Three statements whatever the number: products, their images, their variants."""
        if not product_ids:
            return []
        rows = await self._session.execute(
            select(PRODUCT_COLUMNS)
            .where(ProductRow.id.in_(set(product_ids)))
            .order_by(ProductRow.id)
        )
        return await self.hydrate(rows.all())

    async def referenced_images(self, keys: Sequence[str]) -> set[str]:
        """In batches, so no statement passes the drivers' limit on bound parameters."""
        found: set[str] = set()
        for start in range(0, len(keys), _KEYS_PER_STATEMENT):
            batch = keys[start : start + _KEYS_PER_STATEMENT]
            rows = await self._session.scalars(
                select(ProductImageRow.key).where(ProductImageRow.key.in_(batch)).distinct()
            )
            found.update(rows)
        return found

    async def take_stock(self, units: Sequence[StockUnits]) -> list[StockUnits]:
        self._touched.catalogue = True
        return await take_stock(self._session, units)

    async def return_stock(self, units: Sequence[StockUnits]) -> None:
        self._touched.catalogue = True
        await return_stock(self._session, units)

    async def hydrate(self, rows: Sequence[Any]) -> list[Product]:
        """Products from product rows (entities or plain rows) with 2 more statements."""
        if not rows:
            return []
        ids = [row.id for row in rows]
        images: dict[UUID, list[str]] = defaultdict(list)
        image_rows = await self._session.execute(
            select(ProductImageRow.product_id, ProductImageRow.key)
            .where(ProductImageRow.product_id.in_(ids))
            .order_by(ProductImageRow.product_id, ProductImageRow.position)
        )
        for product_id, key in image_rows:
            images[product_id].append(key)
        variants: dict[UUID, list[Variant]] = defaultdict(list)
        variant_rows = await self._session.execute(
            select(ProductVariantRow.__table__)
            .where(ProductVariantRow.product_id.in_(ids))
            .order_by(ProductVariantRow.product_id, ProductVariantRow.position)
        )
        for variant in variant_rows:
            variants[variant.product_id].append(_to_variant(variant))
        return [
            Product(
                id=ProductId(row.id),
                details=ProductDetails(
                    name=row.name,
                    price=row.price,
                    description=row.description,
                    category=row.category,
                    stock=row.stock,
                    discount=row.discount,
                ),
                variants=tuple(variants[row.id]),
                images=tuple(images[row.id]),
                score=row.score,
                created_at=row.created_at,
                updated_at=row.updated_at,
            )
            for row in rows
        ]

"""Stock taken by orders and given back by cancellations: the database decides, with one
conditional update per table (a product's own stock, its variants' stocks)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from uuid import UUID

from sqlalchemy import case, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from allora.adapters.sql.tables import ProductRow, ProductVariantRow
from allora.domain.cart import StockUnits


async def take_stock(session: AsyncSession, units: Sequence[StockUnits]) -> list[StockUnits]:
    """On PostgreSQL the products' rows are locked first, in id order: two orders then queue
    instead of deadlocking, and a product update (which rewrites its variants from what it read
    under the same lock) cannot overwrite a sale. Then one conditional update per table takes
    every stock's units where `stock >= quantity`; the entries it could not take are returned
    (the caller rolls back)."""
    await _lock_products(session, units)
    taken = await _change_stock(session, units, -1)
    return [entry for entry in units if _stock_key(entry) not in taken]


async def return_stock(session: AsyncSession, units: Sequence[StockUnits]) -> None:
    """Rows that no longer exist (a deleted product or variant) are simply not updated."""
    await _lock_products(session, units)
    await _change_stock(session, units, 1)


async def _lock_products(session: AsyncSession, units: Sequence[StockUnits]) -> None:
    if session.get_bind().dialect.name == "sqlite":
        return  # its write transactions are serialised already (BEGIN IMMEDIATE)
    ids = sorted({entry.product for entry in units})
    await session.execute(
        select(ProductRow.id)
        .where(ProductRow.id.in_(ids))
        .order_by(ProductRow.id)
        .with_for_update()
    )


async def _change_stock(session: AsyncSession, units: Sequence[StockUnits], sign: int) -> set[UUID]:
    """Adds `sign` x quantity to each stock where the result stays >= 0 (a stock of NULL never
    does); the ids of the rows it changed. A product's `updated_at` is kept: a sale is no edit."""
    changed: set[UUID] = set()
    for table, entries in (
        (ProductRow, _summed(e for e in units if e.variant is None)),
        (ProductVariantRow, _summed(e for e in units if e.variant is not None)),
    ):
        if not entries:
            continue
        quantity = case(*((table.id == key, amount) for key, amount in entries.items()))
        kept = {"updated_at": ProductRow.updated_at} if table is ProductRow else {}
        result = await session.execute(
            update(table)
            .where(table.id.in_(list(entries)), table.stock + sign * quantity >= 0)
            .values(stock=table.stock + sign * quantity, **kept)
            .returning(table.id)
        )
        changed.update(result.scalars())
    return changed


def _stock_key(entry: StockUnits) -> UUID:
    """The row whose stock an entry changes: its variant's, or its product's."""
    return entry.variant if entry.variant is not None else entry.product


def _summed(units: Iterable[StockUnits]) -> dict[UUID, int]:
    """The units each row changes by; entries naming one stock count together."""
    total: dict[UUID, int] = defaultdict(int)
    for entry in units:
        total[_stock_key(entry)] += entry.quantity
    return dict(total)

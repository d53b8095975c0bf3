"""One way to read a page of rows with the listing's total."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from allora.domain.paging import Page

T = TypeVar("T")


async def fetch_page(
    session: AsyncSession,
    query: Select[T],
    order: tuple[ColumnElement[Any] | InstrumentedAttribute[Any], ...],
    page: Page,
    total_query: Select[tuple[int]] | None = None,
) -> tuple[list[T], int]:
    """Two statements: the total of the filtered query (or `total_query`, where the total is
    kept elsewhere), then its ordered slice.

    A query of one entity gives entities; a query of a table's columns gives plain rows, which
    are much cheaper to build on hot listings."""
    counting = (
        total_query
        if total_query is not None
        else select(func.count()).select_from(query.subquery())
    )
    total = await session.scalar(counting)
    result = await session.execute(query.order_by(*order).limit(page.limit).offset(page.offset))
    rows: Sequence[Any] = (
        result.scalars().all() if len(query.column_descriptions) == 1 else result.all()
    )
    return list(rows), total or 0

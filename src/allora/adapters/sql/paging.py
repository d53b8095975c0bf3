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
) -> tuple[list[T], int]:
    """Two statements: the total of the filtered query, then its ordered slice.

    A query of one entity gives entities; a query of a table's columns gives plain rows, which
    are much cheaper to build on hot listings."""
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    result = await session.execute(query.order_by(*order).limit(page.limit).offset(page.offset))
    rows: Sequence[Any] = (
        result.scalars().all() if len(query.column_descriptions) == 1 else result.all()
    )
    return list(rows), total or 0

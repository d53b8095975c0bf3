"""A unit of work that committed products' rows moves this process's catalogue version as its
commit returns, whoever used it: the version's caches never outlive the process's own writes."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from allora.adapters.sql.unit_of_work import SqlUnitOfWork
from allora.domain.products import ProductId
from tests.integration.conftest import Shop

pytestmark = pytest.mark.anyio


class CountedTouches:
    def __init__(self) -> None:
        self.touches = 0

    def touch(self) -> None:
        self.touches += 1


async def test_only_committed_product_writes_move_the_catalogue_version(shop: Shop) -> None:
    catalogue = CountedTouches()
    sessions = async_sessionmaker(shop.container.engine, expire_on_commit=False)

    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(sessions, catalogue=catalogue)

    nobody = ProductId(uuid.uuid4())
    async with uow() as work:
        await work.products.get(nobody)
        await work.commit()
    assert catalogue.touches == 0, "reading products changes nothing"

    async with uow() as work:
        await work.products.remove(nobody)  # rolled back: never committed
    assert catalogue.touches == 0

    async with uow() as work:
        await work.products.remove(nobody)
        await work.commit()
        await work.commit()  # nothing new since the last commit
    assert catalogue.touches == 1

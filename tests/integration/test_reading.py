"""Use cases that only read run on the reading engine: on SQLite they do not queue behind a
writer, and a read-only unit of work refuses to commit."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import async_sessionmaker

from allora.adapters.sql.engine import reading_engine
from allora.adapters.sql.unit_of_work import SqlUnitOfWork
from allora.domain.users import Email
from tests.integration.catalogue_helpers import PRODUCTS, create_product
from tests.integration.conftest import Shop

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_reads_are_answered_while_another_process_holds_the_write_lock(
    shop: Shop,
) -> None:
    admin = await shop.signed_up("alice")
    await create_product(admin)
    visitor = await shop.client()
    path = make_url(shop.settings.database_url).database
    assert path is not None
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # as another worker's write transaction would
    try:
        listed = await asyncio.wait_for(visitor.get(f"{PRODUCTS}?limit=7"), timeout=10)
        me = await asyncio.wait_for(admin.get("/api/auth/me/"), timeout=10)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert listed.status_code == 200
    assert len(listed.json()) == 1
    assert me.status_code == 200


async def test_a_read_only_unit_of_work_refuses_to_commit(shop: Shop) -> None:
    sessions = async_sessionmaker(reading_engine(shop.container.engine))
    async with SqlUnitOfWork(sessions, read_only=True) as uow:
        assert await uow.users.get_by_email(Email("nobody@example.com")) is None
        with pytest.raises(RuntimeError, match="read-only"):
            await uow.commit()

"""A starting server opens its PostgreSQL pool before the first requests need it."""

from __future__ import annotations

import asyncio
import logging
import socket

import pytest
from sqlalchemy import QueuePool
from sqlalchemy.ext.asyncio import AsyncEngine

from allora.adapters.sql.engine import create_engine, open_pool
from tests.integration.conftest import ShopFactory

pytestmark = pytest.mark.anyio


def _idle(engine: AsyncEngine) -> int:
    assert isinstance(engine.pool, QueuePool)
    return engine.pool.checkedin()


async def _idle_connections(engine: AsyncEngine, expected: int) -> int:
    """The pool's idle connections, once `expected` are there or ten seconds have passed."""
    for _ in range(200):
        if _idle(engine) >= expected:
            break
        await asyncio.sleep(0.05)
    return _idle(engine)


async def test_a_started_shop_opens_its_whole_pool_on_postgres(make_shop: ShopFactory) -> None:
    shop = await make_shop(database_pool_warm=True, database_pool_size=4)
    engine = shop.container.engine
    if engine.dialect.name != "postgresql":
        assert await shop.container.open_pool() == 0  # SQLite opens a file per use
        return
    assert await _idle_connections(engine, 4) == 4
    client = await shop.client()
    assert (await client.get("/api/products/")).status_code == 200
    assert _idle(engine) == 4  # the request used an opened connection, opened no more


async def test_without_warm_up_nothing_is_opened_before_a_request(make_shop: ShopFactory) -> None:
    shop = await make_shop(database_pool_size=4)  # the test settings turn the warm-up off
    await asyncio.sleep(0.2)
    assert _idle(shop.container.engine) == 0


async def test_a_refusing_database_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as closed:  # a port nothing listens on: every connect is refused
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    engine = create_engine(f"postgresql+asyncpg://postgres@127.0.0.1:{port}/none", pool_size=3)
    try:
        with caplog.at_level(logging.WARNING, logger="allora.database"):
            assert await open_pool(engine) == 0
        assert "opened 0 of 3 database connections" in caplog.text
    finally:
        await engine.dispose()

"""Migration 0009 goes down to 0007 and up again on both databases, trigger included."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from allora.adapters.sql.engine import create_engine
from allora.adapters.sql.migrate import alembic_config, upgrade
from tests.integration.conftest import POSTGRES_URL, _asyncpg_dsn

pytestmark = pytest.mark.anyio

NEW_TABLES = {"outbox", "password_resets", "billing_details"}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of its own: the shared test databases stay at head."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
        return
    request.getfixturevalue("postgres_url")  # skips (or fails in CI) without a server
    name = f"allora_migration_{uuid.uuid4().hex[:12]}"

    async def admin(sql: str) -> None:
        connection = await asyncpg.connect(_asyncpg_dsn(POSTGRES_URL))
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def tables(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    async with engine.begin() as connection:
        await connection.run_sync(lambda sync: command.downgrade(alembic_config(sync), revision))


async def test_0009_downgrades_to_0007_and_upgrades_again(fresh_url: str) -> None:
    fresh_engine = create_engine(fresh_url)
    try:
        await check_down_and_up(fresh_engine)
    finally:
        await fresh_engine.dispose()


async def check_down_and_up(fresh_engine: AsyncEngine) -> None:
    await upgrade(fresh_engine)
    assert await tables(fresh_engine) >= NEW_TABLES
    await downgrade(fresh_engine, "0007")
    assert not NEW_TABLES & await tables(fresh_engine)
    async with fresh_engine.connect() as connection:
        version = (
            await connection.execute(text("SELECT version_num FROM alembic_version"))
        ).scalar()
    assert version == "0007"
    await upgrade(fresh_engine)
    assert await tables(fresh_engine) >= NEW_TABLES
    if fresh_engine.dialect.name == "postgresql":
        async with fresh_engine.connect() as connection:
            triggers = await connection.execute(
                text("SELECT tgname FROM pg_trigger WHERE tgrelid = 'outbox'::regclass")
            )
            assert [name for (name,) in triggers] == ["outbox_posted"]

"""Migration 0008 downgrades and upgrades again on both databases, keeping the data it can."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest
from alembic import command
from sqlalchemy import inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from allora.adapters.sql.engine import create_engine
from allora.adapters.sql.migrate import alembic_config, upgrade
from allora.adapters.sql.tables import metadata
from tests.integration.conftest import POSTGRES_URL, _asyncpg_dsn

pytestmark = pytest.mark.anyio


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def fresh_engine(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[AsyncEngine]:
    """An engine on an empty database of its own (the suite's shared one stays at head)."""
    if request.param == "sqlite":
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}")
        yield engine
        await engine.dispose()
        return
    name = f"allora_migration_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(_asyncpg_dsn(POSTGRES_URL), timeout=5)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
        engine = create_engine(url)
        yield engine
        await engine.dispose()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    async with engine.begin() as connection:
        await connection.run_sync(lambda sync: command.downgrade(alembic_config(sync), revision))


async def tables_and_redemption_columns(engine: AsyncEngine) -> tuple[set[str], set[str]]:
    async with engine.connect() as connection:

        def read(sync: object) -> tuple[set[str], set[str]]:
            inspector = inspect(sync)
            columns = {c["name"] for c in inspector.get_columns("discount_redemptions")}
            return set(inspector.get_table_names()), columns

        return await connection.run_sync(read)


async def test_orders_migrate_down_and_up_again(fresh_engine: AsyncEngine) -> None:
    await upgrade(fresh_engine)
    tables, columns = await tables_and_redemption_columns(fresh_engine)
    assert {"orders", "order_lines"} <= tables
    assert "order_id" in columns
    await add_a_redemption(fresh_engine)
    await downgrade(fresh_engine, "0007")
    tables, columns = await tables_and_redemption_columns(fresh_engine)
    assert not {"orders", "order_lines"} & tables
    assert "order_id" not in columns
    assert await redeemed_codes(fresh_engine) == [CODE]  # kept through the table's rebuild
    await upgrade(fresh_engine)
    tables, columns = await tables_and_redemption_columns(fresh_engine)
    assert {"orders", "order_lines"} <= tables
    assert "order_id" in columns
    assert await redeemed_codes(fresh_engine) == [CODE]


CODE = "KEPT"
NOW = datetime(2026, 12, 1, tzinfo=UTC)


async def add_a_redemption(engine: AsyncEngine) -> None:
    users, discounts = metadata.tables["users"], metadata.tables["discounts"]
    redemptions = metadata.tables["discount_redemptions"]
    user_id, discount_id = uuid.uuid4(), uuid.uuid4()
    async with engine.begin() as connection:
        await connection.execute(
            users.insert().values(
                id=user_id,
                name="ann",
                email="ann@example.com",
                phone="5551234567",
                role="USER",
                password_hash="x",
                banned=False,
                created_at=NOW,
                updated_at=NOW,
            )
        )
        await connection.execute(
            discounts.insert().values(
                id=discount_id,
                code=CODE,
                percent=10,
                max_use=5,
                uses=1,
                created_at=NOW,
                updated_at=NOW,
            )
        )
        await connection.execute(
            redemptions.insert().values(
                id=uuid.uuid4(), discount_id=discount_id, user_id=user_id, redeemed_at=NOW
            )
        )


async def redeemed_codes(engine: AsyncEngine) -> list[str]:
    discounts = metadata.tables["discounts"]
    redemptions = metadata.tables["discount_redemptions"]
    query = select(discounts.c.code).join(redemptions, redemptions.c.discount_id == discounts.c.id)
    async with engine.connect() as connection:
        return list((await connection.execute(query)).scalars())

"""One `UnitOfWorkFactory` per backend: the in-memory fake, SQLite and PostgreSQL.

Every contract case runs on all three, so a fake that drifts from the SQL adapters (or an
adapter that drifts from the port's docstring) fails here. The SQL databases are created and
migrated with Alembic once per session and emptied before each case. PostgreSQL cases skip
when no server answers, unless ALLORA_REQUIRE_POSTGRES is set (CI).
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator

import asyncpg
import pytest
from sqlalchemy import update
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from allora.adapters.sql.engine import create_engine, reading_engine
from allora.adapters.sql.migrate import upgrade
from allora.adapters.sql.redemptions import PostgresCodeRedeemer
from allora.adapters.sql.tables import ProductTotalRow, ShopRow, metadata
from allora.adapters.sql.unit_of_work import SqlUnitOfWork
from allora.application.ports import CodeRedeemer, UnitOfWork, UnitOfWorkFactory
from allora.application.redemption import RedemptionInTransaction
from tests.unit.fakes import FakeDatabase, FakeUnitOfWorkFactory

POSTGRES_URL = os.environ.get(
    "ALLORA_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_POSTGRES = bool(os.environ.get("ALLORA_REQUIRE_POSTGRES"))
SINGLETONS = {ShopRow.__tablename__, ProductTotalRow.__tablename__}


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


async def _migrate(url: str) -> None:
    engine = create_engine(url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def contract_sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('contract') / 'allora.db'}"
    asyncio.run(_migrate(url))
    return url


@pytest.fixture(scope="session")
def contract_postgres_url() -> Iterator[str]:
    """A database of its own on the PostgreSQL server, dropped at the end of the session."""
    admin_dsn = make_url(POSTGRES_URL).set(drivername="postgresql")
    dsn = admin_dsn.render_as_string(hide_password=False)
    name = f"allora_contract_{uuid.uuid4().hex[:12]}"

    async def admin(sql: str) -> None:
        connection = await asyncpg.connect(dsn, timeout=5)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    try:
        asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    except (OSError, asyncpg.PostgresError, TimeoutError) as error:
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL is required (ALLORA_REQUIRE_POSTGRES) but: {error!r}")
        pytest.skip(f"PostgreSQL not reachable: {error!r}")
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    asyncio.run(_migrate(url))
    yield url
    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def empty_tables(engine: AsyncEngine) -> None:
    """Every row gone, children first; the singleton rows stay, reset to a new shop's values."""
    async with engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            if table.name not in SINGLETONS:
                await connection.execute(table.delete())
        await connection.execute(update(ShopRow).values(first_account_claimed=False))
        await connection.execute(update(ProductTotalRow).values(products=0))


@pytest.fixture(params=["fake", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str | None:
    """The SQL database under test; None for the fake. Sync: the session fixtures run
    `asyncio.run`, which cannot nest in the test's event loop."""
    if request.param == "fake":
        return None
    return str(request.getfixturevalue(f"contract_{request.param}_url"))


@pytest.fixture
async def uow(database_url: str | None) -> AsyncIterator[UnitOfWorkFactory]:
    """Fresh units of work on an empty store; on SQL each one holds its own connection."""
    if database_url is None:
        yield FakeUnitOfWorkFactory(FakeDatabase())
        return
    engine = create_engine(database_url)
    try:
        await empty_tables(engine)
        sessions = async_sessionmaker(engine, expire_on_commit=False)

        def factory() -> UnitOfWork:
            return SqlUnitOfWork(sessions)

        yield factory
    finally:
        await engine.dispose()


@pytest.fixture
async def redeemer(database_url: str | None, uow: UnitOfWorkFactory) -> AsyncIterator[CodeRedeemer]:
    """The `CodeRedeemer` each backend gets in production: one statement on PostgreSQL, a
    unit of work elsewhere."""
    if database_url is None or not database_url.startswith("postgresql"):
        yield RedemptionInTransaction(uow)
        return
    engine = create_engine(database_url)
    try:
        yield PostgresCodeRedeemer(reading_engine(engine), uuid.uuid4)
    finally:
        await engine.dispose()

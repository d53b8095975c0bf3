"""The HTTP API in-process (httpx over ASGI) on SQLite and on PostgreSQL.

Each backend's database is created and migrated with Alembic once per session (so a missing
migration fails here); every test starts from empty tables with a fresh app and container.
PostgreSQL tests skip when no server answers, unless ALLORA_REQUIRE_POSTGRES is set (CI).
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
import redis.asyncio as redis
from litestar import Litestar
from sqlalchemy import text
from sqlalchemy.engine import make_url

from allora.adapters.sql.engine import create_engine
from allora.adapters.sql.migrate import upgrade
from allora.adapters.sql.tables import metadata
from allora.entrypoints.app import create_app
from allora.entrypoints.settings import Settings
from allora.entrypoints.wiring import Container

POSTGRES_URL = os.environ.get(
    "ALLORA_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_POSTGRES = bool(os.environ.get("ALLORA_REQUIRE_POSTGRES"))
PASSWORD = "Passw0rd!"
UNLIMITED = 100_000
REDIS_URL = os.environ.get("ALLORA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
async def redis_url() -> str:
    """The test Redis; skipped when unreachable, unless CI requires the services."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        await client.ping()
    except (OSError, redis.RedisError) as error:
        if os.environ.get("ALLORA_REQUIRE_POSTGRES"):
            pytest.fail(f"Redis is required in CI but: {error!r}")
        pytest.skip(f"Redis not reachable: {error!r}")
    finally:
        await client.aclose()
    return REDIS_URL


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


def _asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _migrate(url: str) -> None:
    engine = create_engine(url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('sqlite') / 'allora.db'}"
    asyncio.run(_migrate(url))
    return url


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A database of its own on the PostgreSQL server, dropped at the end of the session."""
    admin_dsn = _asyncpg_dsn(POSTGRES_URL)
    name = f"allora_test_{uuid.uuid4().hex[:12]}"

    async def admin(sql: str) -> None:
        connection = await asyncpg.connect(admin_dsn, timeout=5)
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


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(f"{request.param}_url"))


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        secret_key="test-secret-" + "x" * 32,
        database_url=database_url,
        env="test",
        var_dir=tmp_path,
        media_dir=tmp_path / "media",
        cors_origins=("http://shop.test",),
        database_pool_warm=False,  # each test's app would open the whole pool (tested on its own)
        # Every test client shares one address: the abuse limits are tested on their own.
        signup_client_limit=UNLIMITED,
        comment_client_limit=UNLIMITED,
        ticket_client_limit=UNLIMITED,
        order_client_limit=UNLIMITED,
    )


async def empty_tables(container: Container) -> None:
    async with container.engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            if table.name not in {"shop", "product_totals"}:
                await connection.execute(table.delete())
        await connection.execute(text("UPDATE shop SET first_account_claimed = false"))
        await connection.execute(text("UPDATE product_totals SET products = 0"))


@dataclass
class Shop:
    """One app under test, and a way to open clients (each with its own cookie jar) on it."""

    app: Litestar
    container: Container
    settings: Settings
    _stack: AsyncExitStack

    async def client(self, ip: str = "10.0.0.1", **headers: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=self.app, client=(ip, 1234))  # type: ignore[arg-type]
        client = httpx.AsyncClient(
            transport=transport, base_url="http://testserver", headers=headers
        )
        return await self._stack.enter_async_context(client)

    async def signed_up(self, name: str, /, **fields: str) -> httpx.AsyncClient:
        """A client signed in as a new account named `name` (the first one is ADMIN)."""
        client = await self.client()
        response = await client.post("/api/auth/signup/", json=account(name, **fields))
        assert response.status_code == 201, response.text
        return client


ShopFactory = Callable[..., Awaitable[Shop]]


@pytest.fixture
async def make_shop(settings: Settings) -> AsyncIterator[ShopFactory]:
    """Builds apps on the test database; keyword arguments override settings."""
    async with AsyncExitStack() as stack:

        async def build(**overrides: Any) -> Shop:
            configured = replace(settings, **overrides)
            container = Container.build(configured)
            app = create_app(configured, container)
            await stack.enter_async_context(app.lifespan())
            return Shop(app, container, configured, stack)

        first = await build()
        await empty_tables(first.container)
        yield build


@pytest.fixture
async def shop(make_shop: ShopFactory) -> Shop:
    return await make_shop()


_phones = iter(range(10**9, 10**10))


def account(name: str, /, **fields: str) -> dict[str, str]:
    """Valid sign-up fields derived from `name`, with overrides."""
    body = {
        "name": name,
        "email": f"{name}@example.com",
        "phone": f"5{next(_phones)}",
        "password": PASSWORD,
    }
    body.update(fields)
    return body

"""Outages: with its database or its Redis down, the shop answers 503 `{"message"}` with
`Retry-After`, `/health` names what is down, and once it is back requests succeed again
without a restart. The servers are the test's own (`own_services`), stopped and started here;
the machine's shared PostgreSQL and Redis are never touched."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import shutil
import socket
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from allora.adapters.sql.engine import create_engine
from allora.domain.errors import ServiceUnavailable
from allora.entrypoints.app import create_app
from allora.entrypoints.logs import RepeatCollapsingHandler
from allora.entrypoints.settings import Settings
from allora.entrypoints.wiring import Container
from tests.integration.conftest import PASSWORD, _migrate, account
from tests.integration.own_services import OwnPostgres, OwnRedis, own_postgres, own_redis

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def postgres() -> Iterator[OwnPostgres]:
    """A migrated cluster of the module's own (under /tmp: the server's account must reach it)."""
    root = Path(tempfile.mkdtemp(prefix="allora-outage-"))
    try:
        server = own_postgres(root)
        server.start()
        try:
            asyncio.run(_migrate(server.url))
            yield server
        finally:
            server.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def redis_server() -> Iterator[OwnRedis]:
    server = own_redis()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@asynccontextmanager
async def serving(
    tmp_path: Path, database_url: str, redis_url: str | None = None, **overrides: Any
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the app (started and stopped as `allora serve` would) on these servers."""
    settings = Settings(
        **overrides,
        secret_key="outage-secret-" + "x" * 32,
        database_url=database_url,
        redis_url=redis_url,
        env="test",
        var_dir=tmp_path,
        media_dir=tmp_path / "media",
        database_pool_size=5,
    )
    app = create_app(settings, Container.build(settings))
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


@contextmanager
def silent_port() -> Iterator[int]:
    """A port that accepts connections (into its backlog) and never reads nor answers them:
    a hung server, or a network that lost the way back."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)
        yield int(silent.getsockname()[1])


@pytest.fixture
async def client(
    postgres: OwnPostgres, redis_server: OwnRedis, tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app on both servers, each (re)started if a test left it stopped."""
    postgres.start()
    redis_server.start()
    async with serving(tmp_path, postgres.url, redis_server.url) as client:
        yield client


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert set(response.json()) == {"message"}
    assert 1 <= int(response.headers["retry-after"]) <= 30


async def sign_in(client: httpx.AsyncClient, email: str) -> httpx.Response:
    return await client.post("/api/auth/signin/", json={"email": email, "password": PASSWORD})


_names = iter(range(10**6))


async def signed_up(client: httpx.AsyncClient) -> str:
    body = account(f"shopper{next(_names)}")
    response = await client.post("/api/auth/signup/", json=body)
    assert response.status_code == 201, response.text
    return body["email"]


async def test_redis_down_is_503_and_health_names_it_then_it_heals(
    client: httpx.AsyncClient, redis_server: OwnRedis
) -> None:
    email = await signed_up(client)
    assert (await client.get("/health")).json() == {
        "message": "ok",
        "database": "ok",
        "redis": "ok",
    }
    redis_server.stop()

    assert_unavailable(await sign_in(client, email))  # fail closed: no uncounted attempt
    health = await client.get("/health")
    assert health.status_code == 503
    assert health.json() == {"message": "unavailable", "database": "ok", "redis": "down"}
    assert int(health.headers["retry-after"]) >= 1
    assert (await client.get("/api/products/")).status_code == 200  # the rest still serves

    redis_server.start()
    assert (await sign_in(client, email)).status_code == 200
    assert (await client.get("/health")).status_code == 200


async def test_abuse_limits_count_in_the_process_while_redis_is_down(
    postgres: OwnPostgres, redis_server: OwnRedis, tmp_path: Path
) -> None:
    """Sign-ups (like comments, tickets and orders) go on while Redis is down, still limited:
    per process (`FailOpenLimiter`), where sign-in fails closed."""
    postgres.start()
    redis_server.start()
    async with serving(tmp_path, postgres.url, redis_server.url, signup_client_limit=2) as client:
        redis_server.stop()
        signups = [
            await client.post("/api/auth/signup/", json=account(f"spammer{next(_names)}"))
            for _ in range(3)
        ]
        health = await client.get("/health")
    assert [response.status_code for response in signups] == [201, 201, 429]
    assert health.json()["redis"] == "down"


async def test_a_silent_redis_fails_health_and_sign_in_in_seconds_not_never(
    postgres: OwnPostgres, tmp_path: Path
) -> None:
    """A Redis that accepts connections and never answers (a hung server, a lost network):
    without short timeouts on its connections, sign-in and /health would wait forever."""
    postgres.start()
    with silent_port() as port, anyio.fail_after(60):  # a bound on a hang, not a measurement
        async with serving(tmp_path, postgres.url, f"redis://127.0.0.1:{port}/0") as client:
            health = await client.get("/health")
            signing_in = await sign_in(client, "someone@example.com")
    assert health.status_code == 503
    assert health.json() == {"message": "unavailable", "database": "ok", "redis": "down"}
    assert_unavailable(signing_in)


async def test_a_silent_database_fails_requests_in_seconds_not_a_minute(tmp_path: Path) -> None:
    """A PostgreSQL address that accepts connections and never answers: starting, connecting
    and listening each give up after a few seconds (asyncpg alone waits a minute), /health
    after its 2 s."""
    # No TLS: asyncpg leaves behind the socket of a TLS negotiation that timed out.
    database_url = "postgresql+asyncpg://postgres@127.0.0.1:{}/postgres?ssl=disable"
    with silent_port() as port, anyio.fail_after(50):  # a bound on a hang, not a measurement
        async with serving(tmp_path, database_url.format(port)) as client:
            health = await client.get("/health")
            products = await client.get("/api/products/")
    assert health.status_code == 503
    assert health.json() == {"message": "unavailable", "database": "down"}
    assert_unavailable(products)


async def test_every_pooled_connection_busy_past_the_timeout_is_unavailable(
    postgres_url: str,
) -> None:
    """A request that waited the pool's whole timeout for a connection is a 503 (it was a 500:
    SQLAlchemy's own TimeoutError), and the pool serves again once a connection is back."""
    engine = create_engine(postgres_url, pool_size=1, pool_timeout=0.2)
    try:
        async with engine.connect() as held:
            await held.execute(text("SELECT 1"))
            with pytest.raises(ServiceUnavailable):
                async with engine.connect() as waiting:
                    await waiting.execute(text("SELECT 1"))
        async with engine.connect() as again:
            assert (await again.execute(text("SELECT 1"))).scalar_one() == 1
    finally:
        await engine.dispose()


async def test_health_leaves_out_redis_when_the_configuration_has_none(
    postgres: OwnPostgres, tmp_path: Path
) -> None:
    postgres.start()
    async with serving(tmp_path, postgres.url) as client:
        response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"message": "ok", "database": "ok"}


async def test_database_down_is_503_and_health_names_it(
    client: httpx.AsyncClient, postgres: OwnPostgres
) -> None:
    email = await signed_up(client)
    postgres.stop()

    for response in [
        await sign_in(client, email),
        await client.get("/api/products/"),
        await client.get("/api/wishlist/"),  # the signed-in session is looked up: no database
        await client.post("/api/auth/signup/", json=account("latecomer")),
    ]:
        assert_unavailable(response)
    health = await client.get("/health")
    assert health.status_code == 503
    assert health.json() == {"message": "unavailable", "database": "down", "redis": "ok"}
    assert int(health.headers["retry-after"]) >= 1


async def test_the_shop_heals_once_the_database_is_back(
    client: httpx.AsyncClient, postgres: OwnPostgres
) -> None:
    email = await signed_up(client)
    postgres.stop()
    assert_unavailable(await sign_in(client, email))
    assert (await client.get("/health")).status_code == 503

    postgres.start()
    assert (await sign_in(client, email)).status_code == 200
    assert (await client.get("/api/products/")).status_code == 200
    assert (await client.get("/health")).json() == {
        "message": "ok",
        "database": "ok",
        "redis": "ok",
    }


async def test_a_database_restart_between_requests_costs_at_most_one_503(
    client: httpx.AsyncClient, postgres: OwnPostgres
) -> None:
    """The pool still holds connections to the server that went away: the first request to
    use one fails, the pool drops them all, and the next requests connect afresh."""
    email = await signed_up(client)
    assert (await client.get("/api/products/")).status_code == 200
    postgres.stop()
    postgres.start()

    first = await sign_in(client, email)
    assert first.status_code in {200, 503}, first.text
    for _ in range(3):
        assert (await sign_in(client, email)).status_code == 200
        assert (await client.get("/api/products/")).status_code == 200


async def test_a_thousand_failed_requests_log_one_line_and_a_count(
    client: httpx.AsyncClient, postgres: OwnPostgres, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shop's log as `allora serve` writes it (configured by `create_app`), read back;
    its window made long enough that however slow the machine, all 1000 fall in one."""
    handler = next(
        h for h in logging.getLogger("allora").handlers if isinstance(h, RepeatCollapsingHandler)
    )
    assert isinstance(handler.target, logging.StreamHandler)
    monkeypatch.setattr(handler, "window", 3600.0)
    postgres.stop()
    for _ in range(3):  # the pool's connections to the old server fail first, differently
        assert_unavailable(await client.get("/api/products/"))
    handler.flush()  # counts so far go to the old stream: the buffer sees only what follows
    buffer = io.StringIO()
    previous = handler.target.setStream(buffer)
    try:
        for _ in range(1000):
            assert_unavailable(await client.get("/api/products/"))
        handler.flush()
    finally:
        handler.target.setStream(previous)
    logged = [json.loads(line) for line in buffer.getvalue().splitlines()]
    errors = [entry["message"] for entry in logged if entry["logger"] == "allora.errors"]
    assert len(errors) == 2, errors
    assert errors[0].startswith("database unavailable (ConnectionRefusedError")
    assert errors[1] == f"{errors[0]} (repeated 999 times)"
    assert "Traceback" not in buffer.getvalue()


async def test_a_failing_statement_is_a_bug_not_an_outage(postgres: OwnPostgres) -> None:
    """Only lost connections become 503s: a statement the server refuses stays an error."""
    postgres.start()
    engine = create_engine(postgres.url)
    try:
        async with engine.connect() as connection:
            with pytest.raises(DBAPIError) as raised:
                await connection.execute(text("SELECT 1 / 0"))
            assert not isinstance(raised.value, ServiceUnavailable)
            assert not raised.value.connection_invalidated  # the connection is kept
    finally:
        await engine.dispose()

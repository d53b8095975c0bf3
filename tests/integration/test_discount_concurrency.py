"""Redeeming a code is atomic: under a burst, exactly `maxUse` redemptions succeed, in one
process (SQLite and PostgreSQL) and across two server processes on PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from allora.adapters.sql.engine import create_engine
from tests.integration.conftest import Shop, account

pytestmark = pytest.mark.anyio

USERS = 50
MAX_USE = 10


async def redeem_burst(clients: list[httpx.AsyncClient], code: str) -> list[int]:
    responses = await asyncio.gather(
        *(client.put("/api/discounts/use/", json={"code": code}) for client in clients)
    )
    return [response.status_code for response in responses]


async def test_burst_of_redemptions_in_one_process_stops_at_max_use(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    created = await admin.post(
        "/api/discounts/", json={"code": "burst10", "percent": 15, "maxUse": MAX_USE}
    )
    assert created.status_code == 201
    clients = [await shop.signed_up(f"user{i}") for i in range(USERS)]
    statuses = await redeem_burst(clients, "BURST10")
    assert statuses.count(200) == MAX_USE
    assert statuses.count(422) == USERS - MAX_USE
    listed = (await admin.get("/api/discounts/")).json()
    assert [d["uses"] for d in listed] == [MAX_USE]
    async with shop.container.engine.connect() as connection:
        recorded = await connection.scalar(text("SELECT count(*) FROM discount_redemptions"))
    assert recorded == MAX_USE


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def two_worker_server(postgres_url: str, tmp_path: Path) -> Iterator[str]:
    """`allora serve --workers 2` on the test PostgreSQL database, tables emptied first."""

    async def empty() -> None:
        engine = create_engine(postgres_url)
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "TRUNCATE users, sessions, bans, products, comments, discounts, "
                    "discount_redemptions, tickets, wishlist_items CASCADE"
                )
            )
            await connection.execute(text("UPDATE shop SET first_account_claimed = false"))
        await engine.dispose()

    asyncio.run(empty())
    port = _free_port()
    env = {
        **os.environ,
        "ALLORA_DATABASE_URL": postgres_url,
        "ALLORA_VAR_DIR": str(tmp_path),
        "ALLORA_SECRET_KEY": "two-worker-test-secret-" + "z" * 32,
        "ALLORA_SIGNIN_CLIENT_LIMIT": "100000",
        "ALLORA_HASHER_THREADS": "2",
    }
    allora = str(Path(sys.executable).with_name("allora"))
    server = subprocess.Popen(
        [allora, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise AssertionError("server did not start")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture
async def clients() -> AsyncIterator[list[httpx.AsyncClient]]:
    opened = [httpx.AsyncClient(timeout=60) for _ in range(USERS + 1)]
    yield opened
    for client in opened:
        await client.aclose()


@pytest.mark.postgres
async def test_burst_across_two_server_processes_stops_at_max_use(
    two_worker_server: str, clients: list[httpx.AsyncClient]
) -> None:
    base = two_worker_server
    admin, users = clients[0], clients[1:]
    signup = await admin.post(f"{base}/api/auth/signup/", json=account("admin"))
    assert signup.status_code == 201
    created = await admin.post(
        f"{base}/api/discounts/", json={"code": "procs10", "percent": 10, "maxUse": MAX_USE}
    )
    assert created.status_code == 201
    signups = await asyncio.gather(
        *(
            c.post(f"{base}/api/auth/signup/", json=account(f"procs{i}"))
            for i, c in enumerate(users)
        )
    )
    assert [r.status_code for r in signups] == [201] * USERS
    responses = await asyncio.gather(
        *(c.put(f"{base}/api/discounts/use/", json={"code": "procs10"}) for c in users)
    )
    statuses = [r.status_code for r in responses]
    assert statuses.count(200) == MAX_USE, statuses
    assert statuses.count(422) == USERS - MAX_USE, statuses
    listed = (await admin.get(f"{base}/api/discounts/")).json()
    assert [d["uses"] for d in listed] == [MAX_USE]

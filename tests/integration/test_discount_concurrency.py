"""Redeeming a code is atomic: under a burst, exactly `maxUse` redemptions succeed, in one
process (SQLite and PostgreSQL) and across two server processes on PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from tests.integration.conftest import Shop, account
from tests.integration.servers import empty_database, running_shop

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


@pytest.fixture
def two_worker_server(postgres_url: str, tmp_path: Path) -> Iterator[str]:
    """`allora serve --workers 2` on the test PostgreSQL database, tables emptied first."""
    empty_database(postgres_url)
    settings = {
        "database_url": postgres_url,
        "signin_client_limit": "100000",
        "hasher_processes": "2",
    }
    with running_shop(tmp_path, settings, workers=2) as base:
        yield base


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

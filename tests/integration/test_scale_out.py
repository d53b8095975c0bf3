"""Two separate server processes (as two machines would be) sharing PostgreSQL and Redis honour
one sign-in rate limit, one discount limit and one sign-out."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.integration.conftest import PASSWORD, account
from tests.integration.servers import empty_database, running_shop

pytestmark = [pytest.mark.anyio, pytest.mark.postgres]

CLIENT_LIMIT = 5


@pytest.fixture
def two_servers(postgres_url: str, redis_url: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    empty_database(postgres_url)
    shared = {
        "database_url": postgres_url,
        "redis_url": redis_url,
        "signin_client_limit": str(CLIENT_LIMIT),
    }
    with (
        running_shop(tmp_path / "a", shared) as first,
        running_shop(tmp_path / "b", shared) as second,
    ):
        yield first, second


async def test_sign_in_limit_is_one_count_across_processes(two_servers: tuple[str, str]) -> None:
    first, second = two_servers
    email = f"u{uuid.uuid4().hex[:10]}@example.com"
    async with httpx.AsyncClient(base_url=first) as client:
        assert (
            await client.post("/api/auth/signup/", json=account("alice", email=email))
        ).status_code == 201
    statuses = []
    for i in range(2 * CLIENT_LIMIT):
        async with httpx.AsyncClient(base_url=(first, second)[i % 2]) as client:
            response = await client.post(
                "/api/auth/signin/", json={"email": email, "password": PASSWORD}
            )
            statuses.append(response.status_code)
    assert statuses == [200] * CLIENT_LIMIT + [429] * CLIENT_LIMIT


async def test_discount_limit_holds_across_processes(two_servers: tuple[str, str]) -> None:
    first, second = two_servers
    async with httpx.AsyncClient(base_url=first) as admin:
        assert (await admin.post("/api/auth/signup/", json=account("admin"))).status_code == 201
        created = await admin.post(
            "/api/discounts/", json={"code": "SHARED3", "percent": 5, "maxUse": 3}
        )
        assert created.status_code == 201
        clients = [
            httpx.AsyncClient(base_url=(first, second)[i % 2], timeout=60) for i in range(12)
        ]
        try:
            for i, client in enumerate(clients):
                response = await client.post("/api/auth/signup/", json=account(f"buyer{i}"))
                assert response.status_code == 201
            statuses = [
                r.status_code
                for r in await asyncio.gather(
                    *(c.put("/api/discounts/use/", json={"code": "shared3"}) for c in clients)
                )
            ]
        finally:
            for client in clients:
                await client.aclose()
        assert sorted(statuses) == [200] * 3 + [422] * 9
        assert [d["uses"] for d in (await admin.get("/api/discounts/")).json()] == [3]


async def test_sign_out_on_one_process_ends_the_session_on_the_other(
    two_servers: tuple[str, str],
) -> None:
    first, second = two_servers
    async with httpx.AsyncClient(base_url=first) as on_first:
        assert (await on_first.post("/api/auth/signup/", json=account("alice"))).status_code == 201
        token = on_first.cookies["token"]
        async with httpx.AsyncClient(base_url=second, cookies={"token": token}) as on_second:
            assert (await on_second.get("/api/auth/me/")).status_code == 200
            assert (await on_second.post("/api/auth/signout/")).status_code == 200
        assert (await on_first.get("/api/auth/me/")).status_code == 401

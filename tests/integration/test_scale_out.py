"""Two separate server processes (as two machines would be) sharing PostgreSQL and Redis honour
one sign-in rate limit, one discount limit and one sign-out, and forget cached catalogue pages
when the other changes the catalogue."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from allora.adapters.sql.engine import create_engine
from tests.integration.catalogue_helpers import create_product
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


async def test_a_catalogue_change_on_one_process_reaches_the_others_cache(
    two_servers: tuple[str, str], postgres_url: str
) -> None:
    first, second = two_servers
    async with (
        httpx.AsyncClient(base_url=first) as admin,
        httpx.AsyncClient(base_url=second) as reader,
    ):
        assert (await admin.post("/api/auth/signup/", json=account("admin"))).status_code == 201
        product = await create_product(admin, name="Linen shirt")
        path = f"/api/products/{product['id']}/"

        async def name_on_second() -> str:
            response = await reader.get(path)
            assert response.status_code == 200
            return str(response.json()["name"])

        assert await name_on_second() == "Linen shirt"
        # A change no trigger announces (replication role) stays unseen: the second process
        # answers from its cache, which is what the next step must invalidate.
        await rename_unannounced(postgres_url, product["id"], "Unseen")
        for _ in range(5):
            assert await name_on_second() == "Linen shirt"
            await asyncio.sleep(0.05)

        changed = await admin.patch(path, json={"name": "Wool shirt"})
        assert changed.status_code == 200
        deadline = time.monotonic() + 5
        while await name_on_second() != "Wool shirt":
            assert time.monotonic() < deadline, "the second process kept its stale page"
            await asyncio.sleep(0.02)


async def rename_unannounced(url: str, product_id: str, name: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("SET LOCAL session_replication_role = replica"))
            await connection.execute(
                text("UPDATE products SET name = :name WHERE id = :id"),
                {"name": name, "id": product_id},
            )
    finally:
        await engine.dispose()

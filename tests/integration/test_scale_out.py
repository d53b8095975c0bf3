"""Two separate server processes (as two machines would be) sharing PostgreSQL and Redis honour
one sign-in rate limit, one discount limit and one sign-out, and forget cached catalogue pages
and cached sessions when the other changes them."""

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
from tests.integration.notices import eventually, unannounced
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


async def test_sign_out_ban_and_role_change_reach_the_other_process_cache(
    two_servers: tuple[str, str], postgres_url: str
) -> None:
    """The second process answers sessions from memory (a change no trigger announces stays
    unseen there), yet sees a role change, a sign-out and a ban made through the first as
    soon as PostgreSQL's notice arrives."""
    first, second = two_servers
    async with (
        httpx.AsyncClient(base_url=first) as admin,
        httpx.AsyncClient(base_url=first) as bob,
        httpx.AsyncClient(base_url=first) as carol,
    ):
        for client, name in ((admin, "admin"), (bob, "bob"), (carol, "carol")):
            response = await client.post("/api/auth/signup/", json=account(name))
            assert response.status_code == 201
        bob_id = (await bob.get("/api/auth/me/")).json()["id"]
        carol_id = (await carol.get("/api/auth/me/")).json()["id"]
        async with (
            httpx.AsyncClient(base_url=second, cookies={"token": bob.cookies["token"]}) as bob2,
            httpx.AsyncClient(base_url=second, cookies={"token": carol.cookies["token"]}) as carol2,
        ):

            async def shown(client: httpx.AsyncClient) -> dict[str, str] | None:
                response = await client.get("/api/auth/me/")
                return response.json() if response.status_code == 200 else None

            async def cached(client: httpx.AsyncClient, user_id: str, unseen: str) -> None:
                """Renames the user without a notice: the second process keeps the old name."""
                before = await shown(client)
                assert before is not None
                await rename_user_unannounced(postgres_url, user_id, unseen)
                for _ in range(5):
                    assert await shown(client) == before
                    await asyncio.sleep(0.05)

            for client in (bob2, carol2):
                await shown(client)  # fills the second process's cache
            await cached(bob2, bob_id, "bob-unseen")
            await cached(carol2, carol_id, "carol-unseen")

            assert (await admin.put("/api/user/role/", json={"id": bob_id})).status_code == 200

            async def promoted() -> bool:
                return (await shown(bob2) or {}).get("role") == "ADMIN"

            await eventually(promoted)
            assert (await carol.post("/api/auth/signout/")).status_code == 200

            async def signed_out() -> bool:
                return await shown(carol2) is None

            await eventually(signed_out)
            await cached(bob2, bob_id, "bob-unseen2")
            banned = await admin.post("/api/user/ban/", json={"email": "bob@example.com"})
            assert banned.status_code == 200

            async def ended() -> bool:
                return await shown(bob2) is None

            await eventually(ended)


async def rename_user_unannounced(url: str, user_id: str, name: str) -> None:
    await unannounced(url, "UPDATE users SET name = :name WHERE id = :id", name=name, id=user_id)

"""Sign-in limits kept in Redis are shared by every app process using it."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from tests.integration.conftest import PASSWORD, ShopFactory

pytestmark = pytest.mark.anyio


async def test_client_limit_is_shared_between_two_apps_on_one_redis(
    make_shop: ShopFactory, redis_url: str
) -> None:
    first = await make_shop(redis_url=redis_url, signin_client_limit=5)
    second = await make_shop(redis_url=redis_url, signin_client_limit=5)
    email = f"u{uuid.uuid4().hex[:10]}@example.com"
    await first.signed_up("alice", email=email)
    ip = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.7"
    clients = [await shop.client(ip=ip) for shop in (first, second) for _ in range(10)]
    responses = await asyncio.gather(
        *(c.post("/api/auth/signin/", json={"email": email, "password": PASSWORD}) for c in clients)
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * 5 + [429] * 15


async def test_email_failures_are_shared_between_two_apps_on_one_redis(
    make_shop: ShopFactory, redis_url: str
) -> None:
    first = await make_shop(redis_url=redis_url)
    second = await make_shop(redis_url=redis_url)
    email = f"u{uuid.uuid4().hex[:10]}@example.com"
    await first.signed_up("alice", email=email)
    wrong = {"email": email, "password": "Wrong0rd!"}
    for i in range(10):
        shop = (first, second)[i % 2]
        client = await shop.client(ip=f"10.9.{i}.{uuid.uuid4().int % 250}")
        assert (await client.post("/api/auth/signin/", json=wrong)).status_code == 401
    late = await second.client(ip="10.9.200.1")
    response = await late.post("/api/auth/signin/", json={"email": email, "password": PASSWORD})
    assert response.status_code == 429

"""Checkout under concurrency: the database decides. Buyers racing for the last units, one
`Idempotency-Key` sent many times at once, a coupon wanted by more checkouts than its `maxUse`
allows: in one process on SQLite and PostgreSQL, and across two server processes on
PostgreSQL. Never a 500, never a unit sold twice."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.integration.catalogue_helpers import create_product
from tests.integration.conftest import Shop, account
from tests.integration.order_helpers import ORDERS, checkout, item, plain_product, stock
from tests.integration.servers import empty_database, running_shop

pytestmark = pytest.mark.anyio

BUYERS = 100
LAST_UNITS = 10


async def buyers(shop: Shop, count: int) -> list[httpx.AsyncClient]:
    return [await shop.signed_up(f"buyer{n}") for n in range(count)]


async def race(clients: list[httpx.AsyncClient], bodies: list[dict[str, Any]]) -> list[int]:
    responses = await asyncio.gather(
        *(client.post(ORDERS, json=body) for client, body in zip(clients, bodies, strict=True))
    )
    return [response.status_code for response in responses]


async def order_count(client: httpx.AsyncClient) -> int:
    return int((await client.get(ORDERS)).headers["x-total-count"])


async def test_buyers_racing_for_the_last_units_get_exactly_them(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    variants = f'[{{"size": "M", "stock": {LAST_UNITS}}}]'
    shirt = await create_product(admin, variants=variants)
    clients = await buyers(shop, BUYERS)
    statuses = await race(clients, [checkout(item(shirt, 1, 0))] * BUYERS)
    assert Counter(statuses) == {201: LAST_UNITS, 409: BUYERS - LAST_UNITS}
    assert await stock(admin, shirt["id"], 0) == 0
    assert await order_count(admin) == LAST_UNITS


async def test_carts_naming_products_in_opposite_orders_do_not_deadlock(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    first = await plain_product(admin, name="First", stock="15")
    second = await plain_product(admin, name="Second", stock="15")
    clients = await buyers(shop, 40)
    bodies = [
        checkout(item(first), item(second)) if n % 2 else checkout(item(second), item(first))
        for n in range(40)
    ]
    statuses = await race(clients, bodies)
    assert Counter(statuses) == {201: 15, 409: 25}
    assert (await stock(admin, first["id"]), await stock(admin, second["id"])) == (0, 0)


async def test_one_key_sent_twenty_times_at_once_places_one_order(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    socks = await plain_product(admin, stock="50")
    buyer = await shop.signed_up("buyer")
    key = {"Idempotency-Key": "one-checkout-many-clicks"}
    responses = await asyncio.gather(
        *(buyer.post(ORDERS, json=checkout(item(socks, 2)), headers=key) for _ in range(20))
    )
    assert sorted(r.status_code for r in responses) == [200] * 19 + [201]
    assert len({r.json()["data"]["id"] for r in responses}) == 1
    assert await stock(admin, socks["id"]) == 48
    assert await order_count(admin) == 1


async def test_a_coupon_wanted_by_more_checkouts_than_it_allows(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    socks = await plain_product(admin, stock="100")
    terms = {"code": "FIVE", "percent": 20, "maxUse": 5}
    assert (await admin.post("/api/discounts/", json=terms)).status_code == 201
    clients = await buyers(shop, 30)
    statuses = await race(clients, [checkout(item(socks, 3), discountCode="five")] * 30)
    assert Counter(statuses) == {201: 5, 422: 25}
    [discount] = (await admin.get("/api/discounts/")).json()
    assert discount["uses"] == 5
    orders = (await admin.get(ORDERS)).json()
    assert [o["discount"]["code"] for o in orders] == ["FIVE"] * 5
    assert await stock(admin, socks["id"]) == 100 - 5 * 3  # the losers took nothing


# --- across two server processes -------------------------------------------------------------


@pytest.fixture
def two_servers(postgres_url: str, redis_url: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    empty_database(postgres_url)
    shared = {"database_url": postgres_url, "redis_url": redis_url, "hasher_threads": "2"}
    with (
        running_shop(tmp_path / "a", shared) as first,
        running_shop(tmp_path / "b", shared) as second,
    ):
        yield first, second


@pytest.mark.postgres
async def test_buyers_on_two_processes_race_for_the_last_units(
    two_servers: tuple[str, str],
) -> None:
    bases = two_servers
    # No kept-alive connections: a server closes an idle one after 5 s, and a request sent on
    # it just then fails with a read error that says nothing about the shop.
    fresh = httpx.Limits(max_keepalive_connections=0)
    clients = [
        httpx.AsyncClient(base_url=bases[n % 2], timeout=60, limits=fresh)
        for n in range(BUYERS + 1)
    ]
    try:
        admin, rest = clients[0], clients[1:]
        assert (await admin.post("/api/auth/signup/", json=account("admin"))).status_code == 201
        variants = f'[{{"size": "M", "stock": {LAST_UNITS}}}]'
        shirt = await create_product(admin, variants=variants)
        signups = await asyncio.gather(
            *(c.post("/api/auth/signup/", json=account(f"racer{n}")) for n, c in enumerate(rest))
        )
        assert [r.status_code for r in signups] == [201] * BUYERS
        readers = [httpx.AsyncClient(base_url=base, limits=fresh) for base in bases]
        clients.extend(readers)
        for reader in readers * 2:  # each process now answers the product from its cache
            assert await stock(reader, shirt["id"], 0) == LAST_UNITS
        statuses = await race(rest, [checkout(item(shirt, 1, 0))] * BUYERS)
        assert Counter(statuses) == {201: LAST_UNITS, 409: BUYERS - LAST_UNITS}
        for reader in readers:  # the stock triggers' notices reach both processes' caches
            deadline = time.monotonic() + 5
            while await stock(reader, shirt["id"], 0) != 0:
                assert time.monotonic() < deadline, "a process kept serving the old stock"
                await asyncio.sleep(0.02)
        assert await order_count(admin) == LAST_UNITS
    finally:
        for client in clients:
            await client.aclose()

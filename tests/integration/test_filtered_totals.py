"""A filtered listing's total (text or price filter) is counted once per catalogue version on
PostgreSQL, and is exact all the same: a change in this process is counted at once, one in
another process as soon as its notice arrives, and a process that cannot hear notices counts
every time."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import text

from tests.integration.catalogue_helpers import (
    PRODUCTS,
    counting_statements,
    create_product,
    list_products,
)
from tests.integration.conftest import PASSWORD, Shop, ShopFactory
from tests.integration.test_catalogue_cache import eventually

pytestmark = [
    pytest.mark.anyio,
    pytest.mark.postgres,
    pytest.mark.parametrize("database_url", ["postgres"], indirect=True),
]


async def wool_total(shop: Shop) -> int:
    visitor = await shop.client()
    return (await list_products(visitor, q="wool", limit=1))[1]


async def alice_on(shop: Shop) -> httpx.AsyncClient:
    """The ADMIN alice (signed up on another process) signed in on `shop`."""
    client = await shop.client()
    body = {"email": "alice@example.com", "password": PASSWORD}
    assert (await client.post("/api/auth/signin/", json=body)).status_code == 200
    return client


async def settled(shop: Shop) -> None:
    """The notices of earlier writes have arrived: the version no longer moves."""
    version = shop.container.catalogue_version
    while True:
        before = version.current()
        await asyncio.sleep(0.3)
        if version.current() == before is not None:
            return


async def test_a_counted_total_is_reused_until_the_catalogue_changes(
    make_shop: ShopFactory,
) -> None:
    reader = await make_shop(catalogue_cache_entries=0)  # no response cache: only the totals
    admin = await reader.signed_up("alice")
    await create_product(admin, name="Wool scarf")
    await create_product(admin, name="Linen shirt", description="Lined with wool")
    await settled(reader)
    assert await wool_total(reader) == 2

    visitor = await reader.client()
    with counting_statements(reader) as statements:
        response = await visitor.get(f"{PRODUCTS}?q=wool&offset=2")
    assert (response.status_code, response.json()) == (200, [])
    assert response.headers["x-total-count"] == "2"
    assert statements == [], "the total was known: a page past it needs no statement"

    other = await make_shop(catalogue_cache_entries=0)
    await create_product(await alice_on(other), name="Wool hat")

    async def counted_three() -> bool:
        return await wool_total(reader) == 3

    await eventually(counted_three)

    third = await list_products(visitor, q="wool", offset=2)
    assert [p["name"] for p in third[0]] == ["Wool scarf"]
    assert third[1] == 3

    first_wool = (await list_products(visitor, q="wool", limit=1))[0][0]
    assert (await admin.delete(f"{PRODUCTS}{first_wool['id']}/")).status_code == 200
    assert await wool_total(reader) == 2, "this process's own change is counted at once"


async def test_a_process_that_cannot_hear_notices_counts_every_time(
    make_shop: ShopFactory,
) -> None:
    reader = await make_shop(catalogue_cache_entries=0)
    admin = await reader.signed_up("alice")
    await create_product(admin, name="Wool scarf")
    await settled(reader)
    assert await wool_total(reader) == 1

    async with reader.container.engine.connect() as connection:
        await connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND query LIKE 'LISTEN%'"
            )
        )

    async def deaf() -> bool:
        return reader.container.catalogue_version.current() is None

    await eventually(deaf)
    writer = await make_shop(catalogue_cache_entries=0)
    await create_product(await alice_on(writer), name="Wool hat")
    assert await wool_total(reader) == 2, "no notice could say the total moved: it is counted"

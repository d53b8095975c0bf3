"""The listing's totals kept by triggers (migration 0007) always equal a count of the rows."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from alembic import command

from allora.adapters.sql.migrate import alembic_config
from tests.integration.catalogue_helpers import (
    PRODUCTS,
    create_product,
    list_products,
    post_product,
    product_form,
)
from tests.integration.conftest import Shop

pytestmark = pytest.mark.anyio

CATEGORIES = ("shirts", "shoes", "hats")


async def totals(client: httpx.AsyncClient, category: str | None = None) -> tuple[int, int]:
    """(kept total, counted total): `min_price=0` matches every product but is a filter the
    triggers do not keep, so the listing counts rows for it."""
    where = {} if category is None else {"category": category}
    _, kept = await list_products(client, limit=1, **where)
    _, counted = await list_products(client, limit=1, min_price="0", **where)
    return kept, counted


async def assert_totals(client: httpx.AsyncClient, expected: dict[str | None, int]) -> None:
    for category, number in expected.items():
        assert await totals(client, category) == (number, number), category


async def test_totals_follow_creations_moves_and_deletions(shop: Shop) -> None:
    admin = await shop.signed_up("alice")
    visitor = await shop.client()
    await assert_totals(visitor, {None: 0, "shirts": 0, "nothing": 0})
    made = {
        c: [await create_product(admin, category=c) for _ in range(n)]
        for c, n in zip(CATEGORIES, (3, 2, 1), strict=True)
    }
    await assert_totals(visitor, {None: 6, "shirts": 3, "shoes": 2, "hats": 1})

    moved = made["shirts"][0]["id"]
    assert (await admin.patch(f"{PRODUCTS}{moved}/", json={"category": "shoes"})).status_code == 200
    same = made["shoes"][0]["id"]
    assert (
        await admin.patch(f"{PRODUCTS}{same}/", json={"name": "Still shoes"})
    ).status_code == 200
    await assert_totals(visitor, {None: 6, "shirts": 2, "shoes": 3, "hats": 1})

    assert (await admin.delete(f"{PRODUCTS}{made['hats'][0]['id']}/")).status_code == 200
    assert (await admin.delete(f"{PRODUCTS}{moved}/")).status_code == 200
    await assert_totals(visitor, {None: 4, "shirts": 2, "shoes": 2, "hats": 0})


async def test_concurrent_changes_keep_exact_totals(shop: Shop) -> None:
    admin = await shop.signed_up("alice")
    first = [await create_product(admin, category=c) for c in CATEGORIES]

    async def move(product_id: str, category: str) -> int:
        response = await admin.patch(f"{PRODUCTS}{product_id}/", json={"category": category})
        return response.status_code

    async def add(category: str) -> int:
        return (await post_product(admin, product_form(category=category))).status_code

    work = [add(CATEGORIES[i % 3]) for i in range(12)]
    work += [move(p["id"], CATEGORIES[(i + 1) % 3]) for i, p in enumerate(first)]
    work += [move(p["id"], CATEGORIES[(i + 2) % 3]) for i, p in enumerate(first)]
    statuses = await asyncio.gather(*work)
    assert set(statuses) <= {200, 201}, statuses
    visitor = await shop.client()
    kept_sum = 0
    for category in CATEGORIES:
        kept, counted = await totals(visitor, category)
        assert kept == counted, category
        kept_sum += kept
    assert await totals(visitor) == (15, 15)
    assert kept_sum == 15


async def test_the_migration_counts_the_products_already_there(shop: Shop) -> None:
    admin = await shop.signed_up("alice")
    for category in ("shirts", "shirts", "shoes"):
        await create_product(admin, category=category)
    engine = shop.container.engine
    try:
        async with engine.begin() as connection:
            await connection.run_sync(lambda sync: command.downgrade(alembic_config(sync), "0006"))
    finally:
        async with engine.begin() as connection:
            await connection.run_sync(lambda sync: command.upgrade(alembic_config(sync), "head"))
    await assert_totals(await shop.client(), {None: 3, "shirts": 2, "shoes": 1})

"""Public catalogue responses are reused while the catalogue is unchanged, and never after it
changed, whichever process (or the CLI) changed it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from allora.entrypoints.demo_data import seed_demo_catalogue
from allora.entrypoints.wiring import Container
from tests.integration.catalogue_helpers import (
    ACCEPT,
    ALL_COMMENTS,
    COMMENTS,
    PRODUCTS,
    add_comment,
    counting_statements,
    create_product,
    moderate,
)
from tests.integration.conftest import Shop, ShopFactory

pytestmark = pytest.mark.anyio


async def eventually(check: Callable[[], Awaitable[bool]], seconds: float = 5.0) -> None:
    """Another process learns of a commit by the database: allow it a moment, not forever."""
    deadline = time.monotonic() + seconds
    while not await check():
        assert time.monotonic() < deadline, "the change never became visible"
        await asyncio.sleep(0.02)


async def served_from_memory(shop: Shop, client: httpx.AsyncClient, path: str) -> bool:
    """True once a read of `path` runs no SQL (on PostgreSQL, after the notices of earlier
    writes have arrived and moved the version one last time)."""
    with counting_statements(shop) as statements:
        await client.get(path)
    return not statements


def _comparable(response: httpx.Response) -> tuple[int, Any, dict[str, str]]:
    varying = {"date", "x-request-id"}
    headers = {k: v for k, v in response.headers.items() if k not in varying}
    return response.status_code, response.json(), headers


async def test_a_repeated_public_read_runs_no_sql_and_answers_the_same(shop: Shop) -> None:
    admin = await shop.signed_up("alice")
    product = await create_product(admin)
    await add_comment(admin, product["id"])
    visitor = await shop.client(origin="http://shop.test")
    for path in (
        f"{PRODUCTS}?limit=5&sort=price",
        f"{PRODUCTS}{product['id']}/",
        f"{COMMENTS}?productID={product['id']}",
    ):
        first = await visitor.get(path)
        await eventually(lambda: served_from_memory(shop, visitor, path))  # noqa: B023
        with counting_statements(shop) as statements:
            again = await visitor.get(path)
            third = await visitor.get(path)
        assert statements == [], path
        assert _comparable(again) == _comparable(first) == _comparable(third)
        assert first.headers["access-control-allow-origin"] == "http://shop.test"
        assert again.headers["x-request-id"] != first.headers["x-request-id"]


async def test_writes_in_this_process_are_seen_at_once(shop: Shop) -> None:
    admin = await shop.signed_up("alice")
    product = await create_product(admin, name="Linen shirt")
    path = f"{PRODUCTS}{product['id']}/"
    visitor = await shop.client()
    assert (await visitor.get(path)).json()["name"] == "Linen shirt"
    assert len((await visitor.get(PRODUCTS)).json()) == 1

    response = await admin.patch(path, json={"name": "Wool shirt"})
    assert response.status_code == 200, response.text
    assert (await visitor.get(path)).json()["name"] == "Wool shirt"
    assert (await visitor.get(PRODUCTS)).json()[0]["name"] == "Wool shirt"

    comment = await add_comment(visitor, product["id"], score=2)
    assert (await visitor.get(f"{COMMENTS}?productID={product['id']}")).json() == []
    await moderate(admin, ACCEPT, comment["id"])
    assert (await visitor.get(path)).json()["score"] == 2
    listed = (await visitor.get(f"{COMMENTS}?productID={product['id']}")).json()
    assert [c["id"] for c in listed] == [comment["id"]]

    assert (await admin.delete(path)).status_code == 200
    assert (await visitor.get(path)).status_code == 404
    gone = await visitor.get(PRODUCTS)
    assert gone.json() == []
    assert gone.headers["x-total-count"] == "0"


async def test_another_process_and_the_cli_are_seen(make_shop: ShopFactory) -> None:
    writer, reader_shop = await make_shop(), await make_shop()
    admin = await writer.signed_up("alice")
    product = await create_product(admin, name="Linen shirt")
    path = f"{PRODUCTS}{product['id']}/"
    reader = await reader_shop.client()
    assert (await reader.get(path)).json()["name"] == "Linen shirt"
    await eventually(lambda: served_from_memory(reader_shop, reader, path))

    assert (await admin.patch(path, json={"name": "Wool shirt"})).status_code == 200

    async def renamed() -> bool:
        return bool((await reader.get(path)).json()["name"] == "Wool shirt")

    await eventually(renamed)

    assert (await reader.get(PRODUCTS)).headers["x-total-count"] == "1"
    cli = Container.build(writer.settings)  # `allora demo-data`: no HTTP request at all
    try:
        assert await seed_demo_catalogue(cli, 1) == 1
    finally:
        await cli.engine.dispose()

    async def counted_two() -> bool:
        return (await reader.get(PRODUCTS)).headers["x-total-count"] == "2"

    await eventually(counted_two)


async def test_nothing_private_or_failed_is_kept(make_shop: ShopFactory) -> None:
    shop = await make_shop()
    admin = await shop.signed_up("alice")
    product = await create_product(admin)
    await add_comment(admin, product["id"])
    assert (await admin.get(ALL_COMMENTS)).status_code == 200
    anonymous = await shop.client()
    assert (await anonymous.get(ALL_COMMENTS)).status_code == 401
    assert (await anonymous.get(f"{PRODUCTS}?limit=0")).status_code == 400
    with counting_statements(shop) as statements:
        assert (await anonymous.get(f"{PRODUCTS}?limit=0")).status_code == 400
    assert (await anonymous.get(f"{PRODUCTS}not-an-id/")).status_code in (400, 404)

    uncached = await make_shop(catalogue_cache_entries=0)
    visitor = await uncached.client()
    await visitor.get(PRODUCTS)
    with counting_statements(uncached) as statements:
        assert (await visitor.get(PRODUCTS)).status_code == 200
    assert statements, "with ALLORA_CATALOGUE_CACHE_ENTRIES=0 every read goes to the database"


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_only_shown_comment_changes_are_announced(make_shop: ShopFactory) -> None:
    writer, watcher = await make_shop(), await make_shop()
    admin = await writer.signed_up("alice")
    product = await create_product(admin)
    version = watcher.container.catalogue_version
    await asyncio.sleep(0.3)  # the product's own notices have arrived
    settled = version.current()

    comment = await add_comment(admin, product["id"])
    await asyncio.sleep(0.3)
    assert version.current() == settled, "a pending comment is not public: no notice"

    await moderate(admin, ACCEPT, comment["id"])

    async def moved() -> bool:
        return version.current() not in (settled, None)

    await eventually(moved)


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_a_lost_listener_stops_caching_until_it_is_back(shop: Shop) -> None:
    admin = await shop.signed_up("alice")
    await create_product(admin)
    version = shop.container.catalogue_version
    before = version.current()
    assert before is not None
    async with shop.container.engine.connect() as connection:
        killed = await connection.scalar(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND query LIKE 'LISTEN%'"
            )
        )
    assert killed >= 1

    async def lost() -> bool:
        return version.current() is None

    await eventually(lost)
    visitor = await shop.client()
    await visitor.get(PRODUCTS)
    with counting_statements(shop) as statements:
        assert (await visitor.get(PRODUCTS)).status_code == 200
    assert statements, "without notices nothing may be answered from memory"

    async def back() -> bool:
        return version.current() not in (None, before)

    await eventually(back)

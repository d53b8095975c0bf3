"""`allora orders list|status`: orders from the command line, same rules as over HTTP."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.integration.cli_helpers import ADMIN_EMAIL, Cli
from tests.integration.conftest import Shop
from tests.integration.order_helpers import ORDERS, item, place, plain_product, stock

pytestmark = pytest.mark.anyio


async def orders_of(client: httpx.AsyncClient, **params: str) -> list[dict[str, Any]]:
    response = await client.get(ORDERS, params=params)
    assert response.status_code == 200, response.text
    return list(response.json())


async def test_list_gives_what_the_http_api_gives(shop: Shop) -> None:
    cli = await Cli.on(shop)
    product = await plain_product(cli.admin)
    first = await place(cli.member, item(product, 2))
    await place(cli.admin, item(product))
    listed = (await cli.admin_run("orders", "list", "--json")).json()
    assert listed == await orders_of(cli.admin)
    assert len(listed) == 2
    await cli.admin.put(f"{ORDERS}{first['id']}/status", json={"status": "paid"})
    paid = (await cli.admin_run("orders", "list", "--status", "paid", "--json")).json()
    assert [o["id"] for o in paid] == [first["id"]]
    table = (await cli.admin_run("orders", "list")).stdout.splitlines()
    assert table[0] == "2 in all, 2 shown"
    assert table[1].split() == ["id", "created_at", "status", "user", "lines", "total"]


async def test_status_moves_an_order_along(shop: Shop) -> None:
    cli = await Cli.on(shop)
    product = await plain_product(cli.admin)
    order = await place(cli.member, item(product, 2))
    paid = (await cli.admin_run("orders", "status", order["id"], "paid", "--json")).json()
    assert paid["status"] == "paid"
    text = await cli.admin_run("orders", "status", order["id"], "cancelled")
    assert "status: cancelled" in text.stdout.splitlines()
    assert await stock(cli.admin, product["id"]) == 5  # the units came back
    again = await cli.admin_run("orders", "status", order["id"], "shipped")
    assert again.refused().startswith("error: ")


async def test_a_user_acting_is_refused_and_changes_nothing(shop: Shop) -> None:
    cli = await Cli.on(shop)
    product = await plain_product(cli.admin)
    mine = await place(cli.member, item(product))
    theirs = await place(cli.admin, item(product))
    refused = await cli.member_run("orders", "status", mine["id"], "paid")
    assert refused.refused().startswith("error: ")
    assert (await cli.member_run("orders", "status", theirs["id"], "cancelled")).refused()
    assert [o["status"] for o in await orders_of(cli.admin)] == ["pending", "pending"]
    # the command line is for ADMINs: a USER may not even cancel their own pending order here
    assert (await cli.member_run("orders", "status", mine["id"], "cancelled")).refused()
    assert (await cli.member_run("orders", "list")).refused() == "error: Only an ADMIN may do this"
    assert [o["status"] for o in await orders_of(cli.admin)] == ["pending", "pending"]


async def test_bad_input_is_refused(shop: Shop) -> None:
    cli = await Cli.on(shop)
    assert (await cli.admin_run("orders", "status", "nope", "paid")).refused()
    unknown_status = await cli.admin_run("orders", "list", "--status", "lost")
    assert unknown_status.code == 2  # click's usage error, naming the choices
    assert "lost" in unknown_status.stderr


async def test_a_real_process_lists_orders(shop: Shop) -> None:
    cli = await Cli.on(shop)
    product = await plain_product(cli.admin)
    order = await place(cli.member, item(product))
    listed = (await cli.subprocess("orders", "list", "--as", ADMIN_EMAIL, "--json")).json()
    assert [o["id"] for o in listed] == [order["id"]]

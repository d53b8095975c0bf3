"""Contract "Conventions": abuse limits per client address. Past the limit a request is 429
with `Retry-After` and changes nothing; another client address is not affected."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import text

from tests.integration.catalogue_helpers import assert_error, comment_body
from tests.integration.conftest import PASSWORD, Shop, ShopFactory, account
from tests.integration.order_helpers import ORDERS, checkout, item, plain_product

pytestmark = pytest.mark.anyio

LIMIT = 3
ELSEWHERE = "10.0.0.2"

# The i-th request of one route, sent by `client`.
Send = Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]]


@dataclass(frozen=True)
class Route:
    setting: str
    table: str  # where a request that went through leaves a row
    signed_in: bool = False  # the route is for a signed-in shopper

    async def prepare(self, shop: Shop) -> Send:
        """Whatever the route needs first (made from another address), and how to call it."""
        admin = await shop.client(ip="10.0.0.99")
        signed_up = await admin.post("/api/auth/signup/", json=account("admin"))
        assert signed_up.status_code == 201, signed_up.text
        product = await plain_product(admin, stock="50")
        if self.table == "comments":
            return lambda c, i: c.post("/api/comments/", json=comment_body(product["id"]))
        if self.table == "orders":
            return lambda c, i: c.post(ORDERS, json=checkout(item(product)))
        if self.table == "tickets":
            return lambda c, i: c.post("/api/tickets/", json=ticket(i))
        if self.table == "outbox":
            for i in range(LIMIT + 2):
                response = await admin.post("/api/auth/signup/", json=account(f"user{i}"))
                assert response.status_code == 201, response.text
            forgot = "/api/auth/password/forgot/"
            return lambda c, i: c.post(forgot, json={"email": f"user{i}@example.com"})
        if self.table == "sessions":
            signin = {"email": "admin@example.com", "password": PASSWORD}
            return lambda c, i: c.post("/api/auth/signin/", json=signin)
        return lambda c, i: c.post("/api/auth/signup/", json=account(f"new{i}"))


def ticket(i: int) -> dict[str, str]:
    return {"name": "Ann", "message": f"Question {i}", "phone": "5551234567", "email": "a@b.co"}


ROUTES = {
    "sign-up": Route("signup_client_limit", "users"),
    "comment": Route("comment_client_limit", "comments"),
    "ticket": Route("ticket_client_limit", "tickets"),
    "password reset request": Route("reset_client_limit", "outbox"),
    "order": Route("order_client_limit", "orders", signed_in=True),
    "sign-in": Route("signin_client_limit", "sessions"),
}


async def rows(shop: Shop, table: str) -> int:
    async with shop.container.engine.connect() as connection:
        count = await connection.execute(text(f"SELECT count(*) FROM {table}"))  # noqa: S608
        return int(count.scalar_one())


async def shopper(shop: Shop, ip: str, cookie: str | None) -> httpx.AsyncClient:
    return await shop.client(ip=ip, **({"cookie": f"token={cookie}"} if cookie else {}))


@pytest.mark.parametrize("name", list(ROUTES))
async def test_past_the_client_limit_a_request_is_429_and_changes_nothing(
    make_shop: ShopFactory, name: str
) -> None:
    route = ROUTES[name]
    shop = await make_shop(**{route.setting: LIMIT})
    send = await route.prepare(shop)
    cookie = None
    if route.signed_in:
        buyer = await shop.signed_up("buyer")
        cookie = buyer.cookies["token"]
    client = await shopper(shop, "10.0.0.1", cookie)
    for i in range(LIMIT):
        response = await send(client, i)
        assert response.status_code < 300, (i, response.text)
    before = await rows(shop, route.table)

    refused = await send(client, LIMIT)
    assert_error(refused, 429)
    assert 0 < int(refused.headers["retry-after"]) <= 60
    assert await rows(shop, route.table) == before

    other = await shopper(shop, ELSEWHERE, cookie)
    response = await send(other, LIMIT + 1)
    assert response.status_code < 300, response.text
    assert await rows(shop, route.table) > before


async def test_a_retried_order_is_answered_past_the_limit_and_not_counted(
    make_shop: ShopFactory,
) -> None:
    """A retry under an `Idempotency-Key` is the first order's answer, not a new order: a
    shopper whose connection dropped gets it back even when the address is at its limit."""
    shop = await make_shop(order_client_limit=LIMIT)
    admin = await shop.client(ip="10.0.0.99")
    assert (await admin.post("/api/auth/signup/", json=account("admin"))).status_code == 201
    product = await plain_product(admin, stock="50")
    buyer = await shop.signed_up("buyer")
    client = await shopper(shop, "10.0.0.1", buyer.cookies["token"])
    keyed = {"Idempotency-Key": "retry-me"}
    first = await client.post(ORDERS, json=checkout(item(product)), headers=keyed)
    assert first.status_code == 201, first.text
    for _ in range(LIMIT + 2):
        retried = await client.post(ORDERS, json=checkout(item(product)), headers=keyed)
        assert retried.status_code == 200, retried.text
        assert retried.json()["data"]["id"] == first.json()["data"]["id"]
    for i in range(LIMIT - 1):  # the retries took none of the address's orders
        placed = await client.post(ORDERS, json=checkout(item(product)))
        assert placed.status_code == 201, (i, placed.text)
    assert_error(await client.post(ORDERS, json=checkout(item(product))), 429)
    assert await rows(shop, "orders") == LIMIT

"""Orders over HTTP on SQLite and PostgreSQL (API.md, "Orders"): every route with each of its
failures and both slash forms, server-side prices, snapshots, the cart-page coupon and the
catalogue cache."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import text

from tests.integration.catalogue_helpers import PRODUCTS, assert_error, get_product
from tests.integration.conftest import Shop
from tests.integration.order_helpers import (
    BILLING,
    ORDERS,
    QUOTE,
    checkout,
    item,
    place,
    plain_product,
    stock,
    variant_product,
)

pytestmark = pytest.mark.anyio

SLASHES = pytest.mark.parametrize("slash", ["/", ""])
UNKNOWN = "00000000-0000-0000-0000-000000000000"
ORDER_KEYS = {
    "id", "status", "lines", "subtotal", "discount", "shipping", "total", "billing", "user",
    "created_at", "updated_at",
}  # fmt: skip


async def shop_with_buyer(shop: Shop) -> tuple[httpx.AsyncClient, httpx.AsyncClient]:
    return await shop.signed_up("admin"), await shop.signed_up("buyer")


def path(base: str, slash: str) -> str:
    return base.rstrip("/") + slash


# --- POST /api/orders/ --------------------------------------------------------------------------


@SLASHES
async def test_checkout_prices_every_line_itself_and_takes_the_stock(
    shop: Shop, slash: str
) -> None:
    admin, buyer = await shop_with_buyer(shop)
    shirt = await variant_product(
        admin,
        [{"colorName": "red", "colorHex": "#F00", "size": "L", "stock": 4, "price": 0},
         {"size": "S", "stock": 2, "price": 12.5}],
        price="4.05", discount="50",
    )  # fmt: skip
    socks = await plain_product(admin, name="Wool socks", price="2.50")
    forged = {"price": 0.01, "unitPrice": 0.01, "lineTotal": 0, "name": "Free", "discount": 100}
    body = checkout(
        {**item(shirt, 3, 0), **forged}, {**item(socks, 2), **forged}, item(shirt, 1, 1),
        total=0, subtotal=0, shipping=-5,
    )  # fmt: skip
    response = await buyer.post(path(ORDERS, slash), json=body)
    assert response.status_code == 201, response.text
    assert response.headers["cache-control"] == "no-store"
    created = response.json()
    assert created["message"]
    order = created["data"]
    assert set(order) == ORDER_KEYS
    assert order["lines"] == [
        {"product": shirt["id"], "variant": shirt["variants"][0]["id"], "name": "Linen shirt",
         "color": {"name": "red", "hex": "#f00"}, "size": "L", "unitPrice": 2.03, "quantity": 3,
         "lineTotal": 6.09},
        {"product": socks["id"], "variant": None, "name": "Wool socks", "color": None,
         "size": None, "unitPrice": 2.5, "quantity": 2, "lineTotal": 5.0},
        {"product": shirt["id"], "variant": shirt["variants"][1]["id"], "name": "Linen shirt",
         "color": {"name": None, "hex": None}, "size": "S", "unitPrice": 6.25, "quantity": 1,
         "lineTotal": 6.25},
    ]  # fmt: skip
    assert (order["subtotal"], order["discount"], order["shipping"], order["total"]) == (
        17.34, None, 0, 17.34,
    )  # fmt: skip
    assert order["status"] == "pending"
    assert order["billing"] == {**BILLING, "companyName": None, "apartment": None}
    me = (await buyer.get("/api/auth/me/")).json()
    assert order["user"] == me["id"]
    assert await stock(buyer, shirt["id"], 0) == 1
    assert await stock(buyer, shirt["id"], 1) == 1
    assert await stock(buyer, socks["id"]) == 3


async def test_checkout_needs_a_session(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    socks = await plain_product(admin)
    anonymous = await shop.client()
    for route in (ORDERS, QUOTE):
        assert_error(await anonymous.post(route, json=checkout(item(socks))), 401)
    assert await stock(admin, socks["id"]) == 5


@pytest.mark.parametrize(
    "spoil",
    [
        lambda b: {**b, "items": []},
        lambda b: {**b, "items": [{**b["items"][0], "quantity": 0}]},
        lambda b: {**b, "items": [{**b["items"][0], "quantity": 100}]},
        lambda b: {**b, "items": [{**b["items"][0], "quantity": "1"}]},
        lambda b: {**b, "items": [{**b["items"][0], "quantity": 1.5}]},
        lambda b: {**b, "items": [b["items"][0], {**b["items"][0], "quantity": 99}]},
        lambda b: {**b, "items": [{"quantity": 1}]},
        lambda b: {**b, "items": [{**b["items"][0], "variant": 7}]},
        lambda b: {k: v for k, v in b.items() if k != "billing"},
        lambda b: {**b, "billing": {**BILLING, "email": "nope"}},
        lambda b: {**b, "billing": {**BILLING, "firstName": " "}},
        lambda b: {**b, "billing": {**BILLING, "apartment": "x" * 101}},
        lambda b: {**b, "discountCode": "no way"},
        lambda b: {**b, "discountCode": 12345},
        lambda b: [b],
    ],
)
async def test_a_malformed_checkout_is_400_and_takes_nothing(shop: Shop, spoil: Any) -> None:
    admin, buyer = await shop_with_buyer(shop)
    socks = await plain_product(admin)
    response = await buyer.post(ORDERS, json=spoil(checkout(item(socks, 2))))
    assert_error(response, 400)
    assert await stock(buyer, socks["id"]) == 5
    assert (await admin.get(ORDERS)).headers["x-total-count"] == "0"


async def test_more_than_fifty_merged_lines_is_400(shop: Shop) -> None:
    admin, buyer = await shop_with_buyer(shop)
    socks = await plain_product(admin)
    lines = [{"product": f"00000000-0000-0000-0000-{n:012d}", "quantity": 1} for n in range(50)]
    assert_error(await buyer.post(ORDERS, json=checkout(item(socks), *lines)), 400)
    assert await stock(buyer, socks["id"]) == 5


async def test_a_variant_is_needed_exactly_when_the_product_has_some(shop: Shop) -> None:
    admin, buyer = await shop_with_buyer(shop)
    shirt = await variant_product(admin, [{"size": "M", "stock": 3}])
    socks = await plain_product(admin)
    missing = await buyer.post(ORDERS, json=checkout(item(shirt)))
    assert_error(missing, 400)
    assert missing.json()["errors"][0]["field"] == "items[0].variant"
    needless = {**item(socks), "variant": shirt["variants"][0]["id"]}
    assert_error(await buyer.post(ORDERS, json=checkout(needless)), 400)
    assert (await stock(buyer, shirt["id"], 0), await stock(buyer, socks["id"])) == (3, 5)


@pytest.mark.parametrize("what", ["product", "variant", "not an id", "code"])
async def test_unknown_products_variants_and_codes_are_404(shop: Shop, what: str) -> None:
    admin, buyer = await shop_with_buyer(shop)
    shirt = await variant_product(admin, [{"size": "M", "stock": 3}])
    lines = {
        "product": [item(shirt, 1, 0), {"product": UNKNOWN, "quantity": 1}],
        "variant": [{**item(shirt, 1, 0), "variant": UNKNOWN}],
        "not an id": [{"product": "shirt", "quantity": 1}],
        "code": [item(shirt, 1, 0)],
    }[what]
    extra = {"discountCode": "NOSUCH"} if what == "code" else {}
    for route in (ORDERS, QUOTE):
        assert_error(await buyer.post(route, json=checkout(*lines, **extra)), 404)
    assert await stock(buyer, shirt["id"], 0) == 3


async def test_short_lines_are_all_named_and_nothing_is_taken(shop: Shop) -> None:
    admin, buyer = await shop_with_buyer(shop)
    shirt = await variant_product(admin, [{"size": "M", "stock": 3}, {"size": "L", "stock": 1}])
    socks = await plain_product(admin)
    body = checkout(item(socks, 2), item(shirt, 2, 1), item(shirt, 3, 0), item(socks, 4))
    response = await buyer.post(ORDERS, json=body)
    assert_error(response, 409)
    assert response.json()["errors"] == [
        {"field": "items[0]", "message": "Not enough stock for this line"},
        {"field": "items[1]", "message": "Not enough stock for this line"},
    ]
    assert [await stock(buyer, shirt["id"], v) for v in (0, 1)] == [3, 1]
    assert await stock(buyer, socks["id"]) == 5


# --- Idempotency-Key ----------------------------------------------------------------------------


async def test_a_retry_under_the_same_key_answers_the_first_order(shop: Shop) -> None:
    admin, buyer = await shop_with_buyer(shop)
    socks = await plain_product(admin)
    key = {"Idempotency-Key": "0b8a6c1e-retry-me"}
    first = await buyer.post(ORDERS, json=checkout(item(socks, 2)), headers=key)
    assert first.status_code == 201, first.text
    again = await buyer.post(ORDERS, json=checkout(item(socks, 2)), headers=key)
    assert again.status_code == 200, again.text
    assert again.json() == first.json()
    assert await stock(buyer, socks["id"]) == 3
    other_body = await buyer.post(ORDERS, json=checkout(item(socks, 1)), headers=key)
    assert_error(other_body, 422)
    assert await stock(buyer, socks["id"]) == 3
    other_user = await shop.signed_up("other")
    assert (
        await other_user.post(ORDERS, json=checkout(item(socks, 1)), headers=key)
    ).status_code == 201


@pytest.mark.parametrize("key", ["", "has space", "x" * 256, "tab\there", "caf\u00e9"])
async def test_a_malformed_idempotency_key_is_400(shop: Shop, key: str) -> None:
    admin, buyer = await shop_with_buyer(shop)
    socks = await plain_product(admin)
    headers = {b"Idempotency-Key": key.encode()}
    assert_error(await buyer.post(ORDERS, json=checkout(item(socks)), headers=headers), 400)
    assert await stock(buyer, socks["id"]) == 5


# --- discount codes -----------------------------------------------------------------------------


async def test_the_cart_page_coupon_is_taken_over_and_counted_once(shop: Shop) -> None:
    admin, buyer = await shop_with_buyer(shop)
    socks = await plain_product(admin, price="2.50")
    created = await admin.post(
        "/api/discounts/", json={"code": "SAVE15", "percent": 15, "maxUse": 1}
    )
    assert created.status_code == 201
    assert (await buyer.put("/api/discounts/use/", json={"code": "save15"})).status_code == 200
    quote = await buyer.post(QUOTE, json={"items": [item(socks, 3)], "discountCode": "save15"})
    assert quote.status_code == 200, quote.text  # priced, though maxUse is now reached
    assert quote.json()["discount"] == {"code": "SAVE15", "percent": 15, "amount": 1.13}
    order = await place(buyer, item(socks, 3), discountCode="Save15")
    assert (order["discount"], order["total"]) == (quote.json()["discount"], 6.37)
    [discount] = (await admin.get("/api/discounts/")).json()
    assert discount["uses"] == 1
    again = await buyer.post(ORDERS, json=checkout(item(socks), discountCode="SAVE15"))
    assert_error(again, 422)
    cancelled = await buyer.put(f"{ORDERS}{order['id']}/status/", json={"status": "cancelled"})
    assert cancelled.status_code == 200
    assert (await admin.get("/api/discounts/")).json()[0]["uses"] == 0
    assert (await buyer.put("/api/discounts/use/", json={"code": "SAVE15"})).status_code == 200


async def test_checkout_redeems_a_code_and_refuses_one_used_up(shop: Shop) -> None:
    admin, buyer = await shop_with_buyer(shop)
    socks = await plain_product(admin)
    await admin.post("/api/discounts/", json={"code": "ONCE", "percent": 100, "maxUse": 1})
    order = await place(buyer, item(socks), discountCode="ONCE")
    assert (order["subtotal"], order["discount"]["amount"], order["total"]) == (10, 10, 0)
    late = await shop.signed_up("late")
    for route in (QUOTE, ORDERS):
        assert_error(await late.post(route, json=checkout(item(socks), discountCode="ONCE")), 422)
    assert await stock(late, socks["id"]) == 4
    assert (await admin.get("/api/discounts/")).json()[0]["uses"] == 1


# --- POST /api/orders/quote/ --------------------------------------------------------------------


@SLASHES
async def test_a_quote_prices_the_cart_and_changes_nothing(shop: Shop, slash: str) -> None:
    admin, buyer = await shop_with_buyer(shop)
    socks = await plain_product(admin, price="4.05", discount="50", stock="2")
    await admin.post("/api/discounts/", json={"code": "TEN", "percent": 10, "maxUse": 3})
    body = {"items": [{**item(socks, 3), "price": 0}], "discountCode": "ten"}
    response = await buyer.post(path(QUOTE, slash), json=body)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "lines": [{"product": socks["id"], "variant": None, "name": "Linen shirt",
                   "unitPrice": 2.03, "quantity": 3, "lineTotal": 6.09, "available": False}],
        "subtotal": 6.09,
        "discount": {"code": "TEN", "percent": 10, "amount": 0.61},
        "shipping": 0,
        "total": 5.48,
    }  # fmt: skip
    assert await stock(buyer, socks["id"]) == 2
    assert (await admin.get("/api/discounts/")).json()[0]["uses"] == 0
    assert_error(await buyer.post(path(QUOTE, slash), json={"items": []}), 400)


# --- GET /api/orders/ and /api/orders/{id}/ -----------------------------------------------------


@SLASHES
async def test_users_list_their_own_orders_and_admins_all(shop: Shop, slash: str) -> None:
    admin, buyer = await shop_with_buyer(shop)
    other = await shop.signed_up("other")
    socks = await plain_product(admin, stock="9")
    mine = [await place(buyer, item(socks)), await place(buyer, item(socks, 2))]
    theirs = await place(other, item(socks))
    paid = await admin.put(f"{ORDERS}{mine[0]['id']}/status/", json={"status": "paid"})
    assert paid.status_code == 200
    listed = await buyer.get(path(ORDERS, slash))
    assert listed.status_code == 200
    assert listed.headers["x-total-count"] == "2"
    assert [o["id"] for o in listed.json()] == [mine[1]["id"], mine[0]["id"]]
    every = await admin.get(path(ORDERS, slash), params={"limit": 2})
    assert every.headers["x-total-count"] == "3"
    assert [o["id"] for o in every.json()] == [theirs["id"], mine[1]["id"]]
    only_paid = await admin.get(path(ORDERS, slash), params={"status": "paid"})
    assert [o["id"] for o in only_paid.json()] == [mine[0]["id"]]
    assert (await other.get(ORDERS, params={"status": "paid"})).headers["x-total-count"] == "0"
    for bad in ({"status": "lost"}, {"limit": 0}, {"limit": 201}, {"offset": -1}):
        assert_error(await buyer.get(path(ORDERS, slash), params=bad), 400)
    assert_error(await (await shop.client()).get(path(ORDERS, slash)), 401)


@SLASHES
async def test_an_order_is_shown_to_its_owner_and_admins_only(shop: Shop, slash: str) -> None:
    admin, buyer = await shop_with_buyer(shop)
    other = await shop.signed_up("other")
    socks = await plain_product(admin)
    order = await place(buyer, item(socks))
    route = f"{ORDERS}{order['id']}{slash}"
    for client in (buyer, admin):
        response = await client.get(route)
        assert response.status_code == 200
        assert response.json() == order
    assert_error(await other.get(route), 404)
    assert_error(await buyer.get(f"{ORDERS}{UNKNOWN}{slash}"), 404)
    assert_error(await buyer.get(f"{ORDERS}nonsense{slash}"), 404)
    assert_error(await (await shop.client()).get(route), 401)


async def test_an_order_keeps_its_lines_after_the_product_changes_or_goes(shop: Shop) -> None:
    admin, buyer = await shop_with_buyer(shop)
    shirt = await variant_product(admin, [{"colorName": "blue", "size": "M", "stock": 3}])
    order = await place(buyer, item(shirt, 2, 0))
    changed = await admin.patch(
        f"{PRODUCTS}{shirt['id']}/",
        json={"name": "Renamed shirt", "price": 99, "variants": [{"size": "XL", "stock": 1}]},
    )
    assert changed.status_code == 200
    assert (await buyer.get(f"{ORDERS}{order['id']}/")).json() == order
    assert (await admin.delete(f"{PRODUCTS}{shirt['id']}/")).status_code == 200
    assert (await buyer.get(f"{ORDERS}{order['id']}/")).json() == order
    assert (await admin.get(ORDERS)).json() == [order]


# --- PUT /api/orders/{id}/status/ ---------------------------------------------------------------


@SLASHES
async def test_status_changes_follow_the_rules(shop: Shop, slash: str) -> None:
    admin, buyer = await shop_with_buyer(shop)
    other = await shop.signed_up("other")
    socks = await plain_product(admin)
    order = await place(buyer, item(socks, 2))
    route = f"{ORDERS}{order['id']}/status{slash}"
    assert_error(await buyer.put(route, json={"status": "paid"}), 403)
    assert_error(await other.put(route, json={"status": "cancelled"}), 404)
    assert_error(await buyer.put(f"{ORDERS}{UNKNOWN}/status{slash}", json={"status": "paid"}), 404)
    assert_error(await (await shop.client()).put(route, json={"status": "paid"}), 401)
    for bad in ({"status": "lost"}, {"status": 1}, {}, {"state": "paid"}):
        assert_error(await admin.put(route, json=bad), 400)
    assert_error(await admin.put(route, json={"status": "pending"}), 409)
    paid = await admin.put(route, json={"status": "paid"})
    assert paid.status_code == 200, paid.text
    assert (paid.json()["status"], paid.json()["lines"]) == ("paid", order["lines"])
    assert paid.json()["updated_at"] >= order["updated_at"]
    assert_error(await buyer.put(route, json={"status": "cancelled"}), 403)
    assert_error(await admin.put(route, json={"status": "delivered"}), 409)
    for step in ("shipped", "delivered"):
        assert (await admin.put(route, json={"status": step})).json()["status"] == step
    assert_error(await admin.put(route, json={"status": "cancelled"}), 409)
    assert await stock(buyer, socks["id"]) == 3


async def test_cancelling_returns_units_but_not_those_of_a_deleted_product(shop: Shop) -> None:
    admin, buyer = await shop_with_buyer(shop)
    socks = await plain_product(admin)
    gone = await plain_product(admin, name="Gone socks")
    order = await place(buyer, item(socks, 2), item(gone, 1))
    assert (await admin.delete(f"{PRODUCTS}{gone['id']}/")).status_code == 200
    cancelled = await buyer.put(f"{ORDERS}{order['id']}/status/", json={"status": "cancelled"})
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    assert await stock(buyer, socks["id"]) == 5
    assert (await buyer.get(f"{PRODUCTS}{gone['id']}/")).status_code == 404


# --- the catalogue cache ------------------------------------------------------------------------


async def test_the_catalogue_shows_the_new_stock_right_after_an_order(shop: Shop) -> None:
    admin, buyer = await shop_with_buyer(shop)
    shirt = await variant_product(admin, [{"size": "M", "stock": 3}])
    socks = await plain_product(admin)
    visitor = await shop.client()
    for _ in range(2):  # the second read is served from the cache
        assert (await get_product(visitor, shirt["id"]))["variants"][0]["stock"] == 3
        assert (await visitor.get(PRODUCTS)).json()[0]["stock"] == 5
    order = await place(buyer, item(shirt, 2, 0), item(socks, 4))
    assert (await get_product(visitor, shirt["id"]))["variants"][0]["stock"] == 1
    assert (await visitor.get(PRODUCTS)).json()[0]["stock"] == 1
    cancelled = await buyer.put(f"{ORDERS}{order['id']}/status", json={"status": "cancelled"})
    assert cancelled.status_code == 200
    assert (await get_product(visitor, shirt["id"]))["variants"][0]["stock"] == 3
    assert (await visitor.get(PRODUCTS)).json()[0]["stock"] == 5


async def queued_mail(shop: Shop) -> list[tuple[str, str]]:
    """(recipient, subject) of every mail in the outbox, oldest first."""
    async with shop.container.engine.connect() as connection:
        rows = await connection.execute(
            text("SELECT recipient, subject FROM outbox ORDER BY created_at, id")
        )
        return [(row.recipient, row.subject) for row in rows]


async def test_placing_shipping_and_cancelling_queue_mail_to_the_billing_email(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    buyer = await shop.signed_up("buyer")
    product = await plain_product(admin)
    shipped = await place(buyer, item(product))
    cancelled = await place(buyer, item(product))
    for status in ("paid", "shipped"):
        moved = await admin.put(f"{ORDERS}{shipped['id']}/status/", json={"status": status})
        assert moved.status_code == 200, moved.text
    refused = await admin.put(f"{ORDERS}{shipped['id']}/status/", json={"status": "cancelled"})
    assert refused.status_code == 409
    mine = await buyer.put(f"{ORDERS}{cancelled['id']}/status/", json={"status": "cancelled"})
    assert mine.status_code == 200, mine.text
    assert await queued_mail(shop) == [
        (BILLING["email"], f"Your Allora order {shipped['id']}"),
        (BILLING["email"], f"Your Allora order {cancelled['id']}"),
        (BILLING["email"], f"Your Allora order {shipped['id']} has shipped"),
        (BILLING["email"], f"Your Allora order {cancelled['id']} was cancelled"),
    ]

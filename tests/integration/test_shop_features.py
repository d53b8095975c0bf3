"""Wishlist, discount codes and support tickets (contract sections of the same names).

Every test runs on SQLite and on PostgreSQL (the `shop` fixture). The first account of a test is
the ADMIN, later ones are USERs.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import httpx
import pytest

from allora.domain.tickets import SupportIdentity
from tests.integration.catalogue_helpers import PRODUCT_KEYS, PRODUCTS, png_bytes
from tests.integration.conftest import Shop, ShopFactory

pytestmark = pytest.mark.anyio

WISHLIST = "/api/wishlist/"
DISCOUNTS = "/api/discounts/"
REDEEM = "/api/discounts/use/"
TICKETS = "/api/tickets/"
ANSWER = "/api/tickets/answer/"
ME = "/api/auth/me/"

DISCOUNT_KEYS = {
    "id",
    "code",
    "percent",
    "maxUse",
    "uses",
    "startsAt",
    "endsAt",
    "created_at",
    "updated_at",
}
TICKET_KEYS = {
    "id",
    "name",
    "message",
    "phone",
    "email",
    "user",
    "hasAnswer",
    "isAnswer",
    "mainTicket",
    "created_at",
}
THREAD_KEYS = TICKET_KEYS | {"answers"}

MALFORMED = b'{"product": '

Json = dict[str, Any]
# A request body: JSON-encoded, or raw bytes labelled JSON (to send malformed JSON).
Body = object


# --- helpers ---------------------------------------------------------------------------------


async def send(
    client: httpx.AsyncClient, method: str, path: str, body: Body = None
) -> httpx.Response:
    if isinstance(body, bytes):
        return await client.request(
            method, path, content=body, headers={"Content-Type": "application/json"}
        )
    if body is None:
        return await client.request(method, path)
    return await client.request(method, path, json=body)


def assert_error(response: httpx.Response, status: int) -> None:
    """The status is `status` and the body is JSON with a non-empty "message" string."""
    assert response.status_code == status, response.text
    body = response.json()
    assert isinstance(body, dict), body
    assert isinstance(body.get("message"), str), body
    assert body["message"], body


def assert_message(response: httpx.Response, status: int) -> None:
    """A success answered with exactly `{"message": "<non-empty>"}`."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"message"}, body
    assert isinstance(body["message"], str), body
    assert body["message"], body


def check_errors(wrong: list[str], label: str, response: httpx.Response, status: int) -> None:
    """Records `label` in `wrong` unless `response` is the error `status` with a message."""
    try:
        assert_error(response, status)
    except (AssertionError, ValueError):
        wrong.append(f"{label}: {response.status_code} {response.text[:200]}")


async def listing(client: httpx.AsyncClient, path: str) -> tuple[list[Json], int]:
    """One page of a list endpoint and its X-Total-Count."""
    response = await client.get(path)
    assert response.status_code == 200, response.text
    items = response.json()
    assert isinstance(items, list), items
    return cast("list[Json]", items), int(response.headers["X-Total-Count"])


async def user_id(client: httpx.AsyncClient) -> str:
    response = await client.get(ME)
    assert response.status_code == 200, response.text
    return str(response.json()["id"])


async def create_product(admin: httpx.AsyncClient, name: str = "Linen shirt") -> Json:
    response = await admin.post(
        PRODUCTS,
        data={
            "name": name,
            "price": "19.99",
            "description": "A light shirt for warm summer days.",
            "category": "shirts",
            "stock": "12",
            "discount": "10",
        },
        files=[("img", ("photo.png", png_bytes(), "image/png"))],
    )
    assert response.status_code == 201, response.text
    return cast("Json", response.json()["data"])


def iso(moment: datetime) -> str:
    return moment.isoformat()


def moment(text: str) -> datetime:
    """An ISO 8601 timestamp that must carry a timezone."""
    parsed = datetime.fromisoformat(text)
    assert parsed.tzinfo is not None, text
    return parsed


async def create_discount(
    admin: httpx.AsyncClient, code: str, percent: int = 10, max_use: int = 5, **window: str
) -> Json:
    response = await admin.post(
        DISCOUNTS, json={"code": code, "percent": percent, "maxUse": max_use, **window}
    )
    assert response.status_code == 201, response.text
    return cast("Json", response.json()["data"])


async def discounts_by_code(admin: httpx.AsyncClient) -> dict[str, Json]:
    items, total = await listing(admin, DISCOUNTS)
    assert total == len(items)
    return {item["code"]: item for item in items}


async def uses_of(admin: httpx.AsyncClient, code: str) -> int:
    return int((await discounts_by_code(admin))[code]["uses"])


def ticket_body(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "name": "Bob Smith",
        "message": "My parcel has not arrived yet.",
        "phone": "5551234567",
        "email": "bob.smith@example.com",
    }
    body.update(overrides)
    return body


async def open_ticket(client: httpx.AsyncClient, **overrides: object) -> None:
    response = await client.post(TICKETS, json=ticket_body(**overrides))
    assert_message(response, 200)


async def only_ticket(client: httpx.AsyncClient) -> Json:
    tickets, total = await listing(client, TICKETS)
    assert total == 1
    assert len(tickets) == 1
    return tickets[0]


# --- Wishlist --------------------------------------------------------------------------------


async def test_wishlist_adds_lists_and_removes_products(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    shirt = await create_product(admin, "Linen shirt")
    scarf = await create_product(admin, "Wool scarf")
    bob = await shop.signed_up("bob")

    assert_message(await bob.post(WISHLIST, json={"product": shirt["id"]}), 201)
    assert_message(await bob.post(WISHLIST, json={"product": shirt["id"]}), 201)
    assert_message(await bob.post(WISHLIST, json={"product": scarf["id"]}), 201)

    wished, total = await listing(bob, WISHLIST)
    assert total == 2
    assert sorted(product["id"] for product in wished) == sorted([shirt["id"], scarf["id"]])
    for product in wished:
        assert set(product) == PRODUCT_KEYS
    assert {product["id"]: product for product in wished}[shirt["id"]] == shirt

    page = await bob.get(WISHLIST, params={"limit": 1})
    assert page.status_code == 200, page.text
    assert len(page.json()) == 1
    assert page.headers["X-Total-Count"] == "2"
    for limit in (0, 201):
        assert_error(await bob.get(WISHLIST, params={"limit": limit}), 400)

    assert_message(await bob.delete(f"{WISHLIST}{shirt['id']}/"), 200)
    wished, total = await listing(bob, WISHLIST)
    assert [product["id"] for product in wished] == [scarf["id"]]
    assert total == 1

    # Removing what is not on the list is fine, whatever the id looks like.
    for absent in (shirt["id"], str(uuid.uuid4()), "not-a-uuid"):
        assert_message(await bob.delete(f"{WISHLIST}{absent}/"), 200)
    assert (await listing(bob, WISHLIST))[1] == 1


async def test_wishlist_belongs_to_the_session_user_whatever_user_is_sent(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    shirt = await create_product(admin)
    bob = await shop.signed_up("bob")
    carol = await shop.signed_up("carol")
    carol_id = await user_id(carol)

    response = await bob.post(WISHLIST, json={"product": shirt["id"], "user": carol_id})
    assert_message(response, 201)

    wished, total = await listing(bob, WISHLIST)
    assert [product["id"] for product in wished] == [shirt["id"]]
    assert total == 1
    assert await listing(carol, WISHLIST) == ([], 0)
    assert await listing(admin, WISHLIST) == ([], 0)

    # Carol removing the product touches only her own (empty) list.
    assert_message(await carol.delete(f"{WISHLIST}{shirt['id']}/"), 200)
    assert (await listing(bob, WISHLIST))[1] == 1


async def test_wishlist_rejects_bad_bodies_with_400_and_unknown_products_with_404(
    shop: Shop,
) -> None:
    admin = await shop.signed_up("admin")
    await create_product(admin)
    bob = await shop.signed_up("bob")
    wrong: list[str] = []
    bad_requests: list[tuple[str, Body]] = [
        ("missing product", {}),
        ("only a user", {"user": "someone"}),
        ("product a number", {"product": 5}),
        ("product null", {"product": None}),
        ("product a list", {"product": ["x"]}),
        ("body a list", []),
        ("malformed JSON", MALFORMED),
    ]
    for label, body in bad_requests:
        check_errors(wrong, label, await send(bob, "POST", WISHLIST, body), 400)
    for label, unknown in (("random UUID", str(uuid.uuid4())), ("not a UUID", "not-a-uuid")):
        response = await bob.post(WISHLIST, json={"product": unknown})
        check_errors(wrong, label, response, 404)
    assert not wrong, "\n".join(wrong)
    assert await listing(bob, WISHLIST) == ([], 0)


async def test_wishlist_needs_a_session(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    shirt = await create_product(admin)
    assert_message(await admin.post(WISHLIST, json={"product": shirt["id"]}), 201)
    visitor = await shop.client()
    forged = await shop.client(Cookie="token=not-a-real-session")
    wrong: list[str] = []
    for who, client in (("anonymous", visitor), ("forged cookie", forged)):
        for method, path, body in (
            ("POST", WISHLIST, {"product": shirt["id"]}),
            ("GET", WISHLIST, None),
            ("DELETE", f"{WISHLIST}{shirt['id']}/", None),
        ):
            response = await send(client, method, path, body)
            check_errors(wrong, f"{who} {method} {path}", response, 401)
    assert not wrong, "\n".join(wrong)
    assert (await listing(admin, WISHLIST))[1] == 1


async def test_deleting_a_product_removes_it_from_every_wishlist(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    shirt = await create_product(admin, "Linen shirt")
    scarf = await create_product(admin, "Wool scarf")
    bob = await shop.signed_up("bob")
    carol = await shop.signed_up("carol")
    for client in (bob, carol):
        for product in (shirt, scarf):
            assert_message(await client.post(WISHLIST, json={"product": product["id"]}), 201)

    assert_message(await admin.delete(f"{PRODUCTS}{shirt['id']}/"), 200)

    for client in (bob, carol):
        wished, total = await listing(client, WISHLIST)
        assert [product["id"] for product in wished] == [scarf["id"]]
        assert total == 1
    assert_error(await bob.post(WISHLIST, json={"product": shirt["id"]}), 404)


# --- Discounts: creating, listing, deleting --------------------------------------------------


async def test_admin_creates_discounts_stored_upper_case_and_lists_them(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    starts = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
    ends = datetime(2030, 2, 1, 9, 0, tzinfo=UTC)

    response = await admin.post(DISCOUNTS, json={"code": "summer10", "percent": 10, "maxUse": 3})
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"message", "data"}
    assert isinstance(body["message"], str)
    assert body["message"]
    plain = body["data"]
    assert set(plain) == DISCOUNT_KEYS
    assert plain["code"] == "SUMMER10"
    assert (plain["percent"], plain["maxUse"], plain["uses"]) == (10, 3, 0)
    assert plain["startsAt"] is None
    assert plain["endsAt"] is None
    for stamp in ("created_at", "updated_at"):
        assert moment(plain[stamp]).utcoffset() == timedelta(0)

    # A window given in another timezone is the same instants, answered in UTC.
    windowed = await create_discount(
        admin,
        "Winter2030",
        percent=100,
        max_use=1,
        startsAt="2030-01-01T11:00:00+02:00",
        endsAt=iso(ends),
    )
    assert set(windowed) == DISCOUNT_KEYS
    assert windowed["code"] == "WINTER2030"
    assert moment(windowed["startsAt"]) == starts
    assert moment(windowed["endsAt"]) == ends
    free = await create_discount(admin, "zero", percent=0)
    assert free["percent"] == 0

    listed, total = await listing(admin, DISCOUNTS)
    assert total == 3
    assert {item["id"] for item in listed} == {plain["id"], windowed["id"], free["id"]}
    for item in listed:
        assert set(item) == DISCOUNT_KEYS
    by_id = {item["id"]: item for item in listed}
    assert by_id[plain["id"]] == plain
    assert moment(by_id[windowed["id"]]["startsAt"]) == starts
    # Timestamps are UTC, and the created code reads the same in the answer and the listing.
    for stamp in ("startsAt", "endsAt"):
        assert moment(by_id[windowed["id"]][stamp]).utcoffset() == timedelta(0)
        assert moment(windowed[stamp]).utcoffset() == timedelta(0), windowed
    assert by_id[windowed["id"]] == windowed


async def test_invalid_discounts_are_400_and_create_nothing(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    valid: dict[str, object] = {"code": "SAVE10", "percent": 10, "maxUse": 5}
    cases: list[tuple[str, Body]] = [
        ("code too short", {**valid, "code": "ab"}),
        ("code too long", {**valid, "code": "A" * 21}),
        ("code with a dash", {**valid, "code": "SAVE-10"}),
        ("code with a space", {**valid, "code": "SAVE 10"}),
        ("code with a symbol", {**valid, "code": "SAVE10!"}),
        ("code a number", {**valid, "code": 123456}),
        ("percent -1", {**valid, "percent": -1}),
        ("percent 101", {**valid, "percent": 101}),
        ("percent as text", {**valid, "percent": "10"}),
        ("percent a fraction", {**valid, "percent": 10.5}),
        ("percent true", {**valid, "percent": True}),
        ("maxUse 0", {**valid, "maxUse": 0}),
        ("maxUse negative", {**valid, "maxUse": -3}),
        ("maxUse as text", {**valid, "maxUse": "5"}),
        (
            "endsAt before startsAt",
            {**valid, "startsAt": "2030-02-01T00:00:00Z", "endsAt": "2030-01-01T00:00:00Z"},
        ),
        (
            "endsAt equal to startsAt",
            {**valid, "startsAt": "2030-01-01T00:00:00Z", "endsAt": "2030-01-01T00:00:00Z"},
        ),
        ("startsAt without timezone", {**valid, "startsAt": "2030-01-01T00:00:00"}),
        ("endsAt without timezone", {**valid, "endsAt": "2030-01-01T00:00:00"}),
        ("startsAt not a time", {**valid, "startsAt": "next monday"}),
        ("endsAt a number", {**valid, "endsAt": 1893456000}),
        ("endsAt past year 9999 in UTC", {**valid, "endsAt": "9999-12-31T23:59:59-14:00"}),
        ("startsAt before year 1 in UTC", {**valid, "startsAt": "0001-01-01T00:00:00+14:00"}),
        ("body a list", [valid]),
        ("empty body", {}),
        ("malformed JSON", b'{"code": "SAVE10", "percent": '),
    ]
    for field in ("code", "percent", "maxUse"):
        cases.append((f"missing {field}", {k: v for k, v in valid.items() if k != field}))
    wrong: list[str] = []
    for label, body in cases:
        check_errors(wrong, label, await send(admin, "POST", DISCOUNTS, body), 400)
    assert not wrong, "\n".join(wrong)
    assert await listing(admin, DISCOUNTS) == ([], 0)


async def test_a_code_that_exists_in_another_letter_case_is_422(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    first = await create_discount(admin, "SAVE10", percent=10)
    for code in ("save10", "Save10", "SAVE10"):
        response = await admin.post(DISCOUNTS, json={"code": code, "percent": 50, "maxUse": 9})
        assert_error(response, 422)
    assert await discounts_by_code(admin) == {"SAVE10": first}


async def test_admin_deletes_a_discount_and_unknown_ids_are_404(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    doomed = await create_discount(admin, "DOOMED")
    kept = await create_discount(admin, "KEPT")
    bob = await shop.signed_up("bob")
    assert (await bob.put(REDEEM, json={"code": "DOOMED"})).status_code == 200

    assert_message(await admin.delete(f"{DISCOUNTS}{doomed['id']}/"), 200)

    assert set(await discounts_by_code(admin)) == {"KEPT"}
    assert_error(await bob.put(REDEEM, json={"code": "DOOMED"}), 404)
    for unknown in (doomed["id"], str(uuid.uuid4()), "not-a-uuid"):
        assert_error(await admin.delete(f"{DISCOUNTS}{unknown}/"), 404)
    assert await discounts_by_code(admin) == {"KEPT": kept}


async def test_discount_routes_need_a_session_and_admin_routes_an_admin(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    code = await create_discount(admin, "SAVE10")
    bob = await shop.signed_up("bob")
    visitor = await shop.client()
    new_code = {"code": "FRESH", "percent": 5, "maxUse": 2}
    wrong: list[str] = []
    for method, path, body in (
        ("POST", DISCOUNTS, new_code),
        ("GET", DISCOUNTS, None),
        ("DELETE", f"{DISCOUNTS}{code['id']}/", None),
        ("PUT", REDEEM, {"code": "SAVE10"}),
    ):
        response = await send(visitor, method, path, body)
        check_errors(wrong, f"anonymous {method} {path}", response, 401)
    for method, path, body in (
        ("POST", DISCOUNTS, new_code),
        ("GET", DISCOUNTS, None),
        ("DELETE", f"{DISCOUNTS}{code['id']}/", None),
    ):
        response = await send(bob, method, path, body)
        check_errors(wrong, f"USER {method} {path}", response, 403)
    assert not wrong, "\n".join(wrong)
    assert await discounts_by_code(admin) == {"SAVE10": code}


# --- Discounts: redeeming --------------------------------------------------------------------


async def test_redeeming_counts_a_use_matches_any_case_and_works_once_per_user(
    shop: Shop,
) -> None:
    admin = await shop.signed_up("admin")
    created = await create_discount(admin, "SAVE10", percent=10, max_use=5)
    bob = await shop.signed_up("bob")
    carol = await shop.signed_up("carol")

    response = await bob.put(REDEEM, json={"code": "save10"})
    assert response.status_code == 200, response.text
    used = response.json()
    assert set(used) == DISCOUNT_KEYS
    assert used["id"] == created["id"]
    assert used["code"] == "SAVE10"
    assert (used["uses"], used["maxUse"], used["percent"]) == (1, 5, 10)
    assert await uses_of(admin, "SAVE10") == 1

    for code in ("SAVE10", "save10", "Save10"):
        assert_error(await bob.put(REDEEM, json={"code": code}), 422)
    assert await uses_of(admin, "SAVE10") == 1

    response = await carol.put(REDEEM, json={"code": "Save10"})
    assert response.status_code == 200, response.text
    assert response.json()["uses"] == 2
    # The admin is a user like any other when redeeming.
    response = await admin.put(REDEEM, json={"code": "SAVE10"})
    assert response.status_code == 200, response.text
    assert response.json()["uses"] == 3
    assert await uses_of(admin, "SAVE10") == 3


async def test_redeeming_stops_at_max_use(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    await create_discount(admin, "ONLYTWO", max_use=2)
    bob = await shop.signed_up("bob")
    carol = await shop.signed_up("carol")
    dave = await shop.signed_up("dave")

    for client, uses in ((bob, 1), (carol, 2)):
        response = await client.put(REDEEM, json={"code": "onlytwo"})
        assert response.status_code == 200, response.text
        assert response.json()["uses"] == uses
    assert_error(await dave.put(REDEEM, json={"code": "onlytwo"}), 422)
    assert_error(await dave.put(REDEEM, json={"code": "onlytwo"}), 422)
    assert await uses_of(admin, "ONLYTWO") == 2


async def test_redeeming_outside_the_window_is_422_and_changes_nothing(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    now = datetime.now(UTC)
    day = timedelta(days=1)
    await create_discount(admin, "SOON", startsAt=iso(now + day))
    await create_discount(admin, "OVER", startsAt=iso(now - 2 * day), endsAt=iso(now - day))
    await create_discount(admin, "NOW", startsAt=iso(now - day), endsAt=iso(now + day))
    await create_discount(admin, "UNTIL", endsAt=iso(now + day))
    bob = await shop.signed_up("bob")

    for code in ("SOON", "OVER"):
        assert_error(await bob.put(REDEEM, json={"code": code}), 422)
    for code in ("NOW", "UNTIL"):
        response = await bob.put(REDEEM, json={"code": code})
        assert response.status_code == 200, response.text
        assert response.json()["uses"] == 1
    uses = {code: item["uses"] for code, item in (await discounts_by_code(admin)).items()}
    assert uses == {"SOON": 0, "OVER": 0, "NOW": 1, "UNTIL": 1}
    # The refused attempts did not count as this user's redemption either: still 422, not 200.
    assert_error(await bob.put(REDEEM, json={"code": "SOON"}), 422)


async def test_redeeming_a_badly_formed_code_is_400_and_an_unknown_one_404(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    await create_discount(admin, "SAVE10")
    bob = await shop.signed_up("bob")
    wrong: list[str] = []
    cases: list[tuple[str, Body]] = [
        ("symbols", {"code": "a!"}),
        ("too short", {"code": "ab"}),
        ("too long", {"code": "A" * 21}),
        ("a number", {"code": 5}),
        ("null", {"code": None}),
        ("missing", {}),
        ("body a list", ["SAVE10"]),
        ("malformed JSON", b'{"code": '),
    ]
    for label, body in cases:
        check_errors(wrong, label, await send(bob, "PUT", REDEEM, body), 400)
    check_errors(wrong, "unknown", await bob.put(REDEEM, json={"code": "NOPE123"}), 404)
    assert not wrong, "\n".join(wrong)
    assert await uses_of(admin, "SAVE10") == 0


# --- Tickets ---------------------------------------------------------------------------------


async def test_anyone_opens_tickets_and_users_see_only_their_own(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    bob = await shop.signed_up("bob")
    carol = await shop.signed_up("carol")
    visitor = await shop.client()
    bob_id, carol_id = await user_id(bob), await user_id(carol)

    await open_ticket(bob, message="Where is my order?")
    await open_ticket(carol, name="Carol", email="carol@example.com", message="Hello there")
    # A visitor (even one giving Bob's account email) opens a ticket linked to nobody.
    await open_ticket(visitor, email="bob@example.com", message="Do you ship abroad?")

    everything, total = await listing(admin, TICKETS)
    assert total == 3
    for ticket in everything:
        assert set(ticket) == THREAD_KEYS
        assert ticket["hasAnswer"] is False
        assert ticket["isAnswer"] is False
        assert ticket["mainTicket"] is None
        assert ticket["answers"] == []
        assert moment(ticket["created_at"]).utcoffset() == timedelta(0)
    owners = {ticket["message"]: ticket["user"] for ticket in everything}
    assert owners == {
        "Where is my order?": bob_id,
        "Hello there": carol_id,
        "Do you ship abroad?": None,
    }

    mine = await only_ticket(bob)
    assert {key: mine[key] for key in ("name", "message", "phone", "email", "user")} == {
        "name": "Bob Smith",
        "message": "Where is my order?",
        "phone": "5551234567",
        "email": "bob.smith@example.com",
        "user": bob_id,
    }
    hers = await only_ticket(carol)
    assert hers["message"] == "Hello there"
    assert hers["user"] == carol_id


async def test_invalid_tickets_are_400_and_store_nothing(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    visitor = await shop.client()
    cases: list[tuple[str, Body]] = [
        ("empty name", ticket_body(name="")),
        ("blank name", ticket_body(name="   ")),
        ("empty message", ticket_body(message="")),
        ("blank message", ticket_body(message="  \n ")),
        ("short phone", ticket_body(phone="123")),
        ("phone with letters", ticket_body(phone="555123456a")),
        ("invalid email", ticket_body(email="x")),
        ("name a number", ticket_body(name=5)),
        ("message true", ticket_body(message=True)),
        ("phone a number", ticket_body(phone=5551234567)),
        ("email null", ticket_body(email=None)),
        ("body a list", [ticket_body()]),
        ("empty body", {}),
        ("malformed JSON", b'{"name": "Bob", '),
    ]
    for field in ("name", "message", "phone", "email"):
        partial = ticket_body()
        del partial[field]
        cases.append((f"missing {field}", partial))
    wrong: list[str] = []
    for label, body in cases:
        for who, client in (("anonymous", visitor), ("admin", admin)):
            response = await send(client, "POST", TICKETS, body)
            check_errors(wrong, f"{who} {label}", response, 400)
    assert not wrong, "\n".join(wrong)
    assert await listing(admin, TICKETS) == ([], 0)


async def test_admin_answers_a_ticket_and_its_owner_sees_the_answer(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    bob = await shop.signed_up("bob")
    admin_id, bob_id = await user_id(admin), await user_id(bob)
    await open_ticket(bob, message="Where is my order?")
    main = await only_ticket(admin)

    response = await admin.post(ANSWER, json={"ticketID": main["id"], "message": "It ships today."})
    assert_message(response, 200)

    for client in (admin, bob):
        thread = await only_ticket(client)
        assert thread["id"] == main["id"]
        assert thread["user"] == bob_id
        assert thread["hasAnswer"] is True
        assert thread["isAnswer"] is False
        assert thread["mainTicket"] is None
        assert len(thread["answers"]) == 1
        answer = thread["answers"][0]
        assert set(answer) == TICKET_KEYS
        assert answer["message"] == "It ships today."
        assert answer["isAnswer"] is True
        assert answer["hasAnswer"] is False
        assert answer["mainTicket"] == main["id"]
        assert answer["user"] == (admin_id if client is admin else None)
        assert answer["id"] != main["id"]
        assert moment(answer["created_at"]) >= moment(main["created_at"])


async def test_an_answer_shows_the_support_desk_never_the_admin(make_shop: ShopFactory) -> None:
    support = SupportIdentity.parse("Allora Help Desk", "5550001111", "help@allora.test")
    shop = await make_shop(support=support)
    admin = await shop.signed_up("admin", email="boss@example.com", phone="5557770000")
    bob = await shop.signed_up("bob")
    admin_id = await user_id(admin)
    await open_ticket(bob, message="Where is my order?")
    main = await only_ticket(admin)
    assert_message(await admin.post(ANSWER, json={"ticketID": main["id"], "message": "Today"}), 200)

    seen_by_bob = await bob.get(TICKETS)
    for secret in (admin_id, "boss@example.com", "5557770000", '"admin"'):
        assert secret not in seen_by_bob.text, secret
    desk = {"name": "Allora Help Desk", "phone": "5550001111", "email": "help@allora.test"}
    (answer,) = seen_by_bob.json()[0]["answers"]
    assert {key: answer[key] for key in (*desk, "user")} == {**desk, "user": None}

    (answer,) = (await only_ticket(admin))["answers"]
    assert {key: answer[key] for key in (*desk, "user")} == {**desk, "user": admin_id}


async def test_answering_rejects_bad_bodies_unknown_tickets_and_answers(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    bob = await shop.signed_up("bob")
    await open_ticket(bob)
    main = await only_ticket(admin)
    assert_message(await admin.post(ANSWER, json={"ticketID": main["id"], "message": "Done."}), 200)
    answer_id = (await only_ticket(admin))["answers"][0]["id"]

    wrong: list[str] = []
    bad_requests: list[tuple[str, Body]] = [
        ("missing message", {"ticketID": main["id"]}),
        ("missing ticketID", {"message": "Hello"}),
        ("empty message", {"ticketID": main["id"], "message": ""}),
        ("message a number", {"ticketID": main["id"], "message": 5}),
        ("ticketID a number", {"ticketID": 5, "message": "Hello"}),
        ("ticketID null", {"ticketID": None, "message": "Hello"}),
        ("malformed JSON", b'{"ticketID": '),
    ]
    for label, body in bad_requests:
        check_errors(wrong, label, await send(admin, "POST", ANSWER, body), 400)
    for label, ticket_id in (
        ("random UUID", str(uuid.uuid4())),
        ("not a UUID", "not-a-uuid"),
        ("an answer's id", answer_id),
    ):
        response = await admin.post(ANSWER, json={"ticketID": ticket_id, "message": "Hello"})
        check_errors(wrong, label, response, 404)
    assert not wrong, "\n".join(wrong)
    assert len((await only_ticket(admin))["answers"]) == 1


async def test_ticket_routes_need_a_session_and_answering_an_admin(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    bob = await shop.signed_up("bob")
    visitor = await shop.client()
    await open_ticket(bob)
    main = await only_ticket(admin)
    answer = {"ticketID": main["id"], "message": "Answered by a stranger."}
    wrong: list[str] = []
    check_errors(wrong, "anonymous GET", await visitor.get(TICKETS), 401)
    check_errors(wrong, "anonymous answer", await visitor.post(ANSWER, json=answer), 401)
    check_errors(wrong, "USER answer", await bob.post(ANSWER, json=answer), 403)
    assert not wrong, "\n".join(wrong)
    thread = await only_ticket(admin)
    assert thread["hasAnswer"] is False
    assert thread["answers"] == []


# --- Conventions -----------------------------------------------------------------------------


async def test_every_route_answers_with_and_without_a_trailing_slash(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    shirt = await create_product(admin)
    bob = await shop.signed_up("bob")
    await open_ticket(bob)
    main = await only_ticket(admin)
    wrong: list[str] = []

    def expect(label: str, response: httpx.Response, status: int) -> None:
        if response.status_code != status:
            wrong.append(f"{label}: {response.status_code} {response.text[:200]}")

    for slash in ("", "/"):
        route = f"/api/wishlist{slash}"
        product = {"product": shirt["id"]}
        expect(f"POST {route}", await bob.post(route, json=product), 201)
        expect(f"GET {route}", await bob.get(route), 200)
        route = f"/api/wishlist/{shirt['id']}{slash}"
        expect(f"DELETE {route}", await bob.delete(route), 200)

        code = f"CODE{len(slash)}"
        route = f"/api/discounts{slash}"
        body = {"code": code, "percent": 10, "maxUse": 5}
        created = await admin.post(route, json=body)
        expect(f"POST {route}", created, 201)
        expect(f"GET {route}", await admin.get(route), 200)
        route = f"/api/discounts/use{slash}"
        expect(f"PUT {route}", await bob.put(route, json={"code": code}), 200)
        if created.status_code == 201:
            route = f"/api/discounts/{created.json()['data']['id']}{slash}"
            expect(f"DELETE {route}", await admin.delete(route), 200)

        route = f"/api/tickets{slash}"
        expect(f"POST {route}", await bob.post(route, json=ticket_body()), 200)
        expect(f"GET {route}", await bob.get(route), 200)
        route = f"/api/tickets/answer{slash}"
        answer = {"ticketID": main["id"], "message": "On its way."}
        expect(f"POST {route}", await admin.post(route, json=answer), 200)
    assert not wrong, "\n".join(wrong)

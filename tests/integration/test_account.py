"""The account page and saved billing details (contract section "Account"), on both databases."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.integration.conftest import PASSWORD, Shop, ShopFactory

pytestmark = pytest.mark.anyio

UPDATE = "/api/account/update/"
BILLING = "/api/account/billing/"
ME = "/api/auth/me/"
SIGNIN = "/api/auth/signin/"
NEW_PASSWORD = "Fresh2?pass"
USER_KEYS = {"id", "name", "phone", "email", "role", "created_at"}
BILLING_FORM = {
    "firstName": "Zoë",
    "companyName": "Acme",
    "streetAddress": "1 Main Street",
    "apartment": None,
    "city": "Springfield",
    "phone": "5550001234",
    "email": "Billing@Example.com",
}


def assert_error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert isinstance(body["message"], str)
    assert body["message"]
    return body


async def form_of(client: httpx.AsyncClient, **changes: object) -> dict[str, object]:
    """The account form as the storefront sends it: all five fields."""
    me = (await client.get(ME)).json()
    return {
        "name": me["name"],
        "email": me["email"],
        "phone": me["phone"],
        "currentPassword": "",
        "newPassword": "",
        **changes,
    }


@pytest.mark.parametrize("path", [UPDATE, UPDATE.rstrip("/")])
async def test_update_changes_the_profile_and_answers_the_user(shop: Shop, path: str) -> None:
    alice = await shop.signed_up("alice")
    response = await alice.patch(path, json=await form_of(alice, name="alice2", email="A2@X.io"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["message"]
    assert set(body["data"]) == USER_KEYS
    assert (body["data"]["name"], body["data"]["email"]) == ("alice2", "a2@x.io")
    assert (await alice.get(ME)).json() == body["data"]


async def test_a_new_password_keeps_this_session_and_ends_the_others(shop: Shop) -> None:
    alice = await shop.signed_up("alice")
    elsewhere = await shop.client()
    signed_in = await elsewhere.post(
        SIGNIN, json={"email": "alice@example.com", "password": PASSWORD}
    )
    assert signed_in.status_code == 200
    bob = await shop.signed_up("bob")
    changed = await alice.patch(
        UPDATE, json=await form_of(alice, currentPassword=PASSWORD, newPassword=NEW_PASSWORD)
    )
    assert changed.status_code == 200, changed.text
    assert (await alice.get(ME)).status_code == 200
    assert (await elsewhere.get(ME)).status_code == 401
    assert (await bob.get(ME)).status_code == 200
    fresh = await shop.client()
    old = await fresh.post(SIGNIN, json={"email": "alice@example.com", "password": PASSWORD})
    assert_error(old, 401)
    new = await fresh.post(SIGNIN, json={"email": "alice@example.com", "password": NEW_PASSWORD})
    assert new.status_code == 200


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"name": "Not Valid"}, ["name"]),
        ({"email": "nope"}, ["email"]),
        ({"phone": 5550001234}, ["phone"]),
        ({"currentPassword": "", "newPassword": NEW_PASSWORD}, ["currentPassword"]),
        ({"newPassword": NEW_PASSWORD}, ["currentPassword"]),
        ({"currentPassword": PASSWORD, "newPassword": "weakpass"}, ["newPassword"]),
        ({"newPassword": 12345678}, ["newPassword"]),
    ],
)
async def test_invalid_updates_are_400_and_change_nothing(
    shop: Shop, changes: dict[str, object], fields: list[str]
) -> None:
    alice = await shop.signed_up("alice")
    before = (await alice.get(ME)).json()
    form = await form_of(alice, **changes)
    if "newPassword" in changes and "currentPassword" not in changes:
        del form["currentPassword"]  # absent, not empty
    body = assert_error(await alice.patch(UPDATE, json=form), 400)
    assert [e["field"] for e in body.get("errors", [])] == fields
    assert (await alice.get(ME)).json() == before


async def test_malformed_or_missing_bodies_are_400(shop: Shop) -> None:
    alice = await shop.signed_up("alice")
    headers = {"Content-Type": "application/json"}
    assert_error(await alice.patch(UPDATE, content=b'{"name": ', headers=headers), 400)
    assert_error(await alice.patch(UPDATE, json={"name": "alice"}), 400)


async def test_update_without_a_session_is_401(shop: Shop) -> None:
    visitor = await shop.client()
    form = {"name": "x" * 3, "email": "x@x.io", "phone": "5550001234"}
    assert_error(await visitor.patch(UPDATE, json=form), 401)


async def test_a_wrong_current_password_is_403_and_counts_as_a_failed_sign_in(
    shop: Shop,
) -> None:
    alice = await shop.signed_up("alice")
    wrong = await form_of(
        alice, name="renamed", currentPassword="Wrong1!pw", newPassword=NEW_PASSWORD
    )
    for _ in range(10):
        assert_error(await alice.patch(UPDATE, json=wrong), 403)
    assert (await alice.get(ME)).json()["name"] == "alice"
    other = await shop.client(ip="10.9.9.9")
    locked = await other.post(SIGNIN, json={"email": "alice@example.com", "password": PASSWORD})
    assert_error(locked, 429)
    right = await form_of(alice, currentPassword=PASSWORD, newPassword=NEW_PASSWORD)
    assert_error(await alice.patch(UPDATE, json=right), 429)


async def test_password_checks_share_the_clients_sign_in_limit(make_shop: ShopFactory) -> None:
    shop = await make_shop(signin_client_limit=2)
    alice = await shop.signed_up("alice")
    form = await form_of(alice, currentPassword=PASSWORD, newPassword=NEW_PASSWORD)
    assert (await alice.patch(UPDATE, json=form)).status_code == 200
    form = await form_of(alice, currentPassword=NEW_PASSWORD, newPassword=PASSWORD)
    assert (await alice.patch(UPDATE, json=form)).status_code == 200
    assert_error(await alice.patch(UPDATE, json=form), 429)
    assert (
        await alice.patch(UPDATE, json=await form_of(alice, name="noprofile"))
    ).status_code == 200


async def test_taken_details_are_422(shop: Shop) -> None:
    await shop.signed_up("alice")
    bob = await shop.signed_up("bob")
    response = await bob.patch(UPDATE, json=await form_of(bob, email="ALICE@example.com"))
    assert assert_error(response, 422)["message"] == "email already taken"
    assert (await bob.get(ME)).json()["email"] == "bob@example.com"


@pytest.mark.parametrize("path", [BILLING, BILLING.rstrip("/")])
async def test_billing_is_null_until_saved_then_what_was_saved(shop: Shop, path: str) -> None:
    alice = await shop.signed_up("alice")
    empty = await alice.get(path)
    assert empty.status_code == 200
    assert empty.json() is None
    saved = await alice.put(path, json=BILLING_FORM)
    assert saved.status_code == 200, saved.text
    expected = {**BILLING_FORM, "email": "billing@example.com"}
    assert saved.json() == expected
    assert (await alice.get(path)).json() == expected
    again = await alice.put(path, json={**BILLING_FORM, "companyName": None, "city": "Ogdenville"})
    assert again.status_code == 200
    assert (await alice.get(path)).json() == {**expected, "companyName": None, "city": "Ogdenville"}
    bob = await shop.signed_up("bob")
    assert (await bob.get(path)).json() is None


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"firstName": ""}, ["firstName"]),
        ({"city": "x" * 101}, ["city"]),
        ({"apartment": "x" * 101, "phone": "12"}, ["apartment", "phone"]),
        ({"email": "no"}, ["email"]),
        ({"streetAddress": 7}, ["streetAddress"]),
    ],
)
async def test_invalid_billing_is_400_and_saves_nothing(
    shop: Shop, changes: dict[str, object], fields: list[str]
) -> None:
    alice = await shop.signed_up("alice")
    body = assert_error(await alice.put(BILLING, json={**BILLING_FORM, **changes}), 400)
    assert [e["field"] for e in body["errors"]] == fields
    assert (await alice.get(BILLING)).json() is None


async def test_billing_without_a_session_is_401(shop: Shop) -> None:
    visitor = await shop.client()
    assert_error(await visitor.get(BILLING), 401)
    assert_error(await visitor.put(BILLING, json=BILLING_FORM), 401)


async def test_a_banned_email_cannot_be_taken_by_an_update(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    bob = await shop.signed_up("bob")
    assert (
        await admin.post("/api/user/ban/", json={"email": "gone@example.com"})
    ).status_code == 200
    assert_error(await bob.patch(UPDATE, json=await form_of(bob, email="gone@example.com")), 403)

"""Password reset by a mailed code (contract section "Password reset"), on both databases;
the code is read from the outbox the way the worker would send it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import text

from tests.integration.conftest import PASSWORD, Shop, ShopFactory
from tests.integration.mailbox import mailed_code, mailed_texts, outbox_rows

pytestmark = pytest.mark.anyio

FORGOT = "/api/auth/password/forgot/"
RESET = "/api/auth/password/reset/"
ME = "/api/auth/me/"
SIGNIN = "/api/auth/signin/"
NEW_PASSWORD = "Fresh2?pass"
ALICE = "alice@example.com"


def assert_error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert isinstance(body["message"], str)
    assert body["message"]
    return body


async def reset(client: httpx.AsyncClient, code: object, **changes: object) -> httpx.Response:
    return await client.post(
        RESET, json={"email": ALICE, "code": code, "newPassword": NEW_PASSWORD, **changes}
    )


@pytest.mark.parametrize("path", [FORGOT, FORGOT.rstrip("/")])
async def test_forgot_answers_alike_for_known_and_unknown_emails(shop: Shop, path: str) -> None:
    await shop.signed_up("alice")
    visitor = await shop.client()
    known = await visitor.post(path, json={"email": "Alice@Example.com"})
    unknown = await visitor.post(path, json={"email": "nobody@example.com"})
    assert (known.status_code, unknown.status_code) == (200, 200)
    assert known.json() == unknown.json()
    assert set(known.json()) == {"message"}
    assert "set-cookie" not in known.headers
    assert [row.recipient for row in await outbox_rows(shop)] == [ALICE]
    assert len(await mailed_texts(shop, ALICE)) == 1


async def test_the_reset_code_is_not_stored_in_clear(shop: Shop) -> None:
    await shop.signed_up("alice")
    assert (await (await shop.client()).post(FORGOT, json={"email": ALICE})).status_code == 200
    code = await mailed_code(shop, ALICE)
    async with shop.container.engine.connect() as connection:
        for table in ("password_resets", "outbox"):
            rows = (await connection.execute(text(f"SELECT * FROM {table}"))).all()  # noqa: S608
            assert rows
            assert code not in repr(rows)


@pytest.mark.parametrize("body", [{"email": "nope"}, {"email": 7}, {}, {"mail": ALICE}])
async def test_forgot_with_an_ill_formed_email_is_400(shop: Shop, body: dict[str, object]) -> None:
    visitor = await shop.client()
    assert_error(await visitor.post(FORGOT, json=body), 400)
    assert await outbox_rows(shop) == []


async def test_three_requests_an_hour_per_email_account_or_not(shop: Shop) -> None:
    await shop.signed_up("alice")
    for email in (ALICE, "nobody@example.com"):
        for n in range(3):
            client = await shop.client(ip=f"10.1.{n}.1")
            assert (await client.post(FORGOT, json={"email": email})).status_code == 200
        late = await shop.client(ip="10.1.9.1")
        assert_error(await late.post(FORGOT, json={"email": email.upper()}), 429)
    assert len(await mailed_texts(shop, ALICE)) == 3


async def test_the_client_limit_applies_to_both_routes(make_shop: ShopFactory) -> None:
    shop = await make_shop(reset_client_limit=2)
    client = await shop.client(ip="10.2.0.1")
    for n in range(2):
        assert (await client.post(FORGOT, json={"email": f"n{n}@example.com"})).status_code == 200
        assert_error(await reset(client, "123456"), 401)
    assert_error(await client.post(FORGOT, json={"email": "n9@example.com"}), 429)
    assert_error(await reset(client, "123456"), 429)
    other = await shop.client(ip="10.2.0.2")
    assert (await other.post(FORGOT, json={"email": "n9@example.com"})).status_code == 200


@pytest.mark.parametrize("path", [RESET, RESET.rstrip("/")])
async def test_the_mailed_code_resets_signs_in_and_ends_every_other_session(
    shop: Shop, path: str
) -> None:
    alice = await shop.signed_up("alice")
    visitor = await shop.client()
    assert (await visitor.post(FORGOT, json={"email": ALICE})).status_code == 200
    code = await mailed_code(shop, ALICE)
    response = await visitor.post(
        path, json={"email": "ALICE@example.com", "code": code, "newPassword": NEW_PASSWORD}
    )
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"message"}
    cookie = response.headers["set-cookie"].lower()
    assert cookie.startswith("token=")
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert (await visitor.get(ME)).json()["email"] == ALICE
    assert (await alice.get(ME)).status_code == 401
    fresh = await shop.client()
    assert_error(await fresh.post(SIGNIN, json={"email": ALICE, "password": PASSWORD}), 401)
    assert (
        await fresh.post(SIGNIN, json={"email": ALICE, "password": NEW_PASSWORD})
    ).status_code == 200
    assert_error(await reset(await shop.client(), code, newPassword="Other3!pw"), 401)  # used


async def test_wrong_expired_voided_codes_and_unknown_emails_are_one_401(shop: Shop) -> None:
    await shop.signed_up("alice")
    client = await shop.client()
    unknown = assert_error(await reset(client, "123456", email="nobody@example.com"), 401)
    assert (await client.post(FORGOT, json={"email": ALICE})).status_code == 200
    first = await mailed_code(shop, ALICE)
    wrong = assert_error(await reset(client, "000000" if first != "000000" else "111111"), 401)
    assert (await client.post(FORGOT, json={"email": ALICE})).status_code == 200
    second = await mailed_code(shop, ALICE)
    if first != second:
        voided = assert_error(await reset(client, first), 401)
        assert voided["message"] == unknown["message"]
    async with shop.container.engine.begin() as connection:
        await connection.execute(
            text("UPDATE password_resets SET expires_at = created_at")  # 15 minutes later
        )
    expired = assert_error(await reset(client, second), 401)
    assert unknown["message"] == wrong["message"] == expired["message"]


async def test_five_wrong_codes_void_the_code(shop: Shop) -> None:
    await shop.signed_up("alice")
    client = await shop.client()
    assert (await client.post(FORGOT, json={"email": ALICE})).status_code == 200
    code = await mailed_code(shop, ALICE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for n in range(5):
        guesser = await shop.client(ip=f"10.3.{n}.1")
        assert_error(await reset(guesser, wrong), 401)
    assert_error(await reset(await shop.client(ip="10.3.9.1"), code), 401)


async def test_a_banned_account_with_the_right_code_is_403(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    await shop.signed_up("alice")
    client = await shop.client()
    assert (await client.post(FORGOT, json={"email": ALICE})).status_code == 200
    code = await mailed_code(shop, ALICE)
    assert (await admin.post("/api/user/ban/", json={"email": ALICE})).status_code == 200
    assert_error(await reset(client, code), 403)
    assert "set-cookie" not in (await reset(client, code)).headers


@pytest.mark.parametrize(
    "changes",
    [
        {"code": 123456},
        {"code": "12345"},
        {"code": "1234567"},
        {"code": "12a456"},
        {"newPassword": "weakpass"},
        {"email": "nope"},
        {"code": None},
    ],
)
async def test_ill_formed_resets_are_400(shop: Shop, changes: dict[str, object]) -> None:
    await shop.signed_up("alice")
    client = await shop.client()
    assert (await client.post(FORGOT, json={"email": ALICE})).status_code == 200
    code = await mailed_code(shop, ALICE)
    body = {"email": ALICE, "code": code, "newPassword": NEW_PASSWORD, **changes}
    assert_error(await client.post(RESET, json=body), 400)
    assert_error(await client.post(RESET, json={"email": ALICE, "code": code}), 400)
    assert (await reset(client, code)).status_code == 200  # nothing was used up

"""A value of the wrong JSON type is refused at the edge: 400 naming the field, nothing changed.

Use cases take typed values, so these cases (once unit tests that handed use cases a number for
a string) are the HTTP edge's to refuse; the rules for well-typed values stay unit-tested.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from allora.adapters.sql.tables import metadata
from tests.integration.conftest import PASSWORD, Shop, account

pytestmark = pytest.mark.anyio


async def everything(shop: Shop) -> list[list[tuple[Any, ...]]]:
    """Every row of every table, to show a refused request changed nothing."""
    async with shop.container.engine.connect() as connection:
        return [
            sorted(map(tuple, (await connection.execute(table.select())).all()), key=repr)
            for table in metadata.sorted_tables
        ]


async def assert_refused_naming(
    shop: Shop, client: httpx.AsyncClient, method: str, path: str, body: object, field: str
) -> None:
    before = await everything(shop)
    response = await client.request(method, path, json=body)
    assert response.status_code == 400, response.text
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert await everything(shop) == before


SIGN_UP_TYPES = [("name", None), ("email", 42), ("phone", 5551234567), ("password", ["Pw0rd!aa"])]


@pytest.mark.parametrize(("field", "value"), SIGN_UP_TYPES)
async def test_sign_up_fields_of_the_wrong_type(shop: Shop, field: str, value: object) -> None:
    client = await shop.client()
    body = {**account("alice"), field: value}
    await assert_refused_naming(shop, client, "POST", "/api/auth/signup/", body, field)


@pytest.mark.parametrize(
    ("field", "value"), [("email", None), ("email", 7), ("password", None), ("password", 12345678)]
)
async def test_sign_in_fields_of_the_wrong_type(shop: Shop, field: str, value: object) -> None:
    await shop.signed_up("alice")
    client = await shop.client()
    body = {"email": "alice@example.com", "password": PASSWORD, field: value}
    await assert_refused_naming(shop, client, "POST", "/api/auth/signin/", body, field)


async def test_profile_and_ban_fields_of_the_wrong_type(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    profile = {"name": "admin", "email": "admin@example.com", "phone": 42}
    await assert_refused_naming(shop, admin, "POST", "/api/user/", profile, "phone")
    ban = {"email": 42, "phone": "5550001111"}
    await assert_refused_naming(shop, admin, "POST", "/api/user/ban/", ban, "email")


@pytest.mark.parametrize("value", [None, 2, ["id"]])
async def test_a_role_change_naming_no_string_id(shop: Shop, value: object) -> None:
    admin = await shop.signed_up("admin")
    await assert_refused_naming(shop, admin, "PUT", "/api/user/role/", {"id": value}, "id")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("percent", "10"),
        ("percent", 10.5),
        ("percent", True),
        ("percent", None),
        ("maxUse", "5"),
        ("maxUse", 1.0),
        ("maxUse", True),
        ("maxUse", None),
    ],
)
async def test_discount_terms_of_the_wrong_type(shop: Shop, field: str, value: object) -> None:
    admin = await shop.signed_up("admin")
    body = {"code": "SPRING", "percent": 10, "maxUse": 1, field: value}
    await assert_refused_naming(shop, admin, "POST", "/api/discounts/", body, field)


@pytest.mark.parametrize(
    ("path", "method", "body", "field"),
    [
        ("/api/discounts/use/", "PUT", {"code": 42}, "code"),
        ("/api/discounts/use/", "PUT", {"code": None}, "code"),
        ("/api/wishlist/", "POST", {"product": 42}, "product"),
        ("/api/tickets/answer/", "POST", {"ticketID": 42, "message": "Done"}, "ticketID"),
    ],
)
async def test_ids_and_codes_of_the_wrong_type(
    shop: Shop, path: str, method: str, body: dict[str, object], field: str
) -> None:
    admin = await shop.signed_up("admin")
    await assert_refused_naming(shop, admin, method, path, body, field)


@pytest.mark.parametrize(("field", "value"), [("phone", 5551234567), ("name", None)])
async def test_ticket_fields_of_the_wrong_type(shop: Shop, field: str, value: object) -> None:
    client = await shop.client()
    body = {"name": "Ann", "message": "Help", "phone": "5551234567", "email": "ann@example.com"}
    await assert_refused_naming(
        shop, client, "POST", "/api/tickets/", {**body, field: value}, field
    )

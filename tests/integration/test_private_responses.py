"""Contract "Conventions" and "Session": private answers are never stored by a cache, no answer
is sniffed or framed, a JSON endpoint reads only JSON, and the server's own origin may write."""

from __future__ import annotations

import httpx
import pytest

from tests.integration.catalogue_helpers import assert_error, create_product
from tests.integration.conftest import Shop, account
from tests.integration.order_helpers import BILLING

pytestmark = pytest.mark.anyio

PRIVATE_READS = [
    "/api/auth/me/",
    "/api/users/",
    "/api/tickets/",
    "/api/wishlist/",
    "/api/orders/",
    "/api/account/billing/",
]


def assert_hardened(response: httpx.Response) -> None:
    assert response.headers["x-content-type-options"] == "nosniff", response.headers
    assert response.headers["x-frame-options"] == "DENY", response.headers
    assert len(response.headers.get_list("x-content-type-options")) == 1


def assert_private(response: httpx.Response) -> None:
    assert_hardened(response)
    assert response.headers["cache-control"] == "no-store", (response.url, response.headers)


async def test_session_answers_are_never_stored(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    for path in PRIVATE_READS:
        response = await admin.get(path)
        assert response.status_code == 200, (path, response.text)
        assert_private(response)
    assert_private(await admin.put("/api/account/billing/", json=BILLING))


async def test_answers_that_set_or_clear_the_cookie_are_never_stored(shop: Shop) -> None:
    client = await shop.client()
    assert_private(await client.post("/api/auth/signup/", json=account("alice")))
    anonymous = await shop.client()
    signed_in = await anonymous.post(
        "/api/auth/signin/", json={"email": "alice@example.com", "password": "Passw0rd!"}
    )
    assert signed_in.status_code == 200
    assert_private(signed_in)
    assert_private(await anonymous.post("/api/auth/signout/"))


async def test_a_visitor_without_a_session_is_not_cached_either(shop: Shop) -> None:
    client = await shop.client()
    response = await client.get("/api/auth/me/")
    assert response.status_code == 401
    assert_private(response)


async def test_public_catalogue_is_briefly_cacheable_only_without_a_cookie(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    product = await create_product(admin)
    visitor = await shop.client()
    for path in ["/api/products/", f"/api/products/{product['id']}/", "/api/comments/"]:
        query = {"productID": product["id"]} if "comments" in path else {}
        public = await visitor.get(path, params=query)
        assert public.status_code == 200, public.text
        assert_hardened(public)
        assert public.headers["cache-control"] == "public, max-age=10"
        with_cookie = await admin.get(path, params=query)
        assert with_cookie.status_code == 200
        assert_private(with_cookie)
    image = await visitor.get(product["images"][0])
    assert_hardened(image)
    assert image.headers["cache-control"].startswith("public")


async def test_errors_and_unknown_paths_are_hardened_too(shop: Shop) -> None:
    client = await shop.client()
    for response in [
        await client.get("/api/nowhere/"),
        await client.get("/api/products/?limit=0"),
        await client.delete("/api/auth/me/"),
        await client.get("/health"),
    ]:
        assert response.status_code in {200, 400, 404, 405}, response.text
        assert_private(response)


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "text/plain;charset=UTF-8",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        None,
    ],
)
async def test_a_json_endpoint_refuses_a_body_that_is_not_json_415(
    shop: Shop, content_type: str | None
) -> None:
    client = await shop.client()
    headers = {} if content_type is None else {"content-type": content_type}
    body = httpx.Request("POST", "/", json=account("alice")).content
    response = await client.post("/api/auth/signup/", content=body, headers=headers)
    assert_error(response, 415)
    assert_private(response)
    assert (await client.get("/api/auth/me/")).status_code == 401
    admin = await shop.signed_up("admin")
    assert [user["name"] for user in (await admin.get("/api/users/")).json()] == ["admin"]


async def test_json_with_parameters_or_a_json_suffix_is_json(shop: Shop) -> None:
    client = await shop.client()
    for kind, name in [
        ("application/json; charset=utf-8", "alice"),
        ("application/merge-patch+json", "bob"),
        ("Application/JSON", "carol"),
    ]:
        body = httpx.Request("POST", "/", json=account(name)).content
        response = await client.post(
            "/api/auth/signup/", content=body, headers={"content-type": kind}
        )
        assert response.status_code == 201, (kind, response.text)


async def test_a_form_cannot_change_the_profile_of_a_signed_in_user(shop: Shop) -> None:
    alice = await shop.signed_up("alice")
    response = await alice.post(
        "/api/user/", data={"name": "pwned", "email": "p@example.com", "phone": "5559999999"}
    )
    assert_error(response, 415)
    assert (await alice.get("/api/auth/me/")).json()["name"] == "alice"


async def test_the_servers_own_origin_may_write(shop: Shop) -> None:
    client = await shop.client(origin="http://testserver")
    response = await client.post("/api/auth/signup/", json=account("alice"))
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    "origin", ["https://testserver", "http://testserver:8080", "http://evil.testserver"]
)
async def test_another_scheme_port_or_host_is_not_the_servers_own_origin(
    shop: Shop, origin: str
) -> None:
    client = await shop.client(origin=origin)
    response = await client.post("/api/auth/signup/", json=account("alice"))
    assert_error(response, 403)
    assert_private(response)

"""What the Next.js storefront and admin panel send and read (contract section "Products"):
variants built from form inputs, with `stock` and `price` as numeric text, and image URLs made
absolute by `ALLORA_PUBLIC_URL`; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.integration.catalogue_helpers import (
    PRODUCTS,
    assert_error,
    assert_nothing_created,
    create_product,
    get_product,
    list_products,
    offers,
    post_product,
    product_form,
)
from tests.integration.conftest import Shop, ShopFactory

pytestmark = pytest.mark.anyio

# Numeric text the admin panel's inputs give, and the numbers it stands for.
NUMERIC_TEXT = [({"stock": "5", "price": "19.90"}, {"stock": 5, "price": 19.9})]
NUMERIC_TEXT += [({"stock": "0", "price": "0"}, {"stock": 0, "price": 0})]
NUMERIC_TEXT += [({"stock": "12", "price": "7"}, {"stock": 12, "price": 7})]
# Text that is no number the contract allows, for `stock` and for `price`.
REFUSED_TEXT = ["five", "1e3", "19.999", " 5", "5 ", "+5", "0x10", "\u0665", "5,0", "-1", "NaN"]
REFUSED_STOCK_ONLY = ["1.5", "5.0"]


def variants(**fields: object) -> list[dict[str, object]]:
    return [{"colorName": "red", "size": "M", **fields}]


async def send_variants(
    admin: httpx.AsyncClient, how: str, entries: list[dict[str, object]], product_id: str = ""
) -> httpx.Response:
    """`entries` as the multipart `variants` text of a new product, or as the JSON `variants`
    of a change to `product_id`."""
    if how == "multipart":
        return await post_product(admin, product_form(variants=json.dumps(entries)))
    return await admin.patch(f"{PRODUCTS}{product_id}/", json={"variants": entries})


@pytest.mark.parametrize("how", ["multipart", "json"])
async def test_variant_stock_and_price_may_be_numeric_text(shop: Shop, how: str) -> None:
    admin = await shop.signed_up("admin")
    product = await create_product(admin) if how == "json" else {"id": ""}
    for sent, shown in NUMERIC_TEXT:
        response = await send_variants(admin, how, variants(**sent), product["id"])
        assert response.status_code in (200, 201), f"{sent}: {response.text}"
        body = response.json()
        changed = body["data"] if how == "multipart" else body
        offer = {"color": {"name": "red", "hex": None}, "size": "M", **shown}
        assert offers(changed["variants"]) == [offer], sent
        assert (await get_product(admin, changed["id"]))["variants"] == changed["variants"]


async def test_empty_text_is_no_value_and_json_numbers_still_work(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    entries = [*variants(stock="", price=""), *variants(stock=4, price=2.5)]
    response = await send_variants(admin, "multipart", entries)
    assert response.status_code == 201, response.text
    assert offers(response.json()["data"]["variants"]) == [
        {"color": {"name": "red", "hex": None}, "size": "M", "stock": None, "price": None},
        {"color": {"name": "red", "hex": None}, "size": "M", "stock": 4, "price": 2.5},
    ]


@pytest.mark.parametrize("how", ["multipart", "json"])
async def test_text_that_is_no_number_is_refused_and_changes_nothing(shop: Shop, how: str) -> None:
    admin = await shop.signed_up("admin")
    product: dict[str, Any] = await create_product(admin) if how == "json" else {"id": ""}
    cases = [("stock", text) for text in REFUSED_TEXT + REFUSED_STOCK_ONLY]
    cases += [("price", text) for text in REFUSED_TEXT]
    wrong: list[str] = []
    for field, text in cases:
        response = await send_variants(admin, how, variants(**{field: text}), product["id"])
        body = response.json()
        if response.status_code != 400 or not isinstance(body.get("message"), str):
            wrong.append(f"{field}={text!r}: {response.status_code} {response.text}")
        elif "variants[0]" not in body["message"]:
            wrong.append(f"{field}={text!r}: the message names no variant: {body['message']}")
    assert wrong == []
    if how == "multipart":
        await assert_nothing_created(shop, admin)
    else:
        assert await get_product(admin, product["id"]) == {**product, "comments": []}


async def test_numbers_of_another_type_are_still_refused(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    unknown: list[dict[str, object]] = [{"x": 1}]
    for entry in (variants(stock=1.5), variants(stock=True), variants(price=[1]), unknown):
        assert_error(await send_variants(admin, "multipart", entry), 400)
    await assert_nothing_created(shop, admin)


# --- ALLORA_PUBLIC_URL -----------------------------------------------------------------------


def image_urls(product: dict[str, Any]) -> list[str]:
    urls = product["images"]
    assert urls, product
    return [str(url) for url in urls]


async def every_read(client: httpx.AsyncClient, product_id: str) -> list[str]:
    """The product's image URLs as each read shows them: the product, the listing (twice, so
    one answer comes from the catalogue cache) and the wishlist."""
    urls = image_urls(await get_product(client, product_id))
    for _ in range(2):
        listing, _total = await list_products(client)
        urls += [url for product in listing for url in image_urls(product)]
        urls += image_urls(await get_product(client, product_id))
    assert (await client.post("/api/wishlist/", json={"product": product_id})).status_code == 201
    wishlist = (await client.get("/api/wishlist/")).json()
    return urls + [url for product in wishlist for url in image_urls(product)]


async def test_public_url_makes_every_image_url_absolute(make_shop: ShopFactory) -> None:
    relative = await make_shop()
    absolute = await make_shop(public_url="https://api.shop.example/v1")
    admin = await relative.signed_up("admin")
    created = (await post_product(admin)).json()["data"]
    name = image_urls(created)[0].removeprefix("/media/")
    assert image_urls(created) == [f"/media/{name}"]

    relative_reads = await every_read(admin, created["id"])
    assert set(relative_reads) == {f"/media/{name}"}

    other_admin = await absolute.client()
    other_admin.cookies.update(admin.cookies)
    absolute_reads = await every_read(other_admin, created["id"])
    assert set(absolute_reads) == {f"https://api.shop.example/v1/media/{name}"}
    second = (await post_product(other_admin)).json()["data"]
    assert image_urls(second)[0].startswith("https://api.shop.example/v1/media/")

    # each app's catalogue cache keeps its own answers: the first still says /media/...
    again = await every_read(admin, created["id"])
    assert {url.rsplit("/", 1)[0] for url in again} == {"/media"}
    served = await other_admin.get(f"https://api.shop.example/media/{name}")
    assert served.status_code == 200

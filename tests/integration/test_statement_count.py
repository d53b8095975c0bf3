"""The product list runs a fixed number of SQL statements whatever the page size (no N+1);
on PostgreSQL each public catalogue read is one statement; a signed-in request answered from the
session cache runs none."""

from __future__ import annotations

import io
import json
import uuid

import pytest
from PIL import Image

from tests.integration.catalogue_helpers import (
    COMMENTS,
    PRODUCTS,
    accepted_comment,
    add_comment,
    counting_statements,
    create_product,
    png_file,
)
from tests.integration.conftest import Shop, ShopFactory
from tests.integration.notices import eventually

pytestmark = pytest.mark.anyio


def tiny_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, "PNG")
    return buffer.getvalue()


async def test_product_list_statements_do_not_grow_with_page_size(shop: Shop) -> None:
    admin = await shop.signed_up("alice")
    image = tiny_png()
    variants = json.dumps([{"colorName": "red", "size": "M"}, {"colorName": "blue", "size": "L"}])
    for i in range(30):
        response = await admin.post(
            "/api/products/",
            data={
                "name": f"product {i}",
                "price": f"{i + 1}.50",
                "description": "a product for counting statements",
                "category": "tops",
                "stock": "3",
                "discount": "0",
                "variants": variants,
            },
            files=[("img", ("a.png", image, "image/png")), ("img", ("b.png", image, "image/png"))],
        )
        assert response.status_code == 201, response.text
    visitor = await shop.client()
    counts = {}
    for limit in (1, 10, 30):
        with counting_statements(shop) as statements:
            response = await visitor.get(f"/api/products/?limit={limit}&sort=price")
        assert response.status_code == 200
        products = response.json()
        assert len(products) == limit
        assert all(len(p["images"]) == 2 and len(p["variants"]) == 2 for p in products)
        counts[limit] = len(statements)
    assert counts[1] == counts[10] == counts[30], counts
    assert counts[30] <= 6, counts


async def test_a_signed_in_request_whose_session_is_in_memory_runs_no_sql(shop: Shop) -> None:
    alice = await shop.signed_up("alice")
    first = await alice.get("/api/auth/me/")
    assert first.status_code == 200

    async def from_memory() -> bool:  # on PostgreSQL, once earlier writes' notices are in
        with counting_statements(shop) as statements:
            assert (await alice.get("/api/auth/me/")).json() == first.json()
        return not statements

    await eventually(from_memory)
    with counting_statements(shop) as statements:
        for _ in range(5):
            response = await alice.get("/api/auth/me/")
            assert (response.status_code, response.json()) == (200, first.json())
    assert statements == []


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_each_public_catalogue_read_is_one_statement_on_postgresql(
    make_shop: ShopFactory,
) -> None:
    """Product, listing (kept total or counted) and public comments: one round trip each,
    whatever the page holds; a product id that is none of ours costs none."""
    shop = await make_shop(catalogue_cache_entries=0)
    admin = await shop.signed_up("alice")
    visitor = await shop.client()
    variants = json.dumps([{"colorName": "red", "size": "M"}, {"price": 5}])
    images = [png_file(), png_file()]
    ids = [
        (await create_product(admin, images, category=c, variants=variants))["id"]
        for c in ("tops", "tops", "hats")
    ]
    for score in (5, 3):
        await accepted_comment(visitor, admin, ids[0], score)
    await add_comment(visitor, ids[0], 1)
    reads = {
        f"{PRODUCTS}{ids[0]}/": 1,
        f"{PRODUCTS}{uuid.uuid4()}/": 1,
        f"{PRODUCTS}not-an-id/": 0,
        PRODUCTS: 1,
        f"{PRODUCTS}?category=tops&sort=score&limit=1": 1,
        f"{PRODUCTS}?q=shirt&min_price=1&max_price=100&sort=-price": 1,
        f"{PRODUCTS}?category=hats&sort=price&offset=1": 1,
        f"{COMMENTS}?productID={ids[0]}&limit=1": 1,
        COMMENTS: 1,
        f"{COMMENTS}?productID=not-an-id": 0,
    }
    for path, expected in reads.items():
        with counting_statements(shop) as statements:
            response = await visitor.get(path)
        assert response.status_code in (200, 404), response.text
        assert len(statements) == expected, (path, statements)

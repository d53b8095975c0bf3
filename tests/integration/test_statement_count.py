"""The product list runs a fixed number of SQL statements whatever the page size (no N+1), and a
signed-in request answered from the session cache runs none."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from tests.integration.catalogue_helpers import counting_statements
from tests.integration.conftest import Shop
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

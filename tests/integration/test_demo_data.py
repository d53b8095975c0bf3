"""`allora demo-data` fills the catalogue through the use cases, and is idempotent."""

from __future__ import annotations

import pytest

from allora.entrypoints.demo_data import seed_demo_catalogue
from tests.integration.conftest import Shop

pytestmark = pytest.mark.anyio


async def test_demo_data_tops_up_to_the_requested_size_once(shop: Shop) -> None:
    assert await seed_demo_catalogue(shop.container, products=6) == 6
    assert await seed_demo_catalogue(shop.container, products=6) == 0
    assert await seed_demo_catalogue(shop.container, products=8) == 2
    client = await shop.client()
    response = await client.get("/api/products/?limit=200")
    assert response.headers["x-total-count"] == "8"
    products = response.json()
    assert all(p["images"] and p["variants"] for p in products)
    for url in products[0]["images"]:
        assert (await client.get(url)).status_code == 200
    comments = await client.get("/api/comments/?limit=200")
    assert comments.status_code == 200

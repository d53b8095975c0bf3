"""Shared helpers of the order tests over HTTP: products with known stock, checkout bodies and
reading stock back as a client does."""

from __future__ import annotations

import json
from typing import Any, cast

import httpx

from tests.integration.catalogue_helpers import create_product, get_product

ORDERS = "/api/orders/"
QUOTE = "/api/orders/quote/"
BILLING = {
    "firstName": "Ann",
    "streetAddress": "1 Main St",
    "city": "Rome",
    "phone": "5551234567",
    "email": "ann@example.com",
}


async def plain_product(admin: httpx.AsyncClient, **overrides: str) -> dict[str, Any]:
    """A product without variants (price 10.00, 5 in stock, no discount unless overridden)."""
    form = {"price": "10.00", "stock": "5", "discount": "0", "variants": "[]", **overrides}
    return await create_product(admin, None, **form)


async def variant_product(
    admin: httpx.AsyncClient, variants: list[dict[str, object]], **overrides: str
) -> dict[str, Any]:
    """A product with these variants (JSON entries as the admin panel sends them)."""
    form = {"price": "10.00", "stock": "0", "discount": "0", **overrides}
    return await create_product(admin, None, variants=json.dumps(variants), **form)


def item(product: dict[str, Any], quantity: int = 1, variant: int | None = None) -> dict[str, Any]:
    line: dict[str, Any] = {"product": product["id"], "quantity": quantity}
    if variant is not None:
        line["variant"] = product["variants"][variant]["id"]
    return line


def checkout(*items: dict[str, Any], **extra: object) -> dict[str, Any]:
    return {"items": list(items), "billing": BILLING, **extra}


async def place(
    client: httpx.AsyncClient, *items: dict[str, Any], **extra: object
) -> dict[str, Any]:
    """Places an order that must succeed; its JSON."""
    response = await client.post(ORDERS, json=checkout(*items, **extra))
    assert response.status_code == 201, response.text
    return cast("dict[str, Any]", response.json()["data"])


async def stock(client: httpx.AsyncClient, product_id: str, variant: int | None = None) -> int:
    product = await get_product(client, product_id)
    value = product["stock"] if variant is None else product["variants"][variant]["stock"]
    assert isinstance(value, int)
    return value

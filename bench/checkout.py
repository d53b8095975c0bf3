"""Checkout bursts: 200 shoppers place orders at the same instant, once for products with ample
stock (throughput and latency) and once for one variant with 50 units (exactly 50 must succeed,
the rest 409, or the run fails)."""

from __future__ import annotations

import asyncio
import io
import json
from typing import Any

import httpx
from harness import Sent, burst, burst_summary, sign_up
from PIL import Image

SHOPPERS = 200
CONTENDED_STOCK = 50
FIRST_SHOPPER = 3000  # bench3000..bench3199
BILLING = {
    "firstName": "Bench",
    "streetAddress": "1 Load Street",
    "city": "Testville",
    "phone": "5550001234",
    "email": "buyer@example.com",
}


def _png() -> tuple[str, bytes, str]:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "PNG")
    return "bench.png", buffer.getvalue(), "image/png"


async def _product(admin: httpx.AsyncClient, name: str, stock: str, variants: list[Any]) -> Any:
    form = {
        "name": name,
        "price": "12.50",
        "description": "A product for the checkout benchmark",
        "category": "bench",
        "stock": stock,
        "discount": "10",
        "variants": json.dumps(variants),
    }
    response = await admin.post("/api/products/", data=form, files=[("img", _png())])
    response.raise_for_status()
    return response.json()["data"]


async def _place_all(base: str, cookies: list[httpx.Cookies], item: dict[str, Any]) -> Any:
    """Every shopper places one order for `item` at once; statuses and latencies (ms)."""
    return await burst(
        base,
        cookies,
        lambda client: client.post("/api/orders/", json={"items": [item], "billing": BILLING}),
    )


def _summary(results: list[Sent], wall: float) -> dict[str, float]:
    summary = burst_summary(results, wall, won=201, lost=409)
    return {**summary, "placed": summary["won"], "short": summary["lost"]}


async def checkout_bursts(base: str, admin: httpx.AsyncClient) -> dict[str, dict[str, float]]:
    ample = await _product(admin, "Bench ample", str(SHOPPERS * 10), [])
    variant = {"colorName": "red", "size": "M", "stock": CONTENDED_STOCK}
    scarce = await _product(admin, "Bench scarce", "0", [variant])
    cookies = []
    for start in range(0, SHOPPERS, 25):
        clients = [httpx.AsyncClient(base_url=base, timeout=60) for _ in range(25)]
        await asyncio.gather(
            *(sign_up(c, FIRST_SHOPPER + start + i) for i, c in enumerate(clients))
        )
        cookies += [c.cookies for c in clients]
        for client in clients:
            await client.aclose()
    plain = await _place_all(base, cookies, {"product": ample["id"], "quantity": 1})
    contended_item = {
        "product": scarce["id"],
        "variant": scarce["variants"][0]["id"],
        "quantity": 1,
    }
    contended = await _place_all(base, cookies, contended_item)
    out = {"ample": _summary(*plain), "contended": _summary(*contended)}
    left = (await admin.get(f"/api/products/{scarce['id']}/")).json()["variants"][0]["stock"]
    out["contended"]["stock_left"] = left
    return out


def checkout_failures(bursts: dict[str, dict[str, float]]) -> list[str]:
    """What makes the run fail: an oversold or undersold variant, or any status but 201/409."""
    ample, contended = bursts["ample"], bursts["contended"]
    problems = []
    if ample["placed"] != SHOPPERS:
        problems.append(f"ample stock: {ample['placed']:.0f} of {SHOPPERS} orders placed")
    if contended["placed"] != CONTENDED_STOCK or contended["stock_left"] != 0:
        problems.append(
            f"contended: {contended['placed']:.0f} placed for {CONTENDED_STOCK} units, "
            f"{contended['stock_left']:.0f} left"
        )
    if ample["unexpected"] or contended["unexpected"]:
        problems.append("a checkout answered something other than 201 or 409")
    return problems

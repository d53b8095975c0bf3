"""The reference's self-check: before anything is measured, a few of its answers are compared
field by field with the shop's (same ids, names, prices, totals, ...), so that the ratio to the
reference compares like with like. Numbers compare as numbers (the shop writes 19.5, PostgreSQL
19.50) and timestamps as instants."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

import httpx
from mix import SORTS, WORDS, Workload


class ReferenceMismatch(AssertionError):
    pass


def _normal(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _normal(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_normal(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return round(float(value), 6)
    if isinstance(value, str) and key.endswith("_at"):
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value


def _first_difference(shop: Any, reference: Any, where: str = "$") -> str | None:
    if isinstance(shop, dict) and isinstance(reference, dict):
        if shop.keys() != reference.keys():
            return f"{where}: fields {sorted(shop)} != {sorted(reference)}"
        for key in shop:
            found = _first_difference(shop[key], reference[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(shop, list) and isinstance(reference, list):
        if len(shop) != len(reference):
            return f"{where}: {len(shop)} items != {len(reference)}"
        for i, (a, b) in enumerate(zip(shop, reference, strict=True)):
            found = _first_difference(a, b, f"{where}[{i}]")
            if found:
                return found
        return None
    same = type(shop) is type(reference) and shop == reference  # true is not 1
    return None if same else f"{where}: shop {shop!r} != reference {reference!r}"


def _requests(workload: Workload, commented: list[str]) -> list[str]:
    """Products at random and products with comments, pages of every sort with and without a
    category or text, and comments."""
    some = random.Random(3).sample(workload.ids, k=min(5, len(workload.ids)))
    category = workload.categories[0]
    return [
        *(f"/api/products/{product}/" for product in [*some, *commented]),
        "/api/products/?limit=20",
        "/api/products/?limit=50",
        f"/api/products/?limit=20&offset=40&sort={SORTS[1]}",
        f"/api/products/?limit=20&offset=180&sort={SORTS[2]}&category={category}",
        f"/api/products/?limit=20&sort={SORTS[3]}&category={category}",
        *(f"/api/products/?limit=20&q={word}" for word in WORDS[:4]),
        *(f"/api/comments/?productID={product}" for product in commented),
        "/api/comments/?limit=50",
    ]


def check_reference(shop: str, reference: str, workload: Workload) -> list[str]:
    """Compares the reference's answers with the shop's; raises `ReferenceMismatch` at the
    first difference, else returns lines saying what agreed and the sizes."""
    cookies = {"token": workload.token()}
    checked, shop_bytes, reference_bytes = 0, 0, 0
    with (
        httpx.Client(base_url=shop, timeout=60) as shop_client,
        httpx.Client(base_url=reference, timeout=60) as reference_client,
    ):
        newest = shop_client.get("/api/comments/?limit=50").json()
        commented = list(dict.fromkeys(comment["product"] for comment in newest))[:3]
        for path in [*_requests(workload, commented), "/api/auth/me/"]:
            jar = cookies if path == "/api/auth/me/" else None
            a, b = shop_client.get(path, cookies=jar), reference_client.get(path, cookies=jar)
            if a.status_code != 200 or b.status_code != 200:
                raise ReferenceMismatch(f"{path}: status {a.status_code} != {b.status_code}")
            total_a, total_b = a.headers.get("x-total-count"), b.headers.get("x-total-count")
            if total_a != total_b:
                raise ReferenceMismatch(f"{path}: X-Total-Count {total_a} != {total_b}")
            body_a = a.json()
            difference = _first_difference(_normal(body_a), _normal(b.json()))
            if difference:
                raise ReferenceMismatch(f"{path}: {difference}")
            if isinstance(body_a, list) and not body_a and "offset=180" not in path:
                raise ReferenceMismatch(f"{path}: both empty, nothing was compared")
            checked += 1
            shop_bytes += len(a.content)
            reference_bytes += len(b.content)
    return [
        f"reference self-check: {checked} responses agree with the shop field by field "
        "(products with images, variants and comments; pages of each sort, with and without a "
        "category or a text search, with X-Total-Count; comments; /api/auth/me/)",
        f"reference body bytes / shop body bytes: {reference_bytes / shop_bytes:.3f}",
    ]

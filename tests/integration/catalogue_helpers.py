"""Shared helpers of the catalogue tests (products, images and comments over HTTP)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO
from pathlib import Path
from typing import Any, cast

import httpx
from PIL import Image
from sqlalchemy import event

from tests.integration.conftest import Shop

PRODUCTS = "/api/products/"
COMMENTS = "/api/comments/"
ALL_COMMENTS = "/api/comments/all/"
ACCEPT = "/api/comments/accept/"
REJECT = "/api/comments/reject/"

PRODUCT_KEYS = {
    "id",
    "name",
    "price",
    "description",
    "category",
    "stock",
    "discount",
    "score",
    "images",
    "variants",
    "created_at",
    "updated_at",
}
VARIANT_KEYS = {"id", "color", "size", "stock", "price"}
COMMENT_KEYS = {"id", "username", "body", "score", "isAccept", "product", "created_at"}


def offers(variants: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Variants without their ids, after checking each has its own: an id is opaque, so tests
    compare what a variant offers."""
    ids = [variant["id"] for variant in variants]
    assert all(isinstance(i, str) and i for i in ids), ids
    assert len(set(ids)) == len(ids), ids
    return [{k: v for k, v in variant.items() if k != "id"} for variant in variants]


CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp", "GIF": "image/gif"}

# One multipart file part: (file name, content, declared content type).
ImageFile = tuple[str, bytes, str]


# --- images ----------------------------------------------------------------------------------


def image_bytes(kind: str = "PNG", color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A real, tiny image in Pillow format `kind` (PNG, JPEG, WEBP or GIF)."""
    buffer = BytesIO()
    Image.new("RGB", (8, 8), color).save(buffer, format=kind)
    return buffer.getvalue()


def png_bytes(color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    return image_bytes("PNG", color)


def image_file(kind: str = "PNG", color: tuple[int, int, int] = (200, 30, 30)) -> ImageFile:
    """A well-named upload of a real image of format `kind`."""
    return (f"photo.{kind.lower()}", image_bytes(kind, color), CONTENT_TYPES[kind])


def png_file(name: str = "photo.png", data: bytes | None = None) -> ImageFile:
    return (name, png_bytes() if data is None else data, "image/png")


# --- products --------------------------------------------------------------------------------


def product_form(**overrides: str) -> dict[str, str]:
    """Valid multipart text fields of a new product, with overrides."""
    form = {
        "name": "Linen shirt",
        "price": "19.99",
        "description": "A light shirt for warm summer days.",
        "category": "shirts",
        "stock": "12",
        "discount": "10",
        "variants": json.dumps(
            [{"colorName": "blue", "colorHex": "#0000ff", "size": "M", "stock": 3, "price": 21.5}]
        ),
    }
    form.update(overrides)
    return form


async def post_product(
    client: httpx.AsyncClient,
    form: dict[str, str] | None = None,
    images: list[ImageFile] | None = None,
    path: str = PRODUCTS,
) -> httpx.Response:
    """POSTs a multipart product form (valid by default, with one PNG)."""
    uploads = [png_file()] if images is None else images
    return await client.post(
        path,
        data=product_form() if form is None else form,
        files=[("img", upload) for upload in uploads],
    )


async def create_product(
    admin_client: httpx.AsyncClient, images: list[ImageFile] | None = None, **overrides: str
) -> dict[str, Any]:
    """Creates a product as ADMIN (form fields overridden by keyword) and returns its JSON."""
    response = await post_product(admin_client, product_form(**overrides), images)
    assert response.status_code == 201, response.text
    return cast("dict[str, Any]", response.json()["data"])


async def get_product(client: httpx.AsyncClient, product_id: str) -> dict[str, Any]:
    response = await client.get(f"{PRODUCTS}{product_id}/")
    assert response.status_code == 200, response.text
    return cast("dict[str, Any]", response.json())


async def list_products(
    client: httpx.AsyncClient, **params: str | int
) -> tuple[list[dict[str, Any]], int]:
    """One page of the catalogue and its X-Total-Count."""
    response = await client.get(PRODUCTS, params=params)
    assert response.status_code == 200, response.text
    return cast("list[dict[str, Any]]", response.json()), int(response.headers["X-Total-Count"])


async def product_total(client: httpx.AsyncClient) -> int:
    return (await list_products(client))[1]


def media_files(shop: Shop) -> list[Path]:
    """Every file under the media directory (none when it does not exist yet)."""
    root = shop.settings.media_dir
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


async def assert_nothing_created(shop: Shop, client: httpx.AsyncClient) -> None:
    """No product exists and no image file was left behind."""
    assert await product_total(client) == 0
    assert media_files(shop) == []


@contextmanager
def counting_statements(shop: Shop) -> Iterator[list[str]]:
    """The SQL statements the shop's engine runs inside the block: those SQLAlchemy executes,
    with their text, and on PostgreSQL also those sent to asyncpg around SQLAlchemy (the
    catalogue views', transaction control), as "(sent to asyncpg directly)": asyncpg counts
    every statement a connection runs, read when the connection goes back to the pool."""
    statements: list[str] = []
    counted_at_checkout: dict[int, int] = {}
    seen_by_sqlalchemy: dict[int, int] = {}

    def record(connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(str(statement))
        key = id(connection.connection.driver_connection)
        if key in seen_by_sqlalchemy:
            seen_by_sqlalchemy[key] += 1

    def checkout(_dbapi: Any, _record: Any, proxy: Any) -> None:
        protocol = getattr(proxy.driver_connection, "_protocol", None)  # asyncpg only
        if protocol is not None:
            counted_at_checkout[id(proxy.driver_connection)] = protocol.queries_count
            seen_by_sqlalchemy[id(proxy.driver_connection)] = 0

    def checkin(_dbapi: Any, record: Any) -> None:
        raw = record.driver_connection
        start = counted_at_checkout.pop(id(raw), None)
        if start is not None and raw is not None:
            run = raw._protocol.queries_count - start - seen_by_sqlalchemy.pop(id(raw))
            statements.extend(["(sent to asyncpg directly)"] * run)

    engine = shop.container.engine.sync_engine
    listeners: list[tuple[str, Callable[..., None]]] = [
        ("before_cursor_execute", record),
        ("checkout", checkout),
        ("checkin", checkin),
    ]
    for name, listener in listeners:
        event.listen(engine, name, listener)
    try:
        yield statements
    finally:
        for name, listener in listeners:
            event.remove(engine, name, listener)


# --- comments --------------------------------------------------------------------------------


def comment_body(product_id: str, score: int = 4, **overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "username": "Dana",
        "email": "dana@example.com",
        "body": "Fits well and feels great.",
        "score": score,
        "productID": product_id,
    }
    body.update(overrides)
    return body


async def add_comment(
    client: httpx.AsyncClient, product_id: str, score: int = 4, **overrides: object
) -> dict[str, Any]:
    """Posts a valid comment and returns its JSON."""
    response = await client.post(COMMENTS, json=comment_body(product_id, score, **overrides))
    assert response.status_code == 201, response.text
    return cast("dict[str, Any]", response.json()["data"])


async def moderate(admin: httpx.AsyncClient, path: str, comment_id: str) -> None:
    response = await admin.put(path, json={"id": comment_id})
    assert response.status_code == 200, response.text


async def accepted_comment(
    client: httpx.AsyncClient, admin: httpx.AsyncClient, product_id: str, score: int
) -> dict[str, Any]:
    comment = await add_comment(client, product_id, score)
    await moderate(admin, ACCEPT, comment["id"])
    return comment


def mean_score(scores: list[int]) -> float:
    """The contract's score: mean rounded (half up) to 2 decimals, 0 when there is none."""
    if not scores:
        return 0.0
    mean = Decimal(sum(scores)) / Decimal(len(scores))
    return float(mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


async def score_of(client: httpx.AsyncClient, product_id: str) -> float:
    """The product's score, which must be a JSON number."""
    score = (await get_product(client, product_id))["score"]
    assert isinstance(score, int | float), score
    assert not isinstance(score, bool), score
    return float(score)


# --- errors ----------------------------------------------------------------------------------


def assert_error(response: httpx.Response, status: int) -> None:
    """The status is `status` and the body is JSON with a non-empty "message" string."""
    assert response.status_code == status, response.text
    body = response.json()
    assert isinstance(body, dict), body
    assert isinstance(body.get("message"), str), body
    assert body["message"], body

"""The public catalogue's reads answer, byte for byte and header for header, what the domain path
answers: the repositories' entities encoded as `ProductOut` / `CommentOut`. On PostgreSQL the
reads are one statement each, their JSON written by the database (`CatalogueViews`); this
sweeps a varied catalogue through every sort, filter and page to show nothing changed.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any
from uuid import UUID

import asyncpg
import msgspec
import pytest
from sqlalchemy.engine import make_url

from allora.domain.comments import CommentStatus
from allora.domain.paging import Page
from allora.domain.product_query import ProductQuery
from allora.domain.products import Product, ProductId
from allora.entrypoints.http.comments_bodies import CommentOut
from allora.entrypoints.http.products_bodies import ProductOut, ProductWithComments
from tests.contract.builders import VARIANTS, at, comment, product
from tests.integration.catalogue_helpers import (
    ACCEPT,
    COMMENTS,
    PRODUCTS,
    REJECT,
    add_comment,
    create_product,
    image_file,
    moderate,
)
from tests.integration.conftest import Shop

pytestmark = pytest.mark.anyio

ACCEPTED = frozenset({CommentStatus.ACCEPTED})
ODD_TEXT = 'Quote " backslash \\ slash / tab \t newline \n bell \x07 \u2028 crème ☕ </script>'
SORTS = ["newest", "price", "-price", "score"]
CATEGORIES = [None, "tops", "Tops", "no such category"]
FILTERS: list[dict[str, str]] = [
    {},
    {"q": "shirt"},
    {"q": "CRÈME"},
    {"q": "100%"},
    {"q": "_"},
    {"q": "\\"},
    {"min_price": "19.99"},
    {"max_price": "20"},
    {"min_price": "0.5", "max_price": "120.00", "q": "e"},
]
PAGES: list[dict[str, str]] = [{}, {"limit": "7"}, {"limit": "7", "offset": "7"}, {"offset": "500"}]


async def http_products(shop: Shop) -> list[dict[str, Any]]:
    """Products as an ADMIN adds them over HTTP: odd text, several images, varied variants."""
    admin = await shop.signed_up("alice")
    variants = [
        {"colorName": "blue", "colorHex": "#0000FF", "size": "M", "stock": 3, "price": 21.5},
        {"size": "XS"},
        {"colorName": "red", "stock": 0},
        {"colorHex": "#abc", "price": 20.0},
        {"price": 0},
    ]
    shapes = [
        ("Linen shirt", "19.99", "tops", variants, 3),
        ("Crème brûlée shirt", "20.00", "tops", [], 1),
        ("Wool coat 100%", "120", "coats", variants[:1], 2),
        ("under_score cap", "0.5", "hats", variants[1:3], 1),
        (ODD_TEXT[:150], "999999999.99", "odd \\ category", variants[3:], 2),
    ]
    made = []
    for name, price, category, entries, pictures in shapes:
        made.append(
            await create_product(
                admin,
                images=[image_file("PNG", (10 * i, 20, 30)) for i in range(pictures)],
                name=name,
                price=price,
                category=category,
                description=f"About {name}: {ODD_TEXT}",
                variants=json.dumps(entries),
            )
        )
    visitor = await shop.client()
    for i, status in enumerate([ACCEPT, REJECT, None, ACCEPT, ACCEPT]):
        made_comment = await add_comment(
            visitor, made[0]["id"], 1 + i, username=f"user {i} {ODD_TEXT[:20]}", body=ODD_TEXT
        )
        if status is not None:
            await moderate(admin, status, made_comment["id"])
    return made


def stored_products() -> list[Product]:
    """Products stored directly, for what HTTP cannot choose: creation times on whole seconds
    and sharing a second, equal prices and scores (ties), no image, many variants."""
    scores = ["0.00", "3.67", "4.50", "5.00", "1.05"]
    prices = ["19.99", "20.00", "0.01", "19.99", "7.10"]
    made = []
    for n in range(24):
        base = product(
            n,
            name=f"Stored shirt {n}" if n % 2 else f"Stored crème {n}",
            category="tops" if n % 3 else "hats",
            price=prices[n % len(prices)],
            score=scores[n % len(scores)],
            variants=VARIANTS[: n % 4],
            images=tuple(f"{n:032x}.{kind}" for kind in ("png", "webp")[: n % 3]),
        )
        created = at() + timedelta(seconds=n // 3, microseconds=120000 if n % 6 == 5 else 0)
        made.append(replace(base, created_at=created, updated_at=created + timedelta(hours=n)))
    return made


async def varied_catalogue(shop: Shop) -> list[str]:
    """The ids of a catalogue with a bit of everything a body can hold."""
    made = await http_products(shop)
    stored = stored_products()
    busy = stored[4]
    comments = [
        comment(busy, status=status, score=1 + n % 5, created=n // 4)
        for n, status in enumerate(itertools.islice(itertools.cycle(CommentStatus), 180))
    ]
    async with shop.container.ports.uow() as uow:
        await uow.products.add_many(stored)
        await uow.comments.add_many(comments)
        await uow.commit()
    return [p["id"] for p in made] + [str(p.id) for p in stored]


def expected_headers(body: bytes, total: int | None) -> dict[str, str]:
    headers = {
        "content-type": "application/json",
        "content-length": str(len(body)),
        "cache-control": "public, max-age=10",  # a public read made without a cookie
        "x-content-type-options": "nosniff",
        "x-frame-options": "DENY",
    }
    return headers if total is None else {**headers, "x-total-count": str(total)}


async def assert_answers(shop: Shop, path: str, body: bytes, total: int | None = None) -> None:
    """GET `path` answers exactly `body` with exactly the headers of a JSON body (and the
    total), besides the request id."""
    client = await shop.client()
    response = await client.get(path)
    assert response.status_code == 200, response.text
    assert response.content == body, path
    headers = {k: v for k, v in response.headers.items() if k != "x-request-id"}
    assert headers == expected_headers(body, total), path


def encoded(items: Sequence[msgspec.Struct]) -> bytes:
    return msgspec.json.encode(items)


@pytest.fixture
async def uncached(make_shop: Any) -> Shop:
    """A shop without its response cache, so every request reads the database."""
    shop: Shop = await make_shop(catalogue_cache_entries=0)
    return shop


async def test_every_product_page_is_the_domain_path(uncached: Shop) -> None:
    shop = uncached
    images = shop.container.ports.images
    for product_id in await varied_catalogue(shop):
        async with shop.container.ports.reader() as uow:
            found = await uow.products.get(ProductId(UUID(product_id)))
            assert found is not None
            shown = await uow.comments.listing(found.id, ACCEPTED, Page(50, 0))
        out = ProductOut.of(found, images)
        body = msgspec.json.encode(
            ProductWithComments(
                **msgspec.structs.asdict(out), comments=[CommentOut.of(c) for c in shown.items]
            )
        )
        await assert_answers(shop, f"{PRODUCTS}{product_id}/", body)
        await assert_answers(shop, f"{PRODUCTS}{product_id}", body)


def _query(params: dict[str, str]) -> tuple[ProductQuery, Page]:
    query = ProductQuery.parse(
        params.get("category"),
        params.get("q"),
        params.get("min_price"),
        params.get("max_price"),
        params.get("sort"),
    )
    page = Page.parse(int(params.get("limit", "50")), int(params.get("offset", "0")))
    return query, page


async def test_every_listing_is_the_domain_path(uncached: Shop) -> None:
    shop = uncached
    await varied_catalogue(shop)
    images = shop.container.ports.images
    client = await shop.client()
    for sort, category, filters, paging in itertools.product(SORTS, CATEGORIES, FILTERS, PAGES):
        params = {"sort": sort, **filters, **paging}
        if category is not None:
            params["category"] = category
        query, page = _query(params)
        async with shop.container.ports.reader() as uow:
            found = await uow.products.search(query, page)
        body = encoded([ProductOut.of(p, images) for p in found.items])
        path = str(client.build_request("GET", PRODUCTS, params=params).url)
        await assert_answers(shop, path, body, found.total)


async def test_every_comment_listing_is_the_domain_path(uncached: Shop) -> None:
    shop = uncached
    ids = await varied_catalogue(shop)
    client = await shop.client()
    wanted: list[str | None] = [None, *ids, "01234567-89ab-cdef-0123-456789abcdef"]
    for product_id, paging in itertools.product(wanted, PAGES):
        params = {**paging} if product_id is None else {"productID": product_id, **paging}
        page = Page.parse(int(paging.get("limit", "50")), int(paging.get("offset", "0")))
        async with shop.container.ports.reader() as uow:
            chosen = None if product_id is None else ProductId(UUID(product_id))
            found = await uow.comments.listing(chosen, ACCEPTED, page)
        body = encoded([CommentOut.of(c) for c in found.items])
        path = str(client.build_request("GET", COMMENTS, params=params).url)
        await assert_answers(shop, path, body, found.total)
    await assert_answers(shop, f"{COMMENTS}?productID=not-an-id", b"[]", 0)


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_a_connection_the_database_dropped_is_replaced(uncached: Shop) -> None:
    """The views talk to asyncpg directly: a pooled connection found dead is invalidated, so
    reads recover instead of failing on it again."""
    shop = uncached
    (product_id, *_) = await varied_catalogue(shop)
    client = await shop.client()
    assert (await client.get(f"{PRODUCTS}{product_id}/")).status_code == 200
    # From outside the pool, so that every pooled connection is among those dropped.
    dsn = make_url(shop.settings.database_url).set(drivername="postgresql")
    outside = await asyncpg.connect(dsn.render_as_string(hide_password=False))
    try:
        await outside.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    finally:
        await outside.close()
    statuses = [(await client.get(f"{PRODUCTS}{product_id}/")).status_code for _ in range(6)]
    assert 200 in statuses, statuses
    first_success = statuses.index(200)
    assert set(statuses[first_success:]) == {200}, statuses

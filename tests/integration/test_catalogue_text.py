"""Catalogue text is one text however its accents are encoded (NFC on both sides of a search),
and a product name must show something: text made only of invisible characters is refused."""

from __future__ import annotations

import unicodedata
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from allora.adapters.sql.migrate import upgrade
from allora.adapters.sql.tables import metadata
from tests.integration.catalogue_helpers import PRODUCTS, create_product, post_product, product_form
from tests.integration.conftest import Shop
from tests.integration.test_order_migration import downgrade, fresh_engine  # noqa: F401

pytestmark = pytest.mark.anyio

COMPOSED = unicodedata.normalize("NFC", "Crème brûlée bowl")
DECOMPOSED = unicodedata.normalize("NFD", COMPOSED)


async def found(shop: Shop, **params: str) -> list[str]:
    response = await (await shop.client()).get(PRODUCTS, params=params)
    assert response.status_code == 200, response.text
    return [product["name"] for product in response.json()]


async def test_a_decomposed_name_is_stored_composed_and_found_either_way(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    created = await create_product(admin, name=DECOMPOSED, category="cr\u0065\u0300me")
    assert created["name"] == COMPOSED
    assert created["category"] == "crème"
    for query in (COMPOSED, DECOMPOSED, "BRU\u0302LE\u0301E", "brûlée"):
        assert await found(shop, q=query) == [COMPOSED], query
    assert await found(shop, category="cre\u0300me") == [COMPOSED]


@pytest.mark.parametrize(
    "name",
    [
        "\u200b\u200b\u200b",  # zero-width spaces
        "\u200c\u200d\u2060\ufeff",  # joiners, word joiner, byte-order mark
        "\u3164\u3164\u3164",  # Hangul filler
        "\u2800\u2800\u2800",  # braille blank
        "\u0301\u0301\u0301",  # accents with no letter
        " \u00ad\u200e\u202e ",  # soft hyphen and direction marks
    ],
)
async def test_a_name_of_invisible_characters_is_400(shop: Shop, name: str) -> None:
    admin = await shop.signed_up("admin")
    response = await post_product(admin, product_form(name=name))
    assert response.status_code == 400, response.text
    assert "name" in response.json()["message"]
    assert await found(shop) == []


async def test_a_name_with_a_zero_width_space_among_letters_is_kept(shop: Shop) -> None:
    admin = await shop.signed_up("admin")
    assert (await create_product(admin, name="Mug\u200bXL"))["name"] == "Mug\u200bXL"


async def test_migration_0011_composes_existing_catalogue_text(
    fresh_engine: AsyncEngine,  # noqa: F811
) -> None:
    await upgrade(fresh_engine)
    await downgrade(fresh_engine, "0010")
    products = metadata.tables["products"]
    now = datetime(2026, 12, 1, tzinfo=UTC)
    async with fresh_engine.begin() as connection:
        await connection.execute(
            products.insert().values(
                id=uuid.uuid4(),
                name=DECOMPOSED,
                description=f"{DECOMPOSED}, decomposed",
                category=unicodedata.normalize("NFD", "crème"),
                price=Decimal("9.50"),
                stock=1,
                discount=0,
                score=Decimal(0),
                created_at=now,
                updated_at=now,
            )
        )
    await upgrade(fresh_engine)
    async with fresh_engine.connect() as connection:
        row = (await connection.execute(select(products))).mappings().one()
    assert (row["name"], row["description"], row["category"]) == (
        COMPOSED,
        f"{COMPOSED}, decomposed",
        "crème",
    )

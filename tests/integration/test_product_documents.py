# ruff: noqa: S608  (SQL of our own: the document expression of catalogue_json)
"""Each product's stored JSON (migration 0012) is always the JSON its rows make now, whatever
changed them (creation, edits, variants, images, scores, sales, deletion, plain SQL), also when
several transactions change one product at once."""

from __future__ import annotations

import asyncio
import json

import pytest
from sqlalchemy import text

from allora.adapters.sql.catalogue_json import product_document
from tests.integration.catalogue_helpers import (
    ACCEPT,
    PRODUCTS,
    add_comment,
    create_product,
    get_product,
    moderate,
    png_file,
)
from tests.integration.conftest import Shop
from tests.integration.order_helpers import ORDERS, checkout, item, place, variant_product

pytestmark = [
    pytest.mark.anyio,
    pytest.mark.postgres,
    pytest.mark.parametrize("database_url", ["postgres"], indirect=True),
]


async def stale_documents(shop: Shop) -> list[str]:
    """Products whose stored document is missing or differs from the one their rows make, and
    documents of no product."""
    query = (
        "SELECT p.id::text FROM products p LEFT JOIN product_documents d ON d.product_id = p.id"
        f" WHERE d.body IS DISTINCT FROM {product_document('p')}"
        " UNION ALL SELECT d.product_id::text FROM product_documents d"
        " LEFT JOIN products p ON p.id = d.product_id WHERE p.id IS NULL"
    )
    async with shop.container.engine.connect() as connection:
        stale = await connection.execute(text(query))
        return list(stale.scalars())


async def document_count(shop: Shop) -> int:
    async with shop.container.engine.connect() as connection:
        return int(await connection.scalar(text("SELECT count(*) FROM product_documents")))


async def test_documents_follow_every_kind_of_change(shop: Shop) -> None:
    admin = await shop.signed_up("alice")
    shopper = await shop.signed_up("bob")
    sizes = [{"colorName": "red", "size": "M", "stock": 5}, {"size": "L", "stock": 5}]
    product = await variant_product(admin, sizes, name="Wool coat")
    odd = {"name": 'Odd "name" \\ é', "variants": "[]", "stock": "4"}
    plain = await create_product(admin, [png_file(), png_file()], **odd)
    assert await document_count(shop) == 2
    assert await stale_documents(shop) == []

    path = f"{PRODUCTS}{product['id']}/"
    edits = {"name": "Wool coat II", "price": 12.5, "discount": 10}
    assert (await admin.patch(path, json=edits)).status_code == 200
    variants = json.dumps([{"size": "S", "stock": 3, "price": 9}])
    assert (await admin.patch(path, json={"variants": json.loads(variants)})).status_code == 200
    comment = await add_comment(shopper, product["id"], score=2)
    await moderate(admin, ACCEPT, comment["id"])
    assert await stale_documents(shop) == []

    product = await get_product(shopper, product["id"])
    order = await place(shopper, item(product, 2, variant=0), item(plain, 1))
    assert await stale_documents(shop) == []
    status = f"{ORDERS}{order['id']}/status/"
    assert (await admin.put(status, json={"status": "cancelled"})).status_code == 200
    assert await stale_documents(shop) == []

    async with shop.container.engine.begin() as connection:  # as an operator's SQL would
        await connection.execute(text("UPDATE product_variants SET stock = stock + 7"))
        await connection.execute(text("DELETE FROM product_images WHERE position = 0"))
    assert await stale_documents(shop) == []

    assert (await admin.delete(path)).status_code == 200
    assert await document_count(shop) == 1
    assert await stale_documents(shop) == []


async def test_concurrent_sales_of_one_products_variants_leave_its_document_exact(
    shop: Shop,
) -> None:
    """Checkouts of one product's variants, each taking two of them, 32 at once: each rewrites
    the document after the one before committed (checkout locks the product rows first)."""
    admin = await shop.signed_up("alice")
    sizes: list[dict[str, object]] = [{"size": s, "stock": 40} for s in ("S", "M", "L", "XL")]
    product = await variant_product(admin, sizes)
    shoppers = [await shop.signed_up(f"buyer{i}") for i in range(8)]

    async def buy(n: int) -> int:
        lines = [item(product, 1, variant=n % 4), item(product, 1, variant=(n + 1) % 4)]
        response = await shoppers[n % 8].post(ORDERS, json=checkout(*lines))
        return response.status_code

    statuses = await asyncio.gather(*(buy(n) for n in range(32)))
    assert statuses == [201] * 32
    assert await stale_documents(shop) == []
    listed = await get_product(admin, product["id"])
    assert [v["stock"] for v in listed["variants"]] == [24, 24, 24, 24]


async def test_two_transactions_changing_one_products_variants_leave_its_document_exact(
    shop: Shop,
) -> None:
    """Plain SQL takes no product lock of its own: the document's rewrite takes it, so the
    second transaction rewrites the document only after the first committed, from what that
    one wrote. Without it, the second would write the first's variant as it was before, and
    commit last."""
    admin = await shop.signed_up("alice")
    product = await variant_product(admin, [{"size": "S", "stock": 9}, {"size": "M", "stock": 9}])
    first, second = (v["id"] for v in product["variants"])
    sell = text("UPDATE product_variants SET stock = stock - 1 WHERE id = :id")
    engine = shop.container.engine
    async with engine.connect() as one, engine.connect() as two:
        await one.execute(sell, {"id": first})

        async def the_other() -> None:
            await two.execute(sell, {"id": second})
            await two.commit()

        other = asyncio.create_task(the_other())
        await asyncio.sleep(0.3)
        assert not other.done(), "the second rewrite waits for the first transaction"
        await one.commit()
        await other
    assert await stale_documents(shop) == []
    listed = await get_product(admin, product["id"])
    assert [v["stock"] for v in listed["variants"]] == [8, 8]

"""`ProductRepository.referenced_images`: which stored names some product still names, the
question a sweep of orphan image files asks before removing anything."""

from __future__ import annotations

import pytest

from allora.application.ports import UnitOfWorkFactory
from tests.contract.builders import product
from tests.contract.transactions import committed, read, store

pytestmark = pytest.mark.anyio


def key(n: int, extension: str = "png") -> str:
    return f"{n:032x}.{extension}"


async def test_only_names_some_product_has_are_referenced(uow: UnitOfWorkFactory) -> None:
    shirt = product(1, images=(key(1), key(2, "jpg")))
    hat = product(2, images=(key(3),))
    shared = product(3, images=(key(1),))  # two products naming one file: reported once
    await store(uow, shirt, hat, shared)
    asked = [key(1), key(2, "jpg"), key(3), key(4), key(2), ".x.part"]
    found = await read(uow, lambda tx: tx.products.referenced_images(asked))
    assert found == {key(1), key(2, "jpg"), key(3)}
    assert await read(uow, lambda tx: tx.products.referenced_images([])) == set()


async def test_a_removed_product_no_longer_references_its_images(uow: UnitOfWorkFactory) -> None:
    shirt = product(1, images=(key(1),))
    await store(uow, shirt)
    await committed(uow, lambda tx: tx.products.remove(shirt.id))
    assert await read(uow, lambda tx: tx.products.referenced_images([key(1)])) == set()


async def test_any_number_of_names_can_be_asked_at_once(uow: UnitOfWorkFactory) -> None:
    """More names than one statement may bind (SQLite's and asyncpg's limits are ~32k)."""
    kept = [key(n) for n in range(0, 40_000, 997)]
    await store(uow, *(product(i, images=tuple(kept[i : i + 10])) for i in range(0, 41, 10)))
    asked = [key(n) for n in range(40_000)]
    assert await read(uow, lambda tx: tx.products.referenced_images(asked)) == set(kept)

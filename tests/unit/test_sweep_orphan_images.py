"""SweepOrphanImages on fakes: what a crash mid-upload leaves behind goes once it is old,
and nothing a product names or an upload may still be writing is touched."""

from __future__ import annotations

from datetime import timedelta

import pytest

from allora.application.create_product import CreateProduct, Upload
from allora.application.sessions import SignedIn
from allora.application.sweep_orphan_images import GRACE_PERIOD, SweepOrphanImages
from allora.domain.products import Product
from allora.entrypoints.wiring import UseCases
from tests.unit.fake_images import FakeImageStore, image
from tests.unit.fakes import START, FakeClock
from tests.unit.shop import product_fields

pytestmark = pytest.mark.anyio

ORPHAN = "a" * 32 + ".png"
PARTIAL = "." + "b" * 32 + ".jpg.part"
YOUNG = "c" * 32 + ".webp"
NOW = START + 2 * GRACE_PERIOD


@pytest.fixture
def images(clock: FakeClock) -> FakeImageStore:
    """Files dated by the shop's clock, like a directory's mtimes."""
    return FakeImageStore(now=clock.now)


@pytest.fixture
def sweep(use_cases: UseCases) -> SweepOrphanImages:
    return use_cases.sweep_orphan_images


@pytest.fixture
async def product(create_product: CreateProduct, admin: SignedIn, clock: FakeClock) -> Product:
    """A product made at START, its images as old as the leftovers."""
    return await create_product(
        actor=admin.user, fields=product_fields(), uploads=[Upload(image("png"))] * 2
    )


def plant_leftovers(images: FakeImageStore) -> None:
    """What crashes left: an image and a `.part` that will be old at NOW, and a young image."""
    images.plant(ORPHAN, START - timedelta(minutes=5))
    images.plant(PARTIAL, START, partial=True)
    images.plant(YOUNG, NOW - GRACE_PERIOD + timedelta(minutes=1))


async def test_old_orphans_and_part_files_go_referenced_and_young_files_stay(
    sweep: SweepOrphanImages, product: Product, images: FakeImageStore, clock: FakeClock
) -> None:
    plant_leftovers(images)
    clock.set(NOW)
    removed = await sweep()
    assert [stored.name for stored in removed] == [ORPHAN, PARTIAL]
    assert {stored.name for stored in await images.stored()} == {*product.images, YOUNG}
    assert await sweep() == []


async def test_a_dry_run_reports_the_same_and_removes_nothing(
    sweep: SweepOrphanImages, product: Product, images: FakeImageStore, clock: FakeClock
) -> None:
    plant_leftovers(images)
    clock.set(NOW)
    before = await images.stored()
    assert [stored.name for stored in await sweep(dry_run=True)] == [ORPHAN, PARTIAL]
    assert await images.stored() == before


async def test_nothing_younger_than_the_grace_period_goes(
    sweep: SweepOrphanImages, images: FakeImageStore, clock: FakeClock
) -> None:
    plant_leftovers(images)  # no product at all: every image is an orphan
    clock.set(START - timedelta(minutes=5) + GRACE_PERIOD)
    assert await sweep() == []
    clock.advance(timedelta(seconds=1))
    assert [stored.name for stored in await sweep()] == [ORPHAN]

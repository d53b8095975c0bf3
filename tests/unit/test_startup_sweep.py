"""The start-up sweep runs beside the server: starting does not wait for it, stopping cancels
it, and a store that is down is logged, never raised into the server."""

from __future__ import annotations

import asyncio
import logging

import anyio
import pytest

from allora.application.ports import StoredImage
from allora.application.sweep_orphan_images import GRACE_PERIOD, SweepOrphanImages
from allora.entrypoints.media_sweep import StartupSweep
from tests.unit.fake_images import FakeImageStore, ImageStoreDown
from tests.unit.fakes import START, FakeClock, FakeUnitOfWorkFactory

pytestmark = pytest.mark.anyio

ORPHAN = "a" * 32 + ".png"
DEADLOCK = 10  # seconds: a start that waited for the blocked listing would never return


class HeldStore(FakeImageStore):
    """Lists its files only once released, like a slow bucket or a huge directory."""

    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()
        self.plant(ORPHAN, START - 2 * GRACE_PERIOD)

    async def stored(self) -> list[StoredImage]:
        await self.release.wait()
        return await super().stored()


class DownStore(FakeImageStore):
    async def stored(self) -> list[StoredImage]:
        raise ImageStoreDown("bucket unreachable")


def startup(uow: FakeUnitOfWorkFactory, store: FakeImageStore) -> StartupSweep:
    return StartupSweep(SweepOrphanImages(uow, store, FakeClock(START)))


async def test_starting_does_not_wait_for_the_sweep(uow: FakeUnitOfWorkFactory) -> None:
    store = HeldStore()
    sweep = startup(uow, store)
    with anyio.fail_after(DEADLOCK):
        await sweep.start()
    assert ORPHAN in store.images
    store.release.set()
    await sweep.finished()
    assert ORPHAN not in store.images


async def test_stopping_cancels_a_sweep_still_running(uow: FakeUnitOfWorkFactory) -> None:
    store = HeldStore()
    sweep = startup(uow, store)
    await sweep.start()
    await sweep.stop()
    store.release.set()
    await asyncio.sleep(0)
    assert ORPHAN in store.images


async def test_a_store_that_is_down_is_logged_not_raised(
    uow: FakeUnitOfWorkFactory, caplog: pytest.LogCaptureFixture
) -> None:
    sweep = startup(uow, DownStore())
    log = logging.getLogger("allora.media")  # its own handler: `allora` may not propagate
    log.addHandler(caplog.handler)
    try:
        await sweep.start()
        await sweep.finished()
    finally:
        log.removeHandler(caplog.handler)
    assert "media sweep failed" in caplog.text
    assert "bucket unreachable" in caplog.text

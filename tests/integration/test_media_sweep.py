"""Image files a crash left behind are swept by `allora media sweep` and at start-up, on
SQLite and PostgreSQL: old orphans and old `.part` files go, referenced and young files stay."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import anyio.to_thread
import pytest
from click.testing import CliRunner, Result

from allora.entrypoints.cli import main
from tests.integration.catalogue_helpers import create_product, image_file, png_bytes
from tests.integration.conftest import Shop, ShopFactory

pytestmark = pytest.mark.anyio


def written_hours_ago(path: Path, hours: float) -> None:
    moment = time.time() - hours * 3600
    os.utime(path, (moment, moment))


@dataclass
class Media:
    """The shop's media directory after a product was created and crashes left files."""

    directory: Path
    referenced: set[str]  # the product's images, written long ago
    old_orphan: str
    old_partial: str
    young_orphan: str

    def names(self) -> set[str]:
        return {path.name for path in self.directory.iterdir()}


async def media_with_leftovers(shop: Shop) -> Media:
    await shop.app.state.media_sweep.finished()  # the shop's own start-up sweep is over
    admin = await shop.signed_up("admin")
    product = await create_product(admin, images=[image_file("PNG"), image_file("JPEG")])
    directory = shop.settings.media_dir
    referenced = {url.rsplit("/", 1)[-1] for url in product["images"]}
    media = Media(
        directory, referenced, f"{'a' * 32}.png", f".{'b' * 32}.jpg.part", f"{'c' * 32}.webp"
    )
    (directory / media.old_orphan).write_bytes(png_bytes())  # a product that never committed
    (directory / media.old_partial).write_bytes(png_bytes()[:20])  # kill -9 mid-write
    (directory / media.young_orphan).write_bytes(png_bytes())  # an upload still in flight
    for name in referenced:
        written_hours_ago(directory / name, 3)
    written_hours_ago(directory / media.old_orphan, 2)
    written_hours_ago(directory / media.old_partial, 2)
    written_hours_ago(directory / media.young_orphan, 0.5)
    assert media.names() == {*referenced, media.old_orphan, media.old_partial, media.young_orphan}
    return media


async def allora(shop: Shop, tmp_path: Path, *args: str) -> Result:
    """The `allora` command on the shop's database and media directory, off the event loop."""
    env = {
        "ALLORA_DATABASE_URL": shop.settings.database_url,
        "ALLORA_MEDIA_DIR": str(shop.settings.media_dir),
        "ALLORA_VAR_DIR": str(tmp_path / "cli"),
        "ALLORA_ENV": "test",
    }
    return await anyio.to_thread.run_sync(lambda: CliRunner().invoke(main, list(args), env=env))


async def test_media_sweep_removes_old_orphans_and_part_files_only(
    make_shop: ShopFactory, tmp_path: Path
) -> None:
    shop = await make_shop()
    media = await media_with_leftovers(shop)
    result = await allora(shop, tmp_path, "media", "sweep")
    assert result.exit_code == 0, result.output
    assert media.names() == {*media.referenced, media.young_orphan}
    removed = [line.split()[1] for line in result.output.splitlines() if line.startswith("removed")]
    assert sorted(removed) == sorted([media.old_orphan, media.old_partial])
    assert "2 file(s) removed" in result.output
    for name in media.referenced:
        assert (await (await shop.client()).get(f"/media/{name}")).status_code == 200


async def test_media_sweep_dry_run_prints_and_removes_nothing(
    make_shop: ShopFactory, tmp_path: Path
) -> None:
    shop = await make_shop()
    media = await media_with_leftovers(shop)
    before = media.names()
    result = await allora(shop, tmp_path, "media", "sweep", "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"would remove {media.old_orphan}" in result.output
    assert f"would remove {media.old_partial}" in result.output
    assert media.young_orphan not in result.output
    assert media.names() == before


async def test_a_starting_server_sweeps_in_the_background(make_shop: ShopFactory) -> None:
    media = await media_with_leftovers(await make_shop())
    restarted = await make_shop()  # another process starting on the same database and files
    await restarted.app.state.media_sweep.finished()
    assert media.names() == {*media.referenced, media.young_orphan}

"""The image adapters: content checks by decoding, and the store's contract.

The store tests are written against the `ImageStore` port so every adapter (the directory one
now, an object-store one later) runs the same suite.
"""

from __future__ import annotations

import io
import os
import struct
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer
from PIL import Image

from allora.adapters.images import (
    MAX_ANIMATION_PIXELS,
    MAX_PIXELS,
    FileImageStore,
    PillowImageInspector,
    is_image_key,
)
from allora.adapters.object_store import S3ImageStore, S3Settings
from allora.application.ports import ImageStore, StoredImage
from allora.domain.errors import InvalidInput
from tests.integration.conftest import ShopFactory

pytestmark = pytest.mark.anyio


def encoded(kind: str, size: tuple[int, int] = (16, 12)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, kind)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("kind", "extension"), [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp"), ("GIF", "gif")]
)
async def test_inspector_names_real_images_by_their_content(kind: str, extension: str) -> None:
    assert await PillowImageInspector().extension_of(encoded(kind)) == extension


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"just some text pretending to be an image",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,  # a PNG signature and nothing real behind it
        encoded("PNG")[:-20],  # truncated
        encoded("JPEG")[: len(encoded("JPEG")) // 2],
        encoded("BMP"),  # a real image, but not an allowed format
        b"GIF89a" + b"\xff" * 30,
    ],
)
async def test_inspector_refuses_what_is_not_an_allowed_image(data: bytes) -> None:
    with pytest.raises(InvalidInput):
        await PillowImageInspector().extension_of(data)


def animated_gif(width: int, height: int, frames: int) -> bytes:
    """A GIF of `frames` one-pixel frames on a `width` x `height` screen, written by hand so a
    huge animation costs a few bytes a frame."""
    screen = b"GIF89a" + struct.pack("<HHBBB", width, height, 0x80, 0, 0) + b"\0\0\0\xff\xff\xff"
    frame = b"!\xf9\x04\x00\x0a\x00\x00\x00,"  # 0.1 s, then the image descriptor
    frame += struct.pack("<HHHHB", 0, 0, 1, 1, 0) + b"\x02\x02D\x01\x00"
    return screen + frame * frames + b";"


async def test_inspector_bounds_frames_times_pixels_of_an_animation() -> None:
    inspector = PillowImageInspector()
    assert await inspector.extension_of(animated_gif(400, 300, 60)) == "gif"
    assert 60 * 4000 * 4000 > MAX_ANIMATION_PIXELS >= 4000 * 4000
    assert await inspector.extension_of(animated_gif(4000, 4000, 1)) == "gif"
    with pytest.raises(InvalidInput, match="frames"):
        await inspector.extension_of(animated_gif(4000, 4000, 60))


async def test_inspector_refuses_a_decompression_bomb_without_decoding_it() -> None:
    side = int(MAX_PIXELS**0.5) + 100
    buffer = io.BytesIO()
    Image.new("1", (side, side)).save(buffer, "PNG")  # tiny file, huge image
    assert len(buffer.getvalue()) < 1024 * 1024
    with pytest.raises(InvalidInput):
        await PillowImageInspector().extension_of(buffer.getvalue())


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """A local S3-compatible server (moto's server mode) with an empty `media` bucket."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    ).create_bucket(Bucket="media")
    yield endpoint
    server.stop()


@pytest.fixture(params=["directory", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ImageStore:
    """Every adapter of the `ImageStore` port runs the same contract tests."""
    if request.param == "directory":
        return FileImageStore(tmp_path / "media", url_prefix="/media")
    endpoint = request.getfixturevalue("s3_endpoint")
    return S3ImageStore(S3Settings("media", endpoint, "us-east-1", "test", "test"))


async def test_store_keeps_bytes_under_a_fresh_server_chosen_name(store: ImageStore) -> None:
    first = await store.put(b"first", "png")
    second = await store.put(b"second", "png")
    assert first != second
    assert first.endswith(".png")
    assert await store.read(first) == b"first"
    assert await store.read(second) == b"second"
    assert store.url(first) == f"/media/{first}"


async def test_store_delete_removes_and_tolerates_missing_keys(store: ImageStore) -> None:
    key = await store.put(b"data", "webp")
    await store.delete(key)
    assert await store.read(key) is None
    await store.delete(key)  # again: not an error


@pytest.mark.parametrize(
    "key",
    ["../secret_key", "..%2fsecret_key", "/etc/passwd", "a/b.png", "", ".", "x.png", "abc.exe"],
)
async def test_store_reads_only_names_it_could_have_chosen(store: ImageStore, key: str) -> None:
    assert await store.read(key) is None


async def test_directory_store_writes_only_inside_its_directory(tmp_path: Path) -> None:
    store = FileImageStore(tmp_path / "media")
    key = await store.put(b"data", "gif")
    assert [p.name for p in (tmp_path / "media").iterdir()] == [key]
    assert [p.name for p in tmp_path.iterdir()] == ["media"]
    (tmp_path / "secret_key").write_text("s3cr3t")
    assert await store.read("../secret_key") is None
    await store.delete("../secret_key")
    assert (tmp_path / "secret_key").exists()


async def test_the_shop_serves_and_deletes_images_kept_in_an_object_store(
    make_shop: ShopFactory, s3_endpoint: str
) -> None:
    shop = await make_shop(
        s3_bucket="media", s3_endpoint=s3_endpoint, s3_access_key="test", s3_secret_key="test"
    )
    admin = await shop.signed_up("admin")
    image = encoded("PNG")
    created = await admin.post(
        "/api/products/",
        data={
            "name": "Bucket hat",
            "price": "12.50",
            "description": "A hat kept in a bucket",
            "category": "hats",
            "stock": "1",
        },
        files=[("img", ("hat.png", image, "image/png"))],
    )
    assert created.status_code == 201, created.text
    product = created.json()["data"]
    url = product["images"][0]
    fetched = await admin.get(url)
    assert fetched.status_code == 200
    assert fetched.content == image
    assert not (shop.settings.media_dir).exists()  # nothing went to the local directory
    assert (await admin.delete(f"/api/products/{product['id']}/")).status_code == 200
    assert (await admin.get(url)).status_code == 404


async def test_store_lists_its_images_with_when_they_were_written(store: ImageStore) -> None:
    """What a sweep of orphans sees: every image, dated in UTC by the store itself."""
    first = await store.put(b"first", "png")
    second = await store.put(b"second", "gif")
    listed = {stored.name: stored for stored in await store.stored()}
    assert {first, second} <= set(listed)
    for key in (first, second):
        assert not listed[key].partial
        assert abs(listed[key].modified - datetime.now(UTC)) < timedelta(minutes=5)
    await store.delete(first)
    assert first not in {stored.name for stored in await store.stored()}


async def test_directory_store_lists_unfinished_writes_and_nothing_foreign(tmp_path: Path) -> None:
    """A `.part` left by a process killed mid-upload is listed (and removable) with its own
    age; files the shop could not have written are neither listed nor removable."""
    media = tmp_path / "media"
    store = FileImageStore(media)
    assert await store.stored() == []  # no directory yet
    key = await store.put(b"data", "png")
    partial = media / f".{'d' * 32}.jpg.part"
    partial.write_bytes(b"half an upl")
    long_ago = datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)
    os.utime(partial, (long_ago.timestamp(), long_ago.timestamp()))
    for foreign in ("notes.txt", ".secret_key", f"{'e' * 32}.png.bak", f".{'f' * 32}.exe.part"):
        (media / foreign).write_text("not an image")
    (media / f"{'0' * 32}.png").mkdir()  # named like an image, but not a file
    listed = {stored.name: stored for stored in await store.stored()}
    assert set(listed) == {key, partial.name}
    assert listed[partial.name] == StoredImage(partial.name, long_ago, partial=True)
    await store.delete(partial.name)
    await store.delete(".secret_key")
    await store.delete(f".{'f' * 32}.exe.part")
    assert not partial.exists()
    assert (media / ".secret_key").exists()
    assert (media / f".{'f' * 32}.exe.part").exists()


async def test_object_store_lists_only_names_the_shop_could_have_chosen(s3_endpoint: str) -> None:
    store = S3ImageStore(S3Settings("media", s3_endpoint, "us-east-1", "test", "test"))
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    )
    for foreign in ("backups/db.sql", "readme.txt", f"nested/{'a' * 32}.png"):
        client.put_object(Bucket="media", Key=foreign, Body=b"someone else's")
    key = await store.put(b"ours", "webp")
    names = {stored.name for stored in await store.stored()}
    assert key in names
    assert all(is_image_key(name) for name in names)

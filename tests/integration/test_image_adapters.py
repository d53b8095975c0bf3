"""The image adapters: content checks by decoding, and the store's contract.

The store tests are written against the `ImageStore` port so every adapter (the directory one
now, an object-store one later) runs the same suite.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from allora.adapters.images import MAX_PIXELS, FileImageStore, PillowImageInspector
from allora.application.ports import ImageStore
from allora.domain.errors import InvalidInput

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


async def test_inspector_refuses_a_decompression_bomb_without_decoding_it() -> None:
    side = int(MAX_PIXELS**0.5) + 100
    buffer = io.BytesIO()
    Image.new("1", (side, side)).save(buffer, "PNG")  # tiny file, huge image
    assert len(buffer.getvalue()) < 1024 * 1024
    with pytest.raises(InvalidInput):
        await PillowImageInspector().extension_of(buffer.getvalue())


@pytest.fixture(params=["directory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ImageStore:
    return FileImageStore(tmp_path / "media", url_prefix="/media")


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

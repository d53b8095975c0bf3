"""Product images: content checks with Pillow, and storage in a directory."""

from __future__ import annotations

import os
import re
import uuid
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import anyio.to_thread
from PIL import Image, UnidentifiedImageError

from allora.application.ports import StoredImage
from allora.domain.errors import InvalidInput

MAX_PIXELS = 40_000_000  # a 40-megapixel image decodes to ~160 MB; anything bigger is refused
Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow raises DecompressionBombError past twice this
# An animation (GIF, WebP, APNG) is decoded frame by frame on every screen that shows it: its
# frames x width x height is bounded too (100 frames at 1000x1000, 6 at 4000x4000).
MAX_ANIMATION_PIXELS = 100_000_000
_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
_KEY = re.compile(r"[0-9a-f]{32}\.(?:jpg|png|webp|gif)")
_PARTIAL = re.compile(r"\.([0-9a-f]{32}\.(?:jpg|png|webp|gif))\.part")


class PillowImageInspector:
    """Decides the format by decoding, never by file name or declared type."""

    async def extension_of(self, data: bytes) -> str:
        return await anyio.to_thread.run_sync(self._extension_of, data)

    def _extension_of(self, data: bytes) -> str:
        try:
            with Image.open(BytesIO(data), formats=list(_EXTENSIONS)) as image:
                kind = str(image.format)
                if image.width * image.height > MAX_PIXELS:
                    raise InvalidInput.for_field("img", "image has too many pixels")
                if _frames(image) * image.width * image.height > MAX_ANIMATION_PIXELS:
                    raise InvalidInput.for_field("img", "animation has too many frames or pixels")
                image.verify()
            with Image.open(BytesIO(data), formats=list(_EXTENSIONS)) as image:
                image.load()  # a full decode catches truncated and corrupt data verify() misses
        except InvalidInput:
            raise
        except (
            UnidentifiedImageError,
            Image.DecompressionBombError,
            OSError,
            SyntaxError,
            ValueError,
            EOFError,
        ) as error:
            raise InvalidInput.for_field(
                "img", "each image must be a valid jpg, png, webp or gif file"
            ) from error
        return _EXTENSIONS[kind]


def _frames(image: Image.Image) -> int:
    """How many frames: read from the headers (GIF frames are skipped, not decoded)."""
    return int(getattr(image, "n_frames", 1))


def new_image_key(extension: str) -> str:
    """A fresh server-chosen name; the client's file name never reaches storage."""
    key = f"{uuid.uuid4().hex}.{extension}"
    if not _KEY.fullmatch(key):
        raise ValueError(f"unsupported image extension {extension!r}")
    return key


def is_image_key(key: str) -> bool:
    """Only names this shop could have chosen are ever looked up or deleted."""
    return _KEY.fullmatch(key) is not None


class FileImageStore:
    """Images as files named `<uuid>.<ext>` in one directory, served under `url_prefix`."""

    def __init__(self, root: Path, url_prefix: str = "/media") -> None:
        self._root, self._prefix = root, url_prefix.rstrip("/")

    async def put(self, data: bytes, extension: str) -> str:
        key = new_image_key(extension)
        await anyio.to_thread.run_sync(self._write, key, data)
        return key

    async def delete(self, key: str) -> None:
        if is_image_key(key) or _PARTIAL.fullmatch(key):
            await anyio.to_thread.run_sync(lambda: (self._root / key).unlink(missing_ok=True))

    async def stored(self) -> list[StoredImage]:
        return await anyio.to_thread.run_sync(self._stored)

    def url(self, key: str) -> str:
        return f"{self._prefix}/{key}"

    async def read(self, key: str) -> bytes | None:
        """Only names this store could have chosen are looked up: no client path reaches disk."""
        if not is_image_key(key):
            return None
        path = self._root / key
        try:
            return await anyio.to_thread.run_sync(path.read_bytes)
        except FileNotFoundError:
            return None

    def _write(self, key: str, data: bytes) -> None:
        """Write then rename, so a reader never sees half a file."""
        self._root.mkdir(parents=True, exist_ok=True)
        partial = self._root / f".{key}.part"
        partial.write_bytes(data)
        os.replace(partial, self._root / key)

    def _stored(self) -> list[StoredImage]:
        """The images and the `.part` files of writes that never reached their rename."""
        found: list[StoredImage] = []
        try:
            entries = list(os.scandir(self._root))
        except FileNotFoundError:
            return found
        for entry in entries:
            partial = _PARTIAL.fullmatch(entry.name) is not None
            if not (partial or is_image_key(entry.name)) or not entry.is_file(
                follow_symlinks=False
            ):
                continue
            try:
                modified = datetime.fromtimestamp(entry.stat(follow_symlinks=False).st_mtime, UTC)
            except FileNotFoundError:
                continue  # deleted meanwhile
            found.append(StoredImage(entry.name, modified, partial))
        return found

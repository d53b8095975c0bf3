"""In-memory `ImageStore` and `ImageInspector`, keeping the promises of their port docstrings."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from allora.application.ports import StoredImage
from allora.domain.errors import InvalidInput

# The prefix each format's bytes start with; webp is RIFF, a 4-byte size, then WEBP.
MAGIC: Mapping[str, bytes] = {
    "jpg": b"\xff\xd8\xff",
    "png": b"\x89PNG\r\n\x1a\n",
    "webp": b"RIFF\x00\x00\x00\x00WEBP",
    "gif": b"GIF89a",
}
_KEY = re.compile(r"[0-9a-f]{32}\.(?:jpg|png|webp|gif)")


def image(extension: str = "png", size: int = 64, fill: bytes = b"\x00") -> bytes:
    """Bytes of `size` (at least the prefix) that `FakeImageInspector` takes for `extension`."""
    prefix = MAGIC[extension]
    return prefix + fill[:1] * max(0, size - len(prefix))


class ImageStoreDown(OSError):
    """What a failing store raises, like a full disk or an unreachable bucket."""


class FakeImageStore:
    """Images in a dict under fresh `<32 hex>.<ext>` keys; `fail_on_put=n` fails the n-th put."""

    def __init__(
        self,
        fail_on_put: int | None = None,
        url_prefix: str = "/media",
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.images: dict[str, bytes] = {}
        self.partial: set[str] = set()  # names of unfinished writes, left by a crash
        self.modified: dict[str, datetime] = {}
        self._now = now
        self.puts = 0
        self.fail_on_put = fail_on_put
        self._prefix = url_prefix
        self._last = 0

    async def put(self, data: bytes, extension: str) -> str:
        self.puts += 1
        if self.puts == self.fail_on_put:
            raise ImageStoreDown(f"put number {self.puts} failed")
        self._last += 1
        key = f"{self._last:032x}.{extension}"
        if not _KEY.fullmatch(key):
            raise ValueError(f"unsupported image extension {extension!r}")
        self.images[key] = bytes(data)
        self.modified[key] = self._now()
        return key

    async def delete(self, key: str) -> None:
        self.images.pop(key, None)
        self.partial.discard(key)
        self.modified.pop(key, None)

    async def stored(self) -> list[StoredImage]:
        found = [StoredImage(key, self.modified[key]) for key in self.images]
        return found + [StoredImage(name, self.modified[name], True) for name in self.partial]

    def plant(self, name: str, modified: datetime, *, partial: bool = False) -> None:
        """A file as a crash leaves it: an image no product was committed with, or a `.part`."""
        if partial:
            self.partial.add(name)
        else:
            self.images[name] = b"orphan"
        self.modified[name] = modified

    def url(self, key: str) -> str:
        return f"{self._prefix}/{key}"

    async def read(self, key: str) -> bytes | None:
        return self.images.get(key)


class FakeImageInspector:
    """Decides the format by the bytes' prefix, never by a name; `InvalidInput` otherwise."""

    def __init__(self, magic: Mapping[str, bytes] = MAGIC) -> None:
        self._magic = dict(magic)
        self.inspected = 0

    async def extension_of(self, data: bytes) -> str:
        self.inspected += 1
        for extension, prefix in self._magic.items():
            if data.startswith(prefix):
                return extension
        raise InvalidInput.for_field("img", "each image must be a valid jpg, png, webp or gif file")

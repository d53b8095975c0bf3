"""Product images in an S3-compatible object store (obstore), for several machines.

Same contract as the directory store: fresh server-chosen keys, reads and deletes only of
names the shop could have chosen; the app still serves them at /media/<name>.
"""

from __future__ import annotations

from dataclasses import dataclass

import obstore
from obstore.store import S3Store

from allora.adapters.images import is_image_key, new_image_key
from allora.application.ports import StoredImage


@dataclass(frozen=True, slots=True)
class S3Settings:
    bucket: str
    endpoint: str | None
    region: str
    access_key_id: str | None
    secret_access_key: str | None


class S3ImageStore:
    def __init__(self, settings: S3Settings, url_prefix: str = "/media") -> None:
        credentials = {}
        if settings.access_key_id and settings.secret_access_key:
            credentials = {
                "access_key_id": settings.access_key_id,
                "secret_access_key": settings.secret_access_key,
            }
        self._store = S3Store(
            settings.bucket,
            endpoint=settings.endpoint,
            region=settings.region,
            client_options={
                "allow_http": bool(settings.endpoint and settings.endpoint.startswith("http://"))
            },
            **credentials,  # type: ignore[arg-type]
        )
        self._prefix = url_prefix.rstrip("/")

    async def put(self, data: bytes, extension: str) -> str:
        key = new_image_key(extension)
        await obstore.put_async(self._store, key, data)
        return key

    async def delete(self, key: str) -> None:
        if is_image_key(key):
            await obstore.delete_async(self._store, key)

    async def stored(self) -> list[StoredImage]:
        """The bucket's images with their LastModified; an object put is all or nothing, so
        there are no unfinished writes, and objects not named like the shop's are skipped."""
        return [
            StoredImage(meta["path"], meta["last_modified"])
            async for batch in obstore.list(self._store, chunk_size=1000)
            for meta in batch
            if is_image_key(meta["path"])
        ]

    def url(self, key: str) -> str:
        return f"{self._prefix}/{key}"

    async def read(self, key: str) -> bytes | None:
        if not is_image_key(key):
            return None
        try:
            found = await obstore.get_async(self._store, key)
        except FileNotFoundError:
            return None
        return bytes(await found.bytes_async())

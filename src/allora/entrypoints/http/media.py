"""Serving stored product images, and nothing else."""

from __future__ import annotations

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from allora.application.ports import ImageStore
from allora.entrypoints.http.errors import documented

_CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif"}


@get("/media/{key:str}", media_type="image/*", tags=["Products"], responses=documented(400, 404))
async def media(key: FromPath[str], image_store: NamedDependency[ImageStore]) -> Response[bytes]:
    """A stored image by its server-chosen name; any other name is 404."""
    data = await image_store.read(key)
    if data is None:
        raise NotFoundException("No such image")
    return Response(
        data,
        media_type=_CONTENT_TYPES[key.rsplit(".", 1)[-1]],
        headers={"Cache-Control": "public, max-age=31536000, immutable"},
    )

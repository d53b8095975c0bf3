"""The ceiling of the benchmark: a bare Litestar app answering pre-encoded bytes.

It is served with the same uvicorn settings as the shop, for the same paths, with bodies of
the same sizes, so the ratio shop/ceiling shows what the shop's own work costs.
Body sizes come from `ALLORA_CEILING_SIZES`: JSON `{"/path": size, ...}`.
"""

from __future__ import annotations

import json
import os

from litestar import Litestar, Request, Response, route


def create_app() -> Litestar:
    sizes: dict[str, int] = json.loads(os.environ.get("ALLORA_CEILING_SIZES", "{}"))
    bodies = {
        path.rstrip("/"): b"[" + b" " * max(0, size - 2) + b"]" for path, size in sizes.items()
    }

    @route("/{path:path}", http_method=["GET", "PUT", "POST"])
    async def answer(request: Request[object, object, object]) -> Response[bytes]:
        body = bodies.get(request.url.path.rstrip("/"), b"[]")
        return Response(body, media_type="application/json")

    return Litestar([answer], openapi_config=None, debug=False)

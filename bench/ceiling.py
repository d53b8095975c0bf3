"""The ceiling of the benchmark: a bare Litestar app answering pre-encoded bytes.

It is served with the same uvicorn settings as the shop, for the same paths, with bodies of
the same sizes, so the ratio shop/ceiling shows what the shop's own work costs.
Body sizes come from `ALLORA_CEILING_SIZES`: JSON `{"/path?query": size, ...}`. A request is
answered with the body of its path and query if there is one, else of its path alone, else of
the longest `"/prefix/*"` its path is under (e.g. `"/api/products/*"` for any product), else
`[]`. Trailing slashes do not count, as in the shop.
"""

from __future__ import annotations

import json
import os
from typing import Any

from litestar import Litestar, Request, Response, route


def _key(target: str) -> str:
    path, _, query = target.partition("?")
    return path.rstrip("/") + (f"?{query}" if query else "")


def create_app() -> Litestar:
    sizes: dict[str, int] = json.loads(os.environ.get("ALLORA_CEILING_SIZES", "{}"))
    bodies = {
        _key(target): b"[" + b" " * max(0, size - 2) + b"]"
        for target, size in sizes.items()
        if not target.endswith("/*")
    }
    prefixes = sorted(
        (
            (target[:-1], b"[" + b" " * max(0, size - 2) + b"]")
            for target, size in sizes.items()
            if target.endswith("/*")
        ),
        key=lambda entry: -len(entry[0]),
    )

    def body_for(path: str, query: str) -> bytes:
        path = path.rstrip("/")
        found = bodies.get(f"{path}?{query}" if query else path) or bodies.get(path)
        if found is not None:
            return found
        return next((body for prefix, body in prefixes if path.startswith(prefix)), b"[]")

    @route("/{path:path}", http_method=["GET", "PUT", "POST"])
    async def answer(request: Request[Any, Any, Any]) -> Response[bytes]:
        query = request.scope["query_string"].decode()
        body = body_for(request.url.path, query)
        return Response(body, status_code=200, media_type="application/json")

    return Litestar([answer], openapi_config=None, debug=False)

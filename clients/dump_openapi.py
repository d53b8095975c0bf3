"""Prints the app's OpenAPI document as JSON: the source the typed clients are generated from.

The app is built in-process, exactly as `allora serve` builds it, on a throw-away SQLite
database that is never opened (the document depends on the routes alone), so nothing needs to
run and the process environment cannot change the result.

    .venv/bin/python clients/dump_openapi.py > clients/typescript/openapi.json
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from litestar.serialization import encode_json

from allora.entrypoints.app import create_app
from allora.entrypoints.settings import Settings
from allora.entrypoints.wiring import Container


def openapi_document() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as scratch:
        var = Path(scratch)
        settings = Settings(
            secret_key="openapi-document-only-" + "x" * 32,
            database_url=f"sqlite+aiosqlite:///{var / 'unused.db'}",
            env="test",
            var_dir=var,
            media_dir=var / "media",
        )
        document = create_app(settings, Container.build(settings)).openapi_schema.to_schema()
    # Through Litestar's encoder, as `GET /schema/openapi.json` serves it (enum values and the
    # like that json.dumps cannot write).
    loaded: dict[str, Any] = json.loads(encode_json(document))
    return _stable(loaded)


def _stable(document: dict[str, Any]) -> dict[str, Any]:
    """Litestar keeps a route's response headers in a frozenset: their order changes with the
    process's hash seed. Sorted by name, the document (and the types) are the same every time."""
    for item in document["paths"].values():
        for operation in (value for value in item.values() if isinstance(value, dict)):
            for response in operation.get("responses", {}).values():
                if "headers" in response:
                    response["headers"] = dict(sorted(response["headers"].items()))
    return document


if __name__ == "__main__":
    json.dump(openapi_document(), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")

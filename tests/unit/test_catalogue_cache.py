"""The catalogue response cache's rules, against a scripted ASGI app and a hand-moved version."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allora.entrypoints.http.catalogue_cache import (
    CHANGES_CATALOGUE,
    SHARED,
    CachedResponse,
    CatalogueCacheMiddleware,
    ResponseCache,
)

pytestmark = pytest.mark.anyio


class HandVersion:
    def __init__(self) -> None:
        self.value: int | None = 1
        self.events: list[str] = []

    def current(self) -> int | None:
        return self.value

    def touch(self) -> None:
        self.events.append("touch")
        if self.value is not None:
            self.value += 1


class ScriptedApp:
    """Answers every request with `status` and a body that counts the calls."""

    def __init__(self, status: int = 200) -> None:
        self.status, self.calls = status, 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.calls += 1
        await send({"type": "http.response.start", "status": self.status, "headers": []})
        await send({"type": "http.response.body", "body": b"part-", "more_body": True})
        await send({"type": "http.response.body", "body": str(self.calls).encode()})


class Route:
    """What routing puts in the scope: the handler, whose `opt` says its part in the cache."""

    def __init__(self, opt: dict[str, Any]) -> None:
        self.opt = opt


def declared(method: str, path: str) -> dict[str, Any]:
    """The `opt` the app's routes declare for these paths (see the controllers)."""
    if method == "GET" and path in {"/api/products/", "/api/products/x/", "/api/comments/"}:
        return SHARED
    if method != "GET" and path.startswith(("/api/products", "/api/comments/accept")):
        return CHANGES_CATALOGUE
    return {}


async def request(
    middleware: CatalogueCacheMiddleware, path: str, method: str = "GET", query: bytes = b""
) -> tuple[int, bytes, list[str]]:
    scope: Any = {
        "type": "http",
        "method": method,
        "path": path,
        "query_string": query,
        "route_handler": Route(declared(method, path)),
    }
    sent: list[Any] = []

    async def send(message: Any) -> None:
        if message["type"] == "http.response.start":
            middleware.version.events.append("start")  # type: ignore[attr-defined]
        sent.append(message)

    async def receive() -> Any:
        return {"type": "http.request", "body": b""}

    await middleware(scope, receive, send)
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return sent[0]["status"], body, middleware.version.events  # type: ignore[attr-defined]


def cached(app: ScriptedApp, entries: int = 8, max_age: float = 60.0) -> CatalogueCacheMiddleware:
    return CatalogueCacheMiddleware(app, HandVersion(), ResponseCache(entries, 1 << 20), max_age)


async def test_a_public_read_is_reused_until_the_version_moves() -> None:
    app = ScriptedApp()
    middleware = cached(app)
    assert (await request(middleware, "/api/products/", query=b"limit=5"))[1] == b"part-1"
    assert (await request(middleware, "/api/products/", query=b"limit=5"))[1] == b"part-1"
    assert (await request(middleware, "/api/products/", query=b"limit=6"))[1] == b"part-2"
    middleware.version.touch()
    assert (await request(middleware, "/api/products/", query=b"limit=5"))[1] == b"part-3"
    assert app.calls == 3


@pytest.mark.parametrize(
    "path", ["/api/comments/all/", "/api/wishlist/", "/api/auth/me/", "/api/products/a/b/"]
)
async def test_other_reads_are_never_reused(path: str) -> None:
    app = ScriptedApp()
    middleware = cached(app)
    await request(middleware, path)
    assert (await request(middleware, path))[1] == b"part-2"


async def test_failures_unknown_versions_and_old_entries_are_not_reused() -> None:
    failing = ScriptedApp(status=404)
    middleware = cached(failing)
    await request(middleware, "/api/products/x/")
    assert (await request(middleware, "/api/products/x/"))[1] == b"part-2"

    blind = cached(ScriptedApp())
    blind.version.value = None  # type: ignore[attr-defined]
    await request(blind, "/api/products/")
    assert (await request(blind, "/api/products/"))[1] == b"part-2"

    expiring = cached(ScriptedApp(), max_age=0.0)
    await request(expiring, "/api/products/")
    assert (await request(expiring, "/api/products/"))[1] == b"part-2"


async def test_a_successful_catalogue_write_moves_the_version_before_it_answers() -> None:
    middleware = cached(ScriptedApp(status=201))
    _, _, events = await request(middleware, "/api/comments/accept/", method="PUT")
    assert events == ["touch", "start"]

    refused = cached(ScriptedApp(status=403))
    _, _, events = await request(refused, "/api/products/x/", method="PATCH")
    assert events == ["start"]

    elsewhere = cached(ScriptedApp(status=200))
    _, _, events = await request(elsewhere, "/api/discounts/redeem/", method="POST")
    assert events == ["start"]


class GatedApp(ScriptedApp):
    """Holds every request until the gate opens, so that requests overlap."""

    def __init__(self, status: int = 200) -> None:
        super().__init__(status)
        self.gate = asyncio.Event()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.gate.wait()
        await super().__call__(scope, receive, send)


@pytest.mark.parametrize(("status", "calls"), [(200, 1), (404, 10)])
async def test_overlapping_misses_build_a_keepable_response_once(status: int, calls: int) -> None:
    app = GatedApp(status)
    middleware = cached(app)
    pending = [asyncio.create_task(request(middleware, "/api/products/")) for _ in range(10)]
    await asyncio.sleep(0)
    app.gate.set()
    answers = await asyncio.gather(*pending)
    assert app.calls == calls
    assert {status for status, _, _ in answers} == {status}
    if status == 200:
        assert {body for _, body, _ in answers} == {b"part-1"}


async def test_a_build_under_an_older_version_is_not_joined() -> None:
    app = GatedApp()
    middleware = cached(app)
    first = asyncio.create_task(request(middleware, "/api/products/"))
    await asyncio.sleep(0)
    middleware.version.touch()
    second = asyncio.create_task(request(middleware, "/api/products/"))
    await asyncio.sleep(0)
    app.gate.set()
    assert (await first)[1] == b"part-1"
    assert (await second)[1] == b"part-2"
    assert (await request(middleware, "/api/products/"))[1] == b"part-2"


def entry(size: int) -> CachedResponse:
    return CachedResponse(1, 0.0, 200, (), b"x" * size)


@given(
    entries=st.integers(0, 5),
    limit=st.integers(0, 100),
    sizes=st.lists(st.tuples(st.integers(0, 9), st.integers(0, 60)), max_size=40),
)
def test_the_cache_stays_within_its_bounds_and_keeps_the_most_recent(
    entries: int, limit: int, sizes: list[tuple[int, int]]
) -> None:
    cache = ResponseCache(entries, limit)
    for key, size in sizes:
        cache.put((str(key), b""), entry(size))
        assert len(cache) <= entries
        assert cache.size_bytes <= limit
        assert cache.size_bytes == sum(
            len(e.body) for k in range(10) if (e := cache.get((str(k), b""))) is not None
        )
    if sizes and entries and sizes[-1][1] <= limit:
        key, size = sizes[-1]
        assert cache.get((str(key), b"")) == entry(size)

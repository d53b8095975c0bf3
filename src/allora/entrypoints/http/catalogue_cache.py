"""Public catalogue responses kept per process, and forgotten as soon as the catalogue changes.

The catalogue is read far more often than it changes, and building a page of products costs
several queries and a few milliseconds of Python; answering it again from the bytes sent last
time costs almost nothing. A response is reused only while the catalogue version it was built
under is still current: this process moves the version itself after a successful write to the
catalogue, and learns of other processes' commits from the database (`CatalogueVersion`). Only
responses that are the same for every caller are kept: the product listing, a product, and the
public comments of a product. Routes say which they are where they are defined: `opt=SHARED`
for a response that is the same for every caller, `opt=CHANGES_CATALOGUE` for a write that may
change one.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Protocol

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

_CATALOGUE = "catalogue"
SHARED: dict[str, Any] = {_CATALOGUE: "shared"}
CHANGES_CATALOGUE: dict[str, Any] = {_CATALOGUE: "changes"}


def shares_response(opt: dict[str, Any]) -> bool:
    """The route's answer is the same for every caller (`opt=SHARED`)."""
    return bool(opt.get(_CATALOGUE) == "shared")


class CatalogueVersion(Protocol):
    """A number that moves whenever the public catalogue may have changed."""

    def current(self) -> int | None:
        """The version now, or None while changes cannot be observed (cache nothing then)."""
        ...

    def touch(self) -> None:
        """This process changed the catalogue."""
        ...


@dataclass(frozen=True, slots=True)
class CachedResponse:
    version: int
    stored_at: float
    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes


class ResponseCache:
    """Least recently used responses, bounded by count and by bytes, so that any number of
    distinct queries cannot grow a worker's memory."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._entries: OrderedDict[tuple[str, bytes], CachedResponse] = OrderedDict()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def get(self, key: tuple[str, bytes]) -> CachedResponse | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, key: tuple[str, bytes], entry: CachedResponse) -> None:
        if len(entry.body) > self.max_bytes or self.max_entries == 0:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= len(old.body)
        self._entries[key] = entry
        self._bytes += len(entry.body)
        while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
            _, evicted = self._entries.popitem(last=False)
            self._bytes -= len(evicted.body)


class CatalogueCacheMiddleware:
    """Answers a repeated public catalogue GET from `ResponseCache` while its version holds;
    a successful catalogue write in this process moves the version before it answers."""

    def __init__(
        self, app: ASGIApp, version: CatalogueVersion, cache: ResponseCache, max_age: float
    ) -> None:
        self.app, self.version, self.cache, self.max_age = app, version, cache, max_age
        self._building: dict[
            tuple[str, bytes], tuple[int, asyncio.Future[CachedResponse | None]]
        ] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP:
            role = scope["route_handler"].opt.get(_CATALOGUE)
            if role == "shared" and scope["method"] == "GET":
                await self._shared(scope, receive, send)
                return
            if role == "changes":
                await self._write(scope, receive, send)
                return
        await self.app(scope, receive, send)

    async def _shared(self, scope: Scope, receive: Receive, send: Send) -> None:
        version = self.version.current()
        if version is None or self.cache.max_entries == 0:
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope["query_string"])
        now = time.monotonic()
        entry = self.cache.get(key)
        if entry is None or entry.version != version or now - entry.stored_at >= self.max_age:
            entry = await self._build_once(key, version, now, scope, receive, send)
            if entry is None:
                return  # answered while building, or not for keeping
        await send(
            {"type": "http.response.start", "status": entry.status, "headers": [*entry.headers]}
        )
        await send({"type": "http.response.body", "body": entry.body, "more_body": False})

    async def _build_once(
        self,
        key: tuple[str, bytes],
        version: int,
        now: float,
        scope: Scope,
        receive: Receive,
        send: Send,
    ) -> CachedResponse | None:
        """Builds the response for `key`, or waits for the request already building it: when
        an entry goes stale under load, one request per process queries instead of all of
        them at once (a stampede that held every other request up for hundreds of ms).
        Returns the entry to send, or None once this request has been answered."""
        building = self._building.get(key)
        if building is not None and building[0] == version:
            entry = await asyncio.shield(building[1])
            if entry is not None:
                return entry
            await self.app(scope, receive, send)  # the builder's answer was not for keeping
            return None
        done: asyncio.Future[CachedResponse | None] = asyncio.get_running_loop().create_future()
        self._building[key] = (version, done)
        status, complete = 0, False
        headers: tuple[tuple[bytes, bytes], ...] = ()
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            nonlocal status, headers, complete
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = tuple((bytes(k), bytes(v)) for k, v in message.get("headers", ()))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                complete = not message.get("more_body", False)
            await send(message)

        entry = None
        try:
            await self.app(scope, receive, keep)
            if status == 200 and complete:
                entry = CachedResponse(version, now, status, headers, b"".join(chunks))
                self.cache.put(key, entry)
        finally:
            done.set_result(entry)
            if self._building.get(key, (0, None))[1] is done:
                del self._building[key]
        return None

    async def _write(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def touch_on_success(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] < 400:
                self.version.touch()  # before the client can see the answer and read again
            await send(message)

        await self.app(scope, receive, touch_on_success)

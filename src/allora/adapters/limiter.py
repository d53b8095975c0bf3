"""Attempt limits on the `limits` library: Redis when configured, process memory otherwise."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress

from limits import RateLimitItem
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from redis.asyncio import BlockingConnectionPool, Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from allora.domain.errors import ServiceUnavailable

log = logging.getLogger("allora.limits")

# Short, so that a Redis that vanished (no refusal, just silence) fails requests in seconds.
CONNECT_SECONDS, COMMAND_SECONDS = 2.0, 5.0
REDIS_RETRY_SECONDS = 5.0  # how long an abuse limit counts locally before asking Redis again


def redis_pool(redis_url: str) -> BlockingConnectionPool:
    """A blocking pool: under a burst, requests wait for a connection instead of failing.
    A connection lost with Redis is dropped and the next command opens a new one, so the
    limits heal by themselves once Redis is back."""
    return BlockingConnectionPool.from_url(
        redis_url,
        max_connections=50,
        timeout=5,
        socket_connect_timeout=CONNECT_SECONDS,
        socket_timeout=COMMAND_SECONDS,
    )


def limit_storage(redis_url: str | None, pool: BlockingConnectionPool | None = None) -> Storage:
    """Redis counters are updated atomically by Lua scripts, so every process shares one count."""
    if redis_url is None:
        return MemoryStorage()
    return RedisStorage(
        "async+" + redis_url,
        implementation="redispy",
        connection_pool=pool or redis_pool(redis_url),  # type: ignore[arg-type]  # to redis-py
        key_prefix="allora",
    )


@asynccontextmanager
async def redis_outage_is_unavailable() -> AsyncIterator[None]:
    """Redis refused, timed out or lost the connection: a 503, not a bug. Anything else it
    answers (a wrong type, a script error) stays a bug."""
    try:
        yield
    except (RedisConnectionError, RedisTimeoutError, OSError) as error:
        raise ServiceUnavailable("redis") from error


class WindowAttemptLimiter:
    """At most `limit` attempts per key in any moving window of the limit's length.

    While its Redis is down it fails closed: `ServiceUnavailable`, never an attempt let
    through uncounted (the README's "Outages" says why)."""

    def __init__(self, storage: Storage, limit: RateLimitItem, namespace: str) -> None:
        self._strategy = MovingWindowRateLimiter(storage)
        self._limit, self._namespace = limit, namespace

    @property
    def window_seconds(self) -> int:
        return int(self._limit.get_expiry())

    async def hit(self, key: str) -> bool:
        async with redis_outage_is_unavailable():
            return await self._strategy.hit(self._limit, self._namespace, key)

    async def forget(self, key: str) -> None:
        async with redis_outage_is_unavailable():
            await self._strategy.clear(self._limit, self._namespace, key)


class FailOpenLimiter:
    """An abuse limit (sign-ups, comments, tickets, orders per client address): counted in
    Redis while it answers, in this process's memory while it does not. Stopping the shop from
    taking orders because Redis is down would cost more than the spam it keeps out, and the
    per-process counts still bound each process (credential limits fail closed instead)."""

    def __init__(
        self,
        shared: WindowAttemptLimiter,
        local: WindowAttemptLimiter,
        retry_after: float = REDIS_RETRY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._shared, self._local = shared, local
        self._retry_after, self._clock = retry_after, clock
        self._local_until = float("-inf")

    @property
    def window_seconds(self) -> int:
        return self._shared.window_seconds

    async def hit(self, key: str) -> bool:
        """After a failure, counts locally for `retry_after` seconds without asking Redis:
        a Redis that never answers would otherwise make every request wait its timeout."""
        if self._clock() < self._local_until:
            return await self._local.hit(key)
        try:
            return await self._shared.hit(key)
        except ServiceUnavailable as error:
            self._local_until = self._clock() + self._retry_after
            log.warning("redis unavailable (%s); counting in this process", error.__cause__)
            return await self._local.hit(key)

    async def forget(self, key: str) -> None:
        await self._local.forget(key)
        with suppress(ServiceUnavailable):  # what it counted stays until its window ends
            await self._shared.forget(key)


class RedisCheck:
    """The health of the Redis the limits live in: a PING on their own pool."""

    name = "redis"

    def __init__(self, pool: BlockingConnectionPool) -> None:
        self._client = Redis(connection_pool=pool)

    async def check(self) -> None:
        await self._client.ping()

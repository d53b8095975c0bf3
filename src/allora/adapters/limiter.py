"""Attempt limits on the `limits` library: Redis when configured, process memory otherwise."""

from __future__ import annotations

from limits import RateLimitItem
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from redis.asyncio import BlockingConnectionPool


def limit_storage(redis_url: str | None) -> Storage:
    """Redis counters are updated atomically by Lua scripts, so every process shares one count.

    A blocking pool: under a burst, requests wait for a connection instead of failing.
    """
    if redis_url is None:
        return MemoryStorage()
    pool = BlockingConnectionPool.from_url(redis_url, max_connections=50, timeout=5)
    return RedisStorage(
        "async+" + redis_url,
        implementation="redispy",
        connection_pool=pool,  # type: ignore[arg-type]  # forwarded to redis-py
        key_prefix="allora",
    )


class WindowAttemptLimiter:
    """At most `limit` attempts per key in any moving window of the limit's length."""

    def __init__(self, storage: Storage, limit: RateLimitItem, namespace: str) -> None:
        self._strategy = MovingWindowRateLimiter(storage)
        self._limit, self._namespace = limit, namespace

    @property
    def window_seconds(self) -> int:
        return int(self._limit.get_expiry())

    async def hit(self, key: str) -> bool:
        return await self._strategy.hit(self._limit, self._namespace, key)

    async def forget(self, key: str) -> None:
        await self._strategy.clear(self._limit, self._namespace, key)

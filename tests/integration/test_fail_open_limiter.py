"""The abuse limits' fallback while Redis is down: counted in the process, and Redis is not
asked again (and waited for) on every request until a pause has passed."""

from __future__ import annotations

import pytest
from limits import RateLimitItemPerMinute
from limits.aio.storage import MemoryStorage

from allora.adapters.limiter import FailOpenLimiter, WindowAttemptLimiter
from allora.domain.errors import ServiceUnavailable

pytestmark = pytest.mark.anyio


class DownRedis(WindowAttemptLimiter):
    """A shared limiter whose Redis fails every call, counting how often it was asked."""

    def __init__(self) -> None:
        super().__init__(MemoryStorage(), RateLimitItemPerMinute(100), "shared")
        self.asked = 0
        self.down = True

    async def hit(self, key: str) -> bool:
        self.asked += 1
        if self.down:
            raise ServiceUnavailable("redis") from ConnectionError("refused")
        return await super().hit(key)


async def test_while_redis_is_down_counts_locally_and_asks_again_only_after_the_pause() -> None:
    now = [0.0]
    shared = DownRedis()
    local = WindowAttemptLimiter(MemoryStorage(), RateLimitItemPerMinute(3), "local")
    limiter = FailOpenLimiter(shared, local, retry_after=5.0, clock=lambda: now[0])

    assert [await limiter.hit("10.0.0.1") for _ in range(4)] == [True, True, True, False]
    assert shared.asked == 1  # the failure is remembered: no timeout paid per request
    now[0] = 6.0
    shared.down = False
    assert await limiter.hit("10.0.0.2") is True
    assert shared.asked == 2  # past the pause, Redis is asked again, and counts again
    assert await limiter.hit("10.0.0.2") is True
    assert shared.asked == 3

"""Counting an attempt against an abuse limit, the one way every use case does it."""

from __future__ import annotations

from allora.application.ports import AttemptLimiter
from allora.domain.errors import TooManyAttempts


async def count_attempt(limiter: AttemptLimiter, key: str) -> None:
    """Counts one attempt for `key` (a client address, an email); past the limit, 429 with
    the window's length as the time to wait."""
    if not await limiter.hit(key):
        raise TooManyAttempts(retry_after=limiter.window_seconds)

"""argon2id password hashing, off the event loop."""

from __future__ import annotations

import secrets

import anyio.to_thread
from anyio import CapacityLimiter
from argon2 import PasswordHasher as Argon2
from argon2.exceptions import InvalidHashError, VerificationError


class Argon2PasswordHasher:
    """argon2id at the OWASP minimum (19 MiB, t=2, p=1), about 30 ms a hash here.

    Hashing runs in worker threads (argon2's C code releases the GIL), and at most
    `max_threads` at once per process, so a burst of sign-ins leaves CPU for the event loop.
    """

    def __init__(self, max_threads: int = 1, memory_kib: int = 19 * 1024, time_cost: int = 2):
        self._argon2 = Argon2(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)
        self._threads = CapacityLimiter(max_threads)
        self._dummy_hash: str | None = None

    async def hash(self, password: str) -> str:
        return await anyio.to_thread.run_sync(self._argon2.hash, password, limiter=self._threads)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        if password_hash is None:
            # Same work as a real check, so response time does not reveal unknown emails.
            password_hash = await self._dummy()
        return await anyio.to_thread.run_sync(
            self._check, password_hash, password, limiter=self._threads
        )

    def _check(self, password_hash: str, password: str) -> bool:
        try:
            return self._argon2.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    async def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = await self.hash(secrets.token_urlsafe(16))
        return self._dummy_hash

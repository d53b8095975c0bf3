"""argon2id password hashing, off the event loop and behind it."""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher as Argon2
from argon2.exceptions import InvalidHashError, VerificationError


def _yield_to_requests(niceness: int) -> None:
    """Lowers the scheduling priority of the calling thread only (Linux gives each thread its
    own nice value; elsewhere this would slow the whole process, so it is left alone)."""
    if sys.platform == "linux" and niceness > 0:
        with contextlib.suppress(OSError):  # a sandbox may forbid it; hashing works anyway
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), niceness)


class Argon2PasswordHasher:
    """argon2id at the OWASP minimum (19 MiB, t=2, p=1), about 30 ms a hash here.

    Hashing runs in this hasher's own threads (argon2's C code releases the GIL), at most
    `max_threads` at once per process, at nice `niceness`: on a busy machine a burst of
    sign-ins takes the CPU the event loops leave, instead of sharing it equally with them and
    holding every other request up.
    """

    def __init__(
        self,
        max_threads: int = 1,
        memory_kib: int = 19 * 1024,
        time_cost: int = 2,
        niceness: int = 0,
    ):
        self._argon2 = Argon2(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)
        self._threads = ThreadPoolExecutor(
            max_threads,
            thread_name_prefix="argon2",
            initializer=_yield_to_requests,
            initargs=(niceness,),
        )
        self._dummy_hash: str | None = None

    async def hash(self, password: str) -> str:
        return await asyncio.get_running_loop().run_in_executor(
            self._threads, self._argon2.hash, password
        )

    async def verify(self, password_hash: str | None, password: str) -> bool:
        if password_hash is None:
            # Same work as a real check, so response time does not reveal unknown emails.
            password_hash = await self._dummy()
        return await asyncio.get_running_loop().run_in_executor(
            self._threads, self._check, password_hash, password
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

"""argon2id password hashing, off the event loop and behind it in priority."""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from argon2 import PasswordHasher as Argon2
from argon2.exceptions import InvalidHashError, VerificationError

T = TypeVar("T")

# Hashing processes, one pool per (size, niceness) in this process: apps built in the same
# process (tests build many) share it instead of each starting its own.
_POOLS: dict[tuple[int, int], ProcessPoolExecutor] = {}
_HASHERS: dict[tuple[int, int], Argon2] = {}


def _pool(size: int, niceness: int) -> ProcessPoolExecutor:
    pool = _POOLS.get((size, niceness))
    if pool is None:
        pool = ProcessPoolExecutor(
            size,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_yield_to_requests,
            initargs=(niceness, os.getpid()),
        )
        _POOLS[(size, niceness)] = pool
    return pool


def _yield_to_requests(niceness: int, server: int) -> None:
    """Runs in each hashing process: a lower priority, so that it takes the CPU the serving
    processes leave. A separate process, not a thread: a niced thread would have to win the
    GIL back from the event loop's thread, and a busy machine made it wait for hundreds of ms
    while the loop waited for it."""
    if niceness > 0:
        with contextlib.suppress(OSError):
            os.nice(niceness)
    threading.Thread(target=_exit_with, args=(server,), daemon=True).start()


def _exit_with(server: int) -> None:
    """A hashing process outlives a serving process that was killed: it would wait for work
    forever. It checks once a second whether it has been orphaned, against the pid the server
    passed (a server killed while this process was still starting is not its parent even at
    the first check)."""
    while os.getppid() == server:
        time.sleep(1)
    os._exit(0)


def _argon2(memory_kib: int, time_cost: int) -> Argon2:
    hasher = _HASHERS.get((memory_kib, time_cost))
    if hasher is None:
        hasher = Argon2(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)
        _HASHERS[(memory_kib, time_cost)] = hasher
    return hasher


def _hash(memory_kib: int, time_cost: int, password: str) -> str:
    return _argon2(memory_kib, time_cost).hash(password)


def _check(memory_kib: int, time_cost: int, password_hash: str, password: str) -> bool:
    try:
        return _argon2(memory_kib, time_cost).verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


class Argon2PasswordHasher:
    """argon2id at the OWASP minimum (19 MiB, t=2, p=1), about 30 ms a hash here.

    Hashing runs in `processes` helper processes per serving process, at nice `niceness`:
    on a busy machine a burst of sign-ins takes the CPU that serving leaves, instead of
    sharing it equally with the event loops and holding every other request up.
    """

    def __init__(
        self,
        processes: int = 1,
        memory_kib: int = 19 * 1024,
        time_cost: int = 2,
        niceness: int = 0,
    ):
        self._params = (memory_kib, time_cost)
        self._size, self._niceness = processes, niceness
        self._dummy_hash: str | None = None

    def warm_up(self) -> None:
        """Starts the hashing processes now (a second or so each) rather than on the first
        sign-in after a deploy."""
        pool = _pool(self._size, self._niceness)
        for _ in range(self._size):
            pool.submit(int)

    async def hash(self, password: str) -> str:
        return await self._in_pool(_hash, *self._params, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        if password_hash is None:
            # Same work as a real check, so response time does not reveal unknown emails.
            password_hash = await self._dummy()
        return await self._in_pool(_check, *self._params, password_hash, password)

    async def _in_pool(self, work: Callable[..., T], *args: object) -> T:
        """Runs `work` in a hashing process; a pool whose process died (killed, out of memory)
        is replaced once instead of failing every later sign-in."""
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(_pool(self._size, self._niceness), work, *args)
        except BrokenProcessPool:
            _POOLS.pop((self._size, self._niceness), None)
            return await loop.run_in_executor(_pool(self._size, self._niceness), work, *args)

    async def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = await self.hash(secrets.token_urlsafe(16))
        return self._dummy_hash

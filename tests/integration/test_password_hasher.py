"""The argon2 adapter: real hashes, and hashing threads that yield the CPU to requests."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from allora.adapters.passwords import Argon2PasswordHasher, _yield_to_requests

pytestmark = pytest.mark.anyio


async def test_hashes_verify_only_their_password() -> None:
    hasher = Argon2PasswordHasher(memory_kib=1024, time_cost=1, niceness=5)
    stored = await hasher.hash("Passw0rd!")
    assert stored.startswith("$argon2id$")
    assert await hasher.verify(stored, "Passw0rd!")
    assert not await hasher.verify(stored, "Passw0rd?")
    assert not await hasher.verify("not a hash", "Passw0rd!")
    assert not await hasher.verify(None, "Passw0rd!")  # unknown account: same work, refused


@pytest.mark.skipif(sys.platform != "linux", reason="per-thread nice values are Linux's")
def test_only_the_hashing_thread_is_niced() -> None:
    seen: list[int] = []

    def hashing_thread() -> None:
        _yield_to_requests(7)
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))

    before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    if before != 0:
        pytest.skip("the test process already runs niced")
    worker = threading.Thread(target=hashing_thread)
    worker.start()
    worker.join()
    assert seen == [7]
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == 0

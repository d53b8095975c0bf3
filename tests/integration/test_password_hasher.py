"""The argon2 adapter: real hashes, in helper processes that yield the CPU to requests."""

from __future__ import annotations

import os

import pytest

from allora.adapters.passwords import Argon2PasswordHasher, _pool

pytestmark = pytest.mark.anyio


async def test_hashes_verify_only_their_password() -> None:
    hasher = Argon2PasswordHasher(memory_kib=1024, time_cost=1, niceness=5)
    stored = await hasher.hash("Passw0rd!")
    assert stored.startswith("$argon2id$")
    assert await hasher.verify(stored, "Passw0rd!")
    assert not await hasher.verify(stored, "Passw0rd?")
    assert not await hasher.verify("not a hash", "Passw0rd!")
    assert not await hasher.verify(None, "Passw0rd!")  # unknown account: same work, refused


@pytest.mark.skipif(os.nice(0) != 0, reason="the test process already runs niced")
def test_hashing_runs_in_a_niced_process_and_leaves_this_one_alone() -> None:
    pool = _pool(1, 7)
    pid, niceness = pool.submit(_identity).result(timeout=60)
    assert pid != os.getpid()
    assert niceness == 7
    assert os.nice(0) == 0


def _identity() -> tuple[int, int]:
    return os.getpid(), os.nice(0)

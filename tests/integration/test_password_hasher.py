"""The argon2 adapter: real hashes, in helper processes that yield the CPU to requests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

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


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="reads /proc")
def test_a_hashing_process_ends_when_its_server_process_is_killed() -> None:
    parent = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os\n"
            "from allora.adapters.passwords import _pool\n"
            "print(_pool(1, 0).submit(os.getpid).result(timeout=60), flush=True)\n"
            "os._exit(1)  # killed: no clean shutdown of the pool\n",
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    hashing = int(parent.stdout.split()[0])
    deadline = time.monotonic() + 10
    while Path(f"/proc/{hashing}").exists() and _state(hashing) != "Z":
        assert time.monotonic() < deadline, "the orphaned hashing process lives on"
        time.sleep(0.1)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


async def test_a_killed_hashing_process_is_replaced() -> None:
    hasher = Argon2PasswordHasher(memory_kib=1024, time_cost=1, niceness=3)
    stored = await hasher.hash("Passw0rd!")
    for process in list(_pool(1, 3)._processes.values()):
        process.kill()
        process.join(10)
    assert await hasher.verify(stored, "Passw0rd!")
    assert await hasher.hash("another")


def test_warming_up_starts_the_hashing_processes_before_any_sign_in() -> None:
    hasher = Argon2PasswordHasher(processes=2, memory_kib=1024, time_cost=1, niceness=9)
    hasher.warm_up()
    pool = _pool(2, 9)
    deadline = time.monotonic() + 30
    while len([p for p in pool._processes.values() if p.is_alive()]) < 2:
        assert time.monotonic() < deadline, "no hashing process was started"
        time.sleep(0.05)


def test_a_hashing_process_whose_server_died_before_it_started_ends() -> None:
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            "import time\n"
            "from allora.adapters.passwords import _yield_to_requests\n"
            "_yield_to_requests(0, server=2**22 + 12345)  # a server pid that is not our parent\n"
            "time.sleep(20)\n"
            "print('still here')\n",
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    # exited by itself, before its sleep was over ("still here" never printed)
    assert (child.returncode, child.stdout, child.stderr) == (0, "", "")

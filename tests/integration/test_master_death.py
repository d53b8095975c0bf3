"""Workers of `allora serve --workers 2` stop when their master is killed outright, so the port
is free for the next server (uvicorn's own workers went on serving, unsupervised)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.integration.servers import _free_port, migrated_sqlite, shop_env


def children_of(pid: int) -> list[int]:
    listed = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in listed]


def port_taken(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_workers_stop_and_free_the_port_when_the_master_is_killed(tmp_path: Path) -> None:
    env = shop_env(tmp_path, {"database_url": migrated_sqlite(tmp_path)})
    port = _free_port()
    allora = str(Path(sys.executable).with_name("allora"))
    master = subprocess.Popen(
        [allora, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2 or not serving(port):
            assert time.monotonic() < deadline, "server did not start"
            assert master.poll() is None, "server exited"
            workers = children_of(master.pid)
            time.sleep(0.2)
        master.send_signal(signal.SIGKILL)
        master.wait(timeout=10)
        deadline = time.monotonic() + 30  # generous: workers look for their master every second
        while port_taken(port) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not port_taken(port), "workers went on serving after their master died"
    finally:
        for pid in workers:  # whatever this test started and is still there
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if master.poll() is None:
            master.kill()
            master.wait(timeout=10)


def serving(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False

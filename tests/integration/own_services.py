"""A PostgreSQL and a Redis of the test's own, on free ports under a temporary directory, that
a test may stop and start again: outages without touching the machine's shared servers."""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

STOP_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes], what: str) -> None:
    """Until the server accepts connections (a start-up, not a measured time)."""
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on port {port}")


def _serve(
    running: subprocess.Popen[bytes] | None,
    command: list[str],
    port: int,
    user: str | None = None,
) -> subprocess.Popen[bytes]:
    """`running` while it runs; else the server `command` starts, once it listens on `port`."""
    if running is not None and running.poll() is None:
        return running
    process = subprocess.Popen(
        command, user=user, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _wait_for_port(port, process, command[0])
    return process


def _stop(process: subprocess.Popen[bytes] | None, how: signal.Signals) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(how)
    try:
        process.wait(STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def postgres_binaries() -> Path | None:
    """The newest PostgreSQL server installed (Debian keeps it off the PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("postgres")
    return Path(on_path).parent if on_path and shutil.which("initdb") else None


class OwnPostgres:
    """A cluster initialised under `root`, served on its own port (trust, user `postgres`).
    Run as root, the server runs as the `postgres` account: initdb refuses root."""

    def __init__(self, binaries: Path, root: Path) -> None:
        self.binaries, self.data = binaries, root / "data"
        self.sockets = root / "sockets"
        self.port = free_port()
        self.user = "postgres" if os.geteuid() == 0 else None
        self._process: subprocess.Popen[bytes] | None = None
        self.sockets.mkdir(parents=True)
        if self.user is not None:
            shutil.chown(root, self.user)
            shutil.chown(self.sockets, self.user)
        subprocess.run(
            [str(binaries / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust"],
            user=self.user,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        """Serves (again); nothing to do while it runs."""
        command = [
            str(self.binaries / "postgres"),
            *("-D", str(self.data), "-p", str(self.port), "-k", str(self.sockets)),
            *("-c", "listen_addresses=127.0.0.1", "-c", "max_connections=40"),
            *("-c", "fsync=off", "-c", "full_page_writes=off"),
        ]
        self._process = _serve(self._process, command, self.port, self.user)
        ready = [str(self.binaries / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port)]
        for _ in range(300):  # listening comes before accepting sessions ("starting up")
            if subprocess.run(ready, check=False).returncode == 0:
                return
            time.sleep(0.1)
        raise RuntimeError("postgres did not accept connections")

    def stop(self) -> None:
        """A fast shutdown: open sessions are terminated, as when the server goes away."""
        _stop(self._process, signal.SIGINT)


class OwnRedis:
    """An in-memory Redis (nothing saved) on its own port."""

    def __init__(self, binary: str) -> None:
        self.binary, self.port = binary, free_port()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Serves (again, empty); nothing to do while it runs."""
        command = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no"]
        self._process = _serve(self._process, command, self.port)

    def stop(self) -> None:
        _stop(self._process, signal.SIGTERM)


def own_postgres(root: Path) -> OwnPostgres:
    """Skips only when the server's binaries are not installed (CI has them)."""
    binaries = postgres_binaries()
    if binaries is None:
        pytest.skip("PostgreSQL server binaries (initdb, postgres) are not installed")
    return OwnPostgres(binaries, root)


def own_redis() -> OwnRedis:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    return OwnRedis(binary)

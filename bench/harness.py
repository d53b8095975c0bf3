"""The benchmark's machinery: wrk runs, the database, and the servers it measures.

Three servers are measured with the same uvicorn settings (2 workers, uvloop, httptools, on
127.0.0.1): the shop (`allora serve`), the bytes-only ceiling (bench/ceiling.py) and the
database-bound reference (bench/reference.py).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ADMIN_DSN = os.environ.get("ALLORA_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("ALLORA_BENCH_REDIS", "redis://127.0.0.1:6379/13")
SECRET = "bench-secret-" + secrets.token_urlsafe(32)  # production refuses a guessable one
PASSWORD = "Passw0rd!"
MIX_SCRIPT = ROOT / "bench" / "storefront_mix.lua"
RANDOM_PAGE_SCRIPT = ROOT / "bench" / "random_page.lua"


@dataclass
class Load:
    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int = 0  # non-2xx answers and socket errors (timeouts, resets)
    key: str = ""  # the scenario it is compared with in the ceiling's and reference's runs


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_healthy(base: str, path: str = "/health") -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + path, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{base} did not start")


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _errors(out: str) -> int:
    """Non-2xx answers (the mix script's done() line, else wrk's own) plus socket errors."""
    status = re.search(r"non-2xx: (\d+)", out) or re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    return (int(status.group(1)) if status else 0) + (
        sum(int(n) for n in sockets.groups()) if sockets else 0
    )


def wrk(
    name: str,
    url: str,
    duration: int,
    connections: int,
    headers: dict[str, str] | None = None,
    script: Path | None = None,
    script_env: dict[str, str] | None = None,
    key: str = "",
) -> Load:
    """One wrk run; with `script`, the Lua script picks the paths (configured by `script_env`).
    Errors are counted and reported, not raised: one bad answer should not lose a whole run."""
    # A 30 s timeout (wrk's default is 2 s): slow answers count in the latencies instead of
    # vanishing from them as timeouts.
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "30s", "--latency"]
    command.append(url)
    for header, value in (headers or {}).items():
        command += ["-H", f"{header}: {value}"]
    if script is not None:
        command += ["-s", str(script)]
    env = {**os.environ, **(script_env or {})}
    out = subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    load = Load(name, rps, p50, p99, _errors(out), key or name)
    if load.errors:
        print(f"warning: {name}: {load.errors} errors under load", file=sys.stderr)
    return load


def settle(seconds: float = 2.0) -> None:
    """wrk stops sending at its deadline, but a server still answers the requests it has in
    flight: let it finish before the next scenario starts measuring."""
    time.sleep(seconds)


async def _admin(*statements: str) -> None:
    connection = await asyncpg.connect(ADMIN_DSN)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


def checkpoint() -> None:
    asyncio.run(_admin("CHECKPOINT"))


def recreate_database(name: str) -> str:
    """A fresh, empty database; returns its SQLAlchemy URL (asyncpg driver)."""
    asyncio.run(
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    )
    base = ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    return f"{base}/{name}"


def plain_dsn(database_url: str) -> str:
    """The asyncpg DSN of a SQLAlchemy URL."""
    return database_url.replace("postgresql+asyncpg://", "postgresql://")


class Server:
    """A server process group, stopped with its workers."""

    def __init__(self, command: list[str], env: dict[str, str], base: str) -> None:
        self.process = subprocess.Popen(
            command,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(os.environ.get("ALLORA_BENCH_LOG", os.devnull), "ab"),
            start_new_session=True,
        )
        self.base = base

    def worker_pids(self) -> list[int]:
        out = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout
        return [int(pid) for pid in out.split()]

    def worker_rss_mib(self) -> list[float]:
        sizes = []
        for pid in self.worker_pids():
            status = Path(f"/proc/{pid}/status").read_text()
            kib = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
            sizes.append(kib / 1024)
        return sizes

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(30)


def shop_env(database_url: str, var_dir: str) -> dict[str, str]:
    return {
        **os.environ,
        "ALLORA_DATABASE_URL": database_url,
        "ALLORA_VAR_DIR": var_dir,
        "ALLORA_SECRET_KEY": SECRET,
        "ALLORA_SIGNIN_CLIENT_LIMIT": "100000",
        # The bench sends everything from one address: no per-client abuse limit may bite.
        "ALLORA_SIGNUP_CLIENT_LIMIT": "100000",
        "ALLORA_ORDER_CLIENT_LIMIT": "100000",
        "ALLORA_COMMENT_CLIENT_LIMIT": "100000",
        "ALLORA_TICKET_CLIENT_LIMIT": "100000",
        "ALLORA_RESET_CLIENT_LIMIT": "100000",
        "ALLORA_REDIS_URL": REDIS_URL,
        "ALLORA_ENV": "production",
        "ALLORA_COOKIE_SECURE": "false",  # the bench talks plain HTTP to 127.0.0.1
    }


def load_catalogue(database_url: str, var_dir: str, products: int) -> None:
    """Migrations and `allora demo-data` into the shop's database."""
    env = shop_env(database_url, var_dir)
    subprocess.run([BIN / "allora", "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run(
        [BIN / "allora", "demo-data", "--products", str(products)],
        env=env,
        check=True,
        capture_output=True,
    )
    checkpoint()  # the load's writes are flushed now, not while a scenario is measured


def start_shop(
    database_url: str,
    var_dir: str,
    products: int | None,
    settings: dict[str, str] | None = None,
) -> Server:
    """The shop on `database_url`, first loaded with `products` demo products unless None."""
    if products is not None:
        load_catalogue(database_url, var_dir, products)
    env = {**shop_env(database_url, var_dir), **(settings or {})}
    port = free_port()
    server = Server(
        [str(BIN / "allora"), "serve", "--port", str(port), "--workers", "2"],
        env,
        f"http://127.0.0.1:{port}",
    )
    wait_healthy(server.base)
    return server


def _uvicorn(factory: str, env: dict[str, str], ready: str) -> Server:
    """A bench app served as the shop serves itself: 2 workers, uvloop, httptools, no access log."""
    port = free_port()
    server = Server(
        [
            str(BIN / "uvicorn"),
            factory,
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "2",
            "--loop",
            "uvloop",
            "--http",
            "httptools",
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        {**os.environ, **env, "PYTHONPATH": str(ROOT)},
        f"http://127.0.0.1:{port}",
    )
    wait_healthy(server.base, ready)
    return server


def start_ceiling(sizes: dict[str, int]) -> Server:
    return _uvicorn(
        "bench.ceiling:create_app", {"ALLORA_CEILING_SIZES": json.dumps(sizes)}, "/ready"
    )


def start_reference(database_url: str) -> Server:
    env = {"ALLORA_REFERENCE_DSN": plain_dsn(database_url), "ALLORA_REFERENCE_SECRET": SECRET}
    return _uvicorn("bench.reference:create_app", env, "/ready")


async def sign_up(client: httpx.AsyncClient, i: int) -> None:
    body = {
        "name": f"bench{i}",
        "email": f"bench{i}@example.com",
        "phone": f"555{i:07d}",
        "password": PASSWORD,
    }
    response = await client.post("/api/auth/signup/", json=body)
    if response.status_code != 201:
        raise RuntimeError(response.text)


Sent = tuple[int, float]  # a burst request's status and latency in ms


async def burst(
    base: str,
    jars: list[httpx.Cookies],
    send: Callable[[httpx.AsyncClient], Awaitable[httpx.Response]],
) -> tuple[list[Sent], float]:
    """One request per cookie jar, all at once, each on a fresh connection (a jar's sign-up
    connection may have idled past keep-alive); the statuses, each request's latency and the
    wall time. The clients are built before the clock starts: building one costs this process
    about 18 ms of CPU (its TLS context), which inside the burst was counted against the shop
    (200 of them: 3.6 s on the event loop that also reads the responses)."""
    clients = [httpx.AsyncClient(base_url=base, cookies=jar, timeout=120) for jar in jars]

    async def one(client: httpx.AsyncClient) -> Sent:
        started = time.perf_counter()
        response = await send(client)
        return response.status_code, (time.perf_counter() - started) * 1000

    try:
        started = time.perf_counter()
        results = await asyncio.gather(*(one(client) for client in clients))
        return results, time.perf_counter() - started
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))


def burst_summary(results: list[Sent], wall: float, won: int, lost: int) -> dict[str, float]:
    """Rate, p50 and p99 of a burst, and how many answered `won`, `lost` or anything else."""
    latencies = sorted(ms for _, ms in results)
    statuses = [status for status, _ in results]
    return {
        "rps": len(results) / wall,
        "p50": statistics.median(latencies),
        "p99": latencies[int(len(latencies) * 0.99) - 1],
        "won": statuses.count(won),
        "lost": statuses.count(lost),
        "unexpected": len(statuses) - statuses.count(won) - statuses.count(lost),
    }

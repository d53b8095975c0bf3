"""`make bench`: load-test the shop against a ceiling measured in the same run.

The shop runs as `allora serve --workers 2` on PostgreSQL (and Redis for shared limits), filled
by `allora demo-data`; wrk drives each scenario at 64 connections. The ceiling is a bare Litestar
app (bench/ceiling.py) with the same server settings answering pre-encoded bodies of the same
sizes on the same paths. Every scenario is reported as a ratio to the ceiling, never as an
absolute timing assertion. Results go to bench/results/<date>.md.

    .venv/bin/python bench/run.py [--products 10000] [--duration 10] [--scale]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ADMIN_DSN = os.environ.get("ALLORA_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("ALLORA_BENCH_REDIS", "redis://127.0.0.1:6379/13")
PASSWORD = "Passw0rd!"
RANDOM_PAGES = "products page at random offsets (cache missed)"


@dataclass
class Load:
    name: str
    rps: float
    p50_ms: float
    p99_ms: float


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


def wrk(
    name: str,
    url: str,
    duration: int,
    connections: int,
    headers: dict[str, str],
    script_env: dict[str, str] | None = None,
) -> Load:
    """One wrk run; with `script_env`, bench/random_page.lua picks the paths (see there)."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url]
    for key, value in headers.items():
        command += ["-H", f"{key}: {value}"]
    if script_env is not None:
        command += ["-s", str(ROOT / "bench" / "random_page.lua")]
    env = {**os.environ, **(script_env or {})}
    out = subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    if re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        raise RuntimeError(f"{name}: errors under load:\n{out}")
    return Load(name, rps, p50, p99)


def settle(seconds: float = 2.0) -> None:
    """wrk stops sending at its deadline, but the shop still answers the requests it has in
    flight: let it finish before the next scenario starts measuring."""
    time.sleep(seconds)


def checkpoint() -> None:
    async def run() -> None:
        connection = await asyncpg.connect(ADMIN_DSN)
        try:
            await connection.execute("CHECKPOINT")
        finally:
            await connection.close()

    asyncio.run(run())


def recreate_database(name: str) -> str:
    async def run() -> None:
        connection = await asyncpg.connect(ADMIN_DSN)
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()

    asyncio.run(run())
    base = ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    return f"{base}/{name}"


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
        "ALLORA_SECRET_KEY": "bench-secret-" + "b" * 40,
        "ALLORA_SIGNIN_CLIENT_LIMIT": "100000",
        "ALLORA_REDIS_URL": REDIS_URL,
        "ALLORA_ENV": "production",
    }


def start_shop(
    database_url: str, var_dir: str, products: int, settings: dict[str, str] | None = None
) -> Server:
    env = {**shop_env(database_url, var_dir), **(settings or {})}
    subprocess.run([BIN / "allora", "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run(
        [BIN / "allora", "demo-data", "--products", str(products)],
        env=env,
        check=True,
        capture_output=True,
    )
    checkpoint()  # the load's writes are flushed now, not while a scenario is measured
    port = free_port()
    server = Server(
        [str(BIN / "allora"), "serve", "--port", str(port), "--workers", "2"],
        env,
        f"http://127.0.0.1:{port}",
    )
    wait_healthy(server.base)
    return server


def start_ceiling(sizes: dict[str, int]) -> Server:
    port = free_port()
    env = {**os.environ, "ALLORA_CEILING_SIZES": json.dumps(sizes), "PYTHONPATH": str(ROOT)}
    server = Server(
        [
            str(BIN / "uvicorn"),
            "bench.ceiling:create_app",
            "--factory",
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
        env,
        f"http://127.0.0.1:{port}",
    )
    wait_healthy(server.base, "/ready")
    return server


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


async def redemption_burst(
    base: str, admin: httpx.AsyncClient, users: int, max_use: int
) -> dict[str, float]:
    await admin.post("/api/discounts/", json={"code": "BENCH", "percent": 10, "maxUse": max_use})
    clients = [httpx.AsyncClient(base_url=base, timeout=60) for _ in range(users)]
    try:
        for start in range(0, users, 25):
            await asyncio.gather(
                *(sign_up(c, 1000 + start + i) for i, c in enumerate(clients[start : start + 25]))
            )

        async def redeem(client: httpx.AsyncClient) -> tuple[int, float]:
            # A fresh connection: the one used to sign up may have idled past keep-alive.
            async with httpx.AsyncClient(base_url=base, cookies=client.cookies, timeout=60) as c:
                started = time.perf_counter()
                response = await c.put("/api/discounts/use/", json={"code": "bench"})
                return response.status_code, (time.perf_counter() - started) * 1000

        started = time.perf_counter()
        results = await asyncio.gather(*(redeem(c) for c in clients))
        wall = time.perf_counter() - started
    finally:
        for client in clients:
            await client.aclose()
    latencies = sorted(ms for _, ms in results)
    statuses = [status for status, _ in results]
    if statuses.count(200) != max_use or statuses.count(422) != users - max_use:
        raise RuntimeError(f"redemption burst broke the limit: {sorted(set(statuses))}")
    return {
        "rps": users / wall,
        "p50": statistics.median(latencies),
        "p99": latencies[int(len(latencies) * 0.99) - 1],
    }


async def sign_in_storm(base: str, seconds: float) -> int:
    """Keeps 16 sign-ins in flight for `seconds`; returns how many completed."""
    done = 0
    deadline = time.monotonic() + seconds

    async def worker(user: int) -> None:
        # One account per worker: concurrent sign-ins of one email count against its lock.
        nonlocal done
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            while time.monotonic() < deadline:
                response = await client.post(
                    "/api/auth/signin/",
                    json={"email": f"bench{1000 + user}@example.com", "password": PASSWORD},
                )
                assert response.status_code == 200, response.text
                done += 1

    await asyncio.gather(*(worker(user) for user in range(16)))
    return done


def random_pages(products: int, percent: int = 100) -> dict[str, str]:
    return {
        "ALLORA_BENCH_MAX_OFFSET": str(max(0, products - 50)),
        "ALLORA_BENCH_PERCENT_RANDOM": str(percent),
    }


def measure_shop(
    server: Server, duration: int, connections: int, memory_requests: int, products: int
) -> tuple[list[Load], dict[str, int], dict[str, object]]:
    base = server.base
    extra: dict[str, object] = {}

    async def prepare() -> tuple[str, str]:
        async with httpx.AsyncClient(base_url=base, timeout=60) as admin:
            await sign_up(admin, 0)
            product = (await admin.get("/api/products/?limit=1")).json()[0]["id"]
            extra["burst"] = await redemption_burst(base, admin, users=200, max_use=50)
            return admin.cookies["token"], product

    token, product_id = asyncio.run(prepare())
    paths = {
        "products page": ("/api/products/?limit=50", {}),
        "product detail": (f"/api/products/{product_id}/", {}),
        "me (cookie)": ("/api/auth/me/", {"Cookie": f"token={token}"}),
        "comments list": ("/api/comments/?limit=50", {}),
    }
    sizes = {
        path: len(httpx.get(base + path, headers=headers).content)
        for path, headers in paths.values()
    }
    loads = []
    for name, (path, headers) in paths.items():
        loads.append(wrk(name, base + path, duration, connections, headers))
        settle()

    # Products page while sign-ins keep the hasher busy.
    async def storm_while_loading() -> tuple[Load, int]:
        storm = asyncio.create_task(sign_in_storm(base, duration + 1))
        load = await asyncio.to_thread(
            wrk,
            "products page during sign-ins",
            base + paths["products page"][0],
            duration,
            connections,
            {},
        )
        return load, await storm

    busy, signins = asyncio.run(storm_while_loading())
    loads.append(busy)
    extra["sign-ins during load"] = signins
    settle()

    # The same page size at random offsets: nearly every request misses the cache and runs
    # the queries, so this is the cost of the database path itself. Last, and followed by a
    # pause: requests it leaves in flight would otherwise weigh on the next measurement.
    loads.append(wrk(RANDOM_PAGES, base + "/", duration, connections, {}, random_pages(products)))
    settle()

    # Memory of each worker after ~50k and ~100k requests, one in ten of them at a random
    # offset: the cache keeps filling, evicting and missing, and the queries run throughout.
    rss: list[list[float]] = []
    for _ in range(2):
        sent = 0
        while sent < memory_requests:
            load = wrk("memory", base + "/", 5, connections, {}, random_pages(products, 10))
            sent += int(load.rps * 5)
        rss.append(server.worker_rss_mib())
    extra["rss"] = rss
    return loads, sizes, extra


def measure_scale(
    small: int, large: int, duration: int, connections: int
) -> dict[str, dict[int, Load]]:
    """The products page at two catalogue sizes, as served and with the cache turned off
    (every request counts and pages in the database)."""
    results: dict[str, dict[int, Load]] = {"cached": {}, "uncached": {}}
    for size in (small, large):
        url = recreate_database(f"allora_bench_scale_{size}")
        with tempfile.TemporaryDirectory() as var_dir:
            for mode, entries in (("cached", "1024"), ("uncached", "0")):
                server = start_shop(url, var_dir, size, {"ALLORA_CATALOGUE_CACHE_ENTRIES": entries})
                try:
                    results[mode][size] = wrk(
                        f"products page, {size} products, {mode}",
                        server.base + "/api/products/?limit=50",
                        duration,
                        connections,
                        {},
                    )
                finally:
                    server.stop()
    return results


def report(
    loads: list[Load],
    ceiling: dict[str, Load],
    extra: dict[str, object],
    scale: dict[str, dict[int, Load]],
    args: argparse.Namespace,
) -> str:
    lines = [
        f"# Allora benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"2 uvicorn workers (uvloop, httptools) on PostgreSQL and Redis, {args.products} demo products, "
        f"wrk -t2 -c{args.connections} -d{args.duration}s, on this machine ({os.cpu_count()} cores). "
        "Ratios are to the ceiling: a bare Litestar app with the same server settings returning "
        "pre-encoded bodies of the same size on the same path, measured in the same run.",
        "",
        "| scenario | req/s | p50 ms | p99 ms | ceiling req/s | ratio |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for load in loads:
        top = ceiling.get(
            load.name.replace(" during sign-ins", "").replace(RANDOM_PAGES, "products page")
        )
        ratio = f"{load.rps / top.rps:.2f}" if top else "-"
        lines.append(
            f"| {load.name} | {load.rps:,.0f} | {load.p50_ms:.1f} | {load.p99_ms:.1f} | "
            f"{top.rps:,.0f} | {ratio} |"
            if top
            else f"| {load.name} | {load.rps:,.0f} | {load.p50_ms:.1f} | {load.p99_ms:.1f} | - | - |"
        )
    burst = extra["burst"]
    assert isinstance(burst, dict)
    lines.append(
        f"| discount redemption burst (200 users at once, maxUse 50: exactly 50 succeeded) | "
        f"{burst['rps']:,.0f} | {burst['p50']:.1f} | {burst['p99']:.1f} | - | - |"
    )
    quiet = next(load for load in loads if load.name == "products page")
    busy = next(load for load in loads if load.name == "products page during sign-ins")
    rss = extra["rss"]
    assert isinstance(rss, list)
    growth = max(b / a for a, b in zip(rss[0], rss[1], strict=True))
    top = ceiling["products page"]
    targets = [
        (
            "products page >= 0.25 of ceiling req/s",
            quiet.rps / top.rps >= 0.25,
            f"{quiet.rps / top.rps:.2f}",
        ),
        ("products page p99 < 50 ms", quiet.p99_ms < 50, f"{quiet.p99_ms:.1f} ms"),
        (
            "products page p99 during sign-ins <= 2x quiet p99",
            busy.p99_ms <= 2 * quiet.p99_ms,
            f"{busy.p99_ms / quiet.p99_ms:.2f}x ({extra['sign-ins during load']} sign-ins)",
        ),
        (
            f"worker memory after {2 * args.memory_requests:,} requests within 10% of after "
            f"{args.memory_requests:,}",
            growth <= 1.10,
            f"{growth:.3f} ({', '.join(f'{a:.0f}->{b:.0f} MiB' for a, b in zip(rss[0], rss[1], strict=True))})",
        ),
    ]
    for mode, by_size in scale.items():
        small, large = sorted(by_size)
        ratio = by_size[large].rps / by_size[small].rps
        targets.append(
            (
                f"products page ({mode}) with {large:,} products >= 0.8 of with {small:,}",
                ratio >= 0.8,
                f"{ratio:.2f} ({by_size[large].rps:,.0f} vs {by_size[small].rps:,.0f} req/s, "
                f"p99 {by_size[large].p99_ms:.1f} vs {by_size[small].p99_ms:.1f} ms)",
            )
        )
    lines += ["", "| target | met | measured |", "|---|---|---|"]
    lines += [f"| {name} | {'yes' if ok else '**no**'} | {value} |" for name, ok, value in targets]
    lines += [
        "",
        f"Re-measure: `make bench` (or `{Path(sys.executable).name} bench/run.py --products {args.products}"
        f"{' --scale' if args.scale else ''}`).",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument(
        "--memory-requests", type=int, default=50_000, help="requests between memory readings"
    )
    parser.add_argument(
        "--scale", action="store_true", help="also compare 1,000 with 100,000 products"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    url = recreate_database("allora_bench")
    with tempfile.TemporaryDirectory() as var_dir:
        shop = start_shop(url, var_dir, args.products)
        try:
            loads, sizes, extra = measure_shop(
                shop, args.duration, args.connections, args.memory_requests, args.products
            )
        finally:
            shop.stop()
    ceiling_server = start_ceiling(sizes)
    try:
        names = ["products page", "product detail", "me (cookie)", "comments list"]
        ceiling = {
            name: wrk(name, ceiling_server.base + path, args.duration, args.connections, {})
            for name, path in zip(names, sizes, strict=True)
        }
    finally:
        ceiling_server.stop()
    scale = measure_scale(1_000, 100_000, args.duration, args.connections) if args.scale else {}
    text = report(loads, ceiling, extra, scale, args)
    out = ROOT / "bench" / "results" / f"{datetime.now(UTC):%Y%m%d-%H%M}.md"
    out.write_text(text)
    print(text)
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

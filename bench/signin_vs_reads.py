"""Do sign-ins (argon2id) stall other requests? Measures GET /api/auth/me/ latency while idle
and during a burst of sign-ins, against a real `allora serve` process.

    .venv/bin/python bench/signin_vs_reads.py [--database-url URL] [--signins 60] [--workers 1]

Prints p50/p99 of the reads, quiet and under the burst, and their ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import httpx

ACCOUNT = {
    "name": "bench",
    "email": "bench@example.com",
    "phone": "5550001234",
    "password": "Passw0rd!",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def reads(client: httpx.AsyncClient, seconds: float) -> list[float]:
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        response = await client.get("/api/auth/me/")
        assert response.status_code == 200, response.text
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


async def signin_burst(base: str, count: int) -> list[int]:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        body = {"email": ACCOUNT["email"], "password": ACCOUNT["password"]}
        responses = await asyncio.gather(
            *(client.post("/api/auth/signin/", json=body) for _ in range(count))
        )
    return [r.status_code for r in responses]


def summary(name: str, values: list[float]) -> tuple[float, float]:
    values = sorted(values)
    p50 = statistics.median(values)
    p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
    print(f"{name:<28} n={len(values):5d}  p50={p50:7.2f} ms  p99={p99:7.2f} ms")
    return p50, p99


async def measure(base: str, signins: int) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as reader:
        await reader.post("/api/auth/signup/", json=ACCOUNT)
        await reads(reader, 1.0)  # warm up
        quiet = await reads(reader, 3.0)
        burst_task = asyncio.create_task(signin_burst(base, signins))
        started = time.perf_counter()
        busy = await reads(reader, 3.0)
        statuses = await burst_task
        burst_seconds = time.perf_counter() - started
    _, quiet_p99 = summary("reads, quiet", quiet)
    _, busy_p99 = summary(f"reads, {signins} sign-ins", busy)
    ok = statuses.count(200)
    print(
        f"sign-ins: {ok} x 200, others {sorted(set(statuses) - {200})}, "
        f"burst finished within {burst_seconds:.1f} s"
    )
    print(f"p99 ratio busy/quiet: {busy_p99 / quiet_p99:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--signins", type=int, default=60)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    port = free_port()
    var = tempfile.mkdtemp(prefix="allora-bench-")
    env = {**os.environ, "ALLORA_VAR_DIR": var, "ALLORA_SIGNIN_CLIENT_LIMIT": "100000"}
    if args.database_url:
        env["ALLORA_DATABASE_URL"] = args.database_url
    allora = os.path.join(os.path.dirname(sys.executable), "allora")
    subprocess.run([allora, "db", "upgrade"], env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [allora, "serve", "--port", str(port), "--workers", str(args.workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if httpx.get(base + "/health").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        asyncio.run(measure(base, args.signins))
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()

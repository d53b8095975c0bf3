"""`make bench`: load-test the shop against a ceiling and a reference measured in the same run.

The shop runs as `allora serve --workers 2` on PostgreSQL (and Redis for shared limits), filled
by `allora demo-data`; wrk drives each scenario at 64 connections. Two yardsticks are served
with the same settings and measured with the same scenarios: the ceiling (bench/ceiling.py)
answers pre-encoded bodies of the shop's sizes, the reference (bench/reference.py) answers each
request with one PostgreSQL query that builds the JSON. The reference is first checked against
the shop field by field. Every scenario is reported as a ratio to both, never as an absolute
timing assertion. Results go to bench/results/<date>.md.

    .venv/bin/python bench/run.py [--products 10000] [--duration 10] [--scale] [--quick]
    .venv/bin/python bench/run.py --self-check-only   # load, compare reference and shop, stop

Scenarios (see bench/scenarios.py and bench/storefront_mix.lua), on the shop as served:
products page, a product, /api/auth/me/, public comments, the products page during sign-ins,
pages at random offsets, the storefront mix (uniform and Zipf ids), a redemption burst and the
workers' memory; with the catalogue cache off: a product at a random id, the first page, me,
and the storefront mix (uniform and Zipf). `--scale` adds 1,000 vs 100,000 products.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import scenarios as sc
from checkout import checkout_bursts, checkout_failures
from harness import (
    PASSWORD,
    RANDOM_PAGE_SCRIPT,
    ROOT,
    Load,
    Server,
    burst,
    burst_summary,
    recreate_database,
    settle,
    sign_up,
    start_ceiling,
    start_reference,
    start_shop,
    wrk,
)
from mix import Workload, mix_sizes, prepare_workload
from reference_check import check_reference
from report import CACHE_OFF, CACHE_ON, Results, render

NO_CACHE = {"ALLORA_CATALOGUE_CACHE_ENTRIES": "0"}


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
    finally:
        for client in clients:
            await client.aclose()
    results, wall = await burst(
        base,
        [client.cookies for client in clients],
        lambda client: client.put("/api/discounts/use/", json={"code": "bench"}),
    )
    summary = burst_summary(results, wall, won=200, lost=422)
    return {**summary, "succeeded": summary["won"]}


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


def first_product(base: str) -> str:
    return str(httpx.get(base + "/api/products/?limit=1").json()[0]["id"])


def self_check(shop: Server, database_url: str, workload: Workload) -> list[str]:
    reference = start_reference(database_url)
    try:
        lines = check_reference(shop.base, reference.base, workload)
    finally:
        reference.stop()
    print("\n".join(lines))
    return lines


def ceiling_sizes(
    base: str, scenarios: dict[str, sc.Scenario], workload: Workload
) -> dict[str, int]:
    """The shop's body sizes on each fixed path, and per kind of request for the mix."""
    cookie = scenarios[sc.ME].headers
    paths = {
        scenarios[key].path: (cookie if key == sc.ME else {})
        for key in (*sc.EXISTING, sc.FIRST_PAGE)
    }
    sizes = {
        path: len(httpx.get(base + path, headers=headers).content)
        for path, headers in paths.items()
    }
    return {**sizes, **mix_sizes(base, workload)}


def measure_served(
    shop: Server, scenarios: dict[str, sc.Scenario], args: argparse.Namespace
) -> tuple[list[Load], int, list[list[float]]]:
    """The shop as served (catalogue cache on): the existing scenarios and the mix."""
    base, duration, connections = shop.base, args.duration, args.connections
    sc.warm_up(base, scenarios, connections)
    loads = sc.run(base, scenarios, sc.EXISTING, duration, connections)

    # Products page while sign-ins keep the hasher busy.
    async def storm_while_loading() -> tuple[Load, int]:
        storm = asyncio.create_task(sign_in_storm(base, duration + 1))
        page = base + scenarios[sc.PAGE].path
        name = sc.PAGE + " during sign-ins"
        load = await asyncio.to_thread(wrk, name, page, duration, connections, key=sc.PAGE)
        return load, await storm

    busy, signins = asyncio.run(storm_while_loading())
    loads.append(busy)
    settle()
    # The same page size at random offsets: nearly every request misses the cache and runs
    # the queries, so this is the cost of the database path itself.
    loads += sc.run(base, scenarios, (sc.RANDOM_PAGES,), duration, connections)
    loads += sc.run(base, scenarios, (sc.MIX_UNIFORM, sc.MIX_ZIPF), duration, connections, CACHE_ON)

    # Memory of each worker after ~N and ~2N requests, one in ten of them at a random offset:
    # the cache keeps filling, evicting and missing, and the queries run throughout. Last: the
    # requests it leaves in flight would otherwise weigh on the next measurement.
    rss: list[list[float]] = []
    chunk = min(5, duration)
    env = sc.random_pages(args.products, 10)
    for _ in range(2):
        sent = 0
        while sent < args.memory_requests:
            load = wrk(
                "memory",
                base + "/",
                chunk,
                connections,
                script=RANDOM_PAGE_SCRIPT,
                script_env=env,
            )
            sent += int(load.rps * chunk)
        rss.append(shop.worker_rss_mib())
    settle()
    return loads, signins, rss


def measure_on(
    server: Server,
    scenarios: dict[str, sc.Scenario],
    keys: tuple[str, ...],
    args: argparse.Namespace,
    suffix: str = "",
) -> list[Load]:
    """`keys` against a freshly started server, after an unmeasured warm-up."""
    try:
        sc.warm_up(server.base, scenarios, args.connections)
        return sc.run(server.base, scenarios, keys, args.duration, args.connections, suffix)
    finally:
        server.stop()


def measure_scale(args: argparse.Namespace, work: Path) -> dict[str, dict[int, Load]]:
    """At two catalogue sizes: the products page as served and with the cache off, the mix
    with the cache off, and (at the larger) a text search with the cache off."""
    small, large = args.scale_sizes
    page, page_off = "products page, as served", "products page, cache off"
    mix_off = f"{sc.MIX_UNIFORM}{CACHE_OFF}"
    results: dict[str, dict[int, Load]] = {
        page: {},
        page_off: {},
        mix_off: {},
        "search": {},
        "reference search": {},
    }
    for size in (small, large):
        url = recreate_database(f"allora_bench_scale_{size}")
        with tempfile.TemporaryDirectory() as var_dir:
            server = start_shop(url, var_dir, size)
            try:
                workload = prepare_workload(server.base, url, work / f"scale_{size}")
                defined = sc.define(first_product(server.base), workload, size)
            except BaseException:
                server.stop()
                raise
            (results[page][size],) = measure_on(server, defined, (sc.PAGE,), args)
            server = start_shop(url, var_dir, None, NO_CACHE)
            keys = (sc.PAGE, sc.MIX_UNIFORM) + ((sc.SEARCH,) if size == large else ())
            found = dict(zip(keys, measure_on(server, defined, keys, args), strict=True))
            results[page_off][size] = found[sc.PAGE]
            results[mix_off][size] = found[sc.MIX_UNIFORM]
            if sc.SEARCH in found:
                results["search"][size] = found[sc.SEARCH]
                # The database's own cost of the same searches: the reference counts each one.
                reference = start_reference(url)
                (results["reference search"][size],) = measure_on(
                    reference, defined, (sc.SEARCH,), args
                )
    return results


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=None, help="default 10,000")
    parser.add_argument("--duration", type=int, default=None, help="seconds a scenario, default 10")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument(
        "--memory-requests", type=int, default=None, help="between memory readings, default 50,000"
    )
    parser.add_argument(
        "--scale", action="store_true", help="also compare 1,000 with 100,000 products"
    )
    parser.add_argument(
        "--scale-sizes", default="1000,100000", help="the two sizes --scale compares"
    )
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: 2,000 products, 2 s, 5,000 requests"
    )
    parser.add_argument("--self-check-only", action="store_true", help="only check the reference")
    args = parser.parse_args()
    quick = {"products": 2_000, "duration": 2, "memory_requests": 5_000}
    full = {"products": 10_000, "duration": 10, "memory_requests": 50_000}
    for name, value in (quick if args.quick else full).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    args.scale_sizes = sorted(int(size) for size in args.scale_sizes.split(","))
    return args


def main() -> None:
    args = parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    before = os.getloadavg()[0]
    url = recreate_database("allora_bench")
    with tempfile.TemporaryDirectory() as var_dir, tempfile.TemporaryDirectory() as work_dir:
        work = Path(work_dir)
        shop = start_shop(url, var_dir, args.products)
        try:
            with httpx.Client(base_url=shop.base, timeout=60) as admin:
                sign_up_admin(admin)
            workload = prepare_workload(shop.base, url, work / "main")
            checks = self_check(shop, url, workload)
            if args.self_check_only:
                return
            burst, checkout = asyncio.run(bursts_on(shop.base))
            scenarios = sc.define(first_product(shop.base), workload, args.products)
            sizes = ceiling_sizes(shop.base, scenarios, workload)
            loads, signins, rss = measure_served(shop, scenarios, args)
        finally:
            shop.stop()
        shop = start_shop(url, var_dir, None, NO_CACHE)
        loads += measure_on(shop, scenarios, sc.CACHE_OFF, args, CACHE_OFF)
        reference = start_reference(url)
        by_reference = measure_on(reference, scenarios, sc.REFERENCE, args)
        by_ceiling = measure_on(start_ceiling(sizes), scenarios, sc.CEILING, args)
        scale = measure_scale(args, work) if args.scale else {}
    results = Results(
        shop=loads,
        reference={load.key: load for load in by_reference},
        ceiling={load.key: load for load in by_ceiling},
        burst=burst,
        checkout=checkout,
        rss=rss,
        signins=signins,
        checks=checks,
        scale=scale,
        load_average=(before, os.getloadavg()[0]),
    )
    text = render(results, args)
    out = (
        ROOT
        / "bench"
        / "results"
        / f"{datetime.now(UTC):%Y%m%d-%H%M}{'-quick' if args.quick else ''}.md"
    )
    out.write_text(text)
    print(text)
    print(f"written to {out.relative_to(ROOT)}")


def sign_up_admin(admin: httpx.Client) -> None:
    """The first account, the shop's ADMIN (it creates the burst's discount)."""
    body = {
        "name": "bench0",
        "email": "bench0@example.com",
        "phone": "5550000000",
        "password": PASSWORD,
    }
    response = admin.post("/api/auth/signup/", json=body)
    if response.status_code != 201:
        raise RuntimeError(response.text)


async def bursts_on(base: str) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """200 users redeem one code with maxUse 50 at once; then 200 shoppers check out at once,
    with ample stock and for 50 units of one variant (the run fails unless exactly 50 win)."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as admin:
        response = await admin.post(
            "/api/auth/signin/", json={"email": "bench0@example.com", "password": PASSWORD}
        )
        response.raise_for_status()
        burst = await redemption_burst(base, admin, users=200, max_use=50)
        checkout = await checkout_bursts(base, admin)
    if problems := checkout_failures(checkout):
        raise SystemExit("checkout burst: " + "; ".join(problems))
    return burst, checkout


if __name__ == "__main__":
    main()

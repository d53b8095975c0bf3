"""The benchmark's report: every scenario as a ratio to the bytes-only ceiling and to the
database-bound reference, and the issue's targets, each said to be met or not (never asserted)."""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime

from harness import Load
from scenarios import CEILING_SAME_AS, DETAIL_RANDOM, FIRST_PAGE, ME, MIX_UNIFORM, MIX_ZIPF, PAGE

CACHE_ON, CACHE_OFF = ", cache on", ", cache off"


@dataclass
class Results:
    shop: list[Load]
    reference: dict[str, Load]
    ceiling: dict[str, Load]
    burst: dict[str, float]
    checkout: dict[str, dict[str, float]]
    rss: list[list[float]]
    signins: int
    checks: list[str]
    scale: dict[str, dict[int, Load]] = field(default_factory=dict)
    load_average: tuple[float, float] = (0.0, 0.0)


def _ratio(load: Load, top: Load | None) -> tuple[str, str]:
    if top is None:
        return "-", "-"
    return f"{top.rps:,.0f}", f"{load.rps / top.rps:.2f}"


def _rows(results: Results) -> list[str]:
    lines = [
        "| scenario | req/s | p50 ms | p99 ms | errors | ceiling req/s | / ceiling "
        "| reference req/s | / reference |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for load in results.shop:
        ceiling = results.ceiling.get(CEILING_SAME_AS.get(load.key, load.key))
        reference = results.reference.get(load.key)
        lines.append(
            f"| {load.name} | {load.rps:,.0f} | {load.p50_ms:.1f} | {load.p99_ms:.1f} | "
            f"{load.errors} | {' | '.join(_ratio(load, ceiling))} | "
            f"{' | '.join(_ratio(load, reference))} |"
        )
    burst = results.burst
    lines.append(
        f"| discount redemption burst (200 users at once, maxUse 50: {burst['succeeded']:.0f} "
        f"succeeded) | {burst['rps']:,.0f} | {burst['p50']:.1f} | {burst['p99']:.1f} | "
        f"{burst['unexpected']:.0f} | - | - | - | - |"
    )
    for kind, what in (
        ("ample", "checkout burst, ample stock (200 shoppers at once"),
        ("contended", "checkout burst, one variant with 50 units (200 shoppers"),
    ):
        run = results.checkout[kind]
        lines.append(
            f"| {what}: {run['placed']:.0f} placed, {run['short']:.0f} short) | "
            f"{run['rps']:,.0f} | {run['p50']:.1f} | {run['p99']:.1f} | "
            f"{run['unexpected']:.0f} | - | - | - | - |"
        )
    lines += ["", "The ceiling and the reference alone:", ""]
    lines += ["| scenario | ceiling req/s | p99 ms | reference req/s | p99 ms | errors |"]
    lines += ["|---|---:|---:|---:|---:|---:|"]
    for key in dict.fromkeys([*results.ceiling, *results.reference]):
        top, ref = results.ceiling.get(key), results.reference.get(key)
        lines.append(
            f"| {key} | {f'{top.rps:,.0f} | {top.p99_ms:.1f}' if top else '- | -'} | "
            f"{f'{ref.rps:,.0f} | {ref.p99_ms:.1f}' if ref else '- | -'} | "
            f"{(top.errors if top else 0) + (ref.errors if ref else 0)} |"
        )
    return lines


def _target(name: str, ok: bool, measured: str) -> tuple[str, bool, str]:
    return name, ok, measured


def _against(load: Load, top: Load, floor: float, what: str) -> tuple[str, bool, str]:
    ratio = load.rps / top.rps
    return _target(
        f"{load.name} >= {floor} of the {what}",
        ratio >= floor,
        f"{ratio:.2f} ({load.rps:,.0f} vs {top.rps:,.0f} req/s)",
    )


def _p99(load: Load, limit: float = 50) -> tuple[str, bool, str]:
    return _target(
        f"{load.name}: p99 < {limit:.0f} ms", load.p99_ms < limit, f"{load.p99_ms:.1f} ms"
    )


def targets(results: Results) -> list[tuple[str, bool, str]]:
    shop = {load.name: load for load in results.shop}
    ref, top = results.reference, results.ceiling
    out = []
    for key, floor in ((DETAIL_RANDOM, 0.5), (FIRST_PAGE, 0.5), (ME, 1.0)):
        load = shop[key + CACHE_OFF]
        out += [_against(load, ref[key], floor, "reference"), _p99(load)]
    mix_off = shop[MIX_UNIFORM + CACHE_OFF]
    out += [_against(mix_off, top[MIX_UNIFORM], 0.25, "ceiling"), _p99(mix_off)]
    out.append(_against(shop[MIX_ZIPF + CACHE_ON], top[MIX_UNIFORM], 0.4, "ceiling"))
    burst = results.burst
    out.append(
        _target(
            "redemption burst: exactly 50 of 200 succeed, the others 422",
            burst["succeeded"] == 50 and burst["unexpected"] == 0,
            f"{burst['succeeded']:.0f} succeeded, {burst['unexpected']:.0f} other than 200/422",
        )
    )
    out.append(
        _target("redemption burst: p99 < 500 ms", burst["p99"] < 500, f"{burst['p99']:.0f} ms")
    )
    contended = results.checkout["contended"]
    out.append(
        _target(
            "contended checkout: exactly 50 of 200 placed, stock 0, the others 409",
            contended["placed"] == 50
            and contended["stock_left"] == 0
            and contended["unexpected"] == 0,
            f"{contended['placed']:.0f} placed, {contended['stock_left']:.0f} left",
        )
    )
    out += _scale_targets(results.scale)
    out += _existing_targets(results, shop)
    return out


def _scale_targets(scale: dict[str, dict[int, Load]]) -> list[tuple[str, bool, str]]:
    out = []
    for mode, by_size in scale.items():
        if mode in ("search", "reference search"):
            continue
        small, large = sorted(by_size)
        ratio = by_size[large].rps / by_size[small].rps
        out.append(
            _target(
                f"{mode} with {large:,} products >= 0.8 of with {small:,}",
                ratio >= 0.8,
                f"{ratio:.2f} ({by_size[large].rps:,.0f} vs {by_size[small].rps:,.0f} req/s, "
                f"p99 {by_size[large].p99_ms:.1f} vs {by_size[small].p99_ms:.1f} ms)",
            )
        )
    references = scale.get("reference search", {})
    for size, load in scale.get("search", {}).items():
        reference = references.get(size)
        versus = (
            ""
            if reference is None
            else f"; reference {reference.p99_ms:.1f} ms ({reference.rps:,.0f} req/s), "
            f"shop / reference {load.rps / reference.rps:.2f}"
        )
        out.append(
            _target(
                f"text search with {size:,} products, cache off: p99 < 50 ms",
                load.p99_ms < 50,
                f"{load.p99_ms:.1f} ms ({load.rps:,.0f} req/s{versus})",
            )
        )
    return out


def _existing_targets(results: Results, shop: dict[str, Load]) -> list[tuple[str, bool, str]]:
    quiet, busy = shop[PAGE], shop[PAGE + " during sign-ins"]
    rss = results.rss
    growth = max(b / a for a, b in zip(rss[0], rss[1], strict=True))
    sizes = ", ".join(f"{a:.0f}->{b:.0f} MiB" for a, b in zip(rss[0], rss[1], strict=True))
    return [
        _against(quiet, results.ceiling[PAGE], 0.25, "ceiling"),
        _p99(quiet),
        _target(
            "products page p99 during sign-ins <= 2x quiet p99",
            busy.p99_ms <= 2 * quiet.p99_ms,
            f"{busy.p99_ms / quiet.p99_ms:.2f}x ({results.signins} sign-ins)",
        ),
        _target(
            "worker memory within 10% between the two readings",
            growth <= 1.10,
            f"{growth:.3f} ({sizes})",
        ),
    ]


def render(results: Results, args: argparse.Namespace) -> str:
    lines = [
        f"# Allora benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"2 uvicorn workers (uvloop, httptools) on PostgreSQL and Redis, {args.products} demo "
        f"products, wrk -t2 -c{args.connections} -d{args.duration}s, on this machine "
        f"({os.cpu_count()} cores; load average {results.load_average[0]:.1f} before, "
        f"{results.load_average[1]:.1f} after). Each row is divided by the same scenario on "
        "the **ceiling** (a bare Litestar app, same server settings, answering pre-encoded "
        "bodies of the shop's sizes) and on the **reference** (a bare Litestar app answering "
        "each request with one asyncpg query whose JSON PostgreSQL builds), both measured in "
        "this run. Scenarios without a suffix run on the shop as served (catalogue cache on).",
        "",
        *_rows(results),
        "",
        "| target | met | measured |",
        "|---|---|---|",
        *(
            f"| {name} | {'yes' if ok else '**no**'} | {value} |"
            for name, ok, value in targets(results)
        ),
        "",
        *(f"- {line}" for line in results.checks),
        "",
        f"Re-measure: `make bench BENCH_ARGS='{_arguments(args)}'` "
        f"(or `python bench/run.py {_arguments(args)}`).",
    ]
    return "\n".join(lines) + "\n"


def _arguments(args: argparse.Namespace) -> str:
    words = ["--quick"] if args.quick else []
    words += [f"--products {args.products}", f"--duration {args.duration}"]
    if args.scale:
        words += ["--scale", f"--scale-sizes {','.join(str(n) for n in args.scale_sizes)}"]
    return " ".join(words)

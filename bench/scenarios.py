"""The scenarios, defined once and run the same way against the shop, the database-bound
reference and the bytes-only ceiling, so that their rows can be divided."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from harness import MIX_SCRIPT, RANDOM_PAGE_SCRIPT, Load, settle, wrk
from mix import Workload

PAGE = "products page"
DETAIL = "product detail"
ME = "me (cookie)"
COMMENTS = "comments list"
RANDOM_PAGES = "products page at random offsets"
DETAIL_RANDOM = "product detail at a random id"
FIRST_PAGE = "first page (20 newest)"
MIX_UNIFORM = "storefront mix, uniform ids"
MIX_ZIPF = "storefront mix, Zipf ids"
SEARCH = "text search (q=word)"

EXISTING = (PAGE, DETAIL, ME, COMMENTS)
CACHE_OFF = (DETAIL_RANDOM, FIRST_PAGE, ME, MIX_UNIFORM, MIX_ZIPF)
REFERENCE = (*EXISTING, RANDOM_PAGES, DETAIL_RANDOM, FIRST_PAGE, MIX_UNIFORM, MIX_ZIPF)
# The ceiling answers by path, not by id: its Zipf mix is its uniform mix, and its answer to a
# page at a random offset is its answer to the products page.
CEILING = (*EXISTING, DETAIL_RANDOM, FIRST_PAGE, MIX_UNIFORM)
CEILING_SAME_AS = {MIX_ZIPF: MIX_UNIFORM, RANDOM_PAGES: PAGE}


@dataclass(frozen=True)
class Scenario:
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    script: Path | None = None
    script_env: dict[str, str] | None = None


def random_pages(products: int, percent: int = 100) -> dict[str, str]:
    return {
        "ALLORA_BENCH_MAX_OFFSET": str(max(0, products - 50)),
        "ALLORA_BENCH_PERCENT_RANDOM": str(percent),
    }


def define(first_product: str, workload: Workload, products: int) -> dict[str, Scenario]:
    token = workload.token()
    return {
        PAGE: Scenario("/api/products/?limit=50"),
        DETAIL: Scenario(f"/api/products/{first_product}/"),
        ME: Scenario("/api/auth/me/", {"Cookie": f"token={token}"}),
        COMMENTS: Scenario("/api/comments/?limit=50"),
        RANDOM_PAGES: Scenario("/", script=RANDOM_PAGE_SCRIPT, script_env=random_pages(products)),
        DETAIL_RANDOM: Scenario("/", script=MIX_SCRIPT, script_env=workload.env(mix="detail=1")),
        FIRST_PAGE: Scenario("/api/products/?limit=20"),
        MIX_UNIFORM: Scenario("/", script=MIX_SCRIPT, script_env=workload.env()),
        MIX_ZIPF: Scenario("/", script=MIX_SCRIPT, script_env=workload.env(zipf=True)),
        SEARCH: Scenario("/", script=MIX_SCRIPT, script_env=workload.env(mix="search=1")),
    }


def run(
    base: str,
    scenarios: dict[str, Scenario],
    keys: tuple[str, ...],
    duration: int,
    connections: int,
    suffix: str = "",
) -> list[Load]:
    """Each of `keys` against the server at `base`, one after the other, with a pause between."""
    loads = []
    for key in keys:
        scenario = scenarios[key]
        loads.append(
            wrk(
                key + suffix,
                base + scenario.path,
                duration,
                connections,
                scenario.headers,
                scenario.script,
                scenario.script_env,
                key=key,
            )
        )
        settle()
    return loads


def warm_up(base: str, scenarios: dict[str, Scenario], connections: int, seconds: int = 2) -> None:
    """Not measured: a freshly started server opens its database connections and prepares its
    statements on its first requests; the storefront mix touches every kind of request."""
    mix = scenarios[MIX_UNIFORM]
    wrk("warm-up", base + "/", seconds, connections, script=mix.script, script_env=mix.script_env)
    settle(1)

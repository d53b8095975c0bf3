"""The storefront mix's inputs: product ids, signed-in users, and the body sizes the ceiling
needs to answer the mix like the shop (see bench/storefront_mix.lua for what it sends)."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
from harness import plain_dsn, sign_up

MIX = "detail=35,listing=25,search=10,comments=15,me=15"
WORDS = ("shirt", "wool", "classic", "linen", "leather", "canvas", "denim", "vintage")
SORTS = ("newest", "price", "-price", "score")
USERS = 40
FIRST_MIX_USER = 2000  # bench2000..bench2039; the redemption burst uses bench1000..bench1199


@dataclass(frozen=True)
class Workload:
    """Files and settings bench/storefront_mix.lua reads at start-up."""

    ids_file: Path
    cookies_file: Path
    categories: tuple[str, ...]
    ids: tuple[str, ...]

    def env(self, *, zipf: bool = False, mix: str = MIX) -> dict[str, str]:
        return {
            "ALLORA_BENCH_IDS": str(self.ids_file),
            "ALLORA_BENCH_COOKIES": str(self.cookies_file),
            "ALLORA_BENCH_ZIPF": "1" if zipf else "0",
            "ALLORA_BENCH_MIX": mix,
            "ALLORA_BENCH_CATEGORIES": ",".join(self.categories),
            "ALLORA_BENCH_WORDS": ",".join(WORDS),
        }

    def token(self) -> str:
        return self.cookies_file.read_text().split()[0]


async def _catalogue(database_url: str) -> tuple[list[str], list[str]]:
    connection = await asyncpg.connect(plain_dsn(database_url))
    try:
        ids = [str(row[0]) for row in await connection.fetch("SELECT id FROM products ORDER BY id")]
        categories = [
            row[0]
            for row in await connection.fetch(
                "SELECT category FROM category_totals WHERE products > 0 ORDER BY category"
            )
        ]
    finally:
        await connection.close()
    return ids, categories


async def _sign_up_users(base: str) -> list[str]:
    async def one(i: int) -> str:
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            await sign_up(client, FIRST_MIX_USER + i)
            return client.cookies["token"]

    tokens: list[str] = []
    for start in range(0, USERS, 10):
        tokens += await asyncio.gather(*(one(i) for i in range(start, min(USERS, start + 10))))
    return tokens


def prepare_workload(base: str, database_url: str, directory: Path) -> Workload:
    """Signs up the mix's 40 users on the shop at `base` and writes the catalogue's product ids
    in a fixed random order (Zipf's popularity ranks: the most popular is not the newest)."""
    ids, categories = asyncio.run(_catalogue(database_url))
    random.Random(12).shuffle(ids)
    tokens = asyncio.run(_sign_up_users(base))
    directory.mkdir(parents=True, exist_ok=True)
    ids_file, cookies_file = directory / "product_ids.txt", directory / "cookies.txt"
    ids_file.write_text("\n".join(ids) + "\n")
    cookies_file.write_text("\n".join(tokens) + "\n")
    return Workload(ids_file, cookies_file, tuple(categories), tuple(ids))


def sample_requests(workload: Workload, per_kind: int = 20) -> dict[str, list[str]]:
    """Requests like the mix's, per kind, to measure the shop's body sizes on."""
    rng = random.Random(5)
    ids = workload.ids
    return {
        "detail": [f"/api/products/{rng.choice(ids)}/" for _ in range(per_kind)],
        "listing": [
            f"/api/products/?limit=20&offset={20 * rng.randrange(10)}&sort={rng.choice(SORTS)}"
            + (f"&category={rng.choice(workload.categories)}" if rng.random() < 0.5 else "")
            for _ in range(per_kind)
        ],
        "search": [f"/api/products/?limit=20&q={rng.choice(WORDS)}" for _ in range(per_kind)],
        "comments": [f"/api/comments/?productID={rng.choice(ids)}" for _ in range(per_kind)],
    }


def mix_sizes(base: str, workload: Workload) -> dict[str, int]:
    """Mean body sizes of the mix's kinds of request, keyed as the ceiling looks them up:
    any product, the listing (pages and searches weighted as in the mix), the comments, me."""
    mean: dict[str, float] = {}
    with httpx.Client(base_url=base, timeout=60) as client:
        for kind, paths in sample_requests(workload).items():
            mean[kind] = sum(len(client.get(path).content) for path in paths) / len(paths)
        me = client.get("/api/auth/me/", cookies={"token": workload.token()})
    return {
        "/api/products/*": round(mean["detail"]),
        "/api/products": round((25 * mean["listing"] + 10 * mean["search"]) / 35),
        "/api/comments": round(mean["comments"]),
        "/api/auth/me": len(me.content),
    }

# ruff: noqa: S608  (SQL is built from constants; every value is a parameter)
"""The database-bound reference of the benchmark: the shop's public reads, one query each.

A bare Litestar app, served like the ceiling (bench/ceiling.py), that answers the storefront's
hot paths with exactly one asyncpg round trip on the benchmark's PostgreSQL database. PostgreSQL
builds the JSON (`json_build_object`, `json_agg`) in the shop's shapes and the app passes it
through as bytes, so shop/reference shows what the shop spends beyond the database's own work.
It is a yardstick, not a second shop: it validates only what its queries need.

    ALLORA_REFERENCE_DSN     postgresql://... of the database the shop was loaded into
    ALLORA_REFERENCE_SECRET  the shop's ALLORA_SECRET_KEY (to read the `token` cookie)
    ALLORA_REFERENCE_MEDIA   image URL prefix (default /media, as the shop without a public URL)
"""

from __future__ import annotations

import os
from typing import Any
from uuid import UUID

import asyncpg
import jwt
from litestar import Litestar, Request, Response, get

JSON = "application/json"


def _ts(column: str) -> str:
    """A UTC timestamp written the way the shop's msgspec writes it."""
    return f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def product_columns(media: str) -> str:
    """Product JSON's fields of the row `p`, in `ProductOut`'s order (`row_to_json` of them is
    compact JSON, as msgspec writes it)."""
    return f"""p.id, p.name, p.price, p.description, p.category, p.stock, p.discount, p.score,
        ARRAY(SELECT {_literal(media + "/")} || i.key FROM product_images i
              WHERE i.product_id = p.id ORDER BY i.position) AS images,
        coalesce((SELECT json_agg(v) FROM (
            SELECT v.id, json_build_object('name', v.color_name, 'hex', v.color_hex) AS color,
                   v.size, v.stock, v.price
            FROM product_variants v WHERE v.product_id = p.id ORDER BY v.position) v),
            '[]'::json) AS variants,
        {_ts("p.created_at")} AS created_at, {_ts("p.updated_at")} AS updated_at"""


COMMENT_COLUMNS = f"""c.id, c.username, c.body, c.score, c.status = 'accepted' AS "isAccept",
    c.product_id AS product, {_ts("c.created_at")} AS created_at"""
NEWEST_COMMENTS = "c.created_at DESC, c.id DESC"
ORDERS = {
    "newest": "p.created_at DESC, p.id DESC",
    "price": "p.price ASC, p.id ASC",
    "-price": "p.price DESC, p.id DESC",
    "score": "p.score DESC, p.id DESC",
}


def detail_sql(media: str) -> str:
    """The product, its images, variants and 50 newest accepted comments: one statement."""
    return f"""SELECT row_to_json(x)::text FROM (
        SELECT {product_columns(media)},
            coalesce((SELECT json_agg(c) FROM (
                SELECT {COMMENT_COLUMNS} FROM comments c
                WHERE c.product_id = p.id AND c.status = 'accepted'
                ORDER BY {NEWEST_COMMENTS} LIMIT 50) c), '[]'::json) AS comments
        FROM products p WHERE p.id = $1) x"""


def listing_sql(media: str, sort: str, category: bool, text: bool) -> tuple[str, list[str]]:
    """The page and its total in one statement; the total is the one the shop's triggers keep
    (migration 0007) unless a text filter makes counting necessary. Returns the SQL and the
    names of its placeholders in order."""
    names = ["limit", "offset"] + (["category"] if category else []) + (["q"] if text else [])
    slot = {name: f"${i}" for i, name in enumerate(names, 1)}
    conditions = ["true"]
    if category:
        conditions.append(f"p.category = {slot['category']}")
    if text:
        like = f"ILIKE {slot['q']} ESCAPE '\\'"
        conditions.append(f"(p.name {like} OR p.description {like})")
    where = " AND ".join(conditions)
    if text:
        total = f"(SELECT count(*) FROM products p WHERE {where})"
    elif category:
        kept = f"SELECT products FROM category_totals WHERE category = {slot['category']}"
        total = f"coalesce(({kept}), 0)"
    else:
        total = "(SELECT products FROM product_totals WHERE id = 1)"
    order = ORDERS[sort]
    sql = f"""SELECT {total}, coalesce(json_agg(x), '[]'::json)::text FROM (
        SELECT {product_columns(media)}
        FROM (SELECT * FROM products p WHERE {where} ORDER BY {order}
              LIMIT {slot["limit"]} OFFSET {slot["offset"]}) p
        ORDER BY {order}) x"""
    return sql, names


def comments_sql(one_product: bool) -> str:
    """A page of accepted comments (of one product, or all) and their total."""
    where = "c.status = 'accepted'" + (" AND c.product_id = $3" if one_product else "")
    return f"""SELECT (SELECT count(*) FROM comments c WHERE {where}),
        coalesce(json_agg(x), '[]'::json)::text FROM (
            SELECT {COMMENT_COLUMNS} FROM comments c WHERE {where}
            ORDER BY {NEWEST_COMMENTS} LIMIT $1 OFFSET $2) x"""


ME_SQL = f"""SELECT row_to_json(x)::text FROM (
    SELECT u.id, u.name, u.phone, u.email, u.role, {_ts("u.created_at")} AS created_at
    FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.id = $1 AND s.expires_at > now() AND NOT u.banned) x"""


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _uuid(raw: str | None) -> UUID | None:
    try:
        return UUID(raw) if raw else None
    except ValueError:
        return None


def _json(body: str, status: int = 200, total: int | None = None) -> Response[bytes]:
    headers = {"X-Total-Count": str(total)} if total is not None else None
    return Response(body.encode(), status_code=status, media_type=JSON, headers=headers)


def create_app() -> Litestar:
    dsn = os.environ["ALLORA_REFERENCE_DSN"]
    secret = os.environ["ALLORA_REFERENCE_SECRET"]
    media = os.environ.get("ALLORA_REFERENCE_MEDIA", "/media").rstrip("/")
    detail = detail_sql(media)
    state: dict[str, asyncpg.Pool] = {}

    async def open_pool() -> None:
        # As the shop: up to 20 connections a process.
        state["pool"] = await asyncpg.create_pool(dsn, min_size=2, max_size=20)

    async def close_pool() -> None:
        await state["pool"].close()

    @get("/ready")
    async def ready() -> Response[bytes]:
        return _json("{}")

    @get("/api/products/{product_id:str}")
    async def product(product_id: str) -> Response[bytes]:
        found = _uuid(product_id)
        body = await state["pool"].fetchval(detail, found) if found else None
        return _json(body) if body else _json('{"message": "No such product"}', 404)

    @get("/api/products")
    async def products(request: Request[Any, Any, Any]) -> Response[bytes]:
        params = request.query_params
        category, q = params.get("category") or None, params.get("q") or None
        sort = params.get("sort") or "newest"
        if sort not in ORDERS:
            return _json('{"message": "sort must be newest, price, -price or score"}', 400)
        sql, names = listing_sql(media, sort, bool(category), bool(q))
        values = {
            "limit": int(params.get("limit") or 50),
            "offset": int(params.get("offset") or 0),
            "category": category,
            "q": _like(q) if q else None,
        }
        total, body = await state["pool"].fetchrow(sql, *(values[n] for n in names))
        return _json(body, total=total)

    @get("/api/comments")
    async def comments(request: Request[Any, Any, Any]) -> Response[bytes]:
        params = request.query_params
        raw = params.get("productID")
        found = _uuid(raw)
        if raw is not None and found is None:
            return _json("[]", total=0)
        paging = [int(params.get("limit") or 50), int(params.get("offset") or 0)]
        extra = [found] if found else []
        total, body = await state["pool"].fetchrow(comments_sql(bool(found)), *paging, *extra)
        return _json(body, total=total)

    @get("/api/auth/me")
    async def me(request: Request[Any, Any, Any]) -> Response[bytes]:
        try:
            claims = jwt.decode(
                request.cookies.get("token", ""),
                secret,
                algorithms=["HS256"],
                options={"require": ["exp", "sid"]},
            )
            session = UUID(str(claims["sid"]))
        except (jwt.PyJWTError, ValueError):
            session = None
        body = await state["pool"].fetchval(ME_SQL, session) if session else None
        if body is None:
            return _json('{"data": null, "message": "Not signed in"}', 401)
        return _json(body)

    return Litestar(
        [ready, product, products, comments, me],
        on_startup=[open_pool],
        on_shutdown=[close_pool],
        openapi_config=None,
        debug=False,
    )

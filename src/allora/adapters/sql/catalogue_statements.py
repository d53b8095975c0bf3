# ruff: noqa: S608  (SQL built from constants and enum values; every value is a parameter)
"""The statements of the catalogue views on PostgreSQL (`catalogue_views`), one per read, built
once per shape (sort, which filters, which statuses) with positional parameters: each returns
the listing's total (where there is one) and the body as bytea. Products are written from
their stored documents (migration 0012), comments from their rows.

The listing's total comes from the totals the triggers of migration 0007 keep, unless a text
or price filter makes counting necessary, in the same statement; a total counted before under
the same catalogue version is passed in instead (`FilteredTotals`). The kept total is read by
its key: every write updates that one row, and a scan reads every page the updates left behind
until a vacuum truncates them (400 pages, 0.4-6 ms, after 100,000 inserts).
"""

from __future__ import annotations

from functools import cache

from allora.adapters.sql.catalogue_json import (
    NEWEST_COMMENTS,
    array,
    comment_object,
    status_in,
    with_media,
)
from allora.domain.comments import CommentStatus
from allora.domain.product_query import ProductSort

_ORDER = {
    ProductSort.NEWEST: "p.created_at DESC, p.id DESC",
    ProductSort.PRICE: "p.price ASC, p.id ASC",
    ProductSort.PRICE_DESC: "p.price DESC, p.id DESC",
    ProductSort.SCORE: "p.score DESC, p.id DESC",
}


# The columns a page of products is sorted by, all a page needs besides the documents.
_SORTED_BY = "p.id, p.created_at, p.price, p.score"


class Slots:
    """Positional parameters ($1, $2, ...) handed out by name, in order."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def __call__(self, name: str) -> str:
        if name not in self.names:
            self.names.append(name)
        return f"${self.names.index(name) + 1}"


def _bytes(text: str) -> str:
    """The body as bytea, which asyncpg hands over as `bytes`: no decoding to `str` and
    encoding back."""
    return f"convert_to({text}, 'UTF8')"


@cache
def detail_sql(statuses: frozenset[CommentStatus]) -> tuple[str, list[str]]:
    slot = Slots()
    product_id, media = slot("id"), slot("media")
    page = f"""FROM (SELECT * FROM comments c
        WHERE c.product_id = d.product_id AND {status_in("c", statuses)}
        ORDER BY {NEWEST_COMMENTS} LIMIT {slot("limit")} OFFSET {slot("offset")}) c"""
    comments = array(comment_object("c"), NEWEST_COMMENTS, page)
    # The stored document with its comments added as the last key.
    body = f"""left({with_media("d.body", media)}, -1) || ',"comments":' || {comments} || '}}'"""
    return (
        f"SELECT {_bytes(body)} FROM product_documents d WHERE d.product_id = {product_id}",
        slot.names,
    )


def _documents(rows: str, order: str, media: str) -> str:
    """The JSON array of the stored documents of `rows` (products' id and sort columns, as
    `p`), in `order`, with the image URL prefix `media`."""
    source = f"FROM {rows} p JOIN product_documents d ON d.product_id = p.id"
    return with_media(array("d.body", order, source), media)


def _where(slot: Slots, category: bool, text: bool, low: bool, high: bool) -> str:
    conditions = ["true"]
    if category:
        conditions.append(f"p.category = {slot('category')}")
    if text:
        # ILIKE as it works (both sides lowered), on the texts lowered once (migration 0013).
        like = f"LIKE (SELECT lower({slot('pattern')})) ESCAPE '\\'"
        conditions.append(f"(p.name_folded {like} OR p.description_folded {like})")
    if low:
        conditions.append(f"p.price >= {slot('min_price')}")
    if high:
        conditions.append(f"p.price <= {slot('max_price')}")
    return " AND ".join(conditions)


@cache
def listing_sql(
    sort: ProductSort, category: bool, text: bool, low: bool, high: bool, known_total: bool
) -> tuple[str, list[str]]:
    """The page and its total. Without a text or price filter, the total is kept (migration
    0007) and the page is read in the order of an index. With one, the total is counted
    unless `known_total` (then it is the parameter `total`)."""
    if text or low or high:
        return _counted_listing_sql(sort, category, text, low, high, known_total)
    slot = Slots()
    where = _where(slot, category, False, False, False)
    if category:
        kept = f"SELECT products FROM category_totals WHERE category = {slot('category')}"
        total = f"coalesce(({kept}), 0)"
    else:
        total = "(SELECT products FROM product_totals WHERE id = 1)"
    order = _ORDER[sort]
    page = f"""(SELECT {_SORTED_BY} FROM products p WHERE {where} ORDER BY {order}
        LIMIT {slot("limit")} OFFSET {slot("offset")})"""
    body = _documents(page, order, slot("media"))
    return f"SELECT {total}, {_bytes(body)}", slot.names


def _counted_listing_sql(
    sort: ProductSort, category: bool, text: bool, low: bool, high: bool, known_total: bool
) -> tuple[str, list[str]]:
    """A filtered page and its count. The planner cannot tell how many products a text
    matches, and expects many: it reads the page in index order, filtering as it goes, which
    for a rare or absent word means every product (0.2-0.4 s at 100,000). The count comes
    first, so the page is read in the way that suits it: in index order when matches are
    many (the page is soon filled), else by collecting the matches through the trigram
    indexes and sorting them (the way the count found them)."""
    slot = Slots()
    where = _where(slot, category, text, low, high)
    order = _ORDER[sort]
    limit, offset, media = slot("limit"), slot("offset"), slot("media")
    scanned = f"""(SELECT {_SORTED_BY} FROM products p WHERE {where} ORDER BY {order}
        LIMIT {limit} OFFSET {offset})"""
    collected = f"(SELECT * FROM matched p ORDER BY {order} LIMIT {limit} OFFSET {offset})"
    # Index order reads about (offset + limit) * everything / total products; collecting
    # reads `total`: the first is cheaper when total² exceeds about (offset + limit) *
    # everything / 2 (the per-row costs measured at 100,000 products).
    many = f"2 * t.total * t.total > ({offset}::bigint + {limit}) * t.everything"
    if known_total:
        total = f"{slot('total')}::bigint"
    else:
        total = f"(SELECT count(*) FROM products p WHERE {where})"
    return (
        f"""WITH matched AS MATERIALIZED (
            SELECT {_SORTED_BY} FROM products p WHERE {where})
        SELECT t.total, convert_to(CASE WHEN {many} THEN {_documents(scanned, order, media)}
            ELSE {_documents(collected, order, media)} END, 'UTF8')
        FROM (SELECT {total} AS total,
                     (SELECT products FROM product_totals WHERE id = 1) AS everything
              OFFSET 0) t""",
        slot.names,
    )


@cache
def comments_sql(one_product: bool, statuses: frozenset[CommentStatus]) -> tuple[str, list[str]]:
    slot = Slots()
    where = status_in("c", statuses)
    if one_product:
        where += f" AND c.product_id = {slot('product_id')}"
    page = f"""FROM (SELECT * FROM comments c WHERE {where} ORDER BY {NEWEST_COMMENTS}
        LIMIT {slot("limit")} OFFSET {slot("offset")}) c"""
    body = array(comment_object("c"), NEWEST_COMMENTS, page)
    total = f"(SELECT count(*) FROM comments c WHERE {where})"
    return f"SELECT {total}, {_bytes(body)}", slot.names

"""Product and Comment JSON written by PostgreSQL, byte for byte as the HTTP layer's msgspec
writes the contract's bodies (`ProductOut`, `CommentOut`): compact, keys in the contract's
order, strings escaped alike (`to_json`), prices and scores as the shortest decimal with at
least one fractional digit (`19.5`, `20.0`), timestamps in UTC with microseconds only when
there are some (`...T10:00:00Z`, `...T10:00:00.120000Z`).

The JSON is concatenated text rather than `json_build_object`, whose output puts spaces
around every colon and comma: the bodies stay the size they were.
"""

from __future__ import annotations

from allora.domain.comments import CommentStatus

NEWEST_COMMENTS = "c.created_at DESC, c.id DESC"


def _string(expr: str) -> str:
    return f"to_json({expr})::text"


def _or_null(expr: str) -> str:
    return f"coalesce({expr}, 'null')"


def _uuid(expr: str) -> str:
    return f"""('"' || {expr}::text || '"')"""


def _decimal(expr: str) -> str:
    """A NUMERIC as msgspec writes the float of it: `19.50` as 19.5, `20.00` as 20.0."""
    return (
        f"CASE WHEN {expr} = trunc({expr}) THEN trunc({expr})::text || '.0'"
        f" ELSE trim_scale({expr})::text END"
    )


def _timestamp(expr: str) -> str:
    """A timestamptz as msgspec writes an aware UTC datetime."""
    written = f"""to_char({expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')"""
    return f"""('"' || replace({written}, '.000000', '') || 'Z"')"""


def _object(fields: list[tuple[str, str]]) -> str:
    """`{"key":value,...}` from (key, SQL text expression) pairs; no expression may be NULL."""
    parts = []
    for i, (key, expr) in enumerate(fields):
        parts.append(f"""'{"{" if i == 0 else ","}"{key}":'""")
        parts.append(expr)
    return "(" + " || ".join(parts) + " || '}')"


def array(element: str, order: str, source: str) -> str:
    """A scalar subquery writing `[element,...]` over the rows of `source` in `order`."""
    items = f"string_agg({element}, ',' ORDER BY {order})"
    return f"(SELECT '[' || coalesce({items}, '') || ']' {source})"


def _variants(product: str) -> str:
    variant = _object(
        [
            ("id", _uuid("v.id")),
            (
                "color",
                _object(
                    [
                        ("name", _or_null(_string("v.color_name"))),
                        ("hex", _or_null(_string("v.color_hex"))),
                    ]
                ),
            ),
            ("size", _or_null(_string("v.size"))),
            ("stock", _or_null("v.stock::text")),
            ("price", _or_null(_decimal("v.price"))),
        ]
    )
    source = f"FROM product_variants v WHERE v.product_id = {product}.id"
    return array(variant, "v.position", source)


# Stands for the image URL prefix in a stored product document: a character `to_json` always
# escapes, so it appears raw in a document nowhere else.
MEDIA_MARK = "chr(1)"


def _json_inner(expr: str) -> str:
    """The text `expr` JSON-escaped, without the quotes around it."""
    written = _string(f"({expr})::text")
    return f"substr({written}, 2, length({written}) - 2)"


def with_media(document: str, media: str) -> str:
    """`document` (text with `MEDIA_MARK`s) with `media`, the image URL prefix, in their place."""
    return f"replace({document}, {MEDIA_MARK}, {_json_inner(media)})"


def product_document(p: str) -> str:
    """The stored Product JSON of the row `p` (migration 0012): as `product_object` writes it,
    with `MEDIA_MARK` where the image URL prefix goes, since that is a setting of the reader."""
    return product_object(p, None)


def product_object(p: str, media: str | None, comments: str | None = None) -> str:
    """Product JSON of the `products` row `p` (with `comments`, a JSON array expression, last
    when given); `media` is the SQL of the image URL prefix, ending in '/' (None: `MEDIA_MARK`)."""
    if media is None:
        url = f"""('"' || {MEDIA_MARK} || {_json_inner("i.key")} || '"')"""
    else:
        url = _string(f"{media} || i.key")
    images = array(url, "i.position", f"FROM product_images i WHERE i.product_id = {p}.id")
    fields = [
        ("id", _uuid(f"{p}.id")),
        ("name", _string(f"{p}.name")),
        ("price", _decimal(f"{p}.price")),
        ("description", _string(f"{p}.description")),
        ("category", _string(f"{p}.category")),
        ("stock", f"{p}.stock::text"),
        ("discount", f"{p}.discount::text"),
        ("score", _decimal(f"{p}.score")),
        ("images", images),
        ("variants", _variants(p)),
        ("created_at", _timestamp(f"{p}.created_at")),
        ("updated_at", _timestamp(f"{p}.updated_at")),
    ]
    return _object(fields + ([("comments", comments)] if comments is not None else []))


def comment_object(c: str) -> str:
    """Comment JSON of the `comments` row `c`."""
    return _object(
        [
            ("id", _uuid(f"{c}.id")),
            ("username", _string(f"{c}.username")),
            ("body", _string(f"{c}.body")),
            ("score", f"{c}.score::text"),
            ("isAccept", f"({c}.status = '{CommentStatus.ACCEPTED.value}')::text"),
            ("product", _uuid(f"{c}.product_id")),
            ("created_at", _timestamp(f"{c}.created_at")),
        ]
    )


def status_in(c: str, statuses: frozenset[CommentStatus]) -> str:
    """`status IN (...)` of enum values (never client text), sorted so the statement for one
    set is always the same text (and so one prepared statement)."""
    if not statuses:
        return "false"
    values = ", ".join(f"'{status.value}'" for status in sorted(statuses))
    return f"{c}.status IN ({values})"

"""`allora discounts`: create, list and delete discount codes."""

from __future__ import annotations

from datetime import datetime

import click
import msgspec

from allora.entrypoints.commands._common import (
    acting,
    fail,
    page,
    paging,
    run_as,
    show,
    show_one,
)
from allora.entrypoints.http.discounts_bodies import DiscountOut

COLUMNS = ("id", "code", "percent", "uses", "maxUse", "startsAt", "endsAt", "created_at")


@click.group()
def discounts() -> None:
    """Discount codes (ADMIN): create, list, delete."""


@discounts.command()
@acting
@click.option("--code", required=True, help="3-20 letters or digits, stored upper-case.")
@click.option("--percent", required=True, type=int, help="0-100.")
@click.option("--max-use", required=True, type=int, help="How many redemptions in all.")
@click.option("--starts-at", help="ISO 8601 time with a timezone.")
@click.option("--ends-at", help="ISO 8601 time with a timezone, after --starts-at.")
def create(
    acting: str,
    as_json: bool,
    code: str,
    percent: int,
    max_use: int,
    starts_at: str | None,
    ends_at: str | None,
) -> None:
    """Create a code (unique ignoring case)."""
    starts, ends = _moment("startsAt", starts_at), _moment("endsAt", ends_at)
    discount = run_as(
        acting,
        lambda cases, actor: cases.create_discount(
            actor=actor,
            code=code,
            percent=percent,
            max_use=max_use,
            starts_at=starts,
            ends_at=ends,
        ),
    )
    show_one(DiscountOut.of(discount), as_json)


@discounts.command("list")
@acting
@paging
def list_discounts(acting: str, as_json: bool, limit: int, offset: int) -> None:
    """Every code with its uses, newest first."""
    paged = run_as(
        acting, lambda cases, actor: cases.list_discounts(actor=actor, page=page(limit, offset))
    )
    show([DiscountOut.of(d) for d in paged.items], COLUMNS, as_json, paged.total)


@discounts.command()
@acting
@click.argument("discount_id")
def delete(acting: str, as_json: bool, discount_id: str) -> None:
    """Delete DISCOUNT_ID."""
    run_as(acting, lambda cases, actor: cases.delete_discount(actor=actor, discount_id=discount_id))
    show_one("Discount deleted", as_json)


def _moment(field: str, text: str | None) -> datetime | None:
    """Read as a JSON body's time is (RFC 3339); the domain then requires a timezone."""
    if text is None:
        return None
    try:
        return msgspec.convert(text, datetime)
    except msgspec.ValidationError:
        fail(f"{field} must be an ISO 8601 time")

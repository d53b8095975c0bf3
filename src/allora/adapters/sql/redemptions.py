"""Redeeming a code on PostgreSQL in one autocommitted statement: the code's row is locked only
while the statement runs, so a burst of redemptions of one code queues for microseconds instead
of for each transaction's round trips and event-loop turns."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from allora.adapters.sql.errors import violated_unique
from allora.application.ports import IdGenerator
from allora.domain.discounts import (
    Discount,
    DiscountId,
    DiscountNotFound,
    DiscountTerms,
    DiscountUnavailable,
)
from allora.domain.users import UserId

# `target` is the code as this statement's snapshot saw it (to say why nothing was counted);
# `counted` adds the use only while every rule holds on the row as locked, re-checked after a
# concurrent redemption commits; `recorded` is the (code, user) row whose unique constraint
# refuses a second redemption by the same user racing this one (the whole statement fails).
REDEEM = text(
    """
    WITH target AS (
        SELECT d.id, d.uses, d.max_use, d.starts_at, d.ends_at,
               EXISTS (SELECT 1 FROM discount_redemptions r
                       WHERE r.discount_id = d.id AND r.user_id = :user_id) AS used_before
        FROM discounts d WHERE d.code = :code
    ), counted AS (
        UPDATE discounts d SET uses = d.uses + 1, updated_at = :now
        FROM target t
        WHERE d.id = t.id AND NOT t.used_before AND d.uses < d.max_use
          AND (d.starts_at IS NULL OR d.starts_at <= :now)
          AND (d.ends_at IS NULL OR d.ends_at > :now)
        RETURNING d.id, d.code, d.percent, d.max_use, d.uses, d.starts_at, d.ends_at,
                  d.created_at, d.updated_at
    ), recorded AS (
        INSERT INTO discount_redemptions (id, discount_id, user_id, redeemed_at)
        SELECT :redemption_id, c.id, :user_id, :now FROM counted c
        RETURNING discount_id
    )
    SELECT t.uses AS seen_uses, t.max_use AS seen_max_use, t.starts_at AS seen_starts_at,
           t.ends_at AS seen_ends_at, t.used_before,
           c.id, c.code, c.percent, c.max_use, c.uses, c.starts_at, c.ends_at, c.created_at,
           c.updated_at, (SELECT count(*) FROM recorded) AS recorded
    FROM target t LEFT JOIN counted c ON c.id = t.id
    """
)


class PostgresCodeRedeemer:
    """`CodeRedeemer` on an autocommitting engine (see `engine.reading_engine`)."""

    def __init__(self, autocommit: AsyncEngine, ids: IdGenerator) -> None:
        self._engine, self._ids = autocommit, ids

    async def redeem(self, code: str, user_id: UserId, now: datetime) -> Discount:
        params = {"code": code, "user_id": user_id, "now": now, "redemption_id": self._ids()}
        try:
            async with self._engine.connect() as connection:
                row = (await connection.execute(REDEEM, params)).first()
        except IntegrityError as error:
            if violated_unique(error) is not None:  # the same user, redeeming it at this instant
                raise DiscountUnavailable.already_used() from error
            raise
        if row is None:
            raise DiscountNotFound.by_code()
        if row.id is None:
            raise _refusal(row, now)
        return Discount(
            DiscountId(row.id),
            DiscountTerms(row.code, row.percent, row.max_use, row.starts_at, row.ends_at),
            row.uses,
            row.created_at,
            row.updated_at,
        )


def _refusal(seen: Any, now: datetime) -> DiscountUnavailable:
    """Why nothing was counted, in the order `Discount.check_redeemable` and the once-per-user
    record refuse: the window, the limit as read, an earlier use, else the limit reached by a
    redemption that committed first."""
    starts, ends = seen.seen_starts_at, seen.seen_ends_at
    if (starts is not None and now < starts) or (ends is not None and now >= ends):
        return DiscountUnavailable.not_now()
    if seen.seen_uses >= seen.seen_max_use:
        return DiscountUnavailable.used_up()
    if seen.used_before:
        return DiscountUnavailable.already_used()
    return DiscountUnavailable.used_up()

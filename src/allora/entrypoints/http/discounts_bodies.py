"""Wire types of discount codes."""

from __future__ import annotations

from datetime import datetime

import msgspec

from allora.domain.discounts import Discount


class CreateDiscountBody(msgspec.Struct):
    code: str
    percent: int
    maxUse: int
    startsAt: datetime | None = None
    endsAt: datetime | None = None


class RedeemDiscountBody(msgspec.Struct):
    code: str


class DiscountOut(msgspec.Struct):
    id: str
    code: str
    percent: int
    maxUse: int
    uses: int
    startsAt: datetime | None
    endsAt: datetime | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, discount: Discount) -> DiscountOut:
        terms = discount.terms
        return cls(
            id=str(discount.id),
            code=terms.code,
            percent=terms.percent,
            maxUse=terms.max_use,
            uses=discount.uses,
            startsAt=terms.starts_at,
            endsAt=terms.ends_at,
            created_at=discount.created_at,
            updated_at=discount.updated_at,
        )


class DiscountCreated(msgspec.Struct):
    message: str
    data: DiscountOut

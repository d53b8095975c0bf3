"""Discounts (contract section "Discounts")."""

from __future__ import annotations

from litestar import Controller, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from allora.application.create_discount import CreateDiscount
from allora.application.delete_discount import DeleteDiscount
from allora.application.list_discounts import ListDiscounts
from allora.application.redeem_discount import RedeemDiscount
from allora.domain.paging import DEFAULT_LIMIT, Page
from allora.domain.users import User
from allora.entrypoints.http.access import ADMIN, SIGNED_IN
from allora.entrypoints.http.discounts_bodies import (
    CreateDiscountBody,
    DiscountCreated,
    DiscountOut,
    RedeemDiscountBody,
)
from allora.entrypoints.http.errors import documented
from allora.entrypoints.http.openapi import TOTAL_COUNT
from allora.entrypoints.http.paging import page_response
from allora.entrypoints.http.replies import MessageOut
from allora.entrypoints.http.strict_json import StrictJSON


class DiscountsController(Controller):
    path = "/api/discounts"
    tags = ["Discounts"]

    @post(
        "/",
        opt=ADMIN,
        dto=StrictJSON[CreateDiscountBody],
        return_dto=None,
        status_code=201,
        responses=documented(400, 401, 403, 413, 422),
    )
    async def create(
        self,
        data: JSONBody[CreateDiscountBody],
        actor: NamedDependency[User],
        create_discount: NamedDependency[CreateDiscount],
    ) -> DiscountCreated:
        """Creates a code (ADMIN); codes are unique ignoring case and stored upper-case."""
        discount = await create_discount(
            actor=actor,
            code=data.code,
            percent=data.percent,
            max_use=data.maxUse,
            starts_at=data.startsAt,
            ends_at=data.endsAt,
        )
        return DiscountCreated("Discount created", DiscountOut.of(discount))

    @get("/", opt=ADMIN, responses=documented(400, 401, 403), response_headers=TOTAL_COUNT)
    async def list_discounts(
        self,
        actor: NamedDependency[User],
        list_discounts: NamedDependency[ListDiscounts],
        limit: FromQuery[int] = DEFAULT_LIMIT,
        offset: FromQuery[int] = 0,
    ) -> Response[list[DiscountOut]]:
        """Every code with its uses (ADMIN), newest first."""
        paged = await list_discounts(actor=actor, page=Page.parse(limit, offset))
        return page_response([DiscountOut.of(d) for d in paged.items], paged.total)

    @delete(
        "/{discount_id:str}",
        opt=ADMIN,
        status_code=200,
        responses=documented(400, 401, 403, 404),
    )
    async def remove(
        self,
        discount_id: FromPath[str],
        actor: NamedDependency[User],
        delete_discount: NamedDependency[DeleteDiscount],
    ) -> MessageOut:
        """Deletes a code (ADMIN)."""
        await delete_discount(actor=actor, discount_id=discount_id)
        return MessageOut("Discount deleted")

    @put(
        "/use",
        opt=SIGNED_IN,
        dto=StrictJSON[RedeemDiscountBody],
        return_dto=None,
        responses=documented(400, 401, 404, 413, 422),
    )
    async def redeem(
        self,
        data: JSONBody[RedeemDiscountBody],
        actor: NamedDependency[User],
        redeem_discount: NamedDependency[RedeemDiscount],
    ) -> DiscountOut:
        """Redeems a code once for the signed-in user; never past its `maxUse`."""
        return DiscountOut.of(await redeem_discount(actor=actor, code=data.code))

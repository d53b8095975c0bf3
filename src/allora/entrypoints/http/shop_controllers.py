"""Wishlist, Discounts and Tickets (contract sections of the same names)."""

from __future__ import annotations

import msgspec
from litestar import Controller, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from allora.application.discounts import CreateDiscount, DeleteDiscount, ListDiscounts
from allora.application.ports import ImageStore
from allora.application.redeem_discount import RedeemDiscount
from allora.application.tickets import AnswerTicket, ListTickets, OpenTicket
from allora.application.wishlist import AddToWishlist, ListWishlist, RemoveFromWishlist
from allora.domain.paging import DEFAULT_LIMIT, Page
from allora.domain.users import User
from allora.entrypoints.http.access import ADMIN, ANYONE, SIGNED_IN
from allora.entrypoints.http.bodies import MessageOut
from allora.entrypoints.http.catalogue_bodies import ProductOut
from allora.entrypoints.http.errors import documented
from allora.entrypoints.http.paging import page_response
from allora.entrypoints.http.shop_bodies import (
    AnswerIn,
    CodeIn,
    DiscountCreated,
    DiscountIn,
    DiscountOut,
    ThreadOut,
    TicketIn,
    TicketOut,
    WishIn,
)
from allora.entrypoints.http.strict_json import StrictJSON


class WishlistController(Controller):
    path = "/api/wishlist"
    tags = ["Wishlist"]
    opt = SIGNED_IN

    @post(
        "/",
        dto=StrictJSON[WishIn],
        return_dto=None,
        status_code=201,
        responses=documented(400, 401, 404, 413),
    )
    async def add(
        self,
        data: JSONBody[WishIn],
        actor: NamedDependency[User],
        add_to_wishlist: NamedDependency[AddToWishlist],
    ) -> MessageOut:
        """Adds a product to the signed-in user's wishlist; adding it twice is fine."""
        await add_to_wishlist(actor, data.product)
        return MessageOut("Added to wishlist")

    @get("/", responses=documented(400, 401))
    async def list_wishlist(
        self,
        actor: NamedDependency[User],
        list_wishlist: NamedDependency[ListWishlist],
        image_store: NamedDependency[ImageStore],
        limit: FromQuery[int] = DEFAULT_LIMIT,
        offset: FromQuery[int] = 0,
    ) -> Response[list[ProductOut]]:
        """The signed-in user's wished products, most recent first."""
        paged = await list_wishlist(actor, Page.parse(limit, offset))
        return page_response([ProductOut.of(p, image_store) for p in paged.items], paged.total)

    @delete("/{product_id:str}", status_code=200, responses=documented(400, 401))
    async def remove(
        self,
        product_id: FromPath[str],
        actor: NamedDependency[User],
        remove_from_wishlist: NamedDependency[RemoveFromWishlist],
    ) -> MessageOut:
        """Removes a product from the wishlist (fine if it was not there)."""
        await remove_from_wishlist(actor, product_id)
        return MessageOut("Removed from wishlist")


class DiscountsController(Controller):
    path = "/api/discounts"
    tags = ["Discounts"]

    @post(
        "/",
        opt=ADMIN,
        dto=StrictJSON[DiscountIn],
        return_dto=None,
        status_code=201,
        responses=documented(400, 401, 403, 413, 422),
    )
    async def create(
        self,
        data: JSONBody[DiscountIn],
        actor: NamedDependency[User],
        create_discount: NamedDependency[CreateDiscount],
    ) -> DiscountCreated:
        """Creates a code (ADMIN); codes are unique ignoring case and stored upper-case."""
        discount = await create_discount(
            actor, data.code, data.percent, data.maxUse, data.startsAt, data.endsAt
        )
        return DiscountCreated("Discount created", DiscountOut.of(discount))

    @get("/", opt=ADMIN, responses=documented(400, 401, 403))
    async def list_discounts(
        self,
        actor: NamedDependency[User],
        list_discounts: NamedDependency[ListDiscounts],
        limit: FromQuery[int] = DEFAULT_LIMIT,
        offset: FromQuery[int] = 0,
    ) -> Response[list[DiscountOut]]:
        """Every code with its uses (ADMIN), newest first."""
        paged = await list_discounts(actor, Page.parse(limit, offset))
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
        await delete_discount(actor, discount_id)
        return MessageOut("Discount deleted")

    @put(
        "/use",
        opt=SIGNED_IN,
        dto=StrictJSON[CodeIn],
        return_dto=None,
        responses=documented(400, 401, 404, 413, 422),
    )
    async def redeem(
        self,
        data: JSONBody[CodeIn],
        actor: NamedDependency[User],
        redeem_discount: NamedDependency[RedeemDiscount],
    ) -> DiscountOut:
        """Redeems a code once for the signed-in user; never past its `maxUse`."""
        return DiscountOut.of(await redeem_discount(actor, data.code))


class TicketsController(Controller):
    path = "/api/tickets"
    tags = ["Tickets"]

    @post(
        "/",
        dto=StrictJSON[TicketIn],
        return_dto=None,
        status_code=200,
        opt=ANYONE,
        responses=documented(400, 413),
    )
    async def open_ticket(
        self,
        data: JSONBody[TicketIn],
        author: NamedDependency[User | None],
        open_ticket: NamedDependency[OpenTicket],
    ) -> MessageOut:
        """Opens a support ticket; linked to the signed-in user when there is one."""
        await open_ticket(author, data.name, data.message, data.phone, data.email)
        return MessageOut("Ticket received")

    @get("/", opt=SIGNED_IN, responses=documented(400, 401))
    async def list_tickets(
        self,
        actor: NamedDependency[User],
        list_tickets: NamedDependency[ListTickets],
        limit: FromQuery[int] = DEFAULT_LIMIT,
        offset: FromQuery[int] = 0,
    ) -> Response[list[ThreadOut]]:
        """A USER's own tickets, or every ticket for an ADMIN, each with its answers."""
        paged = await list_tickets(actor, Page.parse(limit, offset))
        threads = [
            ThreadOut(
                **msgspec.structs.asdict(TicketOut.of(thread.ticket)),
                answers=[TicketOut.of(a) for a in thread.answers],
            )
            for thread in paged.items
        ]
        return page_response(threads, paged.total)

    @post(
        "/answer",
        dto=StrictJSON[AnswerIn],
        return_dto=None,
        status_code=200,
        opt=ADMIN,
        responses=documented(400, 401, 403, 404, 413),
    )
    async def answer(
        self,
        data: JSONBody[AnswerIn],
        actor: NamedDependency[User],
        answer_ticket: NamedDependency[AnswerTicket],
    ) -> MessageOut:
        """Answers a ticket (ADMIN)."""
        await answer_ticket(actor, data.ticketID, data.message)
        return MessageOut("Answer sent")

"""Checkout and orders (contract section "Orders")."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post, put
from litestar.datastructures import CacheControlHeader
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, FromQuery, JSONBody, Parameter

from allora.application.change_order_status import ChangeOrderStatus
from allora.application.get_order import GetOrder
from allora.application.list_orders import ListOrders
from allora.application.place_order import PlaceOrder
from allora.application.quote_cart import QuoteCart
from allora.domain.orders import IdempotencyKey, OrderStatus
from allora.domain.paging import DEFAULT_LIMIT, Page
from allora.domain.users import User
from allora.entrypoints.http.access import SIGNED_IN
from allora.entrypoints.http.catalogue_cache import CHANGES_CATALOGUE
from allora.entrypoints.http.clients import client_address
from allora.entrypoints.http.errors import documented
from allora.entrypoints.http.openapi import TOTAL_COUNT
from allora.entrypoints.http.orders_bodies import (
    CheckoutBody,
    OrderOut,
    OrderPlacedOut,
    QuoteBody,
    QuoteOut,
    StatusBody,
    checkout_billing,
)
from allora.entrypoints.http.paging import page_response
from allora.entrypoints.http.strict_json import StrictJSON

IDEMPOTENCY_KEY = Parameter(
    header="Idempotency-Key",
    required=False,
    min_length=1,
    max_length=255,
    pattern=r"^[!-~]{1,255}$",
    description=(
        "Makes retries safe: 1-255 visible ASCII characters, chosen by the client (a fresh "
        "UUID per checkout). A retry by the same user with the same key and the same body "
        "answers the order the first request placed, with 200 and places nothing; the same "
        "key with a different body is 422. Anything else in the header is 400."
    ),
)
_REPLAYED = ResponseSpec(
    data_container=OrderPlacedOut,
    description="A retry under an `Idempotency-Key` already used: the order it placed",
    generate_examples=False,
)


class OrdersController(Controller):
    path = "/api/orders"
    tags = ["Orders"]
    opt = SIGNED_IN
    cache_control = CacheControlHeader(no_store=True)

    @post(
        "/quote",
        dto=StrictJSON[QuoteBody],
        return_dto=None,
        status_code=200,
        responses=documented(400, 401, 404, 413, 422),
    )
    async def quote(
        self,
        data: JSONBody[QuoteBody],
        actor: NamedDependency[User],
        quote_cart: NamedDependency[QuoteCart],
    ) -> QuoteOut:
        """Prices a cart as checkout would, changing nothing. Lines naming the same product and
        variant are merged (1-50 lines of 1-99 units); prices come from the catalogue, never
        from the request. `available` says whether the stock covers the line now. A code
        (`discountCode`; null or "" for none) is checked without being redeemed: 404 unknown,
        422 outside its window, used up, or already used by this user in an order; a code the
        user redeemed on the cart page (`PUT /api/discounts/use/`) is priced even when its
        `maxUse` has since been reached."""
        quote = await quote_cart(
            actor=actor, items=[item.item() for item in data.items], discount_code=data.discountCode
        )
        return QuoteOut.of(quote)

    @post(
        "/",
        opt=SIGNED_IN | CHANGES_CATALOGUE,  # it takes stock
        dto=StrictJSON[CheckoutBody],
        return_dto=None,
        status_code=201,
        responses={200: _REPLAYED, **documented(400, 401, 403, 404, 409, 413, 422, 429)},
    )
    async def place(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[CheckoutBody],
        actor: NamedDependency[User],
        place_order: NamedDependency[PlaceOrder],
        idempotency_key: Annotated[str | None, IDEMPOTENCY_KEY] = None,
    ) -> Response[OrderPlacedOut]:
        """Places an order (status `pending`) for the signed-in user, priced by the server:
        each line's unit price is the variant's price when above 0, else the product's, less
        the product's discount, half-up to the cent; the code (`discountCode`) takes its
        percent of the subtotal, half-up; shipping is 0. All or nothing, in one transaction:
        every line's units are taken from the variant's stock (the product's when it has no
        variants; a variant without a stock figure has none to sell), the code is redeemed,
        or the user's cart-page redemption of it taken over, and the order is written.
        400: items out of bounds, a variant missing (product with variants) or given (product
        without), billing invalid, or a bad `Idempotency-Key`; 403 banned; 404 unknown product,
        variant or code; 409 not enough stock, `errors` naming every short line as
        `items[i]` (i: the line's first occurrence in `items`); 422 code unusable (outside its
        window, used up, already used by this user) or `Idempotency-Key` reused with another
        body. The order keeps a copy of every line (name, colour, size, price) as it was."""
        key = IdempotencyKey.parse(idempotency_key) if idempotency_key is not None else None
        placed = await place_order(
            actor=actor,
            items=[item.item() for item in data.items],
            billing=checkout_billing(data.billing),
            discount_code=data.discountCode,
            idempotency_key=key,
            client=client_address(request),
        )
        body = OrderPlacedOut("Order placed", OrderOut.of(placed.order))
        return Response(body, status_code=200 if placed.replayed else 201)

    @get("/", responses=documented(400, 401), response_headers=TOTAL_COUNT)
    async def list_orders(
        self,
        actor: NamedDependency[User],
        list_orders: NamedDependency[ListOrders],
        status: FromQuery[OrderStatus | None] = None,
        limit: FromQuery[int] = DEFAULT_LIMIT,
        offset: FromQuery[int] = 0,
    ) -> Response[list[OrderOut]]:
        """A USER's own orders, or every user's for an ADMIN, newest first, optionally only
        those with one `status`; the total in `X-Total-Count`."""
        paged = await list_orders(actor=actor, status=status, page=Page.parse(limit, offset))
        return page_response([OrderOut.of(order) for order in paged.items], paged.total)

    @get("/{order_id:str}", responses=documented(400, 401, 404))
    async def get_order(
        self,
        order_id: FromPath[str],
        actor: NamedDependency[User],
        get_order: NamedDependency[GetOrder],
    ) -> OrderOut:
        """One order, for its owner or any ADMIN; 404 for anyone else, as for an unknown id."""
        return OrderOut.of(await get_order(actor=actor, order_id=order_id))

    @put(
        "/{order_id:str}/status",
        opt=SIGNED_IN | CHANGES_CATALOGUE,  # cancelling returns stock
        dto=StrictJSON[StatusBody],
        return_dto=None,
        responses=documented(400, 401, 403, 404, 409, 413),
    )
    async def change_status(
        self,
        order_id: FromPath[str],
        data: JSONBody[StatusBody],
        actor: NamedDependency[User],
        change_order_status: NamedDependency[ChangeOrderStatus],
    ) -> OrderOut:
        """Moves an order along `pending` -> `paid` -> `shipped` -> `delivered`, or to
        `cancelled` from `pending` or `paid`. An ADMIN may make any of these (anything else
        409, also to the status it has); the owner may only cancel their own `pending` order
        (anything else 403); another user's order is 404 to a USER. Cancelling returns the
        units to stock (except for lines whose product or variant was deleted meanwhile) and
        the code's use, so the user may redeem it again."""
        changed = await change_order_status(actor=actor, order_id=order_id, status=data.status)
        return OrderOut.of(changed)

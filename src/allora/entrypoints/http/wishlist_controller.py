"""Wishlist (contract section "Wishlist")."""

from __future__ import annotations

from litestar import Controller, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from allora.application.add_to_wishlist import AddToWishlist
from allora.application.list_wishlist import ListWishlist
from allora.application.ports import ImageStore
from allora.application.remove_from_wishlist import RemoveFromWishlist
from allora.domain.paging import DEFAULT_LIMIT, Page
from allora.domain.users import User
from allora.entrypoints.http.access import SIGNED_IN
from allora.entrypoints.http.errors import documented
from allora.entrypoints.http.openapi import TOTAL_COUNT
from allora.entrypoints.http.paging import page_response
from allora.entrypoints.http.products_bodies import ProductOut
from allora.entrypoints.http.replies import MessageOut
from allora.entrypoints.http.strict_json import StrictJSON
from allora.entrypoints.http.wishlist_bodies import AddToWishlistBody


class WishlistController(Controller):
    path = "/api/wishlist"
    tags = ["Wishlist"]
    opt = SIGNED_IN

    @post(
        "/",
        dto=StrictJSON[AddToWishlistBody],
        return_dto=None,
        status_code=201,
        responses=documented(400, 401, 404, 413),
    )
    async def add(
        self,
        data: JSONBody[AddToWishlistBody],
        actor: NamedDependency[User],
        add_to_wishlist: NamedDependency[AddToWishlist],
    ) -> MessageOut:
        """Adds a product to the signed-in user's wishlist; adding it twice is fine."""
        await add_to_wishlist(actor=actor, product_id=data.product)
        return MessageOut("Added to wishlist")

    @get("/", responses=documented(400, 401), response_headers=TOTAL_COUNT)
    async def list_wishlist(
        self,
        actor: NamedDependency[User],
        list_wishlist: NamedDependency[ListWishlist],
        image_store: NamedDependency[ImageStore],
        limit: FromQuery[int] = DEFAULT_LIMIT,
        offset: FromQuery[int] = 0,
    ) -> Response[list[ProductOut]]:
        """The signed-in user's wished products, most recent first."""
        paged = await list_wishlist(actor=actor, page=Page.parse(limit, offset))
        return page_response([ProductOut.of(p, image_store) for p in paged.items], paged.total)

    @delete("/{product_id:str}", status_code=200, responses=documented(400, 401))
    async def remove(
        self,
        product_id: FromPath[str],
        actor: NamedDependency[User],
        remove_from_wishlist: NamedDependency[RemoveFromWishlist],
    ) -> MessageOut:
        """Removes a product from the wishlist (fine if it was not there)."""
        await remove_from_wishlist(actor=actor, product_id=product_id)
        return MessageOut("Removed from wishlist")

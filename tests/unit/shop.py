"""The catalogue and shop use cases wired on fakes, as `entrypoints/container.py` wires them.

`Shop.wire` is the one place the wiring is written: conftest's fixtures and the Hypothesis tests
(which build a fresh world per example, as function-scoped fixtures are shared across examples)
both use it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

from allora.application.browse_products import GetProduct, ListProducts
from allora.application.comment_on_product import AddComment, ListAllComments, ListComments
from allora.application.create_product import CreateProduct
from allora.application.discounts import CreateDiscount, DeleteDiscount, ListDiscounts
from allora.application.moderate_comment import ApproveComment, DeleteComment, RejectComment
from allora.application.ports import (
    Clock,
    IdGenerator,
    ImageInspector,
    ImageStore,
    UnitOfWorkFactory,
)
from allora.application.redeem_discount import RedeemDiscount
from allora.application.tickets import AnswerTicket, ListTickets, OpenTicket
from allora.application.update_product import DeleteProduct, UpdateProduct
from allora.application.wishlist import AddToWishlist, ListWishlist, RemoveFromWishlist
from allora.domain.users import Profile, Role, User, UserId
from tests.unit.fake_images import FakeImageInspector, FakeImageStore
from tests.unit.fakes import FakeClock, FakeDatabase, FakeUnitOfWorkFactory, SequentialIds

T = TypeVar("T")

VALID_PRODUCT: dict[str, object] = {
    "name": "Linen shirt",
    "price": "19.99",
    "description": "A light linen shirt for summer",
    "category": "tops",
    "stock": "5",
    "discount": "0",
}


def product_fields(**changes: object) -> dict[str, object]:
    """Valid multipart fields of a new product, with some replaced."""
    return {**VALID_PRODUCT, **changes}


@dataclass(frozen=True)
class Shop:
    create_product: CreateProduct
    list_products: ListProducts
    get_product: GetProduct
    update_product: UpdateProduct
    delete_product: DeleteProduct
    add_comment: AddComment
    list_comments: ListComments
    list_all_comments: ListAllComments
    approve_comment: ApproveComment
    reject_comment: RejectComment
    delete_comment: DeleteComment
    add_to_wishlist: AddToWishlist
    list_wishlist: ListWishlist
    remove_from_wishlist: RemoveFromWishlist
    create_discount: CreateDiscount
    list_discounts: ListDiscounts
    delete_discount: DeleteDiscount
    redeem_discount: RedeemDiscount
    open_ticket: OpenTicket
    list_tickets: ListTickets
    answer_ticket: AnswerTicket

    @classmethod
    def wire(
        cls,
        uow: UnitOfWorkFactory,
        images: ImageStore,
        inspector: ImageInspector,
        clock: Clock,
        ids: IdGenerator,
    ) -> Shop:
        return cls(
            create_product=CreateProduct(uow, images, inspector, clock, ids),
            list_products=ListProducts(uow),
            get_product=GetProduct(uow),
            update_product=UpdateProduct(uow, clock),
            delete_product=DeleteProduct(uow, images),
            add_comment=AddComment(uow, clock, ids),
            list_comments=ListComments(uow),
            list_all_comments=ListAllComments(uow),
            approve_comment=ApproveComment(uow),
            reject_comment=RejectComment(uow),
            delete_comment=DeleteComment(uow),
            add_to_wishlist=AddToWishlist(uow, clock),
            list_wishlist=ListWishlist(uow),
            remove_from_wishlist=RemoveFromWishlist(uow),
            create_discount=CreateDiscount(uow, clock, ids),
            list_discounts=ListDiscounts(uow),
            delete_discount=DeleteDiscount(uow),
            redeem_discount=RedeemDiscount(uow, clock),
            open_ticket=OpenTicket(uow, clock, ids),
            list_tickets=ListTickets(uow),
            answer_ticket=AnswerTicket(uow, clock, ids),
        )


@dataclass
class World:
    """Fresh fakes and the shop on them, for one Hypothesis example; `run` awaits a use case."""

    database: FakeDatabase = field(default_factory=FakeDatabase)
    clock: FakeClock = field(default_factory=FakeClock)
    ids: SequentialIds = field(default_factory=SequentialIds)
    images: FakeImageStore = field(default_factory=FakeImageStore)
    inspector: FakeImageInspector = field(default_factory=FakeImageInspector)
    runner: asyncio.Runner = field(default_factory=asyncio.Runner)

    def __post_init__(self) -> None:
        uow = FakeUnitOfWorkFactory(self.database)
        self.shop = Shop.wire(uow, self.images, self.inspector, self.clock, self.ids)

    def run(self, step: Coroutine[Any, Any, T]) -> T:
        return self.runner.run(step)

    def close(self) -> None:
        self.runner.close()

    def person(self, n: int, role: Role = Role.USER) -> User:
        """The n-th account, stored directly: these tests are not about signing up."""
        profile = Profile.parse(f"user{n}", f"user{n}@example.com", f"5550000{n:03d}")
        user = User(UserId(self.ids()), profile, role, "hashed:x", self.clock.now())
        self.database.users[user.id] = user
        return user

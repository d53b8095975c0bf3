"""Wiring of the catalogue and shop use cases on their ports (no adapters, no framework)."""

from __future__ import annotations

from dataclasses import dataclass

from allora.application.browse_products import GetProduct, ListProducts
from allora.application.comment_on_product import AddComment, ListAllComments, ListComments
from allora.application.create_product import CreateProduct
from allora.application.discounts import CreateDiscount, DeleteDiscount, ListDiscounts
from allora.application.import_catalogue import ImportCatalogue
from allora.application.moderate_comment import ApproveComment, DeleteComment, RejectComment
from allora.application.outbox import Outbox
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


@dataclass(frozen=True)
class ShopUseCases:
    """The catalogue, wishlist, discount and ticket use cases, wired on their ports: the
    composition root and the unit tests' fakes build them through this one function."""

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
    import_catalogue: ImportCatalogue

    @classmethod
    def wire(
        cls,
        uow: UnitOfWorkFactory,
        images: ImageStore,
        inspector: ImageInspector,
        clock: Clock,
        ids: IdGenerator,
        reader: UnitOfWorkFactory | None = None,
        *,
        outbox: Outbox,
    ) -> ShopUseCases:
        """`reader`, when given, serves the use cases that only read (see `SqlUnitOfWork`)."""
        read = reader or uow
        return cls(
            create_product=CreateProduct(uow, images, inspector, clock, ids),
            list_products=ListProducts(read),
            get_product=GetProduct(read),
            update_product=UpdateProduct(uow, clock),
            delete_product=DeleteProduct(uow, images),
            add_comment=AddComment(uow, clock, ids),
            list_comments=ListComments(read),
            list_all_comments=ListAllComments(read),
            approve_comment=ApproveComment(uow),
            reject_comment=RejectComment(uow),
            delete_comment=DeleteComment(uow),
            add_to_wishlist=AddToWishlist(uow, clock),
            list_wishlist=ListWishlist(read),
            remove_from_wishlist=RemoveFromWishlist(uow),
            create_discount=CreateDiscount(uow, clock, ids),
            list_discounts=ListDiscounts(read),
            delete_discount=DeleteDiscount(uow),
            redeem_discount=RedeemDiscount(uow, clock),
            open_ticket=OpenTicket(uow, clock, ids),
            list_tickets=ListTickets(read),
            answer_ticket=AnswerTicket(uow, clock, ids, outbox),
            import_catalogue=ImportCatalogue(uow),
        )

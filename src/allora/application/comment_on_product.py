"""AddComment, ListComments and ListAllComments."""

from __future__ import annotations

from allora.application.ids import parse_id
from allora.application.ports import Clock, IdGenerator, UnitOfWorkFactory
from allora.domain.comments import Comment, CommentDraft, CommentId, CommentStatus
from allora.domain.errors import InvalidInput, NotFound
from allora.domain.paging import Page, Paged
from allora.domain.products import ProductId
from allora.domain.users import User

STATUS_FILTERS = {
    "pending": frozenset({CommentStatus.PENDING}),
    "accepted": frozenset({CommentStatus.ACCEPTED}),
    "rejected": frozenset({CommentStatus.REJECTED}),
    "all": frozenset(CommentStatus),
}


class AddComment:
    """Rules: fields valid, score an integer 1-5 (400); the product must exist (404); the comment
    waits for moderation, linked to the signed-in author if any."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, ids: IdGenerator) -> None:
        self._uow, self._clock, self._ids = uow, clock, ids

    async def __call__(
        self,
        author: User | None,
        username: object,
        email: object,
        body: object,
        score: object,
        raw_product_id: object,
    ) -> Comment:
        draft = CommentDraft.parse(username, email, body, score)
        product_id = parse_id("productID", raw_product_id)
        async with self._uow() as uow:
            product = await uow.products.get(ProductId(product_id)) if product_id else None
            if product is None:
                raise NotFound("No such product")
            comment = Comment(
                id=CommentId(self._ids()),
                product_id=product.id,
                author_id=author.id if author else None,
                draft=draft,
                status=CommentStatus.PENDING,
                created_at=self._clock.now(),
            )
            await uow.comments.add(comment)
            await uow.commit()
        return comment


class ListComments:
    """Rules: accepted comments only, of one product or all, newest first."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, raw_product_id: str | None, page: Page) -> Paged[Comment]:
        product_id = None if raw_product_id is None else parse_id("productID", raw_product_id)
        if raw_product_id is not None and product_id is None:
            return Paged([], 0)
        async with self._uow() as uow:
            return await uow.comments.listing(
                ProductId(product_id) if product_id else None,
                STATUS_FILTERS["accepted"],
                page,
            )


class ListAllComments:
    """Rules: ADMIN only (403); filter by status pending, accepted, rejected or all."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, actor: User, status: str, page: Page) -> Paged[Comment]:
        actor.require_admin()
        if status not in STATUS_FILTERS:
            raise InvalidInput.for_field(
                "status", f"status must be one of {', '.join(STATUS_FILTERS)}"
            )
        async with self._uow() as uow:
            return await uow.comments.listing(None, STATUS_FILTERS[status], page)

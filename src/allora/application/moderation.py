"""What approving, rejecting and deleting a comment share: the score stays true."""

from __future__ import annotations

from abc import ABC, abstractmethod

from allora.application.ids import parse_id
from allora.application.ports import UnitOfWork, UnitOfWorkFactory
from allora.domain.comments import Comment, CommentId, CommentNotFound
from allora.domain.products import mean_score
from allora.domain.users import User


class CommentModeration(ABC):
    """Changes a comment and recomputes its product's score in the same transaction, with the
    product row locked first, so concurrent moderation of one product never leaves a stale
    score. Rules: ADMIN only (403); unknown comment 404."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, *, actor: User, comment_id: str) -> None:
        actor.require_admin()
        wanted = parse_id(comment_id)
        async with self._uow() as uow:
            comment = await uow.comments.get(CommentId(wanted)) if wanted else None
            if comment is None:
                raise CommentNotFound()
            product = await uow.products.lock(comment.product_id)
            if product is None:
                raise CommentNotFound()
            await self._change(uow, comment)
            total, count = await uow.comments.accepted_totals(product.id)
            await uow.products.save(product.scored(mean_score(total, count)))
            await uow.commit()

    @abstractmethod
    async def _change(self, uow: UnitOfWork, comment: Comment) -> None:
        """The moderation itself, inside the transaction."""

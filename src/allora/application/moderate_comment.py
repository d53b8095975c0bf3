"""ApproveComment, RejectComment and DeleteComment: moderation that keeps scores true."""

from __future__ import annotations

from allora.application.ids import parse_id
from allora.application.ports import UnitOfWork, UnitOfWorkFactory
from allora.domain.comments import Comment, CommentId, CommentStatus
from allora.domain.errors import NotFound
from allora.domain.products import mean_score
from allora.domain.users import User


class _Moderation:
    """Changes a comment and recomputes its product's score in the same transaction, with the
    product row locked first, so concurrent moderation of one product never leaves a stale
    score."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def _moderate(self, actor: User, raw_id: object) -> None:
        actor.require_admin()
        comment_id = parse_id("id", raw_id)
        async with self._uow() as uow:
            comment = await uow.comments.get(CommentId(comment_id)) if comment_id else None
            if comment is None:
                raise NotFound("No such comment")
            product = await uow.products.lock(comment.product_id)
            if product is None:
                raise NotFound("No such comment")
            await self._change(uow, comment)
            total, count = await uow.comments.accepted_totals(product.id)
            await uow.products.save(product.scored(mean_score(total, count)))
            await uow.commit()

    async def _change(self, uow: UnitOfWork, comment: Comment) -> None:
        raise NotImplementedError


class ApproveComment(_Moderation):
    """Rules: ADMIN only (403); unknown comment 404; the comment shows publicly and counts
    towards its product's score."""

    async def __call__(self, actor: User, raw_id: object) -> None:
        await self._moderate(actor, raw_id)

    async def _change(self, uow: UnitOfWork, comment: Comment) -> None:
        await uow.comments.set_status(comment.id, CommentStatus.ACCEPTED)


class RejectComment(_Moderation):
    """Rules: ADMIN only (403); unknown comment 404; the comment is hidden and stops counting."""

    async def __call__(self, actor: User, raw_id: object) -> None:
        await self._moderate(actor, raw_id)

    async def _change(self, uow: UnitOfWork, comment: Comment) -> None:
        await uow.comments.set_status(comment.id, CommentStatus.REJECTED)


class DeleteComment(_Moderation):
    """Rules: ADMIN only (403); unknown comment 404; the comment is gone and stops counting."""

    async def __call__(self, actor: User, raw_id: object) -> None:
        await self._moderate(actor, raw_id)

    async def _change(self, uow: UnitOfWork, comment: Comment) -> None:
        await uow.comments.remove(comment.id)

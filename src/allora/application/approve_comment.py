"""ApproveComment: a comment goes public and counts."""

from __future__ import annotations

from allora.application.moderation import CommentModeration
from allora.application.ports import UnitOfWork
from allora.domain.comments import Comment, CommentStatus


class ApproveComment(CommentModeration):
    """Rules: ADMIN only (403); unknown comment 404; the comment shows publicly and counts
    towards its product's score."""

    async def _change(self, uow: UnitOfWork, comment: Comment) -> None:
        await uow.comments.set_status(comment.id, CommentStatus.ACCEPTED)

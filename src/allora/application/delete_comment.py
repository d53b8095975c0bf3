"""DeleteComment: a comment is gone and stops counting."""

from __future__ import annotations

from allora.application.moderation import CommentModeration
from allora.application.ports import UnitOfWork
from allora.domain.comments import Comment


class DeleteComment(CommentModeration):
    """Rules: ADMIN only (403); unknown comment 404; the comment is gone and stops counting."""

    async def _change(self, uow: UnitOfWork, comment: Comment) -> None:
        await uow.comments.remove(comment.id)

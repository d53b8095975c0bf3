"""Wire types of comments: what a visitor posts, what moderation sends, the Comment JSON."""

from __future__ import annotations

from datetime import datetime

import msgspec

from allora.domain.comments import Comment


class AddCommentBody(msgspec.Struct):
    username: str
    email: str
    body: str
    score: int
    productID: str


class CommentIdBody(msgspec.Struct):
    id: str


class CommentOut(msgspec.Struct):
    id: str
    username: str
    body: str
    score: int
    isAccept: bool
    product: str
    created_at: datetime

    @classmethod
    def of(cls, comment: Comment) -> CommentOut:
        return cls(
            id=str(comment.id),
            username=comment.draft.username,
            body=comment.draft.body,
            score=comment.draft.score,
            isAccept=comment.is_accepted,
            product=str(comment.product_id),
            created_at=comment.created_at,
        )


class AdminCommentOut(CommentOut):
    email: str
    status: str

    @classmethod
    def of_admin(cls, comment: Comment) -> AdminCommentOut:
        public = CommentOut.of(comment)
        return cls(
            **msgspec.structs.asdict(public),
            email=comment.draft.email.value,
            status=comment.status.value,
        )


class CommentCreated(msgspec.Struct):
    message: str
    data: CommentOut

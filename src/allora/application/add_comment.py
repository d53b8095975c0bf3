"""AddComment: anyone reviews a product; the review waits for moderation."""

from __future__ import annotations

from allora.application.attempts import count_attempt
from allora.application.ids import parse_id
from allora.application.ports import AttemptLimiter, Clock, IdGenerator, UnitOfWorkFactory
from allora.domain.comments import Comment, CommentDraft, CommentId, CommentStatus
from allora.domain.products import ProductId, ProductNotFound
from allora.domain.users import User


class AddComment:
    """Rules: at most the client limit a minute from one address, every attempt counted
    (429); fields valid, score an integer 1-5 (400); the product must exist (404); the comment
    waits for moderation, linked to the signed-in author if any."""

    def __init__(
        self, uow: UnitOfWorkFactory, clock: Clock, ids: IdGenerator, per_client: AttemptLimiter
    ) -> None:
        self._uow, self._clock, self._ids, self._per_client = uow, clock, ids, per_client

    async def __call__(
        self,
        *,
        author: User | None,
        username: str,
        email: str,
        body: str,
        score: int,
        product_id: str,
        client: str,
    ) -> Comment:
        await count_attempt(self._per_client, client)
        draft = CommentDraft.parse(username, email, body, score)
        wanted = parse_id(product_id)
        async with self._uow() as uow:
            product = await uow.products.get(ProductId(wanted)) if wanted else None
            if product is None:
                raise ProductNotFound()
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

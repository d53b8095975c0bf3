"""ImportCatalogue: bulk loading of products with their comments (demo data, migrations in)."""

from __future__ import annotations

from collections.abc import Sequence

from allora.application.ports import UnitOfWorkFactory
from allora.domain.comments import Comment
from allora.domain.products import Product, mean_score
from allora.domain.users import Operator, User

CatalogueBatch = Sequence[tuple[Product, Sequence[Comment]]]


class ImportCatalogue:
    """Rules: an ADMIN or the operator of a maintenance command only (403); products and
    comments arrive as validated domain objects; a batch lands in one transaction, all or
    nothing; each product's score is the rounded mean of its accepted comments, as moderation
    would have left it."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, *, actor: User | Operator, batch: CatalogueBatch) -> None:
        actor.require_admin()
        products = []
        for product, comments in batch:
            if any(comment.product_id != product.id for comment in comments):
                raise ValueError("a comment of the batch belongs to another product")
            accepted = [comment.draft.score for comment in comments if comment.is_accepted]
            products.append(product.scored(mean_score(sum(accepted), len(accepted))))
        async with self._uow() as uow:
            await uow.products.add_many(products)
            await uow.comments.add_many([comment for _, comments in batch for comment in comments])
            await uow.commit()

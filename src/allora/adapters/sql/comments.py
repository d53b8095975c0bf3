"""Comments in SQL."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from allora.adapters.sql.errors import missing_parent_is
from allora.adapters.sql.paging import fetch_page
from allora.adapters.sql.tables import CommentRow
from allora.domain.comments import Comment, CommentDraft, CommentId, CommentStatus
from allora.domain.paging import Page, Paged
from allora.domain.products import ProductId, ProductNotFound
from allora.domain.users import Email, UserId


def _to_comment(row: CommentRow) -> Comment:
    return Comment(
        id=CommentId(row.id),
        product_id=ProductId(row.product_id),
        author_id=UserId(row.author_id) if row.author_id else None,
        draft=CommentDraft(row.username, Email(row.email), row.body, row.score),
        status=CommentStatus(row.status),
        created_at=row.created_at,
    )


class SqlCommentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, comment: Comment) -> None:
        await self.add_many([comment])

    async def add_many(self, comments: Sequence[Comment]) -> None:
        if not comments:
            return
        with missing_parent_is(ProductNotFound):
            await self._session.execute(
                insert(CommentRow),
                [
                    {
                        "id": comment.id,
                        "product_id": comment.product_id,
                        "author_id": comment.author_id,
                        "username": comment.draft.username,
                        "email": comment.draft.email.value,
                        "body": comment.draft.body,
                        "score": comment.draft.score,
                        "status": comment.status.value,
                        "created_at": comment.created_at,
                    }
                    for comment in comments
                ],
            )

    async def get(self, comment_id: CommentId) -> Comment | None:
        row = await self._session.scalar(select(CommentRow).where(CommentRow.id == comment_id))
        return _to_comment(row) if row else None

    async def set_status(self, comment_id: CommentId, status: CommentStatus) -> None:
        await self._session.execute(
            update(CommentRow).where(CommentRow.id == comment_id).values(status=status.value)
        )

    async def remove(self, comment_id: CommentId) -> None:
        await self._session.execute(delete(CommentRow).where(CommentRow.id == comment_id))

    async def accepted_totals(self, product_id: ProductId) -> tuple[int, int]:
        query = select(func.coalesce(func.sum(CommentRow.score), 0), func.count()).where(
            CommentRow.product_id == product_id,
            CommentRow.status == CommentStatus.ACCEPTED.value,
        )
        total, count = (await self._session.execute(query)).one()
        return int(total), int(count)

    async def listing(
        self, product_id: ProductId | None, statuses: frozenset[CommentStatus], page: Page
    ) -> Paged[Comment]:
        conditions: list[ColumnElement[bool]] = [
            CommentRow.status.in_([status.value for status in statuses])
        ]
        if product_id is not None:
            conditions.append(CommentRow.product_id == product_id)
        order = (CommentRow.created_at.desc(), CommentRow.id.desc())
        rows, total = await fetch_page(
            self._session, select(CommentRow).where(*conditions), order, page
        )
        return Paged([_to_comment(row) for row in rows], total)

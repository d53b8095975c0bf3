"""Comments (contract section "Comments")."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from allora.application.add_comment import AddComment
from allora.application.approve_comment import ApproveComment
from allora.application.delete_comment import DeleteComment
from allora.application.list_all_comments import ListAllComments
from allora.application.list_comments import ListComments
from allora.application.reject_comment import RejectComment
from allora.domain.paging import DEFAULT_LIMIT, Page
from allora.domain.users import User
from allora.entrypoints.http.access import ADMIN, ANYONE
from allora.entrypoints.http.catalogue_cache import CHANGES_CATALOGUE, SHARED
from allora.entrypoints.http.clients import client_address
from allora.entrypoints.http.comments_bodies import (
    AddCommentBody,
    AdminCommentOut,
    CommentCreated,
    CommentIdBody,
    CommentOut,
)
from allora.entrypoints.http.errors import documented
from allora.entrypoints.http.openapi import TOTAL_COUNT
from allora.entrypoints.http.paging import encoded_page, page_response
from allora.entrypoints.http.replies import MessageOut
from allora.entrypoints.http.strict_json import StrictJSON


class CommentsController(Controller):
    path = "/api/comments"
    tags = ["Comments"]

    @post(
        "/",
        dto=StrictJSON[AddCommentBody],
        return_dto=None,
        status_code=201,
        opt=ANYONE,
        responses=documented(400, 404, 413, 429),
    )
    async def add_comment(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[AddCommentBody],
        author: NamedDependency[User | None],
        add_comment: NamedDependency[AddComment],
    ) -> CommentCreated:
        """Posts a comment; it waits for moderation before it shows or counts."""
        comment = await add_comment(
            author=author,
            username=data.username,
            email=data.email,
            body=data.body,
            score=data.score,
            product_id=data.productID,
            client=client_address(request),
        )
        return CommentCreated("Comment received, waiting for moderation", CommentOut.of(comment))

    @get("/", opt=SHARED, responses=documented(400), response_headers=TOTAL_COUNT)
    async def list_comments(
        self,
        list_comments: NamedDependency[ListComments],
        productID: FromQuery[str | None] = None,
        limit: FromQuery[int] = DEFAULT_LIMIT,
        offset: FromQuery[int] = 0,
    ) -> Response[list[CommentOut]]:
        """Accepted comments, newest first, of one product or all; total in `X-Total-Count`."""
        page = Page.parse(limit, offset)
        return encoded_page(await list_comments(product_id=productID, page=page))

    @get("/all", opt=ADMIN, responses=documented(400, 401, 403), response_headers=TOTAL_COUNT)
    async def list_all_comments(
        self,
        actor: NamedDependency[User],
        list_all_comments: NamedDependency[ListAllComments],
        status: FromQuery[str] = "all",
        limit: FromQuery[int] = DEFAULT_LIMIT,
        offset: FromQuery[int] = 0,
    ) -> Response[list[AdminCommentOut]]:
        """Every comment with its email (ADMIN); `status` = pending, accepted, rejected or all."""
        paged = await list_all_comments(actor=actor, status=status, page=Page.parse(limit, offset))
        return page_response([AdminCommentOut.of_admin(c) for c in paged.items], paged.total)

    @put(
        "/accept",
        dto=StrictJSON[CommentIdBody],
        return_dto=None,
        opt=ADMIN | CHANGES_CATALOGUE,
        responses=documented(400, 401, 403, 404, 413),
    )
    async def accept(
        self,
        data: JSONBody[CommentIdBody],
        actor: NamedDependency[User],
        approve_comment: NamedDependency[ApproveComment],
    ) -> MessageOut:
        """Accepts a comment (ADMIN): it shows publicly and counts in the product's score."""
        await approve_comment(actor=actor, comment_id=data.id)
        return MessageOut("Comment accepted")

    @put(
        "/reject",
        dto=StrictJSON[CommentIdBody],
        return_dto=None,
        opt=ADMIN | CHANGES_CATALOGUE,
        responses=documented(400, 401, 403, 404, 413),
    )
    async def reject(
        self,
        data: JSONBody[CommentIdBody],
        actor: NamedDependency[User],
        reject_comment: NamedDependency[RejectComment],
    ) -> MessageOut:
        """Rejects a comment (ADMIN): hidden, and no longer counted in the score."""
        await reject_comment(actor=actor, comment_id=data.id)
        return MessageOut("Comment rejected")

    @delete(
        "/{comment_id:str}",
        status_code=200,
        opt=ADMIN | CHANGES_CATALOGUE,
        responses=documented(400, 401, 403, 404),
    )
    async def delete_comment(
        self,
        comment_id: FromPath[str],
        actor: NamedDependency[User],
        delete_comment: NamedDependency[DeleteComment],
    ) -> MessageOut:
        """Deletes a comment (ADMIN) and updates its product's score."""
        await delete_comment(actor=actor, comment_id=comment_id)
        return MessageOut("Comment deleted")

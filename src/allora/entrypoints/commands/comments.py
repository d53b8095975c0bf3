"""`allora comments`: the moderation queue, and approving or rejecting a comment."""

from __future__ import annotations

import click

from allora.entrypoints.commands._common import acting, page, paging, run_as, show, show_one
from allora.entrypoints.http.comments_bodies import AdminCommentOut

COLUMNS = ("id", "created_at", "product", "username", "email", "score", "body")


@click.group()
def comments() -> None:
    """Comment moderation (ADMIN): pending, approve, reject."""


@comments.command()
@acting
@paging
def pending(acting: str, as_json: bool, limit: int, offset: int) -> None:
    """Comments waiting for moderation, newest first."""
    paged = run_as(
        acting,
        lambda cases, actor: cases.list_all_comments(
            actor=actor, status="pending", page=page(limit, offset)
        ),
    )
    show([AdminCommentOut.of_admin(c) for c in paged.items], COLUMNS, as_json, paged.total)


@comments.command()
@acting
@click.argument("comment_id")
def approve(acting: str, as_json: bool, comment_id: str) -> None:
    """Accept COMMENT_ID: it shows publicly and counts in its product's score."""
    run_as(acting, lambda cases, actor: cases.approve_comment(actor=actor, comment_id=comment_id))
    show_one("Comment accepted", as_json)


@comments.command()
@acting
@click.argument("comment_id")
def reject(acting: str, as_json: bool, comment_id: str) -> None:
    """Reject COMMENT_ID: hidden, and no longer counted in the score."""
    run_as(acting, lambda cases, actor: cases.reject_comment(actor=actor, comment_id=comment_id))
    show_one("Comment rejected", as_json)

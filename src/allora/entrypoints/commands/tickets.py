"""`allora tickets`: support tickets with their answers, and answering one."""

from __future__ import annotations

import click

from allora.entrypoints.commands._common import acting, page, paging, run_as, show, show_one
from allora.entrypoints.http.tickets_bodies import ThreadOut

COLUMNS = ("id", "created_at", "name", "email", "hasAnswer", "answers", "message")


@click.group()
def tickets() -> None:
    """Support tickets: list, answer (ADMIN)."""


@tickets.command("list")
@acting
@paging
def list_tickets(acting: str, as_json: bool, limit: int, offset: int) -> None:
    """Every ticket with its answers (an ADMIN's view; a USER sees their own, as over HTTP)."""
    paged = run_as(
        acting, lambda cases, actor: cases.list_tickets(actor=actor, page=page(limit, offset))
    )
    show([ThreadOut.of_thread(t) for t in paged.items], COLUMNS, as_json, paged.total)


@tickets.command()
@acting
@click.argument("ticket_id")
@click.option("--message", required=True, help="The answer, mailed to the ticket's email.")
def answer(acting: str, as_json: bool, ticket_id: str, message: str) -> None:
    """Answer TICKET_ID; the answer is mailed to whoever opened it."""
    run_as(
        acting,
        lambda cases, actor: cases.answer_ticket(actor=actor, ticket_id=ticket_id, message=message),
    )
    show_one("Answer sent", as_json)

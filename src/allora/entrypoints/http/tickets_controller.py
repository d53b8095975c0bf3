"""Tickets (contract section "Tickets")."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery, JSONBody

from allora.application.answer_ticket import AnswerTicket
from allora.application.list_tickets import ListTickets
from allora.application.open_ticket import OpenTicket
from allora.domain.paging import DEFAULT_LIMIT, Page
from allora.domain.users import User
from allora.entrypoints.http.access import ADMIN, ANYONE, SIGNED_IN
from allora.entrypoints.http.clients import client_address
from allora.entrypoints.http.errors import documented
from allora.entrypoints.http.openapi import TOTAL_COUNT
from allora.entrypoints.http.paging import page_response
from allora.entrypoints.http.replies import MessageOut
from allora.entrypoints.http.strict_json import StrictJSON
from allora.entrypoints.http.tickets_bodies import (
    AnswerTicketBody,
    OpenTicketBody,
    ThreadOut,
)


class TicketsController(Controller):
    path = "/api/tickets"
    tags = ["Tickets"]

    @post(
        "/",
        dto=StrictJSON[OpenTicketBody],
        return_dto=None,
        status_code=200,
        opt=ANYONE,
        responses=documented(400, 413, 429),
    )
    async def open_ticket(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[OpenTicketBody],
        author: NamedDependency[User | None],
        open_ticket: NamedDependency[OpenTicket],
    ) -> MessageOut:
        """Opens a support ticket; linked to the signed-in user when there is one."""
        await open_ticket(
            author=author,
            name=data.name,
            message=data.message,
            phone=data.phone,
            email=data.email,
            client=client_address(request),
        )
        return MessageOut("Ticket received")

    @get("/", opt=SIGNED_IN, responses=documented(400, 401), response_headers=TOTAL_COUNT)
    async def list_tickets(
        self,
        actor: NamedDependency[User],
        list_tickets: NamedDependency[ListTickets],
        limit: FromQuery[int] = DEFAULT_LIMIT,
        offset: FromQuery[int] = 0,
    ) -> Response[list[ThreadOut]]:
        """A USER's own tickets, or every ticket for an ADMIN, each with its answers."""
        paged = await list_tickets(actor=actor, page=Page.parse(limit, offset))
        return page_response([ThreadOut.of_thread(t) for t in paged.items], paged.total)

    @post(
        "/answer",
        dto=StrictJSON[AnswerTicketBody],
        return_dto=None,
        status_code=200,
        opt=ADMIN,
        responses=documented(400, 401, 403, 404, 413),
    )
    async def answer(
        self,
        data: JSONBody[AnswerTicketBody],
        actor: NamedDependency[User],
        answer_ticket: NamedDependency[AnswerTicket],
    ) -> MessageOut:
        """Answers a ticket (ADMIN)."""
        await answer_ticket(actor=actor, ticket_id=data.ticketID, message=data.message)
        return MessageOut("Answer sent")

"""`allora orders`: every order (newest first), and moving one along its statuses."""

from __future__ import annotations

import click

from allora.domain.orders import OrderStatus
from allora.entrypoints.commands._common import acting, page, paging, run_as, show, show_one
from allora.entrypoints.http.orders_bodies import OrderOut

COLUMNS = ("id", "created_at", "status", "user", "lines", "total")
STATUSES = click.Choice([status.value for status in OrderStatus])


@click.group()
def orders() -> None:
    """Orders: list, status (ADMIN; a USER only sees and cancels their own, as over HTTP)."""


@orders.command("list")
@acting
@paging
@click.option("--status", type=STATUSES, help="Only the orders with this status.")
def list_orders(acting: str, as_json: bool, limit: int, offset: int, status: str | None) -> None:
    """Every user's orders, newest first."""
    wanted = None if status is None else OrderStatus(status)
    paged = run_as(
        acting,
        lambda cases, actor: cases.list_orders(
            actor=actor, status=wanted, page=page(limit, offset)
        ),
    )
    show([OrderOut.of(order) for order in paged.items], COLUMNS, as_json, paged.total)


@orders.command()
@acting
@click.argument("order_id")
@click.argument("new_status", metavar="STATUS", type=STATUSES)
def status(acting: str, as_json: bool, order_id: str, new_status: str) -> None:
    """Move ORDER_ID to STATUS: pending -> paid -> shipped -> delivered, or cancelled from
    pending or paid (which returns the stock)."""
    changed = run_as(
        acting,
        lambda cases, actor: cases.change_order_status(
            actor=actor, order_id=order_id, status=OrderStatus(new_status)
        ),
    )
    show_one(OrderOut.of(changed), as_json)

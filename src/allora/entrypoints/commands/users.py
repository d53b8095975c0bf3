"""`allora users`: list accounts, ban an email and phone, switch a role."""

from __future__ import annotations

import click

from allora.entrypoints.commands._common import acting, page, paging, run_as, show, show_one
from allora.entrypoints.http.users_bodies import UserOut

COLUMNS = ("id", "name", "email", "phone", "role", "created_at")


@click.group()
def users() -> None:
    """Accounts (ADMIN): list, ban, role."""


@users.command("list")
@acting
@paging
def list_users(acting: str, as_json: bool, limit: int, offset: int) -> None:
    """Every account, oldest first."""
    paged = run_as(
        acting, lambda cases, actor: cases.list_users(actor=actor, page=page(limit, offset))
    )
    show([UserOut.of(user) for user in paged.items], COLUMNS, as_json, paged.total)


@users.command()
@acting
@click.option("--email", help="The email to ban.")
@click.option("--phone", help="The phone to ban.")
def ban(acting: str, as_json: bool, email: str | None, phone: str | None) -> None:
    """Ban an email and/or a phone: no sign-up or sign-in, the accounts' sessions end."""
    run_as(acting, lambda cases, actor: cases.ban_user(actor=actor, email=email, phone=phone))
    show_one("User banned", as_json)


@users.command()
@acting
@click.argument("user_id")
def role(acting: str, as_json: bool, user_id: str) -> None:
    """Switch USER_ID between USER and ADMIN (the last ADMIN cannot be demoted)."""
    new_role = run_as(acting, lambda cases, actor: cases.toggle_role(actor=actor, user_id=user_id))
    show_one(f"Role changed to {new_role.value}", as_json)

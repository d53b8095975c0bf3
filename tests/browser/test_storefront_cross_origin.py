"""A storefront on its own origin, listed in `ALLORA_CORS_ORIGINS`, uses the API cross-origin
with `fetch(..., {credentials: "include"})`: the session cookie travels and every answer is
readable by the page."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.sync_api import BrowserContext

from tests.browser.helpers import Stack, account, open_page

pytestmark = pytest.mark.browser


def test_a_listed_origin_signs_up_reads_the_session_opens_a_ticket_and_signs_out(
    stack: Stack, context: BrowserContext
) -> None:
    page = open_page(context, stack.storefront.origin)
    shopper = account("shopper")
    api = stack.api

    signed = page.evaluate("([api, a]) => shop.signUp(api, a)", [api, shopper])
    assert signed["status"] == 201, signed
    assert set(signed["body"]) == {"message"}
    me = page.evaluate("api => shop.me(api)", api)
    assert me["status"] == 200
    assert (me["body"]["name"], me["body"]["email"]) == (shopper["name"], shopper["email"])
    assert me["body"]["role"] == "USER"
    assert page.evaluate("() => document.cookie") == ""  # HttpOnly: no script reads it
    (cookie,) = [c for c in context.cookies() if c["name"] == "token"]
    assert (cookie["httpOnly"], cookie["sameSite"], cookie["path"]) == (True, "Lax", "/")

    ticket = {**{k: shopper[k] for k in ("name", "phone", "email")}, "message": "Where is it?"}
    opened = page.evaluate("([api, t]) => shop.openTicket(api, t)", [api, ticket])
    assert opened["status"] == 200, opened
    assert _ticket_owner(stack.admin, "Where is it?") == me["body"]["id"]

    out = page.evaluate("api => shop.signOut(api)", api)
    assert out["status"] == 200, out
    after = page.evaluate("api => shop.me(api)", api)
    assert after["status"] == 401
    assert after["body"]["data"] is None
    # Revoked on the server, not only forgotten by the browser.
    copied = httpx.get(f"{stack.direct}/api/auth/me/", cookies={"token": cookie["value"]})
    assert copied.status_code == 401


def _ticket_owner(admin: httpx.Client, message: str) -> Any:
    listed = admin.get("/api/tickets/", params={"limit": 200})
    assert listed.status_code == 200, listed.text
    (ticket,) = [t for t in listed.json() if t["message"] == message]
    return ticket["user"]

"""A page from an origin that `ALLORA_CORS_ORIGINS` does not list, opened in the browser of a
signed-in shopper, can neither read nor change anything.

The foreign site is `localhost` on another port: the same *site* as the API (the port does
not count), so `SameSite=Lax` does not keep the cookie from its requests. CORS keeps the
answers from its scripts, and the Origin check refuses its state-changing requests."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.browser.helpers import Stack, account, open_page, ticket_total
from tests.browser.pages import forms_page

pytestmark = pytest.mark.browser

REFUSED = {"message": "Cross-origin request refused: origin not allowed"}


def signed_in_shopper(stack: Stack, context: BrowserContext) -> tuple[Page, dict[str, Any]]:
    """The storefront's tab, signed in as a new shopper, and what `/api/auth/me/` says."""
    page = open_page(context, stack.storefront.origin)
    signed = page.evaluate("([api, a]) => shop.signUp(api, a)", [stack.api, account("victim")])
    assert signed["status"] == 201, signed
    me = page.evaluate("api => shop.me(api)", stack.api)
    assert me["status"] == 200, me
    return page, me["body"]


def test_a_foreign_page_cannot_read_the_session(stack: Stack, context: BrowserContext) -> None:
    storefront, user = signed_in_shopper(stack, context)
    foreign = open_page(context, stack.foreign.origin)

    read = foreign.evaluate("api => shop.me(api)", stack.api)
    assert read == {"error": "TypeError: Failed to fetch"}
    listed = foreign.evaluate(
        "api => fetch(api + '/api/tickets/', {credentials: 'include'})"
        ".then(r => r.status, e => String(e))",
        stack.api,
    )
    assert listed == "TypeError: Failed to fetch"
    # The same calls from the listed origin, in the same browser, do read the session.
    assert storefront.evaluate("api => shop.me(api)", stack.api)["body"] == user


def test_foreign_scripts_change_nothing(stack: Stack, context: BrowserContext) -> None:
    storefront, user = signed_in_shopper(stack, context)
    foreign = open_page(context, stack.foreign.origin)
    tickets = ticket_total(stack.admin)
    ticket = {
        "name": "mallory",
        "message": "from a foreign script",
        "phone": "5550000000",
        "email": "mallory@example.com",
    }

    # The storefront's own calls get no answer here: the JSON ticket's preflight grants the
    # foreign origin nothing (so it is never sent); the bodiless sign-out needs no preflight,
    # and its answer is withheld from the page.
    sent = foreign.evaluate("([api, t]) => shop.openTicket(api, t)", [stack.api, ticket])
    assert sent == {"error": "TypeError: Failed to fetch"}
    sent = foreign.evaluate("api => shop.signOut(api)", stack.api)
    assert sent == {"error": "TypeError: Failed to fetch"}
    # Requests that need no preflight reach the server: the Origin check refuses them
    # (without it: a ticket in the shopper's name, and the shopper signed out).
    for path, body in (("/api/tickets/", ticket), ("/api/auth/signout/", None)):
        assert blind_post(foreign, f"{stack.api}{path}", body) == 403, path

    assert ticket_total(stack.admin) == tickets
    assert storefront.evaluate("api => shop.me(api)", stack.api)["body"] == user  # still in


def test_foreign_forms_change_nothing(stack: Stack, context: BrowserContext) -> None:
    storefront, user = signed_in_shopper(stack, context)
    tickets = ticket_total(stack.admin)
    profile = {"name": "pwned", "phone": "5559999999", "email": "pwned@example.com"}
    stack.foreign.pages["/forms.html"] = forms_page(stack.api, profile)
    foreign = context.new_page()

    for form in ("ticket", "profile"):
        foreign.goto(f"{stack.foreign.origin}/forms.html")
        with foreign.expect_navigation() as navigation:
            foreign.click(f"#{form} button")
        answer = navigation.value
        assert answer is not None
        assert answer.request.header_value("origin") == stack.foreign.origin
        assert (answer.status, answer.json()) == (403, REFUSED), form

    assert ticket_total(stack.admin) == tickets
    assert storefront.evaluate("api => shop.me(api)", stack.api)["body"] == user


def test_a_form_is_refused_by_a_json_endpoint_even_from_a_listed_origin(
    stack: Stack, context: BrowserContext
) -> None:
    """The second line of defence: past the Origin check, a form's content type is not JSON."""
    storefront, user = signed_in_shopper(stack, context)
    profile = {"name": "pwned", "phone": "5559999998", "email": "pwned2@example.com"}
    stack.storefront.pages["/forms.html"] = forms_page(stack.api, profile)
    storefront.goto(f"{stack.storefront.origin}/forms.html")
    with storefront.expect_navigation() as navigation:
        storefront.click("#profile button")
    answer = navigation.value
    assert answer is not None
    assert answer.request.header_value("origin") == stack.storefront.origin
    assert answer.status == 415

    check = open_page(context, stack.storefront.origin)
    assert check.evaluate("api => shop.me(api)", stack.api)["body"] == user


def blind_post(page: Page, url: str, body: Any) -> int:
    """Posts from `page` without a preflight (`no-cors`, `text/plain`, the cookie included):
    the page gets an opaque answer; the test reads the status the server sent off the network
    (Chromium keeps no body of an opaque answer)."""
    text = None if body is None else json.dumps(body)
    with page.expect_response(lambda r: r.url == url and r.request.method == "POST") as seen:
        opaque = page.evaluate("([url, body]) => shop.blind(url, body)", [url, text])
    assert opaque == {"type": "opaque", "status": 0}
    return seen.value.status

"""The storefront's same-origin setup: one origin serves the pages and forwards `/api` and
`/media` to the API (as a Next.js rewrite does: the browser's `Origin` and cookies as they
are, `Host` the API's). The pages call `fetch("/api/...")`.

What it needs: the proxy's public origin in `ALLORA_CORS_ORIGINS`. The browser sends that
origin on every POST, even same-origin ones, and the Origin check accepts only listed origins;
unlisted, the proxied storefront cannot even sign up."""

from __future__ import annotations

from io import BytesIO

import httpx
import pytest
from PIL import Image
from playwright.sync_api import BrowserContext

from tests.browser.helpers import Stack, account, open_page

pytestmark = pytest.mark.browser


def test_a_listed_proxy_origin_signs_up_reads_the_session_and_signs_out(
    stack: Stack, context: BrowserContext
) -> None:
    image = product_image(stack.admin)
    page = open_page(context, stack.proxy.origin)
    shopper = account("proxied")
    stack.proxy.forwarded_origins.clear()

    signed = page.evaluate("a => shop.signUp('', a)", shopper)
    assert signed["status"] == 201, signed
    me = page.evaluate("() => shop.me('')")
    assert me["status"] == 200, me
    assert me["body"]["email"] == shopper["email"]
    assert page.evaluate("src => shop.loadImage(src)", image) == {"width": 8}
    out = page.evaluate("() => shop.signOut('')")
    assert out["status"] == 200, out
    after = page.evaluate("() => shop.me('')")
    assert after["status"] == 401, after

    # The browser named the proxy's origin on both POSTs, and on no GET.
    origins = stack.proxy.forwarded_origins
    assert origins == [stack.proxy.origin, None, None, stack.proxy.origin, None], origins


def test_an_unlisted_proxy_origin_is_refused_every_change(
    stack: Stack, context: BrowserContext
) -> None:
    page = open_page(context, stack.unlisted_proxy.origin)

    signed = page.evaluate("a => shop.signUp('', a)", account("unlisted"))
    assert signed == {
        "status": 403,
        "body": {"message": "Cross-origin request refused: origin not allowed"},
    }
    assert page.evaluate("() => shop.me('')")["status"] == 401
    assert context.cookies() == []


def product_image(admin: httpx.Client) -> str:
    """The URL (`/media/<name>`) of an 8x8 PNG, uploaded with a new product by the ADMIN."""
    buffer = BytesIO()
    Image.new("RGB", (8, 8), (30, 120, 200)).save(buffer, format="PNG")
    created = admin.post(
        "/api/products/",
        data={
            "name": "Proxied shirt",
            "price": "19.90",
            "description": "Seen through the proxy",
            "category": "shirts",
            "stock": "3",
            "discount": "0",
        },
        files={"img": ("shirt.png", buffer.getvalue(), "image/png")},
    )
    assert created.status_code == 201, created.text
    (url,) = created.json()["data"]["images"]
    assert url.startswith("/media/")
    return str(url)


def test_a_page_on_the_apis_own_origin_may_change_things(
    stack: Stack, context: BrowserContext
) -> None:
    page = context.new_page()
    page.goto(f"{stack.api}/health")
    status = page.evaluate(
        """a => fetch("/api/auth/signup/", {
             method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(a),
           }).then(r => r.status)""",
        account("own"),
    )
    assert status == 201, status

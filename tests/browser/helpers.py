"""What the browser tests share besides fixtures: the running stack, accounts, pages."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx
from playwright.sync_api import BrowserContext, Page

from tests.browser.sites import Site
from tests.integration.servers import SECRET

PASSWORD = "Passw0rd!"


@dataclass(frozen=True)
class Stack:
    """The API and the sites around it. `api` is how pages name the API (`localhost`: the same
    site as the pages, as a storefront on a sibling port would be); `direct` is for httpx."""

    api: str
    direct: str
    storefront: Site
    foreign: Site
    proxy: Site
    unlisted_proxy: Site
    admin: httpx.Client


def migrate(var: Path, database_url: str) -> None:
    """`allora db upgrade`, as an operator runs it before starting the server."""
    allora = str(Path(sys.executable).with_name("allora"))
    env = {
        **os.environ,
        "ALLORA_VAR_DIR": str(var),
        "ALLORA_SECRET_KEY": SECRET,
        "ALLORA_ENV": "test",
        "ALLORA_DATABASE_URL": database_url,
    }
    subprocess.run([allora, "db", "upgrade"], env=env, check=True, capture_output=True)


def open_page(context: BrowserContext, url: str) -> Page:
    """A tab showing `url`, once its client script has run."""
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("() => window.shop !== undefined")
    return page


_serial = itertools.count(1)


def account(prefix: str) -> dict[str, str]:
    """Sign-up fields of a new account (unique names, emails and phones within the run)."""
    number = next(_serial)
    name = f"{prefix}{number}"
    return {
        "name": name,
        "email": f"{name}@example.com",
        "phone": f"555{number:07d}",
        "password": PASSWORD,
    }


def ticket_total(admin: httpx.Client) -> int:
    """Every ticket in the shop, counted by the ADMIN over the API."""
    listed = admin.get("/api/tickets/", params={"limit": 1})
    assert listed.status_code == 200, listed.text
    return int(listed.headers["X-Total-Count"])

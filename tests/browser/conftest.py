"""Headless Chromium against a real `allora serve` and pages served on other origins.

One API process (SQLite in a temporary folder) serves the whole package; its
`ALLORA_CORS_ORIGINS` lists the storefront's origin and the listed proxy's, not the foreign
site's nor the unlisted proxy's. Every test gets a fresh browser context (no cookies); on
failure each of its pages is saved as a PNG under `test-output/browser/`. Without Chromium the
tests skip, unless CI requires them (`ALLORA_REQUIRE_POSTGRES`, as for the other services).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import ExitStack, suppress
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from tests.browser.helpers import Stack, account, migrate
from tests.browser.pages import site_pages
from tests.browser.sites import Site, serving
from tests.integration.servers import running_shop

REQUIRED = bool(os.environ.get("ALLORA_REQUIRE_POSTGRES"))
OUTPUT = Path(__file__).resolve().parents[2] / "test-output" / "browser"
WAIT_MS = 10_000
# Playwright adds --headless and a fresh --user-data-dir itself; the rest keep Chromium from
# calling out to Google's services, which this machine's closed network refuses.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call" and report.failed:
        item.stash[FAILED] = True
    return report


@pytest.fixture(scope="package")
def chromium() -> str:
    """Debian's Chromium (Playwright cannot download its own browser here), or the one
    `ALLORA_TEST_CHROMIUM` names."""
    wanted = os.environ.get("ALLORA_TEST_CHROMIUM", "chromium")
    path = shutil.which(wanted)
    if path is None:
        reason = f"Chromium not found as {wanted!r} (apt-get install -y chromium)"
        if REQUIRED:
            pytest.fail(f"{reason}; CI requires the browser tests (ALLORA_REQUIRE_POSTGRES)")
        pytest.skip(reason)
    return path


@pytest.fixture(scope="package")
def browser(chromium: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="package")
def stack(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The API and the sites around it (after `chromium`: no servers for tests that skip)."""
    var = tmp_path_factory.mktemp("browser-shop")
    with ExitStack() as running:
        storefront = running.enter_context(serving(Site(site_pages("Storefront"))))
        foreign = running.enter_context(serving(Site(site_pages("Foreign site"))))
        proxy = Site(site_pages("Proxied storefront"))
        unlisted = Site(site_pages("Unlisted proxy"))
        settings = {
            "database_url": f"sqlite+aiosqlite:///{var / 'allora.db'}",
            "cors_origins": f"{storefront.origin},{proxy.origin}",
        }
        migrate(var, settings["database_url"])
        direct = running.enter_context(running_shop(var, settings))
        api = direct.replace("127.0.0.1", "localhost")
        proxy.upstream = unlisted.upstream = direct
        running.enter_context(serving(proxy))
        running.enter_context(serving(unlisted))
        admin = running.enter_context(httpx.Client(base_url=direct, timeout=30))
        signed = admin.post("/api/auth/signup/", json=account("admin"))
        assert signed.status_code == 201, signed.text  # the first account: ADMIN
        yield Stack(api, direct, storefront, foreign, proxy, unlisted, admin)


@pytest.fixture
def context(browser: Browser, request: pytest.FixtureRequest) -> Iterator[BrowserContext]:
    """A fresh browser profile for one test; its pages are photographed if the test fails."""
    fresh = browser.new_context()
    fresh.set_default_timeout(WAIT_MS)
    yield fresh
    if request.node.stash.get(FAILED, False):
        OUTPUT.mkdir(parents=True, exist_ok=True)
        stem = re.sub(r"[^\w.-]+", "_", request.node.name)
        for number, page in enumerate(fresh.pages):
            with suppress(PlaywrightError):  # a crashed page must not hide the failure
                page.screenshot(path=OUTPUT / f"{stem}-{number}.png", full_page=True)
    fresh.close()

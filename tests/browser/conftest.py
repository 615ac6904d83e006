"""Browser fixtures: Debian's Chromium driven by Playwright, and the real app on a free port.

``make test`` runs the suite in two pytest-xdist workers: every browser test runs in one of them, one
after the other, on that worker's one app server and one Chromium (tests/conftest.py,
``pytest_xdist_make_scheduler``), while the other worker runs the unit, page and CLI tests."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from tests.browser.helpers import CHROMIUM_ARGS, PHONE, AppServer, require_chromium


@pytest.fixture(scope="session")
def app_server(browser):
    """The real app, started once per session on a free port."""
    require_chromium()
    server = AppServer()
    server.start()
    server.warm_up(browser)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    path = require_chromium()
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    yield pg
    ctx.close()


@pytest.fixture
def phone(browser):
    ctx = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True)
    pg = ctx.new_page()
    yield pg
    ctx.close()

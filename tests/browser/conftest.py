"""Browser fixtures: Debian's Chromium driven by Playwright, and the real app on a free port.

``make test`` runs the suite in two pytest-xdist workers (``--dist loadgroup``): every browser test is in
one group, so they all run in one worker, one after the other, on that worker's one app server and one
Chromium (no two Chromiums on the CI machine's two cores; screenshot names cannot collide), while the
other worker runs the unit, page and CLI tests."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from tests.browser.helpers import CHROMIUM_ARGS, PHONE, AppServer, require_chromium


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Put every browser test in the xdist group "browser" (before xdist reads the groups)."""
    here = config.rootpath / "tests" / "browser"
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.xdist_group("browser"))


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

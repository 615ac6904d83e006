"""Shared fixtures: paths, the embedded dataset, ../shared, and cache hygiene for AppTest."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SCREENSHOTS = ROOT / "tests" / "screenshots"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def page_path(name: str) -> str:
    """Absolute path of a page file (AppTest resolves relative paths against the test file)."""
    return str(ROOT / "pages" / name)


@pytest.fixture(scope="session")
def ds():
    from dsdash.dataset import load_embedded

    return load_embedded()


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"../shared is not beside the checkout ({SHARED}); seed and boundary checks need it")
    return SHARED


@pytest.fixture
def boundaries_dir(shared_dir) -> Path:
    d = shared_dir / "boundaries"
    if not (d / "irq_admbnda_adm1_cso_20190603.geojson").exists():
        pytest.skip(f"COD-AB boundaries not found in {d}")
    return d


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    """Caches persist across AppTest runs in one process: start every test clean."""
    yield
    if "streamlit" in sys.modules:
        import streamlit as st

        st.cache_data.clear()
        st.cache_resource.clear()


@pytest.fixture(scope="session")
def app_server(browser):
    """The real app, started once per session on a free port."""
    from tests.browser import AppServer, require_chromium

    require_chromium()
    server = AppServer()
    server.start()
    server.warm_up(browser)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    from tests.browser import CHROMIUM_ARGS, require_chromium

    path = require_chromium()
    from playwright.sync_api import sync_playwright

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

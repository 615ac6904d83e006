"""Shared fixtures: the embedded dataset, ../shared, and cache hygiene for AppTest.

Paths live in tests/support/paths.py; the page-run fixture in tests/pages/conftest.py; the
browser fixtures in tests/browser/conftest.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.support.paths import ROOT, SHARED

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session", autouse=True)
def _isolated_workspace(tmp_path_factory):
    """Every test session uses its own workspace: DSDASH_HOME in a temp folder (inherited by the
    subprocesses the tests start), no DSDASH_DATABASE_URL. Nothing touches ~/.local."""
    from tests.support.workspace import own_workspace

    with own_workspace(tmp_path_factory.mktemp("dsdash_home")):
        yield


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

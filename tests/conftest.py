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


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``make test`` (``-n 2 --dist loadgroup``): the tests of one module go to one worker, and all the
    browser tests (tests/browser/) are one group that one worker runs, on its one app server and one
    Chromium (no two Chromiums on CI's two cores, no two tests writing one screenshot), while the other
    worker runs the rest. Groups go out largest first (the browser tests among the first).

    xdist's own ``xdist_group`` mark does not group with pytest 9 (it renames ``item._nodeid``, which
    pytest 9 no longer reads), hence this scheduler, which groups by the test's path."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class BrowserTestsInOneWorker(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "tests/browser/" if nodeid.startswith("tests/browser/") else nodeid.split("::", 1)[0]

    return BrowserTestsInOneWorker(config, log)


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

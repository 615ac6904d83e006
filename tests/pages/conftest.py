"""The one way the page tests run a page: ``run_page(name, query, session, timeout)``."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from tests.support.paths import page_path


def _rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def run_page() -> Callable[..., AppTest]:
    """Run ``pages/<name>`` once with the URL query and session state given; fail on any exception."""

    def run(name: str, query: dict | None = None, session: dict | None = None, timeout: float = 60) -> AppTest:
        at = AppTest.from_file(page_path(name), default_timeout=timeout)
        for k, v in (query or {}).items():
            at.query_params[k] = v
        for k, v in (session or {}).items():
            at.session_state[k] = v
        return _rerun(at)

    return run


@pytest.fixture
def rerun() -> Callable[[AppTest], AppTest]:
    """Run a page again after a widget changed; fail on any exception."""
    return _rerun

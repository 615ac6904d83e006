"""The store tests run against SQLite and against a real PostgreSQL (tests/support/postgres.py)."""

from __future__ import annotations

import pytest

from tests.support.postgres import postgres_server, postgres_url  # noqa: F401 - fixtures


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """An empty workspace URL: a new SQLite file, or a new database on the throwaway PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'workspace.sqlite'}"
    return request.getfixturevalue("postgres_url")

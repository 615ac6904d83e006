"""A workspace of the tests' own: DSDASH_HOME in a temp folder, no DSDASH_DATABASE_URL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_KEYS = ("DSDASH_HOME", "DSDASH_DATABASE_URL")


@contextmanager
def own_workspace(home: Path) -> Iterator[None]:
    """Point dsdash (and the subprocesses tests start) at ``home`` for the duration; restore after."""
    saved = {k: os.environ.get(k) for k in _KEYS}
    os.environ["DSDASH_HOME"] = str(home)
    os.environ.pop("DSDASH_DATABASE_URL", None)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v

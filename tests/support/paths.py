"""Paths the tests use, independent of where a test file sits or pytest is started from."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
SCREENSHOTS = ROOT / "tests" / "screenshots"


def page_path(name: str) -> str:
    """Absolute path of a page file (AppTest resolves relative paths against the test file)."""
    return str(ROOT / "pages" / name)

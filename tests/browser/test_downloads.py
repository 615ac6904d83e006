"""Downloads in a real browser, on data whose names are formulas: the CSV of a download
button and the grid's own "Download as CSV" both hold neutralised text."""

import csv
import io
import shutil

import pytest

from dsdash.dataset import DATA_DIR
from tests.browser.helpers import AppServer, assert_no_errors, require_chromium, screenshot, wait_for_app

pytestmark = pytest.mark.browser

EVIL_NAME = '=HYPERLINK("http://evil.example","click")'
EVIL_SOURCE = "=cmd|' /C calc'!A0"


@pytest.fixture(scope="module")
def evil_server(tmp_path_factory, browser):
    require_chromium()
    d = tmp_path_factory.mktemp("evil-data")
    for f in DATA_DIR.glob("*.csv"):
        shutil.copy(f, d / f.name)
    rows = list(csv.reader(open(d / "sites.csv", encoding="utf-8-sig", newline="")))
    header = rows[0]
    rows[1][header.index("site_name")] = EVIL_NAME
    rows[1][header.index("source")] = EVIL_SOURCE
    with open(d / "sites.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    server = AppServer(env={"DSDASH_DATA_DIR": str(d)})
    server.start()
    server.warm_up(browser)
    yield server
    server.stop()


def _cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text)) for c in row]


def test_download_button_and_grid_export_hold_no_formula(evil_server, page, tmp_path):
    page.goto(evil_server.url)
    wait_for_app(page)
    assert_no_errors(page, "Overview")
    page.get_by_text("Download the data").click()
    page.wait_for_timeout(500)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Sites CSV").click()
    info.value.save_as(tmp_path / "sites.csv")
    text = (tmp_path / "sites.csv").read_text(encoding="utf-8-sig")
    cells = _cells(text)
    assert "'" + EVIL_NAME in cells and "'" + EVIL_SOURCE in cells
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    screenshot(page, "overview-downloads")

    # Chromium offers the File System Access API, which the grid prefers (a save dialog, no
    # download event); without it the grid falls back to an ordinary download.
    page.evaluate("() => { window.showSaveFilePicker = undefined; }")
    # the Data sources table (the by-area table comes first on the page since issue 16)
    grid = page.get_by_role("heading", name="Data sources").locator(
        "xpath=following::*[@data-testid='stDataFrame'][1]")
    grid.scroll_into_view_if_needed()
    grid.hover()
    page.wait_for_timeout(500)
    box = grid.locator("xpath=ancestor::*[@data-testid='stElementContainer'][1]")
    button = box.locator('[data-testid="stElementToolbarButton"]').filter(
        has=page.locator('[aria-label="Download as CSV"]')).first
    if not button.count():
        button = box.get_by_role("button", name="Download as CSV").first
    with page.expect_download(timeout=60_000) as info:
        button.click()
    info.value.save_as(tmp_path / "grid.csv")
    grid_cells = _cells((tmp_path / "grid.csv").read_text(encoding="utf-8-sig"))
    assert any(c.startswith("'" + EVIL_SOURCE) for c in grid_cells)  # the documents the 'sites' rows cite
    assert not any(c.startswith(("=", "+", "@")) for c in grid_cells)

"""In the real app (headless Chromium): upload a national Master List (~3,700 invented
locations, XLSX as IOM publishes it) on the Upload page, make it active, then visit every
other page in the same session: no exception anywhere. Screenshots in tests/screenshots/."""

import pytest

from tests.browser.helpers import assert_no_errors, screenshot, wait_for_app
from tests.support.paths import ROOT
from tests.support.dtm_fixtures import locations, master_list
from ui.nav import PAGES

pytestmark = pytest.mark.browser

N = 3700


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    fx = master_list(locations(N, seed=42), fmt="xlsx", totals_row=True)
    path = tmp_path_factory.mktemp("upload") / fx.filename
    path.write_bytes(fx.data)
    return fx, path


def _wait_idle(page, timeout_ms=120_000):
    page.wait_for_timeout(500)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms)
    page.wait_for_timeout(800)


def test_upload_national_master_list_then_every_page(app_server, page, national):
    fx, path = national
    page.goto(f"{app_server.url}/upload")
    wait_for_app(page)
    assert_no_errors(page, "upload (empty)")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    page.get_by_text("What each file gave").wait_for(timeout=120_000)
    _wait_idle(page)
    assert_no_errors(page, "upload (report)")
    body = page.inner_text("body")
    assert "1 problem: errors reject the row" in body  # the totals row, one cell (grids are canvases)
    screenshot(page, "upload-report")
    page.get_by_role("button", name="Use in this session only").click()
    page.get_by_text("Active data: your files").wait_for(timeout=120_000)
    _wait_idle(page)
    assert_no_errors(page, "upload (active)")
    assert f"Uploads: {fx.filename}" in page.locator('[data-testid="stSidebar"]').inner_text()
    screenshot(page, "upload-active")

    visited = []
    for file, title, _icon in PAGES:
        if file == "pages/upload.py" or not (ROOT / file).exists():
            continue
        page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
        wait_for_app(page, timeout_ms=180_000)
        _wait_idle(page, 180_000)
        assert_no_errors(page, f"{title} after upload")
        sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
        assert f"Uploads: {fx.filename}" in sidebar, f"{title}: the session lost the uploaded data"
        screenshot(page, f"after-upload-{file.split('/')[-1].removesuffix('.py')}")
        visited.append(title)
        if file == "pages/overview.py":
            body = page.inner_text("body")
            assert f"{N:,}" in body and f"{fx.individuals:,}" in body, "Overview does not show the uploaded totals"
    assert "Overview" in visited

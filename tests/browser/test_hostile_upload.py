"""In the real app: while one session uploads a decompression bomb and a 200,000-row workbook (read in
the worker process, one after the other), a second session keeps working: its as-of date changes
settle in seconds, and the first session gets a clear refusal for the bomb and its rows for the rest."""

from __future__ import annotations

import time

import pytest

from tests.browser.helpers import assert_no_errors, screenshot, wait_for_app
from tests.support.hostile import write_corpus

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile-upload")
    cases = {c.name: c for c in write_corpus(folder, only={"xlsx_bomb_padded", "xlsx_200k_rows"})}
    return [folder / cases[n].filename for n in ("xlsx_bomb_padded", "xlsx_200k_rows")]


def _settled(page, want: str | None = None, timeout_ms: int = 30_000) -> None:
    js = """(want) => {
      const app = document.querySelector('[data-testid="stApp"]');
      return app && app.getAttribute('data-test-script-state') === 'notRunning'
             && (!want || location.search.includes('as_of=' + want));
    }"""
    page.wait_for_function(js, arg=want, timeout=timeout_ms, polling=50)
    page.wait_for_timeout(150)
    page.wait_for_function(js, arg=want, timeout=timeout_ms, polling=50)


def test_a_second_session_stays_responsive_while_the_first_uploads_a_bomb(app_server, browser, hostile_files):
    one = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    two = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    two.goto(f"{app_server.url}/gaps")
    wait_for_app(two)
    one.goto(f"{app_server.url}/upload")
    wait_for_app(one)

    one.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files([str(p) for p in hostile_files])
    one.get_by_text("Reading 2 files", exact=False).wait_for(timeout=60_000)  # the worker has them

    box = two.locator('[data-testid="stSidebar"] [data-testid="stTextInput"]').filter(
        has_text="As-of date").first.locator("input")
    took = []
    for day in ("2023-09-30", "2023-06-30", "2023-12-01"):
        box.click()
        box.press("Control+a")
        box.fill(day)
        t = time.monotonic()
        box.press("Enter")
        _settled(two, day)
        took.append(time.monotonic() - t)
    still_reading = one.get_by_text("Reading 2 files", exact=False).count() > 0
    assert_no_errors(two, "gaps while another session uploads")
    assert max(took) < 15, took
    assert still_reading, "the upload finished before the second session's changes: nothing was shown"

    one.get_by_text("What each file gave").wait_for(timeout=180_000)
    _settled(one, timeout_ms=60_000)
    body = one.inner_text("body")
    assert "padding, refused as a possible decompression bomb" in body, body[-2000:]  # said in words
    assert "DTM_IDP_Master_List_R131_2024-01-31_big.xlsx:" not in body  # the big workbook was read
    assert_no_errors(one, "upload of the bomb")
    screenshot(one, "upload-hostile-bomb")
    one.context.close()
    two.context.close()

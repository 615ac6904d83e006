"""The Meeting pack page in a real browser: the preview renders and the download button
delivers a PPTX with the nine slides (the deferred build runs on click)."""

import io

import pytest
from pptx import Presentation

from tests.browser.helpers import assert_no_errors, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def test_meeting_page_downloads_the_deck(app_server, page, tmp_path):
    page.goto(f"{app_server.url}/meeting?site_group=Rutba")
    wait_for_app(page)
    assert_no_errors(page, "Meeting pack")
    body = page.inner_text("body")
    assert "Meeting pack" in body and "What the deck will hold" in body
    shot = screenshot(page, "page-meeting-rutba")
    assert shot.stat().st_size > 10_000
    with page.expect_download(timeout=120_000) as info:
        page.get_by_text("Download the meeting deck (PowerPoint)").click()
    dl = info.value
    assert dl.suggested_filename.endswith(".pptx") and dl.suggested_filename.startswith("DSTWG-meeting-pack")
    path = tmp_path / dl.suggested_filename
    dl.save_as(path)
    prs = Presentation(io.BytesIO(path.read_bytes()))
    assert len(prs.slides) == 11  # the nine of issue 13, who does what where (16) and follow-up (15)
    footer = "\n".join(sh.text_frame.text for sh in prs.slides[1].shapes if sh.has_text_frame)
    assert "site group: Rutba" in footer  # the sidebar filter from the URL is in the deck

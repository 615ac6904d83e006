"""Issue 12's "done when", in the real app (headless Chromium): on a fresh workspace, upload two
DTM Master List rounds and a presence sheet, publish, stop and restart the server, open a new
browser: the Overview, Map, Gaps, Trends (two rounds, the change between them) and the Meeting
pack show the published data. Screenshots in tests/screenshots/workspace-*.png.

The files are real-format (tests/support/dtm_fixtures.py two_rounds: XLSX with title rows, index
column and breakdowns; a 4W CSV), written to temp files and uploaded through the file input. Hand
counts (TWO_ROUNDS): round 119 (31 Dec 2020) 6 sites, 930 individuals; round 120 (28 Feb 2021)
6 sites, 552 individuals; C and E closed, G and H opened.
"""

from __future__ import annotations

import pytest
from pptx import Presentation

from tests.browser.helpers import AppServer, assert_no_errors, screenshot, wait_for_app
from tests.support.dtm_fixtures import TWO_ROUND_IDS, TWO_ROUNDS, two_rounds

pytestmark = pytest.mark.browser

PRESENCE = f"""Organisation,Sector,Site ID,Start date,End date
IRC,WASH,{TWO_ROUND_IDS['A']},2020-06-01,2021-03-31
UNICEF,Education,{TWO_ROUND_IDS['G']},2021-01-15,
NRC,Shelter,{TWO_ROUND_IDS['D']},2020-01-01,2021-06-30
"""


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("workspace-files")
    r1, r2 = two_rounds("xlsx")
    paths = []
    for name, data in ((r1.filename, r1.data), (r2.filename, r2.data), ("4W_Anbar_Feb2021.csv", PRESENCE.encode())):
        (d / name).write_bytes(data)
        paths.append(str(d / name))
    return paths


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """A fresh workspace (the SQLite file under a temp DSDASH_HOME), the same for both servers."""
    home = tmp_path_factory.mktemp("dsdash-home")
    return {"DSDASH_HOME": str(home), "DSDASH_DATABASE_URL": f"sqlite:///{home / 'workspace.sqlite'}",
            "DSDASH_DATA_DIR": "", "DSDASH_USER": "browser-test"}


def _idle(page, timeout_ms=120_000):
    page.wait_for_timeout(500)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms)
    wait_for_app(page, timeout_ms)


def _goto(page, server, path, name):
    page.goto(f"{server.url}/{path}")
    wait_for_app(page, 180_000)
    _idle(page, 180_000)
    assert_no_errors(page, name)
    return page.inner_text("body")


def test_upload_publish_restart_and_every_page_shows_the_published_data(browser, files, env, tmp_path):
    first = AppServer(env=env)
    first.start()
    try:
        first.warm_up(browser)
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = ctx.new_page()
        _goto(page, first, "upload", "upload (empty)")
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(files)
        page.get_by_text("What each file gave").wait_for(timeout=120_000)
        _idle(page)
        page.get_by_label("Note (kept with the files in the workspace)").fill("rounds 119 and 120, Anbar 4W")
        page.get_by_label("Your name (recorded in the audit log)").fill("Amal")
        page.keyboard.press("Tab")
        _idle(page)
        page.get_by_role("button", name="Save and publish").click()
        page.get_by_text("and published.", exact=False).first.wait_for(timeout=120_000)
        _idle(page)
        assert_no_errors(page, "upload (published)")
        body = page.inner_text("body")
        for f in files:
            name = f.rsplit("/", 1)[-1]
            assert f"{name}: stored as snapshot" in body, (name, body[:2000])
        screenshot(page, "workspace-upload-published")
        ctx.close()
    finally:
        first.stop()

    second = AppServer(env=env)  # the same workspace file, a new process
    second.start()
    try:
        second.warm_up(browser)
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000})  # a new browser: no session state
        page = ctx.new_page()
        r2 = TWO_ROUNDS["round_2"]

        body = _goto(page, second, "", "Overview")
        sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
        assert "Published workspace: DTM_IDP_Master_List_Round119" in sidebar, sidebar
        assert env["DSDASH_HOME"] in sidebar  # where the workspace lives
        metrics = {m.locator('[data-testid="stMetricLabel"]').inner_text().strip():
                   m.locator('[data-testid="stMetricValue"]').inner_text().strip()
                   for m in page.locator('[data-testid="stMetric"]').all()}
        assert metrics["Sites"] == str(r2["sites"]) and metrics["Individuals"] == f"{r2['individuals']:,}", metrics
        page.get_by_text("What changed since the previous round").click()
        page.wait_for_timeout(800)
        body = page.inner_text("body")
        assert "From IDPs round 119, 31 Dec 2020 to IDPs round 120, 28 Feb 2021." in body
        assert "IDPs: 6 → 6 sites, 930 → 552 individuals (-378)." in body
        assert "Sites: 2 opened" in body and "2 closed" in body
        screenshot(page, "workspace-overview")

        body = _goto(page, second, "map", "Map")
        assert f"{r2['sites']} sites drawn · {r2['individuals']:,} individuals" in body, body[:3000]
        assert "2 closed sites not drawn" in body and "DTM round 120" in body
        screenshot(page, "workspace-map")

        body = _goto(page, second, "gaps", "Gaps")
        assert "Coverage on 28 Feb 2021" in body, body[:3000]
        assert "4W_Anbar_Feb2021.csv" in body  # the presence sheet is the source of the coverage
        for partner in ("IRC · Water", "UNICEF · Education", "NRC · Shelter and NFI"):
            assert partner in body, partner  # the presence timeline's bars
        screenshot(page, "workspace-gaps")

        body = _goto(page, second, "trends", "Trends")
        assert "2 reference dates, 31 Dec 2020 to 28 Feb 2021" in body, body[:3000]
        assert "2 rounds, to 28 Feb 2021" in body  # the chart by governorate
        assert "From round" in body and "31 Dec 2020" in body and "28 Feb 2021" in body  # the change table's rounds
        screenshot(page, "workspace-trends")

        body = _goto(page, second, "meeting", "Meeting pack")
        assert "3. What changed" in body, body[:3000]
        assert "From IDPs round 119, 31 Dec 2020 to IDPs round 120, 28 Feb 2021." in body
        assert f"Individuals: {r2['individuals']:,} (-378 since round 119, 31 Dec 2020)" in body
        screenshot(page, "workspace-meeting")
        with page.expect_download(timeout=180_000) as info:
            page.get_by_text("Download the meeting deck (PowerPoint)").click()
        path = tmp_path / "deck.pptx"
        info.value.save_as(path)
        prs = Presentation(str(path))
        slides = {s.shapes.title.text: s for s in prs.slides if s.shapes.title is not None}
        changed = "\n".join(sh.text_frame.text for sh in slides["What changed"].shapes if sh.has_text_frame)
        assert "IDPs: 6 → 6 sites, 930 → 552 individuals (-378)." in changed
        assert "Sites: 2 opened" in changed and "2 closed" in changed

        body = _goto(page, second, "workspace", "Workspace")
        assert "publish 12, 13, 14 · Amal" in body, body[:3000]  # one upload, one publication
        assert "From the workspace of" in body and "the embedded seed data · dsdash" in body
        assert "IDPs: 6 → 6 sites, 930 → 552 individuals" not in body  # seed → uploads: the seed's sites closed
        assert "Sites: 6 opened" in body and "28 closed" in body
        screenshot(page, "workspace-page")
        ctx.close()
    finally:
        second.stop()

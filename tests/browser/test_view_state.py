"""One view state across pages, in a real browser (issue 13): a filter set on the Site map is
still set on Gaps and in the Meeting pack (the menu's page switch clears the URL); a date typed
in the as-of field and confirmed with Enter changes the figures and carries on; a shared link
opens the same view; the pages say when the as-of date is past the data, or reset it when it
lies outside the data. Screenshots in tests/screenshots/view-*.png.

Seed figures (dsdash.coverage on the embedded data): all sites on 10 Dec 2023, 69 services lost;
Rutba's sites on 10 Dec 2023, 18 lost and 0 at risk; on 30 Sep 2023, 12 lost and 6 at risk.
"""

import re
import shutil

import pandas as pd
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.browser.helpers import AppServer, assert_no_errors, screenshot, wait_for_app
from tests.support.paths import ROOT

pytestmark = pytest.mark.browser

LOST = "Services lost (site × service)"
AT_RISK = "At risk (site × service)"


def expect_metric(page, label: str, value: str, timeout_ms: int = 30_000) -> None:
    m = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    expect(m.locator('[data-testid="stMetricValue"]')).to_have_text(value, timeout=timeout_ms)


def sidebar(page):
    return page.locator('[data-testid="stSidebar"]')


def chips(page, label: str) -> list[str]:
    """The chosen values of a sidebar multiselect, as shown."""
    box = sidebar(page).locator('[data-testid="stMultiSelect"]').filter(has_text=label).first
    tags = box.locator('.react-aria-ComboBox [data-testid="stMultiSelectTagsContainer"] [data-tag]')
    return [t.get_attribute("aria-label") for t in tags.all()]


def chip(page, label: str, value: str):
    """The chip of ``value`` in a sidebar multiselect (to wait for)."""
    box = sidebar(page).locator('[data-testid="stMultiSelect"]').filter(has_text=label).first
    return box.locator(f'.react-aria-ComboBox [data-tag][aria-label="{value}"]')


def choose(page, label: str, value: str) -> None:
    """Pick ``value`` in a sidebar multiselect: type it in the box, click the option (once more
    if a rerun closed the list), close the list."""
    box = sidebar(page).locator('[data-testid="stMultiSelect"]').filter(has_text=label).first
    option = page.get_by_role("option", name=value, exact=True)
    for _ in range(3):
        box.locator("input").click()
        box.locator("input").fill(value)
        try:
            option.click(timeout=10_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            wait_for_app(page)
    page.keyboard.press("Escape")
    wait_for_app(page)
    expect(chip(page, label, value)).to_have_count(1, timeout=30_000)


def as_of_field(page):
    return sidebar(page).locator('[data-testid="stTextInput"]').filter(has_text="As-of date").first.locator("input")


def go(page, menu_title: str) -> None:
    """Switch page with the app's own menu, as a user does (not by URL)."""
    sidebar(page).locator('[data-testid="stSidebarNav"]').get_by_text(menu_title, exact=True).click()
    wait_for_app(page)


def type_date(page, value: str) -> None:
    """Type a date into the as-of field and confirm it with Enter, nothing else (no blur, no Escape)."""
    box = as_of_field(page)
    box.scroll_into_view_if_needed()
    box.click()
    box.press("Control+a")
    box.type(value, delay=30)
    box.press("Enter")
    wait_for_app(page)


def test_filters_and_date_carry_from_the_map_to_gaps_and_the_meeting_pack(app_server, page):
    page.goto(f"{app_server.url}/map")
    wait_for_app(page)
    assert_no_errors(page, "Site map")
    sidebar(page).get_by_text("Filters", exact=True).click()
    choose(page, "Site group", "Rutba")
    expect(page).to_have_url(re.compile(r"site_group=Rutba"))
    assert chips(page, "Site group") == ["Rutba"]
    screenshot(page, "view-1-map-rutba")

    go(page, "Gaps and exits")
    assert_no_errors(page, "Gaps")
    expect(page).to_have_url(re.compile(r"/gaps\?.*site_group=Rutba"))
    assert chips(page, "Site group") == ["Rutba"]
    assert "site group: Rutba" in page.inner_text("body")
    expect_metric(page, LOST, "18")  # Rutba's sites, not the 69 of all sites
    expect_metric(page, AT_RISK, "0")
    assert as_of_field(page).input_value() == "2023-12-10"

    type_date(page, "2023-09-30")
    assert_no_errors(page, "Gaps after typing a date")
    expect_metric(page, LOST, "12")  # the typed date applies: the figures change
    expect_metric(page, AT_RISK, "6")
    expect(page).to_have_url(re.compile(r"as_of=2023-09-30"))
    assert "as of 30 Sep 2023" in page.inner_text("body")
    screenshot(page, "view-2-gaps-rutba-2023-09-30")

    go(page, "Meeting pack")
    assert_no_errors(page, "Meeting pack")
    expect(page).to_have_url(re.compile(r"/meeting\?.*site_group=Rutba.*as_of=2023-09-30|"
                                        r"/meeting\?.*as_of=2023-09-30.*site_group=Rutba"))
    assert chips(page, "Site group") == ["Rutba"]
    assert as_of_field(page).input_value() == "2023-09-30"
    body = page.inner_text("body")
    assert "as of 30 September 2023" in body and "site group: Rutba" in body, body[:1500]
    assert "coverage state on 30 Sep 2023" in body
    screenshot(page, "view-3-meeting-rutba-2023-09-30")

    type_date(page, "2023-12-10")
    expect(page.get_by_text("coverage state on 10 Dec 2023", exact=False).first).to_be_visible(timeout=30_000)
    assert "as of 10 December 2023" in page.inner_text("body")

    # the shared link opens the same view in a new browser session
    link = page.url
    assert "site_group=Rutba" in link and "as_of=2023-12-10" in link, link
    other = page.context.browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    try:
        other.goto(link)
        wait_for_app(other)
        expect(other.locator("body")).to_contain_text("as of 10 December 2023", timeout=30_000)
        expect(chip(other, "Site group", "Rutba")).to_have_count(1, timeout=30_000)
        assert chips(other, "Site group") == ["Rutba"]
        assert as_of_field(other).input_value() == "2023-12-10"
        assert "as of 10 December 2023" in other.inner_text("body")
    finally:
        other.context.close()


def test_past_the_data_and_outside_the_data(app_server, page):
    page.goto(f"{app_server.url}/gaps?as_of=2024-05-15")
    wait_for_app(page)
    assert_no_errors(page, "Gaps past the data")
    warning = page.locator('[data-testid="stAlert"]').filter(has_text="is past the latest data").first
    expect(warning).to_be_visible()
    assert "population counts: latest data 10 Dec 2023" in warning.inner_text()
    assert "latest data: partner presence 13 Dec 2023, population counts 10 Dec 2023" in page.inner_text("body")
    expect_metric(page, LOST, "69")  # confirmed ends only; 62 more cells read "end unconfirmed" (as `gaps --json` says)
    screenshot(page, "view-4-gaps-past-the-data")

    page.goto(f"{app_server.url}/gaps?as_of=2021-02-28")
    wait_for_app(page)
    note = page.locator('[data-testid="stAlert"]').filter(has_text="lies outside the active data").first
    expect(note).to_be_visible()
    assert "The view is reset to the data's latest date, 10 Dec 2023." in note.inner_text()
    assert as_of_field(page).input_value() == "2023-12-10"
    expect(page).to_have_url(re.compile(r"as_of=2023-12-10"))
    expect_metric(page, LOST, "69")
    screenshot(page, "view-5-gaps-reset")


@pytest.fixture
def old_rounds_server(browser, tmp_path):
    """The app on the seed data with every population count dated 28 Feb 2021 (a Master List of
    another period) and the seed's December 2023 presence."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    pop = pd.read_csv(data / "population.csv", dtype=str, keep_default_na=False)
    pop["reference_date"] = "2021-02-28"
    pop.to_csv(data / "population.csv", index=False)
    server = AppServer(env={"DSDASH_DATA_DIR": str(data)})
    server.start()
    try:
        server.warm_up(browser)
        yield server
    finally:
        server.stop()


def test_presence_of_another_period_is_said_on_gaps_and_the_meeting_pack(old_rounds_server, page):
    said = ("Partner presence and population counts come from different periods: presence reported 13 Dec 2023, "
            "population counts of 28 Feb 2021 (2 years 10 months apart).")
    for path, name in (("gaps", "view-6-gaps-other-period"), ("meeting", "view-7-meeting-other-period")):
        page.goto(f"{old_rounds_server.url}/{path}")
        wait_for_app(page)
        assert_no_errors(page, path)
        alert = page.locator('[data-testid="stAlert"]').filter(has_text="come from different periods").first
        expect(alert).to_be_visible()
        assert said in alert.inner_text()
        box, title = alert.bounding_box(), page.locator("h1").first.bounding_box()
        assert box["y"] < title["y"] + 400, (box, title)  # near the top, not below the figures
        screenshot(page, name)

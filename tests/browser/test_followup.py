"""Issue 15 in headless Chromium: on the Gaps page on 15 May 2024, IRC's civil documentation is "end
unconfirmed" (its end was only planned); confirming IRC's exit on 1 May 2024 in the follow-up form turns
the 28 cells lost, and (in another workspace) extending it to 31 Dec 2024 turns them served. Each test runs
its own app on its own workspace, so the answers reach no other test. Screenshots in tests/screenshots/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dsdash.store import open_store
from tests.browser.helpers import AppServer, assert_no_errors, screenshot, wait_for_app
from tests.browser.test_gaps import expect_metric, metric

pytestmark = pytest.mark.browser

ENTRY = "IRC · Civil documentation · planned end 30 Apr 2024"


@pytest.fixture
def own_app(browser, tmp_path):
    server = AppServer(env={"DSDASH_HOME": str(tmp_path), "DSDASH_USER": "browser-test"})
    server.start()
    server.warm_up(browser)
    yield server, tmp_path
    server.stop()


def _answer(page, answer: str, day: str) -> None:
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Entry to answer").first
    box.scroll_into_view_if_needed()
    box.click()
    page.get_by_role("option", name=ENTRY).click()
    wait_for_app(page)
    page.locator('[data-testid="stRadio"]').filter(has_text="Answer").get_by_text(answer, exact=True).click()
    wait_for_app(page)
    label = {"Exit confirmed": "Last day of service", "End extended": "New planned end"}[answer]
    date_box = page.locator('[data-testid="stTextInput"]').filter(has_text=label).first.locator("input")
    date_box.fill(day)
    date_box.press("Enter")
    wait_for_app(page)
    note = page.locator('[data-testid="stTextInput"]').filter(has_text="Note (where").first.locator("input")
    note.fill("IRC's email to the DSTWG")
    note.press("Enter")
    wait_for_app(page)
    page.get_by_role("button", name="Record the answer").click()
    wait_for_app(page)


def _open(page, server) -> None:
    page.goto(f"{server.url}/gaps?as_of=2024-05-15")
    wait_for_app(page)
    assert_no_errors(page, "Gaps on 15 May 2024")
    expect_metric(page, "End unconfirmed (site × service)", "62")  # IRC 28, Dary 19, UIMS 15
    assert metric(page, "Services lost (site × service)") == "69"
    expect(page.get_by_text("Presence reported for 28 of 28 sites on 15 May 2024")).to_be_visible()


def test_confirming_irc_on_the_page_turns_the_cells_lost(own_app, page):
    server, home = own_app
    _open(page, server)
    screenshot(page, "followup-before")
    _answer(page, "Exit confirmed", "2024-05-01")
    assert_no_errors(page, "after confirming")
    expect_metric(page, "Services lost (site × service)", str(69 + 28))
    expect_metric(page, "End unconfirmed (site × service)", str(62 - 28))
    expect(page.get_by_text("Recorded: Exit confirmed: IRC, civil documentation, last day 1 May 2024")).to_be_visible()
    screenshot(page, "followup-after-confirm")
    store = open_store(f"sqlite:///{home / 'workspace.sqlite'}")
    ev = store.exit_events()
    assert ev[["partner", "service", "kind", "recorded_by"]].values.tolist() == [
        ["IRC", "civil_documentation", "confirmed", "browser-test"]]
    assert store.log().iloc[-1]["action"] == "exit_confirmed"
    store.close()


def test_extending_irc_on_the_page_serves_the_cells(own_app, page):
    server, _home = own_app
    _open(page, server)
    _answer(page, "End extended", "2024-12-31")
    assert_no_errors(page, "after extending")
    expect_metric(page, "End unconfirmed (site × service)", str(62 - 28))
    assert metric(page, "Services lost (site × service)") == "69"
    screenshot(page, "followup-after-extend")

"""Drive the Trends page in headless Chromium: every tab's charts draw on the embedded data
(one screenshot per tab in tests/screenshots/), and the hotspot rule runs on an upload."""

import pytest

from tests.browser.helpers import assert_no_errors, screenshot, wait_for_app
from tests.support.paths import SCREENSHOTS

pytestmark = pytest.mark.browser

TABS = [
    ("National trend", "trends-national", 1, ["1,098,913", "round 132", "127-131"]),
    ("Index severity", "trends-index", 2, ["609,954", "R16", "Displacement Index"]),
    ("FVM progress", "trends-fvm", 2, ["5,895", "** 39 housing", "6,195"]),
    ("Hotspots", "trends-hotspots", 1, ["490,230", "1,545,846", "60,000"]),
]


def open_trends(app_server, page):
    page.goto(f"{app_server.url}/trends")
    wait_for_app(page)
    assert_no_errors(page, "Trends")


def visible_plots(page, expected: int, timeout_ms: int = 20_000):
    """The visible plotly charts, once ``expected`` of them are drawn (a tab draws its
    charts when it is first shown)."""
    plots = page.locator(".js-plotly-plot:visible")
    waited = 0
    while plots.count() < expected and waited < timeout_ms:
        page.wait_for_timeout(250)
        waited += 250
    page.wait_for_timeout(500)
    return plots


@pytest.mark.parametrize("tab, shot, n_charts, texts", TABS, ids=[t[1] for t in TABS])
def test_trends_tab_draws_its_charts(app_server, page, tab, shot, n_charts, texts):
    open_trends(app_server, page)
    page.get_by_role("tab", name=tab).click()
    plots = visible_plots(page, n_charts)
    assert plots.count() == n_charts, f"{tab}: {plots.count()} charts visible"
    for i in range(n_charts):
        plot = plots.nth(i)
        plot.scroll_into_view_if_needed()
        box = plot.bounding_box()
        assert box and box["width"] > 400 and box["height"] > 250, (tab, i, box)
        # drawn traces: lines/markers (scatter) or bars
        assert plot.locator("g.trace").count() > 0, f"{tab}: chart {i} has no traces"
        plot.screenshot(path=str(SCREENSHOTS / f"{shot}-chart{i + 1}.png"))
    body = page.inner_text("body")
    for t in texts:
        assert t in body, (tab, t)
    assert_no_errors(page, tab)
    path = screenshot(page, shot)
    assert path.stat().st_size > 20_000


def test_hotspot_rule_on_an_uploaded_file(app_server, page, tmp_path):
    csv = tmp_path / "subdistricts.csv"
    csv.write_text("Governorate,Sub-district,Livelihoods and basic services,Safety and social cohesion,Returnees\n"
                   "Anbar,Al-Forat,Medium,Low,59999\n"
                   "Anbar,Markaz Heet,Medium,Low,60000\n"
                   "Ninewa,<b>Sinjar</b>,High,Low,1000\n", encoding="utf-8")
    open_trends(app_server, page)
    page.get_by_role("tab", name="Hotspots").click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(csv))
    page.get_by_text("3 rows in, 3 accepted, 0 rejected").wait_for(timeout=30_000)
    page.wait_for_timeout(1000)
    assert_no_errors(page, "Hotspots upload")
    body = page.inner_text("body")
    assert "3 rows in, 3 accepted, 0 rejected" in body
    assert page.locator("b", has_text="Sinjar").count() == 0  # a name is text, never markup
    result = page.locator('[data-testid="stDataFrame"]:visible').last
    result.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    page.screenshot(path=str(SCREENSHOTS / "trends-hotspots-upload.png"))


def _replace(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path.name, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def two_round_server(browser, tmp_path_factory):
    """The app on the embedded CSVs plus a crafted second Master List round (30 Apr 2024)
    (the first site closes, the second grows by 60 individuals), and untrusted text in
    the FVM, hotspot and site tables."""
    import csv
    import shutil

    from tests.browser.helpers import AppServer
    from tests.support.paths import ROOT

    d = tmp_path_factory.mktemp("two_rounds")
    for f in (ROOT / "data").glob("*.csv"):
        shutil.copy(f, d / f.name)
    with open(ROOT / "data" / "population.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    later = []
    for r in rows[1:]:
        r = dict(r, reference_date="2024-04-30", dtm_round="132", source="test: crafted second round")
        if r["site_id"] == rows[1]["site_id"]:
            r["individuals"] = str(int(r["individuals"]) + 60)
        later.append(r)
    with open(d / "population.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows + later)
    # untrusted text where the trends page shows data text: FVM notes, period labels and
    # sources, a governorate name of the hotspot tables, a district name of the sites
    _replace(d / "fvm.csv", "** 39 housing", "[click](http://evil.example) <b>bold</b> :red[x] ** 39 housing")
    _replace(d / "fvm.csv", ",2022,", ',"2022 <a href=""http://evil.example"">x</a>",')
    _replace(d / "hotspot_totals.csv", "IQG08,Baghdad,", 'IQG08,"<a href=""http://evil.example"">Baghdad</a>",')
    _replace(d / "sites.csv", "Al-Rutba", "<b>Al-Rutba</b> [l](http://evil.example)")
    server = AppServer(env={"DSDASH_DATA_DIR": str(d)})
    server.start()
    server.warm_up(browser)
    yield server
    server.stop()


def test_two_master_list_rounds_show_admin_trend_and_changes(two_round_server, page):
    page.goto(f"{two_round_server.url}/trends")
    wait_for_app(page)
    assert_no_errors(page, "Trends, two rounds")
    plots = visible_plots(page, 2)
    assert plots.count() == 2
    admin = plots.nth(1)
    admin.scroll_into_view_if_needed()
    assert "IDPs by governorate" in admin.inner_text()
    admin.screenshot(path=str(SCREENSHOTS / "trends-national-admin-chart.png"))
    assert "Load two or more" not in page.inner_text("body")
    page.get_by_test_id("stRadioGroup").get_by_text("District", exact=True).click()
    wait_for_app(page)
    admin = visible_plots(page, 2).nth(1)
    admin.scroll_into_view_if_needed()
    assert "IDPs by district" in admin.inner_text()
    assert_no_errors(page, "Trends, two rounds, districts")
    admin.screenshot(path=str(SCREENSHOTS / "trends-national-district-chart.png"))
    screenshot(page, "trends-national-two-rounds")


def test_untrusted_text_is_shown_as_text_in_charts_and_captions(two_round_server, page):
    page.goto(f"{two_round_server.url}/trends")
    wait_for_app(page)
    for tab, n in (("National trend", 2), ("FVM progress", 2), ("Hotspots", 1)):
        page.get_by_role("tab", name=tab).click()
        visible_plots(page, n)
        assert_no_errors(page, tab)
        assert page.locator('a[href*="evil.example"]').count() == 0, f"{tab}: a link was injected"
        assert page.locator("main b, main strong", has_text="bold").count() == 0, f"{tab}: markup rendered"
        assert page.locator("main b", has_text="Al-Rutba").count() == 0, f"{tab}: markup rendered"
        body = page.inner_text("body")
        if tab == "FVM progress":
            assert "[click](http://evil.example) <b>bold</b>" in body  # the note, shown as written
            assert '2022 <a href="http://evil.example">x</a>' in body
        if tab == "Hotspots":
            assert '<a href="http://evil.example">Baghdad</a>' in body
        if tab == "National trend":
            page.get_by_test_id("stRadioGroup").get_by_text("District", exact=True).click()
            wait_for_app(page)
            visible_plots(page, 2)
            assert "<b>Al-Rutba</b> [l](http://evil.example)" in page.inner_text("body")  # district panel title
            assert page.locator("main b", has_text="Al-Rutba").count() == 0
            assert page.locator('a[href*="evil.example"]').count() == 0
    page.get_by_role("tab", name="FVM progress").click()
    page.wait_for_timeout(500)
    screenshot(page, "trends-untrusted-fvm")

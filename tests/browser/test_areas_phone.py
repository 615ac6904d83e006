"""Issue 16 in headless Chromium: the Gaps heatmap scrolls sideways at 400 px instead of squeezing; a
national hexagon names its sites when hovered; the 'by area' table reads on a phone.
Screenshots: tests/screenshots/phone-gaps-heatmap-400*.png, map-hexagons*.png, phone-overview-areas-400.png."""

from __future__ import annotations

import json

import pytest

from tests.browser.helpers import PHONE, assert_no_errors, screenshot, wait_for_app
from tests.browser.test_map import project
from tests.support.paths import SCREENSHOTS

pytestmark = pytest.mark.browser


def test_phone_gaps_heatmap_scrolls_sideways_instead_of_squeezing(app_server, phone):
    phone.goto(f"{app_server.url}/gaps?as_of=2023-12-10")
    wait_for_app(phone)
    assert_no_errors(phone, "Gaps (phone)")
    box = phone.locator('[class*="st-key-wide-heatmap"]').first
    box.wait_for(timeout=30_000)
    plot = box.locator(".js-plotly-plot").first
    plot.wait_for(timeout=30_000)
    phone.wait_for_timeout(1500)
    sizes = box.evaluate("el => ({client: el.clientWidth, scroll: el.scrollWidth})")
    assert sizes["client"] <= PHONE["width"] and sizes["scroll"] >= 960, sizes  # the heatmap keeps its width …
    plot_width = plot.evaluate("el => el.getBoundingClientRect().width")
    assert plot_width >= 960 - 2, plot_width  # … its cells are not squeezed into 400 px
    page_width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert page_width <= PHONE["width"] + 1  # and the page itself does not move sideways: the box scrolls
    box.scroll_into_view_if_needed()
    box.screenshot(path=str(SCREENSHOTS / "phone-gaps-heatmap-400.png"))
    box.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    phone.wait_for_timeout(500)
    assert box.evaluate("el => el.scrollLeft") > 300  # scrolled to the services on the right
    box.screenshot(path=str(SCREENSHOTS / "phone-gaps-heatmap-400-scrolled.png"))
    screenshot(phone, "phone-gaps-400")


def test_a_national_hexagon_names_its_sites(app_server, page):
    from dsdash.dataset import load_embedded
    from dsdash.map.layers import build_site_map

    page.goto(f"{app_server.url}/map")
    wait_for_app(page)
    sel = page.locator('[data-testid="stSelectbox"]').filter(has_text="Sites or aggregates").first
    sel.scroll_into_view_if_needed()
    sel.click()
    options = page.get_by_role("option")
    options.first.wait_for(timeout=30_000)
    assert "Hexagons (individuals per area)" in options.all_inner_texts()
    options.filter(has_text="Hexagons").first.click()
    wait_for_app(page)
    if "Hexagons" not in sel.locator("input").input_value():  # the list closed on a rerun: pick it by keyboard
        sel.locator("input").click()
        sel.locator("input").fill("Hexagons (ind")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        wait_for_app(page)
    assert "Hexagons" in sel.locator("input").input_value(), sel.locator("input").input_value()
    canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    canvas.wait_for(timeout=30_000)
    page.wait_for_timeout(4000)  # the rerun's deck drawn
    assert_no_errors(page, "Site map, hexagons")
    ds = load_embedded()
    spec = json.loads(build_site_map(ds, aggregation="hexagon").deck.to_json())
    hexes = next(lay for lay in spec["layers"] if lay["id"] == "sites-hexagons")["data"]
    biggest = hexes[0]  # most people first: the Bzebiz / Falluja hexagon
    box = canvas.bounding_box()
    view = spec["initialViewState"]
    cx = sum(p[0] for p in biggest["poly"]) / 6
    cy = sum(p[1] for p in biggest["poly"]) / 6
    sites = [project(float(lo), float(la), view, box["width"], box["height"])
             for lo, la in zip(ds.sites["longitude"], ds.sites["latitude"])]
    # a point inside the hexagon, away from every site circle (at this zoom the sites are drawn too)
    candidates = [project(cx + t * (p[0] - cx), cy + t * (p[1] - cy), view, box["width"], box["height"])
                  for p in biggest["poly"] for t in (0.5, 0.65, 0.8)]
    x, y = max(candidates, key=lambda c: min((c[0] - sx) ** 2 + (c[1] - sy) ** 2 for sx, sy in sites))
    assert 0 < x < box["width"] and 0 < y < box["height"], (x, y, box)
    canvas.screenshot(path=str(SCREENSHOTS / "map-hexagons-canvas.png"))
    page.mouse.move(box["x"] + x, box["y"] + y)
    page.wait_for_timeout(1000)
    tip = page.locator(".deck-tooltip").first.inner_text()
    screenshot(page, "map-hexagons-tooltip")
    first_line = biggest["tip"].split("\n")[0]
    assert first_line in tip and "individuals:" in tip
    assert biggest["tip"].split("\n")[1] in tip  # the hexagon's largest site, by name
    assert "Zoom in (about zoom 9) to click a site." in tip
    # zoom in on the hexagon: the sites (drawn in metres) take over from the hexagons
    before = _red_pixels(SCREENSHOTS / "map-hexagons-canvas.png")
    page.mouse.move(box["x"] + x, box["y"] + y)
    for _i in range(5):
        page.mouse.wheel(0, -200)
        page.wait_for_timeout(200)
    page.wait_for_timeout(1500)
    canvas.screenshot(path=str(SCREENSHOTS / "map-hexagons-zoomed.png"))
    after = _red_pixels(SCREENSHOTS / "map-hexagons-zoomed.png")
    assert after > 20 * max(before, 1), (before, after)  # the sites' circles, tiny before, now drawn large


def _red_pixels(path) -> int:
    """Pixels of the sites' colour here (every seed site has a lost service: red, #d62728-like)."""
    import numpy as np
    from PIL import Image

    a = np.asarray(Image.open(path).convert("RGB")).astype(int)
    return int(((a[..., 0] > 170) & (a[..., 1] < 90) & (a[..., 2] < 90)).sum())


def test_phone_overview_by_area(app_server, phone):
    phone.goto(f"{app_server.url}/")  # the Overview is the default page
    wait_for_app(phone)
    assert_no_errors(phone, "Overview (phone)")
    body = phone.inner_text("body")
    assert "Sites by area" in body and "The rows add up to the view's 28 sites and 18,882 individuals." in body
    heading = phone.get_by_text("Sites by area").first
    heading.scroll_into_view_if_needed()
    screenshot(phone, "phone-overview-areas-400")
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"] + 1


@pytest.fixture
def own_app(browser, tmp_path):
    """An app on a workspace of its own: publishing a catchments table reaches no other test."""
    from tests.browser.helpers import AppServer

    server = AppServer(env={"DSDASH_HOME": str(tmp_path), "DSDASH_USER": "browser-test"})
    server.start()
    server.warm_up(browser)
    yield server
    server.stop()


def test_upload_and_publish_a_catchments_table_then_it_is_the_one_in_use(own_app, page, tmp_path):
    f = tmp_path / "our_catchments.csv"
    f.write_text("Catchment,District p-codes,Assumed,Reasoning,Source\n"
                 "Ramadi and Kaim,IQG01Q03; IQG01Q02,yes,one ABC for the two towns,\"focal point, 1 Dec 2026\"\n"
                 "Typo,IQG01Q99,no,,focal point\n", encoding="utf-8")
    page.goto(f"{own_app.url}/upload")
    wait_for_app(page)
    body = page.inner_text("body")
    assert "Catchments: the table bundled with dsdash (DSTWG and RWG documents), 14 catchments over 33 districts" in body
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(f))
    page.get_by_text("What each file gave").wait_for(timeout=120_000)
    wait_for_app(page)
    assert_no_errors(page, "upload a catchments table")
    body = page.inner_text("body")
    assert "errors reject the row" in body
    screenshot(page, "upload-catchments-report")
    page.get_by_role("button", name="Save and publish").click()
    page.wait_for_timeout(1500)
    wait_for_app(page)
    assert_no_errors(page, "catchments published")
    page.goto(f"{own_app.url}/")
    wait_for_app(page)
    assert_no_errors(page, "Overview with the user's catchments")
    body = page.inner_text("body")
    assert "Catchments: your table our_catchments.csv (it replaces the bundled one), 1 catchment over 2 districts" \
        in body
    assert "Outside every catchment of this kind: 24 sites, 14,238 individuals, in 2 districts." in body
    screenshot(page, "overview-users-catchments")

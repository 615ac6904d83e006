"""The app on a 400-px-wide phone screen, in real headless Chromium: the Site map with no upload
draws the bundled governorate and district outlines and fits every site; finding a site by name
zooms to it; the "Who does what where" page reads. Screenshots: tests/screenshots/phone-*.png."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from tests.browser.helpers import PHONE, assert_no_errors, screenshot, wait_for_app
from tests.browser.test_map import project
from tests.support.paths import SCREENSHOTS

pytestmark = pytest.mark.browser


def _canvas(page):
    canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    canvas.wait_for(timeout=30_000)
    page.wait_for_timeout(2500)  # let deck.gl draw
    return canvas


def _grey_pixels(path) -> int:
    """Outline pixels: darker grey than the background, not a site colour."""
    a = np.asarray(Image.open(path).convert("RGB")).astype(int)
    grey = (a.max(axis=2) - a.min(axis=2)) < 25
    return int((grey & (a.mean(axis=2) < 200)).sum())


def _saturated(path) -> int:
    a = np.asarray(Image.open(path).convert("RGB")).astype(int)
    return int(((a.max(axis=2) - a.min(axis=2)) > 60).sum())


def test_phone_map_with_no_upload_draws_outlines_fits_every_site_and_passes_the_pcode_check(app_server, phone):
    from dsdash.dataset import load_embedded
    from dsdash.map.layers import build_site_map

    phone.goto(f"{app_server.url}/map")
    wait_for_app(phone)
    canvas = _canvas(phone)
    assert_no_errors(phone, "Site map (phone)")
    box = canvas.bounding_box()
    assert box["width"] <= PHONE["width"]
    shot = SCREENSHOTS / "phone-map-canvas.png"
    canvas.screenshot(path=str(shot))
    screenshot(phone, "phone-map-400")
    assert _grey_pixels(shot) > 800  # governorate and district outlines, drawn offline
    assert _saturated(shot) > 400  # the sites
    body = phone.inner_text("body")
    assert "OCHA COD-AB Iraq" in body and "CC BY-IGO" in body
    assert "All 28 sites fall in their stated governorate and district polygons." in body
    # every site falls inside the 400-px canvas at the initial view
    ds = load_embedded()
    view = json.loads(build_site_map(ds).deck.to_json())["initialViewState"]
    for lon, lat in zip(ds.sites["longitude"].astype(float), ds.sites["latitude"].astype(float)):
        x, y = project(lon, lat, view, box["width"], box["height"])
        assert 0 <= x <= box["width"] and 0 <= y <= box["height"], (lon, lat, x, y, box)


def test_phone_find_a_site_by_name_zooms_to_it(app_server, phone):
    phone.goto(f"{app_server.url}/map")
    wait_for_app(phone)
    _canvas(phone)
    field = phone.get_by_label("Find a site (English or Arabic name)")
    field.fill("karama")
    field.press("Enter")
    phone.wait_for_timeout(1500)
    wait_for_app(phone)
    phone.get_by_text("zoomed to the chosen site").first.wait_for(timeout=30_000)
    _canvas(phone)
    assert_no_errors(phone, "Site map, a site found (phone)")
    assert "Kilo 18 / AL-Karama complex" in phone.locator('[data-testid="stText"]').all_inner_texts()
    screenshot(phone, "phone-map-found-site")


def test_phone_who_does_what_where(app_server, phone):
    phone.goto(f"{app_server.url}/whowhatwhere?as_of=2023-12-10")
    wait_for_app(phone)
    _canvas(phone)
    assert_no_errors(phone, "Who does what where (phone)")
    body = phone.inner_text("body")
    assert "Partners per district and service on 10 Dec 2023" in body
    screenshot(phone, "phone-whowhatwhere-400")
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1  # nothing pushes the page sideways: wide tables scroll inside


def test_phone_gaps_heatmap(app_server, phone):
    phone.goto(f"{app_server.url}/gaps?as_of=2023-12-10")
    wait_for_app(phone)
    assert_no_errors(phone, "Gaps (phone)")
    screenshot(phone, "phone-gaps-400")

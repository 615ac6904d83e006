"""Arabic on a 400-px phone (reviewer H3, finding 1): the folded-away sidebar sits at the right edge in
right to left; Streamlit slid it 300 px to the left as in English, so its icons, the local-mode box
and the language buttons covered the left 100 px of every page. Folded away, it must cover nothing of
the main area; opened, it still slides in. Screenshot: tests/screenshots/f3-phone-arabic-upload.png."""

from __future__ import annotations

import pytest

from tests.browser.helpers import PHONE, assert_no_errors, screenshot, wait_for_app

pytestmark = pytest.mark.browser

SIDEBAR = '[data-testid="stSidebar"]'
CONTENT = '[data-testid="stSidebarContent"]'


def _visible_box(page, selector: str) -> dict | None:
    """The on-screen box of an element, None when it is hidden or wholly off the viewport."""
    return page.evaluate(
        """([sel, w, h]) => { const e = document.querySelector(sel); if (!e) return null;
            if (getComputedStyle(e).visibility === 'hidden') return null;
            const r = e.getBoundingClientRect();
            const x0 = Math.max(r.left, 0), x1 = Math.min(r.right, w), y0 = Math.max(r.top, 0), y1 = Math.min(r.bottom, h);
            return (x1 > x0 && y1 > y0) ? {x: x0, width: x1 - x0, y: y0, height: y1 - y0} : null }""",
        [selector, PHONE["width"], PHONE["height"]],
    )


@pytest.mark.parametrize("stem", ["upload", "map"])
def test_folded_sidebar_covers_nothing_in_arabic_on_a_phone(app_server, phone, stem):
    phone.goto(f"{app_server.url}/{stem}?lang=ar")
    wait_for_app(phone)
    phone.wait_for_function(f"""() => getComputedStyle(document.querySelector('{SIDEBAR}')).direction === 'rtl'""",
                            timeout=15_000)
    phone.wait_for_timeout(800)  # the slide is a 300 ms transition
    assert_no_errors(phone, f"{stem} (Arabic phone)")
    assert phone.get_attribute(SIDEBAR, "data-collapsed") == "true"
    # before the fix: the content box was on screen at x 0..100 over the main area
    assert _visible_box(phone, CONTENT) is None, _visible_box(phone, CONTENT)
    main = phone.locator('[data-testid="stMain"]').bounding_box()
    assert main["x"] == 0 and main["width"] >= PHONE["width"] - 1, main
    # nothing to scroll sideways to
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    # the page's own first words are what a click at the top left hits, not the sidebar
    hit = phone.evaluate(f"() => !!document.elementFromPoint(50, 300).closest('{SIDEBAR}')")
    assert hit is False
    shot = screenshot(phone, f"f3-phone-arabic-{stem}")
    assert shot.stat().st_size > 10_000


def test_the_sidebar_still_opens_from_the_right_in_arabic_on_a_phone(app_server, phone):
    phone.goto(f"{app_server.url}/upload?lang=ar")
    wait_for_app(phone)
    phone.wait_for_timeout(800)
    phone.locator('[data-testid="stExpandSidebarButton"]').first.click()
    phone.wait_for_timeout(1000)
    box = _visible_box(phone, CONTENT)
    assert box is not None
    assert box["x"] + box["width"] == pytest.approx(PHONE["width"], abs=1), box  # flush with the right edge
    assert "العربية" in phone.locator(SIDEBAR).inner_text()
    screenshot(phone, "f3-phone-arabic-upload-open")

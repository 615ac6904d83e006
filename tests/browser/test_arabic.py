"""Every page in Arabic in headless Chromium (issue 18): ``?lang=ar`` lays the page out right to
left (the app's style sheet, ui/rtl.css), the title is Arabic, the bundled Arabic font is served
by the app (no web fonts) and used, and a page switch keeps the language. Screenshots:
tests/screenshots/arabic-<page>.png."""

import re

import pytest

from tests.browser.helpers import assert_no_errors, screenshot, wait_for_app
from tests.support.paths import ROOT
from ui.nav import PAGES

pytestmark = pytest.mark.browser

LIVE = [(p, t) for p, t, _ in PAGES if (ROOT / p).exists()]
DEFAULT = PAGES[0][0]  # the default page is served at "/"
ARABIC = re.compile(r"[\u0600-\u06FF]")


def _direction(page, selector: str) -> str:
    return page.evaluate(f"() => getComputedStyle(document.querySelector('{selector}')).direction")


@pytest.mark.parametrize("path, title", LIVE, ids=[t for _, t in LIVE])
def test_every_page_in_arabic_is_right_to_left(app_server, page, path, title):
    stem = path.split("/")[-1].removesuffix(".py")
    page.goto(app_server.url + ("/" if path == DEFAULT else f"/{stem}") + "?lang=ar")
    wait_for_app(page)
    assert_no_errors(page, title)
    h1 = page.locator("h1").first.inner_text().strip()
    assert ARABIC.search(h1), h1
    page.wait_for_function("""() => getComputedStyle(document.querySelector('[data-testid="stMain"]')).direction
                               === 'rtl'""", timeout=15_000)  # the style sheet comes with the sidebar
    assert _direction(page, '[data-testid="stMain"]') == "rtl"
    assert _direction(page, '[data-testid="stSidebar"]') == "rtl"
    # the sidebar sits on the right of the main area
    side = page.locator('[data-testid="stSidebar"]').bounding_box()
    main = page.locator('[data-testid="stMain"]').bounding_box()
    assert side and main and side["x"] > main["x"], (side, main)
    # the page menu reads in Arabic
    links = page.locator('[data-testid="stSidebarNavLink"]').all_inner_texts()
    assert links and all(ARABIC.search(t) for t in links), links
    shot = screenshot(page, f"arabic-{stem}")
    assert shot.stat().st_size > 10_000


def test_the_arabic_font_is_bundled_and_used(app_server, page):
    page.goto(app_server.url + "/?lang=ar")
    wait_for_app(page)
    font = page.evaluate("() => fetch('/app/static/fonts/NotoSansArabic-Regular.ttf').then(r => r.status)")
    assert font == 200
    loaded = page.evaluate("""async () => { await document.fonts.ready;
        return [...document.fonts].filter(f => f.family.includes('Noto Sans Arabic') && f.status === 'loaded').length }""")
    assert loaded >= 1
    family = page.evaluate("() => getComputedStyle(document.querySelector('h1')).fontFamily")
    assert "Noto Sans Arabic" in family, family


def test_language_switch_and_page_switch_keep_arabic(app_server, page):
    page.goto(app_server.url + "/")
    wait_for_app(page)
    assert not ARABIC.search(page.locator("h1").first.inner_text())
    assert _direction(page, '[data-testid="stMain"]') == "ltr"
    page.locator('[data-testid="stSidebar"]').get_by_text("العربية").click()
    page.wait_for_timeout(500)
    wait_for_app(page)
    assert ARABIC.search(page.locator("h1").first.inner_text())
    assert "lang=ar" in page.url
    page.locator('[data-testid="stSidebarNavLink"]').nth(2).click()  # Gaps and exits
    page.wait_for_timeout(500)
    wait_for_app(page)
    assert ARABIC.search(page.locator("h1").first.inner_text())
    assert "lang=ar" in page.url
    assert _direction(page, '[data-testid="stMain"]') == "rtl"

"""The Arabic deck's last English words (issue 18): "What changed" (dsdash.history: the rounds, the
areas, how an end date moved, names by COD-AB's Arabic names) and the static map's boundary credit.
Two real-format Master List rounds (tests/unit/test_history.py)."""

from __future__ import annotations

import io
import re

from matplotlib.text import Text
from pptx import Presentation

from dsdash.deck.build import render_deck
from dsdash.deck.content import deck_content
from dsdash.deck.slides import SLIDE_TITLES
from dsdash.history import compare, display_tables
from dsdash.i18n import _, language
from tests.unit.deck.test_build import all_text, slide
from tests.unit.test_history import files, new, old  # noqa: F401 - fixtures

ENGLISH = re.compile(r"\b(IDPs|Returnees|round|district|site group|extended|days|May|Jul|Boundaries)\b")


def test_what_changed_in_arabic(new):  # noqa: F811
    with language("ar"):
        c = deck_content(new, with_map=False)
        prs = Presentation(io.BytesIO(render_deck(c)))
        s = slide(prs, _(SLIDE_TITLES["changes"]))
    text = all_text(s)
    assert "من الجولة 129 (النازحون)، 31 أيار 2023 إلى الجولة 130 (النازحون)، 31 تموز 2023." in text, text
    assert not ENGLISH.search(text), ENGLISH.findall(text)


def test_changes_tables_in_arabic(old, new):  # noqa: F811
    with language("ar"):
        ch = compare(old, new)
        tables = display_tables(ch)
    moved = tables["End dates moved"]
    assert list(moved["How"]) == ["مُدِّد 182 يومًا"] and list(moved["Service"]) == ["المياه"]
    assert set(tables["Sites closed"]["Population group"]) == {"النازحون"}
    assert ch.before == "الجولة 129 (النازحون)، 31 أيار 2023"
    # English unchanged
    en = display_tables(compare(old, new))["End dates moved"]
    assert list(en["How"]) == ["extended by 182 days"] and list(en["Service"]) == ["Water"]


def test_the_static_maps_boundary_credit_in_arabic(ds):
    from dsdash.map.static import static_map_figure

    with language("ar"):
        fig = static_map_figure(ds, width_px=1200, height_px=675, lens="site_type")
    texts = [t.get_text() for t in fig.findobj(Text) if t.get_text()]
    credit = [t for t in texts if "COD-AB" in t]
    assert credit and not any("Boundaries" in t or "simplified" in t for t in credit), credit


def test_the_seeds_name_in_the_arabic_deck(ds):
    from tests.unit.deck.test_build import all_text as text_of

    with language("ar"):
        prs = Presentation(io.BytesIO(render_deck(deck_content(ds, with_map=False))))
    title = text_of(prs.slides[0])
    assert "مواقع الأنبار غير الرسمية، كانون الأول 2023" in title and "Anbar informal sites" not in title, title

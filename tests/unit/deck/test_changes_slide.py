"""The deck's "What changed" slide: two Master List rounds (real-format files, hand counts in
tests/unit/test_history.py), the previous publication, and the seed (one round: no slide)."""

from __future__ import annotations

import io

from pptx import Presentation

from dsdash.deck.build import deck_outline, render_deck
from dsdash.deck.content import deck_content
from dsdash.deck.slides import SLIDE_TITLES
from dsdash.deck.slides.changes import NO_EARLIER
from tests.unit.deck.test_build import all_text, slide, table_rows, tables
from tests.unit.test_history import files, new, old  # noqa: F401 - fixtures

TITLE = SLIDE_TITLES["changes"]


def test_two_rounds_make_a_what_changed_slide(new):  # noqa: F811
    c = deck_content(new, with_map=False)
    prs = Presentation(io.BytesIO(render_deck(c)))
    titles = [s.shapes.title.text for s in prs.slides]
    assert titles.index(TITLE) == 2  # after the key figures
    s = slide(prs, TITLE)
    text = all_text(s)
    assert "From IDPs round 129, 31 May 2023 to IDPs round 130, 31 Jul 2023." in text
    assert "IDPs: 4 → 4 sites, 600 → 420 individuals (-180)." in text
    rows = table_rows(tables(s)[0])
    assert rows[0] == ["Site", "Where", "Group", "Status", "Before", "After", "Change"]
    assert [r[3] for r in rows[1:]] == ["opened", "closed", "fell", "rose"]
    assert [r[6] for r in rows[1:]] == ["+30", "-180", "-60", "+30"]
    assert [r[4] for r in rows[1:]] == ["—", "180", "240", "120"]
    shape = next(sh for sh in s.shapes if sh.has_table)
    assert (shape.left + shape.width) / 914400 <= 13.333 - 0.5  # inside the right margin


def test_previous_publication(old, new):  # noqa: F811
    c = deck_content(new, with_map=False, previous=old)
    assert c.changes.before.startswith("the previous publication (IDPs round 129")
    assert c.changes.counts()["needs_resolved"] == 1 and c.changes.counts()["end_dates_moved"] == 1


def test_seed_has_nothing_earlier(ds):
    c = deck_content(ds, with_map=False)
    assert c.changes is None
    assert TITLE not in dict(deck_outline(c))
    from dsdash.deck.slides import changes

    assert changes.outline(c) == [NO_EARLIER]
    prs = Presentation(io.BytesIO(render_deck(c)))
    assert TITLE not in [s.shapes.title.text for s in prs.slides]

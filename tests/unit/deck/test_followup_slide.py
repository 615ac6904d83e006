"""The deck's Follow-up slide and the "What changed" lines on exits (issue 15), read back with python-pptx."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import parse_qs, urlparse

from pptx import Presentation

from dsdash.deck.build import deck_outline, render_deck
from dsdash.deck.content import deck_content
from dsdash.deck.slides import SLIDE_TITLES
from dsdash.filters import Filters
from tests.unit.deck.test_build import all_text, slide, table_rows, tables

FOLLOWUP, CHANGES = SLIDE_TITLES["followup"], SLIDE_TITLES["changes"]


def _links(s) -> list[str]:
    return [r.hyperlink.address for sh in s.shapes if sh.has_text_frame for p in sh.text_frame.paragraphs
            for r in p.runs if r.hyperlink.address]


def test_follow_up_slide_on_15_january_2024(ds):
    c = deck_content(ds, as_of=dt.date(2024, 1, 15), with_map=False, filters=Filters(services=("health", "gbv")))
    prs = Presentation(io.BytesIO(render_deck(c)))
    s = slide(prs, FOLLOWUP)
    rows = table_rows(tables(s)[0])
    assert rows[0] == ["Partner", "Service", "Planned end", "Status", "As the source says", "Sites", "People",
                       "Left without"]
    assert [r[:4] + r[5:] for r in rows[1:]] == [
        ["Dary", "Health", "31 Dec 2023", "unconfirmed for 15 days", "19", "15,942", "15,942"],
        ["UIMS", "GBV", "31 Dec 2023", "unconfirmed for 15 days", "15", "9,444", "9,444"]]
    assert "possibility of extending" in rows[1][4]
    url = urlparse(_links(s)[0])
    assert url.path == "/gaps" and parse_qs(url.query)["as_of"] == ["2024-01-15"]
    assert set(parse_qs(url.query)["services"][0].split(",")) == {"health", "gbv"}
    assert dict(deck_outline(c))[FOLLOWUP][0] == "2 open confirmation(s); 25,386 people left without a service meanwhile"
    # what changed since the previous meeting (16 Dec 2023 – 15 Jan 2024): Dary's and UIMS's planned ends passed
    ch = all_text(slide(prs, CHANGES))
    assert "Planned ends passed without confirmation: 6" in ch and "Dary (Health" in ch
    assert "Exits confirmed: 0." in ch


def test_seed_at_its_latest_date_lists_ends_due_within_30_days(ds):
    c = deck_content(ds, with_map=False)  # 10 Dec 2023: Dary and UIMS end on 31 Dec 2023
    assert [r[3] for r in table_rows(tables(slide(Presentation(io.BytesIO(render_deck(c))), FOLLOWUP))[0])[1:]] == [
        "ends in 21 days", "ends in 21 days"]
    later = deck_content(ds, as_of=dt.date(2024, 9, 15), with_map=False, filters=Filters(services=("mhpss",)))
    prs = Presentation(io.BytesIO(render_deck(later)))
    assert "No planned end passed without confirmation" in all_text(slide(prs, FOLLOWUP))


def test_an_end_date_not_read_is_a_row_of_the_slide(ds):
    """IRC's civil documentation end written but not read: on the slide, no planned end, 'end date not
    read', and the 18,882 people nobody else serves (the outline counts them too)."""
    from tests.unit.coverage.test_followup import _irc_documentation_end_unread

    c = deck_content(_irc_documentation_end_unread(ds), as_of=dt.date(2024, 4, 10), with_map=False,
                     filters=Filters(services=("civil_documentation",)))
    rows = table_rows(tables(slide(Presentation(io.BytesIO(render_deck(c))), FOLLOWUP))[0])
    assert [r[:4] + r[5:] for r in rows[1:]] == [
        ["IRC", "Civil documentation", "", "end date not read", "28", "18,882", "18,882"]]
    assert rows[1][4] == "until end of grant (tbc)"
    assert dict(deck_outline(c))[FOLLOWUP][0] == "1 open confirmation(s); 18,882 people left without a service meanwhile"

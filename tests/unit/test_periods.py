"""When each table's data is from: staleness of an as-of date past a table's latest data, and
presence and population of different periods, on the embedded data's real dates (population
and needs 10 Dec 2023, the presence of the DSTWG deck of 13 Dec 2023, FVM to 30 Apr 2023)."""

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dsdash.dataset import load_embedded
from dsdash.deck.content import deck_content
from dsdash.filters import Filters
from dsdash.periods import (COVERAGE_TABLES, STALENESS_TABLES, Staleness, latest_dates, period_mismatch,
                            presence_date, staleness, warnings)
from dsdash.provenance import KeyFigure
from dsdash.view import View, checked_as_of

D = dt.date
SEED_LATEST = {"population": D(2023, 12, 10), "presence": D(2023, 12, 13), "needs": D(2023, 12, 10),
               "fvm": D(2023, 4, 30)}


@pytest.fixture(scope="module")
def ds():
    return load_embedded()


def _dated(ds, day: str):
    """The seed with every population count moved to ``day`` (a Master List of another period)."""
    pop = ds.population.copy()
    pop["reference_date"] = pd.Series(pd.Timestamp(day), index=pop.index).astype(ds.population["reference_date"].dtype)
    return ds.with_tables(population=pop)


def test_latest_data_of_each_table(ds):
    assert latest_dates(ds) == SEED_LATEST
    # the presence date is the deck's ("DSTWG 13 Dec 2023"), not a planned end (IRC 30 Apr 2024, BWA 31 Dec 2024)
    assert ds.presence["end_date"].max() == pd.Timestamp("2024-12-31")


def test_presence_date_without_dated_sources():
    """No date in the sources: the newest start or confirmed end; planned ends never count."""
    p = pd.DataFrame({"source": ["partners.xlsx sheet Presence, row 2", "partners.xlsx sheet Presence, row 3",
                                 "partners.xlsx sheet Presence, row 4"],
                      "status": ["ended", "active", "scheduled_end"],
                      "start_date": pd.to_datetime([None, "2023-10-01", None]),
                      "end_date": pd.to_datetime(["2023-10-31", None, "2024-04-30"])})
    assert presence_date(p) == D(2023, 10, 31)
    assert presence_date(p.iloc[[1]]) == D(2023, 10, 1)
    assert presence_date(p.iloc[[2]]) is None  # only a plan
    assert presence_date(p.iloc[0:0]) is None
    dated = p.assign(source=["Anbar_presence_2024-03-15.xlsx, row 2"] * 3)
    assert presence_date(dated) == D(2024, 3, 15)


def test_nothing_is_stale_on_the_data_latest_date(ds):
    s = staleness(ds, View())
    assert s.as_of == D(2023, 12, 10)
    assert s.stale(*COVERAGE_TABLES) == () and s.warning(*COVERAGE_TABLES) is None
    assert s.note("population", "presence") == ""
    # the FVM table ends in April 2023: a figure from it says so
    assert s.stale() == ("fvm",) and s.note("fvm") == "latest data: 30 Apr 2023"
    assert warnings(ds, None) == []


def test_an_as_of_date_past_the_data(ds):
    s = staleness(ds, View(as_of=D(2024, 5, 15)))
    assert s.stale(*COVERAGE_TABLES) == ("population", "presence", "needs")
    assert s.note("population") == "latest data: 10 Dec 2023"
    assert s.note("population", "needs") == "latest data: 10 Dec 2023"
    assert s.note("presence", "population") == \
        "latest data: partner presence 13 Dec 2023, population counts 10 Dec 2023"
    w = s.warning(*COVERAGE_TABLES)
    assert w.startswith("The as-of date, 15 May 2024, is past the latest data (population counts: latest data "
                        "10 Dec 2023; partner presence: latest data 13 Dec 2023; reported needs: latest data "
                        "10 Dec 2023).")
    kf = KeyFigure("Individuals", 18882, "individuals", "DTM", "as of 10 Dec 2023", "hh x 6")
    assert [k.date for k in s.mark([kf], "population")] == ["as of 10 Dec 2023 · latest data: 10 Dec 2023"]
    assert s.mark([kf], "population")[0].value == 18882
    # between the population date and the presence report: only the population is past
    s = staleness(ds, View(as_of=D(2023, 12, 12)))
    assert s.stale(*COVERAGE_TABLES) == ("population", "needs") and s.note("presence") == ""
    assert warnings(ds, D(2023, 12, 12)) == [s.warning(*COVERAGE_TABLES)]


@given(st.dates(min_value=D(2015, 1, 1), max_value=D(2030, 12, 31)))
def test_stale_exactly_when_the_as_of_date_is_after_the_latest_data(day):
    s = Staleness(day, SEED_LATEST)
    assert s.stale() == tuple(t for t in STALENESS_TABLES if SEED_LATEST[t] < day)
    kf = KeyFigure("Sites", 28, "sites", "DTM", "as of 10 Dec 2023", "count")
    marked = s.mark([kf], "population")[0]
    assert (marked == kf) == (day <= SEED_LATEST["population"])
    assert (s.warning() is None) == (day <= SEED_LATEST["fvm"])


def test_presence_and_population_of_the_same_period_agree(ds):
    assert period_mismatch(ds) is None
    assert period_mismatch(_dated(ds, "2023-07-31")) is None  # four months apart, presence covers it
    assert period_mismatch(ds.with_tables(presence=ds.presence.iloc[0:0])) is None


def test_presence_of_another_period_is_said(ds):
    old = _dated(ds, "2021-02-28")  # the case: two 2021 rounds and the 2023 seed presence
    msg = period_mismatch(old)
    assert msg.startswith("Partner presence and population counts come from different periods: presence reported "
                          "13 Dec 2023, population counts of 28 Feb 2021 (2 years 10 months apart).")
    assert warnings(old, D(2021, 2, 28)) == [msg]
    assert period_mismatch(_dated(ds, "2023-05-31")).endswith("load the presence of the same period.")  # > 6 months


def test_presence_that_covers_no_day_of_the_population_is_said(ds):
    """Three months apart, but every presence row starts after the population count."""
    pres = pd.DataFrame({c: ds.presence[c].iloc[:2] for c in ds.presence.columns}).reset_index(drop=True)
    pres["start_date"] = pd.Series(pd.Timestamp("2024-02-01"), index=pres.index).astype(pres["start_date"].dtype)
    pres["source"] = "presence_2024-03-10.xlsx, row 2"
    msg = period_mismatch(ds.with_tables(presence=pres))
    assert "presence reported 10 Mar 2024, population counts of 10 Dec 2023 (no presence row covers 10 Dec 2023)" \
        in msg


def test_an_as_of_date_outside_the_data_is_reset_with_a_note(ds):
    assert checked_as_of(ds, None) == (D(2023, 12, 10), None)
    assert checked_as_of(ds, D(2024, 5, 15)) == (D(2024, 5, 15), None)
    day, note = checked_as_of(ds, D(2021, 2, 28))
    assert day == D(2023, 12, 10)
    assert note == ("The as-of date 28 Feb 2021 lies outside the active data: its dates run from 01 Jan 2023 to "
                    "31 Dec 2024, and an as-of date may lie at most a year beyond them. The view is reset to the "
                    "data's latest date, 10 Dec 2023.")
    assert checked_as_of(ds, D(2026, 1, 2))[0] == D(2023, 12, 10)
    assert checked_as_of(ds, D(2026, 1, 1)) == (D(2026, 1, 1), None)


def test_the_deck_says_so(ds):
    c = deck_content(ds, filters=Filters(), as_of=D(2024, 5, 15), with_map=False)
    assert c.warnings == warnings(ds, D(2024, 5, 15))
    sites = {k.label: k.date for k in c.figures}
    assert sites["Individuals"].endswith("latest data: 10 Dec 2023")
    assert "latest data" not in sites["IDPs in Iraq (national)"]
    assert deck_content(ds, with_map=False).warnings == []
    old = deck_content(_dated(ds, "2021-02-28"), as_of=D(2021, 2, 28), with_map=False)
    assert len(old.warnings) == 1 and old.warnings[0].startswith("Partner presence and population counts")


def _texts(slide) -> list[tuple[str, object]]:
    return [(sh.text_frame.text, sh) for sh in slide.shapes if sh.has_text_frame]


def test_the_deck_slides_say_so_above_the_gap_table(ds):
    """The title slide and the gap slide carry the warning, in red, and the gap table starts below it."""
    import io

    from pptx import Presentation
    from pptx.util import Emu

    from dsdash.deck.build import render_deck
    from dsdash.deck.slides.gaps import TITLE as GAPS_TITLE

    old = deck_content(_dated(ds, "2021-02-28"), as_of=D(2024, 5, 15))
    assert len(old.warnings) == 2  # another period, and past the latest data
    prs = Presentation(io.BytesIO(render_deck(old)))
    title = _texts(prs.slides[0])
    said = [sh for text, sh in title if text.startswith("Partner presence and population counts come from")]
    assert len(said) == 1 and said[0].text_frame.paragraphs[1].text.startswith("The as-of date, 15 May 2024")
    assert str(said[0].text_frame.paragraphs[0].runs[0].font.color.rgb) == "B71C1C"
    gaps = next(s for s in prs.slides if s.shapes.title is not None and s.shapes.title.text == GAPS_TITLE)
    box = next(sh for text, sh in _texts(gaps) if text.startswith("Partner presence and population counts"))
    table = next(sh for sh in gaps.shapes if sh.has_table)
    assert box.top + box.height <= table.top  # the warning sits above the table, not on it
    assert Emu(table.top + table.height).inches <= 6.45 + 0.01  # and the table ends above the source line
    plain = deck_content(ds, with_map=False)
    assert plain.warnings == [] and not any("different periods" in t for t, _ in _texts(
        Presentation(io.BytesIO(render_deck(plain))).slides[0]))


@given(st.dates(min_value=D(2019, 1, 1), max_value=D(2028, 12, 31)))
def test_presence_and_population_agree_only_within_six_months(ds, day):
    """The seed's presence (13 Dec 2023; rows without a start, the latest planned end 31 Dec 2024,
    some with no end) against population counts of any date."""
    msg = period_mismatch(_dated(ds, day.isoformat()))
    apart = abs((day - D(2023, 12, 13)).days) > 183
    assert (msg is not None) == apart  # some seed row has neither start nor end: it covers every day
    if msg:
        assert f"population counts of {day:%d %b %Y}" in msg and "presence reported 13 Dec 2023" in msg


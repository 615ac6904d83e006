"""Review walks B1/B2 (fix phase): Arabic sentences join their parts with the Arabic semicolon
(the as-of warning, the partner footprint), English keeps '; '; the footprint names the partner as
the data first writes it, not as typed."""

from __future__ import annotations

import datetime as dt

import numpy as np

from dsdash.i18n import language
from dsdash.periods import COVERAGE_TABLES, staleness
from dsdash.view import View
from dsdash.wwww import footprint_words, partner_footprint

DAY = dt.date(2023, 12, 10)


def test_the_as_of_warning_separates_tables_with_the_arabic_semicolon(ds):
    s = staleness(ds, View(as_of=dt.date(2024, 5, 15)))
    assert "10 Dec 2023; partner presence" in s.warning(*COVERAGE_TABLES)
    with language("ar"):
        w = s.warning(*COVERAGE_TABLES)
    assert "؛ " in w.split(")")[0] and "; " not in w


def test_the_footprint_sentence_separates_services_with_the_arabic_semicolon(ds):
    fp = partner_footprint(ds, "IRC", as_of=DAY)
    assert "; " in footprint_words("IRC", fp, DAY)
    with language("ar"):
        words = footprint_words("IRC", fp, DAY)
    assert "؛ " in words and "; " not in words


def test_the_footprint_names_the_partner_as_first_written(ds):
    pres = ds.presence.copy()
    irc = np.flatnonzero((pres["partner"] == "IRC").to_numpy())
    pres.loc[pres.index[irc[1]], "partner"] = "I.R.C."
    spelt = ds.with_tables(presence=pres)
    for typed in (" irc ", "I.R.C.", "irc"):
        assert footprint_words(typed, partner_footprint(spelt, typed, as_of=DAY), DAY).startswith("IRC serves ")
    # not serving on the date: still named as written
    early = dt.date(2025, 1, 1)
    assert footprint_words("irc", partner_footprint(spelt, "irc", as_of=early), early).startswith("IRC serves none")


def test_the_latest_data_note_separates_tables_with_the_arabic_comma(ds):
    s = staleness(ds, View(as_of=dt.date(2024, 5, 15)))
    assert s.note("presence", "population") == "latest data: partner presence 13 Dec 2023, population counts 10 Dec 2023"
    with language("ar"):
        note = s.note("presence", "population")
    assert "، " in note and ", " not in note

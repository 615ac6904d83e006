"""The view state: filters, as-of date and horizon round-trip through the URL query string,
and no query string, however odd, makes reading it fail."""

import datetime as dt
from dataclasses import fields

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dsdash.filters import Filters
from dsdash.schema import DEFAULT_HORIZON_DAYS
from dsdash.view import MAX_HORIZON_DAYS, QUERY_KEYS, View

# a filter value the URL carries as itself: not empty, no comma, no surrounding spaces
_item = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters=","), min_size=1, max_size=12) \
    .map(str.strip).filter(bool)
filters = st.builds(Filters, **{f.name: st.lists(_item, max_size=3, unique=True).map(tuple) for f in fields(Filters)})
views = st.builds(View, filters=filters, as_of=st.none() | st.dates(),
                  horizon_days=st.integers(min_value=0, max_value=MAX_HORIZON_DAYS))
# what a browser may send: any key, any text or list of texts
_value = st.text(max_size=20) | st.lists(st.text(max_size=8), max_size=3)
queries = st.dictionaries(st.sampled_from(QUERY_KEYS) | st.text(max_size=8), _value, max_size=10)


@given(views)
def test_a_view_round_trips_through_the_query(v):
    q = v.to_query()
    assert all(isinstance(k, str) and isinstance(x, str) for k, x in q.items())
    assert View.from_query(q) == v


@given(queries)
def test_any_query_reads_as_a_view(q):
    v = View.from_query(q)
    assert isinstance(v, View) and 0 <= v.horizon_days <= MAX_HORIZON_DAYS
    assert View.from_query(v.to_query()) == v  # what was read is written back as it was read


def test_defaults_and_what_is_ignored():
    assert View() == View.from_query({}) == View(Filters(), None, DEFAULT_HORIZON_DAYS)
    assert View().to_query() == {"horizon": str(DEFAULT_HORIZON_DAYS)}
    for bad in ("soon", "2023-13-45", "10/12/2023", "20231210", "2023-W49-7", " ", "٢٠٢٣-١٢-١٠"):
        assert View.from_query({"as_of": bad}).as_of is None, bad
    for bad in ("-5", "5.0", "+5", "ninety", "", str(MAX_HORIZON_DAYS + 1), "99999999999999999999"):
        assert View.from_query({"horizon": bad}).horizon_days == DEFAULT_HORIZON_DAYS, bad
    v = View.from_query({"as_of": " 2023-12-10 ", "horizon": ["0", "30"], "services": "water,health", "x": "y"})
    assert v == View(Filters(services=("water", "health")), dt.date(2023, 12, 10), 30)


def test_a_view_is_checked_when_made():
    assert View(as_of=dt.datetime(2024, 3, 1, 12, 30)).as_of == dt.date(2024, 3, 1)
    with pytest.raises(ValueError):
        View(horizon_days=-1)
    with pytest.raises(ValueError):
        View(horizon_days=True)
    with pytest.raises(TypeError):
        View(as_of="2024-03-01")


def test_resolved_as_of_and_describe(ds):
    assert View().resolved_as_of(ds) == ds.latest_date() == dt.date(2023, 12, 10)
    assert View(as_of=dt.date(2024, 1, 15)).resolved_as_of(ds) == dt.date(2024, 1, 15)
    assert View().describe() == "all sites, all services; as of the data's latest date; at-risk horizon 90 days"
    v = View(Filters(site_group=("Rutba",)), dt.date(2024, 3, 1), 60)
    assert v.describe() == "site group: Rutba; as of 01 Mar 2024; at-risk horizon 60 days"


def test_a_typed_as_of_date():
    """What the as-of text field accepts (Enter applies it) and what it says otherwise."""
    from dsdash.dataset import load_embedded
    from dsdash.view import date_bounds, typed_date

    ds = load_embedded()  # dates from 1 Jan 2023 to 31 Dec 2024: as-of dates 31 Dec 2021 to 1 Jan 2026

    def typed_as_of(_ds, text):
        return typed_date(text, *date_bounds(ds), ds.latest_date())
    for text in ("2023-09-30", " 30 Sep 2023", "30/09/2023", "Sep 2023", "2023-9-30"):
        assert typed_as_of(ds, text) == (dt.date(2023, 9, 30), None), text
    assert typed_as_of(ds, "2026-01-01") == (dt.date(2026, 1, 1), None)
    day, why = typed_as_of(ds, "2021-02-28")
    assert day is None and why == "28 Feb 2021 lies outside the active data: type a date from 31 Dec 2021 to 01 Jan 2026."
    day, why = typed_as_of(ds, "09/10/2023")
    assert day is None and why.endswith("(day or month first?). Type it as 2023-10-09.")
    for text in ("soon", "", "2023-13-45", "31/02/2024"):
        day, why = typed_as_of(ds, text)
        assert day is None and why.endswith("e.g. 2023-12-10."), (text, why)  # the data's latest date

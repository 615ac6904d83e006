"""The composition rules (dsdash.compose), as the session-only upload path uses them (build_dataset):
a Master List loaded with the defaults does not mix in the seed's presence (issue 13), rounds
accumulate, and superseded_by says which part took another's place."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsdash.compose import EMBEDDED, Part, compose, superseded_by
from dsdash.importers import build_dataset, import_file
from tests.support.dtm_fixtures import TWO_ROUNDS, _round_locations, master_list, two_rounds

SHEET = """Organisation,Org type,Sector,Governorate,District,Site,Start date,End date,Status
IRC,INGO,WASH,Anbar,,,2020-01-01,ongoing,Ongoing
"""


def test_a_master_list_with_the_defaults_does_not_mix_in_the_seed_presence(ds):
    r1, r2 = two_rounds("csv")
    built = build_dataset([import_file(f.data, f.filename) for f in (r1, r2)], ds)
    assert len(built.presence) == 0 and len(built.needs) == 0  # the seed's presence and needs are about its sites
    assert len(built.sites) == 8 and set(built.sites["site_id"]).isdisjoint(ds.sites["site_id"])
    latest = built.population[built.population["reference_date"] == built.population["reference_date"].max()]
    assert int(latest["individuals"].sum()) == TWO_ROUNDS["round_2"]["individuals"]
    asked = build_dataset([import_file(r1.data, r1.filename)], ds, presence_mode="add")
    assert len(asked.presence) == len(ds.presence)  # "add": the user asked for the seed presence


def test_a_presence_sheet_replaces_the_seed_presence_by_default(ds):
    res = import_file(SHEET.encode(), "anbar_3w.csv")
    built = build_dataset([res], ds)
    assert built.presence["partner"].tolist() == ["IRC"] and len(built.sites) == 28
    assert len(build_dataset([res], ds, presence_mode="add").presence) == len(ds.presence) + 1


def test_adds_locations_keeps_the_seed_sites_and_their_presence(ds):
    r1, _ = two_rounds("csv")
    built = build_dataset([import_file(r1.data, r1.filename)], ds, adds_locations=True)
    assert len(built.sites) == 28 + 6 and len(built.presence) == len(ds.presence) and len(built.needs) == len(ds.needs)
    assert int(built.population["individuals"].sum()) == 18_882 + 930


#: Four IDP rounds of the same eight locations, each a month apart.
ROUNDS = [
    master_list(_round_locations({k: (n + i, 6 * (n + i)) for k, n in zip("ABCDEFGH", range(1, 9))}), fmt="csv",
                round_=121 + i, month=month, filename=f"IDP_ML_R{121 + i}_{date}.csv")
    for i, (month, date) in enumerate([("31 March 2021", "2021-03-31"), ("30 April 2021", "2021-04-30"),
                                       ("31 May 2021", "2021-05-31"), ("30 June 2021", "2021-06-30")])
]
RESULTS = [import_file(f.data, f.filename) for f in ROUNDS]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(range(4)), min_size=1, max_size=6))
def test_rounds_accumulate_whatever_the_order_and_repeats(ds, picks):
    """Any sequence of rounds (in any order, some twice): one population row per site and round chosen,
    the latest round is the latest date chosen, the seed's sites are gone, and a repeated round is
    superseded by its later copy."""
    seed = Part(EMBEDDED, dict(ds.tables), label="seed")
    parts = [seed] + [Part(RESULTS[i].kind, RESULTS[i].tables, RESULTS[i].reports, label=ROUNDS[i].filename)
                      for i in picks]
    built = compose(parts)
    chosen = sorted(set(picks))
    assert len(built.population) == 8 * len(chosen) and len(built.sites) == 8
    assert sorted(built.population["dtm_round"].unique().tolist()) == [121 + i for i in chosen]
    assert built.population["reference_date"].max() == max(
        pd.Timestamp(ROUNDS[i].filename.split("_")[-1][:-4]) for i in chosen)
    by = superseded_by(parts)
    positions = {k: i for k, i in enumerate(picks, start=1)}
    for pos, i in positions.items():
        later = [p for p, j in positions.items() if j == i and p > pos]
        assert (pos in by) == bool(later)
    assert by.get(0) is None  # the seed is one multi-table part here: it still gives the national series
    assert len(built.national_series) == len(ds.national_series)


PARTNERS = ["IRC", "NRC", "DRC", "UNHCR"]
AREAS = ["IQG01", "IQG10", "IQG15"]


def _sheet(pairs: list[tuple[int, int]], k: int) -> pd.DataFrame:
    """A presence sheet (already imported) with one governorate-wide row per (partner, area), tagged k."""
    from dsdash.schema import TABLES
    from dsdash.validate import coerce

    rows = [{"partner": PARTNERS[p], "partner_type": "INGO", "scope": "governorate", "scope_id": AREAS[a],
             "service": "water", "status": "active", "start_date": pd.Timestamp("2024-01-01"),
             "source": f"sheet {k}"} for p, a in pairs]
    return coerce(pd.DataFrame(rows, columns=TABLES["presence"].column_names), TABLES["presence"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2)), min_size=1, max_size=6, unique=True),
                min_size=1, max_size=4))
def test_each_partner_and_area_comes_from_the_newest_sheet_that_names_it(ds, sheets):
    seed = Part(EMBEDDED, dict(ds.tables), label="seed")
    parts = [seed] + [Part("presence", {"presence": _sheet(pairs, k)}, label=f"sheet {k}")
                      for k, pairs in enumerate(sheets)]
    got = compose(parts).presence
    expected = {}
    for k, pairs in enumerate(sheets):
        for p, a in pairs:
            expected[(PARTNERS[p], AREAS[a])] = f"sheet {k}"
    assert sorted(zip(got["partner"], got["scope_id"], got["source"])) == sorted(
        (p, a, src) for (p, a), src in expected.items())  # the seed's presence replaced, newest sheet per pair
    by = superseded_by(parts)
    for k, pairs in enumerate(sheets, start=1):
        still_gives = any(expected[(PARTNERS[p], AREAS[a])] == f"sheet {k - 1}" for p, a in pairs)
        assert (k in by) == (not still_gives)  # superseded when every pair of it is in a newer sheet


def test_a_partner_spelt_another_way_in_the_newer_sheet_is_still_the_same_partner(ds):
    """'I.O.M.' said in January it serves Anbar; the newer sheet, which writes 'IOM', says it stopped.
    The older row must not keep the partner serving (compose compared names as written: both stayed)."""
    old = _sheet([(0, 0)], 0).assign(partner="I.O.M.")
    new = _sheet([(0, 0)], 1).assign(partner=" iom ", status="closed", end_date=pd.Timestamp("2024-03-31"))
    seed = Part(EMBEDDED, dict(ds.tables), label="seed")
    parts = [seed, Part("presence", {"presence": old}, label="sheet 0"),
             Part("presence", {"presence": new}, label="sheet 1")]
    got = compose(parts).presence
    assert got["source"].tolist() == ["sheet 1"] and got["status"].tolist() == ["closed"]
    assert superseded_by(parts).get(1) == 2

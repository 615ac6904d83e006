"""dsdash.history: what changed between two pictures, counted by hand on real-format files.

The files are written as IOM and partners write them (tests/support/dtm_fixtures.py: an XLSX
Master List with title rows, index column and breakdown columns; a 4W sheet; a needs table
as dsdash exports it) and go through the importers.

Round 129 (31 May 2023), individuals = households × 6:
    100001: 10 hh (60)   100002: 20 hh (120)   100003: 30 hh (180)   100004: 40 hh (240)  → 600
Round 130 (31 Jul 2023):
    100001: 10 hh (60, no change)   100002: 25 hh (150, +30)   100003: closed (−180)
    100004: 30 hh (180, −60)        100005: 5 hh (30, new)                              → 420
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dsdash.history import compare, compare_rounds, picture_label, previous_round_dates
from dsdash.importers import build_dataset, import_file
from tests.support.dtm_fixtures import locations, master_list

HH_129 = {100001: 10, 100002: 20, 100003: 30, 100004: 40}
HH_130 = {100001: 10, 100002: 25, 100004: 30, 100005: 5}

PRESENCE_OLD = """Organisation,Sector,Site ID,Governorate,Start date,End date
IRC,WASH,100001,,2023-01-01,2023-12-31
NRC,Shelter,100002,,2023-01-01,2023-06-15
DRC,Health,,Anbar,2023-01-01,
"""
PRESENCE_NEW = """Organisation,Sector,Site ID,Governorate,Start date,End date
IRC,WASH,100001,,2023-01-01,2024-06-30
NRC,Shelter,100002,,2023-01-01,2023-06-15
UNICEF,Education,100005,,2023-07-01,
"""
NEEDS_OLD = """scope,scope_id,service,severity,reported_on,source
site,100002,water,high,2023-05-20,focal point report May 2023
site,100003,health,medium,2023-05-20,focal point report May 2023
"""
NEEDS_NEW = """scope,scope_id,service,severity,reported_on,source
site,100002,water,high,2023-05-20,focal point report May 2023
site,100005,shelter_nfi,high,2023-07-20,focal point report July 2023
"""


def _round(hh: dict[int, int], round_: int, month: str, name: str):
    ids = sorted(hh)
    locs = locations(5, seed=7, camps=0.0)  # ids 100001-100005, one governorate each
    locs = locs[locs["place_id"].isin(ids)].reset_index(drop=True)
    locs["households"] = [hh[i] for i in locs["place_id"]]
    locs["individuals"] = locs["households"] * 6
    fx = master_list(locs, round_=round_, month=month, fmt="xlsx", filename=name)
    return import_file(fx.data, fx.filename)


@pytest.fixture(scope="module")
def files():
    r129 = _round(HH_129, 129, "May 2023", "DTM_IDP_ML_R129_May2023.xlsx")
    r130 = _round(HH_130, 130, "July 2023", "DTM_IDP_ML_R130_Jul2023.xlsx")
    assert r129.report.rows_accepted == 4 and r130.report.rows_accepted == 4
    return {
        "r129": r129, "r130": r130,
        "p_old": import_file(PRESENCE_OLD.encode(), "4W_May2023.csv"),
        "p_new": import_file(PRESENCE_NEW.encode(), "4W_Jul2023.csv"),
        "n_old": import_file(NEEDS_OLD.encode(), "needs_May2023.csv"),
        "n_new": import_file(NEEDS_NEW.encode(), "needs_Jul2023.csv"),
    }


@pytest.fixture(scope="module")
def old(files):
    """The publication of May: round 129, the May 4W and needs."""
    return build_dataset([files["r129"], files["p_old"], files["n_old"]], presence_mode="replace")


@pytest.fixture(scope="module")
def new(files):
    """The publication of July: rounds 129 and 130, the July 4W and needs."""
    return build_dataset([files["r129"], files["r130"], files["p_new"], files["n_new"]], presence_mode="replace")


def _status(changes) -> dict[str, str]:
    return dict(zip(changes.sites["site_id"], changes.sites["status"]))


def test_two_publications_sites_and_population(old, new):
    c = compare(old, new)
    assert c.before == "IDPs round 129, 31 May 2023" and c.after == "IDPs round 130, 31 Jul 2023"
    assert _status(c) == {"100005": "appeared", "100003": "closed", "100002": "rise", "100004": "fall",
                          "100001": "no change"}
    assert list(c.opened["site_id"]) == ["100005"] and int(c.opened["after"].iat[0]) == 30
    assert list(c.closed["site_id"]) == ["100003"] and int(c.closed["before"].iat[0]) == 180
    big = c.biggest()
    assert list(zip(big["site_id"], big["change"].astype(int))) == [("100004", -60), ("100002", 30)]
    t = c.totals.iloc[0]
    assert (t["population_group"], t["sites_before"], t["sites_after"]) == ("idp", 4, 4)
    assert (t["individuals_before"], t["individuals_after"], t["change"]) == (600, 420, -180)


def test_two_publications_partners_and_needs(old, new):
    c = compare(old, new)
    # serving on 31 May (May 4W): IRC water, NRC shelter, DRC health; on 31 Jul (July 4W): IRC water, UNICEF education
    assert list(zip(c.partners_started["partner"], c.partners_started["service"])) == [("UNICEF", "education")]
    assert c.partners_started["area"].iat[0] == c.sites.set_index("site_id").at["100005", "site_name"]
    ended = c.partners_ended.set_index("partner")
    assert sorted(ended.index) == ["DRC", "NRC"]
    assert ended.at["NRC", "end_date"] == pd.Timestamp("2023-06-15")  # as the July sheet states it
    assert pd.isna(ended.at["DRC", "end_date"]) and ended.at["DRC", "area"] == "Al-Anbar"  # no longer listed
    moved = c.end_dates_moved
    assert len(moved) == 1
    m = moved.iloc[0]
    assert (m["partner"], m["service"], m["end_before"], m["end_after"]) == \
        ("IRC", "water", pd.Timestamp("2023-12-31"), pd.Timestamp("2024-06-30"))
    assert m["how"] == "extended by 182 days"
    assert list(zip(c.needs_reported["scope_id"], c.needs_reported["service"])) == [("100005", "shelter_nfi")]
    assert list(zip(c.needs_resolved["scope_id"], c.needs_resolved["service"])) == [("100003", "health")]
    assert c.counts() == {"opened": 1, "closed": 1, "rise": 1, "fall": 1, "partners_started": 1,
                          "partners_ended": 2, "end_dates_moved": 1, "needs_reported": 1, "needs_resolved": 1}


def test_two_rounds_of_one_dataset(new):
    assert previous_round_dates(new) == {"idp": (pd.Timestamp("2023-05-31"), pd.Timestamp("2023-07-31"))}
    c = compare_rounds(new)
    assert (c.before, c.after) == ("IDPs round 129, 31 May 2023", "IDPs round 130, 31 Jul 2023")
    assert _status(c) == {"100005": "appeared", "100003": "closed", "100002": "rise", "100004": "fall",
                          "100001": "no change"}
    # one dataset: NRC's end (15 Jun) falls between the rounds, UNICEF starts on 1 Jul; nothing resolved
    assert c.counts() == {"opened": 1, "closed": 1, "rise": 1, "fall": 1, "partners_started": 1,
                          "partners_ended": 1, "end_dates_moved": 0, "needs_reported": 1, "needs_resolved": 0}
    assert c.partners_ended["partner"].tolist() == ["NRC"]
    same = compare_rounds(new, dt.date(2023, 5, 31), dt.date(2023, 7, 31))
    assert same.counts() == c.counts()
    pd.testing.assert_frame_equal(same.sites, c.sites)


def test_lines_name_what_changed(old, new):
    text = "\n".join(compare(old, new).lines())
    assert "From IDPs round 129, 31 May 2023 to IDPs round 130, 31 Jul 2023." in text
    assert "IDPs: 4 → 4 sites, 600 → 420 individuals (-180)." in text
    assert "1 opened" in text and "1 closed" in text and "Partners: 1 started (UNICEF Education in " in text
    assert "Needs: 1 reported, 1 resolved." in text
    assert "None" not in text and "nan" not in text


def test_nothing_to_compare(ds, new):
    assert compare_rounds(ds) is None  # the seed holds one round
    same = compare(new, new)
    assert same.nothing and same.lines()[-1] == "Nothing changed in sites, population, partners or needs."
    assert picture_label(ds.population.iloc[0:0]) == "no population rows"


def test_filters_narrow_every_part(old, new):
    from dsdash.filters import Filters

    gov = new.sites.set_index("site_id").at["100005", "admin1_code"]
    c = compare(old, new, filters=Filters(admin1=(gov,)))
    assert c.sites["site_id"].tolist() == ["100005"]
    assert c.partners_started["partner"].tolist() == ["UNICEF"] and c.partners_ended.empty
    assert c.needs_reported["scope_id"].tolist() == ["100005"] and c.needs_resolved.empty


def test_publication_points_group_one_upload():
    from dsdash.history import publication_points

    t0 = pd.Timestamp("2026-11-30 09:00:00", tz="UTC")
    log = pd.DataFrame({
        "at": [t0, t0 + pd.Timedelta(hours=1), t0 + pd.Timedelta(hours=1, seconds=1),
               t0 + pd.Timedelta(hours=1, seconds=2), t0 + pd.Timedelta(hours=1, seconds=3),
               t0 + pd.Timedelta(hours=2), t0 + pd.Timedelta(hours=2, seconds=30)],
        "who": ["dsdash", "Amal", "Amal", "Amal", "Amal", "Omar", "Omar"],
        "action": ["seed", "add", "publish", "add", "publish", "withdraw", "publish"],
        "snapshot_ids": ["1,2,3", "12", "12", "13", "13", "13", "13"],
        "why": [""] * 7,
    })
    pts = publication_points(log)
    assert pts["label"].tolist() == [
        "30 Nov 2026 09:00 UTC · the embedded seed data · dsdash",
        "30 Nov 2026 10:00 UTC · publish 12, 13 · Amal",  # one upload of two files: one point, its last moment
        "30 Nov 2026 11:00 UTC · withdraw 13 · Omar",  # a withdraw then a publish: two points
        "30 Nov 2026 11:00 UTC · publish 13 · Omar",
    ]
    assert pts["at"].tolist() == [log["at"][0], log["at"][4], log["at"][5], log["at"][6]]


# --------------------------------------------------------------------------- invariants
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from dsdash.dataset import Dataset  # noqa: E402
from dsdash.schema import TABLES  # noqa: E402
from dsdash.validate import coerce  # noqa: E402

SITES = [f"S{i}" for i in range(6)]
DAYS = pd.date_range("2023-01-31", periods=4, freq="ME")


def _dataset(pop, pres, needs) -> Dataset:
    sites = pd.DataFrame({"site_id": SITES, "site_name": [f"Site {s}" for s in SITES], "admin1_code": "IQG01",
                          "admin2_code": "IQG01Q01", "site_type": "location", "source": "test"})
    pop = pd.DataFrame(pop, columns=["site_id", "population_group", "individuals", "reference_date"]).assign(
        individuals_method="reported", source="test")
    pres = pd.DataFrame(pres, columns=["partner", "service", "scope_id", "start_date", "end_date"]).assign(
        partner_type="INGO", scope="site", status="active", source="test")
    needs = pd.DataFrame(needs, columns=["scope_id", "service", "reported_on"]).assign(
        scope="site", severity="high", source="test")
    tables = {"sites": sites, "population": pop, "presence": pres, "needs": needs}
    return Dataset(name="h", tables={t: coerce(df, TABLES[t]) for t, df in tables.items()})


_pop_row = st.tuples(st.sampled_from(SITES), st.sampled_from(["idp", "returnee"]), st.integers(0, 500),
                     st.sampled_from(list(DAYS)))
_date = st.one_of(st.none(), st.sampled_from(list(pd.date_range("2022-12-15", periods=8, freq="20D"))))
_pres_row = st.tuples(st.sampled_from(["IRC", "NRC", "DRC"]), st.sampled_from(["water", "health"]),
                      st.sampled_from(SITES), _date, _date)
_need_row = st.tuples(st.sampled_from(SITES), st.sampled_from(["water", "health"]), st.sampled_from(list(DAYS)))
_side = st.tuples(st.lists(_pop_row, max_size=14), st.lists(_pres_row, max_size=6), st.lists(_need_row, max_size=4))


def _unique(pop):
    return list({(s, g, d): (s, g, n, d) for s, g, n, d in pop}.values())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_side, _side, st.sampled_from(list(DAYS)), st.sampled_from(list(DAYS)))
def test_compare_backwards_mirrors_forwards(a, b, da, db):
    """From a to b and from b to a: opened ↔ closed, rises ↔ falls, started ↔ ended, reported ↔
    resolved; the site changes add up to the totals' change; a picture compared with itself is unchanged."""
    old, new = _dataset(_unique(a[0]), a[1], a[2]), _dataset(_unique(b[0]), b[1], b[2])
    fwd = compare(old, new, old_as_of=da, new_as_of=db)
    back = compare(new, old, old_as_of=db, new_as_of=da)

    def keys(df, cols):
        return sorted(map(tuple, df[cols].astype(str).to_numpy()))

    assert keys(fwd.opened, ["site_id", "population_group"]) == keys(back.closed, ["site_id", "population_group"])
    assert keys(fwd.closed, ["site_id", "population_group"]) == keys(back.opened, ["site_id", "population_group"])
    assert fwd.counts()["rise"] == back.counts()["fall"] and fwd.counts()["fall"] == back.counts()["rise"]
    line = ["partner", "service", "scope_id"]
    assert keys(fwd.partners_started, line) == keys(back.partners_ended, line)
    assert keys(fwd.partners_ended, line) == keys(back.partners_started, line)
    assert keys(fwd.needs_reported, ["scope_id", "service"]) == keys(back.needs_resolved, ["scope_id", "service"])
    assert len(fwd.end_dates_moved) == len(back.end_dates_moved)
    assert int(fwd.sites["change"].sum()) == int(fwd.totals["change"].sum()) == -int(back.totals["change"].sum())
    assert compare(new, new, old_as_of=db, new_as_of=db).nothing


def test_display_tables_read_in_words_and_export(old, new):
    import io

    import openpyxl

    from dsdash.export import to_xlsx_bytes
    from dsdash.history import display_tables

    tables = display_tables(compare(old, new))
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(tables)))
    assert wb.sheetnames == ["Sites opened", "Sites closed", "Biggest population changes", "Partners started",
                             "Partners ended", "End dates moved", "Needs reported", "Needs resolved"]
    rows = list(wb["Sites closed"].values)
    assert rows[0] == ("Site", "Site ID", "District", "Governorate", "Population group", "Individuals before",
                       "Individuals after", "Change")
    assert rows[1][1:2] == ("100003",) and rows[1][4:] == ("IDPs", 180, None, -180)
    moved = list(wb["End dates moved"].values)
    assert moved[1][0:2] == ("IRC", "Water") and moved[1][-1] == "extended by 182 days"
    for df in tables.values():
        assert all(" " in c or c[0].isupper() for c in df.columns)  # no snake_case column names


def test_rounds_are_the_whole_datas_even_when_the_filter_keeps_only_a_closed_site(new):
    """The filtered sites (100003's governorate) have no row in round 130: the group's rounds are
    still 31 May → 31 Jul (figures.current_picture's rule), and the site is closed."""
    from dsdash.filters import Filters

    gov = new.sites.set_index("site_id").at["100003", "admin1_code"]
    c = compare_rounds(new, filters=Filters(admin1=(gov,)))
    assert c is not None and list(zip(c.sites["site_id"], c.sites["status"])) == [("100003", "closed")]
    assert (c.before, c.after) == ("IDPs round 129, 31 May 2023", "IDPs round 130, 31 Jul 2023")
    t = c.totals.iloc[0]
    assert (t["individuals_before"], t["change"]) == (180, -180) and pd.isna(t["individuals_after"])


def test_idp_and_returnee_rounds_of_different_dates():
    """Each group against its own previous round: IDPs 31 Dec 2020 → 28 Feb 2021 (the fixture's
    hand counts: 930 → 552), returnees 31 Jan → 31 Mar 2021 (three locations, 100 + 50 + 7
    households → 110 + 50 households, the third closed)."""
    from tests.support.dtm_fixtures import TWO_ROUNDS, two_rounds

    def returnees(hh: list[int], month: str, round_: int):
        locs = locations(3, seed=5, camps=0.0, group="returnee", start_id=700001).iloc[:len(hh)].copy()
        locs["households"] = hh
        locs["individuals"] = locs["households"] * 6
        fx = master_list(locs, gen="returnee", group="returnee", round_=round_, month=month, fmt="xlsx",
                         filename=f"DTM_Returnee_Master_List_Round{round_}_{month.replace(' ', '_')}.xlsx")
        return import_file(fx.data, fx.filename)

    r1, r2 = two_rounds()
    ds = build_dataset([import_file(r1.data, r1.filename), import_file(r2.data, r2.filename),
                        returnees([100, 50, 7], "31 January 2021", 119), returnees([110, 50], "31 March 2021", 120)])
    c = compare_rounds(ds)
    assert c.before == "IDPs round 119, 31 Dec 2020; Returnees round 119, 31 Jan 2021"
    assert c.after == "IDPs round 120, 28 Feb 2021; Returnees round 120, 31 Mar 2021"
    t = c.totals.set_index("population_group")
    assert (t.at["idp", "individuals_before"], t.at["idp", "individuals_after"]) == \
        (TWO_ROUNDS["round_1"]["individuals"], TWO_ROUNDS["round_2"]["individuals"])
    assert (t.at["returnee", "individuals_before"], t.at["returnee", "individuals_after"]) == (942, 960)
    ret = c.sites[c.sites["population_group"] == "returnee"]
    assert dict(zip(ret["site_id"], ret["status"])) == {"700003": "closed", "700001": "rise", "700002": "no change"}

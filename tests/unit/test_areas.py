"""Areas as an aggregation level (dsdash/areas.py, issue 16): sites, people, coverage and partners per
governorate, district or catchment add up to the view's totals; a district in no catchment is said,
never dropped.

Hand counts (data/sites.csv, data/population.csv: one IDP round, 10 Dec 2023):
  Al-Falluja IQG01Q01: 18 sites (ANB-08..ANB-25), 2,049 households, 12,294 individuals
  Al-Ramadi  IQG01Q03:  3 sites (ANB-26..ANB-28),   767 households,  4,602 individuals
  Al-Rutba   IQG01Q04:  6 sites (ANB-02..ANB-07),   324 households,  1,944 individuals
  Al-Kaim    IQG01Q02:  1 site  (ANB-01),             7 households,     42 individuals
  all: 28 sites, 3,147 households, 18,882 individuals; 14 services → 392 cells.
Partners serving on 10 Dec 2023 (data/presence.csv, rows active that day):
  governorate-wide: UNHCR, UNICEF, IOM, IRC, NRC (5) → West Anbar (Kaim, Rutba): 5;
  East Anbar adds Dary, UIMS, SSORD (Bzebiz / sites), Baghdad Women Association (ANB-26/28), MoMD
  (Bzebiz), Directorate of Water Resources (ANB-28), Directorate of Municipality (Fallujah) (ANB-25): 12.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsdash.areas import (ADDITIVE, OUTSIDE, area_summary, outside_districts, outside_note, outside_sites,
                          outside_words, sum_row, totals)
from dsdash.catchments import load_catchments, use
from dsdash.coverage.engine import prepare
from dsdash.dataset import load_embedded
from dsdash.filters import Filters, filter_sites
from dsdash.i18n import language

D = dt.date(2023, 12, 10)
DISTRICTS = {"IQG01Q01": (18, 2049, 12294), "IQG01Q03": (3, 767, 4602), "IQG01Q04": (6, 324, 1944),
             "IQG01Q02": (1, 7, 42)}


@pytest.fixture(scope="module")
def ds():
    return load_embedded()


def _cov(ds, filters=Filters()):
    return prepare(ds, filters).on(D, 90)


def test_east_anbar_filter_gives_the_falluja_and_ramadi_sites_and_their_totals(ds):
    sites = filter_sites(ds.sites, Filters(catchment=("East Anbar",)))
    assert sorted(sites["site_id"]) == [f"ANB-{i:02d}" for i in range(8, 29)]  # 18 Falluja + 3 Ramadi
    assert set(sites["admin2_name"]) == {"Al-Falluja", "Al-Ramadi"}
    cov = _cov(ds, Filters(catchment=("East Anbar",)))
    s = area_summary(cov, level="catchment", kind="abc")
    assert s[["area", "n_sites", "households", "individuals", "cells", "n_partners"]].values.tolist() == [
        ["East Anbar", 21, 2049 + 767, 12294 + 4602, 21 * 14, 12]]
    by_district = area_summary(cov, level="admin2").set_index("area_code")
    assert by_district.loc["IQG01Q01", ["n_sites", "households", "individuals"]].tolist() == [18, 2049, 12294]
    assert by_district.loc["IQG01Q03", ["n_sites", "households", "individuals"]].tolist() == [3, 767, 4602]
    assert by_district["individuals"].sum() == s["individuals"].sum() == 16896  # the aggregates add up


def test_every_level_adds_up_to_the_site_totals(ds):
    cov = _cov(ds)
    for level, kind in (("admin1", "abc"), ("admin2", "abc"), ("catchment", "abc"), ("catchment", "jcf")):
        s = area_summary(cov, level=level, kind=kind)
        t = totals(s, cov)
        assert t["n_sites"] == (28, 28) and t["households"] == (3147, 3147) and t["individuals"] == (18882, 18882)
        assert t["cells"] == (392, 392)
        assert all(a == b for a, b in t.values()), (level, kind, t)
    d = area_summary(cov, level="admin2").set_index("area_code")
    for code, (n, hh, ind) in DISTRICTS.items():
        assert d.loc[code, ["n_sites", "households", "individuals"]].tolist() == [n, hh, ind]
    c = area_summary(cov, level="catchment").set_index("area")
    assert c.loc["East Anbar", ["n_sites", "individuals", "n_partners"]].tolist() == [21, 16896, 12]
    assert c.loc["West Anbar", ["n_sites", "individuals", "n_partners"]].tolist() == [7, 1986, 5]
    j = area_summary(cov, level="catchment", kind="jcf")
    assert j[["area", "n_sites", "individuals"]].values.tolist() == [["JCF Anbar", 28, 18882]]
    total = sum_row(c.reset_index()).iloc[-1]
    assert total["area"] == "All areas" and total["n_sites"] == 28 and total["n_partners"] == 12


def test_a_district_in_no_catchment_is_said_and_counted_not_dropped(ds):
    east_only = load_catchments()
    east_only = east_only[east_only["catchment"] == "East Anbar"]
    cov = _cov(ds)
    s = area_summary(cov, level="catchment", table=east_only)
    assert s[["area_code", "n_sites", "households", "individuals"]].values.tolist() == [
        ["East Anbar", 21, 2816, 16896], [OUTSIDE, 7, 331, 1986]]  # Rutba 6 + Kaim 1
    note = outside_note(s, cov, table=east_only)
    assert note == ("Outside every catchment of this kind: 7 sites, 1,986 individuals, in 2 districts. By district: "
                    "Al-Rutba (6 sites, 1,944 individuals); Al-Kaim (1 site, 42 individuals). They are counted in the "
                    "row 'Outside every catchment', not dropped.")  # 6 + 1 = 7 sites, 1,944 + 42 = 1,986: the row
    assert outside_note(area_summary(cov, level="catchment"), cov) == ""  # bundled: every seed district in an ABC


def test_the_table_in_use_drives_the_catchment_filter(ds):
    west_is_ramadi = load_catchments()
    west_is_ramadi = pd.DataFrame([{**west_is_ramadi.iloc[0].to_dict(), "catchment": "Ramadi only", "kind": "abc",
                                    "admin2_code": "IQG01Q03", "admin2_name": "Al-Ramadi"}])
    token = use(west_is_ramadi)
    try:
        assert sorted(filter_sites(ds.sites, Filters(catchment=("Ramadi only",)))["site_id"]) == [
            "ANB-26", "ANB-27", "ANB-28"]
    finally:
        use(None)
    del token
    assert len(filter_sites(ds.sites, Filters(catchment=("Ramadi only",)))) == 0  # back to the bundled table


_SITE_GROUPS = st.sampled_from([(), ("Bzebiz",), ("Rutba",), ("AAF",), ("Bzebiz", "Rutba")])
_SERVICES = st.sampled_from([(), ("water",), ("water", "health", "education")])


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(assign=st.lists(st.integers(min_value=-1, max_value=2), min_size=4, max_size=4), groups=_SITE_GROUPS,
       services=_SERVICES)
def test_per_catchment_sums_equal_the_filtered_total_when_catchments_partition_the_districts(
        ds, assign, groups, services):
    """Any assignment of the four districts to at most three catchments (−1: in none) gives rows whose
    sums equal the filtered view's totals; the districts in none are one row, with their people."""
    codes = list(DISTRICTS)
    table = pd.DataFrame([{"catchment": f"C{a}", "kind": "abc", "replaces": "", "admin1_code": "IQG01",
                           "admin2_code": c, "admin2_name": c, "basis": "assumed", "reasoning": "test",
                           "source": "test", "file": "t.csv"} for c, a in zip(codes, assign) if a >= 0])
    if table.empty:
        table = pd.DataFrame(columns=[*load_catchments().columns])
    filters = Filters(site_group=groups, services=services)
    cov = _cov(ds, filters)
    s = area_summary(cov, level="catchment", table=table)
    for k, (got, whole) in totals(s, cov).items():
        assert got == whole, (k, assign, groups)
    expected = {c: v for c, v in DISTRICTS.items()}
    site_ids = set(filter_sites(ds.sites, filters)["site_id"])
    assert s["n_sites"].sum() == len(site_ids)
    outside_codes = [c for c, a in zip(codes, assign) if a < 0]
    outside_sites = ds.sites[ds.sites["admin2_code"].isin(outside_codes) & ds.sites["site_id"].isin(site_ids)]
    row = s[s["area_code"] == OUTSIDE]
    assert (row["n_sites"].sum() if len(row) else 0) == len(outside_sites)
    assert set(s.columns) >= set(ADDITIVE) and expected


# The note on the sites outside every catchment (a national Master List: ~3,000 sites over ~100 districts):
# the totals, the five largest districts by individuals named, the rest counted, all adding up to the row.

def _site(i, code, name, individuals):
    return {"site_id": f"S{i:02d}", "admin2_code": code, "admin2_name": name, "individuals": individuals}


#: Eight districts by hand: 14 sites, 3,147 individuals (one site with no count). Ties: Mosul and Sinjar both
#: 600 (Mosul has more sites: first); Hamdaniya and Tilkaif both 500 with 2 sites (by name); Amadiya and Zakho
#: both 450 with 1 site (by name: Amadiya named, Zakho in the rest). Rest: Zakho 1 site 450, Duhok 2 sites 40,
#: no district 1 site 7 = 3 districts, 4 sites, 497 individuals.
EIGHT = pd.DataFrame([
    _site(1, "IQG15Q04", "Mosul", 100), _site(2, "IQG15Q04", "Mosul", 200), _site(3, "IQG15Q04", "Mosul", 300),
    _site(4, "IQG15Q05", "Sinjar", 300), _site(5, "IQG15Q05", "Sinjar", 300),
    _site(6, "IQG15Q07", "Tilkaif", 250), _site(7, "IQG15Q07", "Tilkaif", 250),
    _site(8, "IQG15Q03", "Hamdaniya", 250), _site(9, "IQG15Q03", "Hamdaniya", 250),
    _site(10, "IQG08Q03", "Zakho", 450), _site(11, "IQG08Q01", "Amadiya", 450),
    _site(12, "IQG08Q02", "Duhok", 40), _site(13, "IQG08Q02", "Duhok", None),
    _site(14, None, None, 7),
])
EIGHT_WORDS = ("Outside every catchment of this kind: 14 sites, 3,147 individuals, in 8 districts. Largest by "
               "individuals: Mosul (3 sites, 600 individuals); Sinjar (2 sites, 600 individuals); Hamdaniya (2 sites, "
               "500 individuals); Tilkaif (2 sites, 500 individuals); Amadiya (1 site, 450 individuals); and 3 more "
               "districts (4 sites, 497 individuals). They are counted in the row 'Outside every catchment', not "
               "dropped.")


def test_many_districts_outside_name_the_five_largest_and_count_the_rest():
    assert outside_words(EIGHT) == EIGHT_WORDS
    for seed in range(5):  # the order of the rows does not matter: ties are broken by sites, then name
        assert outside_words(EIGHT.sample(frac=1, random_state=seed)) == EIGHT_WORDS
    typed = EIGHT.astype({"individuals": "Int64", "admin2_code": "string", "admin2_name": "string"})
    assert outside_words(typed) == EIGHT_WORDS  # nullable columns, as the engine's tables hold them
    d = outside_districts(EIGHT)
    assert d[["district", "sites", "individuals"]].values.tolist() == [
        ["Mosul", 3, 600], ["Sinjar", 2, 600], ["Hamdaniya", 2, 500], ["Tilkaif", 2, 500], ["Amadiya", 1, 450],
        ["Zakho", 1, 450], ["Duhok", 2, 40], ["No district stated", 1, 7]]
    assert (d["sites"].sum(), d["individuals"].sum()) == (14, 3147)
    # at most five districts: all named, no "more"
    five = EIGHT[EIGHT["admin2_name"].isin(["Mosul", "Zakho", "Duhok"])]
    assert outside_words(five) == (
        "Outside every catchment of this kind: 6 sites, 1,090 individuals, in 3 districts. By district: Mosul "
        "(3 sites, 600 individuals); Zakho (1 site, 450 individuals); Duhok (2 sites, 40 individuals). They are "
        "counted in the row 'Outside every catchment', not dropped.")
    one = outside_words(EIGHT[EIGHT["site_id"] == "S10"])
    assert one.startswith("Outside every catchment of this kind: 1 site, 450 individuals, in 1 district. By "
                          "district: Zakho (1 site, 450 individuals).")
    assert outside_words(EIGHT.iloc[0:0]) == ""


def test_district_names_from_the_data_stay_text_on_one_line_and_a_shared_name_gets_its_p_code():
    odd = pd.DataFrame([_site(1, "IQG15Q04", "[x](http://e.vil)\n# *Mosul*", 5), _site(2, "IQG15Q05", "Sinjar", 4),
                        _site(3, "IQG15Q06", "Sinjar", 3)])
    assert outside_words(odd).split(" They are")[0] == (
        "Outside every catchment of this kind: 3 sites, 12 individuals, in 3 districts. By district: "
        "[x](http://e.vil) # *Mosul* (1 site, 5 individuals); Sinjar (IQG15Q05) (1 site, 4 individuals); "
        "Sinjar (IQG15Q06) (1 site, 3 individuals).")


def _numbers(text: str) -> list[int]:
    return [int(x.replace(",", "")) for x in re.findall(r"\d[\d,]*", text)]


def test_a_national_list_mostly_outside_every_catchment_says_it_short_and_adds_up_to_the_row():
    """3,700 synthetic sites over ~100 districts, most in no bundled ABC (the screenshot's case): the note
    names five districts and counts the rest; its parts add up to the row "Outside every catchment"."""
    from tests.support.synthetic import synthetic_dataset

    ds = synthetic_dataset(n_sites=3700, n_rows=5000, n_needs=100, seed=3)
    cov = prepare(ds, Filters()).on(ds.latest_date(), 90)
    s = area_summary(cov, level="catchment")
    row = s[s["area_code"] == OUTSIDE].iloc[0]
    d = outside_districts(outside_sites(s, cov))
    assert len(d) > 50 and (d["sites"].sum(), d["individuals"].sum()) == (row["n_sites"], row["individuals"])
    note = outside_note(s, cov)
    head, body, _tail = note.split(". ", 2)
    assert _numbers(head) == [row["n_sites"], row["individuals"], len(d)]
    assert body.startswith("Largest by individuals: ") and note.count("individuals)") == 6  # five named + the rest
    items = body.removeprefix("Largest by individuals: ").split("; ")
    assert [i.rsplit(" (", 1)[0] for i in items[:5]] == d["district"].head(5).tolist()
    assert items[5].startswith(f"and {len(d) - 5} more districts (")
    parts = [_numbers(i.rsplit(" (", 1)[1]) for i in items]  # (sites, individuals) of each part
    assert [sum(p[0] for p in parts), sum(p[1] for p in parts)] == [row["n_sites"], row["individuals"]]
    assert parts[:5] == d[["sites", "individuals"]].head(5).values.tolist()
    assert d["individuals"].is_monotonic_decreasing
    assert len(note) < 700  # not a wall of ~100 districts


def test_the_note_in_arabic_has_no_english_left(ds):
    east_only = load_catchments()
    east_only = east_only[east_only["catchment"] == "East Anbar"]
    cov = _cov(ds)
    s = area_summary(cov, level="catchment", table=east_only)
    with language("ar"):
        note = outside_note(s, cov, table=east_only)
        many = outside_words(EIGHT)
    assert note == ("خارج كل نطاق من هذا النوع: المواقع 7، الأفراد 1,986، الأقضية 2. حسب القضاء: \u2068الرطبة\u2069 "
                    "(المواقع 6، الأفراد 1,944)؛ \u2068القائم\u2069 (المواقع 1، الأفراد 42). تُحسب في صف «خارج كل "
                    "النطاقات» ولا تُسقط.")
    assert "وأقضية أخرى عددها 3 (المواقع 4، الأفراد 497)" in many and "الأكبر حسب عدد الأفراد: " in many
    for text in (note, many):
        words = re.sub("\u2068[^\u2069]*\u2069", "", text)  # district names from the data, set apart
        assert not re.search("[A-Za-z]", words), words


def test_the_command_line_says_the_same_short_note(tmp_path, capsys):
    from dsdash.__main__ import main
    from dsdash.dataset import DATA_DIR

    mine = tmp_path / "our_catchments.csv"
    mine.write_text("Catchment,District p-codes,Source\nRamadi and Kaim,IQG01Q03; IQG01Q02,focal point\n")
    argv = ["gaps", "--data-dir", str(DATA_DIR), "--as-of", "2023-12-10", "--by", "catchment", "--catchments",
            str(mine)]
    assert contextvars.copy_context().run(main, argv) == 0  # its own context: the table in use stays this run's
    out = capsys.readouterr().out.splitlines()
    assert ("Outside every catchment of this kind: 24 sites, 14,238 individuals, in 2 districts. By district: "
            "Al-Falluja (18 sites, 12,294 individuals); Al-Rutba (6 sites, 1,944 individuals). They are counted in "
            "the row 'Outside every catchment', not dropped.") in out  # 18 + 6 = 24; 12,294 + 1,944 = 14,238
    row = next(ln.split() for ln in out if ln.startswith("Outside every catchment "))
    assert row[6:8] == ["24", "2373"] and row[8] == "14238"  # the row the note speaks of
    assert contextvars.copy_context().run(main, ["--lang", "ar", *argv, "--json"]) == 0
    import json

    assert json.loads(capsys.readouterr().out)["by_area"]["outside"].startswith(
        "خارج كل نطاق من هذا النوع: المواقع 24، الأفراد 14,238، الأقضية 2.")

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

import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsdash.areas import ADDITIVE, OUTSIDE, area_summary, outside_note, sum_row, totals
from dsdash.catchments import load_catchments, use
from dsdash.coverage.engine import prepare
from dsdash.dataset import load_embedded
from dsdash.filters import Filters, filter_sites

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
    assert "7 site(s)" in note and "Al-Kaim: 1 site(s), 42 individuals" in note
    assert "Al-Rutba: 6 site(s), 1,944 individuals" in note and "not dropped" in note
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

"""ABC/JCF catchments (data/catchments.csv, dsdash/catchments.py): the eight ABC areas and the
JCFs, each district row with a source and a basis; the catchment filter; per-catchment totals."""

from __future__ import annotations

import datetime as dt

from dsdash import sources
from dsdash.catchments import catchment_names, catchment_outlines, districts_of, load_catchments, site_catchments
from dsdash.figures import current_picture
from dsdash.filters import Filters, filter_sites
from dsdash.spatial import bundled_boundaries
from dsdash.wwww import OUTSIDE, who_does_what_where

ABC = ["Kirkuk", "West Anbar", "East Anbar", "Sinjar", "Ba'aj", "Mosul", "Salah al-Din", "Diyala"]


def test_the_eight_abc_areas_and_the_jcfs_with_a_source_and_basis_per_row():
    t = load_catchments()
    assert catchment_names(kind="abc") == ABC
    assert catchment_names(kind="jcf") == ["JCF Anbar", "JCF Ninewa", "JCF Kirkuk", "JCF Salah al-Din", "JCF Diyala"]
    assert set(t["basis"]) == {"stated", "assumed"}
    assert (t["reasoning"].str.len() > 20).all() and (t["source"] != "").all()
    for s in t["source"].unique():  # every source is a seed document of the registry
        assert sources.lookup(s) is not None, s
    districts = {p for p in bundled_boundaries()["adm2"]["pcode"]}
    assert set(t["admin2_code"]) <= districts  # COD-AB 2019 p-codes
    # what the seeds say: Al-Ka'im and Heet are "Part of West Anbar"
    west = t[(t["catchment"] == "West Anbar") & (t["basis"] == "stated")]
    assert {"IQG01Q02", "IQG01Q07"} <= set(west["admin2_code"])
    # catchments of one kind do not overlap, so per-kind totals add up
    for kind in ("abc", "jcf"):
        k = t[t["kind"] == kind]
        assert not k["admin2_code"].duplicated().any(), kind
    # the JCFs name the ABCs they replace
    assert set("; ".join(t.loc[t["kind"] != "abc", "replaces"]).split("; ")) == set(ABC)


def test_east_anbar_gives_the_falluja_and_ramadi_sites(ds):
    assert districts_of(["East Anbar"]) == {"IQG01Q01", "IQG01Q03"}
    kept = filter_sites(ds.sites, Filters(catchment=("East Anbar",)))
    assert set(kept["admin2_name"]) == {"Al-Falluja", "Al-Ramadi"} and len(kept) == 21
    assert set(kept["site_id"]) == {f"ANB-{i:02d}" for i in range(8, 29)}
    # the current picture of the filter: 21 sites, 2,816 households, 16,896 individuals
    figs = {f.label: f.value for f in current_picture(ds, Filters(catchment=("East Anbar",))).figures}
    assert (figs["Sites"], figs["Households"], figs["Individuals"]) == (21, 2816, 16896)
    assert len(filter_sites(ds.sites, Filters(catchment=("Kirkuk",)))) == 0
    assert len(filter_sites(ds.sites, Filters(catchment=("JCF Anbar",)))) == 28


def test_aggregates_per_catchment_add_up_to_the_site_totals(ds):
    day = dt.date(2023, 12, 10)
    everything = who_does_what_where(ds, as_of=day, level="admin2")
    for kind in ("abc", "jcf"):
        w = who_does_what_where(ds, as_of=day, level="catchment", kind=kind)
        for svc, g in w.table.groupby("service"):
            whole = everything.table[everything.table["service"] == svc]
            assert g["n_sites"].sum() == whole["n_sites"].sum() == 28
            assert g["individuals"].sum() == whole["individuals"].sum() == 18882
            assert g["individuals_served"].sum() + g["individuals_without"].sum() == 18882
            assert g["individuals_served"].sum() == whole["individuals_served"].sum()
    abc = who_does_what_where(ds, as_of=day, level="catchment", kind="abc").table
    people = abc.drop_duplicates("catchment").set_index("catchment")["individuals"].to_dict()
    assert people == {"East Anbar": 16896, "West Anbar": 1986}  # 18 + 3 sites; 6 Rutba + 1 Al-Kaim
    assert OUTSIDE not in people
    sc = site_catchments(ds.sites, "abc")
    assert sc["catchment"].value_counts().to_dict() == {"East Anbar": 21, "West Anbar": 7}


def test_catchment_outlines_dissolve_their_districts():
    adm2 = bundled_boundaries()["adm2"]
    o = catchment_outlines(adm2, ["East Anbar", "West Anbar"])
    assert o["catchment"].tolist() == ["West Anbar", "East Anbar"] and o["districts"].tolist() == [5, 2]
    parts = adm2[adm2["pcode"].isin(["IQG01Q01", "IQG01Q03"])]
    east = o.loc[o["catchment"] == "East Anbar", "geometry"].iloc[0]
    whole = sum(g.area for g in parts.geometry.values)  # in square degrees: a comparison, not a measure
    assert abs(east.area - whole) / whole < 1e-5  # one polygon, no gap (slivers between districts aside)
    assert east.geom_type == "Polygon"

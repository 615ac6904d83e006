"""dsdash.trends.rounds: several Master List rounds, by admin area and site by site."""

import pandas as pd
import plotly.graph_objects as go

from dsdash.trends.rounds import (
    admin_trend_figure,
    has_several_rounds,
    population_by_admin,
    round_change_summary,
    round_change_table,
)
from tests.support.figure_checks import annotations_text


def _two_rounds(ds):
    """The embedded population (Dec 2023) plus a crafted later round: ANB-01 closes,
    ANB-02 grows by 60, ANB-03 shrinks by 12, and a new site NEW-1 appears."""
    pop = ds.population
    later = pop[pop["site_id"] != "ANB-01"].copy()
    later["reference_date"] = pd.Timestamp("2024-04-30")
    later["dtm_round"] = pd.array([132] * len(later), dtype="Int64")
    later.loc[later["site_id"] == "ANB-02", "individuals"] += 60
    later.loc[later["site_id"] == "ANB-03", "individuals"] -= 12
    new = later.iloc[[0]].copy()
    new["site_id"] = "NEW-1"
    new["individuals"] = pd.array([30], dtype="Int64")
    later = pd.concat([later, new], ignore_index=True)
    sites = ds.sites.copy()
    extra = sites.iloc[[0]].copy()
    extra["site_id"] = "NEW-1"
    extra["site_name"] = "New site"
    sites = pd.concat([sites, extra], ignore_index=True)
    return ds.with_tables(population=pd.concat([pop, later], ignore_index=True), sites=sites)


def test_round_change_table(ds):
    assert not has_several_rounds(ds)
    assert round_change_table(ds).empty
    two = _two_rounds(ds)
    assert has_several_rounds(two)
    ch = round_change_table(two).set_index("site_id")
    anb01 = int(ds.population.set_index("site_id").loc["ANB-01", "individuals"])
    assert ch.loc["ANB-01", "status"] == "closed" and ch.loc["ANB-01", "change"] == -anb01
    assert ch.loc["NEW-1", "status"] == "appeared" and ch.loc["NEW-1", "change"] == 30
    assert ch.loc["ANB-02", "status"] == "rise" and ch.loc["ANB-02", "change"] == 60
    assert ch.loc["ANB-03", "status"] == "fall" and ch.loc["ANB-03", "change"] == -12
    assert (ch.drop(index=["ANB-01", "NEW-1", "ANB-02", "ANB-03"])["status"] == "no change").all()
    order = list(round_change_table(two)["status"])
    assert order[:2] == ["appeared", "closed"]
    summ = round_change_summary(round_change_table(two)).set_index("status")
    assert summ.loc["rise", "sites"] == 1 and summ.loc["fall", "change"] == -12


def test_population_by_admin_sums_match(ds):
    two = _two_rounds(ds)
    g = population_by_admin(two, "admin1", "idp")
    d = population_by_admin(two, "admin2", "idp")
    for date in g["reference_date"].unique():
        assert g[g["reference_date"] == date]["individuals"].sum() == d[d["reference_date"] == date]["individuals"].sum()
    dec = g[g["reference_date"] == pd.Timestamp("2023-12-10")]
    assert int(dec["individuals"].sum()) == 18_882 and list(dec["name"]) == ["Al-Anbar"]
    fig = admin_trend_figure(two, "admin2", "idp")
    assert isinstance(fig, go.Figure) and len(fig.data) == d["code"].nunique()
    assert all(tr.connectgaps is False for tr in fig.data)
    kaim = next(tr for tr in fig.data if tr.name == "Al-Kaim")
    assert list(kaim.y) == [42, 30]  # ANB-01 (42) closed, NEW-1 (30) appeared in the same district
    # move NEW-1 to Ninewa: Al-Kaim has no site left in round 2, which covered Anbar: 0, not a gap
    sites = two.sites.copy()
    sites.loc[sites["site_id"] == "NEW-1", ["admin1_code", "admin2_code", "admin2_name"]] = ["IQG15", "IQG15Q01", "X"]
    moved = two.with_tables(sites=sites)
    kaim = next(tr for tr in admin_trend_figure(moved, "admin2", "idp").data if tr.name == "Al-Kaim")
    assert list(kaim.y) == [42, 0]
    # a round that did not cover the governorate (only NEW-1, in Ninewa) is a gap, not a zero
    pop = moved.population
    only_new = pop[(pop["reference_date"] != pd.Timestamp("2024-04-30")) | (pop["site_id"] == "NEW-1")]
    fig = admin_trend_figure(moved.with_tables(population=only_new), "admin2", "idp")
    kaim = next(tr for tr in fig.data if tr.name == "Al-Kaim")
    assert kaim.y[0] == 42 and kaim.y[1] is None
    assert "International Organization for Migration" in annotations_text(fig)

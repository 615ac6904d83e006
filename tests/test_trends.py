"""dsdash.trends on the embedded data: real values from the facts and seeds, gaps kept as gaps."""

import math

import pandas as pd
import plotly.graph_objects as go
import pytest

from dsdash import trends as T
from dsdash.schema import COLOURS


def _is_gap(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _annotations_text(fig: go.Figure) -> str:
    return " ".join((a.text or "").replace("<br>", " ") for a in fig.layout.annotations)


# --------------------------------------------------------------------------- national
def test_national_series_table_round_132(ds):
    t = T.national_series_table(ds)
    assert list(t.columns[:4]) == ["reference_date", "dtm_round", "idp", "returnee"]
    assert t["reference_date"].is_monotonic_increasing
    last = t.iloc[-1]
    assert int(last["dtm_round"]) == 132
    assert pd.Timestamp(last["reference_date"]) == pd.Timestamp("2024-04-30")
    assert int(last["idp"]) == 1_098_913 and int(last["returnee"]) == 4_871_916
    first = t.iloc[0]
    assert int(first["dtm_round"]) == 1 and int(first["idp"]) == 443_124 and pd.isna(first["returnee"])
    # one row per date: round 48 appears on two dates (facts/README), both kept
    assert t["reference_date"].is_unique and (t["dtm_round"] == 48).sum() == 2
    assert str(t["dtm_round"].dtype) == "Int64" and str(t["idp"].dtype) == "Int64"


def test_unknown_returnees_stay_unknown_not_zero(ds):
    t = T.national_series_table(ds).set_index("dtm_round")
    for r in range(127, 132):
        assert pd.isna(t.loc[r, "returnee"]), r
    assert int(t.loc[126, "returnee"]) == 4_969_788
    assert (t["returnee"].dropna() > 0).all()


def test_national_latest_change(ds):
    ch = T.national_latest_change(ds).set_index("population_group")
    assert ch.loc["idp", "latest"] == 1_098_913 and ch.loc["idp", "previous_round"] == 131
    assert ch.loc["idp", "change"] == 1_098_913 - 1_123_663 == -24_750
    assert ch.loc["idp", "note"] == ""
    # returnees: previous published figure is round 126; 127-131 named as unpublished
    assert ch.loc["returnee", "previous_round"] == 126
    assert ch.loc["returnee", "change"] == 4_871_916 - 4_969_788
    assert "127-131" in ch.loc["returnee", "note"]


def test_national_trend_figure_gap_at_missing_returnee_rounds(ds):
    fig = T.national_trend_figure(ds)
    assert isinstance(fig, go.Figure)
    names = [tr.name for tr in fig.data]
    assert names == ["IDPs", "Returnees"]
    idp, ret = fig.data
    assert idp.line.color == COLOURS["idp"] and ret.line.color == COLOURS["returnee"]
    assert ret.connectgaps is False and idp.connectgaps is False
    rounds = list(ret.customdata)
    for r in (127, 128, 129, 130, 131):
        i = rounds.index(r)
        assert _is_gap(ret.y[i]), (r, ret.y[i])
    assert ret.y[rounds.index(126)] == 4_969_788 and ret.y[rounds.index(132)] == 4_871_916
    assert idp.y[rounds.index(132)] == 1_098_913
    assert 0 not in [v for v in ret.y if v is not None]


def test_national_trend_figure_marks_method_change_and_source(ds):
    fig = T.national_trend_figure(ds)
    text = _annotations_text(fig)
    assert "R117" in text and "× 5" in text
    assert "International Organization for Migration" in text and "30 Apr 2024" in text
    assert "127-131" in text  # the gap is said, not only drawn
    x117 = pd.Timestamp(T.national_series_table(ds).set_index("dtm_round").loc[117, "reference_date"])
    assert any(pd.Timestamp(s.x0) == x117 for s in fig.layout.shapes)
    assert fig.layout.yaxis.title.text == "Individuals" and fig.layout.xaxis.title.text
    assert "round 132" in fig.layout.title.text


# --------------------------------------------------------------------------- round-to-round change
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
    assert not T.has_several_rounds(ds)
    assert T.round_change_table(ds).empty
    two = _two_rounds(ds)
    assert T.has_several_rounds(two)
    ch = T.round_change_table(two).set_index("site_id")
    anb01 = int(ds.population.set_index("site_id").loc["ANB-01", "individuals"])
    assert ch.loc["ANB-01", "status"] == "closed" and ch.loc["ANB-01", "change"] == -anb01
    assert ch.loc["NEW-1", "status"] == "appeared" and ch.loc["NEW-1", "change"] == 30
    assert ch.loc["ANB-02", "status"] == "rise" and ch.loc["ANB-02", "change"] == 60
    assert ch.loc["ANB-03", "status"] == "fall" and ch.loc["ANB-03", "change"] == -12
    assert (ch.drop(index=["ANB-01", "NEW-1", "ANB-02", "ANB-03"])["status"] == "no change").all()
    order = list(T.round_change_table(two)["status"])
    assert order[:2] == ["appeared", "closed"]
    summ = T.round_change_summary(T.round_change_table(two)).set_index("status")
    assert summ.loc["rise", "sites"] == 1 and summ.loc["fall", "change"] == -12


def test_population_by_admin_sums_match(ds):
    two = _two_rounds(ds)
    g = T.population_by_admin(two, "admin1", "idp")
    d = T.population_by_admin(two, "admin2", "idp")
    for date in g["reference_date"].unique():
        assert g[g["reference_date"] == date]["individuals"].sum() == d[d["reference_date"] == date]["individuals"].sum()
    dec = g[g["reference_date"] == pd.Timestamp("2023-12-10")]
    assert int(dec["individuals"].sum()) == 18_882 and list(dec["name"]) == ["Al-Anbar"]
    fig = T.admin_trend_figure(two, "admin2", "idp")
    assert isinstance(fig, go.Figure) and len(fig.data) == d["code"].nunique()
    assert all(tr.connectgaps is False for tr in fig.data)
    kaim = next(tr for tr in fig.data if tr.name == "Al-Kaim")
    assert list(kaim.y) == [42, 30]  # ANB-01 (42) closed, NEW-1 (30) appeared in the same district
    # move NEW-1 to Ninewa: Al-Kaim has no site left in round 2, which covered Anbar: 0, not a gap
    sites = two.sites.copy()
    sites.loc[sites["site_id"] == "NEW-1", ["admin1_code", "admin2_code", "admin2_name"]] = ["IQG15", "IQG15Q01", "X"]
    moved = two.with_tables(sites=sites)
    kaim = next(tr for tr in T.admin_trend_figure(moved, "admin2", "idp").data if tr.name == "Al-Kaim")
    assert list(kaim.y) == [42, 0]
    # a round that did not cover the governorate (only NEW-1, in Ninewa) is a gap, not a zero
    pop = moved.population
    only_new = pop[(pop["reference_date"] != pd.Timestamp("2024-04-30")) | (pop["site_id"] == "NEW-1")]
    fig = T.admin_trend_figure(moved.with_tables(population=only_new), "admin2", "idp")
    kaim = next(tr for tr in fig.data if tr.name == "Al-Kaim")
    assert kaim.y[0] == 42 and kaim.y[1] is None
    assert "International Organization for Migration" in _annotations_text(fig)


# --------------------------------------------------------------------------- index severity
def test_return_index_round_16(ds):
    t = T.index_table(ds, "return_index")
    assert list(t.columns[:6]) == ["round", "period_end", "locations_assessed", "locations_severe",
                                   "population_severe", "share_severe"]
    r16 = t[t["round"] == 16].iloc[0]
    assert r16["population_severe"] == 598_578 and r16["share_severe"] == 12
    assert r16["locations_assessed"] == 2_191 and r16["locations_severe"] == 468
    assert pd.Timestamp(r16["period_end"]) == pd.Timestamp("2022-09-30")


def test_index_table_gap_rows(ds):
    t = T.index_table(ds, "return_index")
    r5 = t[t["round"] == 5]
    assert len(r5) == 1 and bool(r5["is_gap"].iloc[0]) and pd.isna(r5["population_severe"].iloc[0])
    assert pd.isna(r5["period_end"].iloc[0])
    assert list(t["round"].iloc[:6]) == [1, 2, 3, 4, 5, 6]
    # the round of Sep-Dec 2023 has no number: a gap on each side of it, before round 23
    labels = list(t["round_label"])
    i = labels.index("Sep-Dec 2023")
    assert t["is_gap"].iloc[i - 1] and t["is_gap"].iloc[i + 1] and labels[i + 2] == "R23"
    assert t["population_severe"].iloc[i] == 604_656
    no_gaps = T.index_table(ds, "return_index", gaps=False)
    assert not no_gaps["is_gap"].any() and len(no_gaps) == len(ds.index_rounds.query("index == 'return_index'"))
    d = T.index_table(ds, "displacement_index")
    assert list(d.loc[d["is_gap"], "round"]) == [9, 10]
    assert d.set_index("round").loc[list(range(2, 8)), "population_severe"].isna().all()
    assert d.set_index("round").loc[8, "population_severe"] == 56_250
    with pytest.raises(ValueError):
        T.index_table(ds, "nonsense")


def test_index_severity_figure_gaps_not_zero(ds):
    fig = T.index_severity_figure(ds, "return_index")
    pop = next(tr for tr in fig.data if tr.name.startswith("Returnees in severe"))
    assert pop.connectgaps is False and pop.line.color == COLOURS["severe"]
    x = list(pop.x)
    assert _is_gap(pop.y[x.index("R5")])  # round 5 absent from the data: a gap
    assert pop.y[x.index("R16")] == 598_578
    assert _is_gap(pop.y[x.index("R17")])  # round 17: locations known, severity not
    share = next(tr for tr in fig.data if tr.name.startswith("Share"))
    assert share.y[x.index("R16")] == 12 and _is_gap(share.y[x.index("R5")])
    assert all(v != 0 for tr in fig.data for v in tr.y if not _is_gap(v))
    assert fig.layout.xaxis2.type == "category"
    text = _annotations_text(fig)
    assert "International Organization for Migration" in text and "Dec 2024" in text and "R5" in text


def test_displacement_index_figure_gaps(ds):
    fig = T.index_severity_figure(ds, "displacement_index")
    pop = fig.data[0]
    x = list(pop.x)
    for r in range(2, 8):
        assert _is_gap(pop.y[x.index(f"R{r}")]), r
    for r in (9, 10):
        assert _is_gap(pop.y[x.index(f"R{r}")]), r
    assert pop.y[x.index("R8")] == 56_250 and pop.y[x.index("R11")] == 48_504
    loc = next(tr for tr in fig.data if tr.name == "Locations assessed")
    assert loc.y[x.index("R5")] == 2_662 and loc.y[x.index("R11")] == 2_486


# --------------------------------------------------------------------------- FVM
def test_fvm_by_period_returned(ds):
    p = T.fvm_by_period(ds)
    assert list(p.columns[:4]) == ["period_label", "indicator", "value", "note"]
    ret = p[p["indicator"] == "returned"]
    assert list(ret["period_label"]) == ["2020-2021", "2022", "2023 (until 30 April)"]
    assert list(ret["value"]) == [3_709, 1_580, 606]
    assert list(ret["cumulative"]) == [3_709, 5_289, 5_895]
    assert "facilitated_total" not in set(p["indicator"])
    cash = p[p["indicator"] == "cash_grants"]
    assert cash["note"].iloc[0] == "" and cash["note"].iloc[1].startswith("* Households who departed")
    assert len(p) == 18


def test_fvm_funnel_conversion_rates_hand_computed(ds):
    f = T.fvm_funnel(ds).set_index("indicator")
    assert list(T.fvm_funnel(ds).columns[:3]) == ["stage", "households", "note"]
    # seed 004 FVM table, summed by hand
    assert f.loc["registered_help_desk", "households"] == 4_464 + 3_793 + 341 == 8_598
    assert f.loc["returned", "households"] == 3_709 + 1_580 + 606 == 5_895
    assert f.loc["relocated", "households"] == 142 + 170 + 154 == 466
    assert f.loc["returned_or_relocated", "households"] == 6_361
    assert f.loc["cash_grants", "households"] == 3_215 + 2_042 + 1_104 == 6_361
    assert f.loc["livelihoods_support", "households"] == 725 + 222 + 259 == 1_206
    assert f.loc["housing_repairs_completed", "households"] == 73 + 550 + 251 == 874
    # rates: 6,361 / 8,598 = 73.98 %; 5,895 / 8,598 = 68.56 %; 466 / 8,598 = 5.42 %;
    # 6,361 / 6,361 = 100 %; 1,206 / 6,361 = 18.96 %; 874 / 6,361 = 13.74 %
    assert f.loc["returned_or_relocated", "rate_pct"] == 74.0
    assert f.loc["returned", "rate_pct"] == 68.6
    assert f.loc["relocated", "rate_pct"] == 5.4
    assert f.loc["cash_grants", "rate_pct"] == 100.0
    assert f.loc["livelihoods_support", "rate_pct"] == 19.0
    assert f.loc["housing_repairs_completed", "rate_pct"] == 13.7
    assert pd.isna(f.loc["registered_help_desk", "rate_pct"])
    assert f.loc["cash_grants", "base"] == "Returned or relocated"
    assert "* Households who departed" in f.loc["cash_grants", "note"]


def test_fvm_footnotes_shown_not_hidden(ds):
    notes = T.fvm_footnotes(ds)
    assert notes[0].startswith("* ") and notes[1].startswith("** 39") and notes[2].startswith("*** 141")
    assert any("6,195" in n and "6,361" in n and "+166" in n for n in notes)
    for fig in (T.fvm_funnel_figure(ds), T.fvm_period_figure(ds)):
        text = _annotations_text(fig)
        assert "** 39 housing" in text and "*** 141 housing" in text and "004_a5ba02ac801220da" in text
        assert "30 Apr 2023" in text


def test_fvm_figures(ds):
    fig = T.fvm_period_figure(ds)
    ret = next(tr for tr in fig.data if tr.name == "HHs who have returned")
    assert list(ret.y) == [3_709, 1_580, 606] and ret.marker.color == COLOURS["returned"]
    cash = next(tr for tr in fig.data if tr.name == "Cash grants distributed")
    assert list(cash.text) == ["3,215", "2,042*", "1,104*"]
    assert fig.layout.yaxis.title.text == "Households"
    fun = T.fvm_funnel_figure(ds)
    bar = fun.data[0]
    assert list(bar.x)[:2] == [8_598, 6_361] and "74.0 %" in bar.text[1]
    assert fun.layout.xaxis.title.text.startswith("Households")


def test_caseload_and_obstacles(ds):
    c = T.caseload_table(ds)
    assert list(c["individuals"]) == [592_338, 104_154, 180_000, 70_000]
    assert set(c["population"]) == {"Returnees", "IDPs"}
    o = T.obstacles_table(ds)
    assert sorted(o["category"].unique()) == [1, 2, 3]
    assert o.groupby("category").size().to_dict() == {1: 6, 2: 3, 3: 5}


def test_figures_on_empty_data_do_not_fail(ds):
    empty = ds.with_tables(national_series=ds.national_series.iloc[0:0], index_rounds=ds.index_rounds.iloc[0:0],
                           fvm=ds.fvm.iloc[0:0])
    for fig in (T.national_trend_figure(empty), T.index_severity_figure(empty, "return_index"),
                T.fvm_funnel_figure(empty), T.fvm_period_figure(empty)):
        assert isinstance(fig, go.Figure) and fig.layout.title.text
    assert T.national_series_table(empty).empty and T.fvm_funnel(empty).empty


def test_command_line_trends(capsys):
    import json as _json

    from dsdash.__main__ import main

    assert main(["trends"]) == 0
    out = capsys.readouterr().out
    assert "1,098,913" in out and "-24,750 since R131" in out and "rounds 127-131" in out
    assert "R5             gap: not in the data" in out and "598,578 (12 %)" in out
    assert "6,361  74.0 % of registered at help desks" in out
    assert main(["trends", "--json"]) == 0
    data = _json.loads(capsys.readouterr().out)
    r16 = next(r for r in data["index"]["return_index"] if r["round"] == 16)
    assert r16["population_severe"] == 598_578 and r16["share_severe"] == 12
    assert data["national_latest_change"][0]["latest"] == 1_098_913
    assert [r["households"] for r in data["fvm_funnel"]][:3] == [8_598, 6_361, 5_895]


def test_fvm_key_figures_carry_provenance(ds):
    kf = {k.label: k for k in T.fvm_figures(ds)}
    assert kf["FVM: registered at help desks"].value == 8_598
    ro = kf["FVM: returned or relocated"]
    assert ro.value == 6_361 and "74.0 % of registered" in ro.method and "30 Apr 2023" in ro.date
    assert kf["FVM: returned"].value == 5_895 and "004_a5ba02ac801220da" in kf["FVM: returned"].source
    assert kf["FVM: relocated"].value == 466

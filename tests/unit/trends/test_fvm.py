"""dsdash.trends.fvm on the embedded data (seed 004): values summed by hand, footnotes shown."""

import pandas as pd
import plotly.graph_objects as go

from dsdash.schema import COLOURS
from dsdash.trends.fvm import (
    caseload_table,
    fvm_by_period,
    fvm_figures,
    fvm_footnotes,
    fvm_funnel,
    fvm_funnel_figure,
    fvm_period_figure,
    obstacles_table,
)
from tests.support.figure_checks import annotations_text


def test_fvm_by_period_returned(ds):
    p = fvm_by_period(ds)
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
    f = fvm_funnel(ds).set_index("indicator")
    assert list(fvm_funnel(ds).columns[:3]) == ["stage", "households", "note"]
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
    notes = fvm_footnotes(ds)
    assert notes[0].startswith("* ") and notes[1].startswith("** 39") and notes[2].startswith("*** 141")
    assert any("6,195" in n and "6,361" in n and "+166" in n for n in notes)
    for fig in (fvm_funnel_figure(ds), fvm_period_figure(ds)):
        text = annotations_text(fig)
        assert "** 39 housing" in text and "*** 141 housing" in text
        assert "IOM, 'Supporting durable solutions to displacement: facilitated voluntary movements', 18 May 2023" \
            in text.replace("<br>", " ")  # the source as a citation
        assert "30 Apr 2023" in text


def test_fvm_figures(ds):
    fig = fvm_period_figure(ds)
    ret = next(tr for tr in fig.data if tr.name == "HHs who have returned")
    assert list(ret.y) == [3_709, 1_580, 606] and ret.marker.color == COLOURS["returned"]
    cash = next(tr for tr in fig.data if tr.name == "Cash grants distributed")
    assert list(cash.text) == ["3,215", "2,042*", "1,104*"]
    assert fig.layout.yaxis.title.text == "Households"
    fun = fvm_funnel_figure(ds)
    bar = fun.data[0]
    assert list(bar.x)[:2] == [8_598, 6_361] and "74.0 %" in bar.text[1]
    assert fun.layout.xaxis.title.text.startswith("Households")


def test_caseload_and_obstacles(ds):
    c = caseload_table(ds)
    assert list(c["individuals"]) == [592_338, 104_154, 180_000, 70_000]
    assert set(c["population"]) == {"Returnees", "IDPs"}
    o = obstacles_table(ds)
    assert sorted(o["category"].unique()) == [1, 2, 3]
    assert o.groupby("category").size().to_dict() == {1: 6, 2: 3, 3: 5}


def test_fvm_key_figures_carry_provenance(ds):
    kf = {k.label: k for k in fvm_figures(ds)}
    assert kf["FVM: registered at help desks"].value == 8_598
    ro = kf["FVM: returned or relocated"]
    assert ro.value == 6_361 and "74.0 % of registered" in ro.method and "30 Apr 2023" in ro.date
    assert kf["FVM: returned"].value == 5_895 and kf["FVM: returned"].source.startswith("IOM, 'Supporting durable")
    assert kf["FVM: relocated"].value == 466


def test_fvm_figures_on_empty_data_do_not_fail(ds):
    empty = ds.with_tables(fvm=ds.fvm.iloc[0:0])
    for fig in (fvm_funnel_figure(empty), fvm_period_figure(empty)):
        assert isinstance(fig, go.Figure) and fig.layout.title.text
    assert fvm_funnel(empty).empty

"""dsdash.trends.national on the embedded data: real values from the facts, gaps kept as gaps."""

import pandas as pd
import plotly.graph_objects as go

from dsdash.schema import COLOURS
from dsdash.trends.national import national_latest_change, national_series_table, national_trend_figure
from tests.support.figure_checks import annotations_text, is_gap


def test_national_series_table_round_132(ds):
    t = national_series_table(ds)
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
    t = national_series_table(ds).set_index("dtm_round")
    for r in range(127, 132):
        assert pd.isna(t.loc[r, "returnee"]), r
    assert int(t.loc[126, "returnee"]) == 4_969_788
    assert (t["returnee"].dropna() > 0).all()


def test_national_latest_change(ds):
    ch = national_latest_change(ds).set_index("population_group")
    assert ch.loc["idp", "latest"] == 1_098_913 and ch.loc["idp", "previous_round"] == 131
    assert ch.loc["idp", "change"] == 1_098_913 - 1_123_663 == -24_750
    assert ch.loc["idp", "note"] == ""
    # returnees: previous published figure is round 126; 127-131 named as unpublished
    assert ch.loc["returnee", "previous_round"] == 126
    assert ch.loc["returnee", "change"] == 4_871_916 - 4_969_788
    assert "127-131" in ch.loc["returnee", "note"]


def test_national_trend_figure_gap_at_missing_returnee_rounds(ds):
    fig = national_trend_figure(ds)
    assert isinstance(fig, go.Figure)
    names = [tr.name for tr in fig.data]
    assert names == ["IDPs", "Returnees"]
    idp, ret = fig.data
    assert idp.line.color == COLOURS["idp"] and ret.line.color == COLOURS["returnee"]
    assert ret.connectgaps is False and idp.connectgaps is False
    rounds = list(ret.customdata)
    for r in (127, 128, 129, 130, 131):
        i = rounds.index(r)
        assert is_gap(ret.y[i]), (r, ret.y[i])
    assert ret.y[rounds.index(126)] == 4_969_788 and ret.y[rounds.index(132)] == 4_871_916
    assert idp.y[rounds.index(132)] == 1_098_913
    assert 0 not in [v for v in ret.y if v is not None]


def test_national_trend_figure_marks_method_change_and_source(ds):
    fig = national_trend_figure(ds)
    text = annotations_text(fig)
    assert "R117" in text and "× 5" in text
    assert "International Organization for Migration" in text and "30 Apr 2024" in text
    assert "127-131" in text  # the gap is said, not only drawn
    x117 = pd.Timestamp(national_series_table(ds).set_index("dtm_round").loc[117, "reference_date"])
    assert any(pd.Timestamp(s.x0) == x117 for s in fig.layout.shapes)
    assert fig.layout.yaxis.title.text == "Individuals" and fig.layout.xaxis.title.text
    assert "round 132" in fig.layout.title.text


def test_national_figure_on_empty_data_does_not_fail(ds):
    empty = ds.with_tables(national_series=ds.national_series.iloc[0:0])
    fig = national_trend_figure(empty)
    assert isinstance(fig, go.Figure) and fig.layout.title.text
    assert national_series_table(empty).empty

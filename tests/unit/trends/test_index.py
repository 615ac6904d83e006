"""dsdash.trends.index on the embedded data: Return and Displacement Index rounds, gaps kept as gaps."""

import pandas as pd
import plotly.graph_objects as go
import pytest

from dsdash.schema import COLOURS
from dsdash.trends.index import index_severity_figure, index_table
from tests.support.figure_checks import annotations_text, is_gap


def test_return_index_round_16(ds):
    t = index_table(ds, "return_index")
    assert list(t.columns[:6]) == ["round", "period_end", "locations_assessed", "locations_severe",
                                   "population_severe", "share_severe"]
    r16 = t[t["round"] == 16].iloc[0]
    assert r16["population_severe"] == 598_578 and r16["share_severe"] == 12
    assert r16["locations_assessed"] == 2_191 and r16["locations_severe"] == 468
    assert pd.Timestamp(r16["period_end"]) == pd.Timestamp("2022-09-30")


def test_index_table_gap_rows(ds):
    t = index_table(ds, "return_index")
    r5 = t[t["round"] == 5]
    assert len(r5) == 1 and bool(r5["is_gap"].iloc[0]) and pd.isna(r5["population_severe"].iloc[0])
    assert pd.isna(r5["period_end"].iloc[0])
    assert list(t["round"].iloc[:6]) == [1, 2, 3, 4, 5, 6]
    # the round of Sep-Dec 2023 has no number: a gap on each side of it, before round 23
    labels = list(t["round_label"])
    i = labels.index("Sep-Dec 2023")
    assert t["is_gap"].iloc[i - 1] and t["is_gap"].iloc[i + 1] and labels[i + 2] == "R23"
    assert t["population_severe"].iloc[i] == 604_656
    no_gaps = index_table(ds, "return_index", gaps=False)
    assert not no_gaps["is_gap"].any() and len(no_gaps) == len(ds.index_rounds.query("index == 'return_index'"))
    d = index_table(ds, "displacement_index")
    assert list(d.loc[d["is_gap"], "round"]) == [9, 10]
    assert d.set_index("round").loc[list(range(2, 8)), "population_severe"].isna().all()
    assert d.set_index("round").loc[8, "population_severe"] == 56_250
    with pytest.raises(ValueError):
        index_table(ds, "nonsense")


def test_index_severity_figure_gaps_not_zero(ds):
    fig = index_severity_figure(ds, "return_index")
    pop = next(tr for tr in fig.data if tr.name.startswith("Returnees in severe"))
    assert pop.connectgaps is False and pop.line.color == COLOURS["severe"]
    x = list(pop.x)
    assert is_gap(pop.y[x.index("R5")])  # round 5 absent from the data: a gap
    assert pop.y[x.index("R16")] == 598_578
    assert is_gap(pop.y[x.index("R17")])  # round 17: locations known, severity not
    share = next(tr for tr in fig.data if tr.name.startswith("Share"))
    assert share.y[x.index("R16")] == 12 and is_gap(share.y[x.index("R5")])
    assert all(v != 0 for tr in fig.data for v in tr.y if not is_gap(v))
    assert fig.layout.xaxis2.type == "category"
    text = annotations_text(fig)
    assert "International Organization for Migration" in text and "Dec 2024" in text and "R5" in text


def test_displacement_index_figure_gaps(ds):
    fig = index_severity_figure(ds, "displacement_index")
    pop = fig.data[0]
    x = list(pop.x)
    for r in range(2, 8):
        assert is_gap(pop.y[x.index(f"R{r}")]), r
    for r in (9, 10):
        assert is_gap(pop.y[x.index(f"R{r}")]), r
    assert pop.y[x.index("R8")] == 56_250 and pop.y[x.index("R11")] == 48_504
    loc = next(tr for tr in fig.data if tr.name == "Locations assessed")
    assert loc.y[x.index("R5")] == 2_662 and loc.y[x.index("R11")] == 2_486


def test_index_figure_on_empty_data_does_not_fail(ds):
    empty = ds.with_tables(index_rounds=ds.index_rounds.iloc[0:0])
    fig = index_severity_figure(empty, "return_index")
    assert isinstance(fig, go.Figure) and fig.layout.title.text

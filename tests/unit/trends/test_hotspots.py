"""The DTM hotspot rule (seed 002) and the embedded 2020 hotspots."""

import pandas as pd
import plotly.graph_objects as go
import pytest

from dsdash.trends import hotspots as H
from dsdash.schema import COLOURS


@pytest.mark.parametrize(
    "liv, saf, returnees, expected",
    [
        ("medium", "low", 59_999, False),  # one short of the threshold
        ("medium", "low", 60_000, True),  # exactly the threshold
        ("low", "medium", 60_000, True),  # medium on the other scale
        ("low", "medium", 59_999, False),
        ("high", "low", 0, True),  # high on livelihoods and basic services: any size
        ("low", "high", 10, True),  # high on safety and social cohesion
        ("High", None, None, True),  # case and unknowns
        ("low", "low", 1_000_000, False),  # low is never a hotspot, however many returnees
        ("medium", "medium", None, False),  # medium, returnees unknown: not decided as hotspot
        (None, None, 100_000, False),
        ("Medium severity", "low", 60_001, True),
    ],
)
def test_is_hotspot_table(liv, saf, returnees, expected):
    assert H.is_hotspot(liv, saf, returnees) is expected


def test_reason_says_why():
    assert H.hotspot_reason("medium", "low", 59_999) == \
        "not a hotspot: medium severity with 59,999 returnees (fewer than 60,000)"
    assert H.hotspot_reason("medium", "low", 60_000) == "medium severity with 60,000 returnees (at least 60,000)"
    assert H.hotspot_reason("high", "high", 5) == \
        "high severity on livelihoods and basic services and safety and social cohesion"
    assert "cannot be decided" in H.hotspot_reason("medium", None, None)
    with pytest.raises(ValueError):
        H.is_hotspot("purple", "low", 1)


def test_apply_hotspot_rule_on_loaded_subdistricts():
    df = pd.DataFrame({
        "admin3_name": ["A", "B", "C", "D", "E"],
        "livelihoods_severity": ["medium", "medium", "high", "low", "low"],
        "safety_severity": ["low", "low", "low", "low", "medium"],
        "returnees": pd.array([59_999, 60_000, 1_000, 200_000, 75_000], dtype="Int64"),
    })
    out = H.apply_hotspot_rule(df).set_index("admin3_name")
    assert out["hotspot"].to_dict() == {"A": False, "B": True, "C": True, "D": False, "E": True}
    assert list(H.apply_hotspot_rule(df)["admin3_name"]) == ["E", "B", "C", "D", "A"]  # hotspots first
    assert len(out) == len(df)
    with pytest.raises(ValueError, match="returnees"):
        H.apply_hotspot_rule(df.drop(columns=["returnees"]))


def test_embedded_2020_hotspots(ds):
    t = H.hotspots_by_governorate(ds).set_index("admin1_name")
    # seed 002, slide 'Hotspots per governorate'
    assert t.loc["Salah Al-Din", "returnees_in_hotspots"] == 467_964
    assert t.loc["Ninewa", "returnees_in_hotspots"] == 490_230
    assert t.loc["Al-Anbar", "returnees_in_hotspots"] == 439_086
    assert t.loc["Diyala", "returnees_in_hotspots"] == 137_580
    assert t.loc["Kirkuk", "returnees_in_hotspots"] == 4_740
    assert t.loc["Baghdad", "returnees_in_hotspots"] == 6_246
    assert int(t["returnees_in_hotspots"].sum()) == 1_545_846
    assert t["subdistricts"].to_dict() == {"Ninewa": 9, "Salah Al-Din": 12, "Al-Anbar": 8, "Diyala": 4,
                                           "Baghdad": 1, "Kirkuk": 1}
    assert "Markaz Sinjar" in t.loc["Ninewa", "subdistrict_names"]
    assert list(t.index[:2]) == ["Ninewa", "Salah Al-Din"]  # largest first
    assert len(H.hotspot_subdistricts(ds)) == 35


def test_hotspot_figure(ds):
    fig = H.hotspot_figure(ds)
    assert isinstance(fig, go.Figure)
    bar = fig.data[0]
    assert dict(zip(bar.y, bar.x))["Ninewa"] == 490_230 and bar.marker.color == COLOURS["hotspot"]
    assert "1,545,846" in fig.layout.title.text and "35 hotspot sub-districts" in fig.layout.title.text
    note = " ".join(a.text.replace("<br>", " ") for a in fig.layout.annotations)
    assert "DSTWG meeting, 9 December 2020" in note and "60,000" in note and "2020" in note
    assert fig.layout.xaxis.title.text == "Returnees (individuals)"
    empty = ds.with_tables(hotspots=ds.hotspots.iloc[0:0], hotspot_totals=ds.hotspot_totals.iloc[0:0])
    assert H.hotspots_by_governorate(empty).empty and H.hotspot_figure(empty).layout.title.text


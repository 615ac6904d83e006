"""Severity: the share of people in severe conditions per round of the DTM Return Index
and Displacement Index, as a native line chart."""

from __future__ import annotations

import pandas as pd

from dsdash.deck.content import DeckContent
from dsdash.deck.draw import chart_values, line_chart, text, titled_slide
from dsdash.schema import COLOURS, DTM_CREDIT, IndexName

NAME = "index"
TITLE = "Severity: DTM Return and Displacement Index"


def outline(c: DeckContent) -> list[str]:
    lines = []
    for idx, label in ((IndexName.RETURN.value, "Return Index"), (IndexName.DISPLACEMENT.value, "Displacement Index")):
        s = c.index[c.index[idx].notna()]
        if len(s):
            lines.append(f"{label}: {len(s)} rounds with a share, latest {s[idx].iloc[-1]:g} % "
                         f"(to {pd.Timestamp(s['period_end'].iloc[-1]):%b %Y})")
    return lines or ["no index rounds in the data"]


def draw(prs, c: DeckContent) -> None:
    t = c.index
    slide = titled_slide(prs, TITLE, c,
                         f"{DTM_CREDIT}: Return Index and Displacement Index reports, per round (x = end of the data "
                         "collection period). Share of returnees (Return Index) / IDPs (Displacement Index) living "
                         "in locations of high severity. Rounds without a published share are left out.")
    if t.empty:
        text(slide, 0.5, 3, 12, 1, "No index rounds in the active data.", 18)
        return
    cats = [f"{pd.Timestamp(d):%b %Y}" for d in t["period_end"]]
    series = [("Returnees in severe conditions (Return Index, %)", chart_values(t[IndexName.RETURN.value]),
               COLOURS["returnee"]),
              ("IDPs in severe conditions (Displacement Index, %)", chart_values(t[IndexName.DISPLACEMENT.value]),
               COLOURS["idp"])]
    chart = line_chart(slide, cats, series, "Share of people in severe conditions (%)", 0.5, 1.1, 12.3, 5.3,
                       number_format="0", markers=True)
    chart.value_axis.minimum_scale = 0

"""Severity: the share of people in severe conditions per round of the DTM Return Index
and Displacement Index, as a native line chart."""

from __future__ import annotations

import pandas as pd

from dsdash.deck.content import DeckContent
from dsdash.deck.draw import chart_values, line_chart, text, titled_slide
from dsdash.charts import local_date
from dsdash.i18n import N_, _
from dsdash.schema import COLOURS, DTM_CREDIT, IndexName

NAME = "index"
TITLE = N_("Severity: DTM Return and Displacement Index")


def outline(c: DeckContent) -> list[str]:
    lines = []
    for idx, label in ((IndexName.RETURN.value, _("Return Index")),
                       (IndexName.DISPLACEMENT.value, _("Displacement Index"))):
        s = c.index[c.index[idx].notna()]
        if len(s):
            lines.append(_("{index}: {n} rounds with a share, latest {share} % (to {date})").format(
                index=label, n=len(s), share=f"{s[idx].iloc[-1]:g}", date=local_date(s['period_end'].iloc[-1], "%b %Y")))
    return lines or [_("no index rounds in the data")]


def draw(prs, c: DeckContent) -> None:
    t = c.index
    slide = titled_slide(prs, _(TITLE), c,
                         _("{credit}: Return Index and Displacement Index reports, per round (x = end of the data "
                           "collection period). Share of returnees (Return Index) / IDPs (Displacement Index) living "
                           "in locations of high severity. Rounds without a published share are left out.").format(
                             credit=_(DTM_CREDIT)))
    if t.empty:
        text(slide, 0.5, 3, 12, 1, _("No index rounds in the active data."), 18)
        return
    cats = [local_date(d, "%b %Y") for d in t["period_end"]]
    series = [(_("Returnees in severe conditions (Return Index, %)"), chart_values(t[IndexName.RETURN.value]),
               COLOURS["returnee"]),
              (_("IDPs in severe conditions (Displacement Index, %)"), chart_values(t[IndexName.DISPLACEMENT.value]),
               COLOURS["idp"])]
    chart = line_chart(slide, cats, series, _("Share of people in severe conditions (%)"), 0.5, 1.1, 12.3, 5.3,
                       number_format="0", markers=True)
    chart.value_axis.minimum_scale = 0

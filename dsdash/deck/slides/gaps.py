"""The gap matrix: people per service in each coverage state, a native table whose
headers (and non-zero cells, tinted) carry :data:`dsdash.schema.COLOURS`."""

from __future__ import annotations

import pandas as pd

from dsdash.deck.content import GAP_STATES, DeckContent
from dsdash.deck.draw import rgb, table, text, tint, titled_slide
from dsdash.provenance import fmt_number
from dsdash.schema import COLOURS

NAME = "gaps"
WARNING_COLOUR = "#B71C1C"
TITLE = "Gap matrix: people per service and coverage state"

GAP_HEADERS = {"lost": "Lost (partner exit)", "end_unconfirmed": "End unconfirmed", "at_risk": "At risk",
               "handed_over": "Handed over (govt only)", "no_report": "No report", "never_served": "Never served",
               "served": "Served"}


def gap_table_view(gaps: pd.DataFrame) -> pd.DataFrame:
    """The gap table with the slide's column names (for a page preview)."""
    cols = {"service_label": "Service", **GAP_HEADERS, "without_any": "No provider at all",
            "without_assured": "Without assured service"}
    return gaps[list(cols)].rename(columns=cols)


def outline(c: DeckContent) -> list[str]:
    g = c.gaps
    worst = g.sort_values("without_assured", ascending=False).head(3)
    return (c.warnings + [f"{len(g)} services × {g['sites'].max() if len(g) else 0} sites"]
            + [f"{r.service_label}: {int(r.without_assured):,} people without assured service"
               for r in worst.itertuples()])


def draw(prs, c: DeckContent) -> None:
    g = c.gaps
    slide = titled_slide(
        prs, TITLE, c,
        f"People (individuals, each group's latest round; closed sites left out) at the filtered sites on "
        f"{c.as_of:%d %b %Y}, by coverage state of each site × service. At risk: every provider ends within "
        f"{c.horizon_days} days. End unconfirmed: a planned end passed, nobody confirmed the exit. No report: no "
        "presence reported for the site. Without assured service = lost + end unconfirmed + never served + handed "
        "over + at risk. Presence and needs: partner reports listed on the sources slide.", page="gaps")
    headers = ["Service", *[GAP_HEADERS[s] for s in GAP_STATES], "No provider at all", "Without assured service"]
    rows = [[r.service_label, *[fmt_number(int(getattr(r, s))) for s in GAP_STATES], fmt_number(int(r.without_any)),
             fmt_number(int(r.without_assured))] for r in g.itertuples(index=False)]
    n = len(rows)
    size = 11 if n <= 10 else 10 if n <= 14 else 8
    top = 1.1 + 0.62 * len(c.warnings)  # warnings first, in red, between the title and the table
    size = min(size, 9) if c.warnings and n > 10 else size  # shorter rows under the warnings
    if c.warnings:
        text(slide, 0.5, 1.0, 12.3, top - 1.05, "\n".join(c.warnings), 11, bold=True, colour=WARNING_COLOUR)
    row_h = min(0.36, (6.0 - top) / (n + 1.6))
    widths = [2.3] + [1.05] * len(GAP_STATES) + [1.3, 1.35]  # 12.3 in with seven states
    fills = ["#1F3B5C", *[COLOURS[s] for s in GAP_STATES], "#1F3B5C", "#1F3B5C"]
    tbl = table(slide, rows, headers, 0.5, top, widths, size=size, row_h=row_h, header_fill=fills, right_from=1)
    for i, r in enumerate(g.itertuples(index=False), start=1):
        for j, s in enumerate(GAP_STATES, start=1):
            if int(getattr(r, s)) > 0:
                cell = tbl.cell(i, j)
                cell.fill.solid()
                cell.fill.fore_color.rgb = rgb(tint(COLOURS[s], 0.6))
        for j in (len(GAP_STATES) + 1, len(GAP_STATES) + 2):
            for run in tbl.cell(i, j).text_frame.paragraphs[0].runs:
                run.font.bold = True

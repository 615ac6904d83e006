"""The gap matrix: people per service in each coverage state, a native table whose
headers (and non-zero cells, tinted) carry :data:`dsdash.schema.COLOURS`."""

from __future__ import annotations

import pandas as pd

from dsdash.deck.content import GAP_STATES, DeckContent
from dsdash.deck.draw import rgb, table, text, tint, titled_slide
from dsdash.i18n import N_, _
from dsdash.provenance import fmt_number
from dsdash.schema import COLOURS

NAME = "gaps"
WARNING_COLOUR = "#B71C1C"
TITLE = N_("Gap matrix: people per service and coverage state")

GAP_HEADERS = {"lost": N_("Lost (partner exit)"), "end_unconfirmed": N_("End unconfirmed"), "at_risk": N_("At risk"),
               "handed_over": N_("Handed over (govt only)"), "no_report": N_("No report"),
               "never_served": N_("Never served"), "served": N_("Served")}


def gap_table_view(gaps: pd.DataFrame) -> pd.DataFrame:
    """The gap table with the slide's column names (for a page preview)."""
    cols = {"service_label": _("Service"), **{k: _(v) for k, v in GAP_HEADERS.items()},
            "without_any": _("No provider at all"), "without_assured": _("Without assured service")}
    out = gaps[list(cols)].rename(columns=cols)
    out[cols["service_label"]] = [_(v) for v in out[cols["service_label"]]]
    return out


def outline(c: DeckContent) -> list[str]:
    g = c.gaps
    worst = g.sort_values("without_assured", ascending=False).head(3)
    return (c.warnings + [_("{services} services × {sites} sites").format(
        services=len(g), sites=g['sites'].max() if len(g) else 0)]
            + [_("{service}: {n} people without assured service").format(
                service=_(r.service_label), n=f"{int(r.without_assured):,}") for r in worst.itertuples()])


def draw(prs, c: DeckContent) -> None:
    g = c.gaps
    slide = titled_slide(
        prs, _(TITLE), c,
        _("People (individuals, each group's latest round; closed sites left out) at the filtered sites on {date}, "
          "by coverage state of each site × service. At risk: every provider ends within {days} days. End "
          "unconfirmed: a planned end passed, nobody confirmed the exit. No report: no presence reported for the "
          "site. Without assured service = lost + end unconfirmed + never served + handed over + at risk. Presence "
          "and needs: partner reports listed on the sources slide.").format(date=c.day(c.as_of), days=c.horizon_days),
        page="gaps")
    headers = [_("Service"), *[_(GAP_HEADERS[s]) for s in GAP_STATES], _("No provider at all"),
               _("Without assured service")]
    rows = [[_(r.service_label), *[fmt_number(int(getattr(r, s))) for s in GAP_STATES], fmt_number(int(r.without_any)),
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

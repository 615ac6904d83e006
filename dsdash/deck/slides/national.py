"""The national IDP / returnee trend as a native (editable) line chart on a date axis (each
round at its date), one point per DTM round; rounds without a published figure are gaps; a
dashed line marks the method change of round 117 (× 5 per household in camps)."""

from __future__ import annotations

import pandas as pd

from dsdash.deck.content import DeckContent
from dsdash.deck.draw import chart_values, date_axis, date_marker, line_chart, text, titled_slide
from dsdash.charts import local_date
from dsdash.i18n import DEFAULT, N_, _, current
from dsdash.schema import COLOURS, DTM_CREDIT, POPULATION_GROUP_LABELS, PopulationGroup
from dsdash.trends.national import METHOD_CHANGE_ROUND

NAME = "national"
TITLE = N_("IDPs and returnees in Iraq, by DTM round")


def outline(c: DeckContent) -> list[str]:
    nat = c.national
    lines = []
    for g in PopulationGroup.values():
        s = nat[nat[g].notna()] if g in nat.columns else nat.iloc[0:0]
        if len(s):
            last = s.iloc[-1]
            lines.append(_("{group}: {n} rounds, latest {value} (round {round}, {date})").format(
                group=_(POPULATION_GROUP_LABELS[g]), n=len(s), value=f"{int(last[g]):,}", round=int(last['dtm_round']),
                date=c.day(last['reference_date'])))
    return lines or [_("no national series in the data")]


def draw(prs, c: DeckContent) -> None:
    src = {s for s in c.sources[1][1]}
    nat = c.national
    slide = titled_slide(prs, _(TITLE), c,
                         _("{credit}; {n} publication(s), see the sources slide. Individuals = households × 6 (× 5 in "
                           "camps from round 117, Aug 2020). Rounds without a published figure are gaps.").format(
                             credit=_(DTM_CREDIT), n=len(src)))
    if nat.empty:
        text(slide, 0.5, 3, 12, 1, _("No national series in the active data."), 18)
        return
    cats = [pd.Timestamp(d).date() for d in nat["reference_date"]]
    series = [(_("{group} (individuals)").format(group=_(POPULATION_GROUP_LABELS[g])), chart_values(nat[g]), COLOURS[g])
              for g in PopulationGroup.values() if g in nat.columns and nat[g].notna().any()]
    # small markers: a round published between two gaps (returnees, round 132) is a lone point
    chart = line_chart(slide, cats, series, _("IDPs and returnees nationally (individuals)"), 0.5, 1.1, 12.3, 5.3,
                       markers=3)
    # points at their dates: rounds were not evenly spaced; one tick a year (the year alone outside English,
    # whose month names a chart's number format would write in English)
    date_axis(chart, cats[0], cats[-1], "mmm yyyy" if current() == DEFAULT else "yyyy")
    change = nat[nat["dtm_round"] == METHOD_CHANGE_ROUND]
    if len(change):
        when = pd.Timestamp(change["reference_date"].iloc[0])
        frame = slide.shapes[-1]  # the chart's graphic frame, the shape just added
        date_marker(slide, frame, cats[0], cats[-1], when,
                    _("Round {round} ({date}): × 5 per household in camps").format(
                        round=METHOD_CHANGE_ROUND, date=local_date(when, "%b %Y")))

"""Follow-up: planned ends passed without confirmation, or due within 30 days, with the people
at stake (:mod:`dsdash.coverage.followup`, the Gaps page's list), and a link back to the page
where an editor confirms, extends or records a hand-over."""

from __future__ import annotations

import pandas as pd

from dsdash.coverage.followup import FOLLOWUP_DAYS, days_text, followup_people
from dsdash.deck.content import DeckContent
from dsdash.deck.draw import row_height, rows_that_fit, table, text, titled_slide
from dsdash.i18n import N_, _, ngettext
from dsdash.provenance import fmt_number
from dsdash.schema import SERVICE_LABELS

NAME = "followup"
TITLE = N_("Follow-up: planned ends to confirm")
ROWS = 10


def _entries(c: DeckContent) -> pd.DataFrame:
    return c.followup if c.followup is not None else pd.DataFrame()


def outline(c: DeckContent) -> list[str]:
    f = _entries(c)
    if f.empty:
        return [_("No planned end passed unconfirmed or due within {days} days of {date}").format(
            days=FOLLOWUP_DAYS, date=c.day(c.as_of))]
    return ([_("{n} open confirmation(s); {people} people left without a service meanwhile").format(
        n=len(f), people=f"{followup_people(f):,}")]
            + [f"{r['partner']} · {_(SERVICE_LABELS.get(r['service'], r['service']))} · {days_text(r)}"
               for r in f.head(3).to_dict(orient="records")])


def draw(prs, c: DeckContent) -> None:
    f = _entries(c)
    slide = titled_slide(prs, _(TITLE), c,
                         _("Partners whose planned end (not confirmed) has passed, or falls within {days} days of "
                           "{date}, or whose end date could not be read, at the filtered sites. People = individuals at the sites served (each group's "
                           "latest round); left without = at sites where neither another partner nor a renewal by the same "
                           "one serves the day after that end (an end not read: on the date itself). Confirm, "
                           "extend or record a hand-over on the Gaps and exits page (link above). Source: partner "
                           "presence (sources slide).").format(days=FOLLOWUP_DAYS, date=c.day(c.as_of)), page="gaps")
    if f.empty:
        text(slide, 0.5, 1.4, 12, 1, _("No planned end passed without confirmation, and none falls within {days} days "
                                       "of {date}.").format(days=FOLLOWUP_DAYS, date=c.day(c.as_of)), 18)
        return

    def num(v) -> str:
        return fmt_number(None if v is None or pd.isna(v) else int(v))

    rows = [[str(r["partner"]), _(SERVICE_LABELS.get(r["service"], str(r["service"]))),
             "" if pd.isna(r["end_date"]) else c.day(r["end_date"]), days_text(r),
             str(r["dates_as_stated"]) if pd.notna(r["dates_as_stated"]) else "",
             num(r["n_sites"]), num(r["individuals"]), num(r["individuals_without"])]
            for r in f.head(ROWS).to_dict(orient="records")]
    widths = [1.7, 1.9, 1.2, 1.75, 3.2, 0.65, 0.9, 1.0]
    size = 10
    n = rows_that_fit(rows, widths, size, 0.34, 4.9)
    shown = rows[:n]
    table(slide, shown, [_("Partner"), _("Service"), _("Planned end"), _("Status"), _("As the source says"), _("Sites"),
                         _("People"), _("Left without")], 0.5, 1.1, widths, size=size, row_h=0.34, right_from=5)
    if len(f) > n:
        used = 0.34 * 1.6 + sum(row_height(r, widths, size, 0.34) for r in shown)
        text(slide, 0.5, 1.15 + used, 12, 0.35, _("… and {n} more: see the Gaps and exits page.").format(n=len(f) - n),
             11, colour="#555555")

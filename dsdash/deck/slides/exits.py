"""Upcoming partner exits within the horizon, a native table cut to what fits the slide."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dsdash.deck.content import DeckContent
from dsdash.deck.draw import row_height, rows_that_fit, table, text, titled_slide
from dsdash.i18n import N_, _
from dsdash.provenance import fmt_number
from dsdash.schema import SERVICE_LABELS

NAME = "exits"
#: partner types as the table says them (the data's codes: 'government' … stay as given otherwise)
PARTNER_TYPES = {"UN": N_("UN"), "INGO": N_("INGO"), "NNGO": N_("NNGO"), "government": N_("government"),
                 "other": N_("other")}
TITLE = N_("Upcoming partner exits")
EXIT_ROWS = 12  # at most this many rows in the exits table (fewer when names wrap)


def outline(c: DeckContent) -> list[str]:
    e = c.exits
    return ([_("{n} exits within {days} days of {date}").format(n=len(e), days=c.horizon_days, date=c.day(c.as_of))]
            + [_("{partner} · {service} · ends {date}").format(
                partner=r.partner, service=_(SERVICE_LABELS.get(r.service, r.service)), date=c.day(r.end_date))
               for r in e.head(3).itertuples()])


def draw(prs, c: DeckContent) -> None:
    e = c.exits
    slide = titled_slide(prs, _(TITLE), c,
                         _("Partners serving on {date} whose presence ends by {end} (horizon {days} days), at the "
                           "filtered sites. People = individuals at the sites served; left without = at sites where "
                           "no other provider continues after that date. Source: partner presence (sources "
                           "slide).").format(date=c.day(c.as_of), end=c.day(c.as_of + dt.timedelta(days=c.horizon_days)),
                                             days=c.horizon_days))
    if e.empty:
        text(slide, 0.5, 1.4, 12, 1, _("No partner exit within {days} days of {date} at the filtered sites.").format(
            days=c.horizon_days, date=c.day(c.as_of)), 18)
        return

    def num(v) -> str:
        return fmt_number(None if v is None or pd.isna(v) else int(v))

    rows = [[str(r.partner), _(PARTNER_TYPES.get(r.partner_type, str(r.partner_type))),
             _(SERVICE_LABELS.get(r.service, str(r.service))),
             c.day(r.end_date) if pd.notna(r.end_date) else "",
             "" if pd.isna(r.handover_to) else str(r.handover_to),
             num(r.n_sites), num(r.individuals), num(r.individuals_left_without)]
            for r in e.head(EXIT_ROWS).itertuples(index=False)]
    widths = [2.9, 0.95, 2.3, 1.3, 2.15, 0.75, 1.0, 1.0]
    size = 11 if len(rows) <= 8 else 10
    avail = 5.25 if len(e) > len(rows) else 5.3  # from y = 1.1 to the source line at 6.45
    n = rows_that_fit(rows, widths, size, 0.34, avail - 0.35)
    n = len(rows) if n == len(rows) and len(e) == len(rows) else n
    shown = rows[:n]
    table(slide, shown, [_("Partner"), _("Type"), _("Service"), _("Ends"), _("Handover to"), _("Sites"), _("People"),
                         _("Left without")],
          0.5, 1.1, widths, size=size, row_h=0.34, right_from=5)
    if len(e) > n:
        used = 0.34 * 1.6 + sum(row_height(r, widths, size, 0.34) for r in shown)
        text(slide, 0.5, 1.15 + used, 12, 0.35, _("… and {n} more exit(s) within the horizon: see the Gaps and exits "
                                                   "page.").format(n=len(e) - n), 11, colour="#555555")

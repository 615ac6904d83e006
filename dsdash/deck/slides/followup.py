"""Follow-up: planned ends passed without confirmation, or due within 30 days, with the people
at stake (:mod:`dsdash.coverage.followup`, the Gaps page's list), and a link back to the page
where an editor confirms, extends or records a hand-over."""

from __future__ import annotations

import pandas as pd

from dsdash.coverage.followup import FOLLOWUP_DAYS, days_text, followup_people
from dsdash.deck.content import DeckContent
from dsdash.deck.draw import row_height, rows_that_fit, table, text, titled_slide
from dsdash.provenance import fmt_number
from dsdash.schema import SERVICE_LABELS

NAME = "followup"
TITLE = "Follow-up: planned ends to confirm"
ROWS = 10


def _entries(c: DeckContent) -> pd.DataFrame:
    return c.followup if c.followup is not None else pd.DataFrame()


def outline(c: DeckContent) -> list[str]:
    f = _entries(c)
    if f.empty:
        return [f"No planned end passed unconfirmed or due within {FOLLOWUP_DAYS} days of {c.as_of:%d %b %Y}"]
    return ([f"{len(f)} open confirmation(s); {followup_people(f):,} people left without a service meanwhile"]
            + [f"{r['partner']} · {SERVICE_LABELS.get(r['service'], r['service'])} · {days_text(r)}"
               for r in f.head(3).to_dict(orient="records")])


def draw(prs, c: DeckContent) -> None:
    f = _entries(c)
    slide = titled_slide(prs, TITLE, c,
                         f"Partners whose planned end (not confirmed) has passed, or falls within {FOLLOWUP_DAYS} days "
                         f"of {c.as_of:%d %b %Y}, at the filtered sites. People = individuals at the sites served "
                         "(each group's latest round); left without = at sites no other partner serves after that end. "
                         "Confirm, extend or record a hand-over on the Gaps and exits page (link above). Source: "
                         "partner presence (sources slide).", page="gaps")
    if f.empty:
        text(slide, 0.5, 1.4, 12, 1, f"No planned end passed without confirmation, and none falls within "
                                     f"{FOLLOWUP_DAYS} days of {c.as_of:%d %b %Y}.", 18)
        return

    def num(v) -> str:
        return fmt_number(None if v is None or pd.isna(v) else int(v))

    rows = [[str(r["partner"]), SERVICE_LABELS.get(r["service"], str(r["service"])),
             f"{pd.Timestamp(r['end_date']):%d %b %Y}", days_text(r),
             str(r["dates_as_stated"]) if pd.notna(r["dates_as_stated"]) else "",
             num(r["n_sites"]), num(r["individuals"]), num(r["individuals_without"])]
            for r in f.head(ROWS).to_dict(orient="records")]
    widths = [1.7, 1.9, 1.2, 1.75, 3.2, 0.65, 0.9, 1.0]
    size = 10
    n = rows_that_fit(rows, widths, size, 0.34, 4.9)
    shown = rows[:n]
    table(slide, shown, ["Partner", "Service", "Planned end", "Status", "As the source says", "Sites", "People",
                         "Left without"], 0.5, 1.1, widths, size=size, row_h=0.34, right_from=5)
    if len(f) > n:
        used = 0.34 * 1.6 + sum(row_height(r, widths, size, 0.34) for r in shown)
        text(slide, 0.5, 1.15 + used, 12, 0.35, f"… and {len(f) - n} more: see the Gaps and exits page.", 11,
             colour="#555555")

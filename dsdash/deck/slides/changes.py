"""What changed since the previous round or publication (:mod:`dsdash.history`): the changes
in a few sentences, and the sites that opened, closed or changed most. Left out of the deck
when there is nothing earlier to compare with."""

from __future__ import annotations

import pandas as pd

from dsdash.deck.content import DeckContent
from dsdash.deck.draw import lines, rows_that_fit, table, titled_slide
from dsdash.i18n import N_, _, current
from dsdash.provenance import fmt_number
from dsdash.schema import POPULATION_GROUP_LABELS

NAME = "changes"
TITLE = N_("What changed")
SITE_ROWS = 12  # at most this many sites in the table
NO_EARLIER = N_("No earlier round or publication to compare with: slide left out.")

STATUS_WORDS = {"appeared": N_("opened"), "closed": N_("closed"), "rise": N_("rose"), "fall": N_("fell")}


def _since_news(c: DeckContent) -> bool:
    s = c.since
    return s is not None and (len(s.exits_confirmed) > 0 or len(s.planned_ends_passed) > 0)


def shown(c: DeckContent) -> bool:
    """When there is something earlier to compare with, or exits confirmed or planned ends passed since the
    previous meeting."""
    return c.changes is not None or _since_news(c)


def since_lines(c: DeckContent) -> list[str]:
    """Since the previous meeting (as-of − 30 days): exits confirmed, planned ends passed, needs reported."""
    if not _since_news(c) and c.changes is None or c.since is None:
        return []
    return [_("Since the previous meeting:")] + c.since.lines()[:4]


def outline(c: DeckContent) -> list[str]:
    if not shown(c):
        return [_(NO_EARLIER)]
    return (c.changes.lines() if c.changes is not None else []) + since_lines(c)


def site_rows(c: DeckContent) -> list[list[str]]:
    """The table's rows: sites opened, closed, then the biggest rises and falls."""
    ch = c.changes
    picked = [ch.opened, ch.closed, ch.biggest(SITE_ROWS)]
    rows = []
    for df in picked:
        for r in df.itertuples(index=False):
            name = r.site_name if isinstance(r.site_name, str) and r.site_name else str(r.site_id)
            if current() == "ar":  # the site's Arabic name where the data has one
                name = c.site_names_ar.get(str(r.site_id), name)
            where = ", ".join(str(x) for x in (r.admin2_name, r.admin1_name) if isinstance(x, str) and x)
            rows.append([name, where, _(POPULATION_GROUP_LABELS.get(r.population_group, str(r.population_group))),
                         _(STATUS_WORDS[r.status]) if r.status in STATUS_WORDS else str(r.status),
                         fmt_number(None if pd.isna(r.before) else int(r.before)),
                         fmt_number(None if pd.isna(r.after) else int(r.after)),
                         f"{int(r.change):+,}"])
    return rows


def draw(prs, c: DeckContent) -> None:
    if not shown(c):
        return
    ch = c.changes
    rounds = (_("From {before} to {after}. Sites and population: each population group's latest round (a site "
                "missing from it is closed). Partners: presence lines serving on each date. ").format(
        before=ch.before, after=ch.after) if ch is not None else "")
    slide = titled_slide(prs, _(TITLE), c,
                         rounds + _("Exits confirmed: the source or an editor says the partner left; planned ends "
                                    "passed: not confirmed yet (follow-up slide). Needs: reported by each date. "
                                    "Sources: see the sources slide."), page="")
    text = [(line, False) for line in (ch.lines()[1:] if ch is not None else [])]
    text += [(line, i == 0) for i, line in enumerate(since_lines(c))]
    lines(slide, 0.5, 1.1, 5.0 if ch is not None else 12.3, 5.2, text, 12 if len(text) <= 9 else 10)
    if ch is None:
        return
    rows = site_rows(c)
    if not rows:
        return
    widths = [1.9, 1.6, 0.7, 0.75, 0.75, 0.75, 0.75]  # 7.2 in: from 5.55 in to the right margin
    n = min(rows_that_fit(rows, widths, 10, 0.3, 5.0), SITE_ROWS)
    table(slide, rows[:n], [_("Site"), _("Where"), _("Group"), _("Status"), _("Before"), _("After"), _("Change")],
          5.55, 1.1, widths,
          size=10, row_h=0.3, right_from=4)
    if len(rows) > n:
        lines(slide, 5.55, 6.1, 7.6, 0.3, [(_("… and {n} more site(s): see the Workspace page (History) or the "
                                              "Trends page.").format(n=f"{len(rows) - n:,}"), False)], 10, "#555555")

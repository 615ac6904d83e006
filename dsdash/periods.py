"""When each table's data is from, and what a page must say about it.

Two rules, written once and used by every page and the deck:

* **Staleness** (:func:`staleness`): when the as-of date is past the latest data of a table
  (population, partner presence, needs, FVM), every figure from that table says
  "latest data: 10 Dec 2023" (:meth:`Staleness.mark`) and the page shows a warning
  (:meth:`Staleness.warning`). Figures are never silently carried forward.
* **Presence belongs to its period** (:func:`period_mismatch`): partner presence and
  population counts from different periods (more than :data:`PERIOD_GAP_DAYS` apart, or
  no presence row covering the population's date) are said so, prominently, on the Gaps
  page and in the deck.

The latest data of a table (:func:`latest_dates`): the newest ``reference_date`` of the
population counts, ``reported_on`` of the needs, ``period_end`` of the FVM table. The
presence table has no report date of its own: its date is the newest date its sources name
(``"DSTWG 13 Dec 2023"``, a file called ``presence_2024-04-30.xlsx``), else the newest
start or confirmed end it states (:func:`presence_date`). Planned end dates are plans,
not data: they never make a table newer.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import pandas as pd

from dsdash.dataset import Dataset
from dsdash.parse import date_in_text
from dsdash.i18n import N_, _, list_sep, ngettext
from dsdash.provenance import KeyFigure, date_text

#: Tables whose figures are judged for staleness, in the order warnings name them.
STALENESS_TABLES: tuple[str, ...] = ("population", "presence", "needs", "fvm")

#: What each table is called on screen.
TABLE_WORDS = {"population": N_("population counts"), "presence": N_("partner presence"), "needs": N_("reported needs"),
               "fvm": N_("facilitated movements (FVM)")}

#: Presence and population further apart than this (about six months) are from different periods.
PERIOD_GAP_DAYS = 183

_ROW_DETAIL = re.compile(r"(, row \d+|, rows? [\d, –-]+).*$", re.S)


def presence_date(presence: pd.DataFrame) -> dt.date | None:
    """The date a presence table describes: the newest date its sources name, or else the
    newest start date or confirmed (``ended``) end date. None when it states no date.

    Examples:
        >>> import pandas as pd
        >>> p = pd.DataFrame({"source": ["DSTWG 13 Dec 2023, slide 'Partners'"], "status": ["active"],
        ...                   "start_date": [pd.NaT], "end_date": [pd.Timestamp("2024-04-30")]})
        >>> presence_date(p)
        datetime.date(2023, 12, 13)
        >>> p = pd.DataFrame({"source": ["4w.csv, row 2"] * 3, "status": ["active", "planned", "active"],
        ...                   "start_date": pd.to_datetime(["2024-03-01", "2024-10-01", "2024-09-01"]),
        ...                   "end_date": pd.to_datetime([None, None, "2024-03-31"])})
        >>> presence_date(p)  # not the planned start, nor the start after its end
        datetime.date(2024, 3, 1)
    """
    if presence.empty:
        return None
    dates: list[dt.date] = []
    if "source" in presence.columns:
        docs = {_ROW_DETAIL.sub("", str(s)) for s in presence["source"].dropna().unique()}
        dates += [d for d in (date_in_text(doc).date for doc in docs) if d is not None]
    if not dates:
        # a start a row reports, not one it plans ('planned') nor one after its own end (a row in error)
        status = presence["status"].astype("string")
        start, end = presence["start_date"], presence["end_date"]
        real = (status != "planned").fillna(True) & ~(start.notna() & end.notna() & (start > end))
        starts = start[real].dropna()
        ended = presence.loc[status == "ended", "end_date"].dropna()
        dates += [pd.Timestamp(d).date() for d in (*starts, *ended)]
    return max(dates) if dates else None


def _newest(values: pd.Series) -> dt.date | None:
    values = values.dropna()
    return pd.Timestamp(values.max()).date() if len(values) else None


def latest_dates(ds: Dataset) -> dict[str, dt.date | None]:
    """The latest data of each table of :data:`STALENESS_TABLES` (None: the table is empty
    or states no date)."""
    return {"population": _newest(ds.population["reference_date"]), "presence": presence_date(ds.presence),
            "needs": _newest(ds.needs["reported_on"]), "fvm": _newest(ds.fvm["period_end"])}


@dataclass(frozen=True)
class Staleness:
    """The as-of date against the latest data of each table."""

    as_of: dt.date | None
    latest: Mapping[str, dt.date | None]

    def stale(self, *tables: str) -> tuple[str, ...]:
        """Those of ``tables`` (default: all of :data:`STALENESS_TABLES`) whose latest data is
        before the as-of date, in that order."""
        if self.as_of is None:
            return ()
        return tuple(t for t in (tables or STALENESS_TABLES)
                     if self.latest.get(t) is not None and self.latest[t] < self.as_of)

    def note(self, *tables: str) -> str:
        """'latest data: 10 Dec 2023' for figures from ``tables`` when some are stale ('' when
        none is); the tables are named when their dates differ:
        'latest data: population counts 10 Dec 2023, partner presence 13 Dec 2023'."""
        stale = self.stale(*tables)
        if not stale:
            return ""
        days = {self.latest[t] for t in stale}
        if len(days) == 1:
            return _("latest data: {date}").format(date=date_text(days.pop()))
        return _("latest data: {dates}").format(
            dates=_(", ").join(f"{_(TABLE_WORDS[t])} {date_text(self.latest[t])}" for t in stale))

    def mark(self, figures: Iterable[KeyFigure], *tables: str) -> list[KeyFigure]:
        """``figures`` (built from ``tables``) with the note added to their date line."""
        note = self.note(*tables)
        return [replace(kf, date=f"{kf.date} · {note}" if kf.date else note) if note else kf for kf in figures]

    def warning(self, *tables: str) -> str | None:
        """One paragraph for the page when the as-of date is past the latest data of ``tables``."""
        stale = self.stale(*tables)
        if not stale:
            return None
        which = list_sep().join(_("{table}: latest data {date}").format(table=_(TABLE_WORDS[t]), date=date_text(self.latest[t]))
                          for t in stale)
        return _("The as-of date, {date}, is past the latest data ({which}). "
                 "Figures from these tables show their latest data, not the situation on the as-of date; "
                 "coverage after the partners' report follows the end dates they planned then.").format(
            date=date_text(self.as_of), which=which)


def staleness(ds: Dataset, view) -> Staleness:
    """The staleness of ``ds`` on the view's as-of date (the data's latest date when the
    view chooses none). ``view`` is a :class:`dsdash.view.View`."""
    return Staleness(view.resolved_as_of(ds), latest_dates(ds))


def _months_apart(a: dt.date, b: dt.date) -> str:
    months = abs((a.year - b.year) * 12 + a.month - b.month)
    years, months = divmod(months, 12)
    parts = [ngettext("{n} year", "{n} years", years).format(n=years)] if years else []
    parts += [ngettext("{n} month", "{n} months", months).format(n=months)] if months or not years else []
    return " ".join(parts)


def period_mismatch(ds: Dataset) -> str | None:
    """A warning when partner presence and population counts come from different periods:
    the presence's date (:func:`presence_date`) more than :data:`PERIOD_GAP_DAYS` from the
    population's latest date, or no presence row whose period (start to end; an open start
    or end is open) covers that date. None when they agree, or either table is empty.

    The warning names both dates: coverage computed from one period's partners on another
    period's sites is not a finding.
    """
    pres, pop = ds.presence, ds.population
    pop_day = _newest(pop["reference_date"])
    if pres.empty or pop_day is None:
        return None
    day = pd.Timestamp(pop_day)
    pres_day = presence_date(pres)
    starts, ends = pres["start_date"], pres["end_date"]
    covers = (starts.isna() | (starts <= day)) & (ends.isna() | (ends >= day))
    apart = pres_day is not None and abs((pres_day - pop_day).days) > PERIOD_GAP_DAYS
    if not apart and covers.any():
        return None
    said = _("reported {date}").format(date=date_text(pres_day)) if pres_day else _("of undated reports")
    why = (_("{span} apart").format(span=_months_apart(pres_day, pop_day)) if apart
           else _("no presence row covers {date}").format(date=date_text(pop_day)))
    return _("Partner presence and population counts come from different periods: presence {said}, "
             "population counts of {date} ({why}). The gap figures apply those partners to these "
             "sites: do not present them as the coverage of that date; load the presence of the same period.").format(
        said=said, date=date_text(pop_day), why=why)


#: Tables whose data a coverage view (gap matrix, map, deck) shows on the as-of date.
COVERAGE_TABLES: tuple[str, ...] = ("population", "presence", "needs")


def warnings(ds: Dataset, as_of: dt.date | None, tables: Iterable[str] = COVERAGE_TABLES, *,
             period: bool = True) -> list[str]:
    """What a page or deck showing ``tables`` on ``as_of`` must say prominently: partner
    presence and population from different periods (with ``period``;
    :func:`period_mismatch`), then an as-of date past the latest data (:meth:`Staleness.warning`)."""
    found = [period_mismatch(ds) if period else None,
             Staleness(as_of or ds.latest_date(), latest_dates(ds)).warning(*tables)]
    return [w for w in found if w]

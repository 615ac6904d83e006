"""What the user is looking at, shared by every page and command: which sites and services
(:class:`~dsdash.filters.Filters`), on which date (``as_of``) and how far ahead an ending
provider puts a cell at risk (``horizon_days``).

A :class:`View` is plain data. It round-trips through a URL query string
(:meth:`View.to_query` / :meth:`View.from_query`), so every page shows the same view and
a view can be shared by link.

Examples:
    >>> v = View(Filters(site_group=("Rutba",)), as_of=dt.date(2024, 3, 1), horizon_days=60)
    >>> v.to_query()
    {'site_group': 'Rutba', 'as_of': '2024-03-01', 'horizon': '60'}
    >>> View.from_query(v.to_query()) == v
    True
    >>> View.from_query({"as_of": "soon", "horizon": "-5"}) == View()
    True
"""

from __future__ import annotations

import datetime as dt
import numbers
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

import pandas as pd

from dsdash.dataset import Dataset
from dsdash.filters import Filters
from dsdash.parse import AmbiguousDate, ParseError, parse_date
from dsdash.schema import DEFAULT_HORIZON_DAYS

#: The longest horizon the pages offer, and the longest read from a URL.
MAX_HORIZON_DAYS = 730

#: Query-string keys of the date and the horizon (the filters use their field names).
AS_OF_PARAM = "as_of"
HORIZON_PARAM = "horizon"

#: Every query-string key a view writes.
QUERY_KEYS: tuple[str, ...] = (*(f.name for f in fields(Filters)), AS_OF_PARAM, HORIZON_PARAM)

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_DAYS = re.compile(r"\d{1,4}", re.ASCII)


@dataclass(frozen=True)
class View:
    """Filters, the as-of date (None: the data's latest date) and the at-risk horizon in days."""

    filters: Filters = field(default_factory=Filters)
    as_of: dt.date | None = None
    horizon_days: int = DEFAULT_HORIZON_DAYS

    def __post_init__(self) -> None:
        if not isinstance(self.filters, Filters):
            raise TypeError(f"filters must be a Filters, not {type(self.filters).__name__}")
        if isinstance(self.as_of, dt.datetime):  # a datetime or pandas Timestamp: its day
            object.__setattr__(self, "as_of", self.as_of.date())
        elif self.as_of is not None and not isinstance(self.as_of, dt.date):
            raise TypeError(f"as_of must be a date or None, not {type(self.as_of).__name__}")
        h = self.horizon_days
        if isinstance(h, bool) or not isinstance(h, numbers.Integral) or h < 0:
            raise ValueError(f"horizon_days must be a whole number of days, 0 or more, not {h!r}")
        object.__setattr__(self, "horizon_days", int(h))

    def resolved_as_of(self, ds: Dataset) -> dt.date | None:
        """The as-of date, or the data's latest date when none is chosen (None if the data has no date)."""
        return self.as_of or ds.latest_date()

    def to_query(self) -> dict[str, str]:
        """URL query parameters: the filters' (empty ones omitted), ``as_of`` as ISO text when
        chosen, and ``horizon`` always."""
        query = self.filters.to_query()
        if self.as_of is not None:
            query[AS_OF_PARAM] = self.as_of.isoformat()
        query[HORIZON_PARAM] = str(self.horizon_days)
        return query

    @classmethod
    def from_query(cls, query: Mapping) -> View:
        """Read a view from URL query parameters. Unknown keys are ignored, and so are values
        that are not what they should be: an as-of date that is not YYYY-MM-DD, a horizon
        that is not a whole number from 0 to :data:`MAX_HORIZON_DAYS` (each then takes its default).
        Never raises."""
        return cls(Filters.from_query({str(k): _joined(v) for k, v in query.items()}),
                   _iso_date(_last(query.get(AS_OF_PARAM))),
                   _days(_last(query.get(HORIZON_PARAM)), DEFAULT_HORIZON_DAYS))

    def describe(self) -> str:
        """Words for a caption: 'all sites, all services; as of 10 Dec 2023; at-risk horizon 90 days'."""
        from dsdash.i18n import _
        from dsdash.provenance import local_date

        when = _("as of {date}").format(date=local_date(self.as_of)) if self.as_of else _("as of the data's latest date")
        return _("{filters}; {when}; at-risk horizon {n} days").format(filters=self.filters.describe(), when=when,
                                                                       n=self.horizon_days)


def _joined(value: object) -> str:
    """A filter's query value as text: the values of a repeated key joined by commas."""
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)


def _last(value: object) -> str | None:
    """A single query value as text: the last one of a repeated key (as Streamlit reads it)."""
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else None
    return None if value is None else str(value)


def _iso_date(text: str | None) -> dt.date | None:
    """A YYYY-MM-DD date, or None."""
    if text is None or not _ISO_DATE.fullmatch(text.strip()):
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def _days(text: str | None, default: int) -> int:
    """A whole number of days from 0 to MAX_HORIZON_DAYS, or ``default``."""
    if text is None or not _DAYS.fullmatch(text.strip()):
        return default
    days = int(text.strip())
    return days if days <= MAX_HORIZON_DAYS else default


def date_bounds(ds: Dataset) -> tuple[dt.date, dt.date]:
    """A sensible range for the as-of date: a year around every date in presence and population."""
    dates = pd.concat([ds.presence["start_date"], ds.presence["end_date"], ds.population["reference_date"],
                       ds.needs["reported_on"]]).dropna()
    # dates far from now ("open-ended" 9999-12-31, a 0001-01-01 placeholder) say nothing about the range
    dates = dates[(dates >= pd.Timestamp(DATE_FLOOR)) & (dates <= pd.Timestamp(DATE_CEILING))]
    if dates.empty:
        today = dt.date.today()
        return today - dt.timedelta(days=3650), today + dt.timedelta(days=3650)
    lo, hi = pd.Timestamp(dates.min()).date(), pd.Timestamp(dates.max()).date()
    return max(lo - dt.timedelta(days=366), DATE_FLOOR), min(hi + dt.timedelta(days=366), DATE_CEILING)


#: The as-of range never reaches past these (a year 9999 end date means "open-ended").
DATE_FLOOR = dt.date(1990, 1, 1)
DATE_CEILING = dt.date(2100, 12, 31)


def checked_as_of(ds: Dataset, as_of: dt.date | None) -> tuple[dt.date | None, str | None]:
    """The as-of date to show, and a note when ``as_of`` (from a link, or kept from other
    data) lies outside :func:`date_bounds`: it is then reset to the data's latest date.

    Examples:
        >>> from dsdash.dataset import load_embedded
        >>> checked_as_of(load_embedded(), dt.date(2024, 5, 15))
        (datetime.date(2024, 5, 15), None)
        >>> day, note = checked_as_of(load_embedded(), dt.date(2021, 2, 28))
        >>> day, note.split(":")[0]
        (datetime.date(2023, 12, 10), 'The as-of date 28 Feb 2021 lies outside the active data')
    """
    latest = ds.latest_date()
    if as_of is None:
        return latest, None
    lo, hi = date_bounds(ds)
    if lo <= as_of <= hi:
        return as_of, None
    from dsdash.i18n import _
    from dsdash.provenance import local_date

    now = local_date(latest) if latest else _("no date (the data has none)")
    return latest, _("The as-of date {date} lies outside the active data: its dates run from "
                     "{lo} to {hi}, and an as-of "
                     "date may lie at most a year beyond them. The view is reset to the data's latest date, {now}.").format(
        date=local_date(as_of), lo=local_date(lo + dt.timedelta(days=366)), hi=local_date(hi - dt.timedelta(days=366)),
        now=now)


def typed_date(text: str, lo: dt.date, hi: dt.date, example: dt.date) -> tuple[dt.date | None, str | None]:
    """A date typed in a date field that takes dates from ``lo`` to ``hi`` (the as-of date:
    :func:`date_bounds`): ``(date, None)``, or ``(None, why not)`` when the text is no date
    (:func:`dsdash.parse.parse_date`: ISO, 30/09/2023, 30 Sep 2023, a month means its last day;
    day and month never guessed) or lies outside, naming ``example`` as a date to type.

    Examples:
        >>> lo, hi, latest = dt.date(2021, 12, 31), dt.date(2026, 1, 1), dt.date(2023, 12, 10)
        >>> typed_date(" 30 Sep 2023 ", lo, hi, latest)
        (datetime.date(2023, 9, 30), None)
        >>> typed_date("04/05/2024", lo, hi, latest)[1]
        "'04/05/2024' is ambiguous: 4 May 2024 or 5 April 2024 (day or month first?). Type it as 2024-05-04."
    """
    from dsdash.i18n import _
    from dsdash.provenance import local_date

    span = _("from {lo} to {hi}").format(lo=local_date(lo), hi=local_date(hi))
    try:
        day = parse_date(str(text).strip(), role="end")
    except AmbiguousDate as exc:
        first = parse_date(str(text).strip(), dayfirst=True)
        return None, _("{problem}. Type it as {date}.").format(problem=exc, date=first.isoformat())
    except ParseError as exc:
        return None, _("{problem}. Type a date {span}, e.g. {example}.").format(problem=exc, span=span,
                                                                                example=f"{example:%Y-%m-%d}")
    if day is None:
        return None, _("Type a date {span}, e.g. {example}.").format(span=span, example=f"{example:%Y-%m-%d}")
    if not lo <= day <= hi:
        return None, _("{date} lies outside the active data: type a date {span}.").format(date=local_date(day), span=span)
    return day, None

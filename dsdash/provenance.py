"""Provenance of every number shown: key figures that carry source, date and method,
number formats, and the words that name a source.

A :class:`KeyFigure` never travels without its provenance: ``source``, ``date`` and
``method`` are always filled.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dsdash.i18n import N_, _, current, info, iso, local_digits
from dsdash.sources import cited, citation


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value: float | int | None
    unit: str
    source: str
    date: str
    method: str
    change: float | int | None = None
    change_label: str = ""

    @property
    def text(self) -> str:
        return fmt_number(self.value, self.unit)

    @property
    def change_text(self) -> str | None:
        if self.change is None:
            return None
        if self.change == 0:
            return _("no change {since}").format(since=self.change_label).strip()
        sign = "+" if self.change > 0 else ""
        amount = (_("{n} points").format(n=local_digits(f"{self.change:g}")) if self.unit == "%"
                  else fmt_number(self.change, self.unit))
        return f"{sign}{amount} {self.change_label}".strip()

    @property
    def caption(self) -> str:
        """One line: source · date · method."""
        return f"{iso(self.source)} · {self.date} · {self.method}"


#: Words of the app in a dataset's name (dsdash.store names what it composes), shown in the
#: reader's language: the name itself stays as stored.
_NAME_WORDS = (N_("Published workspace + this session: "), N_("Published workspace as of "),
               N_(" (embedded seed data)"), N_("Published workspace"), N_("Embedded seed data"))


def dataset_name(name: str) -> str:
    """A dataset's name as the reader sees it: the app's own words in it translated, file names
    as they are; in English the name itself.

    Examples:
        >>> from dsdash.i18n import language
        >>> with language("ar"):
        ...     dataset_name("Published workspace (embedded seed data)") != "Published workspace (embedded seed data)"
        True
        >>> dataset_name("Published workspace (embedded seed data)")
        'Published workspace (embedded seed data)'
    """
    if current() == "en" or not name:
        return name
    from dsdash.compose import NAME_WORDS  # a session's uploads (the manage catalog)

    for words in _NAME_WORDS + NAME_WORDS:
        name = name.replace(words, _(words))
    return iso(name)


def fmt_number(value: float | int | None, unit: str = "") -> str:
    """'18,882', '12 %', '—' for unknown.

    Examples:
        >>> fmt_number(18882), fmt_number(12.0, "%"), fmt_number(None)
        ('18,882', '12 %', '—')
    """
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if unit == "%":
        return local_digits(f"{value:g} %")
    if float(value) == int(value):
        return local_digits(f"{int(value):,}")
    return local_digits(f"{value:,.1f}")


def short_source(source: str) -> str:
    """A row's source in words: the document's citation and the part of it (table,
    slide), without file names or row numbers (:func:`dsdash.sources.cited`).

    Examples:
        >>> short_source("seed 000_ae1aa949a6b1374c.txt (DSTWG 13 Dec 2023), 'IDPs Overview' table, row 4; district p-code: COD-AB")
        "DSTWG monthly meeting, 13 December 2023, 'Anbar Informal IDP Sites' (IOM DTM figures of 10 December 2023), 'IDPs Overview' table"
    """
    return cited(source)


def document(source: str) -> str:
    """The document a row's source names, as a citation, without table, slide or row
    detail (:func:`dsdash.sources.citation`).

    Examples:
        >>> document("seed 002_5d41127f29b6ae16.txt (DSTWG 9 Dec 2020), slide 'Hotspots per governorate'")
        'DSTWG meeting, 9 December 2020 (slides; hotspots from the IOM DTM Return Index)'
        >>> document("facts/dtm_iraq_national_series.csv: ML Report 126 (reliefweb)")
        'IOM DTM Master List Report, round 126, 30 June 2022'
    """
    return citation(source)


def date_text(value: object) -> str:
    """'10 Dec 2023' for a date (date, Timestamp or ISO string); '' when empty.

    Examples:
        >>> date_text("2023-12-10"), date_text(None)
        ('10 Dec 2023', '')
    """
    if value is None or pd.isna(value):
        return ""
    return local_date(pd.Timestamp(value))


_BABEL_PATTERNS = {"%d %b %Y": "d MMMM y", "%d %B %Y": "d MMMM y", "%b %Y": "MMMM y", "%B %Y": "MMMM y",
                   "%d %b": "d MMMM"}


def local_date(value, pattern: str = "%d %b %Y") -> str:
    """A date in the reader's language: ``strftime(pattern)`` in English ('10 Dec 2023'), the
    month's Iraqi Arabic name in Arabic ('10 كانون الأول 2023'), digits as the reader set them.

    Examples:
        >>> from dsdash.i18n import language
        >>> local_date(pd.Timestamp("2023-12-10")), local_date(pd.Timestamp("2023-12-10"), "%b %Y")
        ('10 Dec 2023', 'Dec 2023')
        >>> with language("ar"):
        ...     local_date(pd.Timestamp("2023-12-10"))
        '10 كانون الأول 2023'
    """
    if current() == "en" or pattern not in _BABEL_PATTERNS:
        return local_digits(value.strftime(pattern))
    from babel.dates import format_date

    return local_digits(format_date(value, _BABEL_PATTERNS[pattern], locale=info().babel))


def people_text(value: object) -> str:
    """'18,882' for a count; 'unknown' when empty.

    Examples:
        >>> people_text(18882), people_text(None)
        ('18,882', 'unknown')
    """
    return _("unknown") if value is None or pd.isna(value) else local_digits(f"{int(value):,}")

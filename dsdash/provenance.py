"""Provenance of every number shown: key figures that carry source, date and method,
number formats, and the words that name a source.

A :class:`KeyFigure` never travels without its provenance: ``source``, ``date`` and
``method`` are always filled.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

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
            return f"no change {self.change_label}".strip()
        sign = "+" if self.change > 0 else ""
        amount = f"{self.change:g} points" if self.unit == "%" else fmt_number(self.change, self.unit)
        return f"{sign}{amount} {self.change_label}".strip()

    @property
    def caption(self) -> str:
        """One line: source · date · method."""
        return f"{self.source} · {self.date} · {self.method}"


def fmt_number(value: float | int | None, unit: str = "") -> str:
    """'18,882', '12 %', '—' for unknown.

    Examples:
        >>> fmt_number(18882), fmt_number(12.0, "%"), fmt_number(None)
        ('18,882', '12 %', '—')
    """
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if unit == "%":
        return f"{value:g} %"
    if float(value) == int(value):
        return f"{int(value):,}"
    return f"{value:,.1f}"


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
    return f"{pd.Timestamp(value):%d %b %Y}"


def people_text(value: object) -> str:
    """'18,882' for a count; 'unknown' when empty.

    Examples:
        >>> people_text(18882), people_text(None)
        ('18,882', 'unknown')
    """
    return "unknown" if value is None or pd.isna(value) else f"{int(value):,}"

"""Provenance of every number shown: key figures that carry source, date and method,
number formats, and the words that name a source.

A :class:`KeyFigure` never travels without its provenance: ``source``, ``date`` and
``method`` are always filled.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


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
    """The first clause of a source string, without row numbers.

    Examples:
        >>> short_source("seed 000_x.txt (deck, 10 Dec 2023), 'IDPs Overview' table, row 4; district p-code: COD-AB")
        "seed 000_x.txt (deck, 10 Dec 2023), 'IDPs Overview' table"
    """
    first = str(source).split("; ")[0]
    return first.split(", row ")[0].split(" (row round")[0]


def document(source: str) -> str:
    """The document a row's source names, without table, slide or row detail.

    Examples:
        >>> document("seed 000_x.txt (DSTWG 13 Dec 2023, slide 4), 'Sites' table, row 3")
        'seed 000_x.txt (DSTWG 13 Dec 2023, slide 4)'
    """
    t = short_source(str(source))
    if t.startswith("seed ") and ")" in t:
        return t[: t.index(")") + 1]
    return t


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

"""The Upload page's load report as a reader sees it (reviewer H3): the tables of
:mod:`dsdash.importers` (``reports_frame``, ``problems_frame``, ``notes_frame``) in the reader's
language, words included, with the key columns in view.

- The level of a problem ("error", "warning", "question") in words of the reader's language, on
  screen and in the downloaded load report.
- The file table counts problem LINES (grouped by column and reason, as the Problems table shows
  them), not cells: one column of 3,700 unread dates is one warning, not 3,700.
- Right to left, the grid (a canvas, drawn left to right) opens at its left edge, so the key
  columns come first (the reason, what a file needs) and their text is aligned right, where an
  Arabic sentence starts.
- Row numbers read as row numbers ("3706", as in the Rows column), never "3,706".

The column labels of these tables are machine names put in words (:func:`dsdash.schema.column_label`);
the ones no other table has are marked here for the catalog.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dsdash.i18n import N_, _, is_rtl, list_sep
from dsdash.schema import column_label
from ui.downloads import show_table

LEVELS = {"error": N_("error"), "warning": N_("warning"), "question": N_("question")}
# column_label("sheet") … of the load report's tables, for the catalog (python -m dsdash.catalogs)
_LABELS = (N_("Sheet"), N_("Encoding"), N_("Needs"), N_("Row"), N_("Column"), N_("Count"), N_("Reason"))

# Right to left: the key columns first (the grid opens at its left edge).
_REPORTS_RTL = ["file", "needs", "rows in", "accepted", "rejected", "errors", "warnings", "kind", "sheet", "encoding"]
_PROBLEMS_RTL = ["reason", "level", "file", "sheet", "row", "column", "count", "rows"]
_WIDE_TEXT = ("reason", "needs", "note")


def in_words(problems: pd.DataFrame) -> pd.DataFrame:
    """The problem table with its levels in words of the reader's language (for the screen and the
    downloaded load report)."""
    if "level" not in problems.columns:
        return problems
    out = problems.copy()
    out["level"] = out["level"].map(lambda v: _(LEVELS[v]) if v in LEVELS else v)
    return out


def line_counts(frame: pd.DataFrame, reports: list) -> pd.DataFrame:
    """The file table (``reports_frame``, one row per report in order) with its errors and warnings
    as problem lines (``LoadReport.grouped``), as the Problems table lists them."""
    out = frame.copy()
    for level, column in (("error", "errors"), ("warning", "warnings")):
        out[column] = [sum(1 for p in r.grouped() if p.level == level) for r in reports]
    return out


def _config(frame: pd.DataFrame) -> dict:
    config: dict = {}
    for name in frame.columns:
        label = column_label(name)
        if name in ("count", "rows in", "accepted", "rejected", "errors", "warnings"):
            fmt = "localized"
            help_ = (_("Problem lines, grouped by column and reason (the Problems table below)")
                     if name in ("errors", "warnings") else None)
            config[label] = st.column_config.NumberColumn(format=fmt, help=help_)
        elif name in _WIDE_TEXT:
            config[label] = st.column_config.TextColumn(width=320, alignment="right" if is_rtl() else None)  # fits a phone
        elif is_rtl():
            config[label] = st.column_config.TextColumn(alignment="right")
    return config


def _order(frame: pd.DataFrame, rtl_order: list[str]) -> list[str] | None:
    if not is_rtl():
        return None
    names = [c for c in rtl_order if c in frame.columns] + [c for c in frame.columns if c not in rtl_order]
    return [column_label(c) for c in names]


def show_reports(frame: pd.DataFrame, reports: list) -> None:
    """The file table: what each file gave (what a file needs, our own words, listed with the reader's
    separator: '؛ ' in Arabic)."""
    frame = line_counts(frame, reports)
    if "needs" in frame.columns and list_sep() != "; ":
        frame["needs"] = frame["needs"].map(lambda v: v.replace("; ", list_sep()) if isinstance(v, str) else v)
    show_table(frame, column_config=_config(frame), column_order=_order(frame, _REPORTS_RTL))


def show_problems(frame: pd.DataFrame, **kwargs) -> None:
    """The problem table, levels in words, the first row of each line as a row number ("3706", as the
    Rows column writes it; the grid would write "3,706")."""
    frame = in_words(frame)
    if "row" in frame.columns:
        frame["row"] = frame["row"].map(lambda v: "" if pd.isna(v) else str(int(v))).astype(object)
    show_table(frame, column_config=_config(frame), column_order=_order(frame, _PROBLEMS_RTL), **kwargs)


def show_notes(frame: pd.DataFrame) -> None:
    show_table(frame, column_config=_config(frame), column_order=_order(frame, ["note", "file", "sheet"]))

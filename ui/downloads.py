"""Showing tables and offering them for download, safely.

Every page shows tables with :func:`show_table` (never ``st.dataframe`` directly): the
grid's own "Download as CSV" writes what the grid holds, so the grid gets a neutralised
copy. Download buttons build their file only when clicked (a callable ``data``), so a
page with many tables stays fast; Streamlit runs that callable on another thread, where the
reader's language is not set, so each carries it (:func:`dsdash.i18n.in_language`).

Downloads are for people and machines at once: the header row is the column labels
(:data:`dsdash.schema.COLUMN_LABELS`, "Site ID", "Count date"), the optional second row
the HXL hashtags (the machine names' meaning, as HXL puts them), and the cells the data's
own values: codes stay codes ("water", "IQG01"), dates ISO dates, numbers numbers, so a
download loads back (the tidy importer reads the labels). A source column comes with its
registry id and its citation next to it ("Source ID", "Source").
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from dsdash.i18n import _, in_language
from dsdash.export import (CSV_MIME, ORDINAL_COLUMNS, XLSX_MIME, neutralise_frame, screen_table, to_csv_bytes,
                           to_xlsx_bytes)

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def show_table(df: pd.DataFrame, **kwargs) -> None:
    """st.dataframe of the table as a reader sees it (:func:`dsdash.export.screen_table`:
    column labels, codes as labels, sources as citations, '—' for unknown), neutralised:
    the grid's own CSV download cannot leak a formula, and names are shown as text.
    Date columns read '30 Apr 2024'; number columns get thousands separators (rounds and
    years do not), unless the caller configures them."""
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("width", "stretch")
    from ui.state import policy_shown, screened

    shown, formats, ready = screened(df, _screened)  # kept for a table shared by sessions (ui.state.on_date)
    kwargs["column_config"] = {**{k: dict(v) for k, v in formats.items()}, **(kwargs.get("column_config") or {})}
    if policy_shown().suppressed:
        ready = neutralise_frame(_small_counts(df, shown, kwargs["column_config"]))
    st.dataframe(ready, **kwargs)


def _screened(df: pd.DataFrame) -> tuple[pd.DataFrame, dict, pd.DataFrame]:
    """(the table as a reader sees it, its column formats, the same neutralised for the grid)."""
    shown = screen_table(df)
    return shown, _formats(df, shown), neutralise_frame(shown)


def _formats(df: pd.DataFrame, shown: pd.DataFrame) -> dict:
    """Column formats of the shown table: dates as 'D MMM YYYY' (in a language other than English,
    whose month names the grid cannot give, 'YYYY-MM-DD'), numbers localised (with thousands
    separators), rounds and years as plain integers."""
    from dsdash.i18n import current

    date_format = "D MMM YYYY" if current() == "en" else "YYYY-MM-DD"
    out = {}
    for name, label in zip(df.columns, shown.columns):
        s = shown[label]
        if pd.api.types.is_datetime64_any_dtype(s):
            out[label] = st.column_config.DateColumn(format=date_format)
        elif pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            plain = str(name) in ORDINAL_COLUMNS
            out[label] = st.column_config.NumberColumn(format="%d" if plain else "localized")
    return out


def _small_counts(df: pd.DataFrame, shown: pd.DataFrame, config: dict) -> pd.DataFrame:
    """Suppressed sites' counts read "<5" (dsdash.policy.mark_small_counts); their columns lose the
    number format (they now hold text)."""
    from dsdash.policy import mark_small_counts
    from dsdash.schema import COLUMN_LABELS
    from ui.state import policy_shown

    suppressed = policy_shown().suppressed
    if not suppressed:
        return shown
    out = mark_small_counts(df, shown, suppressed, COLUMN_LABELS)
    for c in out.columns:
        if out[c].dtype == object and shown[c].dtype != object:
            config.pop(c, None)
    return out


def _audience_name(basename: str) -> str:
    """The file name states the audience it was made for when the data-responsibility policy changed
    what it holds (dsdash/policy.py): 'sites-for-public-audience'."""
    from ui.state import policy_shown

    audience = policy_shown().audience
    return basename if audience == "confidential" else f"{basename}-for-{audience}-audience"


def download_buttons(df: pd.DataFrame, basename: str, *, key: str, table: str | None = None,
                     label: str | None = None) -> None:
    """CSV and XLSX download buttons (with an HXL hashtag row option).

    Args:
        df: the table as computed (not neutralised: the exporters do that).
        basename: file name without extension.
        key: a key unique on the page.
        table: the schema table ``df`` follows, for its HXL hashtags.
    """
    basename = _audience_name(basename)
    label = label or _("Download")
    c1, c2, c3 = st.columns([1, 1, 2])
    with c3:
        hxl = st.checkbox(_("Add HXL hashtag row"), key=f"{key}_hxl", value=False,
                          help=_("A second row of HXL hashtags (#loc+name, #population+ind …) for HDX tools."))
    with c1:
        st.download_button(_("{label} CSV").format(label=label), in_language(to_csv_bytes, df, hxl=hxl, table=table, labels=True),
                           f"{basename}.csv", CSV_MIME, key=f"{key}_csv", on_click="ignore", icon=":material/download:")
    with c2:
        st.download_button(_("{label} Excel").format(label=label), in_language(to_xlsx_bytes, df, hxl=hxl, table=table, labels=True),
                           f"{basename}.xlsx", XLSX_MIME, key=f"{key}_xlsx", on_click="ignore", icon=":material/download:")


def download_workbook(sheets: Mapping[str, pd.DataFrame], basename: str, *, key: str,
                      label: str | None = None) -> None:
    """One XLSX with a sheet per table (keys are schema table names, so each sheet gets
    its HXL hashtags; the sheets are named in words)."""
    basename = _audience_name(basename)
    st.download_button(label or _("Download all tables (Excel, one sheet each, with HXL row)"),
                       in_language(to_xlsx_bytes, dict(sheets), hxl=True, labels=True), f"{basename}.xlsx",
                       XLSX_MIME, key=f"{key}_wb", on_click="ignore", icon=":material/download:")

"""Showing tables and offering them for download, safely.

Every page shows tables with :func:`show_table` (never ``st.dataframe`` directly): the
grid's own "Download as CSV" writes what the grid holds, so the grid gets a neutralised
copy. Download buttons build their file only when clicked (a callable ``data``), so a
page with many tables stays fast.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from dsdash.export import CSV_MIME, XLSX_MIME, neutralise_frame, to_csv_bytes, to_xlsx_bytes
from dsdash.schema import COUNT_COLUMNS

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def show_table(df: pd.DataFrame, **kwargs) -> None:
    """st.dataframe of a neutralised copy: the grid's own CSV download cannot leak a
    formula, and names are shown as text. Date columns read '30 Apr 2024' and count
    columns (:data:`dsdash.schema.COUNT_COLUMNS`) get thousands separators, unless the
    caller configures them."""
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("width", "stretch")
    kwargs["column_config"] = {**_formats(df), **(kwargs.get("column_config") or {})}
    st.dataframe(neutralise_frame(df), **kwargs)


def _formats(df: pd.DataFrame) -> dict:
    """Column formats by dtype and name: dates as 'D MMM YYYY', counts localised."""
    out = {}
    for c in df.columns:
        if pd.api.types.is_datetime64_any_dtype(df[c]):
            out[c] = st.column_config.DateColumn(format="D MMM YYYY")
        elif c in COUNT_COLUMNS and pd.api.types.is_numeric_dtype(df[c]):
            out[c] = st.column_config.NumberColumn(format="localized")
    return out


def download_buttons(df: pd.DataFrame, basename: str, *, key: str, table: str | None = None,
                     label: str = "Download") -> None:
    """CSV and XLSX download buttons (with an HXL hashtag row option).

    Args:
        df: the table as computed (not neutralised: the exporters do that).
        basename: file name without extension.
        key: a key unique on the page.
        table: the schema table ``df`` follows, for its HXL hashtags.
    """
    c1, c2, c3 = st.columns([1, 1, 2])
    with c3:
        hxl = st.checkbox("Add HXL hashtag row", key=f"{key}_hxl", value=False,
                          help="A second row of HXL hashtags (#loc+name, #population+ind …) for HDX tools.")
    with c1:
        st.download_button(f"{label} CSV", lambda: to_csv_bytes(df, hxl=hxl, table=table), f"{basename}.csv",
                           CSV_MIME, key=f"{key}_csv", on_click="ignore", icon=":material/download:")
    with c2:
        st.download_button(f"{label} Excel", lambda: to_xlsx_bytes(df, hxl=hxl, table=table), f"{basename}.xlsx",
                           XLSX_MIME, key=f"{key}_xlsx", on_click="ignore", icon=":material/download:")


def download_workbook(sheets: Mapping[str, pd.DataFrame], basename: str, *, key: str,
                      label: str = "Download all tables (Excel, one sheet each, with HXL row)") -> None:
    """One XLSX with a sheet per table (sheet names are schema table names, so each
    sheet gets its HXL hashtags)."""
    st.download_button(label, lambda: to_xlsx_bytes(dict(sheets), hxl=True), f"{basename}.xlsx", XLSX_MIME,
                       key=f"{key}_wb", on_click="ignore", icon=":material/download:")

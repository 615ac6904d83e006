"""Showing tables and offering them for download, safely."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dsdash.export import neutralise_frame, to_csv_bytes, to_xlsx_bytes


def show_table(df: pd.DataFrame, **kwargs) -> None:
    """st.dataframe of a neutralised copy: the grid's own CSV download cannot leak a
    formula, and names are shown as text."""
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("width", "stretch")
    st.dataframe(neutralise_frame(df), **kwargs)


def download_buttons(df: pd.DataFrame, basename: str, *, key: str, table: str | None = None,
                     label: str = "Download") -> None:
    """CSV and XLSX download buttons (with an HXL hashtag row option)."""
    c1, c2, c3 = st.columns([1, 1, 2])
    with c3:
        hxl = st.checkbox("Add HXL hashtag row", key=f"{key}_hxl", value=False)
    with c1:
        st.download_button(f"{label} CSV", to_csv_bytes(df, hxl=hxl, table=table), f"{basename}.csv",
                           "text/csv", key=f"{key}_csv")
    with c2:
        st.download_button(f"{label} Excel", to_xlsx_bytes(df, hxl=hxl, table=table), f"{basename}.xlsx",
                           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx")

"""Rendering helpers: key figures with their provenance, load reports as tables."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dsdash.importers import kinds
from dsdash.provenance import KeyFigure
from dsdash.sources import file_name
from dsdash.i18n import _
from dsdash.text import md_plain
from dsdash.schema import LoadReport


def key_figures(figures: list[KeyFigure]) -> None:
    """A row of metrics; under each, its source, date and method as plain text."""
    if not figures:
        st.info(_("No figures for this selection."))
        return
    cols = st.columns(len(figures))
    for col, kf in zip(cols, figures):
        with col:
            arrow = "off" if kf.change == 0 else "auto"
            st.metric(kf.label, kf.text, delta=kf.change_text, delta_color="off", delta_arrow=arrow, help=md_plain(kf.caption))
            st.caption(md_plain(kf.caption))


def report_table(reports: list[LoadReport]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"file": file_name(r.file), "kind": kinds.label(r.kind), _("rows in"): r.rows_in, "accepted": r.rows_accepted,
          "rejected": r.rows_rejected, "warnings": sum(p.count for p in r.warnings),
          "errors": sum(p.count for p in r.errors)} for r in reports]
    )

"""The "by area" section of the Gaps and Overview pages (issue 16): sites, people, coverage and
partners per governorate, district or catchment (:mod:`dsdash.areas`), with the catchments table in
use and the sites no catchment holds said in words (their totals, the largest districts, the rest counted)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dsdash.provenance import local_date
from dsdash.areas import LEVELS, area_summary, outside_note, sum_row, totals
from dsdash.catchments import KIND_LABELS, load_catchments, table_in_use_text
from dsdash.i18n import _
from dsdash.text import md_plain
from ui.downloads import download_buttons, show_table
from ui.state import derived


def area_section(cov, *, key: str, title: str | None = None, default: str = "admin2") -> None:
    """Draw the section for the engine's result ``cov`` (one view and date): a level choice, the
    table with its "All areas" row, and what it rests on."""
    st.subheader(title or _("By area: sites, people, coverage and partners"))
    c1, c2 = st.columns(2)
    with c1:
        level = st.radio(_("Group by"), list(LEVELS), format_func=lambda v: _(LEVELS[v]),
                         index=list(LEVELS).index(default), key=f"{key}_level", horizontal=True)
    with c2:
        kind = st.selectbox(_("Catchments"), list(KIND_LABELS), format_func=lambda v: _(KIND_LABELS[v]),
                            key=f"{key}_kind", disabled=level != "catchment")
    table = load_catchments()
    summary = derived(area_summary, cov, level=level, kind=kind, table=table, _by_value=("table",))  # kept per view (ui.state)
    if summary.empty:
        st.info(_("No sites match these filters."))
        return
    show_table(derived(pd.DataFrame.drop, derived(sum_row, summary), columns="area_code"), key=f"{key}_table")
    t = derived(totals, summary, cov)
    adds_up = all(a == b for a, b in t.values())
    st.caption(md_plain(_("On {date}. Coverage: cells (site × service) with at least one partner serving, over all "
                          "cells; partners: those serving at least one of the area's sites (a partner in two areas "
                          "counts in both, once in 'All areas'). People: individuals of each population group's "
                          "latest round, closed sites left out. The rows add up to the view's {n:,} sites and "
                          "{p:,} individuals{check}.").format(
        date=local_date(cov.as_of), n=t["n_sites"][1], p=t["individuals"][1],
        check="" if adds_up else _(" (they do not: please report this)"))))
    if level == "catchment":
        note = derived(outside_note, summary, cov, kind, table=table, _by_value=("table",))  # ~50 ms on 3,000 sites
        if note:  # district names come from the data: md_plain keeps them text (no link, emphasis or HTML)
            st.warning(md_plain(note), icon=":material/info:")
        st.caption(md_plain(table_in_use_text(table)))
    download_buttons(summary, f"dsdash-by-{level}-{cov.as_of:%Y-%m-%d}", key=f"{key}_dl", label=_("By area"))

"""Showing a :class:`dsdash.history.Changes` (the Overview's "What changed", the Workspace's History)."""

from __future__ import annotations

import streamlit as st

from dsdash.i18n import _, in_language
from dsdash.export import XLSX_MIME
from dsdash.history import Changes, changes_workbook, display_tables
from dsdash.text import md_plain
from ui.downloads import show_table


def show_changes(changes: Changes | None, *, key: str,
                 nothing_earlier: str | None = None) -> None:
    """The changes in sentences, then one tab per kind of change (sites, partners, needs)."""
    if changes is None:
        st.caption(nothing_earlier or _("No earlier round to compare with: the data holds one round of each "
                                        "population group."))
        return
    st.markdown("\n".join(f"- {md_plain(line)}" for line in changes.lines()))
    if changes.nothing:
        return
    tables = display_tables(changes)
    st.download_button(_("What changed (Excel, one sheet per kind of change)"), in_language(changes_workbook, tables),
                       f"dsdash-what-changed-{key}.xlsx", XLSX_MIME, key=f"{key}_xlsx", on_click="ignore",
                       icon=":material/download:")
    _tabs(tables, key)


def _tabs(tables: dict, key: str) -> None:
    """One tab per kind of change, its title in the reader's language and its count."""
    tabs = st.tabs([f"{_(title)} ({len(df):,})" for title, df in tables.items()])
    for tab, (title, df) in zip(tabs, tables.items()):
        with tab:
            if df.empty:
                st.caption(_("{kind}: none.").format(kind=_(title)))
            else:
                show_table(df, key=f"{key}_{title.lower().replace(' ', '_')}")


def show_since(changes, *, key: str) -> None:
    """What changed since a chosen date (:class:`dsdash.history.SinceChanges`): sentences, then one tab per kind."""
    from dsdash.history import since_tables

    st.markdown("\n".join(f"- {md_plain(line)}" for line in changes.lines()))
    _tabs(since_tables(changes), key)

"""The workspace: every file stored as a snapshot, what is published, what changed between two
publications or two rounds, and the audit log."""

import streamlit as st

from dsdash.history import (
    compare, compare_rounds, log_table, publication_points, snapshot_choice, snapshot_table,
)
from dsdash.i18n import _
from dsdash.provenance import local_date
from dsdash.trends.rounds import round_dates, rounds_after
from ui.downloads import download_buttons, show_table
from ui.history import show_changes
from ui.sidebar import sidebar
from ui.state import published_as_of, published_dataset, session_only, workspace
from ui.workspace import publish, show_add_messages, who_input, withdraw, workspace_caption

ds, view = sidebar(services=False, as_of=False, horizon=False)
store = workspace()
st.title(_("Workspace"))
workspace_caption()
st.caption(_("Workspace version {version}: every save, publish and withdraw moves it. Every page, download and "
             "meeting pack of every user reads the published snapshots.").format(version=f"{store.version():,}"))
if session_only():
    st.info(_("This session is trying files of its own (Load your data): the other pages show those, not the "
            "published workspace."), icon=":material/science:")
show_add_messages()

st.subheader(_("Snapshots"))
snaps = store.snapshots()
st.caption(_("One row per stored file. Published snapshots make the published workspace (Master Lists accumulate "
           "as rounds; a newer file of the same kind and place supersedes the older). Nothing is deleted: a "
           "withdrawn or superseded snapshot stays here and can be published again."))
show_table(snapshot_table(snaps))
choice = snapshot_choice(snaps)
ids = st.multiselect(_("Snapshots to publish or withdraw"), list(choice), format_func=choice.get, key="ws_ids",
                     placeholder=_("Choose snapshots"))
why = st.text_input(_("Reason (recorded in the audit log)"), key="ws_why",
                    placeholder=_("e.g. round 131 checked with IOM; wrong governorate in the 4W"))
who = who_input("ws_who")
c1, c2, _c3 = st.columns([1, 1, 3])
with c1:
    if st.button(_("Publish selected"), type="primary", disabled=not ids, key="ws_publish"):
        publish(ids, who, why)
        st.rerun()
with c2:
    if st.button(_("Withdraw selected"), disabled=not ids, key="ws_withdraw"):
        withdraw(ids, who, why)
        st.rerun()

st.subheader(_("History: what changed"))
mode = st.radio(_("Compare"), ["publications", "rounds"], horizontal=True, key="ws_mode",
                format_func={"publications": _("two publications (dates)"),
                             "rounds": _("two Master List rounds of the published data")}.get)
if mode == "publications":
    points = publication_points(store.log())  # the choices start at the last two after every change
    labels = dict(zip(points["at"], points["label"]))
    if len(points) < 2:
        st.caption(_("One publication so far: nothing earlier to compare with."))
    else:
        a, b = st.columns(2)
        with a:
            before = st.selectbox(_("From (published at)"), list(points["at"]), index=len(points) - 2,
                                  format_func=labels.get, key=f"ws_from_{store.version()}")
        with b:
            after = st.selectbox(_("To (published at)"), list(points["at"]), index=len(points) - 1,
                                 format_func=labels.get, key=f"ws_to_{store.version()}")
        show_changes(compare(published_as_of(before), published_as_of(after), filters=view.filters,
                             old_label=_("the workspace of {date}").format(date=labels[before]),
                             new_label=_("that of {date}").format(date=labels[after])),
                     key="ws_changes")
else:
    published = published_dataset()
    dates = round_dates(published)
    if len(dates) < 2:
        st.caption(_("The published data holds one Master List round: nothing earlier to compare with."))
    else:
        a, b = st.columns(2)
        with a:
            before = st.selectbox(_("From round"), dates[:-1], index=len(dates) - 2, key="ws_round_from",
                                  format_func=local_date)
        with b:
            later = rounds_after(dates, before)
            after = st.selectbox(_("To round"), later, index=len(later) - 1, key="ws_round_to",
                                 format_func=local_date)
        show_changes(compare_rounds(published, before, after, filters=view.filters), key="ws_changes")

st.subheader(_("Audit log"))
st.caption(_("Every seed, add, publish and withdraw: who, when, which snapshots, why."))
log = log_table(store.log())
show_table(log)
download_buttons(log, "dsdash-audit-log", key="dl_audit_log", label=_("Audit log"))

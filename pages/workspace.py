"""The workspace: every file stored as a snapshot, what is published, what changed between two
publications or two rounds, and the audit log."""

import streamlit as st

from dsdash.history import (
    compare, compare_rounds, log_table, publication_points, snapshot_choice, snapshot_table,
)
from dsdash.trends.rounds import round_dates, rounds_after
from ui.downloads import download_buttons, show_table
from ui.history import show_changes
from ui.sidebar import sidebar
from ui.state import published_as_of, published_dataset, session_only, workspace
from ui.workspace import publish, show_add_messages, who_input, withdraw, workspace_caption

ds, view = sidebar(services=False, as_of=False, horizon=False)
store = workspace()
st.title("Workspace")
workspace_caption()
st.caption(f"Workspace version {store.version():,}: every save, publish and withdraw moves it. "
           "Every page, download and meeting pack of every user reads the published snapshots.")
if session_only():
    st.info("This session is trying files of its own (Load your data): the other pages show those, not the "
            "published workspace.", icon=":material/science:")
show_add_messages()

st.subheader("Snapshots")
snaps = store.snapshots()
st.caption("One row per stored file. Published snapshots make the published workspace (Master Lists accumulate "
           "as rounds; a newer file of the same kind and place supersedes the older). Nothing is deleted: a "
           "withdrawn or superseded snapshot stays here and can be published again.")
show_table(snapshot_table(snaps))
choice = snapshot_choice(snaps)
ids = st.multiselect("Snapshots to publish or withdraw", list(choice), format_func=choice.get, key="ws_ids")
why = st.text_input("Reason (recorded in the audit log)", key="ws_why",
                    placeholder="e.g. round 131 checked with IOM; wrong governorate in the 4W")
who = who_input("ws_who")
c1, c2, _ = st.columns([1, 1, 3])
with c1:
    if st.button("Publish selected", type="primary", disabled=not ids, key="ws_publish"):
        publish(ids, who, why)
        st.rerun()
with c2:
    if st.button("Withdraw selected", disabled=not ids, key="ws_withdraw"):
        withdraw(ids, who, why)
        st.rerun()

st.subheader("History: what changed")
mode = st.radio("Compare", ["publications", "rounds"], horizontal=True, key="ws_mode",
                format_func={"publications": "two publications (dates)",
                             "rounds": "two Master List rounds of the published data"}.get)
if mode == "publications":
    points = publication_points(store.log())  # the choices start at the last two after every change
    labels = dict(zip(points["at"], points["label"]))
    if len(points) < 2:
        st.caption("One publication so far: nothing earlier to compare with.")
    else:
        a, b = st.columns(2)
        with a:
            before = st.selectbox("From (published at)", list(points["at"]), index=len(points) - 2,
                                  format_func=labels.get, key=f"ws_from_{store.version()}")
        with b:
            after = st.selectbox("To (published at)", list(points["at"]), index=len(points) - 1,
                                 format_func=labels.get, key=f"ws_to_{store.version()}")
        show_changes(compare(published_as_of(before), published_as_of(after), filters=view.filters,
                             old_label=f"the workspace of {labels[before]}", new_label=f"that of {labels[after]}"),
                     key="ws_changes")
else:
    published = published_dataset()
    dates = round_dates(published)
    if len(dates) < 2:
        st.caption("The published data holds one Master List round: nothing earlier to compare with.")
    else:
        a, b = st.columns(2)
        with a:
            before = st.selectbox("From round", dates[:-1], index=len(dates) - 2, key="ws_round_from",
                                  format_func=lambda d: f"{d:%d %b %Y}")
        with b:
            later = rounds_after(dates, before)
            after = st.selectbox("To round", later, index=len(later) - 1, key="ws_round_to",
                                 format_func=lambda d: f"{d:%d %b %Y}")
        show_changes(compare_rounds(published, before, after, filters=view.filters), key="ws_changes")

st.subheader("Audit log")
st.caption("Every seed, add, publish and withdraw: who, when, which snapshots, why.")
log = log_table(store.log())
show_table(log)
download_buttons(log, "dsdash-audit-log", key="dl_audit_log", label="Audit log")

"""Load your data: DTM Master Lists, 3W/4W/5W presence, FVM tables and COD-AB boundaries.

Every file gets a report (rows in = accepted + rejected; each problem with its row and
column). The accepted data is then saved to the workspace (and published, for everyone), or
tried in this session only.
"""

import datetime as dt
import hashlib

import streamlit as st

from dsdash.importers import (
    ACCEPTED_TYPES, build_dataset, notes_frame, problems_frame, reports_frame,
)
from dsdash.importers.readers import MAX_BYTES_TEXT
from dsdash.importers.worker import Limits, import_files
from dsdash.schema import POPULATION_GROUP_LABELS
from dsdash.text import md_plain
from dsdash.catchments import catchments_of, table_in_use_text
from dsdash.policy import CLASS_WORDS, CLASSES
from ui.downloads import download_buttons, show_table
from ui.sidebar import sidebar
from ui.state import embedded_dataset, session_only, set_active_dataset
from ui.workspace import add_files, show_add_messages, who_input


def _import_all(files, group: str | None, date: dt.date | None, rnd: int | None) -> list:
    """Each file imported in the worker process (time and memory limits: dsdash.importers.worker), the
    results kept in this session only (never shared with other users), for the files on the page now."""
    cache = st.session_state.setdefault("_upload_results", {})
    keys = [(hashlib.sha256(f.getvalue()).hexdigest(), f.name, group, date, rnd) for f in files]
    todo = [(k, f) for k, f in zip(keys, files) if k not in cache]
    if todo:
        with st.spinner(f"Reading {len(todo)} file{'' if len(todo) == 1 else 's'} (at most "
                        f"{Limits.from_env().seconds_text} each) …"):
            done = import_files([(f.getvalue(), f.name) for _k, f in todo], population_group=group,
                                reference_date=date, dtm_round=rnd)
        cache.update({k: r for (k, _f), r in zip(todo, done)})
    for k in [k for k in cache if k not in keys]:  # files taken off the page are forgotten
        del cache[k]
    return [cache[k] for k in keys]


ds, _view = sidebar(services=False, as_of=False, horizon=False)
st.title("Load your data")
st.caption("DTM Master Lists (IDP or returnee, CSV or XLSX, any round), partner presence sheets (3W/4W/5W, "
           "with or without HXL), FVM tables, and COD-AB boundaries (GeoJSON, zipped shapefile, GeoPackage). "
           f"Up to {MAX_BYTES_TEXT} per file. Check the reports, then save the files to the workspace "
           "(publish them for everyone), or try them in this session only.")
st.caption("Active data:")
st.text(ds.name)
show_add_messages()
st.caption(md_plain(table_in_use_text(catchments_of(ds))))  # which catchments table is in use (issue 16)

files = st.file_uploader("Files", type=ACCEPTED_TYPES, accept_multiple_files=True, key="upload_files")
with st.expander("For DTM Master Lists whose file does not say"):
    group = st.selectbox("Population group", [None, "idp", "returnee"], key="upload_group",
                         format_func=lambda g: "as the file says" if g is None else POPULATION_GROUP_LABELS[g])
    date = st.date_input("Reference date", value=None, key="upload_date", format="YYYY-MM-DD")
    rnd = st.number_input("DTM round", min_value=1, max_value=999, value=None, step=1, key="upload_round")
adds_locations = st.checkbox(
    "These Master Lists add a different set of locations", value=False, key="upload_adds_locations",
    help="Left unticked, a Master List supersedes the sites and population before it (the seed's Anbar sites "
         "included, with their presence and needs). Tick it when the list covers other locations, to keep both.")
presence_mode = st.radio("Presence sheets, used in this session only", ["replace", "add"], horizontal=True,
                         key="upload_presence", format_func={"replace": "replace the seed's presence",
                                                             "add": "add to the seed's presence"}.get,
                         help="In the workspace, presence sheets replace the seed's presence, and a newer sheet "
                              "for the same partner and area supersedes the older one. A session-only trial may "
                              "keep the seed's presence beside the sheets instead.")

results = _import_all(files or [], group, date, int(rnd) if rnd else None)
if results:
    reports = [r for res in results for r in res.reports]
    st.subheader("What each file gave")
    show_table(reports_frame(reports))
    for res in results:  # a file refused whole (a limit of the worker, a bomb, not a table): said in words
        if res.report.rows_in == 0 and res.boundaries is None and res.report.errors:
            st.error(md_plain(f"{res.report.file}: {res.report.errors[0].reason}"), icon=":material/block:")
    waiting = [(res.report.file, res.report.rows_accepted) for res in results if res.questions]
    for name, n in waiting:
        st.warning(md_plain(f"{name}: {n:,} row{'' if n == 1 else 's'} readable; the reference date is needed. Give "
                            "it under 'For DTM Master Lists whose file does not say' above: the data can be used once "
                            "it is given."), icon=":material/event:")
    problems = problems_frame(reports, limit=5000)
    st.subheader("Problems")
    n_cells = sum(p.count for r in reports for p in r.problems)
    st.caption(f"{n_cells:,} problem{'' if n_cells == 1 else 's'}, grouped by column and reason ({len(problems):,} "
               f"line{'' if len(problems) == 1 else 's'}{', first 5,000 shown' if len(problems) == 5000 else ''}): "
               "errors reject the row; warnings keep it; a question must be answered before the file is used")
    if len(problems):
        show_table(problems)
        download_buttons(problems_frame(reports), "dsdash-load-report", key="dl_load_report", label="Load report")
    with st.expander("Notes"):
        show_table(notes_frame(reports))
    usable = any(res.usable for res in results) and not waiting
    why = "waits for the reference date of the files above" if waiting else None

    st.subheader("Save, publish or try")
    note = st.text_input("Note (kept with the files in the workspace)", key="upload_note",
                         placeholder="e.g. DTM round 131, received from IOM on 3 May")
    who = who_input("upload_who")
    sharing = st.selectbox(  # data responsibility (dsdash/policy.py): set at upload
        "Sharing class", ["default", *CLASSES], key="upload_sharing",
        format_func=lambda c: ("Default for its tables (national and index figures public; Master Lists and "
                               "presence restricted; FVM and needs confidential)") if c == "default"
        else CLASS_WORDS[c].capitalize(),
        help="Who may see these files as they are. An audience below the class sees them by district, or not at all.")
    c1, c2, c3 = st.columns(3)
    with c1:
        save = st.button("Save to workspace", disabled=not usable, key="upload_save", help=why or
                         "Stored, not yet shown to others: publish it here or on the Workspace page.")
    with c2:
        publish = st.button("Save and publish", type="primary", disabled=not usable, key="upload_publish",
                            help=why or "Stored and published: every page, download and deck of every user "
                                        "shows it.")
    with c3:
        use = st.button("Use in this session only", disabled=not usable, key="upload_use",
                        help=why or "Nothing is stored: the files are tried with the seed data in this browser tab.")
    if save or publish:
        add_files(results, [f.getvalue() for f in files], who=who, note=note, publish=publish,
                  adds_locations=adds_locations, sharing=None if sharing == "default" else sharing)
        st.rerun()
    if use:
        set_active_dataset(build_dataset(results, embedded_dataset(), presence_mode=presence_mode,
                                         adds_locations=adds_locations))
        st.rerun()
else:
    st.info("Drop one or several files above to see what they hold.")

if session_only():
    st.subheader("Active data: your files, in this session only")
    show_table(ds.sources()[["table", "rows", "sources"]])
    if ds.boundaries:
        st.text("Boundaries loaded: " + ", ".join(f"{k} ({len(v)} areas)" for k, v in ds.boundaries.items()))
if st.button("Back to the published workspace", disabled=not session_only(), key="upload_reset"):
    set_active_dataset(None)
    st.rerun()

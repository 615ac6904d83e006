"""Load your data: DTM Master Lists, 3W/4W/5W presence, FVM tables and COD-AB boundaries.

Every file gets a report (rows in = accepted + rejected; each problem with its row and
column). The accepted data is then saved to the workspace (and published, for everyone), or
tried in this session only. The words and choices are dsdash.loading's.
"""

import streamlit as st

from dsdash import loading as L
from dsdash.catchments import catchments_of, table_in_use_text
from dsdash.i18n import _, iso
from dsdash.importers import (
    ACCEPTED_TYPES, build_dataset, notes_frame, problems_frame, reports_frame,
)
from dsdash.importers.readers import MAX_BYTES_TEXT
from dsdash.importers.worker import Limits, import_files
from dsdash.provenance import dataset_name
from dsdash.text import md_plain
from ui.dates import date_field
from ui.downloads import download_buttons, show_table
from ui.reports import in_words, show_notes, show_problems, show_reports
from ui.sidebar import sidebar
from ui.state import embedded_dataset, session_only, set_active_dataset
from ui.workspace import add_files, show_add_messages, who_input


def _busy(n: int):
    return st.spinner(L.reading_text(n, Limits.from_env().seconds_text))


def _read(data: bytes, name: str, **options):
    """One file through the import worker (its time and memory limits); the result kept in this session."""
    return import_files([(data, name)], **options)[0]


ds, _view = sidebar(services=False, as_of=False, horizon=False)
st.title(_("Load your data"))
st.caption(L.intro_text(MAX_BYTES_TEXT))
st.caption(_("Active data:"))
st.text(dataset_name(ds.name))
show_add_messages()
st.caption(md_plain(table_in_use_text(catchments_of(ds))))  # which catchments table is in use (issue 16)

files = st.file_uploader(_("Files"), type=ACCEPTED_TYPES, accept_multiple_files=True, key="upload_files")
with st.expander(_("For DTM Master Lists whose file does not say")):
    group = st.selectbox(_("Population group"), L.GROUP_CHOICES, key="upload_group", format_func=L.group_label)
    date = date_field(_("Reference date"), "upload_date", start=None, optional=True, lo=L.DATE_MIN, hi=L.DATE_MAX,
                      example=L.DATE_EXAMPLE, help=_("Type the date and press Enter, e.g. 2024-04-30 (empty: as the "
                                                     "file says)."))
    rnd = st.number_input(_("DTM round"), min_value=1, max_value=999, value=None, step=1, key="upload_round")
adds_locations = st.checkbox(
    _("These Master Lists add a different set of locations"), value=False, key="upload_adds_locations",
    help=_("Left unticked, a Master List supersedes the sites and population before it (the seed's Anbar sites "
           "included, with their presence and needs). Tick it when the list covers other locations, to keep both."))
presence_mode = st.radio(_("Presence sheets, used in this session only"), list(L.PRESENCE_MODES), horizontal=True,
                         key="upload_presence", format_func=L.presence_label,
                         help=_("In the workspace, presence sheets replace the seed's presence, and a newer sheet "
                                "for the same partner and area supersedes the older one. A session-only trial may "
                                "keep the seed's presence beside the sheets instead."))

results = L.import_answering([(f.getvalue(), f.name) for f in files or []],
                             st.session_state.setdefault("_upload_results", {}), group, date,
                             int(rnd) if rnd else None, read=_read, busy=_busy)
if results:
    reports = [r for res in results for r in res.reports]
    st.subheader(_("What each file gave"))
    show_reports(reports_frame(reports), reports)
    # a file name first, set apart (iso): an Arabic sentence stays right to left after it
    for name, reason in L.refused_whole(results):  # a limit of the worker, a bomb, not a table: said in words
        st.error(md_plain(f"{iso(name)}: {reason}"), icon=":material/block:")
    for name, n, needs in L.waiting_answers(results):  # the population group, the reference date: each named
        st.warning(md_plain(L.waiting_text(iso(name), n, needs)), icon=":material/event:")
    everything = problems_frame(reports)
    st.subheader(_("Problems"))
    st.caption(L.problems_caption(sum(p.count for r in reports for p in r.problems), len(everything),
                                min(len(everything), L.PROBLEM_LINES)))
    if len(everything):
        show_problems(everything.head(L.PROBLEM_LINES))
        download_buttons(in_words(everything), "dsdash-load-report", key="dl_load_report", label=_("Load report"))
    with st.expander(_("Notes")):
        show_notes(notes_frame(reports))
    usable, why = L.can_use(results)

    st.subheader(_("Save, publish or try"))
    note = st.text_input(_("Note (kept with the files in the workspace)"), key="upload_note",
                         placeholder=_("e.g. DTM round 131, received from IOM on 3 May"))
    who = who_input("upload_who")
    sharing = st.radio(  # data responsibility (dsdash/policy.py): set at upload; a radio: the long words wrap
        _("Sharing class"), L.SHARING_CHOICES, key="upload_sharing", format_func=L.sharing_label,
        help=_("Who may see these files as they are. An audience below the class sees them by district, or not at "
               "all."))
    c1, c2, c3 = st.columns(3)
    with c1:
        save = st.button(_("Save to workspace"), disabled=not usable, key="upload_save", help=why or
                         _("Stored, not yet shown to others: publish it here or on the Workspace page."))
    with c2:
        publish = st.button(_("Save and publish"), type="primary", disabled=not usable, key="upload_publish",
                            help=why or _("Stored and published: every page, download and deck of every user "
                                          "shows it."))
    with c3:
        use = st.button(_("Use in this session only"), disabled=not usable, key="upload_use",
                        help=why or _("Nothing is stored: the files are tried with the seed data in this browser tab."))
    if save or publish:
        add_files(results, [f.getvalue() for f in files], who=who, note=note, publish=publish,
                  adds_locations=adds_locations, sharing=L.sharing_value(sharing))
        st.rerun()
    if use:
        set_active_dataset(build_dataset(results, embedded_dataset(), presence_mode=presence_mode,
                                         adds_locations=adds_locations))
        st.rerun()
else:
    st.info(_("Drop one or several files above to see what they hold."))

if session_only():
    st.subheader(_("Active data: your files, in this session only"))
    show_table(ds.sources()[["table", "rows", "sources"]])
    if ds.boundaries:
        st.text(L.boundaries_text(ds.boundaries))
if st.button(_("Back to the published workspace"), disabled=not session_only(), key="upload_reset"):
    set_active_dataset(None)
    st.rerun()

"""The Gaps page's follow-up section: planned ends to confirm, extend or hand over (issue 15).

The list comes from :func:`dsdash.coverage.followup.followup_list`; an answer is recorded with
:func:`ui.state.record_exit_event` (the workspace and its audit log, or this session only when
the session tries its own files, and the section says which).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dsdash.coverage import tables as T
from dsdash.coverage.engine import Coverage, Prepared
from dsdash.coverage.followup import FOLLOWUP_DAYS, followup_list
from dsdash.coverage.presence import exit_event_words
from dsdash.dataset import Dataset
from dsdash.i18n import N_, _
from dsdash.provenance import date_text
from dsdash.text import md_plain
from dsdash.view import date_bounds
from ui.dates import date_field
from ui.downloads import download_buttons, show_table
from ui.state import events_stored, exit_events, record_exit_event

#: The answers an editor gives, in words → the event kind.
ANSWERS = {"confirmed": N_("Exit confirmed"), "extended": N_("End extended"), "handed_over": N_("Handed over")}
DATE_LABELS = {"confirmed": N_("Last day of service"), "extended": N_("New planned end"),
               "handed_over": N_("Last day before the hand-over")}
DONE_KEY = "followup_done"


def followup_section(ds: Dataset, prep: Prepared, cov: Coverage) -> None:
    """Draw the follow-up list, the answer form and the recorded answers."""
    as_of = cov.as_of
    st.subheader(_("Follow-up: planned ends to confirm"))
    within = int(st.number_input(_("Planned ends up to this many days after the as-of date"), min_value=0,
                                 max_value=3650, value=FOLLOWUP_DAYS, step=1, key="followup_within"))
    f = followup_list(prep, as_of, within_days=within)
    if events_stored():
        st.caption(_("Answers are stored in the workspace, with your name and the time, and listed in its audit log."))
    else:
        st.warning(_("This session tries its own files, not the workspace: answers recorded here hold for this "
                   "session only and are lost when it ends."), icon=":material/history_toggle_off:")
    if done := st.session_state.pop(DONE_KEY, None):
        st.success(md_plain(done), icon=":material/task_alt:")
    if f.empty:
        st.info(_("No planned end passed without confirmation, none falls within {days} days of {date}, and no "
                  "end date is left unread.").format(days=within, date=date_text(as_of)))
    else:
        show_table(T.followup_table(f), key="tbl_followup")
        st.caption(md_plain(
            _("Partners whose planned end (not confirmed) has passed, or falls within the window, and partners "
              "whose end date the source wrote but could not be read (they are not counted as serving until "
              "someone answers); 'left without': sites where neither another partner nor a renewal by the same one "
              "serves the service the day after that end (for an end not read: on the date itself). Cells of a "
              "passed planned end read 'end unconfirmed' until someone answers.") + " " + T.caption(ds, cov, "")))
        download_buttons(f, f"dsdash-follow-up-{as_of:%Y-%m-%d}", key="dl_followup", label=_("Follow-up list"))
        _answer_form(ds, f, as_of)
    events = exit_events()
    if len(events):
        with st.expander(_("Answers recorded ({n})").format(n=len(events))):
            show_table(T.events_table(events), key="tbl_exit_events")


def _answer_form(ds: Dataset, f, as_of: dt.date) -> None:
    choices = T.followup_choices(f)
    c1, c2 = st.columns([3, 2])
    picked = c1.selectbox(_("Entry to answer"), choices, key="followup_entry")
    row = f.iloc[choices.index(picked)]
    answer = c2.radio(_("Answer"), list(ANSWERS), horizontal=True, key="followup_answer",
                      format_func=lambda k: _(ANSWERS[k]))
    lo, hi = date_bounds(ds)
    planned = as_of if pd.isna(row["end_date"]) else row["end_date"].date()  # an end not read: from the date
    lo, hi = min(lo, planned), max(hi, planned + dt.timedelta(days=3650))
    d1, d2 = st.columns([2, 3])
    with d1:
        when = date_field(_(DATE_LABELS[answer]), "followup_date", start=planned, lo=lo, hi=hi, follow=True)
    handover_to = d2.text_input(_("Handed over to (the body that took over)"), key="followup_handover_to",
                                disabled=answer != "handed_over")
    n1, n2 = st.columns([3, 2])
    note = n1.text_input(_("Note (where the answer came from)"), key="followup_note")
    name = n2.text_input(_("Your name (for the audit log)"), key="followup_name")
    if st.button(_("Record the answer"), key="followup_record", type="primary"):
        try:
            where = record_exit_event(row["partner"], answer, when, service=row["service"],
                                      handover_to=handover_to if answer == "handed_over" else None, note=note,
                                      who=name)
        except ValueError as exc:
            st.error(md_plain(str(exc)))
            return
        ev = {"partner": row["partner"], "service": row["service"], "kind": answer, "end_date": when,
              "handover_to": handover_to, "note": note}
        st.session_state[DONE_KEY] = (_("Recorded: {event}; ").format(event=exit_event_words(ev))
                                      + (_("stored in the workspace.") if where == "workspace"
                                         else _("held for this session only.")))
        st.rerun()

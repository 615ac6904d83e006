"""A date field where a date typed and confirmed with Enter applies.

Streamlit's own date field (1.67) commits a typed date only when its calendar closes, not on
Enter. :func:`date_field` is a text field (Enter, or leaving it, applies what was typed) next
to a calendar in a popover; each widget's callback keeps the other in step, and text that is
no date is said under the field (:func:`dsdash.view.typed_date`): a field that must hold a date
keeps the one it had; an optional field then holds NO date (the text stays, to correct), so what
waits for a date waits again rather than going on with the date typed before.

Session keys: ``key`` holds the date (the calendar's widget), ``key + "_text"`` the text,
``key + "_error"`` why the text typed is no date.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dsdash.i18n import _
from dsdash.view import typed_date


def text_key(key: str) -> str:
    return f"{key}_text"


def error_key(key: str) -> str:
    return f"{key}_error"


def _typed(key: str, lo: dt.date, hi: dt.date, example: dt.date, optional: bool = False) -> None:
    """The text field's callback (Enter, or leaving the field): a date applies; else why not. An
    optional field left empty holds no date."""
    text = st.session_state.get(text_key(key), "")
    if optional and not str(text or "").strip():
        st.session_state[key] = None
        st.session_state.pop(error_key(key), None)
        return
    day, why = typed_date(text, lo, hi, example)
    if day is None:
        st.session_state[error_key(key)] = why
        if optional:  # no date, not the one typed before (reviewer H3: Use loaded the file with the old date)
            st.session_state[key] = None
        return
    st.session_state[key] = day
    st.session_state[text_key(key)] = day.isoformat()
    st.session_state.pop(error_key(key), None)


def _picked(key: str) -> None:
    """The calendar's callback: the text field shows the date picked."""
    day = st.session_state.get(key)
    if isinstance(day, dt.date):
        st.session_state[text_key(key)] = day.isoformat()
    st.session_state.pop(error_key(key), None)


def date_field(label: str, key: str, *, start: dt.date | None, lo: dt.date, hi: dt.date, force: bool = False,
               follow: bool = False, example: dt.date | None = None, help: str | None = None,
               optional: bool = False) -> dt.date | None:
    """Draw the field and return its date.

    Args:
        label: the text field's label.
        key: the session key of the date.
        start: the date when the session holds none (or one outside ``lo``..``hi``), or with ``force``.
        lo, hi: the dates the field takes.
        force: set the field to ``start`` (a fresh page).
        follow: the field follows ``start``: when ``start`` moves (e.g. the as-of date), the
            field moves with it; between moves, it keeps what the user chose.
        example: a date to name when the text typed is no date (default: ``start``).
        help: the text field's help.
        optional: the field may hold no date (``start=None``: it starts empty; emptied, it returns
            None); ``example`` is then needed.
    """
    if follow:
        force = force or st.session_state.get(f"{key}_follows") != start
        st.session_state[f"{key}_follows"] = start
    kept = st.session_state.get(key)
    if optional and start is None and (force or not isinstance(kept, dt.date) or not lo <= kept <= hi):
        st.session_state[key] = None
        if force:
            st.session_state.pop(error_key(key), None)
    elif force or not isinstance(kept, dt.date) or not lo <= kept <= hi:
        st.session_state[key] = min(max(start, lo), hi)
        st.session_state.pop(error_key(key), None)
    current = st.session_state[key]
    shown = current.isoformat() if current else ""
    if force or (error_key(key) not in st.session_state and st.session_state.get(text_key(key)) != shown):
        st.session_state[text_key(key)] = shown
    typed, calendar = st.columns([5, 1], gap="small", vertical_alignment="bottom")
    typed.text_input(label, key=text_key(key), on_change=_typed, args=(key, lo, hi, example or start, optional),
                     help=help)
    with calendar.popover("", icon=":material/calendar_month:",
                          help=_("Pick the {field} from a calendar").format(field=label.lower())):
        picked = st.date_input(_("Pick the {field}").format(field=label.lower()), min_value=lo, max_value=hi, key=key,
                               format="YYYY-MM-DD", on_change=_picked, args=(key,))
    if why := st.session_state.get(error_key(key)):
        if optional:
            why = _("{why} Until a date applies, none is used.").format(why=why)
        st.error(why, icon=":material/event_busy:")
    return picked

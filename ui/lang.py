"""The reader's language and digits, set once at the top of every run (issue 18).

:func:`apply` picks the language before anything is drawn: the URL's ``?lang=`` (a shared link
opens in the language it was made in), else the one the session chose, else the browser's
(``st.context.locale``); and the digits: ``?digits=arab`` for Arabic-Indic digits, Western by
default. It sets :func:`dsdash.i18n.set_language` for the run and, for a right-to-left language,
injects the app's own style sheet (``ui/rtl.css``: a file of this repository, nothing from data).
:func:`switch` draws the choice in the sidebar; a change is written to the URL, so the link
carries it. English pages are unchanged: no style sheet, and no ``lang`` in the URL unless the
reader's browser asks for another language.
"""

from __future__ import annotations

import functools
from pathlib import Path

import streamlit as st

from dsdash.i18n import DEFAULT, DIGITS, LANGUAGES, _, is_rtl, pick, set_language

LANG_KEY = "dsdash_lang"  # the session's language (a page switch clears the URL)
DIGITS_KEY = "dsdash_digits"
SWITCH_KEY = "ui_lang"  # the sidebar's radio
DIGITS_SWITCH_KEY = "ui_digits"  # the sidebar's toggle
RTL_CSS = Path(__file__).resolve().parent / "rtl.css"


def _browser() -> str:
    try:
        return pick(st.context.locale)
    except Exception:  # noqa: BLE001 - no browser context (a bare script run)
        return DEFAULT


def _query(key: str) -> str | None:
    value = st.query_params.get(key)
    return str(value) if value else None


def apply() -> str:
    """Set this run's language and digits (URL, else session, else browser); returns the code.
    Called by app.py and by the shared sidebar, before either draws anything; a second call in
    the same run changes nothing and draws nothing again."""
    asked = _query("lang")
    lang = pick(asked) if asked else st.session_state.get(LANG_KEY) or _browser()
    lang = pick(lang)
    asked_digits = _query("digits")
    digits = asked_digits if asked_digits in DIGITS else st.session_state.get(DIGITS_KEY, "latn")
    st.session_state[LANG_KEY] = lang
    st.session_state[DIGITS_KEY] = digits
    set_language(lang, digits)
    _keep_in_url(lang, digits)
    return lang


def _keep_in_url(lang: str, digits: str) -> None:
    """The URL carries the language when it is not what the browser would pick anyway (a page
    switch clears the URL: this puts it back), and Arabic-Indic digits when chosen."""
    want_lang = lang if lang != _browser() or lang != DEFAULT else None
    if want_lang and st.query_params.get("lang") != want_lang:
        st.query_params["lang"] = want_lang
    elif not want_lang and "lang" in st.query_params:
        del st.query_params["lang"]
    if digits != "latn" and st.query_params.get("digits") != digits:
        st.query_params["digits"] = digits
    elif digits == "latn" and "digits" in st.query_params:
        del st.query_params["digits"]


def style() -> None:
    """The right-to-left style sheet, for a right-to-left language only (once per run)."""
    if is_rtl():
        st.html(f"<style>{RTL_CSS.read_text(encoding='utf-8')}</style>")


def _switched() -> None:
    lang = pick(st.session_state.get(SWITCH_KEY))
    st.session_state[LANG_KEY] = lang
    st.query_params["lang"] = lang


def _digits_switched() -> None:
    digits = "arab" if st.session_state.get(DIGITS_SWITCH_KEY) else "latn"
    st.session_state[DIGITS_KEY] = digits
    if digits == "arab":
        st.query_params["digits"] = digits
    elif "digits" in st.query_params:
        del st.query_params["digits"]


def switch() -> None:
    """The language choice (each language in its own name) and, for Arabic, the digits."""
    lang = st.session_state.get(LANG_KEY, DEFAULT)
    st.session_state[SWITCH_KEY] = lang
    st.radio(_("Language"), list(LANGUAGES), format_func=lambda c: LANGUAGES[c].name, key=SWITCH_KEY,
             horizontal=True, on_change=_switched, label_visibility="collapsed")
    if lang != DEFAULT:
        st.session_state[DIGITS_SWITCH_KEY] = st.session_state.get(DIGITS_KEY) == "arab"
        st.toggle(_("Arabic-Indic digits (٠١٢٣)"), key=DIGITS_SWITCH_KEY, on_change=_digits_switched)


def choose_placeholder() -> str | None:
    """A multiselect's empty text in the reader's language (Streamlit's own, in English, for English)."""
    from dsdash.i18n import current

    return None if current() == DEFAULT else _("Choose options")


def fragment(fn):
    """``st.fragment`` that keeps the reader's language and digits: a fragment reruns alone, without
    the top of the page where :func:`apply` sets them for the run (a context variable, new for each
    run), so its words came out in English on an Arabic page. Use it for every fragment."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        set_language(st.session_state.get(LANG_KEY, DEFAULT), st.session_state.get(DIGITS_KEY, "latn"))
        return fn(*args, **kwargs)

    return st.fragment(run)

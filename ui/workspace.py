"""The workspace store in the app: saving files, publishing and withdrawing, who did it, and
what the pages say about it (messages that survive the rerun after an action)."""

from __future__ import annotations

import os

import streamlit as st

from dsdash.i18n import _, iso, ngettext
from dsdash.importers import ImportResult
from dsdash.store import current_user
from dsdash.text import md_plain
from ui.state import AS_OF_KEY, workspace
from dsdash.view import AS_OF_PARAM

WHO_KEY = "dsdash_who"
MESSAGES_KEY = "dsdash_workspace_messages"


def who_input(key: str) -> str | None:
    """'Your name' for the audit log, remembered for the session (every page's field starts with
    it). None when left empty: the store records ``$DSDASH_USER`` or the server's user."""
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get(WHO_KEY, "")
    name = st.text_input(_("Your name (recorded in the audit log)"), key=key, placeholder=current_user())
    st.session_state[WHO_KEY] = name
    return name.strip() or None


def _say(level: str, text: str) -> None:
    st.session_state.setdefault(MESSAGES_KEY, []).append((level, text))


def show_add_messages() -> None:
    """What the last save, publish or withdraw did (once, after its rerun)."""
    for level, text in st.session_state.pop(MESSAGES_KEY, []):
        {"success": st.success, "warning": st.warning, "info": st.info, "error": st.error}[level](md_plain(text))


def workspace_changed() -> None:
    """After a publish or withdraw: the as-of date goes back to the new data's latest date."""
    st.session_state.pop(AS_OF_KEY, None)
    if AS_OF_PARAM in st.query_params:
        del st.query_params[AS_OF_PARAM]


def add_files(results: list[ImportResult], datas: list[bytes], *, who: str | None, note: str, publish: bool,
              adds_locations: bool, sharing: str | None = None) -> None:
    """Store each usable file as a snapshot (and publish it); say what happened to each. Checked on
    the server first (ui.auth: add, and publish when asked); the editor's organisation is recorded."""
    from ui.auth import deny, principal, who_name

    touched = sorted({str(a) for r in results for t in ("sites",) if r.tables.get(t) is not None
                      for a in r.tables[t]["admin1_name"].dropna().unique()})  # governorates of the files' sites
    reason = deny("add", areas=touched) or (deny("publish") if publish else None)
    if reason:
        _say("error", reason)
        return
    who = who_name() or who
    org = principal().organisation
    store = workspace()
    for res, data in zip(results, datas):
        name = res.report.file
        if not res.usable:
            _say("warning", _("{file}: not stored (nothing accepted, or a question is open).").format(file=name))
            continue
        out = store.add(res, data, file_name=name, who=who, note=note, publish=publish,
                        adds_locations=adds_locations and res.kind == "dtm_master_list",
                        sharing=sharing, organisation=org)
        if out.duplicate_of is not None:
            _say("info", _("{file}: already stored as snapshot {id}; not stored again.").format(
                file=name, id=out.duplicate_of))
        elif out.snapshot_id is None:
            _say("warning", _("{file}: not stored.").format(file=name))
        else:
            _say("success", (_("{file}: stored as snapshot {id} and published.") if publish else
                             _("{file}: stored as snapshot {id} (not published yet: see the Workspace page).")).format(
                file=name, id=out.snapshot_id))
    workspace_changed()


def _denied(action: str, ids: list[int]) -> bool:
    from ui.auth import deny

    reason = deny(action, snapshot_ids=ids)
    if reason:
        _say("error", reason)
    return bool(reason)


def publish(ids: list[int], who: str | None, why: str) -> None:
    from ui.auth import who_name

    if _denied("publish", ids):
        return
    workspace().publish(ids, who_name() or who, why)
    _say("success", ngettext("Published snapshot {ids}.", "Published snapshots {ids}.", len(ids)).format(
        ids=", ".join(map(str, ids))))
    workspace_changed()


def withdraw(ids: list[int], who: str | None, why: str) -> None:
    from ui.auth import who_name

    if _denied("withdraw", ids):
        return
    workspace().withdraw(ids, who_name() or who, why)
    _say("success", ngettext("Withdrawn snapshot {ids}: they stay in the history and can be published again.",
                             "Withdrawn snapshots {ids}: they stay in the history and can be published again.",
                             len(ids)).format(ids=", ".join(map(str, ids))))
    workspace_changed()


def workspace_caption() -> None:
    """Where the workspace lives (a file path, or the database URL without its password)."""
    if os.environ.get("DSDASH_DATA_DIR"):
        st.caption(md_plain(_("Data folder: {folder} (the workspace is not read).").format(
            folder=iso(os.environ["DSDASH_DATA_DIR"]))))
        return
    st.caption(md_plain(_("Workspace: {where}").format(where=iso(workspace().location_text))))

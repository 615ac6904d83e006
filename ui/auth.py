"""Who is using the app, and what they may do: sign-in (Streamlit's ``st.login``, OpenID Connect)
when ``.streamlit/secrets.toml`` has an ``[auth]`` section, else local single-user mode.

The rules are :mod:`dsdash.access` (roles, pages, actions) and :mod:`dsdash.policy` (what an
audience may see); this module applies them to the session:

- :func:`principal`: the session's :class:`~dsdash.access.Principal` (local mode: an admin; signed
  out: ``public`` when the admin allows it, else no access; signed in: the workspace's user of
  that email, else the admin-set lowest role, by default no access).
- :func:`require` (every action calls it before acting): True when allowed, else an error on the
  page, the denial in the audit log, and False.
- :func:`guard_page` (the shared sidebar calls it for every page): a page the role may not open
  says "Not allowed", logs it, and stops.
- :func:`audience`: the sharing class the session is shown as (:mod:`dsdash.policy`).
- :func:`sidebar_panel`: the local-mode warning, or who am I / what may I do, sign-in and sign-out.
"""

from __future__ import annotations

import streamlit as st

from dsdash.i18n import N_, _
from dsdash.access import ACTION_WORDS, Principal, allowed_pages, check, describe, may_open
from dsdash.policy import load as load_policy
from dsdash.store import current_user
from dsdash.text import md_plain

LOCAL_MODE = N_("Local mode: anyone who can open this address can edit")  # translated where shown
SIGNED_IN_KEY = "dsdash_signed_in_logged"


def auth_configured() -> bool:
    """True when ``.streamlit/secrets.toml`` (or the test's secrets) has an ``[auth]`` section."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all: local mode
        return False


def _store():
    from ui.state import workspace

    return workspace()


def _signed_in() -> bool:
    try:
        return bool(st.user.is_logged_in)
    except Exception:  # noqa: BLE001
        return False


def principal() -> Principal:
    """The session's principal, looked up on every run (a role changed by the admin applies at once)."""
    if not auth_configured():
        return Principal(email=current_user(), role="admin", local=True)
    store = _store()
    if not _signed_in():
        return Principal(email="", role="public" if store.setting("public") == "on" else "none")
    email = str(st.user.get("email") or "").strip().casefold()
    known = store.user(email) if email else None
    who = known or Principal(email=email, role=store.setting("unknown_role"), signed_in=True)
    if st.session_state.get(SIGNED_IN_KEY) != email:
        st.session_state[SIGNED_IN_KEY] = email
        store.log_event(email or "unknown", "sign_in", f"signed in as {who.role}"
                        + ("" if known else " (not a known user: the workspace's role for unknown emails)"))
    return who


def who_name() -> str | None:
    """The name recorded in the audit log for this session's actions: the signed-in email (None in
    local mode: the page's 'Your name' field or the server's user)."""
    p = principal()
    return None if p.local else p.email


def audience() -> str:
    """The sharing class this session is shown as (data/policy.toml ``[audience]``)."""
    p = principal()
    return load_policy().audience_of(p.role, local=p.local)


def allowed(action: str, **scope) -> bool:
    """Whether the session may take ``action`` (no message, nothing logged: for showing a control)."""
    return check(principal(), action, **scope) is None


def deny(action: str, *, snapshot_ids=(), organisations=(), areas=()) -> str | None:
    """None when the session may take ``action``; else the reason, with the denial in the audit log.
    ``snapshot_ids``: the snapshots it touches (their organisations are checked for editors);
    ``areas``: the governorates or coordination areas it touches."""
    p = principal()
    orgs = list(organisations)
    if snapshot_ids:
        orgs += list(_store().snapshot_organisations(snapshot_ids).values())
    reason = check(p, action, organisations=orgs, areas=areas)
    if reason is not None:
        _store().log_event(p.name if not p.local else current_user(), "denied",
                           f"{ACTION_WORDS.get(action, action)}: {reason}", ids=[int(i) for i in snapshot_ids])
    return reason


def require(action: str, *, snapshot_ids=(), organisations=(), areas=()) -> bool:
    """Check ``action`` on the server before acting (every action calls it). True when allowed;
    else the reason on the page, the denial in the audit log, and False."""
    reason = deny(action, snapshot_ids=snapshot_ids, organisations=organisations, areas=areas)
    if reason is None:
        return True
    st.error(md_plain(reason), icon=":material/block:")
    return False


def guard_page(page: str) -> None:
    """Stop a page the session's role may not open (a direct URL): 'Not allowed', logged."""
    p = principal()
    if may_open(p, page):
        return
    name = page.replace("\\", "/").rsplit("/", 1)[-1]
    if p.role == "none":
        no_access_page()
    else:
        st.title(_("Not allowed"))
        st.error(_("Not allowed: your role ({role}) may not open this page.").format(role=_role_word(p.role)),
                 icon=":material/block:")
        st.caption(_("Pages your role may open are in the menu. Ask an admin of this workspace for another role."))
    _store().log_event(p.name, "denied", f"page {name} ({p.role})")
    sidebar_panel()
    st.stop()


def admins() -> list[str]:
    users = _store().users()
    return sorted(users.loc[users["role"] == "admin", "email"].tolist())


def no_access_page() -> None:
    """What a signed-in email without a role (or a signed-out visitor) sees: whom to ask."""
    p = principal()
    st.title(_("No access yet"))
    if p.signed_in:
        st.markdown(md_plain(_("You are signed in as {email}, but this workspace has not given that address a role.")
                             .format(email=p.email)))
    else:
        st.markdown(_("Sign in to use this dashboard."))
        if auth_configured() and st.button(_("Sign in"), type="primary", key="auth_sign_in_main"):
            st.login()
    names = admins()
    if names:
        st.markdown(md_plain(_("Ask an admin of this workspace to add you: {names}.").format(names=", ".join(names))))
    else:
        st.markdown(_("Ask whoever runs this dashboard to add you (`python -m dsdash store users add EMAIL --role "
                    "viewer`)."))


def _role_word(role: str) -> str:
    """The role as English names it (its code), or its label in the reader's language."""
    from dsdash.access import ROLE_LABELS
    from dsdash.i18n import current

    return role if current() == "en" else _(ROLE_LABELS.get(role, role))


def nav_pages(pages) -> tuple[list, list]:
    """(pages the session may open, the others) of ``pages`` ((file, title, icon) entries)."""
    ok = allowed_pages(principal(), pages)
    return ok, [p for p in pages if p not in ok]


def sidebar_panel() -> None:
    """The sidebar's account box: local-mode warning, or who am I / what may I do and sign-out."""
    p = principal()
    with st.sidebar:
        if p.local:
            st.warning(_(LOCAL_MODE), icon=":material/lock_open:")
            return
        with st.container(border=True, key="auth_panel"):
            if p.signed_in:
                st.markdown(md_plain(_("Signed in as {email}").format(email=p.email)))
            else:
                st.markdown(_("Not signed in (public view)") if p.role == "public" else _("Not signed in"))
            for line in describe(p):
                st.caption(md_plain(line))
            if p.role != "none":
                from ui.state import policy_shown

                shown = policy_shown()
                if shown.audience != "confidential":
                    st.caption(md_plain(shown.statement + " " + " ".join(shown.notes)))
            if p.signed_in:
                if st.button(_("Sign out"), key="auth_sign_out"):
                    st.logout()
            elif st.button(_("Sign in"), key="auth_sign_in"):
                st.login()

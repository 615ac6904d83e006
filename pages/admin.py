"""Users and roles (admins only): who may sign in with which role, organisation and areas; the
role of unknown emails; whether signed-out visitors see the public view; each snapshot's sharing
class; access events of the audit log."""

import streamlit as st

from dsdash.access import ASSIGNABLE, ROLE_LABELS, ROLES, users_table
from dsdash.history import log_table, snapshot_choice
from dsdash.policy import CLASS_WORDS, CLASSES
from dsdash.i18n import N_, _
from dsdash.loading import sharing_name
from dsdash.text import md_plain
from ui.auth import LOCAL_MODE, auth_configured, require, who_name
from ui.downloads import show_table
from ui.sidebar import sidebar
from ui.state import workspace

sidebar(services=False, as_of=False, horizon=False)


def role_label(role: str) -> str:
    return _(ROLE_LABELS[role]) if role in ROLE_LABELS else role


_ROLE_WORDS = (N_("no access"), N_("public (aggregated views only)"), N_("viewer (sees, downloads, builds decks)"),
               N_("editor (adds, publishes, withdraws, confirms exits in their organisation and areas)"),
               N_("admin (manages users and everything else)"))  # dsdash.access.ROLE_LABELS, for this catalog


store = workspace()
st.title(_("Users and roles"))
if not auth_configured():
    st.info(_("{local_mode}. Roles apply once sign-in is set up (README, \"Running for a team\"); you can prepare "
              "them here.").format(local_mode=_(LOCAL_MODE)), icon=":material/info:")

st.subheader(_("Users"))
show_table(users_table(store.users()))
with st.form("admin_user_form"):
    st.caption(_("Add a user, or change a user's role, organisation and areas (the same email again)."))
    email = st.text_input(_("Email"), key="admin_email")
    role = st.selectbox(_("Role"), list(ASSIGNABLE), index=2, format_func=role_label, key="admin_role")
    org = st.text_input(_("Organisation (editors add, publish and withdraw their organisation's snapshots only)"),
                        key="admin_org")
    areas = st.text_input(_("Areas, comma-separated (governorates or coordination areas; empty: all)"),
                          key="admin_areas")
    if st.form_submit_button(_("Save user"), type="primary") and require("manage_users"):
        try:
            p = store.set_user(email, role, organisation=org, areas=areas.split(","), who=who_name())
            st.success(md_plain(f"{p.email}: {role_label(p.role)}."))
        except ValueError as exc:
            st.error(md_plain(str(exc)))
emails = store.users()["email"].tolist()
gone = st.selectbox(_("Remove a user"), [""] + emails, key="admin_remove")
if st.button(_("Remove"), disabled=not gone, key="admin_remove_btn") and require("manage_users"):
    store.remove_user(gone, who=who_name())
    st.rerun()

st.subheader(_("Who else may come in"))
c1, c2 = st.columns(2)
with c1:
    unknown = st.selectbox(_("A signed-in email the workspace does not know gets"), list(ROLES),
                           index=list(ROLES).index(store.setting("unknown_role")), format_func=role_label,
                           key="admin_unknown")
with c2:
    public = st.toggle(_("Signed-out visitors see the public view (aggregated)"), value=store.setting("public") == "on",
                       key="admin_public")
if st.button(_("Save these settings"), key="admin_settings_btn") and require("manage_users"):
    store.set_setting("unknown_role", unknown, who=who_name())
    store.set_setting("public", "on" if public else "off", who=who_name())
    st.success(_("Saved."))

st.subheader(_("Sharing class of snapshots"))
st.caption("; ".join(_(CLASS_WORDS[c]) for c in CLASSES) + ". " + _(
    "An audience below a table's class sees it by district, or not at all when a district holds a single site "
    "(data/policy.toml)."))
snaps = store.snapshots()
choice = snapshot_choice(snaps)
sharing_of = dict(zip(snaps["id"].astype(int), snaps["sharing"]))
ids = st.multiselect(_("Snapshots"), list(choice), format_func=lambda i: f"{choice[i]} · {sharing_name(sharing_of.get(i))}",
                     key="admin_share_ids", placeholder=_("Choose snapshots"))
cls = st.selectbox(_("Sharing class"), list(CLASSES), index=1, key="admin_share_class",
                   format_func=lambda c: _(CLASS_WORDS[c]))
if st.button(_("Set the sharing class"), disabled=not ids, key="admin_share_btn") and require("manage_users"):
    store.set_sharing(ids, cls, who=who_name())
    st.rerun()

st.subheader(_("Sign-ins, denials and role changes"))
log = store.log()
access = log[log["action"].isin(["sign_in", "denied", "user_add", "role_change", "user_remove", "setting",
                                 "sharing"])]
show_table(log_table(access).iloc[::-1])

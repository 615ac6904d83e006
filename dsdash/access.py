"""Who may do what: roles, the pages each role sees, and the actions each role may take.

One place for the rules (the app's navigation, every action's check and the CLI read them):

- ``admin``: manages users and everything else;
- ``editor``: adds, publishes and withdraws snapshots and confirms exits, within their
  organisation (a snapshot added by another organisation is not theirs) and areas;
- ``viewer``: sees every page, downloads and builds the deck;
- ``public``: a signed-out visitor when the admin allows it (off by default): aggregated views only;
- ``none``: no access (a signed-in email the workspace does not know, by default).

In local mode (no ``[auth]`` in ``.streamlit/secrets.toml``) the one user is an admin.
"""

from __future__ import annotations

from dsdash.i18n import N_
from dataclasses import dataclass, field

#: Roles, lowest first.
ROLES = ("none", "public", "viewer", "editor", "admin")
#: Roles an admin may give (``none`` is the absence of a role).
ASSIGNABLE = ("admin", "editor", "viewer", "public")
ROLE_LABELS = {
    "none": N_("no access"), "public": N_("public (aggregated views only)"),
    "viewer": N_("viewer (sees, downloads, builds decks)"),
    "editor": N_("editor (adds, publishes, withdraws, confirms exits in their organisation and areas)"),
    "admin": N_("admin (manages users and everything else)"),
}

#: Page file → the lowest role that may open it. A page not listed needs ``viewer``.
PAGE_ROLE = {
    "pages/overview.py": "public",
    "pages/trends.py": "public",
    "pages/meeting.py": "public",
    "pages/upload.py": "editor",
    "pages/admin.py": "admin",
}
#: Action → the lowest role that may take it.
ACTION_ROLE = {
    "view": "public", "download": "public", "deck": "public",
    "add": "editor", "publish": "editor", "withdraw": "editor", "confirm_exit": "editor",
    "manage_users": "admin",
}
ACTION_WORDS = {
    "view": N_("open this page"), "download": N_("download"), "deck": N_("build the meeting pack"),
    "add": N_("save files to the workspace"), "publish": N_("publish snapshots"), "withdraw": N_("withdraw snapshots"),
    "confirm_exit": N_("confirm, extend or hand over a partner's exit"), "manage_users": N_("manage users"),
}


def rank(role: str) -> int:
    return ROLES.index(role) if role in ROLES else 0


@dataclass(frozen=True)
class Principal:
    """Who is using dsdash: email (or the local user), role, organisation and areas (editors)."""

    email: str
    role: str
    organisation: str | None = None
    areas: tuple[str, ...] = field(default_factory=tuple)
    local: bool = False
    signed_in: bool = False

    @property
    def name(self) -> str:
        return self.email or "visitor"


def page_role(page: str) -> str:
    page = page.replace("\\", "/")
    for p, r in PAGE_ROLE.items():
        if page.endswith(p):
            return r
    return "viewer"


def may_open(who: Principal, page: str) -> bool:
    return rank(who.role) >= rank(page_role(page)) and who.role != "none"


def allowed_pages(who: Principal, pages) -> list:
    """The entries of ``pages`` ((file, title, icon) tuples) the principal may open, in order."""
    return [p for p in pages if may_open(who, p[0])]


def check(who: Principal, action: str, *, organisation: str | None = None, organisations=(),
          areas=()) -> str | None:
    """None when ``who`` may take ``action``; else the reason, in words.

    ``organisation``/``organisations``: whose snapshots the action touches (an editor may touch only
    their own organisation's); ``areas``: the governorates or coordination areas it touches (an
    editor with areas may touch only those)."""
    need = ACTION_ROLE.get(action, "admin")
    words = ACTION_WORDS.get(action, action)
    if who.role == "none" or rank(who.role) < rank(need):
        return f"Not allowed: your role ({who.role}) may not {words}; it needs {need} or above."
    if who.role == "admin" or who.local:
        return None
    orgs = {o for o in ([organisation] if organisation is not None else []) + list(organisations)}
    if need == "editor" and orgs:
        mine = (who.organisation or "").strip().casefold()
        others = sorted(o or "no organisation" for o in orgs if (o or "").strip().casefold() != mine or not mine)
        if others:
            return (f"Not allowed: you may {words} of your organisation ({who.organisation or 'none set'}) only; "
                    f"this touches {', '.join(others)}'s.")
    if need == "editor" and who.areas and areas:
        mine = {a.casefold() for a in who.areas}
        outside = sorted({a for a in areas if a and a.casefold() not in mine})
        if outside:
            return f"Not allowed: your areas are {', '.join(who.areas)}; this touches {', '.join(outside)}."
    return None


def describe(who: Principal) -> list[str]:
    """'Who am I, what may I do', in words (the sidebar)."""
    from dsdash.i18n import _, iso

    lines = [_("Role: {role}").format(role=_(ROLE_LABELS.get(who.role, who.role)))]
    if who.organisation:
        lines.append(_("Organisation: {organisation}").format(organisation=iso(who.organisation)))
    if who.areas:
        lines.append(_("Areas: {areas}").format(areas=iso(", ".join(who.areas))))
    may = [_(ACTION_WORDS[a]) for a in ("download", "deck", "add", "publish", "withdraw", "confirm_exit", "manage_users")
           if check(who, a) is None]
    lines.append(_("May: {actions}").format(actions=", ".join(may) if may else _("nothing yet")))
    return lines


#: Column headings of the users table (admin page, ``store users list``).
USER_LABELS = {"email": "Email", "role": "Role", "organisation": "Organisation", "areas": "Areas",
               "added_at": "Added (UTC)", "added_by": "Added by"}


def users_table(users) -> "object":
    """The workspace's users (:meth:`dsdash.store.Store.users`) with headings and roles in words."""
    import pandas as pd

    df = users.copy()
    df["role"] = df["role"].map(lambda r: ROLE_LABELS.get(r, r)).astype("string")
    df["areas"] = df["areas"].fillna("").str.replace(",", ", ").astype("string")
    df["added_at"] = pd.to_datetime(df["added_at"], utc=True).dt.tz_localize(None)
    return df.rename(columns=USER_LABELS)

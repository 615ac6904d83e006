"""The workspace's users and roles, its settings, and access events in the audit log (issue 17).

A mixin of :class:`dsdash.store.Store`: ``users()``, ``user(email)``, ``set_user``,
``remove_user``, ``setting``/``set_setting`` (``unknown_role``, ``public``), ``log_event``
(sign-ins and denied actions), ``table_sharing()`` (what :mod:`dsdash.policy` applies).
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from dsdash.i18n import _
from dsdash.access import ASSIGNABLE, ROLES, Principal
from dsdash.policy import CLASSES
from dsdash.store.tables import settings, snapshots, users

USER_COLUMNS = ["email", "role", "organisation", "areas", "added_at", "added_by"]
#: Settings and their defaults: a signed-in email the workspace does not know gets no access;
#: signed-out visitors see nothing.
DEFAULTS = {"unknown_role": "none", "public": "off"}


def _email(email: str) -> str:
    e = (email or "").strip().casefold()
    if "@" not in e or len(e) > 320:
        raise ValueError(_("not an email address: {email}").format(email=repr(email)))
    return e


class UsersMixin:
    def users(self) -> pd.DataFrame:
        """One row per user: :data:`USER_COLUMNS` (areas as text, comma-separated)."""
        with self._read() as conn:
            rows = conn.execute(sa.select(users).order_by(users.c.email)).mappings().all()
        return pd.DataFrame([dict(r) for r in rows], columns=USER_COLUMNS)

    def user(self, email: str) -> Principal | None:
        """The known user of ``email`` (any case), else None."""
        try:
            e = _email(email)
        except ValueError:
            return None
        with self._read() as conn:
            r = conn.execute(sa.select(users).where(users.c.email == e)).mappings().first()
        if r is None:
            return None
        areas = tuple(a for a in (r["areas"] or "").split(",") if a)
        return Principal(email=e, role=r["role"], organisation=r["organisation"], areas=areas, signed_in=True)

    def set_user(self, email: str, role: str, *, organisation: str | None = None, areas=(),
                 who: str | None = None) -> Principal:
        """Add a user or change their role, organisation and areas (logged as ``user_add``/``role_change``)."""
        from dsdash.store.core import _now, current_user

        e = _email(email)
        if role not in ASSIGNABLE:
            raise ValueError(_("role must be one of {roles}, not {role}").format(roles=", ".join(ASSIGNABLE),
                                                                                 role=repr(role)))
        areas = tuple(dict.fromkeys(a.strip() for a in areas if a and a.strip()))
        org = (organisation or "").strip() or None
        who = who or current_user()
        with self._write() as conn:
            old = conn.execute(sa.select(users).where(users.c.email == e)).mappings().first()
            values = dict(role=role, organisation=org, areas=",".join(areas))
            if old is None:
                conn.execute(sa.insert(users).values(email=e, added_at=_now(), added_by=who, **values))
                self._log(conn, who, "user_add", (), f"{e}: {role}" + (f", {org}" if org else "")
                          + (f", areas {', '.join(areas)}" if areas else ""))
            else:
                conn.execute(sa.update(users).where(users.c.email == e).values(**values))
                self._log(conn, who, "role_change", (), f"{e}: {old['role']} → {role}" + (f", {org}" if org else "")
                          + (f", areas {', '.join(areas)}" if areas else ""))
        return Principal(email=e, role=role, organisation=org, areas=areas, signed_in=True)

    def remove_user(self, email: str, who: str | None = None) -> bool:
        """Remove a user (logged as ``user_remove``); False when the workspace did not know them."""
        from dsdash.store.core import current_user

        e = _email(email)
        with self._write() as conn:
            n = conn.execute(sa.delete(users).where(users.c.email == e)).rowcount
            if n:
                self._log(conn, who or current_user(), "user_remove", (), e)
        return bool(n)

    def setting(self, key: str) -> str:
        with self._read() as conn:
            v = conn.execute(sa.select(settings.c.value).where(settings.c.key == key)).scalar()
        return DEFAULTS.get(key, "") if v is None else v

    def set_setting(self, key: str, value: str, who: str | None = None) -> None:
        from dsdash.store.core import current_user

        if key not in DEFAULTS:
            raise ValueError(_("unknown setting {key}").format(key=repr(key)))
        if key == "unknown_role" and value not in ROLES:
            raise ValueError(_("unknown_role must be one of {roles}").format(roles=", ".join(ROLES)))
        with self._write() as conn:
            conn.execute(sa.delete(settings).where(settings.c.key == key))
            conn.execute(sa.insert(settings).values(key=key, value=value))
            self._log(conn, who or current_user(), "setting", (), f"{key} = {value}")

    def log_event(self, who: str, action: str, why: str = "", ids=()) -> None:
        """Record a sign-in, a denied action or a denied page in the audit log."""
        with self._write() as conn:
            self._log(conn, who or "unknown", action, ids, why)

    def snapshot_organisations(self, ids) -> dict[int, str | None]:
        ids = [int(i) for i in ids]
        with self._read() as conn:
            rows = conn.execute(sa.select(snapshots.c.id, snapshots.c.organisation, snapshots.c.kind)
                                .where(snapshots.c.id.in_(ids))).all()
        return {int(r[0]): (r[1] if r[2] != "embedded" else "the embedded seed") for r in rows}

    def set_sharing(self, ids, sharing: str, who: str | None = None) -> None:
        from dsdash.store.core import current_user

        if sharing not in CLASSES:
            raise ValueError(_("sharing must be one of {classes}").format(classes=", ".join(CLASSES)))
        ids = [int(i) for i in ids]
        with self._write() as conn:
            conn.execute(sa.update(snapshots).where(snapshots.c.id.in_(ids)).values(sharing=sharing))
            self._log(conn, who or current_user(), "sharing", ids, sharing)
            self._bump(conn)

    def table_sharing(self) -> dict[str, list[str]]:
        """Table → the sharing classes of the published snapshots holding rows of it."""
        from dsdash.store.core import PUBLISHED

        with self._read() as conn:
            rows = conn.execute(sa.select(snapshots.c.sharing, snapshots.c.tables)
                                .where(snapshots.c.state == PUBLISHED)).all()
        out: dict[str, list[str]] = {}
        for sharing, tables in rows:
            if sharing:
                for t in (tables or "").split(","):
                    if t:
                        out.setdefault(t, []).append(sharing)
        return out

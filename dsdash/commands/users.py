"""``python -m dsdash store users``: who may sign in, with which role (issue 17).

    python -m dsdash store users add EMAIL --role admin|editor|viewer|public [--org ORG] [--area AREA]...
    python -m dsdash store users list [--json]
    python -m dsdash store users remove EMAIL

Whoever can open the workspace database from the command line is its administrator: these
commands are how the first admin is made. Every change goes into the audit log (``user_add``,
``role_change``, ``user_remove``) with ``$DSDASH_USER`` (else the OS user).
"""

from __future__ import annotations

import json
import sys

from dsdash.i18n import _
from dsdash.access import ASSIGNABLE, users_table
from dsdash.commands.args import EXIT_MISUSE, EXIT_OK, Misuse, add_db, open_workspace


def register(ss) -> None:
    u = ss.add_parser("users", help=_("who may sign in: add, list, remove users and their roles"))
    us = u.add_subparsers(dest="users_command", metavar="SUBCOMMAND")
    a = us.add_parser("add", help=_("add a user or change their role (the same email again)"))
    a.add_argument("email", metavar="EMAIL")
    a.add_argument("--role", required=True, choices=list(ASSIGNABLE))
    a.add_argument("--org", default=None, help=_("organisation (an editor acts on its snapshots only)"))
    a.add_argument("--area", action="append", default=[], metavar="AREA",
                   help=_("a governorate or coordination area the editor acts within (repeatable; none: all)"))
    a.set_defaults(func=run_add)
    ls = us.add_parser("list", help=_("one line per user"))
    ls.add_argument("--json", action="store_true", help=_("print JSON records"))
    ls.set_defaults(func=run_list)
    r = us.add_parser("remove", help=_("remove a user"))
    r.add_argument("email", metavar="EMAIL")
    r.set_defaults(func=run_remove)
    for q in (a, ls, r):
        add_db(q)
    u.set_defaults(func=lambda args: (u.print_help(sys.stderr), EXIT_MISUSE)[1])


def run_add(args) -> int:
    store = open_workspace(args)
    try:
        areas = [x for a in args.area for x in a.split(",")]
        p = store.set_user(args.email, args.role, organisation=args.org, areas=areas)
    except ValueError as exc:
        raise Misuse(str(exc)) from None
    finally:
        store.close()
    print(f"{p.email}\t{p.role}\t{p.organisation or ''}\t{','.join(p.areas)}")
    return EXIT_OK


def run_list(args) -> int:
    store = open_workspace(args)
    try:
        df = store.users()
    finally:
        store.close()
    if args.json:
        recs = [{"email": r.email, "role": r.role,
                 "organisation": r.organisation if isinstance(r.organisation, str) else None,
                 "areas": [a for a in (r.areas or "").split(",") if a],
                 "added_at": str(r.added_at), "added_by": r.added_by} for r in df.itertuples()]
        print(json.dumps(recs, ensure_ascii=False, indent=1))
    else:
        print(users_table(df).fillna("").to_string(index=False) if len(df) else _("no users (local mode needs none)"))
    return EXIT_OK


def run_remove(args) -> int:
    store = open_workspace(args)
    try:
        gone = store.remove_user(args.email)
    except ValueError as exc:
        raise Misuse(str(exc)) from None
    finally:
        store.close()
    if not gone:
        raise Misuse(_("no user {email}").format(email=args.email))
    return EXIT_OK

"""``python -m dsdash store``: the workspace from the command line.

    python -m dsdash store add FILE... [--date D] [--round N] [--group idp|returnee] [--publish]
                                       [--note TEXT] [--adds-locations] [--supersedes ID]
    python -m dsdash store list [--json]
    python -m dsdash store publish ID... [--why TEXT]
    python -m dsdash store withdraw ID... [--why TEXT]
    python -m dsdash store log [--json]
    python -m dsdash store backup FILE
    python -m dsdash store restore FILE

Every subcommand takes ``--db URL`` (a database URL or a SQLite file; default
``$DSDASH_DATABASE_URL``, else the embedded SQLite file). Who does it: ``$DSDASH_USER``, else
the OS user.

``store add`` prints the id of each new snapshot on stdout, one per line (what happened to each
file goes to stderr). Exit codes: 0 every file stored with no row rejected; 1 something stored,
but rows were rejected or a file was not stored; 2 nothing stored (a file already stored, unusable
or missing) or misuse (also: a workspace that cannot be opened, named in the message).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

from dsdash.i18n import N_, _, list_sep
from dsdash.commands.args import (
    EXIT_MISUSE, EXIT_OK, EXIT_REJECTED, Misuse, add_db, date_arg, fail, open_workspace, option_to_give,
)
from dsdash.importers import kinds, refused
from dsdash.importers.readers import ReadError, read_path
from dsdash.importers.worker import import_files

#: Columns of ``store list`` (text), with their headings.
LIST_TEXT = [("id", N_("id")), ("status", N_("status")), ("kind", N_("kind")), ("reference_date", N_("date")),
             ("population_group", N_("group")), ("dtm_round", N_("round")), ("rows_accepted", N_("accepted")),
             ("rows_rejected", N_("rejected")), ("locations", N_("locations")), ("individuals", N_("individuals")),
             ("created_by", N_("by")), ("created_at", N_("at")), ("file", N_("file"))]
#: Fields of ``store list --json`` (the issue's list, then the rest of Store.snapshots()).
LIST_JSON = ["id", "kind", "file", "reference_date", "population_group", "dtm_round", "rows_in", "rows_accepted",
             "rows_rejected", "locations", "households", "individuals", "published", "created_at", "created_by",
             "status", "supersedes", "superseded_by", "note", "adds_locations", "sha256", "size_bytes"]


def register(sub) -> None:
    p = sub.add_parser("store", help=_("the workspace: add files as snapshots, publish, withdraw, list, log, backup"))
    ss = p.add_subparsers(dest="store_command", metavar="SUBCOMMAND")
    a = ss.add_parser("add", help=_("store files as snapshots (prints the new ids)"))
    a.add_argument("files", nargs="+", type=Path, metavar="FILE")
    a.add_argument("--date", type=date_arg, help=_("reference date of Master Lists (YYYY-MM-DD)"))
    a.add_argument("--round", type=int, dest="dtm_round", help=_("DTM round of Master Lists"))
    a.add_argument("--group", choices=["idp", "returnee"], help=_("population group of Master Lists"))
    a.add_argument("--publish", action="store_true", help=_("publish them too"))
    a.add_argument("--note", default="", help=_("a note kept with each snapshot (and in the log)"))
    a.add_argument("--adds-locations", dest="adds_locations", action="store_true",
                   help=_("Master Lists of a different set of locations: they do not supersede the seed's sites"))
    a.add_argument("--supersedes", type=int, metavar="ID",
                   help=_("the file corrects snapshot ID: once published, it takes that snapshot's place"))
    a.add_argument("--sharing", choices=["public", "restricted", "confidential"],
                   help=_("sharing class (default: the strictest default of its tables, data/policy.toml)"))
    a.add_argument("--org", default=None, help=_("the organisation the snapshot belongs to (editors act on their own)"))
    a.set_defaults(func=run_add)
    for name, helptext, func in (("publish", _("publish snapshots (again)"), run_publish),
                                 ("withdraw", _("withdraw snapshots from the published workspace"), run_withdraw)):
        q = ss.add_parser(name, help=helptext)
        q.add_argument("ids", nargs="+", type=int, metavar="ID")
        q.add_argument("--why", default="", help=_("why (kept in the log)"))
        q.set_defaults(func=func)
    ls = ss.add_parser("list", help=_("one line per snapshot"))
    ls.add_argument("--json", action="store_true", help=_("print JSON records"))
    ls.set_defaults(func=run_list)
    lg = ss.add_parser("log", help=_("the audit log: who did what, when, why"))
    lg.add_argument("--json", action="store_true", help=_("print JSON records"))
    lg.set_defaults(func=run_log)
    b = ss.add_parser("backup", help=_("copy the workspace to FILE (SQLite online backup or pg_dump)"))
    b.add_argument("file", type=Path, metavar="FILE")
    b.set_defaults(func=run_backup)
    r = ss.add_parser("restore", help=_("replace the workspace with the backup FILE"))
    r.add_argument("file", type=Path, metavar="FILE")
    r.set_defaults(func=run_restore)
    for q in (a, *[ss.choices[n] for n in ("publish", "withdraw", "list", "log", "backup", "restore")]):
        add_db(q)
    from dsdash.commands import users as users_command  # store users add/list/remove (issue 17)

    users_command.register(ss)
    p.set_defaults(func=lambda args: _no_subcommand(p))


def _no_subcommand(p) -> int:
    p.print_help(sys.stderr)
    return EXIT_MISUSE


def _say(text: str) -> None:
    print(f"dsdash store: {text}", file=sys.stderr)


def run_add(args) -> int:
    from dsdash.store import StoreError  # (the store's SQLAlchemy loads only for the commands that use it)

    missing = [str(f) for f in args.files if not f.is_file()]
    if missing:
        raise Misuse(_("no such file: {files}").format(files=", ".join(missing)))
    store = open_workspace(args)
    stored, clean = 0, True
    try:
        for path in args.files:
            # read once (size checked first): the same bytes are parsed in the worker process (time and
            # memory limits), hashed and stored
            try:
                data = read_path(path)
            except ReadError as exc:
                data, res = b"", refused(path.name, str(exc))
            else:
                res = import_files([(data, path.name)], population_group=args.group, reference_date=args.date,
                                   dtm_round=args.dtm_round)[0]
            for rep in res.reports:
                for prob in rep.grouped():
                    _say(str(prob))
            try:
                out = store.add(res, data, file_name=path.name, note=args.note, publish=args.publish,
                                adds_locations=args.adds_locations, supersedes=args.supersedes, on_stage=_say,
                                sharing=args.sharing, organisation=args.org)
            except StoreError as exc:
                raise Misuse(str(exc)) from None
            if out.duplicate_of is not None:
                _say(_("{file}: the same bytes are snapshot {id}; not stored again").format(file=path.name,
                                                                                              id=out.duplicate_of))
                clean = False
                continue
            if not out.stored:
                need = list_sep().join(option_to_give(p) for p in res.questions)
                _say(_("{file}: nothing stored ({why})").format(file=path.name, why=need or _("no row accepted")))
                clean = False
                continue
            stored += 1
            reps = res.reports
            rejected = sum(r.rows_rejected for r in reps)
            clean = clean and rejected == 0 and not any(r.errors for r in reps)
            _say(_("{file}: snapshot {id} ({kind}; {accepted} rows accepted, {rejected} rejected)").format(
                file=path.name, id=out.snapshot_id, kind=kinds.label(res.kind), accepted=f"{sum(r.rows_accepted for r in reps):,}",
                rejected=f"{rejected:,}") + (_("; published") if args.publish else ""))
            print(out.snapshot_id, flush=True)
    finally:
        store.close()
    if not stored:
        return EXIT_MISUSE
    return EXIT_OK if clean else EXIT_REJECTED


def _on_store(args, work):
    """``work(store)`` on the workspace of ``args``; a store error is a usage error (exit 2)."""
    from dsdash.store import StoreError

    store = open_workspace(args)
    try:
        return work(store)
    except StoreError as exc:
        raise Misuse(str(exc)) from None
    finally:
        store.close()


def _change(args, action: str) -> int:
    ids = _on_store(args, lambda store: getattr(store, action)(args.ids, why=args.why))
    print((_("published {ids}") if action == "publish" else _("withdrew {ids}")).format(ids=", ".join(map(str, ids))))
    return EXIT_OK


def run_publish(args) -> int:
    return _change(args, "publish")


def run_withdraw(args) -> int:
    return _change(args, "withdraw")


def _json_value(v):
    if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)) or v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat() if v == v.normalize() and v.tzinfo is None else v.isoformat()
    if hasattr(v, "isoformat"):
        return v.isoformat()
    if hasattr(v, "item"):
        return v.item()
    return v


def _records(df: pd.DataFrame, columns: list[str]) -> list[dict]:
    return [{c: _json_value(v) for c, v in zip(columns, row)} for row in df[columns].itertuples(index=False)]


def _text(v) -> str:
    v = _json_value(v)
    if v is None:
        return "—"
    if isinstance(v, bool):
        return _("yes") if v else _("no")
    if isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, str) and len(v) > 19 and v[10] == "T":
        return v[:16].replace("T", " ")
    return str(v)


def run_list(args) -> int:
    store = open_workspace(args)
    try:
        df = store.snapshots()
        where = store.location_text
    finally:
        store.close()
    if args.json:
        print(json.dumps(_records(df, LIST_JSON), ensure_ascii=False, indent=1))
        return EXIT_OK
    rows = [[_(h) for _c, h in LIST_TEXT]] + [[_text(getattr(r, c)) for c, _h in LIST_TEXT] for r in df.itertuples()]
    widths = [max(len(r[i]) for r in rows) for i in range(len(LIST_TEXT))]
    print(_("Workspace {where}: {n} snapshots, {published} published").format(where=where, n=len(df),
                                                                             published=int(df["published"].sum())))
    for r in rows:
        print("  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip())
    return EXIT_OK


def run_log(args) -> int:
    store = open_workspace(args)
    try:
        df = store.log()
    finally:
        store.close()
    if args.json:
        print(json.dumps(_records(df, list(df.columns)), ensure_ascii=False, indent=1))
        return EXIT_OK
    for r in df.itertuples():
        print(f"{r.at:%Y-%m-%d %H:%M:%S} UTC  {r.who}  {r.action} {r.snapshot_ids}" + (f"  ({r.why})" if r.why else ""))
    return EXIT_OK


def run_backup(args) -> int:
    where = _on_store(args, lambda store: (store.backup(args.file), store.location_text)[1])
    print(_("backed up {where} to {file}").format(where=where, file=args.file))
    return EXIT_OK


def run_restore(args) -> int:
    from dsdash.store import StoreError, restore_store, url_of

    try:
        store = restore_store(url_of(args.db) if args.db else None, args.file)
    except StoreError as exc:
        return fail(str(exc), "store restore")
    try:
        n = len(store.snapshots())
        print(_("restored {file} into {where} ({n} snapshots)").format(file=args.file, where=store.location_text, n=n))
    finally:
        store.close()
    return EXIT_OK

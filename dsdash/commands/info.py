"""``python -m dsdash info``: the tables of the published workspace (``--db``, or a ``--data-dir``), their rows and sources."""

from __future__ import annotations

import json

from dsdash.i18n import _
from dsdash.commands.args import EXIT_OK, add_data_dir, load_data


def register(sub) -> None:
    p = sub.add_parser("info", help=_("list the data's tables, rows and sources"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    add_data_dir(p)
    p.set_defaults(func=run)


def run(args) -> int:
    ds = load_data(args)
    src = ds.sources()
    if args.json:
        print(json.dumps(src.to_dict(orient="records"), ensure_ascii=False, indent=1))
    else:
        print(ds.name)
        for r in src.itertuples():
            print(_("  {table} {rows} rows  {sources} sources").format(table=f"{r.table:18}", rows=f"{r.rows:5}",
                                                                      sources=f"{r.sources:3}"))
    return EXIT_OK

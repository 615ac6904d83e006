"""``python -m dsdash validate FILE...``: import each file and print its validation report.

Exit 0 when every file loads (warnings allowed), 1 when a file or a row is rejected,
2 on misuse (no such file, a bad option).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path


def add_import_options(p) -> None:
    """Options shared with ``summary``: what a Master List's file may not say."""
    p.add_argument("files", nargs="+", metavar="FILE", help="CSV, XLSX, GeoJSON, zipped shapefile or GeoPackage")
    p.add_argument("--group", choices=["idp", "returnee"], help="population group of Master Lists")
    p.add_argument("--date", type=dt.date.fromisoformat, help="reference date of Master Lists (YYYY-MM-DD)")
    p.add_argument("--round", type=int, dest="dtm_round", help="DTM round of Master Lists")


def register(sub) -> None:
    p = sub.add_parser("validate", help="check files and print what happened to every row")
    add_import_options(p)
    p.add_argument("--json", action="store_true", help="print the reports as JSON")
    p.add_argument("--max-problems", type=int, default=200, help="problems printed per file (default 200)")
    p.set_defaults(func=run)


def import_paths(args):
    """Import each file of ``args.files``; None (after a message on stderr) if one is missing."""
    from dsdash.importers import import_file

    paths = [Path(f) for f in args.files]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        print(f"error: no such file: {', '.join(missing)}", file=sys.stderr)
        return None
    return [import_file(p.read_bytes(), p.name, population_group=args.group, reference_date=args.date,
                        dtm_round=args.dtm_round) for p in paths]


def run(args) -> int:
    from dsdash.importers.kinds import label

    results = import_paths(args)
    if results is None:
        return 2
    if args.json:
        print(json.dumps([r.as_dict() for res in results for r in res.reports], ensure_ascii=False, indent=1))
    else:
        for res in results:
            for r in res.reports:
                print(f"{r.file}{f' (sheet {r.sheet})' if r.sheet else ''}: {label(r.kind)}"
                      f"{f', encoding {r.encoding}' if r.encoding else ''}")
                print(f"  rows in {r.rows_in:,} = accepted {r.rows_accepted:,} + rejected {r.rows_rejected:,}"
                      f"; {len(r.errors)} errors, {len(r.warnings)} warnings")
                for note in r.notes:
                    print(f"  note: {note}")
                for p in r.problems[: args.max_problems]:
                    print(f"  {p}")
                if len(r.problems) > args.max_problems:
                    print(f"  … and {len(r.problems) - args.max_problems} more problems (--max-problems)")
    ok = all(r.ok for res in results for r in res.reports)
    return 0 if ok else 1

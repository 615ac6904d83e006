"""``python -m dsdash validate FILE...``: import each file and print its validation report.

Exit 0 when every file loads (warnings allowed), 1 when a file or a row is rejected,
2 on misuse (no such file, a bad option).
"""

from __future__ import annotations

import json

from dsdash.commands.args import EXIT_OK, EXIT_REJECTED, add_import_options, import_paths
from dsdash.importers.kinds import label


def register(sub) -> None:
    p = sub.add_parser("validate", help="check files and print what happened to every row")
    add_import_options(p)
    p.add_argument("--json", action="store_true", help="print the reports as JSON")
    p.add_argument("--max-problems", type=int, default=200, help="problems printed per file (default 200)")
    p.set_defaults(func=run)


def run(args) -> int:
    results = import_paths(args)
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
    return EXIT_OK if ok else EXIT_REJECTED

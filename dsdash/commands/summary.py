"""``python -m dsdash summary FILE... [--json]``: per file, what it holds.

For each file: ``kind``, ``rows_in``, ``rows_accepted``, ``rows_rejected``,
``locations``, ``households``, ``individuals``, and the same by governorate (COD-AB name
and p-code). Exit codes as ``validate``: 0 all loaded, 1 something rejected, 2 misuse or a
file that needs an option. A Master List without its reference date is still counted (its
rows are readable); the command asks for ``--date`` on stderr and exits 2.
"""

from __future__ import annotations

import json

from dsdash.commands.args import (
    EXIT_MISUSE, EXIT_OK, EXIT_REJECTED, add_import_options, ask_for_what_files_need, import_paths,
)
from dsdash.importers.summary import file_summary


def register(sub) -> None:
    p = sub.add_parser("summary", help="locations, households and individuals per file and governorate")
    add_import_options(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def run(args) -> int:
    results = import_paths(args)
    out = [file_summary(res) for res in results]
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        for s in out:
            print(f"{s['file']}: {s['kind']}; rows in {s['rows_in']:,} = accepted {s['rows_accepted']:,} + "
                  f"rejected {s['rows_rejected']:,}")
            print(f"  locations {s['locations']:,}, households {_n(s['households'])}, "
                  f"individuals {_n(s['individuals'])}")
            for g in s["by_governorate"]:
                print(f"  {g['admin1_code']} {g['admin1_name']:<16} locations {g['locations']:>6,}  "
                      f"households {_n(g['households']):>10}  individuals {_n(g['individuals']):>11}")
    if ask_for_what_files_need(results, "summary"):
        return EXIT_MISUSE
    return EXIT_OK if all(r.ok for res in results for r in res.reports) else EXIT_REJECTED


def _n(v) -> str:
    return "—" if v is None else f"{v:,}"

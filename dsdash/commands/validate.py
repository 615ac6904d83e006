"""``python -m dsdash validate FILE...``: import each file and print its validation report.

Problems are printed grouped by (column, reason), with their count and first rows.
Exit 0 when every file loads (warnings allowed), 1 when a file or a row is rejected,
2 on misuse (no such file, a bad option) and when a file needs an option to be used: a
Master List that does not state its reference date reports its rows as readable and asks
for ``--date``; one that does not state its population group (IDP or returnee) asks for
``--group`` (with them, the file loads).
"""

from __future__ import annotations

import json

from dsdash.i18n import _, ngettext
from dsdash.commands.args import (
    EXIT_MISUSE, EXIT_OK, EXIT_REJECTED, add_import_options, ask_for_what_files_need, import_paths,
)
from dsdash.importers.kinds import label


def register(sub) -> None:
    p = sub.add_parser("validate", help=_("check files and print what happened to every row"))
    add_import_options(p)
    p.add_argument("--json", action="store_true", help=_("print the reports as JSON"))
    p.add_argument("--max-problems", type=int, default=200,
                   help=_("problem lines printed per file, each a group of cells (default 200)"))
    p.set_defaults(func=run)


def run(args) -> int:
    results = import_paths(args)
    if args.json:
        print(json.dumps([r.as_dict() for res in results for r in res.reports], ensure_ascii=False, indent=1))
    else:
        for res in results:
            for r in res.reports:
                sheet = _(" (sheet {sheet})").format(sheet=r.sheet) if r.sheet else ""
                encoding = _(", encoding {encoding}").format(encoding=r.encoding) if r.encoding else ""
                print(f"{r.file}{sheet}: {label(r.kind)}{encoding}")
                errors, warnings = sum(p.count for p in r.errors), sum(p.count for p in r.warnings)
                print(_("  rows in {rows_in} = accepted {accepted} + rejected {rejected}; {errors}, {warnings}").format(
                    rows_in=f"{r.rows_in:,}", accepted=f"{r.rows_accepted:,}", rejected=f"{r.rows_rejected:,}",
                    errors=ngettext("{n} error", "{n} errors", errors).format(n=f"{errors:,}"),
                    warnings=ngettext("{n} warning", "{n} warnings", warnings).format(n=f"{warnings:,}")))
                for note in r.notes:
                    print(_("  note: {note}").format(note=note))
                groups = r.grouped()
                for p in groups[: args.max_problems]:
                    print(f"  {p}")
                if len(groups) > args.max_problems:
                    print(_("  … and {n} more problem lines (--max-problems)").format(n=len(groups) - args.max_problems))
    if ask_for_what_files_need(results, "validate"):
        return EXIT_MISUSE
    ok = all(r.ok for res in results for r in res.reports)
    return EXIT_OK if ok else EXIT_REJECTED

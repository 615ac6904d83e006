"""``python -m dsdash hotspots [FILE]``: the DTM return-hotspot rule.

Without FILE: the 2020 hotspot sub-districts and returnees in them per governorate
(the published workspace, --db, or a --data-dir). With FILE (CSV or XLSX of sub-district Return
Index scores): the rule applied to every row; rejected rows are reported by file, row and column.
Exit 0 when every row loaded, 1 when a row or the file was rejected, 2 on misuse.
"""

from __future__ import annotations

import sys

import pandas as pd
from pathlib import Path

from dsdash.i18n import _
from dsdash.trends import hotspots as H
from dsdash.commands.args import EXIT_OK, EXIT_REJECTED, Misuse, add_data_dir, load_data
from dsdash.export import to_csv_bytes
from dsdash.importers.readers import ReadError, read_path
from dsdash.importers.worker import read_subdistricts, refused_report


def register(sub) -> None:
    p = sub.add_parser("hotspots", help=_("apply the DTM return-hotspot rule (or list the 2020 hotspots)"))
    p.add_argument("file", nargs="?", type=Path, help=_("CSV/XLSX of sub-districts: admin3_name, "
                                                      "livelihoods_severity, safety_severity, returnees"))
    p.add_argument("--csv", metavar="OUT", type=Path, help=_("write the result as CSV (formulas neutralised)"))
    add_data_dir(p)
    p.set_defaults(func=run)


def run(args) -> int:
    rep = None
    if not args.file:
        t = H.hotspots_by_governorate(load_data(args))
        print(_("Return hotspots ({citation})").format(citation=H.HOTSPOT_CITATION))
        line = _("  {name} {returnees} returnees in {n} sub-districts")
        for r in t.itertuples():
            print(line.format(name=f"{r.admin1_name:14}", returnees=f"{int(r.returnees_in_hotspots):>9,}",
                              n=f"{int(r.subdistricts):2}"))
        total = _("total")
        print(line.format(name=f"{total:14}", returnees=f"{int(t['returnees_in_hotspots'].sum()):>9,}",
                          n=f"{int(t['subdistricts'].sum()):2}"))
        result = t
    else:
        path = args.file
        if not path.is_file():
            raise Misuse(_("no such file: {files}").format(files=path))
        try:  # the size checked before reading; parsed in the worker process (time and memory limits)
            df, rep = read_subdistricts(read_path(path), path.name)
        except ReadError as exc:
            df, rep = pd.DataFrame(), refused_report(path.name, str(exc))
        for p in rep.grouped():
            print(str(p), file=sys.stderr)
        result = H.apply_hotspot_rule(df) if len(df) else df
        print(_("{counts}; rule: {rule}").format(counts=rep.counts_text, rule=_(H.HOTSPOT_RULE_TEXT)))
        for r in result.itertuples() if len(result) else []:
            mark = _("HOTSPOT") if r.hotspot else "-"
            print(f"  {mark:8} {r.admin3_name}: {r.hotspot_reason}")
    if args.csv:
        args.csv.write_bytes(to_csv_bytes(result))
    return EXIT_REJECTED if rep is not None and not rep.ok else EXIT_OK

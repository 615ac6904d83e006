"""``python -m dsdash hotspots [FILE]``: the DTM return-hotspot rule.

Without FILE: the 2020 hotspot sub-districts and returnees in them per governorate
(embedded data, seed 002). With FILE (CSV or XLSX of sub-district Return Index scores):
the rule applied to every row; rejected rows are reported by file, row and column.
Exit 0 when every row loaded, 1 when a row or the file was rejected, 2 on misuse.
"""

from __future__ import annotations

import sys
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("hotspots", help="apply the DTM return-hotspot rule (or list the 2020 hotspots)")
    p.add_argument("file", nargs="?", help="CSV/XLSX of sub-districts: admin3_name, livelihoods_severity, "
                                           "safety_severity, returnees")
    p.add_argument("--csv", metavar="OUT", help="write the result as CSV (formulas neutralised)")
    p.set_defaults(func=run)


def run(args) -> int:
    from dsdash import hotspots as H
    from dsdash.importers.subdistricts import read_subdistrict_file
    from dsdash.export import to_csv_bytes

    if not args.file:
        from dsdash.dataset import load_embedded

        t = H.hotspots_by_governorate(load_embedded())
        print(f"Return hotspots ({H.HOTSPOT_SOURCE})")
        for r in t.itertuples():
            print(f"  {r.admin1_name:14} {int(r.returnees_in_hotspots):>9,} returnees in {int(r.subdistricts):2} "
                  f"sub-districts")
        print(f"  {'total':14} {int(t['returnees_in_hotspots'].sum()):>9,} returnees in "
              f"{int(t['subdistricts'].sum()):2} sub-districts")
        result = t
    else:
        path = Path(args.file)
        if not path.is_file():
            print(f"{path}: no such file", file=sys.stderr)
            return 2
        df, rep = read_subdistrict_file(path.read_bytes(), path.name)
        for p in rep.problems:
            print(str(p), file=sys.stderr)
        result = H.apply_hotspot_rule(df) if len(df) else df
        print(f"{path.name}: {rep.rows_in} rows in, {rep.rows_accepted} accepted, {rep.rows_rejected} rejected; "
              f"rule: {H.HOTSPOT_RULE_TEXT}")
        for r in result.itertuples() if len(result) else []:
            print(f"  {'HOTSPOT' if r.hotspot else '-':8} {r.admin3_name}: {r.hotspot_reason}")
    if args.csv:
        Path(args.csv).write_bytes(to_csv_bytes(result))
    if args.file and not rep.ok:
        return 1
    return 0

"""``python -m dsdash info``: the tables of the embedded data, their rows and sources."""

from __future__ import annotations

import json


def register(sub) -> None:
    p = sub.add_parser("info", help="list the embedded data's tables, rows and sources")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def run(args) -> int:
    from dsdash.dataset import load_embedded

    ds = load_embedded()
    src = ds.sources()
    if args.json:
        print(json.dumps(src.to_dict(orient="records"), ensure_ascii=False, indent=1))
    else:
        print(ds.name)
        for r in src.itertuples():
            print(f"  {r.table:18} {r.rows:5} rows  {r.sources:3} sources")
    return 0

"""``python -m dsdash pack``: build the meeting deck (PPTX) from the embedded data.

Examples:
    python -m dsdash pack --out dstwg.pptx
    python -m dsdash pack --out rwg.pptx --forum RWG --as-of 2024-03-01 --area "West Anbar"

Exit codes: 0 written, 2 misuse (bad date, unknown area, unwritable output).
"""

from __future__ import annotations

import sys
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("pack", help="build the meeting deck (PPTX) with native charts, map, gap matrix and sources")
    p.add_argument("--out", required=True, metavar="FILE.pptx", help="where to write the deck")
    p.add_argument("--as-of", dest="as_of", metavar="DATE",
                   help="coverage date, e.g. 2024-03-01 or 01/03/2024 (default: the data's latest date)")
    p.add_argument("--area", metavar="NAME",
                   help="a coordination area (ABC/JCF), governorate, site group or district (default: all)")
    p.add_argument("--forum", default="DSTWG", metavar="NAME", help="DSTWG (default), RWG, JCF …")
    p.add_argument("--data", metavar="DIR",
                   help="a folder of dsdash CSV tables (the layout of data/) instead of the embedded data")
    p.add_argument("--horizon", type=int, default=90, metavar="DAYS",
                   help="days ahead for 'at risk' cells and upcoming exits (default 90)")
    p.set_defaults(func=run)


def _fail(msg: str) -> int:
    print(f"dsdash pack: error: {msg}", file=sys.stderr)
    return 2


def run(args) -> int:
    from dsdash.dataset import load_embedded
    from dsdash.deck.build import build_deck
    from dsdash.parse import ParseError, parse_date

    out = Path(args.out)
    if out.suffix.lower() != ".pptx":
        return _fail(f"--out must name a .pptx file, got '{args.out}'")
    if not out.parent.exists():
        return _fail(f"the folder of --out does not exist: {out.parent}")
    as_of = None
    if args.as_of:
        try:
            as_of = parse_date(args.as_of)
        except ParseError as exc:
            return _fail(f"--as-of: {exc} (use YYYY-MM-DD, e.g. 2024-03-01)")
        if as_of is None:
            return _fail(f"--as-of '{args.as_of}' is not a date (use YYYY-MM-DD, e.g. 2024-03-01)")
    if args.horizon < 0:
        return _fail("--horizon must be 0 or more days")
    if args.data and not Path(args.data).is_dir():
        return _fail(f"--data must be a folder of dsdash CSV tables: {args.data}")
    try:
        ds = load_embedded(Path(args.data)) if args.data else load_embedded()
    except (OSError, ValueError) as exc:
        return _fail(f"cannot read the data in {args.data}: {exc}")
    rejected = [r for r in ds.reports if r.rows_rejected or r.errors]
    for r in rejected:
        print(f"dsdash pack: warning: {r.file}: {r.rows_rejected} row(s) rejected; first: "
              f"{r.errors[0] if r.errors else ''}", file=sys.stderr)
    try:
        data = build_deck(ds, as_of=as_of, forum=args.forum, area=args.area, horizon_days=args.horizon)
    except ValueError as exc:
        return _fail(str(exc))
    try:
        out.write_bytes(data)
    except OSError as exc:
        return _fail(f"cannot write {out}: {exc.strerror or exc}")
    print(f"wrote {out} ({len(data):,} bytes)")
    return 0

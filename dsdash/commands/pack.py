"""``python -m dsdash pack``: build the meeting deck (PPTX) from the published workspace (``--db``, or a ``--data-dir``).

Examples:
    python -m dsdash pack --out dstwg.pptx
    python -m dsdash pack --out rwg.pptx --forum RWG --as-of 2024-03-01 --area "West Anbar"
    python -m dsdash pack --out water.pptx --service water --site-group Rutba --data-dir my-tables/

The deck lists the partner exits within the --horizon.

Exit codes: 0 written, 2 misuse (bad date, unknown area or service, unreadable data folder,
unwritable output).
"""

from __future__ import annotations

import sys
from pathlib import Path

from dsdash.commands.args import EXIT_OK, Misuse, add_data_dir, add_view_options, load_data, view_from_args
from dsdash.deck.build import build_deck
from dsdash.policy import Shown
from dsdash.periods import warnings as period_warnings


def register(sub) -> None:
    p = sub.add_parser("pack", help="build the meeting deck (PPTX) with native charts, map, gap matrix and sources")
    p.add_argument("--out", required=True, type=Path, metavar="FILE.pptx", help="where to write the deck")
    p.add_argument("--area", metavar="NAME",
                   help="a coordination area (ABC/JCF), governorate, site group or district (default: all)")
    p.add_argument("--forum", default="DSTWG", metavar="NAME", help="DSTWG (default), RWG, JCF …")
    add_view_options(p)
    add_data_dir(p)
    p.set_defaults(func=run)


def run(args) -> int:
    out = args.out
    if out.suffix.lower() != ".pptx":
        raise Misuse(f"--out must name a .pptx file, got '{out}'")
    if not out.parent.exists():
        raise Misuse(f"the folder of --out does not exist: {out.parent}")
    view = view_from_args(args)
    ds = load_data(args)
    for r in (ds.reports if args.data_dir else []):  # the workspace's files were checked when stored
        if r.rows_rejected or r.errors:
            print(f"dsdash pack: warning: {r.file}: {r.rows_rejected} row(s) rejected; first: "
                  f"{r.errors[0] if r.errors else ''}", file=sys.stderr)
    for w in period_warnings(ds, view.resolved_as_of(ds)):  # the deck's title and gap slides say them too
        print(f"dsdash pack: warning: {w}", file=sys.stderr)
    try:
        data = build_deck(ds, filters=view.filters, as_of=view.as_of, forum=args.forum, area=args.area,
                          horizon_days=view.horizon_days,
                          audience=Shown(audience=args.audience).statement)
    except ValueError as exc:
        raise Misuse(str(exc)) from None
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise Misuse(f"cannot write {out}: {exc.strerror or exc}") from None
    print(f"wrote {out} ({len(data):,} bytes)")
    return EXIT_OK

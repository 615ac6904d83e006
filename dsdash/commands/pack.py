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

from dsdash.i18n import _
from dsdash.commands.args import EXIT_OK, Misuse, add_data_dir, add_view_options, load_data, view_from_args
from dsdash.policy import Shown
from dsdash.periods import warnings as period_warnings


def register(sub) -> None:
    p = sub.add_parser("pack", help=_("build the meeting deck (PPTX) with native charts, map, gap matrix and sources"))
    p.add_argument("--out", required=True, type=Path, metavar="FILE.pptx", help=_("where to write the deck"))
    p.add_argument("--area", metavar="NAME",
                   help=_("a coordination area (ABC/JCF), governorate, site group or district (default: all)"))
    p.add_argument("--forum", default="DSTWG", metavar="NAME", help=_("DSTWG (default), RWG, JCF …"))
    add_view_options(p)
    add_data_dir(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from dsdash.deck.build import build_deck  # (matplotlib and python-pptx load only for this command)

    out = args.out
    if out.suffix.lower() != ".pptx":
        raise Misuse(_("--out must name a .pptx file, got '{out}'").format(out=out))
    if not out.parent.exists():
        raise Misuse(_("the folder of --out does not exist: {folder}").format(folder=out.parent))
    view = view_from_args(args)
    ds = load_data(args)
    for r in (ds.reports if args.data_dir else []):  # the workspace's files were checked when stored
        if r.rows_rejected or r.errors:
            print(_("dsdash pack: warning: {file}: {n} row(s) rejected; first: {first}").format(
                file=r.file, n=r.rows_rejected, first=r.errors[0] if r.errors else ""), file=sys.stderr)
    for w in period_warnings(ds, view.resolved_as_of(ds)):  # the deck's title and gap slides say them too
        print(_("dsdash pack: warning: {warning}").format(warning=w), file=sys.stderr)
    try:
        data = build_deck(ds, filters=view.filters, as_of=view.as_of, forum=args.forum, area=args.area,
                          horizon_days=view.horizon_days,
                          audience=Shown(audience=args.audience).statement)
    except ValueError as exc:
        raise Misuse(str(exc)) from None
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise Misuse(_("cannot write {out}: {reason}").format(out=out, reason=exc.strerror or exc)) from None
    print(_("wrote {out} ({n} bytes)").format(out=out, n=f"{len(data):,}"))
    return EXIT_OK

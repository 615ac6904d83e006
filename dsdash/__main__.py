"""``python -m dsdash``: the command line, for scripts and checks.

Each module of :data:`COMMANDS` (in ``dsdash/commands/``) defines ``register(subparsers)``,
which adds its subparser and sets ``func`` (taking the parsed args, returning an exit code);
a new command is a new module there and one more entry in :data:`COMMANDS`. The options the
commands share (``--data-dir``, ``--as-of`` and the other view options, dates) are in
:mod:`dsdash.commands.args`.

Exit codes: 0 success, 1 a file or row was rejected (or a check failed), 2 misuse.
"""

from __future__ import annotations

import sys

from dsdash.commands import followup, gaps, hotspots, info, pack, store, summary, trends, validate
from dsdash.commands.args import EXIT_MISUSE, PROG, Misuse, Parser, fail
from dsdash.store import StoreError

#: The commands, in the order ``--help`` lists them.
COMMANDS = (validate, summary, gaps, followup, pack, trends, hotspots, info, store)


def build_parser() -> Parser:
    parser = Parser(prog=PROG, description="dsdash command line")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on misuse, 0 on --help
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_MISUSE
    try:
        return int(args.func(args) or 0)
    except (Misuse, StoreError) as exc:  # StoreError names the workspace file or URL
        return fail(str(exc), args.command)
    except KeyboardInterrupt:  # pragma: no cover
        return 130


if __name__ == "__main__":
    sys.exit(main())

"""``python -m dsdash``: the command line, for scripts and checks.

Each module of :data:`COMMANDS` (in ``dsdash/commands/``) defines ``register(subparsers)``,
which adds its subparser and sets ``func`` (taking the parsed args, returning an exit code);
a new command is a new module there and one more entry in :data:`COMMANDS`. The options the
commands share (``--data-dir``, ``--as-of`` and the other view options, dates) are in
:mod:`dsdash.commands.args`.

Exit codes: 0 success, 1 a file or row was rejected (or a check failed), 2 misuse.
"""

from __future__ import annotations

import os
import sys

from dsdash.commands import followup, gaps, hotspots, info, pack, store, summary, trends, validate
from dsdash.commands.args import EXIT_MISUSE, PROG, Misuse, Parser, add_lang, fail, lang_from_argv
from dsdash.i18n import _, language

#: The commands, in the order ``--help`` lists them.
COMMANDS = (validate, summary, gaps, followup, pack, trends, hotspots, info, store)


def build_parser() -> Parser:
    """The parser of every command, its help in the current language (:func:`main` builds it
    inside the language of ``--lang``); ``--lang`` is taken before or after the command."""
    parser = Parser(prog=PROG, description=_("dsdash command line"))
    add_lang(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.register(sub)
    for p in _subparsers(parser):
        add_lang(p)
    return parser


def _subparsers(parser):
    import argparse

    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for p in dict.fromkeys(action.choices.values()):
                yield p
                yield from _subparsers(p)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; every message, the help and the deck in the language of ``--lang``
    (default: ``$LC_ALL`` / ``$LANG``, else English), for this call only."""
    argv = sys.argv[1:] if argv is None else list(argv)
    with language(lang_from_argv(argv)):
        return _main(argv)


def _main(argv: list[str]) -> int:
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
    except Misuse as exc:
        return fail(str(exc), args.command)
    except Exception as exc:  # a StoreError names the workspace file or URL
        if not _is_store_error(exc):
            raise
        return fail(str(exc), args.command)
    except KeyboardInterrupt:  # pragma: no cover
        return 130


def _is_store_error(exc: Exception) -> bool:
    """Whether ``exc`` is a :class:`dsdash.store.StoreError`, without loading the store (SQLAlchemy) for
    the commands that never open it: one that was never imported cannot have raised."""
    core = sys.modules.get("dsdash.store.core")
    return core is not None and isinstance(exc, core.StoreError)


def _piped_main() -> int:
    """:func:`main` for ``python -m dsdash``: output piped into a reader that stops early (``| head``) ends
    the command quietly, as other command-line tools do, not with a traceback."""
    try:
        code = main()
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # (Python flushes stdout again at exit)
        return 141  # 128 + SIGPIPE, as a shell reports it


if __name__ == "__main__":
    sys.exit(_piped_main())

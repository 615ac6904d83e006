"""``python -m dsdash``: the command line, for scripts and checks.

Exit codes: 0 success, 1 a file or row was rejected (or a check failed), 2 misuse.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

import dsdash.commands


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dsdash", description="dsdash command line")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for mod in sorted(pkgutil.iter_modules(dsdash.commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"dsdash.commands.{mod.name}")
        if hasattr(module, "register"):
            module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on misuse, 0 on --help
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:  # pragma: no cover
        return 130


if __name__ == "__main__":
    sys.exit(main())

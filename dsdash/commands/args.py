"""What the commands share: one spelling of each option, one date parser, one way to report
misuse (exit code 2), one way to load the data and one way to read the view.

A command raises :class:`Misuse` for what cannot be done; ``python -m dsdash`` prints it with
:func:`fail` as ``dsdash COMMAND: error: …`` and exits 2, as it does for argparse's own errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path
from typing import NoReturn

from dsdash.dataset import Dataset, load_embedded
from dsdash.i18n import LANGUAGES, N_, _, pick
from dsdash.filters import Filters
from dsdash.parse import ParseError, parse_date
from dsdash.schema import DEFAULT_HORIZON_DAYS, Service
from dsdash.view import View

PROG = "python -m dsdash"

#: Exit codes of every command.
EXIT_OK, EXIT_REJECTED, EXIT_MISUSE = 0, 1, 2

#: Filter field → its option and help (each repeatable; values may also be comma-separated, as in the URL).
FILTER_OPTIONS: dict[str, tuple[str, str]] = {
    "admin1": ("--admin1", N_("only sites in this governorate (p-code, e.g. IQG01)")),
    "admin2": ("--admin2", N_("only sites in this district (p-code, e.g. IQG01Q02)")),
    "site_type": ("--site-type", N_("only sites of this type (e.g. small_informal)")),
    "site_group": ("--site-group", N_("only sites of this group (e.g. Rutba)")),
    "coordination_area": ("--coordination-area", N_("only sites of this ABC/JCF coordination area (e.g. West Anbar)")),
    "catchment": ("--catchment", N_("only sites in this catchment's districts (e.g. East Anbar; the table in use: "
                                    "--catchments, the workspace's or the bundled one)")),
    "population_group": ("--population-group", N_("only sites with this population group (idp, returnee)")),
    "services": ("--service", N_("only this service (e.g. water)")),
}


class Misuse(Exception):
    """The command line asks for something that cannot be done (exit code 2)."""


def fail(message: str, command: str | None = None) -> int:
    """Print ``dsdash COMMAND: error: MESSAGE`` on stderr and return the misuse exit code, 2."""
    print(_("dsdash{command}: error: {message}").format(command=" " + command if command else "", message=message),
          file=sys.stderr)
    return EXIT_MISUSE


def lang_from_env(environ=None) -> str:
    """The language of the command line when ``--lang`` is not given: ``$LC_ALL``, ``$LC_MESSAGES``
    or ``$LANG`` (the first set; ``ar_IQ.UTF-8`` gives Arabic), else English.

    >>> lang_from_env({"LANG": "ar_IQ.UTF-8"}), lang_from_env({"LC_ALL": "C.UTF-8", "LANG": "ar"}), lang_from_env({})
    ('ar', 'en', 'en')
    """
    import os

    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if env.get(var):
            return pick(env[var].split(".")[0])
    return pick(None)


def lang_from_argv(argv: list[str], environ=None) -> str:
    """The ``--lang`` of the command line wherever it stands (before or after the command), else
    :func:`lang_from_env`. An unknown value is left to argparse to refuse.

    >>> lang_from_argv(["pack", "--lang", "ar"], {}), lang_from_argv(["--lang=en", "info"], {"LANG": "ar"})
    ('ar', 'en')
    """
    for i, a in enumerate(argv):
        if a == "--":
            break
        if a == "--lang" and i + 1 < len(argv) and argv[i + 1] in LANGUAGES:
            return argv[i + 1]
        if a.startswith("--lang=") and a.split("=", 1)[1] in LANGUAGES:
            return a.split("=", 1)[1]
    return lang_from_env(environ)


def add_lang(p: argparse.ArgumentParser) -> None:
    """``--lang {en,ar}``: the language of the messages, the help and the deck (every command)."""
    p.add_argument("--lang", choices=list(LANGUAGES), default=argparse.SUPPRESS,
                   help=_("language of the messages, the help and the deck (default: from $LC_ALL or $LANG, "
                          "else en)"))


#: argparse's own error messages (English, from the standard library) and their message in the catalog.
_ARGPARSE_WORDS: list[tuple[re.Pattern, str]] = [(re.compile(p), m) for p, m in (
    (r"^the following arguments are required: (?P<names>.*)$", N_("the following arguments are required: {names}")),
    (r"^unrecognized arguments: (?P<args>.*)$", N_("unrecognized arguments: {args}")),
    (r"^argument (?P<name>\S+): invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)$",
     N_("argument {name}: invalid choice: {value} (choose from {choices})")),
    (r"^argument (?P<name>\S+): invalid (?P<type>\w+) value: (?P<value>.*)$",
     N_("argument {name}: invalid {type} value: {value}")),
    (r"^argument (?P<name>\S+): expected one argument$", N_("argument {name}: expected one argument")),
    (r"^argument (?P<name>\S+): (?P<message>.*)$", N_("argument {name}: {message}")),
)]


def argparse_words(message: str) -> str:
    """An error message of argparse in the language of the run (the option names and values as typed).

    >>> argparse_words("argument --horizon: invalid int value: 'ninety'")
    "argument --horizon: invalid int value: 'ninety'"
    """
    for pattern, words in _ARGPARSE_WORDS:
        m = pattern.match(message)
        if m:
            return _(words).format(**m.groupdict())
    return message


class Formatter(argparse.HelpFormatter):
    """argparse's help, its own words (``usage:``) in the language of the run."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors read like every other misuse (see :func:`fail`), then the usage;
    its help in the language of the run (build it inside :func:`dsdash.i18n.language`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = _("positional arguments")
        self._optionals.title = _("options")
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help=_("show this help message and exit"))

    def error(self, message: str) -> NoReturn:
        fail(argparse_words(message), self.prog.removeprefix(PROG).strip() or None)
        self.print_usage(sys.stderr)
        raise SystemExit(EXIT_MISUSE)


def date_arg(text: str) -> dt.date:
    """The argparse type of every date option: 2023-12-10, 10/12/2023 (day first) or Dec-2023.

    Examples:
        >>> date_arg("10/12/2023")
        datetime.date(2023, 12, 10)
        >>> date_arg("soon")
        Traceback (most recent call last):
        ...
        argparse.ArgumentTypeError: 'soon' is not a date (expected e.g. 2024-04-30, 30/04/2024, Apr-2024 or 'ongoing')
    """
    try:
        day = parse_date(text, dayfirst=True)
    except ParseError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if day is None:
        raise argparse.ArgumentTypeError(_("'{text}' is not a date (expected e.g. 2024-04-30 or 30/04/2024)")
                                         .format(text=text))
    return day


def add_data_dir(p: argparse.ArgumentParser) -> None:
    """``--db URL`` (the workspace whose published data the command reads) and ``--data-dir DIR`` (a folder
    of dsdash CSV tables instead: try without saving); see :func:`load_data`."""
    add_db(p)
    p.add_argument("--data-dir", dest="data_dir", type=Path, metavar="DIR",
                   help=_("a folder of dsdash CSV tables (the layout of data/) to use instead of the published "
                          "workspace (nothing is stored)"))
    p.add_argument("--catchments", dest="catchments", type=Path, metavar="FILE",
                   help=_("your own ABC/JCF catchments table (CSV/XLSX: catchment name, district p-codes, source, "
                          "assumed and reasoning) instead of the bundled data/catchments.csv, for this run (not "
                          "stored; 'store add FILE --publish' stores it)"))


def add_db(p: argparse.ArgumentParser) -> None:
    """``--db URL``: the workspace (a sqlite:/// or postgresql+psycopg:// URL, or a SQLite file path);
    default ``$DSDASH_DATABASE_URL``, else the embedded SQLite file (see :func:`dsdash.store.default_url`)."""
    p.add_argument("--db", metavar="URL",
                   help=_("the workspace: a database URL or a SQLite file (default: $DSDASH_DATABASE_URL, else "
                          "the embedded SQLite file in $DSDASH_HOME or ~/.local/share/dsdash)"))


def open_workspace(args: argparse.Namespace):
    """The :class:`~dsdash.store.Store` of ``--db``. Raises :class:`Misuse` (exit 2) when it cannot be opened."""
    from dsdash.store import StoreError, open_store, url_of

    db = getattr(args, "db", None)
    try:
        return open_store(url_of(db) if db else None)
    except StoreError as exc:
        raise Misuse(str(exc)) from None


def load_data(args: argparse.Namespace, results: list | None = None) -> Dataset:
    """The data a command reads: the published workspace (``--db``), or the tables of ``--data-dir``;
    with ``results`` (files of the command line), those files on top, not stored (try without saving).
    Raises :class:`Misuse` when the folder or the workspace cannot be read."""
    from dsdash.importers import build_dataset

    results = list(results or []) + catchments_file(args)
    folder = getattr(args, "data_dir", None)
    audience = getattr(args, "audience", None) or "confidential"
    if folder is None:
        store = open_workspace(args)
        try:
            ds = store.published_with(results) if results else store.published_dataset()
            if audience != "confidential":  # dsdash.policy: what the audience may see (issue 17)
                from dsdash.policy import apply, table_classes

                ds = apply(ds, audience, table_classes(store.table_sharing()))[0]
            from dsdash.catchments import use_dataset

            use_dataset(ds)  # the workspace's catchments table (a user's, once published) for this run
            return ds
        finally:
            store.close()
    if not folder.is_dir():
        raise Misuse(_("--data-dir: not a folder: {folder}").format(folder=folder))
    try:
        base = load_embedded(folder)
    except (OSError, ValueError) as exc:
        raise Misuse(f"--data-dir {folder}: {exc}") from None
    ds = build_dataset(results, base=base) if results else base
    if audience != "confidential":
        from dsdash.policy import apply

        ds = apply(ds, audience)[0]
    from dsdash.catchments import use_dataset

    use_dataset(ds)
    return ds


def catchments_file(args: argparse.Namespace) -> list:
    """``--catchments FILE`` imported (an empty list without it). Raises :class:`Misuse` when the file is
    missing, is not a catchments table, or gives no catchment (the command reports its rows as it does its files')."""
    path = getattr(args, "catchments", None)
    if path is None:
        return []
    if not path.is_file():
        raise Misuse(_("--catchments: no such file: {path}").format(path=path))
    from dsdash.catchments import use
    from dsdash.importers import import_file
    from dsdash.importers.catchments import KIND

    res = import_file(path.read_bytes(), path.name)
    if res.kind != KIND:
        raise Misuse(_("--catchments {file}: not a catchments table (a header naming the catchment and its "
                       "districts)").format(file=path.name))
    if not res.usable or not res.report.rows_accepted:
        raise Misuse(_("--catchments {counts}: no catchment accepted").format(counts=res.report.counts_text))
    use(res.tables["catchments"])
    return [res]


def add_view_options(p: argparse.ArgumentParser) -> None:
    """The options of a :class:`~dsdash.view.View`: ``--as-of``, ``--horizon`` and one per filter
    (see :func:`view_from_args`)."""
    p.add_argument("--as-of", dest="as_of", type=date_arg, metavar="DATE",
                   help=_("coverage date, e.g. 2023-12-10 or 10/12/2023 (default: the data's latest date)"))
    p.add_argument("--audience", choices=["public", "restricted", "confidential"], default="confidential",
                   help=_("whom the output is for: below a table's sharing class it is aggregated, small counts "
                          "suppressed, coordinates rounded (dsdash/policy.py, data/policy.toml; default "
                          "confidential: whoever can read the workspace)"))
    p.add_argument("--horizon", dest="horizon", type=int, default=DEFAULT_HORIZON_DAYS, metavar="DAYS",
                   help=_("a served cell whose every provider ends within DAYS is 'at risk' (default "
                          "{days})").format(days=DEFAULT_HORIZON_DAYS))
    for name, (option, text) in FILTER_OPTIONS.items():
        p.add_argument(option, dest=name, action="append", metavar=option[2:].upper().replace("-", "_"),
                       help=_("{text}; repeatable").format(text=_(text)))


def view_from_args(args: argparse.Namespace) -> View:
    """The view of :func:`add_view_options`' options. Raises :class:`Misuse` for a negative horizon
    or an unknown service."""
    if args.horizon < 0:
        raise Misuse(_("--horizon must be 0 or more days"))
    filters = Filters.from_query({name: ",".join(getattr(args, name) or ()) for name in FILTER_OPTIONS})
    bad = [s for s in filters.services if s not in Service.values()]
    if bad:
        raise Misuse(_("unknown --service {bad}; use one of {known}").format(bad=", ".join(bad),
                                                                            known=", ".join(Service.values())))
    return View(filters, args.as_of, args.horizon)


def add_import_options(p: argparse.ArgumentParser, *, files_required: bool = True) -> None:
    """The files to import, and what a Master List's file may not say (``validate``, ``summary``)."""
    p.add_argument("files", nargs="+" if files_required else "*", type=Path, metavar="FILE",
                   help=_("CSV, XLSX, GeoJSON, zipped shapefile or GeoPackage"))
    p.add_argument("--group", choices=["idp", "returnee"], help=_("population group of Master Lists whose file does not state it"))
    p.add_argument("--date", type=date_arg, help=_("reference date of Master Lists (YYYY-MM-DD)"))
    p.add_argument("--round", type=int, dest="dtm_round", help=_("DTM round of Master Lists"))


def import_paths(args: argparse.Namespace) -> list:
    """Import each file of ``args.files``. Raises :class:`Misuse` when one is missing."""
    missing = [str(p) for p in args.files if not p.is_file()]
    if missing:
        raise Misuse(_("no such file: {files}").format(files=", ".join(missing)))
    return import_path_files(list(args.files), args)


def import_path_files(paths, args: argparse.Namespace) -> list:
    """Import files in the worker process (:mod:`dsdash.importers.worker`: time and memory limits),
    each file's size checked before it is read (a file over the cap is refused unread)."""
    from dsdash.importers import refused
    from dsdash.importers.readers import ReadError, read_path
    from dsdash.importers.worker import import_files

    out: list = [None] * len(paths)
    todo = []
    for i, p in enumerate(paths):
        try:
            todo.append((i, read_path(p), p.name))
        except ReadError as exc:
            out[i] = refused(p.name, str(exc))
    done = import_files([(d, n) for _i, d, n in todo], population_group=args.group, reference_date=args.date,
                        dtm_round=args.dtm_round)
    for (i, _d, _n), res in zip(todo, done):
        out[i] = res
    return out


def ask_for_what_files_need(results: list, command: str) -> bool:
    """Say on stderr what the imported files still need from the command line (a Master List
    without its reference date needs ``--date``; without its population group, ``--group``),
    each question named. True when something is needed: the command then exits
    :data:`EXIT_MISUSE`, after printing what it read."""
    needed = [(r, p) for res in results for r in res.reports for p in r.questions]
    for r, p in needed:
        sheet = _(" (sheet {sheet})").format(sheet=r.sheet) if r.sheet else ""
        fail(f"{r.file}{sheet}: {option_question(p)}", command)
    return bool(needed)


def option_question(p) -> str:
    """What a question of an imported file asks of the command line (told by the question's
    answer, not by words in its reason: the same in every language)."""
    from dsdash.importers.questions import GROUP, answer_of

    if answer_of(p) == GROUP:
        return _("the population group (IDP or returnee) is needed: give it with --group (idp or returnee)")
    return _("the reference date is needed: give it with --date (e.g. --date 2024-04-30)")


def option_to_give(p) -> str:
    """The option that answers a question, in a few words ('give --date')."""
    from dsdash.importers.questions import GROUP, answer_of

    return _("give --group") if answer_of(p) == GROUP else _("give --date")


def code_words(column: str, code: object) -> str:
    """A vocabulary code (a service, a state, a status) as the command line prints it: the code
    itself in English (scripts and tests read these lines), its label in any other language.

    Examples:
        >>> from dsdash.i18n import language
        >>> code_words("service", "civil_documentation")
        'civil_documentation'
        >>> with language("ar"):
        ...     code_words("service", "health") != "health"
        True
    """
    from dsdash.i18n import current
    from dsdash.schema import value_label

    if code is None:
        return ""
    return str(code) if current() == "en" else str(value_label(column, code))


def frame_words(df):
    """A table for the command line: in English as it is; in another language, its columns and
    the codes of its vocabularies (:data:`dsdash.schema.VALUE_LABELS`) in words."""
    from dsdash.i18n import current
    from dsdash.schema import column_label

    if current() == "en":
        return df
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object or str(out[c].dtype) == "string":
            out[c] = [code_words(c, v) if isinstance(v, str) else v for v in out[c]]
    return out.rename(columns=lambda c: column_label(c))

"""The translation catalogs, kept in step with the code (issue 18): ``make catalogs``.

Messages are grouped by the part of the app that shows them, one catalog per group, so a
translator can take one part at a time:

- ``explore``: the Overview, Site map, Gaps and Who does what where pages, the sidebar, and
  the figures, states, services, coverage and map text they show;
- ``manage``: Trends, Meeting pack, Load your data, Workspace, Users and roles, the history,
  the store and the command line;
- ``charts``: the meeting deck, the charts of every page and the static map;
- ``imports``: what the importers and the validation say about a file.

``python -m dsdash.catalogs [--domain NAME]`` extracts each group's messages from its files
(``_``, ``N_``, ``ngettext``), adds the new ones to ``locale/<lang>/LC_MESSAGES/<group>.po``
(translations kept, messages no longer in the code marked obsolete) and compiles the ``.mo``
that :mod:`dsdash.i18n` reads. :func:`problems` is what the test checks.
"""

from __future__ import annotations

import argparse
import fnmatch
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

from dsdash.i18n import DEFAULT, LANGUAGES, LOCALE_DIR

ROOT = LOCALE_DIR.parents[1]
KEYWORDS = {"_": None, "gettext": None, "N_": None, "ngettext": (1, 2)}

# Which files' messages go to which catalog (paths relative to the checkout, fnmatch patterns;
# the first matching group wins). Every Python file of the app is in one group.
DOMAINS: dict[str, list[str]] = {
    "charts": ["dsdash/deck/*", "dsdash/charts.py", "dsdash/map/static.py", "dsdash/coverage/plots.py",
               "dsdash/trends/*"],
    "imports": ["dsdash/importers/*", "dsdash/parse.py", "dsdash/validate.py"],
    "manage": [
        "pages/trends.py", "pages/meeting.py", "pages/upload.py", "pages/workspace.py", "pages/admin.py",
        "ui/followup.py", "ui/workspace.py", "ui/auth.py", "ui/downloads.py", "ui/history.py", "ui/state.py",
        "dsdash/history.py", "dsdash/compose.py", "dsdash/export.py", "dsdash/commands/*", "dsdash/store/*",
        "dsdash/__main__.py", "dsdash/text.py", "dsdash/dataset.py", "dsdash/spatial.py",
        "dsdash/loading.py", "dsdash/trends_page.py",
    ],
    "explore": ["app.py", "ui/*", "pages/*", "dsdash/*"],
}
SOURCES = ["app.py", "ui", "pages", "dsdash"]


def domain_of(path: str) -> str:
    for domain, patterns in DOMAINS.items():
        if any(fnmatch.fnmatch(path, p) for p in patterns):
            return domain
    raise KeyError(path)


def source_files() -> list[str]:
    out = []
    for src in SOURCES:
        p = ROOT / src
        files = [p] if p.is_file() else sorted(p.rglob("*.py"))
        out += [f.relative_to(ROOT).as_posix() for f in files if "locale" not in f.parts]
    return out


def extract(domain: str) -> Catalog:
    """The messages the code of ``domain`` asks for, with where each is used."""
    cat = Catalog(domain=domain, project="dsdash")
    for rel in source_files():
        if domain_of(rel) != domain:
            continue
        for lineno, message, comments, context in extract_from_file("python", ROOT / rel, keywords=KEYWORDS):
            if message and (message[0] if isinstance(message, tuple) else message):
                cat.add(message, locations=[(rel, lineno)], auto_comments=comments, context=context)
    return cat


def po_path(lang: str, domain: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"


def read(lang: str, domain: str) -> Catalog:
    path = po_path(lang, domain)
    if not path.exists():
        return Catalog(locale=lang, domain=domain, project="dsdash")
    with path.open("rb") as fh:
        return read_po(fh, locale=lang, domain=domain)


def update(domain: str, langs: list[str] | None = None) -> dict[str, int]:
    """Bring each language's catalog of ``domain`` in step with the code; compile it.
    Returns the number of messages still untranslated per language."""
    template = extract(domain)
    left = {}
    for lang in langs or [code for code in LANGUAGES if code != DEFAULT]:
        cat = read(lang, domain)
        cat.update(template, no_fuzzy_matching=True, update_header_comment=False)
        cat.fuzzy = False
        path = po_path(lang, domain)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            write_po(fh, cat, width=100, sort_output=True, include_previous=False, omit_header=False,
                     ignore_obsolete=False, no_location=False)
        with path.with_suffix(".mo").open("wb") as fh:
            write_mo(fh, cat, use_fuzzy=False)
        left[lang] = sum(1 for m in cat if m.id and not _done(m))
    return left


def _done(message) -> bool:
    s = message.string
    return bool(all(s) if isinstance(s, tuple) else s) and not message.fuzzy


def _fields(text: str) -> set[str]:
    import string

    try:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
    except ValueError:
        return {"<bad format>"}


def _hashable(value):
    """A plural message's forms as a tuple (``read_mo`` gives lists)."""
    return tuple(value) if isinstance(value, list) else value


def problems(langs: list[str] | None = None) -> list[str]:
    """Everything that keeps the catalogs from covering the code, one line each: a message
    without a translation, a translation whose ``{placeholders}`` differ from the message's, a
    ``.mo`` that differs from its ``.po`` (run ``make catalogs``)."""
    out = []
    for lang in langs or [code for code in LANGUAGES if code != DEFAULT]:
        for domain in DOMAINS:
            template = extract(domain)
            cat = read(lang, domain)
            for m in template:
                if not m.id:
                    continue
                got = cat.get(m.id, context=m.context)
                where = f"{m.locations[0][0]}:{m.locations[0][1]}" if m.locations else "?"
                if got is None or not _done(got):
                    out.append(f"{lang}/{domain}: no translation for {m.id!r} ({where})")
                    continue
                ids = m.id if isinstance(m.id, tuple) else (m.id,)
                strs = got.string if isinstance(got.string, tuple) else (got.string,)
                want = set().union(*(_fields(i) for i in ids))
                for s in strs:
                    if _fields(s) - want:
                        out.append(f"{lang}/{domain}: {m.id!r} translated with placeholders {sorted(_fields(s))}")
            mo = po_path(lang, domain).with_suffix(".mo")
            if po_path(lang, domain).exists():
                if not mo.exists():
                    out.append(f"{lang}/{domain}: no .mo (run make catalogs)")
                else:
                    with mo.open("rb") as fh:
                        compiled = {(_hashable(m.id), m.context): _hashable(m.string) for m in read_mo(fh) if m.id}
                    wanted = {(_hashable(m.id), m.context): _hashable(m.string) for m in cat if m.id and _done(m)}
                    if compiled != wanted:
                        out.append(f"{lang}/{domain}: the .mo differs from the .po (run make catalogs)")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dsdash.catalogs", description=__doc__.splitlines()[0])
    parser.add_argument("--domain", action="append", choices=list(DOMAINS), help="only this catalog (repeatable)")
    parser.add_argument("--check", action="store_true", help="only list what is missing; exit 1 if anything is")
    args = parser.parse_args(argv)
    if args.check:
        found = problems()
        print("\n".join(found) or "catalogs complete")
        return 1 if found else 0
    for domain in args.domain or list(DOMAINS):
        left = update(domain)
        print(f"{domain}: " + ", ".join(f"{lang} {n} untranslated" for lang, n in left.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

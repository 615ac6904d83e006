"""What the Load your data page says and decides, in the reader's language (the page reads the
widgets, calls these and renders).

Examples:
    >>> waiting_text("idp.csv", 1)
    "idp.csv: 1 row readable; the reference date is needed. Give it under 'For DTM Master Lists whose file does not say' above: the data can be used once it is given."
    >>> problems_caption(3701, 2, 2)
    '2 problems, grouped by column and reason (3,701 cells): errors reject the row; warnings keep it; a question must be answered before the file is used.'
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib

from dsdash.i18n import N_, _, current, iso, ngettext
from dsdash.importers.questions import DATE, GROUP, answers
from dsdash.schema import POPULATION_GROUP_LABELS

#: The population-group choices of a Master List whose file does not say (None: as the file says).
GROUP_CHOICES = (None, "idp", "returnee")
#: How session-only presence sheets meet the seed's presence.
PRESENCE_MODES = {"replace": N_("replace the seed's presence"), "add": N_("add to the seed's presence")}
#: The sharing classes a file may be given at upload ("default": its tables' own classes).
SHARING_CHOICES = ("default", "public", "restricted", "confidential")
SHARING_WORDS = {
    "default": N_("Default for its tables (national and index figures public; Master Lists and presence restricted; "
                  "FVM and needs confidential)"),
    "public": N_("public (anyone: aggregated views, small counts suppressed)"),
    "restricted": N_("restricted (coordination partners signed in)"),
    "confidential": N_("confidential (admins of this workspace)"),
}
#: The sharing classes in one word each (a pick list's tail).
SHARING_NAMES = {"public": N_("public"), "restricted": N_("restricted"), "confidential": N_("confidential")}


def sharing_name(sharing: object) -> str:
    """
    >>> sharing_name("restricted"), sharing_name(None)
    ('restricted', '—')
    """
    return _(SHARING_NAMES[sharing]) if sharing in SHARING_NAMES else (str(sharing) if sharing else "—")


#: At most this many problem lines are shown on the page (the download holds them all).
PROBLEM_LINES = 5000


def group_label(group: str | None) -> str:
    """A population-group choice in words.

    >>> group_label(None), group_label("idp")
    ('as the file says', 'IDPs')
    """
    return _("as the file says") if group is None else _(POPULATION_GROUP_LABELS[group])


def presence_label(mode: str) -> str:
    return _(PRESENCE_MODES[mode])


def sharing_label(sharing: str) -> str:
    """A sharing choice in words (the classes of dsdash.policy, capitalised).

    >>> sharing_label("restricted")
    'Restricted (coordination partners signed in)'
    """
    words = _(SHARING_WORDS[sharing])
    return words if sharing == "default" else words[:1].upper() + words[1:]


def sharing_value(choice: str) -> str | None:
    """The sharing class to store: None for the tables' defaults."""
    return None if choice == "default" else choice


def file_key(data: bytes, name: str, group: str | None, date: dt.date | None, rnd: int | None) -> tuple:
    """What makes a file's import reusable within a session: its bytes, its name, the options, and the
    language its report is written in (the worker imports in the caller's language)."""
    return (hashlib.sha256(data).hexdigest(), name, group, date, rnd, current())


def reading_text(n: int, seconds_text: str) -> str:
    """
    >>> reading_text(2, "60 s")
    'Reading 2 files (at most 60 s each) …'
    """
    return ngettext("Reading {n} file (at most {seconds} each) …", "Reading {n} files (at most {seconds} each) …",
                    n).format(n=n, seconds=seconds_text)


def refused_whole(results: list) -> list[tuple[str, str]]:
    """(file, reason) of each file refused whole: a limit of the worker, a bomb, not a table."""
    return [(res.report.file, res.report.errors[0].reason) for res in results
            if res.report.rows_in == 0 and res.boundaries is None and res.report.errors]


def answers_for(res, group: str | None, date: dt.date | None, rnd: int | None) -> dict:
    """The options a file is read again with, from what the Upload page's "For DTM Master Lists whose
    file does not say" gives: the population group and the reference date for a file that asks for
    them (:mod:`dsdash.importers.questions`), the round for a Master List that states none. A file
    that states its own date, group or round keeps it: one answer on a page of several files never
    rewrites the others (a dated round-111 list read as the undated file's date would then replace
    it). Empty: the file as it was read.

    >>> from dsdash.importers import import_file
    >>> undated = import_file(b"Place ID,Governorate,Location Name,Families,Individuals\\n1,Anbar,X,1,6\\n", "a.csv")
    >>> answers_for(undated, "idp", dt.date(2024, 1, 31), 120)
    {'population_group': 'idp', 'reference_date': datetime.date(2024, 1, 31), 'dtm_round': 120}
    >>> dated = import_file(b"Place ID,Governorate,Location Name,Families,Individuals\\n1,Anbar,X,1,6\\n",
    ...                     "IDP_Master_List_R111_2019-10-31.csv")
    >>> answers_for(dated, "returnee", dt.date(2024, 1, 31), 120)
    {}
    """
    if res.kind != "dtm_master_list":
        return {}
    asked = set(answers(res.questions))
    out: dict = {}
    if group and GROUP in asked:
        out[GROUP] = group
    if date and DATE in asked:
        out[DATE] = date
    pop = res.tables.get("population")
    if rnd and pop is not None and len(pop) and pop["dtm_round"].isna().all():
        out["dtm_round"] = rnd
    return out


def import_answering(files: list[tuple[bytes, str]], cache: dict, group: str | None, date: dt.date | None,
                     rnd: int | None, *, read=None, busy=contextlib.nullcontext) -> list:
    """The Upload page's imports: each file read as it is, then again with the answers it asks for
    (:func:`answers_for`: never a file that states its own). ``cache``: this session's results by
    :func:`file_key` (never shared with other users); results of files no longer given are forgotten.
    ``read(data, name, **options)``: one import (default: in the worker process, with its time and memory
    limits); ``busy(n)``: a context around reading ``n`` files (the page's spinner)."""
    if read is None:
        from dsdash.importers.worker import import_one as read

    def run(options: list[dict]) -> list[tuple]:
        keys = [file_key(data, name, o.get(GROUP), o.get(DATE), o.get("dtm_round"))
                for (data, name), o in zip(files, options)]
        todo = [(k, f, o) for k, f, o in zip(keys, files, options) if k not in cache]
        if todo:
            with busy(len(todo)):
                for k, (data, name), o in todo:
                    cache[k] = read(data, name, **o)
        return keys

    first = run([{} for _f in files])
    keys = run([answers_for(cache[k], group, date, rnd) for k in first])
    for k in [k for k in cache if k not in set(keys) | set(first)]:
        del cache[k]
    return [cache[k] for k in keys]


def waiting_files(results: list) -> list[tuple[str, int]]:
    """(file, rows readable) of each file that waits for an answer (its reference date, its population group)."""
    return [(name, n) for name, n, _needs in waiting_answers(results)]


def waiting_answers(results: list) -> list[tuple[str, int, list[str]]]:
    """(file, rows readable, what it needs) of each file that waits for an answer; what it needs: the
    options that answer its questions (:data:`dsdash.importers.questions.ANSWERS`: the population group,
    the reference date), each named once."""
    return [(_("{file}, sheet '{sheet}'").format(file=r.file, sheet=iso(r.sheet)) if r.sheet and len(res.reports) > 1
             else r.file, r.rows_accepted, answers(r.questions))
            for res in results for r in res.reports if r.questions]  # each sheet that asks, with its own rows


def waiting_text(name: str, n: int, needs: list[str] | tuple[str, ...] = (DATE,)) -> str:
    """What a file waits for, and where to give it.

    >>> waiting_text("anbar.csv", 2, [GROUP])
    "anbar.csv: 2 rows readable; the population group (IDP or returnee) is needed. Pick it under 'For DTM Master Lists whose file does not say' above: the data can be used once it is given."
    """
    if GROUP in needs and DATE in needs:
        text = ngettext("{file}: {n} row readable; the population group (IDP or returnee) and the reference date "
                        "are needed. Give them under 'For DTM Master Lists whose file does not say' above: the data "
                        "can be used once they are given.",
                        "{file}: {n} rows readable; the population group (IDP or returnee) and the reference date "
                        "are needed. Give them under 'For DTM Master Lists whose file does not say' above: the data "
                        "can be used once they are given.", n)
    elif GROUP in needs:
        text = ngettext("{file}: {n} row readable; the population group (IDP or returnee) is needed. Pick it under "
                        "'For DTM Master Lists whose file does not say' above: the data can be used once it is given.",
                        "{file}: {n} rows readable; the population group (IDP or returnee) is needed. Pick it under "
                        "'For DTM Master Lists whose file does not say' above: the data can be used once it is given.",
                        n)
    else:
        text = ngettext("{file}: {n} row readable; the reference date is needed. Give it under 'For DTM Master Lists "
                        "whose file does not say' above: the data can be used once it is given.",
                        "{file}: {n} rows readable; the reference date is needed. Give it under 'For DTM Master Lists "
                        "whose file does not say' above: the data can be used once it is given.", n)
    return text.format(file=name, n=f"{n:,}")


def problems_caption(n_cells: int, n_lines: int, shown: int) -> str:
    """How many problem lines (grouped by column and reason), the cells they cover when more, and
    what errors, warnings and questions do; "No problems." when there is none.

    >>> problems_caption(0, 0, 0)
    'No problems.'
    >>> problems_caption(3701, 2, 2)
    '2 problems, grouped by column and reason (3,701 cells): errors reject the row; warnings keep it; a question must be answered before the file is used.'
    >>> problems_caption(1, 1, 1)
    '1 problem: errors reject the row; warnings keep it; a question must be answered before the file is used.'
    """
    if not n_lines:
        return _("No problems.")
    lines = ngettext("{n} problem", "{n} problems", n_lines).format(n=f"{n_lines:,}")
    if n_cells != n_lines:
        lines = _("{problems}, grouped by column and reason ({cells})").format(
            problems=lines, cells=ngettext("{n} cell", "{n} cells", n_cells).format(n=f"{n_cells:,}"))
    if shown < n_lines:
        lines = _("{problems}, first {n} shown").format(problems=lines, n=f"{shown:,}")
    return _("{problems}: errors reject the row; warnings keep it; a question must be answered before the file is "
             "used.").format(problems=lines)


def can_use(results: list) -> tuple[bool, str | None]:
    """Whether the files can be saved or tried, and why not (the buttons' help)."""
    waiting = waiting_answers(results)
    usable = any(res.usable for res in results) and not waiting
    needs = {a for _f, _n, need in waiting for a in need}
    if not waiting:
        return usable, None
    if needs == {GROUP, DATE}:
        return usable, _("waits for the population group and the reference date of the files above")
    if needs == {GROUP}:
        return usable, _("waits for the population group of the files above")
    return usable, _("waits for the reference date of the files above")


def boundaries_text(boundaries: dict) -> str:
    """
    >>> boundaries_text({"admin1": [1, 2]})
    'Boundaries loaded: admin1 (2 areas)'
    """
    parts = ", ".join(ngettext("{level} ({n} area)", "{level} ({n} areas)", len(v)).format(level=k, n=len(v))
                      for k, v in boundaries.items())
    return _("Boundaries loaded: {levels}").format(levels=parts)


def intro_text(max_bytes_text: str) -> str:
    return _("DTM Master Lists (IDP or returnee, CSV or XLSX, any round), partner presence sheets (3W/4W/5W, with "
             "or without HXL), FVM tables, and COD-AB boundaries (GeoJSON, zipped shapefile, GeoPackage). Up to "
             "{size} per file. Check the reports, then save the files to the workspace (publish them for everyone), "
             "or try them in this session only.").format(size=max_bytes_text.replace("MB", _("MB")))


#: The dates the reference-date field takes, and the date it names as an example.
DATE_MIN, DATE_MAX, DATE_EXAMPLE = dt.date(2014, 1, 1), dt.date(2035, 12, 31), dt.date(2024, 4, 30)

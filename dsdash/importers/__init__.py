"""Bring your own data: the files focal points and IMOs already have, imported as they are.

One entry point, :func:`import_file`, takes the bytes of a file and its name and returns
an :class:`ImportResult`: the kind detected, the tidy tables, and a
:class:`~dsdash.schema.LoadReport` that says what happened to every row (rows in =
accepted + rejected; each problem with file, sheet, row and column). It never raises on
bad input. :func:`build_dataset` turns several results into a :class:`~dsdash.dataset.Dataset`.

Kinds, each one record of the registry :data:`dsdash.importers.kinds.KINDS` (see the
modules for where each comes from and its caveats):

- ``dtm_master_list``: DTM Master Lists, IDP or returnee (:mod:`.dtm`);
- ``presence``: partner 3W/4W/5W sheets (:mod:`.presence`);
- ``fvm`` and ``movements`` (:mod:`.fvm`);
- ``boundaries``: COD-AB GeoJSON, zipped shapefile, GeoPackage (:mod:`.boundaries`);
- ``table:<name>``: a table of ours, as dsdash exports it (any table of ``schema.TABLES``; :mod:`.tidy`);
- ``subdistrict_severity``: sub-district Return Index scores, read on their own for the
  hotspot rule (:mod:`.subdistricts`), not by :func:`import_file`.

Example:
    >>> res = import_file(b"Place ID,Governorate,Location name,Families,Individuals\\n"
    ...                   b"1,Anbar,Kilo 7,10,60\\n", "IDP_master_list_2024-04-30.csv")
    >>> res.kind, res.report.rows_accepted, int(res.tables["population"]["individuals"].sum())
    ('dtm_master_list', 1, 60)
"""

from __future__ import annotations

import datetime as dt
import traceback
from dataclasses import dataclass, field

import pandas as pd

import dsdash.importers.kinds as kinds
from dsdash.dataset import Dataset, load_embedded
from dsdash.i18n import _, list_sep
from dsdash.importers.presence import resolve_names
from dsdash.importers.questions import need_text
from dsdash.importers.readers import RawTable, ReadError, check_size, file_format, read_table_file
from dsdash.schema import LoadReport, Problem

__all__ = ["ImportResult", "import_file", "build_dataset", "problems_frame", "reports_frame", "notes_frame",
           "ACCEPTED_TYPES", "refused"]

#: File name extensions the Upload page offers.
ACCEPTED_TYPES = ["csv", "txt", "tsv", "xlsx", "xlsm", "xls", "geojson", "json", "zip", "gpkg"]


@dataclass
class ImportResult:
    """What one file gave: its kind, tidy tables (validated), and its report."""

    kind: str
    tables: dict[str, pd.DataFrame]
    report: LoadReport
    boundaries: object = None  # a GeoDataFrame for kind "boundaries"
    extra_reports: list[LoadReport] = field(default_factory=list)  # other sheets that loaded

    @property
    def reports(self) -> list[LoadReport]:
        return [self.report, *self.extra_reports]

    @property
    def questions(self) -> list[Problem]:
        """What the file does not say and must be given before it is used (a Master List's date or
        population group: :mod:`dsdash.importers.questions`)."""
        return [p for r in self.reports for p in r.questions]

    @property
    def usable(self) -> bool:
        """Whether the file can go into a dataset: something accepted (or boundaries), nothing to answer."""
        return (self.report.rows_accepted > 0 or self.boundaries is not None) and not self.questions


def _failed(file: str, reason: str, kind: str = kinds.UNKNOWN, encoding: str | None = None) -> LoadReport:
    rep = LoadReport(file=file, kind=kind, encoding=encoding)
    rep.problems.append(Problem(file, reason))
    return rep


def refused(filename: str, reason: str) -> ImportResult:
    """The result for a file refused whole (a limit of the worker process, say): no rows, one error."""
    return ImportResult(kinds.UNKNOWN, {}, _failed(filename, reason))


def import_file(
    data: bytes,
    filename: str,
    *,
    population_group: str | None = None,
    reference_date: dt.date | None = None,
    dtm_round: int | None = None,
) -> ImportResult:
    """Import one file (any supported kind). Never raises on bad input.

    Args:
        data: the file's bytes. filename: its name (used for the format, the messages,
            and, for Master Lists, the population group, round and date it may state).
        population_group: "idp" or "returnee" for a Master List whose file does not say.
        reference_date: the Master List's date, when the file does not say.
        dtm_round: the DTM round, when the file does not say.
    """
    try:
        res = _import(data, filename, population_group, reference_date, dtm_round)
    except ReadError as exc:
        res = ImportResult(kinds.UNKNOWN, {}, _failed(filename, str(exc)))
    except RecursionError:
        res = refused(filename, _("the file is nested too deep to read (a hostile or damaged file); it is refused"))
    except Exception as exc:  # noqa: BLE001 - the contract: a message, never a traceback
        res = _out_of_memory(filename, exc) if _is_out_of_memory(exc) else _internal_error(filename, exc)
    for r in res.reports:
        r.check()
    return res


#: How libraries report memory they could not get when they do not raise MemoryError (a thread or a
#: library that cannot be mapped under the worker's RLIMIT_AS): the same refusal as a MemoryError.
_OUT_OF_MEMORY_WORDS = ("Resource temporarily unavailable", "Cannot allocate memory", "failed to map segment",
                        "bad_alloc", "Failed to launch worker thread", "can't start new thread")


def _is_out_of_memory(exc: BaseException) -> bool:
    return isinstance(exc, MemoryError) or any(w in str(exc) for w in _OUT_OF_MEMORY_WORDS)


def _out_of_memory(filename: str, exc: BaseException) -> ImportResult:
    """In the worker process, past its memory limit (dsdash.importers.worker)."""
    from dsdash.importers.worker import Limits, note_memory_error

    note_memory_error()  # that worker is not given another file
    return refused(filename, _("this file needs more than {memory} of memory to read; it is refused").format(
        memory=Limits.from_env().memory_text))


def _internal_error(filename: str, exc: BaseException) -> ImportResult:
    rep = _failed(filename, _("could not be imported ({error}: {detail}); please report this file").format(
        error=type(exc).__name__, detail=exc))
    rep.notes.append(_("internal error: ") + traceback.format_exc(limit=3).strip().splitlines()[-1])
    return ImportResult(kinds.UNKNOWN, {}, rep)


def _import(data, filename, population_group, reference_date, dtm_round) -> ImportResult:
    check_size(data)
    whole = kinds.file_kind(file_format(data, filename))
    if whole is not None:
        gdf, rep = whole.read_file(data, filename)  # boundaries: a GeoDataFrame
        return ImportResult(whole.name, {}, rep, boundaries=gdf)
    sheets = read_table_file(data, filename)
    given = {"population_group": population_group, "reference_date": reference_date, "dtm_round": dtm_round}
    found = [(raw, hit) for raw in sheets if (hit := kinds.detect(raw.frame)) is not None]
    if not found:
        names = ", ".join(f"'{r.sheet}'" for r in sheets if r.sheet)
        raise ReadError(
            (_("not recognised: no header naming locations with families/individuals (DTM Master List), partners "
               "with services (3W/4W/5W), FVM indicators or origins and destinations was found in the first "
               "30 rows of sheets {names}") if names else
             _("not recognised: no header naming locations with families/individuals (DTM Master List), partners "
               "with services (3W/4W/5W), FVM indicators or origins and destinations was found in the first "
               "30 rows")).format(names=names))
    results = [_import_sheet(raw, kind, header, filename, given) for raw, (kind, header) in found]
    main = results[0]
    for r in results[1:]:
        for t, df in r.tables.items():
            main.tables[t] = pd.concat([main.tables[t], df], ignore_index=True) if t in main.tables else df
        main.extra_reports.append(r.report)
    skipped = [r.sheet for r in sheets if r.sheet and r.sheet not in {raw.sheet for raw, _ in found}]
    if skipped:
        main.report.notes.append(_("sheets not recognised, not read: {sheets}").format(sheets=", ".join(skipped)))
    return main


def _import_sheet(raw: RawTable, kind: kinds.Kind, header, filename: str, given: dict) -> ImportResult:
    tables, rep = kind.import_sheet(raw, header, file=filename, **{o: given[o] for o in kind.options})
    rep.notes.extend(n for n in raw.notes if n not in rep.notes)  # how the file was read (readers)
    rep.problems.extend(cell_problems(raw, filename, getattr(header, "row", None),
                                      error_rows={p.row for p in rep.problems if p.level == "error"}))
    return ImportResult(rep.kind, tables, rep)


def cell_problems(raw: RawTable, filename: str, header_row: int | None, error_rows: set | None = None
                  ) -> list[Problem]:
    """The cells the reader emptied (too long, a formula without a saved value) and what it
    noticed about the whole file (mixed encodings), as problems naming the row and the column
    header. The row's fate is the kind's: a count it cannot read rejects its row, and the
    cell's problem is then an error; on a row the kind kept (``error_rows``: the rows it
    rejected), a warning."""
    out = []
    for r, c, reason, level in raw.cell_problems:
        if error_rows is not None and r is not None and level == "error" and (r + 1) not in error_rows:
            level = "warning"
        column = None
        if c is not None:
            head = raw.frame.iat[header_row, c] if header_row is not None and c < raw.frame.shape[1] else None
            column = str(head).strip() if head is not None and str(head).strip() else _("column {n}").format(n=c + 1)
        out.append(Problem(filename, reason, row=None if r is None else r + 1, column=column, sheet=raw.sheet,
                           level=level))
    return out


# --------------------------------------------------------------------------- datasets
def build_dataset(results: list[ImportResult], base=None, presence_mode: str = "replace", name: str | None = None,
                  adds_locations: bool = False):
    """A Dataset from imported files, on top of ``base`` (default: the embedded data), composed by
    the rules of :mod:`dsdash.compose` (the same rules as the workspace store's published view).

    ``base`` is the seed part; each usable result is a part, in the order given. In short:
    Master Lists accumulate as rounds and supersede the base's sites, population, needs and (with
    the default ``presence_mode="replace"``) presence, unless ``adds_locations``; presence sheets
    replace the base's presence (``"add"`` keeps it beside them; a newer sheet for the same
    partner and area supersedes an older one); the newest FVM table replaces the base's; movements
    are added; a table of ours replaces the base's table of that name; boundaries go into
    ``Dataset.boundaries`` by level. A file with an open question (a Master List without its
    reference date or population group) is not used until it is answered (:attr:`ImportResult.usable`); every file's
    report is kept (``Dataset.reports``).
    """
    from dsdash.compose import EMBEDDED, Part, compose

    base = base if base is not None else load_embedded()
    parts = [Part(EMBEDDED, dict(base.tables), boundaries=dict(base.boundaries), label="seed")]
    parts += [Part(r.kind, r.tables, r.reports, boundaries=r.boundaries, label=r.report.file,
                   adds_locations=adds_locations and r.kind == "dtm_master_list")
              for r in results if r.usable]
    ds = compose(parts, presence_mode=presence_mode, name=name, origin="upload")
    ds.reports = [rep for r in results for rep in r.reports]
    return ds


# --------------------------------------------------------------------------- report views
def reports_frame(reports: list[LoadReport]) -> pd.DataFrame:
    """One row per report: file, sheet, kind, encoding, rows in / accepted / rejected, problem
    counts (cells), and what the file still needs before it can be used."""
    return pd.DataFrame([{
        "file": r.file, "sheet": r.sheet or "", "kind": kinds.label(r.kind), "encoding": r.encoding or "",
        "rows in": r.rows_in, "accepted": r.rows_accepted, "rejected": r.rows_rejected,
        "errors": sum(p.count for p in r.errors), "warnings": sum(p.count for p in r.warnings),
        "needs": list_sep().join(_need(p) for p in r.questions),
    } for r in reports], columns=["file", "sheet", "kind", "encoding", "rows in", "accepted", "rejected", "errors",
                                  "warnings", "needs"])


def _need(p: Problem) -> str:
    return need_text(p) if p.level == "question" else p.reason  # a Master List's date or population group


def problems_frame(reports: list[LoadReport], limit: int | None = None) -> pd.DataFrame:
    """The problems of the reports, grouped by (column, reason) (:meth:`LoadReport.grouped`): level,
    file, sheet, row (the first), column, count (cells), rows (the first ones), reason."""
    rows = []
    for r in reports:
        for p in r.grouped():
            d = p.as_dict()
            more = " …" if p.count > len(d["rows"]) else ""
            d["rows"] = ", ".join(str(x) for x in d["rows"]) + more if d["rows"] else ""
            rows.append(d)
    if limit is not None:
        rows = rows[:limit]
    df = pd.DataFrame(rows, columns=["level", "file", "sheet", "row", "column", "count", "rows", "reason"])
    df["row"] = df["row"].astype("Int64")
    df["count"] = df["count"].astype("Int64")
    df["sheet"] = df["sheet"].fillna("")
    df["column"] = df["column"].fillna("")
    return df


def notes_frame(reports: list[LoadReport]) -> pd.DataFrame:
    """What the importer noted about each file (header row, meta data found, columns not used …)."""
    rows = [{"file": r.file, "sheet": r.sheet or "", "note": n} for r in reports for n in r.notes]
    return pd.DataFrame(rows, columns=["file", "sheet", "note"])

"""Bring your own data: the files focal points and IMOs already have, imported as they are.

One entry point, :func:`import_file`, takes the bytes of a file and its name and returns
an :class:`ImportResult`: the kind detected, the tidy tables, and a
:class:`~dsdash.schema.LoadReport` that says what happened to every row (rows in =
accepted + rejected; each problem with file, sheet, row and column). It never raises on
bad input. :func:`build_dataset` turns several results into a :class:`~dsdash.dataset.Dataset`.

Kinds (see the modules for where each comes from and its caveats):

- ``dtm_master_list``: DTM Master Lists, IDP or returnee (:mod:`.dtm`);
- ``presence``: partner 3W/4W/5W sheets (:mod:`.presence`);
- ``fvm`` and ``movements`` (:mod:`.fvm`);
- ``boundaries``: COD-AB GeoJSON, zipped shapefile, GeoPackage (:mod:`dsdash.boundaries`);
- ``table:<name>``: a table of ours, as dsdash exports it (any table of ``schema.TABLES``).

Example:
    >>> res = import_file(b"Place ID,Governorate,Location name,Families,Individuals\\n"
    ...                   b"1,Anbar,Kilo 7,10,60\\n", "IDP_master_list_2024-04-30.csv")
    >>> res.kind, res.report.rows_accepted, int(res.tables["population"]["individuals"].sum())
    ('dtm_master_list', 1, 60)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import traceback
from dataclasses import dataclass, field

import pandas as pd

from dsdash.importers.detect import find_header, find_tidy_table
from dsdash.importers.readers import MAX_BYTES, RawTable, ReadError, file_format, read_csv_bytes, read_xlsx
from dsdash.schema import TABLES, LoadReport, Problem

__all__ = ["ImportResult", "import_file", "build_dataset", "MAX_BYTES", "problems_frame", "reports_frame",
           "notes_frame", "ACCEPTED_TYPES"]

#: File name extensions the Upload page offers.
ACCEPTED_TYPES = ["csv", "txt", "tsv", "xlsx", "xlsm", "xls", "geojson", "json", "zip", "gpkg"]

KIND_LABELS = {
    "dtm_master_list": "DTM Master List",
    "presence": "partner presence (3W/4W/5W)",
    "fvm": "FVM statistics",
    "movements": "movements",
    "boundaries": "boundaries (COD-AB)",
    "unknown": "not recognised",
}


@dataclass
class ImportResult:
    """What one file gave: its kind, tidy tables (validated), and its report."""

    kind: str
    tables: dict[str, pd.DataFrame]
    report: LoadReport
    boundaries: object = None  # a GeoDataFrame for kind "boundaries"
    sha256: str = ""
    extra_reports: list[LoadReport] = field(default_factory=list)  # other sheets that loaded

    @property
    def reports(self) -> list[LoadReport]:
        return [self.report, *self.extra_reports]


def _failed(file: str, reason: str, kind: str = "unknown", encoding: str | None = None) -> LoadReport:
    rep = LoadReport(file=file, kind=kind, encoding=encoding)
    rep.problems.append(Problem(file, reason))
    return rep


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
    sha = hashlib.sha256(data).hexdigest()
    try:
        res = _import(data, filename, population_group, reference_date, dtm_round)
    except ReadError as exc:
        res = ImportResult("unknown", {}, _failed(filename, str(exc)))
    except Exception as exc:  # noqa: BLE001 - the contract: a message, never a traceback
        rep = _failed(filename, f"could not be imported ({type(exc).__name__}: {exc}); please report this file")
        rep.notes.append("internal error: " + traceback.format_exc(limit=3).strip().splitlines()[-1])
        res = ImportResult("unknown", {}, rep)
    res.sha256 = sha
    for r in res.reports:
        r.check()
    return res


def _import(data, filename, population_group, reference_date, dtm_round) -> ImportResult:
    if len(data) > MAX_BYTES:
        raise ReadError(f"the file is {len(data) / 1e6:.1f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB")
    if not data:
        raise ReadError("the file is empty")
    fmt = file_format(data, filename)
    if fmt in ("zip", "gpkg", "geojson"):
        from dsdash.boundaries import read_boundaries

        gdf, rep = read_boundaries(data, filename)
        return ImportResult("boundaries", {}, rep, boundaries=gdf)
    if fmt == "xls":
        raise ReadError("old Excel .xls files are not read: save it as .xlsx (or CSV UTF-8) and load it again")
    sheets = read_xlsx(data) if fmt == "xlsx" else [read_csv_bytes(data)]
    found = []
    for raw in sheets:
        kind, header = _detect(raw)
        if kind:
            found.append((raw, kind, header))
    if not found:
        names = ", ".join(f"'{r.sheet}'" for r in sheets if r.sheet)
        raise ReadError(
            "not recognised: no header naming locations with families/individuals (DTM Master List), partners "
            "with services (3W/4W/5W), FVM indicators or origins and destinations was found in the first "
            f"30 rows{f' of sheets {names}' if names else ''}")
    results = []
    for raw, kind, header in found:
        results.append(_import_sheet(raw, kind, header, filename, population_group, reference_date, dtm_round))
    main = results[0]
    for r in results[1:]:
        for t, df in r.tables.items():
            main.tables[t] = pd.concat([main.tables[t], df], ignore_index=True) if t in main.tables else df
        main.extra_reports.append(r.report)
    skipped = [r.sheet for r in sheets if r.sheet and r.sheet not in {f[0].sheet for f in found}]
    if skipped:
        main.report.notes.append("sheets not recognised, not read: " + ", ".join(skipped))
    return main


def _detect(raw: RawTable):
    if raw.frame.empty:
        return None, None
    tidy = find_tidy_table(raw.frame)
    if tidy:
        return tidy.kind, tidy
    from dsdash.importers.fvm import find_fvm_wide

    header = find_header(raw.frame)
    if header is not None:
        return header.kind, header
    wide = find_fvm_wide(raw.frame)
    if wide is not None:
        return "fvm", wide
    return None, None


def _import_sheet(raw, kind, header, filename, population_group, reference_date, dtm_round) -> ImportResult:
    if kind == "dtm_master_list":
        from dsdash.importers.dtm import import_master_list

        tables, rep = import_master_list(raw, header, file=filename, population_group=population_group,
                                         reference_date=reference_date, dtm_round=dtm_round)
    elif kind == "presence":
        from dsdash.importers.presence import import_presence

        tables, rep = import_presence(raw, header, file=filename)
    elif kind == "fvm":
        from dsdash.importers.fvm import import_fvm

        tables, rep = import_fvm(raw, header, file=filename)
    elif kind == "movements":
        from dsdash.importers.fvm import import_movements

        tables, rep = import_movements(raw, header, file=filename)
    else:
        tables, rep = _import_tidy(raw, header, filename)
    return ImportResult(kind, tables, rep)


def _import_tidy(raw: RawTable, header, filename: str):
    from dsdash.validate import check_table
    from dsdash.validate import coerce

    name = header.kind.split(":", 1)[1]
    spec = TABLES[name]
    start = header.row + 1 + (1 if header.hxl_row is not None else 0)
    body = raw.frame.iloc[start:]
    from dsdash.importers.common import blank_rows

    body = body[~blank_rows(body)]
    df = pd.DataFrame({c: body[j].to_numpy(dtype=object) for c, j in header.columns.items()})
    rep = LoadReport(file=filename, kind=header.kind, encoding=raw.encoding, sheet=raw.sheet)
    typed, _ = check_table(df, spec, body.index.to_numpy() + 1, file=filename, sheet=raw.sheet, report=rep)
    return {name: coerce(typed, spec)}, rep


# --------------------------------------------------------------------------- datasets
def build_dataset(results: list[ImportResult], base=None, presence_mode: str = "add", name: str | None = None):
    """A Dataset from imported files, on top of ``base`` (default: the embedded data).

    - Master Lists (any number of rounds, IDP and returnee) *replace* the base's sites
      and population (and drop the base's needs, which are about the base's sites): their population rows build a history (one row per site, group and
      date; a later file wins on a repeated key, with a warning); a site's attributes come
      from its newest round.
    - Presence sheets are *added* to the base's presence (``presence_mode="add"``) or
      *replace* it (``"replace"``); site and district names are resolved to ids against
      the sites of the new dataset.
    - FVM tables replace the base's FVM table; movements are added; a table of ours
      replaces the base's table of that name; boundaries go into ``Dataset.boundaries``.
    - Every file's report is kept (``Dataset.reports``).
    """
    from dsdash.dataset import Dataset, load_embedded
    from dsdash.importers.presence import resolve_names
    from dsdash.validate import coerce

    if presence_mode not in ("add", "replace"):
        raise ValueError("presence_mode is 'add' or 'replace'")
    base = base if base is not None else load_embedded()
    tables = dict(base.tables)
    boundaries = dict(base.boundaries)
    reports = []
    ok = [r for r in results if r.report.rows_accepted > 0 or r.boundaries is not None]
    by_table: dict[str, list[pd.DataFrame]] = {}
    for r in ok:
        for t, df in r.tables.items():
            by_table.setdefault(t, []).append(df)
        if r.boundaries is not None and len(r.boundaries):
            for level in ("adm1", "adm2"):
                sub = r.boundaries[r.boundaries["level"] == level]
                if len(sub):
                    boundaries[level] = sub.reset_index(drop=True)
    for r in results:
        reports.extend(r.reports)
    file_reports = {r.report.file: r.report for r in results}
    ml = any(r.kind == "dtm_master_list" for r in ok)
    if ml:
        pop = pd.concat(by_table.get("population", []), ignore_index=True)
        pop = pop.sort_values("reference_date", kind="stable")
        key = ["site_id", "population_group", "reference_date"]
        dup = pop.duplicated(key, keep="last")
        if dup.any():
            for src in pop.loc[dup, "source"].head(20):
                f = str(src).split(" (DTM")[0].split(" sheet ")[0]
                rep = file_reports.get(f)
                if rep is not None:
                    rep.problems.append(Problem(rep.file, f"the same site, group and date is in a later file: "
                                                          f"that one is used ({src})", level="warning"))
            pop = pop[~dup]
        tables["population"] = coerce(pop.reset_index(drop=True), TABLES["population"])
        sites = pd.concat(by_table.get("sites", []), ignore_index=True)
        newest = pop.groupby("site_id")["reference_date"].max()
        sites = sites.assign(_d=sites["site_id"].map(newest)).sort_values("_d", kind="stable")
        sites = sites.drop_duplicates("site_id", keep="last").drop(columns="_d")
        tables["sites"] = coerce(sites.sort_values("site_id").reset_index(drop=True), TABLES["sites"])
        bd = by_table.get("breakdowns", [])
        tables["breakdowns"] = coerce(pd.concat(bd, ignore_index=True), TABLES["breakdowns"]) if bd \
            else tables["breakdowns"].iloc[0:0]
        tables["needs"] = base.tables["needs"].iloc[0:0]  # the embedded needs are about the embedded sites
    for t, frames in by_table.items():
        if t in ("sites", "population", "breakdowns") and ml:
            continue
        new = pd.concat(frames, ignore_index=True)
        if t == "presence":
            new = resolve_names(new, tables["sites"], file_reports)
            if presence_mode == "add":
                new = pd.concat([base.tables["presence"], new], ignore_index=True)
        elif t == "movements":
            new = pd.concat([base.tables["movements"], new], ignore_index=True)
        tables[t] = coerce(new.reset_index(drop=True), TABLES[t])
    files = ", ".join(r.report.file for r in ok) or "no file loaded"
    label = name or f"Uploads: {files}" + ("" if ml else " (with the embedded sites)")
    return Dataset(name=label, tables=tables, reports=reports, origin="upload", boundaries=boundaries)


# --------------------------------------------------------------------------- report views
def reports_frame(reports: list[LoadReport]) -> pd.DataFrame:
    """One row per report: file, sheet, kind, encoding, rows in / accepted / rejected, counts."""
    return pd.DataFrame([{
        "file": r.file, "sheet": r.sheet or "", "kind": KIND_LABELS.get(r.kind, r.kind), "encoding": r.encoding or "",
        "rows in": r.rows_in, "accepted": r.rows_accepted, "rejected": r.rows_rejected,
        "errors": len(r.errors), "warnings": len(r.warnings),
    } for r in reports], columns=["file", "sheet", "kind", "encoding", "rows in", "accepted", "rejected", "errors",
                                  "warnings"])


def problems_frame(reports: list[LoadReport], limit: int | None = None) -> pd.DataFrame:
    """Every problem of the reports as a table: level, file, sheet, row, column, reason."""
    rows = [p.as_dict() for r in reports for p in r.problems]
    if limit is not None:
        rows = rows[:limit]
    df = pd.DataFrame(rows, columns=["level", "file", "sheet", "row", "column", "reason"])
    df["row"] = df["row"].astype("Int64")
    df["sheet"] = df["sheet"].fillna("")
    df["column"] = df["column"].fillna("")
    return df


def notes_frame(reports: list[LoadReport]) -> pd.DataFrame:
    """What the importer noted about each file (header row, meta data found, columns not used …)."""
    rows = [{"file": r.file, "sheet": r.sheet or "", "note": n} for r in reports for n in r.notes]
    return pd.DataFrame(rows, columns=["file", "sheet", "note"])

"""The Dataset: every table of the data model (dsdash.schema.TABLES) in one bundle, with where it came from.

Every page reads the active Dataset. The embedded default (:func:`load_embedded`) is
transcribed from the seed documents and published DTM figures in ``data/``; a user's
uploads build another (see :mod:`dsdash.importers`). Tables are validated once, here or
in the importers, and are typed as :mod:`dsdash.validate` says.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from dsdash.i18n import _
from dsdash.schema import TABLES, LoadReport
from dsdash.validate import empty_table, validate_table

#: The embedded default data, resolved from the package (never the working directory).
DATA_DIR = Path(__file__).resolve().parent.parent / "data"

#: Data file of each table in ``data/``.
EMBEDDED_FILES = {
    "sites": "sites.csv",
    "population": "population.csv",
    "presence": "presence.csv",
    "needs": "needs.csv",
    "fvm": "fvm.csv",
    "index_rounds": "index_rounds.csv",
    "national_series": "national_series.csv",
    "hotspots": "hotspots.csv",
    "hotspot_totals": "hotspot_totals.csv",
    "caseload": "caseload.csv",
    "return_obstacles": "return_obstacles.csv",
}


@dataclass
class Dataset:
    """All tables of one data set, and where they came from.

    Attributes:
        name: shown to users ("Embedded seed data", "Uploads: …").
        tables: table name → validated DataFrame (every name of ``schema.TABLES``).
        reports: one load report per file or table that went into it.
        origin: "embedded" or "upload".
        boundaries: admin level ("adm1", "adm2") → a GeoDataFrame the user loaded (COD-AB),
            with columns ``pcode``, ``name``, ``geometry`` (EPSG:4326). Empty when none is
            loaded: the app bundles no boundaries.
    """

    name: str
    tables: dict[str, pd.DataFrame]
    reports: list[LoadReport] = field(default_factory=list)
    origin: str = "embedded"
    boundaries: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        for t, spec in TABLES.items():
            if t not in self.tables or self.tables[t] is None:
                self.tables[t] = empty_table(spec)

    def __getattr__(self, item: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if item in tables:
            return tables[item]
        raise AttributeError(item)

    def table(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def with_tables(self, name: str | None = None, origin: str | None = None, **tables: pd.DataFrame) -> "Dataset":
        """A copy with some tables replaced (the others are shared, not copied)."""
        merged = dict(self.tables)
        merged.update(tables)
        return replace(self, name=name or self.name, tables=merged, origin=origin or self.origin,
                       reports=list(self.reports), boundaries=dict(self.boundaries))

    def latest_date(self) -> dt.date | None:
        """The latest date a user would take as 'now' for this data: the newest
        population reference date, or the newest presence start/end date before it."""
        dates = []
        for t, c in (("population", "reference_date"), ("needs", "reported_on")):
            s = self.tables[t][c].dropna()
            if len(s):
                dates.append(s.max())
        if not dates:
            return None
        return pd.Timestamp(max(dates)).date()

    def sources(self) -> pd.DataFrame:
        """One row per table for a 'Data sources' panel: rows, the number of documents its
        rows cite (distinct citations, :mod:`dsdash.sources`) and the documents, a series'
        rounds said once."""
        from dsdash.sources import citations, grouped

        rows = []
        for t, spec in TABLES.items():
            df = self.tables[t]
            if t == "catchments" and not len(df):  # none loaded: the bundled table is the one in use
                from dsdash.catchments import catchments_of

                df = catchments_of(self)
            docs = citations(df["source"].dropna().unique()) if "source" in df.columns else []
            rows.append(
                {
                    "table": t,
                    "description": _(spec.description),  # in the reader's language (issue 18)
                    "rows": len(df),
                    "sources": len(docs),
                    "documents": "; ".join(grouped(docs)),
                }
            )
        return pd.DataFrame(rows)


def read_csv_table(path: Path, table: str, *, label: str | None = None) -> tuple[pd.DataFrame, LoadReport]:
    """Read one tidy CSV of ours (UTF-8, header row, our column names) and validate it."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df, rep = validate_table(raw, TABLES[table], file=label or path.name)
    rep.encoding = "utf-8"
    return df, rep


def load_embedded(data_dir: Path | None = None) -> Dataset:
    """The embedded default Dataset, transcribed from ``../shared/seeds`` and ``../shared/facts``."""
    base = data_dir or DATA_DIR
    tables: dict[str, pd.DataFrame] = {}
    reports: list[LoadReport] = []
    for table, fname in EMBEDDED_FILES.items():
        df, rep = read_csv_table(base / fname, table, label=f"data/{fname}")
        tables[table] = df
        reports.append(rep)
    return Dataset(name="Embedded seed data (Anbar informal sites, Dec 2023; DTM national series)",
                   tables=tables, reports=reports, origin="embedded")

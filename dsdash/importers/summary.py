"""What an imported file holds, in numbers: per file and per governorate (COD-AB)."""

from __future__ import annotations

import pandas as pd

from dsdash.schema import GOVERNORATES


def _int(v) -> int | None:
    return None if v is None or pd.isna(v) else int(v)


def file_summary(res) -> dict:
    """A JSON-ready summary of an :class:`~dsdash.importers.ImportResult`.

    Keys: file, kind, rows_in, rows_accepted, rows_rejected, locations, households,
    individuals, by_governorate (list of admin1_code, admin1_name, locations,
    households, individuals; COD-AB names). Households and individuals are the sums of
    the population rows (None when the file has none); locations count distinct sites
    (Master Lists), places named (presence: distinct scope ids), or areas (boundaries).
    """
    reps = res.reports
    out = {
        "file": res.report.file, "kind": res.kind, "rows_in": sum(r.rows_in for r in reps),
        "rows_accepted": sum(r.rows_accepted for r in reps), "rows_rejected": sum(r.rows_rejected for r in reps),
        "locations": 0, "households": None, "individuals": None, "by_governorate": [],
    }
    pop = res.tables.get("population")
    sites = res.tables.get("sites")
    if pop is not None and sites is not None and len(pop):
        out["locations"] = int(pop["site_id"].nunique())
        out["households"] = _int(pop["households"].sum(min_count=1))
        out["individuals"] = _int(pop["individuals"].sum(min_count=1))
        gov = pop.merge(sites[["site_id", "admin1_code"]], on="site_id", how="left")
        agg = gov.groupby("admin1_code", dropna=False).agg(
            locations=("site_id", "nunique"), households=("households", lambda s: s.sum(min_count=1)),
            individuals=("individuals", lambda s: s.sum(min_count=1)))
        for code, row in agg.sort_index().iterrows():
            code = None if pd.isna(code) else str(code)
            out["by_governorate"].append({
                "admin1_code": code, "admin1_name": GOVERNORATES.get(code, ("unknown", ""))[0],
                "locations": int(row["locations"]), "households": _int(row["households"]),
                "individuals": _int(row["individuals"])})
    elif res.boundaries is not None:
        out["locations"] = int(len(res.boundaries))
    else:
        for t in ("presence", "movements", "fvm"):
            df = res.tables.get(t)
            if df is not None and len(df):
                out["locations"] = int(df["scope_id"].nunique()) if "scope_id" in df else 0
                if t == "movements":
                    out["households"] = _int(df["households"].sum(min_count=1))
                    out["individuals"] = _int(df["individuals"].sum(min_count=1))
    return out

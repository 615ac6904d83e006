"""ABC and JCF catchments: coordination areas as sets of COD-AB districts (data/catchments.csv).

The eight area-based coordination (ABC) groups named in the seeds (Kirkuk, West Anbar, East
Anbar, Sinjar, Ba'aj, Mosul, Salah al-Din, Diyala), the Sinjar–Ba'aj local body they merge
into, and the Joint Coordination Forums (JCFs) that replace them. One row per catchment and
district, each with its ``source`` and a ``basis``: "stated" when a seed says the district
belongs to the area, "assumed" (with the ``reasoning``) when it does not.

A site belongs to a catchment when its stated district (``admin2_code``) is one of the
catchment's districts. Catchments of one ``kind`` ("abc", "local", "jcf") do not overlap, so
per-kind aggregates add up to the site totals; catchments of different kinds do overlap
(East Anbar lies inside JCF Anbar).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

CATCHMENTS_FILE = Path(__file__).resolve().parent.parent / "data" / "catchments.csv"
COLUMNS = ["catchment", "kind", "replaces", "admin1_code", "admin2_code", "admin2_name", "basis", "reasoning",
           "source"]
#: Kinds of catchment, in words.
KIND_LABELS = {"abc": "ABC (area-based coordination group, 2020–2023)",
               "local": "Local coordination body (merged ABCs)",
               "jcf": "JCF (Joint Coordination Forum, from 2023)"}


@lru_cache(maxsize=1)
def _read(path: str) -> pd.DataFrame:
    df = pd.read_csv(path, dtype="string", keep_default_na=False)
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"catchments table lacks column(s) {', '.join(missing)}")
    bad = df[~df["basis"].isin(["stated", "assumed"])]
    if len(bad):
        raise ValueError(f"catchments table row {int(bad.index[0]) + 2}: basis must be 'stated' or 'assumed'")
    return df[COLUMNS]


def load_catchments(path: str | Path | None = None) -> pd.DataFrame:
    """The catchments table (one row per catchment × district). A copy."""
    return _read(str(path or CATCHMENTS_FILE)).copy()


def catchment_names(table: pd.DataFrame | None = None, kind: str | None = None) -> list[str]:
    """Catchment names in file order (ABCs first), optionally of one kind."""
    t = load_catchments() if table is None else table
    if kind:
        t = t[t["kind"] == kind]
    return list(dict.fromkeys(t["catchment"]))


def districts_of(names, table: pd.DataFrame | None = None) -> set[str]:
    """The district p-codes of the catchments ``names``."""
    t = load_catchments() if table is None else table
    return set(t.loc[t["catchment"].isin(list(names)), "admin2_code"])


def site_catchments(sites: pd.DataFrame, kind: str = "abc", table: pd.DataFrame | None = None) -> pd.DataFrame:
    """site_id → catchment (of ``kind``), by the site's stated district. Sites in no catchment
    of that kind get <NA>. One row per site (catchments of one kind do not overlap)."""
    t = load_catchments() if table is None else table
    t = t[t["kind"] == kind].drop_duplicates("admin2_code")
    m = dict(zip(t["admin2_code"], t["catchment"]))
    codes = sites["admin2_code"] if "admin2_code" in sites.columns else pd.Series(pd.NA, index=sites.index)
    return pd.DataFrame({"site_id": sites["site_id"].astype("string"),
                         "catchment": codes.map(m).astype("string")}).reset_index(drop=True)


def catchment_kind(name: str, table: pd.DataFrame | None = None) -> str | None:
    t = load_catchments() if table is None else table
    k = t.loc[t["catchment"] == name, "kind"]
    return str(k.iloc[0]) if len(k) else None


def catchment_outlines(districts, names=None, table: pd.DataFrame | None = None):
    """Catchments as polygons: the union (dissolve) of their districts' polygons.
    ``districts`` is a district layer (pcode, geometry). Returns a GeoDataFrame with
    catchment, kind, districts (count), geometry; ``names`` limits it to those catchments."""
    t = load_catchments() if table is None else table
    if names:
        t = t[t["catchment"].isin(list(names))]
    d = districts[["pcode", "geometry"]].merge(t[["catchment", "kind", "admin2_code"]], left_on="pcode",
                                               right_on="admin2_code")
    if d.empty:
        return d.assign(districts=pd.Series(dtype=int))[["catchment", "kind", "geometry"]]
    out = d.dissolve(by=["catchment", "kind"], aggfunc={"pcode": "count"}).reset_index()
    order = {n: i for i, n in enumerate(catchment_names(t))}
    out = out.rename(columns={"pcode": "districts"}).sort_values("catchment", key=lambda s: s.map(order))
    return out[["catchment", "kind", "districts", "geometry"]].reset_index(drop=True)

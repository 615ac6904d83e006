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

**Which table is in use.** A user may correct the bundled table by uploading their own
(:mod:`dsdash.importers.catchments`: checked p-codes, no overlap within a kind); once published
(or tried in the session) it is the dataset's ``catchments`` table and replaces the bundled one
whole: :func:`catchments_of`. Its ``file`` column names the table every row came from, and
:func:`table_in_use` says it in words. The interface and the command line make the dataset's
table the one in use for the run (:func:`use`, a context variable, as the language is), so the
functions here without a ``table`` argument (the catchment filter, the map's layers) read it.
"""


from __future__ import annotations

from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

import pandas as pd

from dsdash.i18n import N_, _

CATCHMENTS_FILE = Path(__file__).resolve().parent.parent / "data" / "catchments.csv"
#: How the bundled table is named in its rows' ``file`` column and on screen.
BUNDLED_LABEL = "bundled with dsdash"
COLUMNS = ["catchment", "kind", "replaces", "admin1_code", "admin2_code", "admin2_name", "basis", "reasoning",
           "source"]
_active: ContextVar[pd.DataFrame | None] = ContextVar("dsdash_catchments", default=None)
#: Kinds of catchment, in words.
KIND_LABELS = {"abc": N_("ABC (area-based coordination group, 2020–2023)"),
               "local": N_("Local coordination body (merged ABCs)"),
               "jcf": N_("JCF (Joint Coordination Forum, from 2023)")}


@lru_cache(maxsize=1)
def _read(path: str) -> pd.DataFrame:
    df = pd.read_csv(path, dtype="string", keep_default_na=False)
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"catchments table lacks column(s) {', '.join(missing)}")
    bad = df[~df["basis"].isin(["stated", "assumed"])]
    if len(bad):
        raise ValueError(f"catchments table row {int(bad.index[0]) + 2}: basis must be 'stated' or 'assumed'")
    out = df[COLUMNS].copy()
    out["file"] = BUNDLED_LABEL if Path(path) == CATCHMENTS_FILE else Path(path).name
    return out


def load_catchments(path: str | Path | None = None) -> pd.DataFrame:
    """The catchments table (one row per catchment × district). A copy. Without ``path``: the
    table in use for this run (:func:`use`), else the bundled one."""
    if path is None and (t := _active.get()) is not None:
        return t.copy()
    return _read(str(path or CATCHMENTS_FILE)).copy()


def catchments_of(ds) -> pd.DataFrame:
    """The catchments table of a dataset: its own (a user's table, published or tried in the
    session) when it has one, else the bundled ``data/catchments.csv``. A copy."""
    t = ds.tables.get("catchments") if ds is not None else None
    if t is not None and len(t):
        out = t.astype("string").fillna("")
        if "file" not in out.columns or not out["file"].str.len().any():
            out["file"] = "uploaded table"
        return out[[*COLUMNS, "file"]].reset_index(drop=True)
    return _read(str(CATCHMENTS_FILE)).copy()


def use(table: pd.DataFrame | None):
    """Make ``table`` the catchments table of this run (None: the bundled one). Returns a token
    for :func:`ContextVar.reset`."""
    return _active.set(table)


def use_dataset(ds) -> pd.DataFrame:
    """:func:`use` the dataset's table (:func:`catchments_of`); returns it."""
    t = catchments_of(ds)
    _active.set(None if (t["file"] == BUNDLED_LABEL).all() else t)
    return t


def table_in_use(table: pd.DataFrame | None = None) -> dict:
    """Which catchments table is in use, for a caption: ``bundled`` (bool), ``file`` (the table's
    file(s)), ``catchments``, ``districts``, ``assumed`` (rows marked assumed), ``sources`` (distinct)."""
    t = load_catchments() if table is None else table
    files = list(dict.fromkeys(t["file"])) if "file" in t.columns else [BUNDLED_LABEL]
    return {"bundled": files == [BUNDLED_LABEL], "file": "; ".join(files),
            "catchments": int(t["catchment"].nunique()), "districts": int(t["admin2_code"].nunique()),
            "rows": len(t), "assumed": int((t["basis"] == "assumed").sum()),
            "sources": int(t["source"].nunique())}


def table_in_use_text(table: pd.DataFrame | None = None) -> str:
    """The table in use in a sentence (names from data: render with dsdash.text.md_plain)."""
    from dsdash.i18n import _, ngettext

    u = table_in_use(table)
    if u["bundled"]:
        head = _("Catchments: the table bundled with dsdash (DSTWG and RWG documents), {catchments} over {d} "
                 "districts, {a} of {r} rows assumed (each with its reasoning); upload your own table on the Upload "
                 "page to replace it.")
    else:
        head = _("Catchments: your table {file} (it replaces the bundled one), {catchments} over {d} districts, "
                 "{a} of {r} rows assumed, {s} source(s).")
    n = u["catchments"]
    return head.format(file=u["file"], catchments=ngettext("{n} catchment", "{n} catchments", n).format(n=n),
                       d=u["districts"], a=u["assumed"], r=u["rows"], s=u["sources"])


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

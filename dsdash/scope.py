"""Spreading rows stated for an area (site, site group, district, governorate) to sites.

Presence and needs rows say where they apply with ``scope`` and ``scope_id``:
a site (``site_id``), a site group (``site_group``, e.g. "Bzebiz"), a district
(``admin2_code``) or a governorate (``admin1_code``). :func:`expand_to_sites` turns each
into one row per site it covers; rows whose scope matches no site are returned apart,
so that nothing disappears without a word.
"""

from __future__ import annotations

import pandas as pd

from dsdash.schema import Scope

#: Column of the sites table that each scope level matches against.
SCOPE_COLUMN = {
    Scope.SITE.value: "site_id",
    Scope.SITE_GROUP.value: "site_group",
    Scope.DISTRICT.value: "admin2_code",
    Scope.GOVERNORATE.value: "admin1_code",
}


def expand_to_sites(rows: pd.DataFrame, sites: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One output row per (input row, covered site).

    Args:
        rows: a table with ``scope`` and ``scope_id`` columns (presence, needs).
        sites: the sites table.

    Returns:
        ``(expanded, unmatched)``: ``expanded`` has every input column plus ``site_id``
        (named ``site_id``; an input ``site_id`` column is replaced) and ``row_index``
        (the input row's index); ``unmatched`` holds input rows that cover no site.

    Examples:
        >>> sites = pd.DataFrame({"site_id": ["a", "b"], "site_group": ["G", None],
        ...                       "admin2_code": ["D1", "D1"], "admin1_code": ["P", "P"]})
        >>> rows = pd.DataFrame({"scope": ["site_group", "governorate", "site"],
        ...                      "scope_id": ["G", "P", "zz"]})
        >>> ex, un = expand_to_sites(rows, sites)
        >>> ex[["row_index", "site_id"]].values.tolist(), un.index.tolist()
        ([[0, 'a'], [1, 'a'], [1, 'b']], [2])
    """
    base = rows.drop(columns=["site_id"], errors="ignore").copy()
    base["row_index"] = base.index
    parts = []
    for scope, col in SCOPE_COLUMN.items():
        sub = base[base["scope"] == scope]
        if sub.empty or col not in sites.columns:
            continue
        key = pd.DataFrame({"site_id": sites["site_id"], "_k": sites[col]}).dropna(subset=["_k"])
        key = key.astype({"_k": "string"})
        m = sub.assign(_k=sub["scope_id"].astype("string")).merge(key, on="_k", how="inner")
        parts.append(m.drop(columns=["_k"]))
    if parts:
        expanded = pd.concat(parts, ignore_index=True).sort_values(["row_index", "site_id"], kind="stable")
        expanded = expanded.reset_index(drop=True)
    else:
        expanded = base.iloc[0:0].assign(site_id=pd.Series(dtype="string"))
    matched = set(expanded["row_index"].tolist())
    unmatched = rows.loc[[i for i in rows.index if i not in matched]]
    return expanded, unmatched

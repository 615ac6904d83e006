"""Areas as an aggregation level of every table: sites, people, coverage and partners per
governorate, district or catchment (issue 16).

One function, :func:`area_summary`, reads the coverage engine's result for a view (the gap
matrix and its providers: :func:`dsdash.coverage.engine.prepare` → ``.on(as_of, horizon)``), so
its people are the engine's (each population group's latest round; closed sites not counted) and
"served" is the one presence model's answer. The Gaps and Overview pages and the Who does what
where page group by it.

Rules:

* A site's governorate and district are its stated p-codes; its catchment is the catchment of
  the chosen kind whose districts hold its district, in the catchments table in use
  (:func:`dsdash.catchments.load_catchments`: a user's table once loaded, else the bundled one).
* **Nothing is dropped.** Sites in no catchment of that kind form one row, "Outside every
  catchment", and :func:`outside_note` names their districts and people; sites without a stated
  district form "No district stated". So the rows add up to the view's totals: sites,
  households, individuals, cells and served cells (``totals`` checks it, tests prove it).
* **Coverage**: served cells (site × service with at least one partner serving on the date)
  over all cells of the area's sites. **Partners**: distinct partners serving at least one of the
  area's sites on the date (not additive: a partner may work in two areas).
"""

from __future__ import annotations

import pandas as pd

from dsdash.catchments import load_catchments, site_catchments
from dsdash.i18n import N_, _, list_sep

#: Aggregation levels, in words.
LEVELS = {"admin1": N_("Governorate"), "admin2": N_("District"), "catchment": N_("Catchment")}
#: The row of sites in no catchment of the chosen kind, and of sites without a stated district.
OUTSIDE = N_("Outside every catchment")
NO_DISTRICT = N_("No district stated")
COLUMNS = ["area_code", "area", "n_sites", "households", "individuals", "cells", "cells_served", "coverage_pct",
           "cells_lost", "cells_at_risk", "n_partners", "partner_names"]
#: Columns that add up over the areas to the view's totals.
ADDITIVE = ["n_sites", "households", "individuals", "cells", "cells_served", "cells_lost", "cells_at_risk"]


def site_areas(sites: pd.DataFrame, level: str, kind: str = "abc", table: pd.DataFrame | None = None) -> pd.DataFrame:
    """site_id → area_code, area (names) at ``level``; every site gets one (see the module)."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; choose one of {', '.join(LEVELS)}")
    out = pd.DataFrame({"site_id": sites["site_id"].astype("string").to_numpy()})
    if level == "catchment":
        c = site_catchments(sites, kind, table)["catchment"].to_numpy()
        out["area_code"] = pd.array(c, dtype="string").fillna(OUTSIDE)
        out["area"] = out["area_code"]
        out.loc[out["area_code"] == OUTSIDE, "area"] = _(OUTSIDE)
        return out
    code, name = ("admin1_code", "admin1_name") if level == "admin1" else ("admin2_code", "admin2_name")
    out["area_code"] = pd.array(sites[code].to_numpy(), dtype="string").fillna(NO_DISTRICT)
    names = sites[name] if name in sites.columns else sites[code]
    out["area"] = pd.array(names.to_numpy(), dtype="string").fillna(out["area_code"])
    from dsdash.i18n import current

    if current() != "en":  # COD-AB's Arabic names by p-code (issue 18), the data's name otherwise
        from dsdash.map.layers import area_name

        out["area"] = pd.array([area_name(c, n) for c, n in zip(out["area_code"], out["area"])], dtype="string")
    out.loc[out["area_code"] == NO_DISTRICT, "area"] = _(NO_DISTRICT)
    return out


def area_summary(cov, *, level: str = "admin2", kind: str = "abc", table: pd.DataFrame | None = None
                 ) -> pd.DataFrame:
    """Per area: sites, households, individuals, cells, served cells, coverage %, lost and
    at-risk cells, partners (number and names), from the engine's result ``cov`` for one view and
    date. Rows in the order of people (most first); the outside rows last."""
    m = cov.matrix
    sites = cov.prepared.sites
    sites = sites[sites["site_id"].isin(set(m["site_id"]))]
    areas = site_areas(sites, level, kind, table)
    prov = cov.providers
    active = prov[prov["active"]].merge(areas, on="site_id", how="inner")
    served = active.drop_duplicates(["site_id", "service"])[["site_id", "service"]].assign(_served=True)
    cells = m[["site_id", "service", "state", "individuals", "households"]].merge(served, on=["site_id", "service"],
                                                                                 how="left")
    cells["_served"] = cells["_served"].fillna(False).astype(bool)
    cells = cells.merge(areas, on="site_id", how="left")
    people = m.drop_duplicates("site_id")[["site_id", "individuals", "households"]].merge(areas, on="site_id")
    g = people.groupby(["area_code", "area"], sort=False, dropna=False).agg(
        n_sites=("site_id", "nunique"), households=("households", "sum"), individuals=("individuals", "sum"))
    c = cells.groupby(["area_code", "area"], sort=False, dropna=False).agg(
        cells=("service", "size"), cells_served=("_served", "sum"),
        cells_lost=("state", lambda s: int((s == "lost").sum())),
        cells_at_risk=("state", lambda s: int((s == "at_risk").sum())))
    p = active.groupby(["area_code", "area"], sort=False, dropna=False)["partner"].agg(
        n_partners="nunique", partner_names=lambda s: "; ".join(sorted(set(s))))
    out = g.join(c, how="left").join(p, how="left").reset_index()
    for col in ADDITIVE + ["n_partners"]:
        out[col] = pd.to_numeric(out[col], errors="coerce").fillna(0).round().astype(int)
    out["partner_names"] = out["partner_names"].fillna("")
    out["coverage_pct"] = (100 * out["cells_served"] / out["cells"].where(out["cells"] > 0)).round(1)
    last = out["area_code"].isin([OUTSIDE, NO_DISTRICT])
    out = pd.concat([out[~last].sort_values(["individuals", "area"], ascending=[False, True], kind="stable"),
                     out[last]], ignore_index=True)
    return out[COLUMNS]


def totals(summary: pd.DataFrame, cov) -> dict:
    """The view's totals beside the sum of the areas' rows: ``{column: (sum of rows, total)}`` for
    the additive columns (equal by construction; the tests and the page's caption check it)."""
    m = cov.matrix
    per_site = m.drop_duplicates("site_id")
    served = cov.providers[cov.providers["active"]].drop_duplicates(["site_id", "service"])
    served = served[served["site_id"].isin(set(m["site_id"]))]
    whole = {"n_sites": m["site_id"].nunique(), "households": int(per_site["households"].fillna(0).sum()),
             "individuals": int(per_site["individuals"].fillna(0).sum()), "cells": len(m),
             "cells_served": len(served), "cells_lost": int((m["state"] == "lost").sum()),
             "cells_at_risk": int((m["state"] == "at_risk").sum())}
    return {k: (int(summary[k].sum()), int(v)) for k, v in whole.items()}


def outside_note(summary: pd.DataFrame, cov, kind: str = "abc", table: pd.DataFrame | None = None) -> str:
    """Words for the sites no catchment of ``kind`` holds: their districts, sites and people ("" when none)."""
    row = summary[summary["area_code"] == OUTSIDE]
    if row.empty:
        return ""
    t = load_catchments() if table is None else table
    inside = set(t.loc[t["kind"] == kind, "admin2_code"])
    m = cov.matrix.drop_duplicates("site_id")
    return outside_words(m[~m["admin2_code"].isin(inside)])


def outside_words(out: pd.DataFrame) -> str:
    """Words for sites (site_id, admin2_code, admin2_name, individuals) that no catchment holds ("" when none):
    their number and, per district, their sites and people."""
    if out.empty:
        return ""
    dists = out.groupby(out["admin2_name"].fillna(out["admin2_code"]).fillna("?"), sort=True).agg(
        sites=("site_id", "nunique"), individuals=("individuals", "sum"))
    words = list_sep().join(_("{district}: {n} site(s), {p:,} individuals").format(district=d, n=int(r.sites),
                                                                           p=int(r.individuals or 0))
                      for d, r in dists.iterrows())
    return _("{n} site(s) lie in districts no catchment of this kind holds ({words}); they are counted in the row "
             "'{outside}', not dropped.").format(n=int(out["site_id"].nunique()), words=words, outside=_(OUTSIDE))


def sum_row(summary: pd.DataFrame) -> pd.DataFrame:
    """The table with a last row, "All areas": the sums of the additive columns, coverage over all
    cells, and the distinct partners of the view."""
    if summary.empty:
        return summary
    tot = {c: int(summary[c].sum()) for c in ADDITIVE}
    names = sorted({p for x in summary["partner_names"] for p in x.split("; ") if p})
    tot.update(area_code="", area=_("All areas"), n_partners=len(names), partner_names="; ".join(names),
               coverage_pct=round(100 * tot["cells_served"] / tot["cells"], 1) if tot["cells"] else None)
    return pd.concat([summary, pd.DataFrame([tot])[COLUMNS]], ignore_index=True)

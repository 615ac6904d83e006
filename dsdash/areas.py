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
  catchment", and :func:`outside_note` says their sites, people and largest districts (the
  rest counted); sites without a stated district form "No district stated". So the rows add up
  to the view's totals: sites, households, individuals, cells and served cells (``totals``
  checks it, tests prove it).
* **Coverage**: served cells (site × service with at least one partner serving on the date)
  over all cells of the area's sites. **Partners**: distinct partners serving at least one of the
  area's sites on the date (not additive: a partner may work in two areas).
"""

from __future__ import annotations

import pandas as pd

from dsdash.catchments import load_catchments, site_catchments
from dsdash.i18n import N_, _, current, iso, list_sep, ngettext
from dsdash.provenance import fmt_number

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


#: How many districts :func:`outside_words` names (the largest by individuals); the rest are counted.
TOP_DISTRICTS = 5


def outside_sites(summary: pd.DataFrame, cov, kind: str = "abc", table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The sites of the row "Outside every catchment" of :func:`area_summary` (one row each: site_id,
    admin2_code, admin2_name, individuals, as the engine counts them); empty when there is no such row.
    The same sites as the row, by the same rule (:func:`site_areas`), so their sums are the row's."""
    m = cov.matrix.drop_duplicates("site_id")
    if summary[summary["area_code"] == OUTSIDE].empty:
        return m.iloc[0:0]
    sites = cov.prepared.sites
    sites = sites[sites["site_id"].isin(set(m["site_id"]))]
    areas = site_areas(sites, "catchment", kind, table)
    ids = set(areas.loc[areas["area_code"] == OUTSIDE, "site_id"])
    return m[m["site_id"].astype("string").isin(ids)]


def outside_note(summary: pd.DataFrame, cov, kind: str = "abc", table: pd.DataFrame | None = None,
                 top: int = TOP_DISTRICTS) -> str:
    """Words for the sites no catchment of ``kind`` holds ("" when none): :func:`outside_words` of
    :func:`outside_sites`, whose totals are those of the row "Outside every catchment"."""
    return outside_words(outside_sites(summary, cov, kind, table), top)


def outside_districts(out: pd.DataFrame) -> pd.DataFrame:
    """Per district of the sites ``out`` (site_id, admin2_code and/or admin2_name, individuals): code,
    district (its name as shown: the reader's language, "No district stated" without a district, the
    p-code beside a name two districts share), sites, individuals (whole numbers). Largest first: by
    individuals, then sites, then name and code, so ties always come in the same order."""
    cols = ["code", "district", "sites", "individuals"]
    if out.empty:
        return pd.DataFrame(columns=cols)
    none = pd.Series(pd.NA, index=out.index)
    code = out.get("admin2_code", none).astype("string")
    name = out.get("admin2_name", none).astype("string")
    name = name.where(name.str.strip().fillna("") != "", pd.NA)
    key = code.fillna("name:" + name).fillna("")  # a district by its p-code, else by its name
    frame = pd.DataFrame({"key": key.to_numpy(), "code": code.to_numpy(), "name": name.to_numpy(),
                          "site_id": out["site_id"].astype("string").to_numpy(), "ind": _individuals(out).to_numpy()})
    g = frame.groupby("key", sort=False, dropna=False).agg(
        code=("code", "first"), name=("name", "first"), sites=("site_id", "nunique"), ind=("ind", "sum"))
    g["individuals"] = g["ind"].fillna(0).round().astype(int)
    g["sites"] = g["sites"].astype(int)

    def shown(code_, name_) -> str:
        if pd.isna(code_) and pd.isna(name_):
            return _(NO_DISTRICT)
        text = name_ if not pd.isna(name_) else code_
        if current() != "en" and not pd.isna(code_):  # COD-AB's Arabic names by p-code (issue 18)
            from dsdash.map.layers import area_name

            text = area_name(str(code_), text)
        return " ".join(str(text).split())  # a name from the data, on one line

    g["district"] = [shown(c, nm) for c, nm in zip(g["code"], g["name"])]
    g["code"] = g["code"].fillna("")
    twice = g["district"].duplicated(keep=False) & (g["code"] != "") & (g["district"] != g["code"])
    g.loc[twice, "district"] = g.loc[twice, "district"] + " (" + g.loc[twice, "code"] + ")"  # one name, two p-codes
    g = g.sort_values(["individuals", "sites", "district", "code"], ascending=[False, False, True, True],
                      kind="stable")
    return g[cols].reset_index(drop=True)


def _individuals(out: pd.DataFrame) -> pd.Series:
    """The sites' individuals as floats (an unknown count: NaN, counted as 0 in the sums, as in the table)."""
    if "individuals" not in out.columns:
        return pd.Series(0.0, index=out.index)
    return pd.to_numeric(out["individuals"], errors="coerce").astype("float64")


def _people(n: int) -> str:
    return ngettext("{n} individual", "{n} individuals", n).format(n=fmt_number(n))


def _district(name: str, sites: int, individuals: int) -> str:
    return ngettext("{district} ({n} site, {individuals})", "{district} ({n} sites, {individuals})", sites).format(
        district=name, n=fmt_number(sites), individuals=_people(individuals))


def outside_words(out: pd.DataFrame, top: int = TOP_DISTRICTS) -> str:
    """Words for sites (site_id, admin2_code, admin2_name, individuals) that no catchment holds ("" when none):
    their number, their people and districts; then the districts by name, with their sites and people:
    all of them when there are at most ``top``, else the ``top`` largest by individuals
    (:func:`outside_districts`) and the rest counted together, so the parts add up to the totals.
    District names come from the data: shown as text (the pages escape the whole note)."""
    if out.empty:
        return ""
    d = outside_districts(out)
    n_sites = int(out["site_id"].nunique())
    n_people = int(round(float(_individuals(out).fillna(0).sum())))  # the row's individuals
    head = ngettext("Outside every catchment of this kind: {n} site, {individuals}, {districts}.",
                    "Outside every catchment of this kind: {n} sites, {individuals}, {districts}.", n_sites).format(
        n=fmt_number(n_sites), individuals=_people(n_people),
        districts=ngettext("in {n} district", "in {n} districts", len(d)).format(n=fmt_number(len(d))))
    top = max(int(top), 1)
    named = d if len(d) <= top else d.head(top)
    items = [_district(iso(r.district), int(r.sites), int(r.individuals)) for r in named.itertuples()]
    if len(named) == len(d):
        body = _("By district: {districts}.").format(districts=list_sep().join(items))
    else:
        more = len(d) - len(named)
        items.append(_district(ngettext("and {n} more district", "and {n} more districts", more).format(
            n=fmt_number(more)), n_sites - int(named["sites"].sum()), n_people - int(named["individuals"].sum())))
        body = _("Largest by individuals: {districts}.").format(districts=list_sep().join(items))
    tail = _("They are counted in the row '{outside}', not dropped.").format(outside=_(OUTSIDE))
    return " ".join([head, body, tail])


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

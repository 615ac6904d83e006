"""Key figures of the active data, each computed once for every surface (Overview page,
Trends page, meeting deck, command line), each with its source, date and method."""

from __future__ import annotations

import pandas as pd

from dsdash.dataset import Dataset
from dsdash.filters import Filters, filter_sites
from dsdash.provenance import KeyFigure, short_source
from dsdash.schema import DTM_CREDIT, INDIVIDUALS_METHOD_LABELS, POPULATION_GROUP_LABELS


def latest_population(ds: Dataset, filters: Filters | None = None, group: str | None = None) -> pd.DataFrame:
    """The latest population row of each site and population group (after filters)."""
    pop = ds.population
    if filters is not None:
        sites = filter_sites(ds.sites, filters, pop)
        pop = pop[pop["site_id"].isin(sites["site_id"])]
        if filters.population_group:
            pop = pop[pop["population_group"].isin(filters.population_group)]
    if group:
        pop = pop[pop["population_group"] == group]
    if pop.empty:
        return pop
    pop = pop.sort_values("reference_date", kind="stable")
    return pop.groupby(["site_id", "population_group"], as_index=False, sort=False).tail(1).reset_index(drop=True)


def _date_text(series: pd.Series) -> str:
    s = series.dropna()
    if s.empty:
        return "date not stated"
    lo, hi = pd.Timestamp(s.min()).date(), pd.Timestamp(s.max()).date()
    return f"as of {hi:%d %b %Y}" if lo == hi else f"{lo:%d %b %Y} – {hi:%d %b %Y}"


def site_figures(ds: Dataset, filters: Filters | None = None) -> list[KeyFigure]:
    """Sites, households and individuals of the (filtered) active data."""
    pop = latest_population(ds, filters)
    sites = filter_sites(ds.sites, filters or Filters(), ds.population)
    methods = sorted(set(pop["individuals_method"].dropna()))
    method = "; ".join(INDIVIDUALS_METHOD_LABELS.get(m, m) for m in methods) or "no population rows"
    sources = sorted({short_source(s) for s in pop["source"].dropna()}) or ["no population rows"]
    src = sources[0] if len(sources) == 1 else f"{len(sources)} sources"
    date = _date_text(pop["reference_date"])
    rounds = sorted(set(pop["dtm_round"].dropna().astype(int)))
    date_full = date + (f", DTM round {', '.join(map(str, rounds))}" if rounds else "")
    groups = ", ".join(POPULATION_GROUP_LABELS.get(g, g) for g in sorted(set(pop["population_group"]))) or "—"
    hh = pop["households"].sum(min_count=1)
    ind = pop["individuals"].sum(min_count=1)
    return [
        KeyFigure("Sites", len(sites), "sites", f"{ds.name}", date_full, f"sites after filters ({groups})"),
        KeyFigure("Households", None if pd.isna(hh) else int(hh), "households", src, date_full, "sum of the latest count per site"),
        KeyFigure("Individuals", None if pd.isna(ind) else int(ind), "individuals", src, date_full, method),
    ]


def national_figures(ds: Dataset) -> list[KeyFigure]:
    """Latest national IDPs and returnees, with the change from the previous round."""
    out = []
    ns = ds.national_series
    for group in ("idp", "returnee"):
        s = ns[(ns["population_group"] == group) & ns["individuals"].notna()].sort_values("reference_date")
        if s.empty:
            continue
        last = s.iloc[-1]
        prev = s.iloc[-2] if len(s) > 1 else None
        change = int(last["individuals"] - prev["individuals"]) if prev is not None else None
        d = pd.Timestamp(last["reference_date"]).date()
        out.append(
            KeyFigure(
                f"{POPULATION_GROUP_LABELS[group]} in Iraq (national)",
                int(last["individuals"]),
                "individuals",
                DTM_CREDIT.replace("Source: ", "") + f" — {short_source(str(last['source'])).split(': ', 1)[-1]}",
                f"round {int(last['dtm_round'])}, {d:%d %b %Y}",
                "individuals = households × 6 (× 5 in camps from round 117)",
                change,
                f"since round {int(prev['dtm_round'])}" if prev is not None else "",
            )
        )
    return out


def index_figures(ds: Dataset) -> list[KeyFigure]:
    """Latest share of returnees (Return Index) and IDPs (Displacement Index) in severe conditions."""
    out = []
    ir = ds.index_rounds
    for index, label, who in (
        ("return_index", "Returnees in severe conditions", "returnees"),
        ("displacement_index", "IDPs in severe conditions", "IDPs"),
    ):
        s = ir[(ir["index"] == index) & ir["share_severe"].notna()].sort_values("period_end")
        if s.empty:
            continue
        last = s.iloc[-1]
        prev = s.iloc[-2] if len(s) > 1 else None
        rnd = f"round {int(last['round'])}" if pd.notna(last["round"]) else "round not stated"
        end = pd.Timestamp(last["period_end"]).date()
        pop = f"{int(last['population_severe']):,} {who}" if pd.notna(last["population_severe"]) else ""
        out.append(
            KeyFigure(
                label,
                float(last["share_severe"]),
                "%",
                f"IOM DTM {index.replace('_', ' ').title()} — {short_source(str(last['source']))}",
                f"{rnd}, data to {end:%b %Y}",
                f"share of {who} in locations of severe (high) severity" + (f"; {pop}" if pop else ""),
                float(last["share_severe"] - prev["share_severe"]) if prev is not None else None,
                "since the previous round" if prev is not None else "",
            )
        )
    return out

"""Several DTM Master List rounds (``population`` + ``sites``): the rounds loaded, the
trend by governorate and district, and what changed between two rounds, site by site.

The sidebar's filters apply here (:func:`filtered`); the national series, index rounds,
FVM and hotspots are national figures and stay as they are.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dsdash.charts import empty_figure, finish_figure, local_date, wrap
from dsdash.dataset import Dataset
from dsdash.filters import Filters, filter_sites
from dsdash.i18n import DEFAULT, _, current, is_rtl
from dsdash.schema import (COLOURS, DTM_CREDIT, POPULATION_GROUP_LABELS, PopulationGroup, district_name,
                           governorate_name)
from dsdash.text import plain
from dsdash.trends.national import METHOD_CHANGE_ROUND
from dsdash.trends.values import int_or_none


def master_list_rounds(ds: Dataset) -> pd.DataFrame:
    """The Master List rounds (reference dates) in the population table, oldest first:
    reference_date, dtm_round, sites, individuals."""
    pop = ds.population
    if pop.empty:
        return pd.DataFrame(columns=["reference_date", "dtm_round", "sites", "individuals"])
    g = pop.groupby("reference_date", as_index=False).agg(
        dtm_round=("dtm_round", "max"), sites=("site_id", "nunique"), individuals=("individuals", "sum"))
    return g.sort_values("reference_date").reset_index(drop=True)


def filtered(ds: Dataset, filters: Filters | None) -> Dataset:
    """The Dataset with sites and population restricted to the sidebar's filters (the
    national series, index rounds, FVM and hotspots are national: left as they are)."""
    if filters is None or not filters.active:
        return ds
    sites = filter_sites(ds.sites, filters, ds.population)
    pop = ds.population[ds.population["site_id"].isin(sites["site_id"])]
    if filters.population_group:
        pop = pop[pop["population_group"].isin(filters.population_group)]
    return ds.with_tables(sites=sites, population=pop)


def round_dates(ds: Dataset, group: str | None = None) -> list[pd.Timestamp]:
    """The Master List rounds' reference dates, oldest first (of ``group`` only when given:
    the change table's default rounds are the group's own previous and latest round, as
    :func:`dsdash.figures.current_picture` measures the change)."""
    if group:
        s = ds.population.loc[ds.population["population_group"] == group, "reference_date"].dropna()
        return [pd.Timestamp(d) for d in sorted(s.unique())]
    return list(master_list_rounds(ds)["reference_date"])


def rounds_after(dates: list[pd.Timestamp], before: pd.Timestamp) -> list[pd.Timestamp]:
    """The rounds a change can be measured to from round ``before``."""
    return [d for d in dates if d > before]


def population_groups(ds: Dataset) -> list[str]:
    """The population groups the population table holds, in code order."""
    return sorted(set(ds.population["population_group"].dropna()))


def has_several_rounds(ds: Dataset) -> bool:
    """True when the population table holds more than one reference date."""
    return ds.population["reference_date"].dropna().nunique() > 1


def population_by_admin(ds: Dataset, level: str = "admin1", group: str | None = None) -> pd.DataFrame:
    """Individuals per governorate (``admin1``) or district (``admin2``), population
    group and Master List round: reference_date, dtm_round, code, name, population_group,
    individuals, sites. Sites without an admin code count under 'unknown'."""
    if level not in ("admin1", "admin2"):
        raise ValueError(_("level must be 'admin1' or 'admin2'"))
    pop = ds.population
    if group:
        pop = pop[pop["population_group"] == group]
    sites = ds.sites[["site_id", f"{level}_code", f"{level}_name"]]
    m = pop[["site_id", "population_group", "reference_date", "dtm_round", "individuals"]].merge(
        sites, on="site_id", how="left")
    m["code"] = m[f"{level}_code"].fillna("unknown")
    out = m.groupby(["reference_date", "code", "population_group"], as_index=False, dropna=False).agg(
        dtm_round=("dtm_round", "max"), individuals=("individuals", "sum"), sites=("site_id", "nunique"))
    # one name per code (the first the sites table gives; COD-AB name of a governorate otherwise)
    names = sites.dropna(subset=[f"{level}_code"]).drop_duplicates(f"{level}_code")
    names = dict(zip(names[f"{level}_code"], names[f"{level}_name"]))
    out["name"] = [n if isinstance(n, str) and n else (governorate_name(c) if level == "admin1" and c != "unknown"
                                                        else c)
                   for c, n in ((c, names.get(c)) for c in out["code"])]
    out["name"] = out["name"].astype("string")
    out = out[["reference_date", "dtm_round", "code", "name", "population_group", "individuals", "sites"]]
    return out.sort_values(["code", "population_group", "reference_date"]).reset_index(drop=True)


def admin_trend_figure(ds: Dataset, level: str = "admin1", group: str = PopulationGroup.IDP.value,
                       *, max_areas: int = 12) -> go.Figure:
    """Small multiples: one panel per governorate or district (the ``max_areas`` largest
    at the latest round), individuals by Master List round. A round where an area has no
    row is a gap."""
    who = _(POPULATION_GROUP_LABELS[group]) if group in POPULATION_GROUP_LABELS else group
    title = (_("{group} by governorate and DTM Master List round") if level == "admin1"
             else _("{group} by district and DTM Master List round")).format(group=who)
    t = population_by_admin(ds, level, group)
    if t.empty:
        return empty_figure(title, _("No population rows for this group"))
    dates = sorted(t["reference_date"].dropna().unique())
    last = t[t["reference_date"] == dates[-1]].sort_values("individuals", ascending=False)
    areas = list(dict.fromkeys(list(last["code"]) + list(t.groupby("code")["individuals"].max()
                                                         .sort_values(ascending=False).index)))[:max_areas]
    names = dict(zip(t["code"], t["name"]))
    if current() != DEFAULT:  # the areas' COD-AB names in the reader's language where known
        local = governorate_name if level == "admin1" else district_name
        names = {c: (local(c) if level == "admin1" else local(c, n)) if c in areas and c != "unknown" else n
                 for c, n in names.items()}
    ncols = min(3, len(areas))
    nrows = -(-len(areas) // ncols)
    fig = make_subplots(rows=nrows, cols=ncols, subplot_titles=[plain(names[a]) for a in areas],
                        shared_xaxes=True, vertical_spacing=0.12 if nrows > 1 else 0.2)
    # An area with no row in a loaded round: 0 if that round covered its governorate (all its
    # sites closed), a gap otherwise (the round did not cover it).
    area_gov = _area_governorates(ds, level) if level == "admin2" else {c: c for c in t["code"].unique()}
    covered: dict = {}
    for d, c in zip(t["reference_date"], t["code"]):
        if c in area_gov:
            covered.setdefault(d, set()).add(area_gov[c])
    for i, code in enumerate(areas):
        s = t[t["code"] == code].set_index("reference_date")["individuals"].reindex(dates)
        gov = area_gov.get(code)
        for d in dates:
            if pd.isna(s[d]) and gov is not None and gov in covered.get(d, set()):
                s[d] = 0
        fig.add_trace(go.Scatter(x=list(dates), y=[int_or_none(v) for v in s], name=plain(names[code]),
                                 mode="lines+markers", line=dict(color=COLOURS.get(group, COLOURS["idp"])),
                                 connectgaps=False, showlegend=False,
                                 hovertemplate="%{x|%d %b %Y}: " + _("{value} individuals").format(value="%{y:,}")
                                 + "<extra>%{fullData.name}</extra>"),
                      row=i // ncols + 1, col=i % ncols + 1)
    fig.update_yaxes(tickformat=",d", rangemode="tozero")
    fig.update_layout(title=title + "<br><sup>" + _("{n} rounds, to {date}").format(
        n=len(dates), date=local_date(dates[-1])) + "</sup>")
    fig.update_yaxes(title_text=_("Individuals"), col=ncols if is_rtl() else 1)
    fig.update_xaxes(title_text=_("Master List reference date"), row=nrows)
    return finish_figure(fig, wrap(_("{credit}, Master Lists as loaded · individuals as stated per row (households "
                                     "× 6, × 5 in camps from round {round})").format(credit=_(DTM_CREDIT),
                                                                                    round=METHOD_CHANGE_ROUND)),
                         plot_px=230 * nrows, legend=False)


def _area_governorates(ds: Dataset, level: str) -> dict[str, str]:
    s = ds.sites.dropna(subset=[f"{level}_code", "admin1_code"]).drop_duplicates(f"{level}_code")
    return dict(zip(s[f"{level}_code"], s["admin1_code"]))


def round_change_table(ds: Dataset, before: dt.date | str | None = None, after: dt.date | str | None = None,
                       group: str | None = None) -> pd.DataFrame:
    """What changed between two Master List rounds, per site and population group.

    ``before``/``after`` default to the group's previous and latest round (each group's
    own when ``group`` is None and the dates are not given: IDP and returnee rounds may
    differ), the rounds of :func:`dsdash.figures.current_picture`, so the total change
    equals the key figures' change. Columns: site_id,
    site_name, admin1_name, admin2_name, population_group, before, after, change, status
    (appeared / closed / rise / fall / no change), sorted: appeared, closed, then the
    largest rises and falls by size of change.
    """
    pop = ds.population
    if group is None and before is None and after is None and pop["population_group"].nunique() > 1:
        parts = [round_change_table(ds, None, None, g) for g in population_groups(ds)]
        parts = [p for p in parts if len(p)]
        if parts:
            m = pd.concat(parts, ignore_index=True)
            return _change_order(m).reset_index(drop=True)
    if group:
        pop = pop[pop["population_group"] == group]
    dates = sorted(pop["reference_date"].dropna().unique())
    cols = ["site_id", "site_name", "admin1_name", "admin2_name", "population_group", "before", "after",
            "change", "status"]
    if len(dates) < 2 and (before is None or after is None):
        return pd.DataFrame(columns=cols)
    b = pd.Timestamp(before) if before is not None else pd.Timestamp(dates[-2])
    a = pd.Timestamp(after) if after is not None else pd.Timestamp(dates[-1])
    key = ["site_id", "population_group"]
    if not pop["reference_date"].isin([b, a]).any():  # none of these sites in either round
        return pd.DataFrame(columns=cols)
    pb = pop[pop["reference_date"] == b].groupby(key, as_index=False)["individuals"].sum(min_count=1)
    pa = pop[pop["reference_date"] == a].groupby(key, as_index=False)["individuals"].sum(min_count=1)
    m = pb.rename(columns={"individuals": "before"}).merge(pa.rename(columns={"individuals": "after"}),
                                                           on=key, how="outer")
    m["before"] = m["before"].astype("Int64")
    m["after"] = m["after"].astype("Int64")
    m["change"] = m["after"].fillna(0) - m["before"].fillna(0)
    status = pd.Series("no change", index=m.index, dtype="string")
    status[m["change"] > 0] = "rise"
    status[m["change"] < 0] = "fall"
    status[m["before"].isna() | (m["before"] == 0) & m["after"].gt(0)] = "appeared"
    status[m["after"].isna() | (m["after"] == 0) & m["before"].gt(0)] = "closed"
    m["status"] = status
    m = m.merge(ds.sites[["site_id", "site_name", "admin1_name", "admin2_name"]], on="site_id", how="left")
    return _change_order(m)[cols].reset_index(drop=True)


def _change_order(m: pd.DataFrame) -> pd.DataFrame:
    """Appeared, closed, then the largest rises and falls by size of change."""
    order = {"appeared": 0, "closed": 1, "rise": 2, "fall": 2, "no change": 3}
    m = m.assign(_o=m["status"].map(order), _a=-m["change"].abs())
    return m.sort_values(["_o", "_a", "site_id"]).drop(columns=["_o", "_a"])


def round_change_summary(changes: pd.DataFrame) -> pd.DataFrame:
    """Count and individuals per status of a :func:`round_change_table`."""
    if changes.empty:
        return pd.DataFrame(columns=["status", "sites", "change"])
    return changes.groupby("status", as_index=False).agg(sites=("site_id", "nunique"), change=("change", "sum"))


def admin_caption(ds: Dataset) -> str:
    """One plain-text line under the trend by governorate and district: the Master List
    rounds loaded · method · how closed and new sites count."""
    rounds = master_list_rounds(ds)
    if rounds.empty:
        return _("No population rows in the active data.")
    lo, hi = pd.Timestamp(rounds["reference_date"].min()), pd.Timestamp(rounds["reference_date"].max())
    span = (_("1 reference date, {date}").format(date=local_date(lo)) if lo == hi
            else _("{n} reference dates, {first} to {last}").format(n=len(rounds), first=local_date(lo),
                                                                     last=local_date(hi)))
    return _("Source: the Master List rounds in the active data ({span}) · individuals as stated per row (DTM: "
             "households × 6, × 5 in camps from round {round}) · a site missing from a round is counted as closed, "
             "a new one as appeared.").format(span=span, round=METHOD_CHANGE_ROUND)

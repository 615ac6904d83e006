"""Trends for the monthly meeting: national displacement and returns over DTM rounds,
Return / Displacement Index severity, FVM progress, and round-to-round change of sites.

Where the data comes from (the embedded default, ``data/``):

- ``national_series``: IOM DTM Iraq national IDP individuals by round (R1, Apr 2014 …
  R132, Apr 2024) and returnee individuals where published (``../shared/facts``).
  DTM computes individuals as households × 6, and × 5 for households in camps from
  round 117 (Aug 2020): the method changed there, and the charts mark it.
- ``index_rounds``: DTM Return Index and Displacement Index rounds. Unknown figures stay
  empty; a round absent from the data (Return Index round 5; Displacement Index rounds
  9-10) or without figures (Displacement Index rounds 2-7) is a GAP in every line,
  never a zero and never bridged.
- ``fvm``: IOM's facilitated-voluntary-movement table (seed 004, 18 May 2023), three
  periods × six indicators, with the seed's own footnotes in ``note``.
- ``population`` + ``sites``: when several DTM Master List rounds are loaded, the same
  trend by governorate and district, and what changed between two rounds.

Caveats shown with the numbers: returnee totals are not published for rounds 127-131
(gap); round numbers and dates disagree between sources for 2014-early 2016 (the date is
the key, round 48 appears on two dates); FVM conversion rates compare cumulative totals,
not cohorts (a household registered in 2022 may return in 2023; cash grants are paid in
the year after departure).

Every figure builder returns a ``plotly.graph_objects.Figure`` with a title, axis units,
a source line and the data's date, in the colours of :data:`dsdash.schema.COLOURS`.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dsdash.charts import empty_figure, finish_figure, wrap
from dsdash.dataset import Dataset
from dsdash.text import md_plain, plain  # noqa: F401  (re-exported: pages call T.md_plain)
from dsdash.filters import Filters, filter_sites
from dsdash.provenance import KeyFigure
from dsdash.schema import (
    COLOURS,
    DTM_CREDIT,
    FVM_INDICATORS,
    POPULATION_GROUP_LABELS,
    IndexName,
    PopulationGroup,
    governorate_name,
)

#: DTM round from which households in camps count × 5 instead of × 6 (Aug 2020).
METHOD_CHANGE_ROUND = 117
METHOD_CHANGE_TEXT = "R117 (Aug 2020): camp households × 5 (× 6 before and out of camp)"
NATIONAL_METHOD = "individuals = households × 6 (× 5 for households in camps from round 117, Aug 2020)"

INDEX_LABELS = {IndexName.RETURN.value: "Return Index", IndexName.DISPLACEMENT.value: "Displacement Index"}
INDEX_WHO = {IndexName.RETURN.value: "returnees", IndexName.DISPLACEMENT.value: "IDPs"}

#: FVM stages of the funnel, in order: (key, label, base key for the conversion rate).
RETURNED_OR_RELOCATED = "returned_or_relocated"
FVM_STAGES: list[tuple[str, str, str | None]] = [
    ("registered_help_desk", "Registered at help desks", None),
    (RETURNED_OR_RELOCATED, "Returned or relocated", "registered_help_desk"),
    ("returned", "Returned", "registered_help_desk"),
    ("relocated", "Relocated", "registered_help_desk"),
    ("cash_grants", "Cash grants", RETURNED_OR_RELOCATED),
    ("livelihoods_support", "Livelihoods support", RETURNED_OR_RELOCATED),
    ("housing_repairs_completed", "Housing repair / reconstruction completed", RETURNED_OR_RELOCATED),
]
FVM_PERIOD_INDICATORS = [k for k, _, _ in FVM_STAGES if k != RETURNED_OR_RELOCATED]
FVM_CAVEAT = ("Rates compare cumulative totals over all periods, not cohorts: a household registered in one "
              "period may move in the next, and cash grants are paid in the year after departure.")



# --------------------------------------------------------------------------- helpers
def _d(value) -> dt.date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _int_or_none(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _float_or_none(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


# --------------------------------------------------------------------------- national
def national_series_table(ds: Dataset) -> pd.DataFrame:
    """IDPs and returnees nationally, one row per DTM reference date, sorted by date.

    Columns: ``reference_date``, ``dtm_round``, ``idp``, ``returnee`` (Int64; <NA> where
    the figure is not published: a gap, never zero).

    Examples (embedded data): the last row is round 132, 30 Apr 2024, 1,098,913 IDPs and
    4,871,916 returnees; rounds 127-131 have IDPs and no returnee figure.
    """
    ns = ds.national_series
    cols = ["reference_date", "dtm_round", PopulationGroup.IDP.value, PopulationGroup.RETURNEE.value]
    if ns.empty:
        out = pd.DataFrame({c: pd.Series(dtype="Int64") for c in cols})
        out["reference_date"] = pd.Series(dtype="datetime64[s]")
        return out
    wide = ns.pivot_table(index="reference_date", columns="population_group", values="individuals",
                          aggfunc="first")
    rounds = ns.sort_values(["reference_date", "population_group"]).groupby("reference_date")["dtm_round"].first()
    out = pd.DataFrame({"reference_date": wide.index})
    out["dtm_round"] = pd.array(rounds.reindex(wide.index).to_numpy(), dtype="Int64")
    for g in (PopulationGroup.IDP.value, PopulationGroup.RETURNEE.value):
        vals = wide[g] if g in wide.columns else pd.Series(pd.NA, index=wide.index)
        out[g] = pd.array(vals.to_numpy(), dtype="Int64") if len(vals) else pd.array([], dtype="Int64")
    out["reference_date"] = out["reference_date"].astype("datetime64[s]")
    return out.sort_values("reference_date", kind="stable").reset_index(drop=True)[cols]


def national_latest_change(ds: Dataset) -> pd.DataFrame:
    """The latest national figure of each group and its change since the previous
    published one, saying when rounds in between are not published.

    Columns: population_group, label, latest_round, latest_date, latest, previous_round,
    previous_date, previous, change, change_pct, note.
    """
    t = national_series_table(ds)
    rows = []
    for g in (PopulationGroup.IDP.value, PopulationGroup.RETURNEE.value):
        s = t[t[g].notna()]
        if s.empty:
            continue
        last = s.iloc[-1]
        prev = s.iloc[-2] if len(s) > 1 else None
        note = ""
        if prev is not None:
            skipped = t[(t["reference_date"] > prev["reference_date"]) & (t["reference_date"] < last["reference_date"])]
            if len(skipped):
                rr = [int(r) for r in skipped["dtm_round"].dropna()]
                note = (f"no {g} figure published for round"
                        f"{'s' if len(rr) > 1 else ''} {_ranges(rr)}: change over "
                        f"{len(skipped) + 1} rounds")
        change = int(last[g] - prev[g]) if prev is not None else None
        rows.append({
            "population_group": g,
            "label": POPULATION_GROUP_LABELS[g],
            "latest_round": _int_or_none(last["dtm_round"]),
            "latest_date": last["reference_date"],
            "latest": int(last[g]),
            "previous_round": _int_or_none(prev["dtm_round"]) if prev is not None else None,
            "previous_date": prev["reference_date"] if prev is not None else pd.NaT,
            "previous": int(prev[g]) if prev is not None else None,
            "change": change,
            "change_pct": round(100 * change / int(prev[g]), 1) if prev is not None and int(prev[g]) else None,
            "note": note,
        })
    return pd.DataFrame(rows, columns=["population_group", "label", "latest_round", "latest_date", "latest",
                                       "previous_round", "previous_date", "previous", "change", "change_pct",
                                       "note"])


def _ranges(nums: list[int]) -> str:
    """'5', '9-10', '127-131', '3, 5-6'."""
    nums = sorted(set(nums))
    parts, i = [], 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        parts.append(str(nums[i]) if i == j else f"{nums[i]}-{nums[j]}")
        i = j + 1
    return ", ".join(parts)


def national_trend_figure(ds: Dataset) -> go.Figure:
    """IDPs and returnees in Iraq by DTM round (x = reference date), the method change
    at round 117 marked, unknown figures drawn as gaps (``connectgaps=False``)."""
    t = national_series_table(ds)
    title = "IDPs and returnees in Iraq by DTM round"
    if t.empty:
        return empty_figure(title, "No national series in the active data")
    fig = go.Figure()
    rounds = [_int_or_none(r) for r in t["dtm_round"]]
    for g in (PopulationGroup.IDP.value, PopulationGroup.RETURNEE.value):
        y = [_int_or_none(v) for v in t[g]]
        if not any(v is not None for v in y):
            continue
        fig.add_trace(go.Scatter(
            x=list(t["reference_date"]), y=y, customdata=rounds, name=POPULATION_GROUP_LABELS[g],
            mode="lines+markers", marker=dict(size=4), line=dict(color=COLOURS[g], width=2), connectgaps=False,
            hovertemplate="Round %{customdata}, %{x|%d %b %Y}<br>%{y:,} individuals<extra>%{fullData.name}</extra>",
        ))
    change = t[t["dtm_round"] == METHOD_CHANGE_ROUND]
    if len(change):
        x = pd.Timestamp(change["reference_date"].iloc[0])
        fig.add_shape(type="line", x0=x, x1=x, xref="x", y0=0, y1=1, yref="paper",
                      line=dict(color=COLOURS["method_change"], dash="dash", width=1))
        fig.add_annotation(x=x, y=0.99, xref="x", yref="paper", yanchor="top", xanchor="right", xshift=-4,
                           text="method change:<br>" + METHOD_CHANGE_TEXT.replace(": ", ":<br>", 1), showarrow=False,
                           align="right", bgcolor="rgba(255,255,255,0.8)",
                           font=dict(size=10, color=COLOURS["method_change"]))
    for r in national_latest_change(ds).itertuples():
        change = "" if r.change is None or pd.isna(r.change) else f"<br>{r.change:+,} since R{r.previous_round}"
        fig.add_annotation(x=pd.Timestamp(r.latest_date), y=r.latest, xref="x", yref="y", xanchor="right",
                           yanchor="bottom", yshift=6, showarrow=False, align="right",
                           text=f"R{r.latest_round}: {r.latest:,}{change}",
                           font=dict(size=11, color=COLOURS[r.population_group]))
    last = t.iloc[-1]
    latest = f"round {_int_or_none(last['dtm_round'])}, {pd.Timestamp(last['reference_date']):%d %b %Y}"
    gap_rounds = _returnee_gap_rounds(t)
    gap_text = (f" Returnee figures not published for round{'s' if len(gap_rounds) > 1 else ''} "
                f"{_ranges(gap_rounds)} (gap)." if gap_rounds else "")
    fig.update_layout(
        title=dict(text=f"{title}<br><sup>data to {latest}</sup>"),
        xaxis_title="DTM reference date (round)", yaxis_title="Individuals",
        yaxis=dict(tickformat=",d", rangemode="tozero"), hovermode="x unified",
    )
    return finish_figure(fig, wrap(f"{DTM_CREDIT}, national series R1-R{_int_or_none(last['dtm_round'])} · {latest} · "
                                    f"{NATIONAL_METHOD}.{gap_text}"), plot_px=400)


# --------------------------------------------------------------------------- by admin area
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


def has_several_rounds(ds: Dataset) -> bool:
    """True when the population table holds more than one reference date."""
    return ds.population["reference_date"].dropna().nunique() > 1


def population_by_admin(ds: Dataset, level: str = "admin1", group: str | None = None) -> pd.DataFrame:
    """Individuals per governorate (``admin1``) or district (``admin2``), population
    group and Master List round: reference_date, dtm_round, code, name, population_group,
    individuals, sites. Sites without an admin code count under 'unknown'."""
    if level not in ("admin1", "admin2"):
        raise ValueError("level must be 'admin1' or 'admin2'")
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
    label = "governorate" if level == "admin1" else "district"
    who = POPULATION_GROUP_LABELS.get(group, group)
    title = f"{who} by {label} and DTM Master List round"
    t = population_by_admin(ds, level, group)
    if t.empty:
        return empty_figure(title, "No population rows for this group")
    dates = sorted(t["reference_date"].dropna().unique())
    last = t[t["reference_date"] == dates[-1]].sort_values("individuals", ascending=False)
    areas = list(dict.fromkeys(list(last["code"]) + list(t.groupby("code")["individuals"].max()
                                                         .sort_values(ascending=False).index)))[:max_areas]
    names = dict(zip(t["code"], t["name"]))
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
        fig.add_trace(go.Scatter(x=list(dates), y=[_int_or_none(v) for v in s], name=plain(names[code]),
                                 mode="lines+markers", line=dict(color=COLOURS.get(group, COLOURS["idp"])),
                                 connectgaps=False, showlegend=False,
                                 hovertemplate="%{x|%d %b %Y}: %{y:,} individuals<extra>%{fullData.name}</extra>"),
                      row=i // ncols + 1, col=i % ncols + 1)
    fig.update_yaxes(tickformat=",d", rangemode="tozero")
    fig.update_layout(title=f"{title}<br><sup>{len(dates)} rounds, to {pd.Timestamp(dates[-1]):%d %b %Y}</sup>")
    fig.update_yaxes(title_text="Individuals", col=1)
    fig.update_xaxes(title_text="Master List reference date", row=nrows)
    return finish_figure(fig, wrap(f"{DTM_CREDIT}, Master Lists as loaded · individuals as stated per row "
                                    f"(households × 6, × 5 in camps from round {METHOD_CHANGE_ROUND})"),
                         plot_px=230 * nrows, legend=False)


def _area_governorates(ds: Dataset, level: str) -> dict[str, str]:
    s = ds.sites.dropna(subset=[f"{level}_code", "admin1_code"]).drop_duplicates(f"{level}_code")
    return dict(zip(s[f"{level}_code"], s["admin1_code"]))


def round_change_table(ds: Dataset, before: dt.date | str | None = None, after: dt.date | str | None = None,
                       group: str | None = None) -> pd.DataFrame:
    """What changed between two Master List rounds, per site and population group.

    ``before``/``after`` default to the two latest reference dates. Columns: site_id,
    site_name, admin1_name, admin2_name, population_group, before, after, change, status
    (appeared / closed / rise / fall / no change), sorted: appeared, closed, then the
    largest rises and falls by size of change.
    """
    pop = ds.population
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
    order = {"appeared": 0, "closed": 1, "rise": 2, "fall": 2, "no change": 3}
    m["_o"] = m["status"].map(order)
    m["_a"] = -m["change"].abs()
    m = m.sort_values(["_o", "_a", "site_id"]).drop(columns=["_o", "_a"])
    return m[cols].reset_index(drop=True)


def round_change_summary(changes: pd.DataFrame) -> pd.DataFrame:
    """Count and individuals per status of a :func:`round_change_table`."""
    if changes.empty:
        return pd.DataFrame(columns=["status", "sites", "change"])
    return changes.groupby("status", as_index=False).agg(sites=("site_id", "nunique"), change=("change", "sum"))


# --------------------------------------------------------------------------- index severity
def _index_label(rnd, start, end) -> str:
    if rnd is not None and not pd.isna(rnd):
        return f"R{int(rnd)}"
    if start is not None and not pd.isna(start):
        return f"{pd.Timestamp(start):%b}-{pd.Timestamp(end):%b %Y}"
    return f"to {pd.Timestamp(end):%b %Y}"


def index_table(ds: Dataset, index: str, *, gaps: bool = True) -> pd.DataFrame:
    """One row per round of the Return Index (``"return_index"``) or Displacement Index
    (``"displacement_index"``), in order, with a GAP row for every round absent from the
    data (e.g. Return Index round 5): all figures <NA>, ``period_end`` NaT, ``is_gap`` True.

    Columns: round, period_end, locations_assessed, locations_severe, population_severe,
    share_severe (the contract), then round_label, period_start, is_gap, note, source.
    ``gaps=False`` leaves the gap rows out (rounds in the data, with unknown figures <NA>).

    Where a round without number sits between numbered rounds (the Return Index round of
    Sep-Dec 2023), the rounds in between are shown as one gap on each side of it.
    """
    index = str(index)
    if index not in INDEX_LABELS:
        raise ValueError(f"index must be one of {', '.join(INDEX_LABELS)}")
    ir = ds.index_rounds
    s = ir[ir["index"] == index].sort_values(["period_end", "round"], kind="stable").reset_index(drop=True)
    rows: list[dict] = []
    prev = None
    for r in s.itertuples(index=False):
        rnd = _int_or_none(r.round)
        if gaps and prev is not None:
            p = _int_or_none(prev.round)
            if p is not None and rnd is not None:
                missing = list(range(p + 1, rnd))
                for m in missing:
                    rows.append(_gap_row(m, f"R{m}"))
            elif p is not None and rnd is None:
                rows.append(_gap_row(None, f"R{p + 1}…"))
            elif p is None and rnd is not None:
                rows.append(_gap_row(None, f"…R{rnd - 1}"))
        rows.append({
            "round": rnd, "period_end": r.period_end, "locations_assessed": _int_or_none(r.locations_assessed),
            "locations_severe": _int_or_none(r.locations_severe),
            "population_severe": _int_or_none(r.population_severe),
            "share_severe": _float_or_none(r.share_severe),
            "round_label": _index_label(r.round, r.period_start, r.period_end), "period_start": r.period_start,
            "is_gap": False, "note": r.note if not pd.isna(r.note) else "", "source": r.source,
        })
        prev = r
    out = pd.DataFrame(rows, columns=["round", "period_end", "locations_assessed", "locations_severe",
                                      "population_severe", "share_severe", "round_label", "period_start",
                                      "is_gap", "note", "source"])
    for c in ("round", "locations_assessed", "locations_severe", "population_severe"):
        out[c] = out[c].astype("Int64")
    out["share_severe"] = out["share_severe"].astype("Float64")
    for c in ("period_end", "period_start"):
        out[c] = pd.to_datetime(out[c]).astype("datetime64[s]")
    out["is_gap"] = out["is_gap"].astype(bool)
    for c in ("round_label", "note", "source"):
        out[c] = out[c].astype("string")
    return out


def _gap_row(rnd: int | None, label: str) -> dict:
    return {"round": rnd, "period_end": pd.NaT, "locations_assessed": None, "locations_severe": None,
            "population_severe": None, "share_severe": None, "round_label": label, "period_start": pd.NaT,
            "is_gap": True, "note": "round not in the data (no published figures found): shown as a gap",
            "source": ""}


def index_severity_figure(ds: Dataset, index: str) -> go.Figure:
    """Three panels over the rounds of an index (x = round, a category axis so a missing
    round keeps its place): people in severe conditions; their share in %; locations
    assessed and locations in severe conditions. Unknown values and missing rounds are
    gaps (``None`` in ``y``, ``connectgaps=False``), never zeros."""
    t = index_table(ds, index)
    name = INDEX_LABELS[str(index)]
    who = INDEX_WHO[str(index)]
    who_title = "IDPs" if who == "IDPs" else who.capitalize()
    title = f"DTM {name}: {who} and locations in severe conditions, by round"
    if t.empty:
        return empty_figure(title, f"No {name} rounds in the active data")
    x = list(t["round_label"])
    fig = make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.07, row_heights=[0.4, 0.25, 0.35])
    period = [f"{pd.Timestamp(s):%b %Y}-" if not pd.isna(s) else "" for s in t["period_start"]]
    period = [f"{p}{pd.Timestamp(e):%b %Y}" if not pd.isna(e) else "not in data" for p, e in zip(period, t["period_end"])]

    def line(col, label, colour, dash=None, fmt=",d", unit="", symbol="circle"):
        return go.Scatter(x=x, y=[_float_or_none(v) if col == "share_severe" else _int_or_none(v) for v in t[col]],
                          name=label, mode="lines+markers", connectgaps=False, customdata=period,
                          line=dict(color=colour, dash=dash), marker=dict(size=7, symbol=symbol),
                          hovertemplate=f"%{{x}} (%{{customdata}}): %{{y:{fmt}}}{unit}<extra>{label}</extra>")

    fig.add_trace(line("population_severe", f"{who_title} in severe conditions", COLOURS["severe"]), row=1, col=1)
    fig.add_trace(line("share_severe", f"Share of {who} in severe conditions (%)", COLOURS["severe"], "dot",
                       ".0f", " %", "diamond"), row=2, col=1)
    fig.add_trace(line("locations_assessed", "Locations assessed", COLOURS["idp" if who == "IDPs" else "returnee"]),
                  row=3, col=1)
    fig.add_trace(line("locations_severe", "Locations in severe conditions", COLOURS["severe"], "dash",
                       symbol="square"), row=3, col=1)
    known = t[~t["is_gap"]]
    latest = known.iloc[-1]
    latest_txt = f"{latest['round_label']}, data to {pd.Timestamp(latest['period_end']):%b %Y}"
    gap_labels = [lbl for lbl in t.loc[t["is_gap"], "round_label"]]
    nofig = list(known.loc[known["population_severe"].isna(), "round_label"])
    fig.update_yaxes(title_text=f"{who_title} (individuals)", tickformat=",d", rangemode="tozero", row=1, col=1)
    fig.update_yaxes(title_text="Share (%)", ticksuffix=" %", rangemode="tozero", row=2, col=1)
    fig.update_yaxes(title_text="Locations", tickformat=",d", rangemode="tozero", row=3, col=1)
    ticks = [lbl.replace(" ", "<br>", 1) if " " in lbl else lbl for lbl in x]
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=x, tickvals=x, ticktext=ticks,
                     tickangle=0)
    fig.update_xaxes(title_text="Round (every round keeps its place; a round missing from the data is a gap)",
                     row=3, col=1)
    fig.update_layout(title=f"{title}<br><sup>latest: {latest_txt}</sup>")
    gaps_txt = (f" Gaps: rounds not in the data ({', '.join(gap_labels)})" if gap_labels else "")
    nofig_txt = (f"; rounds without severity figures ({', '.join(nofig)})" if nofig else "")
    return finish_figure(fig, wrap(f"{DTM_CREDIT}, {name} reports (per round in the table) · {latest_txt} · "
                                    f"severe = locations in the high-severity category; share of all {who} "
                                    f"assessed.{gaps_txt}{nofig_txt}."), plot_px=520, below_px=80)


# --------------------------------------------------------------------------- FVM
def fvm_by_period(ds: Dataset) -> pd.DataFrame:
    """Each FVM indicator by period (households), with running (cumulative) totals and
    the seed's footnote per cell.

    Columns: period_label, indicator, value, note (the contract), then indicator_label,
    period_start, period_end, cumulative, unit, source. Indicators in funnel order,
    periods in date order; the text-only 'facilitated_total' row is left out (see
    :func:`fvm_footnotes`).
    """
    f = ds.fvm
    f = f[f["indicator"].isin(FVM_PERIOD_INDICATORS)].copy()
    cols = ["period_label", "indicator", "value", "note", "indicator_label", "period_start", "period_end",
            "cumulative", "unit", "source"]
    if f.empty:
        return pd.DataFrame(columns=cols)
    f["_o"] = f["indicator"].map({k: i for i, k in enumerate(FVM_PERIOD_INDICATORS)})
    f = f.sort_values(["_o", "period_end"], kind="stable")
    f["indicator_label"] = f["indicator"].map(FVM_INDICATORS).astype("string")
    f["cumulative"] = f.groupby("indicator")["value"].cumsum().astype("Int64")
    f["note"] = f["note"].fillna("")
    return f[cols].reset_index(drop=True)


def fvm_totals(ds: Dataset) -> dict[str, int]:
    """Cumulative households per indicator over all periods, plus returned_or_relocated."""
    p = fvm_by_period(ds)
    tot = {k: int(v) for k, v in p.groupby("indicator")["value"].sum().items()}
    if "returned" in tot or "relocated" in tot:
        tot[RETURNED_OR_RELOCATED] = tot.get("returned", 0) + tot.get("relocated", 0)
    return tot


def fvm_funnel(ds: Dataset) -> pd.DataFrame:
    """The FVM funnel on cumulative totals: registered → returned or relocated (and each)
    → each type of support, with conversion rates.

    Columns: stage (display label), households, note (the contract), then indicator,
    base (label of the stage the rate is taken on), rate_pct (households / base × 100,
    one decimal; None for the first stage).

    Examples (embedded data, to 30 Apr 2023): registered 8,598; returned 5,895 (68.6 %);
    relocated 466 (5.4 %); returned or relocated 6,361 (74.0 %); cash grants 6,361
    (100.0 % of returned or relocated); livelihoods 1,206 (19.0 %); housing 874 (13.7 %).
    """
    tot = fvm_totals(ds)
    p = fvm_by_period(ds)
    labels = {k: lbl for k, lbl, _ in FVM_STAGES}
    rows = []
    for key, label, base in FVM_STAGES:
        if key not in tot:
            continue
        notes = sorted({n for n in p.loc[p["indicator"] == key, "note"] if n})
        if key == RETURNED_OR_RELOCATED:
            notes.append("returned + relocated")
        rate = None
        if base is not None and tot.get(base):
            rate = round(100 * tot[key] / tot[base], 1)
        rows.append({"stage": label, "households": tot[key], "note": " ".join(notes), "indicator": key,
                     "base": labels.get(base, "") if base else "", "rate_pct": rate})
    return pd.DataFrame(rows, columns=["stage", "households", "note", "indicator", "base", "rate_pct"])


def fvm_footnotes(ds: Dataset) -> list[str]:
    """The seed's own footnotes, in order, then how the totals compare with the text's
    'facilitated' figure (shown under the FVM charts, never hidden)."""
    f = ds.fvm
    notes = []
    for n in fvm_by_period(ds)["note"]:
        if n and n not in notes:
            notes.append(str(n))
    notes.sort(key=lambda s: len(s) - len(s.lstrip("*")))
    tot = fvm_totals(ds)
    total_rows = f[f["indicator"] == "facilitated_total"]
    if len(total_rows) and RETURNED_OR_RELOCATED in tot:
        stated = int(total_rows["value"].iloc[-1])
        end = pd.Timestamp(total_rows["period_end"].iloc[-1])
        summed = tot[RETURNED_OR_RELOCATED]
        diff = summed - stated
        notes.append(
            f"The source's text gives {stated:,} households facilitated to return or relocate by {end:%B %Y}; "
            f"the table's returned + relocated sum to {summed:,}"
            + (f" ({diff:+,}; the source does not explain the difference)." if diff else " (the same).")
        )
    notes.append(FVM_CAVEAT)
    return notes


def fvm_source(ds: Dataset) -> str:
    """The FVM source documents, without the part of the document (table, section)."""
    docs = list(dict.fromkeys(str(s).split(")")[0] + (")" if ")" in str(s) else "")
                              for s in ds.fvm["source"].dropna()))
    if not docs:
        return "no FVM data"
    return docs[0] if len(docs) == 1 else f"{docs[0]} and {len(docs) - 1} more"


def _fvm_date(ds: Dataset) -> str:
    end = ds.fvm["period_end"].dropna()
    return f"data to {pd.Timestamp(end.max()):%d %b %Y}" if len(end) else "date not stated"


def fvm_funnel_figure(ds: Dataset) -> go.Figure:
    """Horizontal bars of the FVM funnel (cumulative households), each labelled with its
    conversion rate, the seed's footnotes under the chart."""
    fun = fvm_funnel(ds)
    title = "FVM: from registration to return or relocation and support (cumulative)"
    if fun.empty:
        return empty_figure(title, "No FVM data in the active data")
    colours = [COLOURS.get(k, COLOURS["returnee"] if k == RETURNED_OR_RELOCATED else "#7f7f7f")
               for k in fun["indicator"]]
    text = [f"{h:,}" + (f" ({r:.1f} % of {b.lower()})" if r is not None and not pd.isna(r) else "")
            for h, r, b in zip(fun["households"], fun["rate_pct"], fun["base"])]
    fig = go.Figure(go.Bar(
        y=list(fun["stage"]), x=list(fun["households"]), orientation="h", marker_color=colours, text=text,
        textposition="outside", cliponaxis=False, name="Households",
        hovertemplate="%{y}: %{x:,} households<extra></extra>",
    ))
    periods = plain(", ".join(dict.fromkeys(fvm_by_period(ds)["period_label"])))
    fig.update_layout(title=f"{title}<br><sup>{periods}; {_fvm_date(ds)}</sup>",
                      xaxis=dict(title="Households (cumulative)", tickformat=",d",
                                 range=[0, max(fun["households"]) * 1.45]),
                      yaxis=dict(autorange="reversed", title=""))
    notes = "<br>".join(wrap(plain(n), 150) for n in fvm_footnotes(ds))
    return finish_figure(fig, wrap(f"Source: {plain(fvm_source(ds))} · {_fvm_date(ds)} · households; rates on "
                                    f"cumulative totals", 150) + f"<br>{notes}",
                         plot_px=340, left_px=270, legend=False, top_px=80)


def fvm_period_figure(ds: Dataset) -> go.Figure:
    """Grouped bars: each FVM indicator by period (households); footnote markers (*, **)
    on the bars the seed annotates, the footnotes under the chart."""
    p = fvm_by_period(ds)
    title = "FVM indicators by period"
    if p.empty:
        return empty_figure(title, "No FVM data in the active data")
    p = p.assign(period_label=[plain(v) for v in p["period_label"]])
    periods = list(dict.fromkeys(p.sort_values("period_end")["period_label"]))
    fig = go.Figure()
    for key in FVM_PERIOD_INDICATORS:
        s = p[p["indicator"] == key].set_index("period_label").reindex(periods)
        if s["value"].isna().all():
            continue
        marks = [(n.split(" ")[0] if isinstance(n, str) and n.startswith("*") else "") for n in s["note"]]
        fig.add_trace(go.Bar(
            x=periods, y=[_int_or_none(v) for v in s["value"]], name=FVM_INDICATORS[key],
            marker_color=COLOURS.get(key), text=[f"{_int_or_none(v):,}{m}" if _int_or_none(v) is not None else ""
                                                 for v, m in zip(s["value"], marks)],
            textposition="outside", cliponaxis=False,
            hovertemplate="%{x}: %{y:,} households<extra>%{fullData.name}</extra>",
        ))
    fig.update_layout(barmode="group", title=f"{title}<br><sup>{_fvm_date(ds)}</sup>",
                      xaxis_title="Period", yaxis=dict(title="Households", tickformat=",d"))
    notes = "<br>".join(wrap(plain(n), 150) for n in fvm_footnotes(ds)[:-1])
    return finish_figure(fig, wrap(f"Source: {plain(fvm_source(ds))} · {_fvm_date(ds)} · households per period", 150)
                         + f"<br>{notes}", plot_px=380, top_px=130)


def fvm_figures(ds: Dataset) -> list[KeyFigure]:
    """Key figures of the FVM programme (cumulative households), each with source, date
    and method: registered, returned or relocated (with the rate), returned, relocated."""
    fun = fvm_funnel(ds)
    if fun.empty:
        return []
    src, date = fvm_source(ds), _fvm_date(ds)
    periods = ", ".join(dict.fromkeys(fvm_by_period(ds)["period_label"]))
    out = []
    for r in fun.itertuples():
        if r.indicator not in ("registered_help_desk", RETURNED_OR_RELOCATED, "returned", "relocated"):
            continue
        rate = "" if r.rate_pct is None or pd.isna(r.rate_pct) else f"; {r.rate_pct:.1f} % of {r.base.lower()}"
        out.append(KeyFigure(f"FVM: {r.stage.lower()}" if r.indicator != "registered_help_desk"
                             else "FVM: registered at help desks", int(r.households), "households", src, date,
                             f"households, sum of {periods}{rate}"))
    return out


def caseload_table(ds: Dataset) -> pd.DataFrame:
    """Priority caseload sizes of the FVM programme (context): group, population,
    individuals, share_pct, note, source."""
    c = ds.caseload.copy()
    c["population"] = c["population"].map(POPULATION_GROUP_LABELS).fillna(c["population"])
    return c[["group", "population", "individuals", "share_pct", "note", "source"]].reset_index(drop=True)


def obstacles_table(ds: Dataset) -> pd.DataFrame:
    """The three categories of return obstacles (RWG Protracted Displacement Framework):
    category, category_name, obstacle, fvm_response."""
    o = ds.return_obstacles.sort_values(["category"], kind="stable")
    return o[["category", "category_name", "obstacle", "fvm_response"]].reset_index(drop=True)


# --------------------------------------------------------------------------- captions
def captions(ds: Dataset) -> dict[str, str]:
    """One plain-text line per chart: source · date · method (for a page caption or a
    slide note). Keys: national, admin, return_index, displacement_index, fvm_funnel,
    fvm_period."""
    out: dict[str, str] = {}
    t = national_series_table(ds)
    if len(t):
        first, last = t.iloc[0], t.iloc[-1]
        gaps = _returnee_gap_rounds(t)
        out["national"] = (
            f"Source: IOM DTM, Iraq national series (data/national_series.csv, sources per row) · "
            f"R{_int_or_none(first['dtm_round'])} ({pd.Timestamp(first['reference_date']):%d %b %Y}) to "
            f"R{_int_or_none(last['dtm_round'])} ({pd.Timestamp(last['reference_date']):%d %b %Y}) · "
            f"{NATIONAL_METHOD}. The dashed line marks the method change at round {METHOD_CHANGE_ROUND}."
            + (f" Returnee figures are not published for rounds {_ranges(gaps)}: a gap, not a zero." if gaps else "")
            + " Round numbers and dates disagree between sources for 2014 to early 2016: the date is the key."
        )
    else:
        out["national"] = "No national series in the active data."
    rounds = master_list_rounds(ds)
    if len(rounds):
        lo, hi = pd.Timestamp(rounds["reference_date"].min()), pd.Timestamp(rounds["reference_date"].max())
        span = f"1 reference date, {lo:%d %b %Y}" if lo == hi else f"{len(rounds)} reference dates, {lo:%d %b %Y} to {hi:%d %b %Y}"
        out["admin"] = (f"Source: the Master List rounds in the active data ({span}) · individuals as stated per "
                        f"row (DTM: households × 6, × 5 in camps from round {METHOD_CHANGE_ROUND}) · a site missing "
                        "from a round is counted as closed, a new one as appeared.")
    else:
        out["admin"] = "No population rows in the active data."
    for index in INDEX_LABELS:
        t = index_table(ds, index, gaps=False)
        if t.empty:
            out[index] = f"No {INDEX_LABELS[index]} rounds in the active data."
            continue
        last = t.iloc[-1]
        out[index] = (
            f"Source: IOM DTM {INDEX_LABELS[index]} reports (per round in the table below) · {len(t)} rounds, data "
            f"to {pd.Timestamp(last['period_end']):%b %Y} · severe = locations in the high-severity category; share "
            f"= {INDEX_WHO[index]} in severe locations / all {INDEX_WHO[index]} assessed. Rounds missing from the "
            "data and rounds without severity figures are gaps in the lines, never zeros."
        )
    if len(ds.fvm):
        out["fvm_funnel"] = (f"Source: {fvm_source(ds)} · {_fvm_date(ds)} · households, cumulative over "
                             f"{', '.join(dict.fromkeys(fvm_by_period(ds)['period_label']))}; rate = stage / base "
                             "stage × 100. " + FVM_CAVEAT)
        out["fvm_period"] = (f"Source: {fvm_source(ds)} · {_fvm_date(ds)} · households per period as the source "
                             "prints them; the asterisk marks on the bars refer to the source's footnotes below.")
    else:
        out["fvm_funnel"] = out["fvm_period"] = "No FVM data in the active data."
    return out


def _returnee_gap_rounds(t: pd.DataFrame) -> list[int]:
    known = t["returnee"].notna()
    if not known.any():
        return []
    first = t.loc[known, "reference_date"].min()
    last = t.loc[known, "reference_date"].max()
    g = t[~known & (t["reference_date"] > first) & (t["reference_date"] < last)]
    return [int(r) for r in g["dtm_round"].dropna()]

"""Figures and tables of the Gaps and exits page, built from :mod:`dsdash.coverage`.

Every builder returns a ``go.Figure`` or a DataFrame that tests inspect without
Streamlit. Names of sites and partners are untrusted text: in figures they pass
through :func:`plain` (plotly reads a subset of HTML in labels and hovers, links
included), in tables they stay text for ``st.dataframe``.

Sources: partner presence and reported needs as transcribed in ``data/presence.csv`` and
``data/needs.csv`` (seed 000, DSTWG 13 Dec 2023, slides "Humanitarian support",
"Government support", "Gaps identified"); people from the population table (IOM DTM).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from dsdash.coverage import METHOD, STATE_ORDER, WITHOUT_STATES, people_without_service, site_states
from dsdash.dataset import Dataset
from dsdash.filters import Filters, filter_sites
from dsdash.provenance import KeyFigure, document, short_source
from dsdash.schema import COLOURS, COVERAGE_STATE_LABELS, INDIVIDUALS_METHOD_LABELS, SERVICE_LABELS, PartnerType
from dsdash.scope import expand_to_sites
from dsdash.text import plain  # noqa: F401  (re-exported: the page and tests use gaps.plain)

#: Heatmap colour index of each state (worst first, as CoverageState).
STATE_CODE = {s: i for i, s in enumerate(STATE_ORDER)}

#: Readable column names of the matrix table on screen.
MATRIX_LABELS = {
    "site_name": "Site", "admin2_name": "District", "service_label": "Service", "state_label": "State",
    "individuals": "Individuals", "providers": "Providers on the date", "next_end": "Next end",
    "lost_providers": "Partners gone", "need_severity": "Reported need", "need_note": "Need (as reported)",
}


def _date_text(value: object) -> str:
    if value is None or pd.isna(value):
        return ""
    return f"{pd.Timestamp(value):%d %b %Y}"


def _people_text(value: object) -> str:
    return "unknown" if value is None or pd.isna(value) else f"{int(value):,}"




def sources_text(ds: Dataset) -> str:
    """'Source: …' for the gap figures: the documents behind presence, needs and population."""
    docs: dict[str, str] = {}  # file or first words → the document's description (first met)
    for t in ("presence", "needs", "population"):
        for s in ds.tables[t]["source"].dropna().unique():
            d = document(s)
            docs.setdefault(d.split(" (")[0], d)
    docs = list(docs.values())
    if not docs:
        return "Source: no presence or population rows"
    head = "; ".join(docs[:3])
    return f"Source: {head}" + (f" and {len(docs) - 3} more" if len(docs) > 3 else "")


def caption(ds: Dataset, matrix: pd.DataFrame, what: str = "") -> str:
    """Source · date · method line for a figure built from ``matrix``."""
    pop = ds.population
    methods = sorted(set(pop["individuals_method"].dropna()))
    method = "; ".join(INDIVIDUALS_METHOD_LABELS.get(m, m) for m in methods) or "no population count"
    dates = pop["reference_date"].dropna()
    pop_date = f"people as of {pd.Timestamp(dates.max()):%d %b %Y}" if len(dates) else "people: no count"
    as_of = matrix.attrs.get("as_of", "")
    horizon = matrix.attrs.get("horizon_days", "")
    when = f"coverage on {_date_text(as_of)}, horizon {horizon} days, {pop_date}"
    return f"{what + ' · ' if what else ''}{sources_text(ds)} · {when} · Method: {METHOD}; {method}."


# --------------------------------------------------------------------------- tables
def matrix_table(matrix: pd.DataFrame) -> pd.DataFrame:
    """The matrix for the screen: sites by people affected, readable labels, dates as dates."""
    order = site_states(matrix)["site_id"].tolist()
    m = matrix.copy()
    m["_o"] = m["site_id"].map({s: i for i, s in enumerate(order)})
    m = m.sort_values(["_o"], kind="stable")
    out = pd.DataFrame({
        "site_name": m["site_name"], "admin2_name": m["admin2_name"],
        "service_label": m["service"].map(SERVICE_LABELS).fillna(m["service"]).astype("string"),
        "state_label": m["state"].map(COVERAGE_STATE_LABELS).astype("string"),
        "individuals": m["individuals"], "providers": m["providers"],
        "next_end": m["next_end"].dt.date, "lost_providers": m["lost_providers"],
        "need_severity": m["need_severity"], "need_note": m["need_note"],
    })
    return out.rename(columns=MATRIX_LABELS).reset_index(drop=True)


def state_counts(matrix: pd.DataFrame) -> pd.DataFrame:
    """Cells and people (summed over cells) per state, worst first."""
    ind = matrix["individuals"].astype("Float64")
    rows = []
    for s in STATE_ORDER:
        sel = matrix["state"] == s
        rows.append({"state": s, "label": COVERAGE_STATE_LABELS[s], "cells": int(sel.sum()),
                     "people_in_cells": int(ind[sel].sum())})
    return pd.DataFrame(rows)


def gap_figures(matrix: pd.DataFrame, ds: Dataset) -> list[KeyFigure]:
    """Key figures of the matrix, each with source, date and method."""
    st = site_states(matrix)
    counts = state_counts(matrix).set_index("state")
    src = sources_text(ds).removeprefix("Source: ")
    date = f"coverage on {_date_text(matrix.attrs.get('as_of'))}"
    lost_sites = st[st["n_lost"] > 0]
    people_lost = lost_sites["individuals"].sum(min_count=1)
    return [
        KeyFigure("Services lost (site × service)", int(counts.at["lost", "cells"]), "cells", src, date,
                  "served before the date by a partner that has left; nobody serves now"),
        KeyFigure("People at sites with a lost service", None if pd.isna(people_lost) else int(people_lost),
                  "individuals", src, date, "sum of the latest DTM count of those sites"),
        KeyFigure("At risk (site × service)", int(counts.at["at_risk", "cells"]), "cells", src, date,
                  f"every provider ends within {matrix.attrs.get('horizon_days', '')} days"),
        KeyFigure("Handed over to government", int(counts.at["handed_over", "cells"]), "cells", src, date,
                  "only a government body serves the cell"),
    ]


def partner_names(ds: Dataset) -> list[str]:
    """Partners of the presence table, alphabetical (for the exit-scenario choice)."""
    return sorted({str(p) for p in ds.presence["partner"].dropna()}, key=str.lower)


def date_bounds(ds: Dataset) -> tuple[dt.date, dt.date]:
    """A sensible range for the as-of date: a year around every date in presence and population."""
    dates = pd.concat([ds.presence["start_date"], ds.presence["end_date"], ds.population["reference_date"],
                       ds.needs["reported_on"]]).dropna()
    if dates.empty:
        today = dt.date.today()
        return today - dt.timedelta(days=3650), today + dt.timedelta(days=3650)
    lo, hi = pd.Timestamp(dates.min()).date(), pd.Timestamp(dates.max()).date()
    return lo - dt.timedelta(days=366), hi + dt.timedelta(days=366)


def _filtered_presence(ds: Dataset, filters: Filters | None) -> pd.DataFrame:
    """Presence rows spread to the filtered sites, in the filtered services."""
    f = filters or Filters()
    sites = filter_sites(ds.sites, f, ds.population)
    ex, _ = expand_to_sites(ds.presence, sites)
    return ex[ex["service"].isin(f.service_list())]


def handover_table(ds: Dataset, matrix: pd.DataFrame) -> pd.DataFrame:
    """Cells left to government bodies, with the seed's notes on their capacity.

    Two kinds of rows: ``handed_over`` cells (only a government body serves on the date;
    ``note`` is that body's presence note), and ``lost`` cells where a partner that left
    named a body to take over (``handover_to``) but no government presence is recorded
    there (the request was not taken up). Largest sites first.

    Columns: site_name, service, state, individuals, government_body, since, handed_over_by,
    note, need_severity, need_note, site_id.
    """
    cols = ["site_name", "service", "state", "individuals", "government_body", "since", "handed_over_by", "note",
            "need_severity", "need_note", "site_id"]
    cells = matrix[matrix["state"].isin(["handed_over", "lost"])]
    if cells.empty:
        return pd.DataFrame(columns=cols)
    d = pd.Timestamp(matrix.attrs.get("as_of"))
    ex, _ = expand_to_sites(ds.presence, ds.sites[ds.sites["site_id"].isin(set(cells["site_id"]))])
    ex = ex.merge(cells[["site_id", "service", "state"]], on=["site_id", "service"], how="inner")
    start_ok = ex["start_date"].isna() | (ex["start_date"] <= d)
    end_ok = ex["end_date"].isna() | (d <= ex["end_date"])
    gov_now = ex[(ex["partner_type"] == PartnerType.GOVERNMENT.value) & start_ok & end_ok
                 & (ex["state"] == "handed_over")]
    asked = ex[ex["handover_to"].notna() & ex["end_date"].notna() & (ex["end_date"] < d)]
    # a partner "handed over" to a body serving now when its handover_to names that body
    bodies = gov_now.groupby(["site_id", "service"])["partner"].agg(lambda s: set(map(str, s))).to_dict()

    def joined(s: pd.Series) -> str:
        return "; ".join(dict.fromkeys(str(x) for x in s.dropna() if str(x)))

    rows = []
    key = ["site_id", "service"]
    by_asked = {k: g for k, g in asked.groupby(key)}
    for k, g in gov_now.groupby(key):
        a = by_asked.get(k)
        rows.append({"site_id": k[0], "service": k[1], "state": "handed_over",
                     "government_body": joined(g["partner"]),
                     "since": pd.Timestamp(g["start_date"].min()).date() if g["start_date"].notna().any() else None,
                     "handed_over_by": joined(a.loc[[str(h) in bodies.get(k, set()) for h in a["handover_to"]],
                                                    "partner"]) if a is not None else "",
                     "note": joined(g["note"])})
    lost_keys = set(map(tuple, cells.loc[cells["state"] == "lost", key].to_numpy().tolist()))
    for k, g in by_asked.items():
        if k in lost_keys:
            rows.append({"site_id": k[0], "service": k[1], "state": "lost",
                         "government_body": joined(g["handover_to"]) + " (asked; no government presence recorded)",
                         "since": None, "handed_over_by": joined(g["partner"]), "note": joined(g["note"])})
    if not rows:
        return pd.DataFrame(columns=cols)
    out = pd.DataFrame(rows).merge(
        cells[["site_id", "service", "site_name", "individuals", "need_severity", "need_note"]], on=key, how="left")
    out["service"] = out["service"].map(SERVICE_LABELS).fillna(out["service"])
    out["state"] = out["state"].map(COVERAGE_STATE_LABELS)
    out = out.sort_values(["individuals", "site_name", "service"], ascending=[False, True, True], na_position="last")
    for c in ("site_name", "service", "state", "government_body", "handed_over_by", "note", "site_id"):
        out[c] = out[c].astype("string")
    return out[cols].reset_index(drop=True)


def timeline_table(ds: Dataset, as_of: dt.date, *, filters: Filters | None = None,
                   horizon_days: int = 90) -> pd.DataFrame:
    """One bar per presence row covering the filtered sites and services.

    Open starts are drawn from the left edge (a year before the as-of date or the earliest
    known date) and open ends to the right edge (the horizon after the as-of date or the
    latest known date); ``start_known`` / ``end_known`` say which. Rows that "ended" on a
    date the source does not give never served and are left out (``attrs["left_out"]``).
    """
    cols = ["label", "partner", "partner_type", "service", "area", "n_sites", "start", "end", "start_known",
            "end_known", "status", "dates_as_stated", "note"]
    ex = _filtered_presence(ds, filters)
    never = (ex["status"] == "ended") & ex["end_date"].isna()
    left_out = int(ex.loc[never, "row_index"].nunique())
    ex = ex[~never]
    if ex.empty:
        out = pd.DataFrame(columns=cols)
        out.attrs["left_out"] = left_out
        return out
    rows = ds.presence.loc[sorted(set(ex["row_index"]))].copy()
    rows["n_sites"] = ex.groupby("row_index")["site_id"].nunique().reindex(rows.index).to_numpy()
    d = pd.Timestamp(as_of)
    known = pd.concat([rows["start_date"], rows["end_date"]]).dropna()
    left = min([d - pd.Timedelta(days=365)] + ([known.min() - pd.Timedelta(days=30)] if len(known) else []))
    right = max([d + pd.Timedelta(days=int(horizon_days))] + ([known.max() + pd.Timedelta(days=30)] if len(known) else []))
    area = rows["scope"].map({"site": "site", "site_group": "site group", "district": "district",
                              "governorate": "governorate"}).fillna(rows["scope"]) + " " + rows["scope_id"]
    site_names = ds.sites.set_index("site_id")["site_name"]
    is_site = rows["scope"] == "site"
    area = area.where(~is_site, "site " + rows["scope_id"].map(site_names).fillna(rows["scope_id"]))
    out = pd.DataFrame({
        "partner": rows["partner"], "partner_type": rows["partner_type"], "service": rows["service"],
        "area": area.astype("string"), "n_sites": rows["n_sites"].astype("Int64"),
        "start": rows["start_date"].fillna(left), "end": rows["end_date"].fillna(right) + pd.Timedelta(days=1),
        "start_known": rows["start_date"].notna(), "end_known": rows["end_date"].notna(),
        "status": rows["status"], "dates_as_stated": rows["dates_as_stated"], "note": rows["note"],
    })
    out["label"] = (out["partner"] + " · " + out["service"].map(SERVICE_LABELS).fillna(out["service"])).astype("string")
    out = out.sort_values(["partner_type", "partner", "service", "start"], kind="stable")
    out = out[cols].reset_index(drop=True)
    out.attrs["left_out"] = left_out
    return out


# --------------------------------------------------------------------------- figures
def heatmap_figure(matrix: pd.DataFrame, *, max_sites: int = 80) -> go.Figure:
    """Site × service heatmap, one colour per state (:data:`schema.COLOURS`), sites ordered
    by people affected (most at the top); the hover lists providers and end dates.

    With more than ``max_sites`` sites, the first ``max_sites`` in that order are drawn
    (the title says so)."""
    fig = go.Figure()
    if matrix.empty:
        fig.update_layout(title="No sites or services for this selection")
        return fig
    order = site_states(matrix)
    shown = order.head(max_sites)
    services = list(dict.fromkeys(matrix["service"].tolist()))
    pos = {s: i for i, s in enumerate(shown["site_id"])}
    svc_pos = {s: j for j, s in enumerate(services)}
    m = matrix[matrix["site_id"].isin(pos)]
    S, K = len(shown), len(services)
    z = np.full((S, K), np.nan)
    custom = np.empty((S, K, 6), dtype=object)
    custom[:] = ""
    i = m["site_id"].map(pos).to_numpy()
    j = m["service"].map(svc_pos).to_numpy()
    z[i, j] = m["state"].map(STATE_CODE).to_numpy(dtype=float)
    custom[i, j, 0] = [COVERAGE_STATE_LABELS.get(s, s) for s in m["state"]]
    custom[i, j, 1] = [plain(p) or "none" for p in m["providers"]]
    custom[i, j, 2] = [_date_text(x) or "—" for x in m["next_end"]]
    custom[i, j, 3] = [plain(p) or "—" for p in m["lost_providers"]]
    custom[i, j, 4] = [_people_text(x) for x in m["individuals"]]
    custom[i, j, 5] = [(plain(s) + ": " + plain(n)) if isinstance(s, str) else "—"
                       for s, n in zip(m["need_severity"].astype(object), m["need_note"].astype(object))]
    names = [f"{plain(n)} ({_people_text(p)})" for n, p in zip(shown["site_name"], shown["individuals"])]
    if len(set(names)) < len(names):  # plotly merges equal categories: tell same-named sites apart
        dup = pd.Series(names).duplicated(keep=False).to_numpy()
        names = [f"{plain(n)} · {plain(i)} ({_people_text(p)})" if d else lab for lab, n, i, p, d in
                 zip(names, shown["site_name"], shown["site_id"], shown["individuals"], dup)]
    n_states = len(STATE_ORDER)
    scale = []
    for k, s in enumerate(STATE_ORDER):
        scale += [[k / n_states, COLOURS[s]], [(k + 1) / n_states, COLOURS[s]]]
    fig.add_trace(go.Heatmap(
        z=z, x=[plain(SERVICE_LABELS.get(s, s)) for s in services], y=names, customdata=custom,
        colorscale=scale, zmin=-0.5, zmax=n_states - 0.5, xgap=1, ygap=1,
        colorbar=dict(title="State", tickvals=list(range(n_states)),
                      ticktext=[COVERAGE_STATE_LABELS[s] for s in STATE_ORDER]),
        hovertemplate=("<b>%{y}</b> · %{x}<br>%{customdata[0]}<br>Providers: %{customdata[1]}"
                       "<br>Next end: %{customdata[2]}<br>Partners gone: %{customdata[3]}"
                       "<br>Individuals: %{customdata[4]}<br>Reported need: %{customdata[5]}<extra></extra>"),
    ))
    more = f" (the {S} with most people affected, of {len(order):,})" if len(order) > S else ""
    fig.update_layout(
        title=dict(text=f"Coverage on {_date_text(matrix.attrs.get('as_of'))}: sites{more} × services",
                   y=0.995, yanchor="top", yref="container"),
        height=max(420, 200 + 22 * S), margin=dict(l=10, r=10, t=170, b=10),
        yaxis=dict(autorange="reversed", title="Site (individuals)"),
        xaxis=dict(side="top", title=None, tickangle=-40),
    )
    return fig


def people_without_figure(matrix: pd.DataFrame) -> go.Figure:
    """Horizontal stacked bar: per service, people in cells lost, never served, handed over
    to government and at risk (no assured humanitarian service); most affected on top."""
    pw = people_without_service(matrix)
    fig = go.Figure()
    if pw.empty:
        fig.update_layout(title="No sites or services for this selection")
        return fig
    pw = pw.sort_values("without_assured", ascending=True, kind="stable")
    labels = [SERVICE_LABELS.get(s, s) for s in pw["service"]]
    for s in WITHOUT_STATES:
        fig.add_trace(go.Bar(
            y=labels, x=pw[s], name=COVERAGE_STATE_LABELS[s], orientation="h", marker_color=COLOURS[s],
            hovertemplate="%{y}: %{x:,} individuals (" + COVERAGE_STATE_LABELS[s] + ")<extra></extra>",
        ))
    fig.update_layout(barmode="stack", title=f"People without each service on {_date_text(matrix.attrs.get('as_of'))}",
                      xaxis_title="Individuals (latest count of each site)", yaxis_title=None,
                      height=max(320, 80 + 28 * len(pw)), legend=dict(orientation="h", y=-0.2),
                      margin=dict(l=10, r=10, t=60, b=10))
    return fig


def timeline_figure(ds: Dataset, as_of: dt.date, *, filters: Filters | None = None, horizon_days: int = 90,
                    table: pd.DataFrame | None = None, max_rows: int = 60) -> go.Figure:
    """Partner presence over time (plotly timeline), coloured by partner type, with the as-of
    date marked. Open starts and ends are drawn to the edges (see :func:`timeline_table`,
    or pass its result as ``table``). At most ``max_rows`` partner · service rows are
    drawn: those covering most sites (the title says how many are left out)."""
    t = table if table is not None else timeline_table(ds, as_of, filters=filters, horizon_days=horizon_days)
    n_labels = t["label"].nunique() if len(t) else 0
    if n_labels > max_rows:
        keep = t.groupby("label")["n_sites"].sum().sort_values(ascending=False, kind="stable").index[:max_rows]
        t = t[t["label"].isin(set(keep))]
    if t.empty:
        fig = go.Figure()
        fig.update_layout(title="No partner presence for this selection")
        return fig
    t = t.assign(
        y=[plain(x) for x in t["label"]],
        where=[plain(x) for x in t["area"]],
        from_=[_date_text(s) if k else "before the records" for s, k in zip(t["start"], t["start_known"])],
        to=[_date_text(e - pd.Timedelta(days=1)) if k else "ongoing" for e, k in zip(t["end"], t["end_known"])],
    )
    fig = px.timeline(t, x_start="start", x_end="end", y="y", color="partner_type",
                      color_discrete_map={k: COLOURS[k] for k in PartnerType.values()},
                      custom_data=["where", "from_", "to", "n_sites"],
                      category_orders={"partner_type": PartnerType.values()})
    fig.update_traces(hovertemplate="<b>%{y}</b><br>%{customdata[0]} (%{customdata[3]} sites)"
                                    "<br>from %{customdata[1]} to %{customdata[2]}<extra></extra>")
    d = pd.Timestamp(as_of)
    fig.add_shape(type="line", x0=d, x1=d, y0=0, y1=1, yref="paper", line=dict(color="black", width=2, dash="dash"))
    fig.add_annotation(x=d, y=1, yref="paper", text=f"as of {d:%d %b %Y}", showarrow=False, yanchor="bottom")
    fig.update_yaxes(autorange="reversed", title=None)
    more = f" (the {max_rows} partner · service rows covering most sites, of {n_labels:,})" if n_labels > max_rows else ""
    fig.update_layout(title=f"Partner presence and end dates{more}", legend_title_text="Partner type",
                      height=max(360, 120 + 20 * t["y"].nunique()), margin=dict(l=10, r=10, t=70, b=10))
    return fig


def scenario_figure(scenario: pd.DataFrame) -> go.Figure:
    """Bar: people whose service turns lost in an exit scenario, per service."""
    fig = go.Figure()
    if scenario.empty:
        fig.update_layout(title="No cell turns lost in this scenario")
        return fig
    ind = scenario["individuals"].astype("Float64").fillna(0)
    by = ind.groupby(scenario["service"]).sum().sort_values()
    fig.add_trace(go.Bar(y=[SERVICE_LABELS.get(s, s) for s in by.index], x=by.to_numpy(dtype=float), orientation="h",
                         marker_color=COLOURS["lost"], hovertemplate="%{y}: %{x:,} individuals<extra></extra>"))
    partners = scenario.attrs.get("partners", [])
    who = ", ".join(plain(p) for p in partners) + (" leave" if len(partners) > 1 else " leaves")
    fig.update_layout(title=f"If {who} on {_date_text(scenario.attrs.get('exit_date'))}: people who lose a service",
                      xaxis_title="Individuals (latest count of each site)", height=max(260, 80 + 30 * len(by)),
                      margin=dict(l=10, r=10, t=60, b=10))
    return fig


def scenario_table(scenario: pd.DataFrame) -> pd.DataFrame:
    """The scenario for the screen: readable service and state labels."""
    if scenario.empty:
        return scenario
    out = scenario.copy()
    out["service"] = out["service"].map(SERVICE_LABELS).fillna(out["service"]).astype("string")
    out["state_before"] = out["state_before"].map(COVERAGE_STATE_LABELS).astype("string")
    out["state_after"] = out["state_after"].map(COVERAGE_STATE_LABELS).astype("string")
    return out.drop(columns=["site_id"])


def scenario_figures(scenario: pd.DataFrame, ds: Dataset) -> list[KeyFigure]:
    """Key figures of an exit scenario: cells that turn lost, sites, people."""
    src = sources_text(ds).removeprefix("Source: ")
    date = f"exit on {_date_text(scenario.attrs.get('exit_date'))}, evaluated on {_date_text(scenario.attrs.get('evaluated_on'))}"
    ind = scenario["individuals"].astype("Float64")
    per_site = ind.groupby(scenario["site_id"]).first() if len(scenario) else ind
    people = per_site.sum()
    return [
        KeyFigure("Services that turn lost (site × service)", len(scenario), "cells", src, date,
                  "served had the partners stayed; nobody serves with the exit"),
        KeyFigure("Sites affected", int(scenario["site_id"].nunique()), "sites", src, date, "sites with such a cell"),
        KeyFigure("People at those sites", int(people) if len(scenario) else 0, "individuals", src, date,
                  "latest DTM count of each site, counted once per site"),
    ]


def unmatched_table(matrix: pd.DataFrame) -> pd.DataFrame:
    """Presence rows whose area matches no site (from ``matrix.attrs``), for a warning table."""
    recs = matrix.attrs.get("unmatched_presence") or []
    cols = ["partner", "service", "scope", "scope_id", "start_date", "end_date", "source"]
    return pd.DataFrame(recs).reindex(columns=cols) if recs else pd.DataFrame(columns=cols)

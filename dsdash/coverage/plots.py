"""Plotly figures of the Gaps and exits page: the heatmap, people without each service,
the presence timeline and the exit scenario. Untrusted names pass through
:func:`dsdash.text.plain` (plotly reads a subset of HTML in labels and hovers)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from dsdash.charts import directional, local_date
from dsdash.coverage.engine import ADEQUACY_ORDER, STATE_ORDER, Coverage
from dsdash.coverage.exits import ExitScenario
from dsdash.coverage.summary import WITHOUT_STATES, people_without_service, site_states
from dsdash.coverage.tables import PresenceTimeline
from dsdash.i18n import N_, _, is_rtl, ngettext
from dsdash.provenance import date_text, people_text
from dsdash.schema import ADEQUACY_LABELS, COLOURS, COVERAGE_STATE_LABELS, SERVICE_LABELS, PartnerType, PresenceStatus
from dsdash.text import plain

#: Heatmap colour index of each state (worst first, as CoverageState).
STATE_CODE = {s: i for i, s in enumerate(STATE_ORDER)}


#: What the heatmap colours: the presence state, or the adequacy grade (issue 15).
LENSES = {"state": ("state", STATE_ORDER, COVERAGE_STATE_LABELS, N_("State")),
          "adequacy": ("adequacy", ADEQUACY_ORDER, ADEQUACY_LABELS, N_("Adequacy"))}
NO_SELECTION = N_("No sites or services for this selection")


def heatmap_figure(cov: Coverage, *, max_sites: int = 80, lens: str = "state") -> go.Figure:
    """Site × service heatmap, one colour per state (:data:`schema.COLOURS`), or per adequacy
    grade with ``lens="adequacy"``, sites ordered by people affected (most at the top); the
    hover lists the state, the grade, providers and end dates.

    With more than ``max_sites`` sites, the first ``max_sites`` in that order are drawn
    (the title says so)."""
    matrix = cov.matrix
    fig = go.Figure()
    if matrix.empty:
        fig.update_layout(title=_(NO_SELECTION))
        return directional(fig)
    order = site_states(matrix)
    shown = order.head(max_sites)
    services = list(dict.fromkeys(matrix["service"].tolist()))
    pos = {s: i for i, s in enumerate(shown["site_id"])}
    svc_pos = {s: j for j, s in enumerate(services)}
    m = matrix[matrix["site_id"].isin(pos)]
    S, K = len(shown), len(services)
    z = np.full((S, K), np.nan)
    col, order_, labels_, title_ = LENSES[lens]
    code = {s: i for i, s in enumerate(order_)}
    custom = np.empty((S, K, 7), dtype=object)
    custom[:] = ""
    i = m["site_id"].map(pos).to_numpy()
    j = m["service"].map(svc_pos).to_numpy()
    z[i, j] = m[col].map(code).to_numpy(dtype=float)
    custom[i, j, 6] = [_(ADEQUACY_LABELS[a]) if a in ADEQUACY_LABELS else a for a in m["adequacy"]]
    custom[i, j, 0] = [_(COVERAGE_STATE_LABELS[s]) if s in COVERAGE_STATE_LABELS else s for s in m["state"]]
    none = _("none")
    custom[i, j, 1] = [plain(p) or none for p in m["providers"]]
    custom[i, j, 2] = [date_text(x) or "—" for x in m["next_end"]]
    custom[i, j, 3] = [plain(p) or "—" for p in m["lost_providers"]]
    custom[i, j, 4] = [people_text(x) for x in m["individuals"]]
    custom[i, j, 5] = [(plain(s) + ": " + plain(n)) if isinstance(s, str) else "—"
                       for s, n in zip(m["need_severity"].astype(object), m["need_note"].astype(object))]
    names = [f"{plain(n)} ({people_text(p)})" for n, p in zip(shown["site_name"], shown["individuals"])]
    if len(set(names)) < len(names):  # plotly merges equal categories: tell same-named sites apart
        dup = pd.Series(names).duplicated(keep=False).to_numpy()
        names = [f"{plain(n)} · {plain(i)} ({people_text(p)})" if d else lab for lab, n, i, p, d in
                 zip(names, shown["site_name"], shown["site_id"], shown["individuals"], dup)]
    n_states = len(order_)
    scale = []
    for k, s in enumerate(order_):
        scale += [[k / n_states, COLOURS[s]], [(k + 1) / n_states, COLOURS[s]]]
    fig.add_trace(go.Heatmap(
        z=z, x=[plain(_(SERVICE_LABELS.get(s, s))) for s in services], y=names, customdata=custom,
        colorscale=scale, zmin=-0.5, zmax=n_states - 0.5, xgap=1, ygap=1,
        colorbar=dict(title=_(title_), tickvals=list(range(n_states)),
                      ticktext=[_(labels_[s]) for s in order_], **(dict(x=-0.02, xanchor="right") if is_rtl() else {})),
        hovertemplate=("<b>%{y}</b> · %{x}<br>%{customdata[0]} · %{customdata[6]}<br>"
                       + _("Providers: {value}").format(value="%{customdata[1]}")
                       + "<br>" + _("Next end: {value}").format(value="%{customdata[2]}")
                       + "<br>" + _("Partners gone: {value}").format(value="%{customdata[3]}")
                       + "<br>" + _("Individuals: {value}").format(value="%{customdata[4]}")
                       + "<br>" + _("Reported need: {value}").format(value="%{customdata[5]}") + "<extra></extra>"),
    ))
    more = (_(" (the {n} with most people affected, of {total})").format(n=S, total=f"{len(order):,}")
            if len(order) > S else "")
    title = (_("Coverage on {date}: sites{more} × services") if lens == "state"
             else _("Adequacy of coverage on {date}: sites{more} × services"))
    fig.update_layout(
        title=dict(text=title.format(date=date_text(cov.as_of), more=more),
                   y=0.995, yanchor="top", yref="container"),
        height=max(420, 200 + 22 * S), margin=dict(l=10, r=10, t=170, b=10),
        yaxis=dict(autorange="reversed", title=_("Site (individuals)")),
        xaxis=dict(side="top", title=None, tickangle=-40),
    )
    if is_rtl():  # services read from the right, the sites' names on the right
        fig.update_xaxes(autorange="reversed", tickangle=40)
    return directional(fig)


def people_without_figure(cov: Coverage) -> go.Figure:
    """Horizontal stacked bar: per service, people in cells lost, never served, handed over
    to government and at risk (no assured humanitarian service); most affected on top."""
    pw = people_without_service(cov.matrix)
    fig = go.Figure()
    if pw.empty:
        fig.update_layout(title=_(NO_SELECTION))
        return directional(fig)
    pw = pw.sort_values("without_assured", ascending=True, kind="stable")
    labels = [_(SERVICE_LABELS.get(s, s)) for s in pw["service"]]
    for s in WITHOUT_STATES:
        state = _(COVERAGE_STATE_LABELS[s])
        fig.add_trace(go.Bar(
            y=labels, x=pw[s], name=state, orientation="h", marker_color=COLOURS[s],
            hovertemplate="%{y}: " + _("{value} individuals ({state})").format(value="%{x:,}", state=state)
            + "<extra></extra>",
        ))
    fig.update_layout(barmode="stack", title=_("People without each service on {date}").format(date=date_text(cov.as_of)),
                      xaxis_title=_("Individuals (latest round of each group)"), yaxis_title=None,
                      height=max(320, 80 + 28 * len(pw)), legend=dict(orientation="h", y=-0.2),
                      margin=dict(l=10, r=10, t=60, b=10))
    if is_rtl():  # bars grow from the right, under the services' names
        fig.update_xaxes(autorange="reversed")
    return directional(fig)


def timeline_figure(timeline: PresenceTimeline, as_of: dt.date, *, max_rows: int = 60) -> go.Figure:
    """Partner presence over time (plotly timeline), coloured by partner type, with the as-of
    date marked. Open starts and ends are drawn to the edges (see :func:`timeline_table`,
    or pass its result as ``table``). At most ``max_rows`` partner · service rows are
    drawn: those covering most sites (the title says how many are left out)."""
    t = timeline.table
    n_labels = t["label"].nunique() if len(t) else 0
    if n_labels > max_rows:
        keep = t.groupby("label")["n_sites"].sum().sort_values(ascending=False, kind="stable").index[:max_rows]
        t = t[t["label"].isin(set(keep))]
    if t.empty:
        fig = go.Figure()
        fig.update_layout(title=_("No partner presence for this selection"))
        return directional(fig)
    before, ongoing, unread = _("before the records"), _("ongoing"), _("end date not read")
    t = t.assign(
        y=[plain(x) for x in t["label"]],
        where=[plain(x) for x in t["area"]],
        from_=[date_text(s) if k else before for s, k in zip(t["start"], t["start_known"])],
        to=[date_text(e - pd.Timedelta(days=1)) if k else unread if st == PresenceStatus.END_UNKNOWN.value else ongoing
            for e, k, st in zip(t["end"], t["end_known"], t["status"])],
    )
    fig = px.timeline(t, x_start="start", x_end="end", y="y", color="partner_type",
                      color_discrete_map={k: COLOURS[k] for k in PartnerType.values()},
                      custom_data=["where", "from_", "to", "n_sites"],
                      category_orders={"partner_type": PartnerType.values()})
    fig.update_traces(hovertemplate="<b>%{y}</b><br>"
                      + _("{where} ({n} sites)").format(where="%{customdata[0]}", n="%{customdata[3]}")
                      + "<br>" + _("from {start} to {end}").format(start="%{customdata[1]}", end="%{customdata[2]}")
                      + "<extra></extra>")
    d = pd.Timestamp(as_of)
    fig.add_shape(type="line", x0=d, x1=d, y0=0, y1=1, yref="paper", line=dict(color="black", width=2, dash="dash"))
    fig.add_annotation(x=d, y=1, yref="paper", text=_("as of {date}").format(date=local_date(d)), showarrow=False,
                       yanchor="bottom")
    fig.update_yaxes(autorange="reversed", title=None)
    more = (_(" (the {n} partner · service rows covering most sites, of {total})").format(
        n=max_rows, total=f"{n_labels:,}") if n_labels > max_rows else "")
    fig.update_layout(title=_("Partner presence and end dates{more}").format(more=more),
                      legend_title_text=_("Partner type"),
                      height=max(360, 120 + 20 * t["y"].nunique()), margin=dict(l=10, r=10, t=70, b=10))
    return directional(fig)


def scenario_figure(scenario: ExitScenario) -> go.Figure:
    """Bar: people whose service turns lost in an exit scenario, per service."""
    cells = scenario.cells
    fig = go.Figure()
    if cells.empty:
        fig.update_layout(title=_("No cell turns lost in this scenario"))
        return directional(fig)
    ind = cells["individuals"].astype("Float64").fillna(0)
    by = ind.groupby(cells["service"]).sum().sort_values()
    fig.add_trace(go.Bar(y=[_(SERVICE_LABELS.get(s, s)) for s in by.index], x=by.to_numpy(dtype=float),
                         orientation="h", marker_color=COLOURS["lost"],
                         hovertemplate="%{y}: " + _("{value} individuals").format(value="%{x:,}") + "<extra></extra>"))
    partners = scenario.partners
    title = ngettext("If {partners} leaves on {date}: people who lose a service",
                     "If {partners} leave on {date}: people who lose a service", len(partners))
    fig.update_layout(title=title.format(partners=", ".join(plain(p) for p in partners),
                                         date=date_text(scenario.exit_date)),
                      xaxis_title=_("Individuals (latest round of each group)"), height=max(260, 80 + 30 * len(by)),
                      margin=dict(l=10, r=10, t=60, b=10))
    if is_rtl():
        fig.update_xaxes(autorange="reversed")
    return directional(fig)



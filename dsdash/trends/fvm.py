"""Facilitated voluntary movement (FVM) progress: indicators by period, cumulative
totals, the funnel from registration to return or relocation and support, the source's
footnotes, key figures, figures and captions; the programme's priority caseload and the
return obstacles it responds to.

Where the data comes from (the embedded default, ``data/``): ``fvm``, IOM's
facilitated-voluntary-movement table (seed 004, 18 May 2023), three periods × six
indicators, with the seed's own footnotes in ``note``; ``caseload`` and
``return_obstacles`` from the same seed.

Caveat shown with the numbers: conversion rates compare cumulative totals, not cohorts
(a household registered in 2022 may return in 2023; cash grants are paid in the year
after departure).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dsdash.charts import bar_range, empty_figure, finish_figure, local_date, wrap
from dsdash.dataset import Dataset
from dsdash.i18n import N_, _, ngettext
from dsdash.provenance import KeyFigure
from dsdash.schema import COLOURS, FVM_INDICATORS, POPULATION_GROUP_LABELS
from dsdash.sources import citations
from dsdash.text import plain
from dsdash.trends.values import int_or_none

#: FVM stages of the funnel, in order: (key, label, base key for the conversion rate).
RETURNED_OR_RELOCATED = "returned_or_relocated"
FVM_STAGES: list[tuple[str, str, str | None]] = [
    ("registered_help_desk", N_("Registered at help desks"), None),
    (RETURNED_OR_RELOCATED, N_("Returned or relocated"), "registered_help_desk"),
    ("returned", N_("Returned"), "registered_help_desk"),
    ("relocated", N_("Relocated"), "registered_help_desk"),
    ("cash_grants", N_("Cash grants"), RETURNED_OR_RELOCATED),
    ("livelihoods_support", N_("Livelihoods support"), RETURNED_OR_RELOCATED),
    ("housing_repairs_completed", N_("Housing repair / reconstruction completed"), RETURNED_OR_RELOCATED),
]
FVM_PERIOD_INDICATORS = [k for k, _label, _base in FVM_STAGES if k != RETURNED_OR_RELOCATED]
FVM_CAVEAT = N_("Rates compare cumulative totals over all periods, not cohorts: a household registered in one "
              "period may move in the next, and cash grants are paid in the year after departure.")


#: The unit the funnel, its key figures and the charts count: figures in another unit (individuals) are
#: never added to them; they stay in :func:`fvm_by_period` with their unit and are named in the footnotes.
FVM_UNIT = "households"
#: The units' words as shown (a unit the data writes otherwise is shown as written).
UNIT_LABELS = {"households": N_("households"), "individuals": N_("individuals")}


def _unit_label(unit: str) -> str:
    return _(UNIT_LABELS[unit]) if unit in UNIT_LABELS else str(unit)


def fvm_by_period(ds: Dataset) -> pd.DataFrame:
    """Each FVM indicator by period and unit, with running (cumulative) totals and the
    seed's footnote per cell.

    Columns: period_label, indicator, value, note (the contract), then indicator_label,
    period_start, period_end, cumulative, unit, source. Indicators in funnel order,
    households before other units, periods in date order; figures of one indicator, unit
    and period from several governorates are summed (their labels joined); figures of
    different units are never added (cumulative runs per indicator and unit). The
    text-only 'facilitated_total' row is left out (see :func:`fvm_footnotes`).
    """
    f = ds.fvm
    f = f[f["indicator"].isin(FVM_PERIOD_INDICATORS)].copy()
    cols = ["period_label", "indicator", "value", "note", "indicator_label", "period_start", "period_end",
            "cumulative", "unit", "source"]
    if f.empty:
        return pd.DataFrame(columns=cols)
    f["unit"] = f["unit"].fillna(FVM_UNIT).astype(str)
    f["note"] = f["note"].fillna("").astype(str)
    f["source"] = f["source"].fillna("").astype(str)

    def joined(values) -> str:
        return " ".join(v for v in dict.fromkeys(str(x) for x in values) if v)

    # one label per period (the same months written '2023-04' and 'Apr 2023' are one period)
    span = list(zip(f["period_start"], f["period_end"]))
    label_of: dict = {}
    for k, lbl in zip(span, f["period_label"]):
        label_of.setdefault(k, []).append(str(lbl))
    f["period_label"] = [" / ".join(dict.fromkeys(label_of[k])) for k in span]
    keys = ["indicator", "unit", "period_start", "period_end"]
    f = f.groupby(keys, dropna=False, sort=False).agg(
        period_label=("period_label", lambda v: " / ".join(dict.fromkeys(str(x) for x in v))),
        value=("value", lambda v: v.sum(min_count=1)), note=("note", joined),
        source=("source", lambda v: "; ".join(x for x in dict.fromkeys(v) if x))).reset_index()
    f["_o"] = f["indicator"].map({k: i for i, k in enumerate(FVM_PERIOD_INDICATORS)})
    f["_u"] = (f["unit"] != FVM_UNIT).astype(int)
    f = f.sort_values(["_o", "_u", "unit", "period_end"], kind="stable")
    f["value"] = f["value"].astype("Int64")
    f["indicator_label"] = f["indicator"].map(FVM_INDICATORS).astype("string")
    f["cumulative"] = f.groupby(["indicator", "unit"])["value"].cumsum().astype("Int64")
    return f[cols].reset_index(drop=True)


def _in_unit(p: pd.DataFrame, unit: str = FVM_UNIT) -> pd.DataFrame:
    return p[p["unit"] == unit]


def fvm_left_out(ds: Dataset) -> pd.DataFrame:
    """The FVM figures the funnel and the charts leave out because they are not in
    households (e.g. individuals): indicator, stage (label), unit, value (summed over
    periods), periods."""
    p = fvm_by_period(ds)
    p = p[p["unit"] != FVM_UNIT]
    labels = {k: lbl for k, lbl, _base in FVM_STAGES}
    rows = [{"indicator": ind, "stage": _(labels[ind]), "unit": unit, "value": int(g["value"].sum()),
             "periods": ", ".join(dict.fromkeys(g["period_label"]))}
            for (ind, unit), g in p.groupby(["indicator", "unit"], sort=False)]
    return pd.DataFrame(rows, columns=["indicator", "stage", "unit", "value", "periods"])


def _left_out_text(r) -> str:
    return _("{stage}: {value} {unit} ({periods}) left out, the funnel counts households").format(
        stage=r.stage, value=f"{r.value:,}", unit=_unit_label(r.unit), periods=r.periods)


def fvm_totals(ds: Dataset) -> dict[str, int]:
    """Cumulative households per indicator over all periods, plus returned_or_relocated
    (figures in other units are left out: :func:`fvm_left_out`)."""
    p = _in_unit(fvm_by_period(ds))
    tot = {k: int(v) for k, v in p.groupby("indicator")["value"].sum().items()}
    if "returned" in tot or "relocated" in tot:
        tot[RETURNED_OR_RELOCATED] = tot.get("returned", 0) + tot.get("relocated", 0)
    return tot


def fvm_funnel(ds: Dataset) -> pd.DataFrame:
    """The FVM funnel on cumulative totals: registered → returned or relocated (and each)
    → each type of support, with conversion rates. Households only: a figure in
    individuals is never added to households; it is named in the note of its stage (or
    of "returned or relocated" when its own stage has no households) and in
    :func:`fvm_footnotes`.

    Columns: stage (display label), households, note (the contract), then indicator,
    base (label of the stage the rate is taken on), rate_pct (households / base × 100,
    one decimal; None for the first stage).

    Examples (embedded data, to 30 Apr 2023): registered 8,598; returned 5,895 (68.6 %);
    relocated 466 (5.4 %); returned or relocated 6,361 (74.0 %); cash grants 6,361
    (100.0 % of returned or relocated); livelihoods 1,206 (19.0 %); housing 874 (13.7 %).
    """
    tot = fvm_totals(ds)
    p = _in_unit(fvm_by_period(ds))
    left = {}
    for r in fvm_left_out(ds).itertuples():
        at = r.indicator
        if at not in tot and at in ("returned", "relocated") and RETURNED_OR_RELOCATED in tot:
            at = RETURNED_OR_RELOCATED
        left.setdefault(at, []).append(_left_out_text(r))
    labels = {k: _(lbl) for k, lbl, _base in FVM_STAGES}
    rows = []
    for key, label, base in FVM_STAGES:
        if key not in tot:
            continue
        notes = sorted({n for n in p.loc[p["indicator"] == key, "note"] if n})
        if key == RETURNED_OR_RELOCATED:
            notes.append("returned + relocated")
        note = "; ".join([" ".join(notes), *left.get(key, [])] if notes else left.get(key, []))
        rate = None
        if base is not None and tot.get(base):
            rate = round(100 * tot[key] / tot[base], 1)
        rows.append({"stage": _(label), "households": tot[key], "note": note, "indicator": key,
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
    left = fvm_left_out(ds)
    if len(left):
        notes.append(_("Figures not in households are never added to households: the funnel and the charts leave "
                       "them out ({figures}); the table by period shows them with their unit.").format(
            figures="; ".join(f"{r.stage}: {r.value:,} {_unit_label(r.unit)} ({r.periods})" for r in left.itertuples())))
    tot = fvm_totals(ds)
    total_rows = f[f["indicator"] == "facilitated_total"]
    if len(total_rows) and RETURNED_OR_RELOCATED in tot:
        stated = int(total_rows["value"].iloc[-1])
        end = pd.Timestamp(total_rows["period_end"].iloc[-1])
        summed = tot[RETURNED_OR_RELOCATED]
        diff = summed - stated
        notes.append(
            _("The source's text gives {stated} households facilitated to return or relocate by {date}; the "
              "table's returned + relocated sum to {summed}").format(stated=f"{stated:,}", date=local_date(end, "%B %Y"),
                                                                     summed=f"{summed:,}")
            + (" " + _("({diff}; the source does not explain the difference).").format(diff=f"{diff:+,}") if diff
               else " " + _("(the same).")),
        )
    notes.append(_(FVM_CAVEAT))
    return notes


def fvm_source(ds: Dataset) -> str:
    """The FVM source documents as citations (:func:`dsdash.sources.citations`), without
    the part of the document (table, section)."""
    docs = citations(ds.fvm["source"].dropna())
    if not docs:
        return _("no FVM data")
    return docs[0] if len(docs) == 1 else _("{source} and {n} more").format(source=docs[0], n=len(docs) - 1)


def _fvm_date(ds: Dataset) -> str:
    f = ds.fvm
    counted = f[f["unit"].fillna(FVM_UNIT) == FVM_UNIT]  # the date of what the funnel and the charts count
    end = (counted if len(counted) else f)["period_end"].dropna()
    return _("data to {date}").format(date=local_date(end.max())) if len(end) else _("date not stated")


def fvm_funnel_figure(ds: Dataset) -> go.Figure:
    """Horizontal bars of the FVM funnel (cumulative households), each labelled with its
    conversion rate, the seed's footnotes under the chart."""
    fun = fvm_funnel(ds)
    title = _("FVM: from registration to return or relocation and support (cumulative)")
    if fun.empty:
        return empty_figure(title, _("No FVM data in the active data"))
    colours = [COLOURS.get(k, COLOURS["returnee"] if k == RETURNED_OR_RELOCATED else "#7f7f7f")
               for k in fun["indicator"]]
    text = [f"{h:,}" + (" " + _("({rate} % of {base})").format(rate=f"{r:.1f}", base=b.lower())
                        if r is not None and not pd.isna(r) else "")
            for h, r, b in zip(fun["households"], fun["rate_pct"], fun["base"])]
    fig = go.Figure(go.Bar(
        y=list(fun["stage"]), x=list(fun["households"]), orientation="h", marker_color=colours, text=text,
        textposition="outside", cliponaxis=False, name=_("Households"),
        hovertemplate="%{y}: " + _("{value} households").format(value="%{x:,}") + "<extra></extra>",
    ))
    periods = plain(", ".join(dict.fromkeys(_in_unit(fvm_by_period(ds))["period_label"])))
    fig.update_layout(title=f"{title}<br><sup>{periods}; {_fvm_date(ds)}</sup>",
                      xaxis=dict(title=_("Households (cumulative)"), tickformat=",d",
                                 range=bar_range(max(fun["households"]) * 1.45)),
                      yaxis=dict(autorange="reversed", title=""))
    notes = "<br>".join(wrap(plain(n), 150) for n in fvm_footnotes(ds))
    return finish_figure(fig, wrap(_("Source: {source} · {date} · households; rates on cumulative totals").format(
        source=plain(fvm_source(ds)), date=_fvm_date(ds)), 150) + f"<br>{notes}",
                         plot_px=340, left_px=270, legend=False, top_px=80)


def fvm_period_figure(ds: Dataset) -> go.Figure:
    """Grouped bars: each FVM indicator by period (households); footnote markers (*, **)
    on the bars the seed annotates, the footnotes under the chart."""
    p = _in_unit(fvm_by_period(ds))
    title = _("FVM indicators by period")
    if p.empty:
        return empty_figure(title, _("No FVM data in the active data"))
    p = p.assign(period_label=[plain(v) for v in p["period_label"]])
    periods = list(dict.fromkeys(p.sort_values("period_end")["period_label"]))
    fig = go.Figure()
    for key in FVM_PERIOD_INDICATORS:
        s = p[p["indicator"] == key].set_index("period_label").reindex(periods)
        if s["value"].isna().all():
            continue
        marks = [(n.split(" ")[0] if isinstance(n, str) and n.startswith("*") else "") for n in s["note"]]
        fig.add_trace(go.Bar(
            x=periods, y=[int_or_none(v) for v in s["value"]], name=_(FVM_INDICATORS[key]),
            marker_color=COLOURS.get(key), text=[f"{int_or_none(v):,}{m}" if int_or_none(v) is not None else ""
                                                 for v, m in zip(s["value"], marks)],
            textposition="outside", cliponaxis=False,
            hovertemplate="%{x}: " + _("{value} households").format(value="%{y:,}") + "<extra>%{fullData.name}</extra>",
        ))
    fig.update_layout(barmode="group", title=f"{title}<br><sup>{_fvm_date(ds)}</sup>",
                      xaxis_title=_("Period"), yaxis=dict(title=_("Households"), tickformat=",d"))
    notes = "<br>".join(wrap(plain(n), 150) for n in fvm_footnotes(ds)[:-1])
    return finish_figure(fig, wrap(_("Source: {source} · {date} · households per period").format(
        source=plain(fvm_source(ds)), date=_fvm_date(ds)), 150)
                         + f"<br>{notes}", plot_px=380, top_px=130)


def fvm_figures(ds: Dataset) -> list[KeyFigure]:
    """Key figures of the FVM programme (cumulative households), each with source, date
    and method: registered, returned or relocated (with the rate), returned, relocated."""
    fun = fvm_funnel(ds)
    if fun.empty:
        return []
    src, date = fvm_source(ds), _fvm_date(ds)
    periods = ", ".join(dict.fromkeys(_in_unit(fvm_by_period(ds))["period_label"]))
    out = []
    for r in fun.itertuples():
        if r.indicator not in ("registered_help_desk", RETURNED_OR_RELOCATED, "returned", "relocated"):
            continue
        rate = ("" if r.rate_pct is None or pd.isna(r.rate_pct)
                else "; " + _("{rate} % of {base}").format(rate=f"{r.rate_pct:.1f}", base=r.base.lower()))
        out.append(KeyFigure(_("FVM: {stage}").format(stage=r.stage.lower()) if r.indicator != "registered_help_desk"
                             else _("FVM: registered at help desks"), int(r.households), _("households"), src, date,
                             _("households, sum of {periods}").format(periods=periods) + rate))
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


def fvm_funnel_caption(ds: Dataset) -> str:
    """One plain-text line under the funnel: source · date · periods summed, how the rate
    is taken, and the cohort caveat."""
    if ds.fvm.empty:
        return _("No FVM data in the active data.")
    return (_("Source: {source} · {date} · households, cumulative over {periods}; rate = stage / base stage × 100. "
              ).format(source=fvm_source(ds), date=_fvm_date(ds),
                       periods=", ".join(dict.fromkeys(_in_unit(fvm_by_period(ds))['period_label']))) + _(FVM_CAVEAT))


def fvm_period_caption(ds: Dataset) -> str:
    """One plain-text line under the indicators by period: source · date · what the
    footnote marks refer to."""
    if ds.fvm.empty:
        return _("No FVM data in the active data.")
    return _("Source: {source} · {date} · households per period as the source prints them; the asterisk marks on "
             "the bars refer to the source's footnotes below.").format(source=fvm_source(ds), date=_fvm_date(ds))

"""DTM Return Index and Displacement Index severity by round: the round table with its
gaps, the three-panel severity figure and its caption.

Where the data comes from (the embedded default, ``data/``): ``index_rounds``, the DTM
Return Index and Displacement Index rounds. Unknown figures stay empty; a round absent
from the data (Return Index round 5; Displacement Index rounds 9-10) or without figures
(Displacement Index rounds 2-7) is a GAP in every line, never a zero and never bridged.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dsdash.charts import empty_figure, finish_figure, local_date, wrap
from dsdash.dataset import Dataset
from dsdash.i18n import N_, _
from dsdash.schema import COLOURS, DTM_CREDIT, IndexName
from dsdash.trends.values import float_or_none, int_or_none

INDEX_LABELS = {IndexName.RETURN.value: N_("Return Index"), IndexName.DISPLACEMENT.value: N_("Displacement Index")}
INDEX_WHO = {IndexName.RETURN.value: "returnees", IndexName.DISPLACEMENT.value: "IDPs"}
#: The words of each index's figure and caption (translated where shown).
INDEX_WORDS = {
    IndexName.RETURN.value: {
        "title": N_("DTM Return Index: returnees and locations in severe conditions, by round"),
        "who_title": N_("Returnees in severe conditions"),
        "share": N_("Share of returnees in severe conditions (%)"),
        "axis": N_("Returnees (individuals)"),
        "none": N_("No Return Index rounds in the active data"),
        "source": N_("{credit}, Return Index reports (per round in the table) · {latest} · severe = locations in the "
                     "high-severity category; share of all returnees assessed.{gaps}{nofig}."),
        "caption": N_("Source: IOM DTM Return Index reports (per round in the table below) · {n} rounds, data to "
                      "{date} · severe = locations in the high-severity category; share = returnees in severe "
                      "locations / all returnees assessed. Rounds missing from the data and rounds without "
                      "severity figures are gaps in the lines, never zeros."),
    },
    IndexName.DISPLACEMENT.value: {
        "title": N_("DTM Displacement Index: IDPs and locations in severe conditions, by round"),
        "who_title": N_("IDPs in severe conditions"),
        "share": N_("Share of IDPs in severe conditions (%)"),
        "axis": N_("IDPs (individuals)"),
        "none": N_("No Displacement Index rounds in the active data"),
        "source": N_("{credit}, Displacement Index reports (per round in the table) · {latest} · severe = locations "
                     "in the high-severity category; share of all IDPs assessed.{gaps}{nofig}."),
        "caption": N_("Source: IOM DTM Displacement Index reports (per round in the table below) · {n} rounds, data "
                      "to {date} · severe = locations in the high-severity category; share = IDPs in severe "
                      "locations / all IDPs assessed. Rounds missing from the data and rounds without severity "
                      "figures are gaps in the lines, never zeros."),
    },
}


def _index_label(rnd, start, end) -> str:
    if rnd is not None and not pd.isna(rnd):
        return f"R{int(rnd)}"
    if start is not None and not pd.isna(start):
        return f"{local_date(start, '%b')}-{local_date(end, '%b %Y')}"
    return _("to {date}").format(date=local_date(end, "%b %Y"))


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
        rnd = int_or_none(r.round)
        if gaps and prev is not None:
            p = int_or_none(prev.round)
            if p is not None and rnd is not None:
                missing = list(range(p + 1, rnd))
                for m in missing:
                    rows.append(_gap_row(m, f"R{m}"))
            elif p is not None and rnd is None:
                rows.append(_gap_row(None, f"R{p + 1}…"))
            elif p is None and rnd is not None:
                rows.append(_gap_row(None, f"…R{rnd - 1}"))
        rows.append({
            "round": rnd, "period_end": r.period_end, "locations_assessed": int_or_none(r.locations_assessed),
            "locations_severe": int_or_none(r.locations_severe),
            "population_severe": int_or_none(r.population_severe),
            "share_severe": float_or_none(r.share_severe),
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
            "is_gap": True, "note": _("round not in the data (no published figures found): shown as a gap"),
            "source": ""}


def index_severity_figure(ds: Dataset, index: str) -> go.Figure:
    """Three panels over the rounds of an index (x = round, a category axis so a missing
    round keeps its place): people in severe conditions; their share in %; locations
    assessed and locations in severe conditions. Unknown values and missing rounds are
    gaps (``None`` in ``y``, ``connectgaps=False``), never zeros."""
    t = index_table(ds, index)
    who = INDEX_WHO[str(index)]
    words = {k: _(v) for k, v in INDEX_WORDS[str(index)].items()}
    title = words["title"]
    if t.empty:
        return empty_figure(title, words["none"])
    x = list(t["round_label"])
    fig = make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.07, row_heights=[0.4, 0.25, 0.35])
    period = [f"{local_date(s, '%b %Y')}-" if not pd.isna(s) else "" for s in t["period_start"]]
    period = [f"{p}{local_date(e, '%b %Y')}" if not pd.isna(e) else _("not in data")
              for p, e in zip(period, t["period_end"])]

    def line(col, label, colour, dash=None, fmt=",d", unit="", symbol="circle"):
        return go.Scatter(x=x, y=[float_or_none(v) if col == "share_severe" else int_or_none(v) for v in t[col]],
                          name=label, mode="lines+markers", connectgaps=False, customdata=period,
                          line=dict(color=colour, dash=dash), marker=dict(size=7, symbol=symbol),
                          hovertemplate=f"%{{x}} (%{{customdata}}): %{{y:{fmt}}}{unit}<extra>{label}</extra>")

    fig.add_trace(line("population_severe", words["who_title"], COLOURS["severe"]), row=1, col=1)
    fig.add_trace(line("share_severe", words["share"], COLOURS["severe"], "dot",
                       ".0f", " %", "diamond"), row=2, col=1)
    fig.add_trace(line("locations_assessed", _("Locations assessed"), COLOURS["idp" if who == "IDPs" else "returnee"]),
                  row=3, col=1)
    fig.add_trace(line("locations_severe", _("Locations in severe conditions"), COLOURS["severe"], "dash",
                       symbol="square"), row=3, col=1)
    known = t[~t["is_gap"]]
    latest = known.iloc[-1]
    latest_txt = _("{round}, data to {date}").format(round=latest['round_label'],
                                                     date=local_date(latest['period_end'], "%b %Y"))
    gap_labels = [lbl for lbl in t.loc[t["is_gap"], "round_label"]]
    nofig = list(known.loc[known["population_severe"].isna(), "round_label"])
    fig.update_yaxes(title_text=words["axis"], tickformat=",d", rangemode="tozero", row=1, col=1)
    fig.update_yaxes(title_text=_("Share (%)"), ticksuffix=" %", rangemode="tozero", row=2, col=1)
    fig.update_yaxes(title_text=_("Locations"), tickformat=",d", rangemode="tozero", row=3, col=1)
    ticks = [lbl.replace(" ", "<br>", 1) if " " in lbl else lbl for lbl in x]
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=x, tickvals=x, ticktext=ticks,
                     tickangle=0)
    fig.update_xaxes(title_text=_("Round (every round keeps its place; a round missing from the data is a gap)"),
                     row=3, col=1)
    fig.update_layout(title=title + "<br><sup>" + _("latest: {latest}").format(latest=latest_txt) + "</sup>")
    gaps_txt = (" " + _("Gaps: rounds not in the data ({rounds})").format(rounds=", ".join(gap_labels))
                if gap_labels else "")
    nofig_txt = ("; " + _("rounds without severity figures ({rounds})").format(rounds=", ".join(nofig)) if nofig else "")
    return finish_figure(fig, wrap(words["source"].format(credit=_(DTM_CREDIT), latest=latest_txt, gaps=gaps_txt,
                                                             nofig=nofig_txt)), plot_px=520, below_px=80)


def index_caption(ds: Dataset, index: str) -> str:
    """One plain-text line under an index's severity figure: source · rounds and date ·
    what severe and share mean, and that gaps are never zeros."""
    t = index_table(ds, index, gaps=False)
    words = {k: _(v) for k, v in INDEX_WORDS[str(index)].items()}
    if t.empty:
        return words["none"] + "."
    last = t.iloc[-1]
    return words["caption"].format(n=len(t), date=local_date(last['period_end'], "%b %Y"))

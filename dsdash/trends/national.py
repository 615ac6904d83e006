"""IDPs and returnees in Iraq over DTM rounds: the national series table, the latest
change, the trend figure and its caption.

Where the data comes from (the embedded default, ``data/``): ``national_series``, IOM
DTM Iraq national IDP individuals by round (R1, Apr 2014 … R132, Apr 2024) and returnee
individuals where published (``../shared/facts``). DTM computes individuals as
households × 6, and × 5 for households in camps from round 117 (Aug 2020): the method
changed there, and the charts mark it.

Caveats shown with the numbers: returnee totals are not published for rounds 127-131
(gap); round numbers and dates disagree between sources for 2014-early 2016 (the date is
the key, round 48 appears on two dates).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dsdash.charts import empty_figure, finish_figure, local_date, wrap
from dsdash.dataset import Dataset
from dsdash.i18n import N_, _, ngettext
from dsdash.schema import COLOURS, DTM_CREDIT, POPULATION_GROUP_LABELS, PopulationGroup
from dsdash.sources import citations
from dsdash.trends.values import int_or_none

#: DTM round from which households in camps count × 5 instead of × 6 (Aug 2020).
METHOD_CHANGE_ROUND = 117
METHOD_CHANGE_TEXT = N_("R117 (Aug 2020): camp households × 5 (× 6 before and out of camp)")
NATIONAL_METHOD = N_("individuals = households × 6 (× 5 for households in camps from round 117, Aug 2020)")


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
                note = (ngettext("no idp figure published for round {rounds}: change over {n} rounds",
                                 "no idp figure published for rounds {rounds}: change over {n} rounds", len(rr))
                        if g == PopulationGroup.IDP.value else
                        ngettext("no returnee figure published for round {rounds}: change over {n} rounds",
                                 "no returnee figure published for rounds {rounds}: change over {n} rounds", len(rr))
                        ).format(rounds=_ranges(rr), n=len(skipped) + 1)
        change = int(last[g] - prev[g]) if prev is not None else None
        rows.append({
            "population_group": g,
            "label": _(POPULATION_GROUP_LABELS[g]),
            "latest_round": int_or_none(last["dtm_round"]),
            "latest_date": last["reference_date"],
            "latest": int(last[g]),
            "previous_round": int_or_none(prev["dtm_round"]) if prev is not None else None,
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
    """Round numbers as ranges.

    Examples:
        >>> _ranges([5]), _ranges([10, 9]), _ranges([127, 128, 129, 130, 131]), _ranges([3, 5, 6])
        ('5', '9-10', '127-131', '3, 5-6')
    """
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
    title = _("IDPs and returnees in Iraq by DTM round")
    if t.empty:
        return empty_figure(title, _("No national series in the active data"))
    fig = go.Figure()
    rounds = [int_or_none(r) for r in t["dtm_round"]]
    for g in (PopulationGroup.IDP.value, PopulationGroup.RETURNEE.value):
        y = [int_or_none(v) for v in t[g]]
        if not any(v is not None for v in y):
            continue
        fig.add_trace(go.Scatter(
            x=list(t["reference_date"]), y=y, customdata=rounds, name=_(POPULATION_GROUP_LABELS[g]),
            mode="lines+markers", marker=dict(size=4), line=dict(color=COLOURS[g], width=2), connectgaps=False,
            hovertemplate=_("Round {round}, {date}").format(round="%{customdata}", date="%{x|%d %b %Y}") + "<br>"
            + _("{value} individuals").format(value="%{y:,}") + "<extra>%{fullData.name}</extra>",
        ))
    change = t[t["dtm_round"] == METHOD_CHANGE_ROUND]
    if len(change):
        x = pd.Timestamp(change["reference_date"].iloc[0])
        fig.add_shape(type="line", x0=x, x1=x, xref="x", y0=0, y1=1, yref="paper",
                      line=dict(color=COLOURS["method_change"], dash="dash", width=1))
        fig.add_annotation(x=x, y=0.99, xref="x", yref="paper", yanchor="top", xanchor="right", xshift=-4,
                           text=_("method change:") + "<br>" + _(METHOD_CHANGE_TEXT).replace(": ", ":<br>", 1),
                           showarrow=False,
                           align="right", bgcolor="rgba(255,255,255,0.8)",
                           font=dict(size=10, color=COLOURS["method_change"]))
    for r in national_latest_change(ds).itertuples():
        change = ("" if r.change is None or pd.isna(r.change)
                  else "<br>" + _("{change} since R{round}").format(change=f"{r.change:+,}", round=r.previous_round))
        fig.add_annotation(x=pd.Timestamp(r.latest_date), y=r.latest, xref="x", yref="y", xanchor="right",
                           yanchor="bottom", yshift=6, showarrow=False, align="right",
                           text=f"R{r.latest_round}: {r.latest:,}{change}",
                           font=dict(size=11, color=COLOURS[r.population_group]))
    last = t.iloc[-1]
    latest = _("round {round}, {date}").format(round=int_or_none(last['dtm_round']),
                                               date=local_date(last['reference_date']))
    gap_rounds = _returnee_gap_rounds(t)
    gap_text = (" " + ngettext("Returnee figures not published for round {rounds} (gap).",
                               "Returnee figures not published for rounds {rounds} (gap).",
                               len(gap_rounds)).format(rounds=_ranges(gap_rounds)) if gap_rounds else "")
    fig.update_layout(
        title=dict(text=title + "<br><sup>" + _("data to {latest}").format(latest=latest) + "</sup>"),
        xaxis_title=_("DTM reference date (round)"), yaxis_title=_("Individuals"),
        yaxis=dict(tickformat=",d", rangemode="tozero"), hovermode="x unified",
    )
    return finish_figure(fig, wrap(_("{credit}, national series R1-R{round} · {latest} · {method}.").format(
        credit=_(DTM_CREDIT), round=int_or_none(last['dtm_round']), latest=latest, method=_(NATIONAL_METHOD))
        + gap_text), plot_px=400)


def _returnee_gap_rounds(t: pd.DataFrame) -> list[int]:
    known = t["returnee"].notna()
    if not known.any():
        return []
    first = t.loc[known, "reference_date"].min()
    last = t.loc[known, "reference_date"].max()
    g = t[~known & (t["reference_date"] > first) & (t["reference_date"] < last)]
    return [int(r) for r in g["dtm_round"].dropna()]


def _publications(ds: Dataset) -> str:
    """'12 publications' (the distinct citations of the series' rows)."""
    n = len(citations(ds.national_series["source"].dropna().unique()))
    return ngettext("{n} publication", "{n} publications", n).format(n=n)


def national_caption(ds: Dataset) -> str:
    """One plain-text line under the national trend: source · rounds and dates · method,
    the method change and the unpublished returnee rounds."""
    t = national_series_table(ds)
    if t.empty:
        return _("No national series in the active data.")
    first, last = t.iloc[0], t.iloc[-1]
    gaps = _returnee_gap_rounds(t)
    return (
        _("Source: IOM DTM, Iraq national series ({publications}, listed under Data sources on the Overview) · "
          "R{first} ({first_date}) to R{last} ({last_date}) · {method}. The dashed line marks the method change at "
          "round {change}.").format(
            publications=_publications(ds), first=int_or_none(first['dtm_round']),
            first_date=local_date(first['reference_date']), last=int_or_none(last['dtm_round']),
            last_date=local_date(last['reference_date']), method=_(NATIONAL_METHOD), change=METHOD_CHANGE_ROUND)
        + (" " + _("Returnee figures are not published for rounds {rounds}: a gap, not a zero.").format(
            rounds=_ranges(gaps)) if gaps else "")
        + " " + _("Round numbers and dates disagree between sources for 2014 to early 2016: the date is the key.")
    )

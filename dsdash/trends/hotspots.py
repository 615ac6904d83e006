"""Return hotspots: the DTM rule, and the 2020 hotspots of the embedded data.

The rule (DTM Return Index, as presented to the DSTWG on 9 Dec 2020, seed
``002_5d41127f29b6ae16.txt``): "Subdistricts are classified as 'hotspots' if they score
highly in terms of severity on at least one of the two scales (either livelihoods and
basic services, or safety and social cohesion) or if they score medium in terms of
severity but also host relatively large numbers of returnees – at least 60,000
returnees in a subdistrict."

Reading of "medium": medium on at least one of the two scales (and high on neither).
Returnees unknown with medium severity: not a hotspot by the rule, and said so in the
reason (the rule cannot be decided; a user should fill the figure in).

Sub-district data a user loads has the columns of
:data:`dsdash.schema.SUBDISTRICT_SEVERITY`; it is read by
:func:`dsdash.importers.subdistricts.read_subdistrict_file`, like every other file.

The embedded data (``hotspots``, ``hotspot_totals``) holds the 35 hotspot sub-districts
of 2020 and the returnees living in them per governorate (1,545,846 in six governorates).
"""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from dsdash.charts import bar_range as _bar_range, directional, finish_figure
from dsdash.dataset import Dataset
from dsdash.i18n import DEFAULT, N_, _, current, ngettext
from dsdash.schema import COLOURS, GOVERNORATES, SUBDISTRICT_SEVERITY, Severity, governorate_name, severity_word
from dsdash.sources import cited
from dsdash.text import plain

#: Medium severity makes a hotspot from this many returnees in the sub-district.
HOTSPOT_MIN_RETURNEES = 60_000
#: The source text of hotspot rows that have none (as the data's rows say it), and its citation (what is shown).
HOTSPOT_SOURCE = "seed 002_5d41127f29b6ae16.txt (DSTWG 9 Dec 2020), slide 'Hotspots per governorate' (DTM Return Index)"
HOTSPOT_CITATION = cited(HOTSPOT_SOURCE)
#: The rule in words (a catalog message: translated where shown, ``_(HOTSPOT_RULE_TEXT)``).
HOTSPOT_RULE_TEXT = N_("a sub-district is a hotspot if it scores high severity on at least one of the two Return Index "
                       "scales (livelihoods and basic services; safety and social cohesion), or medium severity with "
                       "at least 60,000 returnees")
assert f"{HOTSPOT_MIN_RETURNEES:,} returnees" in HOTSPOT_RULE_TEXT  # the words say the constant

SCALES = {"livelihoods_severity": N_("livelihoods and basic services"),
          "safety_severity": N_("safety and social cohesion")}


def _rule(livelihoods_severity, safety_severity, returnees) -> tuple[bool, str]:
    """(hotspot?, why in words, in the reader's language)."""
    sev = {"livelihoods_severity": severity_word(livelihoods_severity),
           "safety_severity": severity_word(safety_severity)}
    for k, v in sev.items():
        if v is not None and v not in Severity.values():
            raise ValueError(_("severity '{value}' is not one of: {allowed}").format(
                value=v, allowed=", ".join(Severity.values())))
    high = [_(SCALES[k]) for k, v in sev.items() if v == Severity.HIGH.value]
    if high:
        return True, _("high severity on {scales}").format(scales=_(" and ").join(high))
    medium = any(v == Severity.MEDIUM.value for v in sev.values())
    n = None if returnees is None or pd.isna(returnees) else int(returnees)
    least = f"{HOTSPOT_MIN_RETURNEES:,}"
    if medium:
        if n is None:
            return False, _("not a hotspot: medium severity, returnees unknown (rule cannot be decided)")
        if n >= HOTSPOT_MIN_RETURNEES:
            return True, _("medium severity with {n} returnees (at least {least})").format(n=f"{n:,}", least=least)
        return False, _("not a hotspot: medium severity with {n} returnees (fewer than {least})").format(
            n=f"{n:,}", least=least)
    if all(v is None for v in sev.values()):
        return False, _("not a hotspot: severity unknown")
    return False, _("not a hotspot: low severity")


def hotspot_reason(livelihoods_severity, safety_severity, returnees) -> str:
    """Why the rule says yes or no, in words (in the reader's language).

    Examples:
        >>> hotspot_reason("high", "low", 1000)
        'high severity on livelihoods and basic services'
        >>> hotspot_reason("medium", "low", 60000)
        'medium severity with 60,000 returnees (at least 60,000)'
        >>> hotspot_reason("medium", "low", 59999)
        'not a hotspot: medium severity with 59,999 returnees (fewer than 60,000)'
    """
    return _rule(livelihoods_severity, safety_severity, returnees)[1]


def is_hotspot(livelihoods_severity, safety_severity, returnees) -> bool:
    """The DTM hotspot rule for one sub-district.

    Args:
        livelihoods_severity: "high" / "medium" / "low" (any case; None = unknown) on the
            livelihoods and basic services scale.
        safety_severity: the same on the safety and social cohesion scale.
        returnees: returnee individuals in the sub-district (None = unknown).

    Examples:
        >>> is_hotspot("high", None, 10)
        True
        >>> is_hotspot("low", "medium", 60_000), is_hotspot("low", "medium", 59_999)
        (True, False)
        >>> is_hotspot("low", "low", 500_000)
        False
    """
    return _rule(livelihoods_severity, safety_severity, returnees)[0]


def apply_hotspot_rule(df: pd.DataFrame) -> pd.DataFrame:
    """The rule applied to every row of sub-district data with the columns of
    :data:`dsdash.schema.SUBDISTRICT_SEVERITY` (``admin3_name``, ``livelihoods_severity``,
    ``safety_severity``, ``returnees``; extra columns kept). Adds ``hotspot`` (bool) and
    ``hotspot_reason`` (text); hotspots first, then by returnees."""
    for c in ("livelihoods_severity", "safety_severity", "returnees"):
        if c not in df.columns:
            raise ValueError(_("column '{column}' is missing (expected: {expected})").format(
                column=c, expected=", ".join(SUBDISTRICT_SEVERITY.column_names)))
    out = df.copy()
    rules = [_rule(a, b, c) for a, b, c in zip(out["livelihoods_severity"], out["safety_severity"], out["returnees"])]
    out["hotspot"] = [hot for hot, _why in rules]
    out["hotspot_reason"] = pd.array([why for _hot, why in rules], dtype="string")
    out = out.sort_values(["hotspot", "returnees"], ascending=[False, False], kind="stable", na_position="last")
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- embedded 2020 hotspots
def hotspots_by_governorate(ds: Dataset) -> pd.DataFrame:
    """The hotspot sub-districts and the returnees living in them, per governorate,
    largest first: admin1_name, returnees_in_hotspots, subdistricts (count),
    subdistrict_names (text), reference_year, admin1_code, source."""
    h, tot = ds.hotspots, ds.hotspot_totals
    cols = ["admin1_name", "returnees_in_hotspots", "subdistricts", "subdistrict_names", "reference_year",
            "admin1_code", "source"]
    if h.empty and tot.empty:
        return pd.DataFrame(columns=cols)
    names = h.groupby(["admin1_code", "reference_year"], as_index=False).agg(
        subdistricts=("admin3_name", "nunique"),
        subdistrict_names=("admin3_name", lambda s: ", ".join(dict.fromkeys(str(x) for x in s))),
        h_name=("admin1_name", "first"))
    out = tot.merge(names, on=["admin1_code", "reference_year"], how="outer")
    out["admin1_name"] = out["admin1_name"].fillna(out["h_name"])
    out["subdistricts"] = out["subdistricts"].fillna(0).astype("Int64")
    out["subdistrict_names"] = out["subdistrict_names"].fillna("")
    out["source"] = out["source"].fillna(HOTSPOT_SOURCE)
    out = out.sort_values("returnees_in_hotspots", ascending=False, na_position="last")
    return out[cols].reset_index(drop=True)


def hotspot_subdistricts(ds: Dataset) -> pd.DataFrame:
    """The hotspot sub-districts of the embedded list: governorate, sub-district,
    coordination area, note."""
    h = ds.hotspots.sort_values(["admin1_name", "admin3_name"], kind="stable")
    return h[["admin1_name", "admin3_name", "coordination_area", "reference_year", "note"]].reset_index(drop=True)


def _governorates(t: pd.DataFrame) -> list:
    """The governorates' names as the data gives them, or COD-AB's in the reader's language (not English)."""
    if current() == DEFAULT:
        return list(t["admin1_name"])
    return [governorate_name(c) if isinstance(c, str) and c in GOVERNORATES else n
            for c, n in zip(t["admin1_code"], t["admin1_name"])]


def hotspot_figure(ds: Dataset) -> go.Figure:
    """Horizontal bars: returnees living in hotspot sub-districts per governorate, each
    labelled with the number of hotspot sub-districts."""
    t = hotspots_by_governorate(ds)
    title = _("Returnees living in return hotspots, by governorate")
    fig = go.Figure()
    if t.empty or t["returnees_in_hotspots"].isna().all():
        fig.update_layout(title=title, xaxis=dict(visible=False), yaxis=dict(visible=False), template="plotly_white")
        fig.add_annotation(text=_("No hotspot data in the active data"), x=0.5, y=0.5, xref="paper", yref="paper",
                           showarrow=False)
        return directional(fig)
    years = sorted({int(y) for y in t["reference_year"].dropna()})
    year = ", ".join(map(str, years))
    text = [ngettext("{value} ({n} sub-district)", "{value} ({n} sub-districts)", int(n)).format(
        value=f"{int(r):,}", n=int(n)) if not pd.isna(r) else _("not stated")
            for r, n in zip(t["returnees_in_hotspots"], t["subdistricts"])]
    fig.add_trace(go.Bar(
        y=[plain(v) for v in _governorates(t)], x=[None if pd.isna(v) else int(v) for v in t["returnees_in_hotspots"]],
        orientation="h", marker_color=COLOURS["hotspot"], text=text, textposition="outside", cliponaxis=False,
        customdata=[plain(v) for v in t["subdistrict_names"]], name=_("Returnees in hotspots"),
        hovertemplate="%{y}: " + _("{value} returnees").format(value="%{x:,}") + "<br>%{customdata}<extra></extra>",
    ))
    total = int(t["returnees_in_hotspots"].sum())
    n = int(t["subdistricts"].sum())
    fig.update_layout(
        title=title + "<br><sup>" + _("{year}: {total} returnees in {n} hotspot sub-districts").format(
            year=year, total=f"{total:,}", n=n) + "</sup>",
        xaxis=dict(title=_("Returnees (individuals)"), tickformat=",d",
                   range=_bar_range(float(t["returnees_in_hotspots"].max()) * 1.4)),
        yaxis=dict(autorange="reversed", title=""),
    )
    return finish_figure(fig, "<br>".join(textwrap.wrap(_("Source: {source} · {year} · individuals in the hotspot "
                                                          "sub-districts · Rule: {rule}.").format(
        source=HOTSPOT_CITATION, year=year, rule=_(HOTSPOT_RULE_TEXT)), 150)),
                         plot_px=40 * len(t) + 60, left_px=120, top_px=80, legend=False)


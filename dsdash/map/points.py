"""The per-site table the map shows, its colour lenses, and the text around it.

Where the numbers come from: one row per site of the sites table (after the shared
filters) that is not closed, with its count in the latest round of each population group
(all groups, from :func:`dsdash.figures.current_picture`: a site missing from its group's
latest round is closed and not drawn), its coverage (worst state, services lost and
at risk, from :mod:`dsdash.coverage`) and its reported needs. A *lens* colours each site:

- ``coverage``: the worst coverage state among the chosen services.
- ``site_type``: the site typology (seed 000).
- ``population_group``: IDPs, returnees, or both.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dsdash.i18n import N_, _, current, iso, local_digits, ngettext
from dsdash.provenance import local_date
from dsdash.coverage.engine import coverage_matrix
from dsdash.coverage.summary import site_states
from dsdash.dataset import Dataset
from dsdash.figures import current_picture
from dsdash.filters import Filters
from dsdash.map.geojson import GEOJSON_PROPERTIES
from dsdash.map.legend import Legend, LegendItem
from dsdash.provenance import short_source
from dsdash.schema import (
    translated,
    GOVERNORATES,
    district_name,
    governorate_name,
    COLOURS,
    COVERAGE_STATE_LABELS,
    DTM_CREDIT,
    INDIVIDUALS_METHOD_LABELS,
    POPULATION_GROUP_LABELS,
    SERVICE_LABELS,
    SITE_TYPE_LABELS,
    CoverageState,
    Severity,
)

LENSES = {
    "coverage": N_("Coverage (worst state among the chosen services)"),
    "site_type": N_("Site type"),
    "population_group": N_("Population group"),
}

#: Colours of the site-type lens (schema.COLOURS has none for site types).
SITE_TYPE_COLOURS = {
    "former_camp": "#8c564b",
    "large_informal": "#d62728",
    "small_informal": "#ff7f0e",
    "ds_housing": "#2ca02c",
    "camp": "#1f77b4",
    "location": "#17becf",
    "unspecified": "#7f7f7f",
}
NO_DATA_COLOUR = "#bdbdbd"
BOTH_GROUPS_COLOUR = "#17becf"


# --------------------------------------------------------------------------- site table
def site_needs(matrix: pd.DataFrame) -> pd.DataFrame:
    """Per site, from the gap matrix's reported needs (the top need of each cell, ranked by
    :func:`dsdash.coverage.presence.top_needs`): the worst severity and a short text
    ("Water (high); Electricity (medium)"), worst first, then by service."""
    cols = {"site_id": "string", "need_severity": "string", "needs_text": "string"}
    cells = matrix[matrix["need_severity"].notna()]
    if cells.empty:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in cols.items()})
    rank = {s: i for i, s in enumerate(Severity.values())}  # high first
    cells = cells.assign(_r=cells["need_severity"].map(rank)).sort_values(["site_id", "_r", "service"], kind="stable")
    cells = cells.assign(_t=cells["service"].map(translated(SERVICE_LABELS)).fillna(cells["service"])
                         + " (" + cells["need_severity"] + ")")
    out = cells.groupby("site_id", sort=True).agg(_r=("_r", "min"), needs_text=("_t", "; ".join)).reset_index()
    out["need_severity"] = out["_r"].map({v: k for k, v in rank.items()})
    return out[list(cols)].astype(cols)


def _joined(df: pd.DataFrame, col: str, sep: str) -> pd.Series:
    """Per site_id, the distinct values of ``col`` sorted and joined by ``sep`` (fast path
    for the usual one value per site; Python joins only for sites with several)."""
    d = df[["site_id", col]].dropna().drop_duplicates().sort_values(["site_id", col], kind="stable")
    multi = d["site_id"].duplicated(keep=False)
    one = d[~multi].set_index("site_id")[col]
    many = d[multi].groupby("site_id", sort=False)[col].agg(lambda v: sep.join(map(str, v)))
    return pd.concat([one, many]).astype("string").rename(col)


def site_points(ds: Dataset, filters: Filters | None = None, *, as_of: dt.date | None = None) -> pd.DataFrame:
    """One row per filtered site with its latest population, coverage and needs.

    Columns: the sites table's, plus population_group ('idp', 'returnee', 'idp+returnee'),
    households, individuals (Int64), individuals_method, reference_date, pop_source,
    worst_state, n_lost, n_at_risk (coverage on ``as_of``, default the data's latest date),
    need_severity, needs_text.
    """
    filters = filters or Filters()
    as_of = as_of or ds.latest_date()
    picture = current_picture(ds, filters)
    sites = picture.sites.reset_index(drop=True)  # closed sites left out
    pop = picture.rows
    if pop.empty:
        per_site = pd.DataFrame({"site_id": pd.Series(dtype="string")})
    else:
        srcs = {x: short_source(x) for x in pop["source"].dropna().unique()}
        pop = pop.assign(pop_source=pop["source"].map(srcs))
        g = pop.groupby("site_id", sort=False)
        per_site = pd.concat([
            g[["households", "individuals"]].sum(min_count=1),
            g["reference_date"].max(),
            _joined(pop, "population_group", "+"),
            _joined(pop, "individuals_method", "; "),
            _joined(pop, "pop_source", "; "),
        ], axis=1).rename_axis("site_id").reset_index()
    pts = sites.merge(per_site, on="site_id", how="left")
    for c in ("households", "individuals"):
        pts[c] = pd.array(pts[c] if c in pts else [pd.NA] * len(pts), dtype="Int64")
    for c in ("population_group", "individuals_method", "pop_source"):
        if c not in pts:
            pts[c] = pd.array([pd.NA] * len(pts), dtype="string")
    if "reference_date" not in pts:
        pts["reference_date"] = pd.Series(pd.NaT, index=pts.index, dtype="datetime64[s]")
    if as_of is not None:
        matrix = coverage_matrix(ds, as_of, filters=filters)
        states = site_states(matrix)
        pts = pts.merge(states[["site_id", "worst_state", "n_lost", "n_at_risk"]], on="site_id", how="left")
        pts = pts.merge(site_needs(matrix), on="site_id", how="left")
    for c, dtype in (("worst_state", "string"), ("n_lost", "Int64"), ("n_at_risk", "Int64"),
                     ("need_severity", "string"), ("needs_text", "string")):
        if c not in pts:
            pts[c] = pd.array([pd.NA] * len(pts), dtype=dtype)
    pts.attrs["closed_sites"] = len(picture.closed_site_ids)  # read by map_caption
    pts.attrs["rounds"] = picture.rounds_text
    return pts


def sites_table(points: pd.DataFrame) -> pd.DataFrame:
    """The filtered sites as a flat table for CSV/Excel download and display, with each site's
    ABC catchment and JCF (by its stated district: :mod:`dsdash.catchments`)."""
    cols = [c for c in GEOJSON_PROPERTIES[:-2] + ["latitude", "longitude", "worst_state", "n_lost", "n_at_risk",
                                                  "needs_text", "pop_source", "source"] if c in points.columns]
    out = points[cols].copy()
    if "admin2_code" in points.columns and len(points):  # the ABC and JCF catchments of the site's district
        from dsdash.catchments import site_catchments

        at = cols.index("coordination_area") + 1 if "coordination_area" in cols else len(cols)
        out.insert(at, "catchment", site_catchments(points, "abc")["catchment"].to_numpy())
        out.insert(at + 1, "jcf", site_catchments(points, "jcf")["catchment"].to_numpy())
    return out


# --------------------------------------------------------------------------- lenses
def lens_colours(points: pd.DataFrame, lens: str) -> tuple[pd.Series, Legend]:
    """The hex colour of each point under ``lens``, and the colour legend (only the
    categories present, in vocabulary order)."""
    if lens == "site_type":
        cats = points["site_type"].fillna("unspecified")
        order = list(SITE_TYPE_LABELS)
        labels, colours, title = SITE_TYPE_LABELS, SITE_TYPE_COLOURS, _("Site type")
    elif lens == "population_group":
        cats = points["population_group"].fillna("none")
        order = ["idp", "returnee", "idp+returnee", "none"]
        labels = {**POPULATION_GROUP_LABELS, "idp+returnee": N_("IDPs and returnees"), "none": N_("No population row")}
        colours = {"idp": COLOURS["idp"], "returnee": COLOURS["returnee"], "idp+returnee": BOTH_GROUPS_COLOUR}
        title = _("Population group")
    elif lens == "coverage":
        cats = points["worst_state"].fillna("none")
        order = CoverageState.values() + ["none"]
        labels = {**COVERAGE_STATE_LABELS, "none": N_("No coverage cell")}
        colours = {k: COLOURS[k] for k in CoverageState.values()}
        title = _("Worst coverage state among the chosen services")
    else:
        raise ValueError(f"unknown lens {lens!r}; choose one of {', '.join(LENSES)}")
    hexes = cats.map(lambda c: colours.get(c, NO_DATA_COLOUR))
    counts = cats.value_counts()

    def label(c) -> str:
        n = int(counts.get(c, 0))
        return f"{_(labels.get(c, c))}: " + ngettext("{n} site", "{n} sites", n).format(n=fmt_int(n))

    items = [LegendItem(label(c), colours.get(c, NO_DATA_COLOUR)) for c in order if c in counts.index]
    items += [LegendItem(label(c), NO_DATA_COLOUR) for c in sorted(set(counts.index) - set(order), key=str)]
    return hexes, Legend(title, items)


# --------------------------------------------------------------------------- text
def fmt_int(v) -> str:
    """A count with thousands separators, or 'not stated'.

    Examples:
        >>> fmt_int(3300), fmt_int(None)
        ('3,300', 'not stated')
    """
    return _("not stated") if v is None or pd.isna(v) else local_digits(f"{int(v):,}")


def site_tip(row: dict | pd.Series) -> str:
    """The tooltip text of one site (plain text; Streamlit shows it as text)."""
    first, second = str(row["site_name"]), row.get("site_name_ar")
    if current() == "ar" and isinstance(second, str) and second.strip():
        first, second = second, first  # the reader's language first, the other below
    lines = [first]
    if isinstance(second, str) and second.strip():
        lines.append(str(second))
    admin2, admin1 = row.get("admin2_name"), row.get("admin1_name")
    if current() != "en":
        admin2 = district_name(row.get("admin2_code"), admin2) if isinstance(admin2, str) else admin2
        admin1 = governorate_name(row.get("admin1_code")) if row.get("admin1_code") in GOVERNORATES else admin1
    place = ", ".join(str(x) for x in (admin2, admin1) if isinstance(x, str))
    lines.append(f"{_(SITE_TYPE_LABELS.get(row['site_type'], row['site_type']))}" + (f" · {place}" if place else ""))
    lines.append(_("{households} households · {individuals} individuals").format(
        households=fmt_int(row["households"]), individuals=fmt_int(row["individuals"])))
    method = row.get("individuals_method")
    if isinstance(method, str):
        m = "; ".join(_(INDIVIDUALS_METHOD_LABELS.get(x, x)) for x in method.split("; "))
        date = row.get("reference_date")
        when = f", {local_date(pd.Timestamp(date))}" if pd.notna(date) else ""
        lines.append(f"{m}{when}")
        lines.append(_("Source: {source}").format(source=row.get("pop_source")))
    lines.append(_("Services lost: {lost} · at risk: {at_risk}").format(lost=fmt_int(row["n_lost"]),
                                                                          at_risk=fmt_int(row["n_at_risk"])))
    return "\n".join(lines)


def map_caption(points: pd.DataFrame, as_of: dt.date | None) -> str:
    """'28 sites · 18,882 individuals (individuals = households × 6 (DTM)) · source … · as of …'."""
    methods = sorted({m for s in points["individuals_method"].dropna() for m in str(s).split("; ")})
    method = "; ".join(_(INDIVIDUALS_METHOD_LABELS.get(m, m)) for m in methods) or _("no population rows")
    sources = sorted({s for s in points["pop_source"].dropna()})
    src = sources[0] if len(sources) == 1 else (
        ngettext("{n} source", "{n} sources", len(sources)).format(n=len(sources)) if sources else _("no population rows"))
    dates = points["reference_date"].dropna()
    when = points.attrs.get("rounds") or (_("as of {date}").format(date=local_date(pd.Timestamp(dates.max())))
                                          if len(dates) else "")
    when = _("latest round of each group, {when}").format(when=when) if when else _("count date not stated")
    closed = int(points.attrs.get("closed_sites") or 0)
    if closed:
        when += " · " + ngettext("{n} closed site not drawn", "{n} closed sites not drawn", closed).format(
            n=fmt_int(closed))
    total = points["individuals"].sum(min_count=1)
    tot = "—" if pd.isna(total) else fmt_int(total)
    cov = _("coverage as of {date}").format(date=local_date(as_of)) if as_of else _("coverage date unknown")
    return _("{n} sites drawn · {total} individuals ({method}) · {when} · {coverage} · Source: {source}. {credit}.").format(
        n=fmt_int(len(points)), total=tot, method=method, when=when, coverage=cov, source=iso(src), credit=_(DTM_CREDIT))

"""The site map: a pydeck Deck of the active data's sites, and a static PNG of the same.

Where the numbers come from: one point per site of the sites table (after the shared
filters), sized by the site's latest count of individuals (all population groups, from
:func:`dsdash.figures.latest_population`), coloured by a *lens*:

- ``coverage``: the worst coverage state among the chosen services, from the coverage
  engine (:mod:`dsdash.coverage`, DESIGN §4) when it is importable; without it, the worst
  *reported need* severity of the chosen services (needs table, spread to sites).
- ``site_type``: the site typology (seed 000).
- ``population_group``: IDPs, returnees, or both.

Caveats, said on screen too: circle *areas* are proportional to individuals
(radius ∝ √individuals, in screen pixels so the map reads the same at every zoom; the
smallest circles are held at a minimum radius so they stay visible); sites without
coordinates are not drawn (they are counted in ``SiteMap.notes``).

Rules kept here (DESIGN §5): every layer has a stable ``id``; the tooltip is a text
template (``{"text": ...}``, never HTML) whose only field is a per-object ``tip`` string;
each layer receives only the fields its accessors and the tooltip use, so the deck JSON
stays small. The plain map style draws no basemap at all (it works offline); the Carto
styles need internet. Nothing here imports Streamlit.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pydeck as pdk

from dsdash.dataset import Dataset
from dsdash.filters import Filters, filter_sites
from dsdash.figures import latest_population
from dsdash.provenance import short_source
from dsdash.schema import (
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
from dsdash.scope import expand_to_sites

# --------------------------------------------------------------------------- constants
#: Stable layer ids (Streamlit keys selections by layer id).
LAYER_SITES = "sites"
LAYER_LABELS = "site-labels"
LAYER_HEXAGONS = "sites-hexagons"
LAYER_GRID = "sites-grid"
LAYER_BOUNDARIES = "boundaries"
LAYER_CHOROPLETH = "choropleth"
LAYER_MOVEMENTS = "movements"

LENSES = {
    "coverage": "Coverage (worst state among the chosen services)",
    "site_type": "Site type",
    "population_group": "Population group",
}

AGGREGATIONS = {
    "auto": "Automatic (hexagons above {n:,} sites)",
    "points": "Every site as a circle",
    "hexagon": "Hexagons (individuals per area)",
    "grid": "Grid cells (individuals per area)",
}
#: Above this many sites, "auto" aggregates (a national Master List has ~4,000).
AUTO_AGGREGATE_ABOVE = 1500


@dataclass(frozen=True)
class MapStyle:
    label: str
    provider: str | None
    style: str | None
    online: bool


#: Map styles offered. "plain" draws no basemap (works offline) and is the default.
MAP_STYLES: dict[str, MapStyle] = {
    "plain": MapStyle("Plain background (works offline)", None, None, False),
    "light": MapStyle("Carto light basemap (needs internet)", "carto", "light", True),
    "road": MapStyle("Carto roads basemap (needs internet)", "carto", "road", True),
    "dark": MapStyle("Carto dark basemap (needs internet)", "carto", "dark", True),
}
DEFAULT_MAP_STYLE = "plain"

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
SEVERITY_COLOURS = {"high": COLOURS["severe"], "medium": COLOURS["medium"], "low": COLOURS["low"]}
SEVERITY_LABELS = {"high": "High need reported", "medium": "Medium need reported",
                   "low": "Low need reported", "none": "No need reported"}

MAX_RADIUS_PX = 28.0  # the largest site's radius on screen
MIN_RADIUS_PX = 3.0  # smallest circles are held here so they stay visible
LABEL_TOP = 8  # label the largest sites
COORD_DECIMALS = 5  # ~1 m: enough for a map, keeps the JSON small

PLAIN_STYLE_NOTE = ("Plain background: no basemap tiles are drawn (none are available offline); "
                    "sites, labels and any boundaries you loaded are drawn on their own.")
ONLINE_STYLE_NOTE = ("The {label} needs internet access: where tiles cannot load (offline, or behind a "
                     "firewall) the background stays blank and sites, labels and loaded boundaries still draw.")


# --------------------------------------------------------------------------- data classes
@dataclass(frozen=True)
class LegendItem:
    """One legend entry: a colour swatch, a circle of a given radius, or a line width."""

    label: str
    colour: str  # hex
    kind: str = "colour"  # "colour" | "size" | "width"
    size: float = 0.0  # radius in px (size) or width in px (width)


@dataclass
class Legend:
    title: str
    items: list[LegendItem]
    note: str = ""


@dataclass
class SiteMap:
    """What the map page shows: the deck, its legends, and the table behind it."""

    deck: pdk.Deck
    points: pd.DataFrame  # one row per drawn site, in the sites layer's order
    legends: list[Legend]
    style_note: str
    caption: str  # what the circles mean: method, source, date
    notes: list[str] = field(default_factory=list)
    lens: str = "coverage"
    coverage_engine: bool = False
    aggregated: bool = False


# --------------------------------------------------------------------------- helpers
def hex_to_rgb(colour: str, alpha: int | None = None) -> list[int]:
    """'#1f77b4' → [31, 119, 180] (plus alpha when given).

    Examples:
        >>> hex_to_rgb("#1f77b4"), hex_to_rgb("#ffffff", 128)
        ([31, 119, 180], [255, 255, 255, 128])
    """
    h = colour.lstrip("#")
    rgb = [int(h[i:i + 2], 16) for i in (0, 2, 4)]
    return rgb + [alpha] if alpha is not None else rgb


def radius_scale(max_individuals: float | None, max_px: float = MAX_RADIUS_PX) -> float:
    """Pixels per √individual so that the largest site gets ``max_px``."""
    if not max_individuals or max_individuals <= 0 or pd.isna(max_individuals):
        return 0.0
    return max_px / math.sqrt(float(max_individuals))


def radius_px(individuals: float | None, scale: float, min_px: float = MIN_RADIUS_PX) -> float:
    """Area-true radius: ``scale × √individuals`` (so doubling individuals doubles the area),
    never below ``min_px``.

    Examples:
        >>> radius_px(100, 2.0), radius_px(400, 2.0), radius_px(None, 2.0)
        (20.0, 40.0, 3.0)
    """
    if individuals is None or pd.isna(individuals) or scale <= 0:
        return min_px
    return max(min_px, scale * math.sqrt(float(individuals)))


def _nice_values(max_value: float) -> list[int]:
    """Three round legend values up to ``max_value`` (e.g. 100, 1,000, 3,000)."""
    if not max_value or max_value <= 0:
        return []
    top = 10 ** math.floor(math.log10(max_value))
    candidates = sorted({v for v in (top / 10, top / 2, top, 2 * top, 5 * top) if 1 <= v <= max_value})
    vals = [int(v) for v in candidates][-3:]
    return vals


def view_for(lons: pd.Series, lats: pd.Series, width_px: int = 900, height_px: int = 520) -> dict:
    """Centre and zoom that fit the points in a ``width_px`` × ``height_px`` map (web mercator)."""
    lons, lats = pd.Series(lons, dtype=float).dropna(), pd.Series(lats, dtype=float).dropna()
    if lons.empty:
        return {"latitude": 33.2, "longitude": 43.7, "zoom": 5.0}  # Iraq

    def merc_y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    lon0, lon1, lat0, lat1 = lons.min(), lons.max(), lats.min(), lats.max()
    span_x = max((lon1 - lon0) / 360.0, 1e-4)
    span_y = max((merc_y(lat1) - merc_y(lat0)) / (2 * math.pi), 1e-4)
    # deck.gl / MapLibre zoom: the world is 512 px wide at zoom 0
    zoom = min(math.log2(width_px / 512 / span_x), math.log2(height_px / 512 / span_y)) - 0.45
    yc = (merc_y(lat0) + merc_y(lat1)) / 2
    lat_c = math.degrees(2 * math.atan(math.exp(yc)) - math.pi / 2)
    return {"latitude": round(lat_c, 5), "longitude": round((lon0 + lon1) / 2, 5),
            "zoom": round(max(3.0, min(zoom, 14.0)), 2)}


# --------------------------------------------------------------------------- site table
def coverage_site_states(ds: Dataset, filters: Filters, as_of: dt.date | None) -> pd.DataFrame | None:
    """Per site: worst_state, n_lost, n_at_risk from :mod:`dsdash.coverage`, or None when
    the coverage engine is not available (this module then falls back to reported needs)."""
    try:
        from dsdash import coverage  # another module; optional until it lands
        matrix_fn, states_fn = coverage.coverage_matrix, coverage.site_states
    except (ImportError, AttributeError):
        return None
    if as_of is None:
        return None
    states = states_fn(matrix_fn(ds, as_of, filters=filters))
    return states.reset_index() if "site_id" not in states.columns else states


def site_needs(ds: Dataset, filters: Filters, sites: pd.DataFrame) -> pd.DataFrame:
    """Reported needs of the chosen services, spread to sites: per site the worst severity
    and a short text ("Water (high); Electricity (medium)")."""
    needs = ds.needs
    needs = needs[needs["service"].isin(filters.service_list())]
    empty = pd.DataFrame({"site_id": pd.Series(dtype="string"), "need_severity": pd.Series(dtype="string"),
                          "needs_text": pd.Series(dtype="string")})
    if needs.empty or sites.empty:
        return empty
    ex, _unmatched = expand_to_sites(needs, sites)
    if ex.empty:
        return empty
    rank = {s: i for i, s in enumerate(Severity.values())}  # high first
    ex = ex.assign(_r=ex["severity"].map(rank))
    ex = ex.sort_values(["site_id", "service", "_r"], kind="stable").drop_duplicates(["site_id", "service"])
    ex = ex.sort_values(["site_id", "_r", "service"], kind="stable")
    ex = ex.assign(_t=ex["service"].map(SERVICE_LABELS).fillna(ex["service"]) + " (" + ex["severity"] + ")")
    out = ex.groupby("site_id", sort=True).agg(_r=("_r", "min"), needs_text=("_t", "; ".join)).reset_index()
    out["need_severity"] = out["_r"].map({v: k for k, v in rank.items()})
    return out[["site_id", "need_severity", "needs_text"]]


def _joined(df: pd.DataFrame, col: str, sep: str) -> pd.Series:
    """Per site_id, the distinct values of ``col`` sorted and joined by ``sep`` (fast path
    for the usual one value per site; Python joins only for sites with several)."""
    d = df[["site_id", col]].dropna().drop_duplicates().sort_values(["site_id", col], kind="stable")
    multi = d["site_id"].duplicated(keep=False)
    one = d[~multi].set_index("site_id")[col]
    many = d[multi].groupby("site_id", sort=False)[col].agg(lambda v: sep.join(map(str, v)))
    return pd.concat([one, many]).astype("string").rename(col)


def site_points(ds: Dataset, filters: Filters | None = None, *,
                as_of: dt.date | None = None) -> tuple[pd.DataFrame, bool]:
    """One row per filtered site with its latest population, coverage and needs.

    Returns ``(points, coverage_engine)``: ``coverage_engine`` says whether n_lost /
    n_at_risk / worst_state come from :mod:`dsdash.coverage` (else they are empty).
    Columns: the sites table's, plus population_group ('idp', 'returnee', 'idp+returnee'),
    households, individuals (Int64), individuals_method, reference_date, pop_source,
    worst_state, n_lost, n_at_risk, need_severity, needs_text.
    """
    filters = filters or Filters()
    as_of = as_of or ds.latest_date()
    sites = filter_sites(ds.sites, filters, ds.population).reset_index(drop=True)
    pop = latest_population(ds, filters)
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
    states = coverage_site_states(ds, filters, as_of)
    engine = states is not None
    if engine:
        keep = [c for c in ("site_id", "worst_state", "n_lost", "n_at_risk") if c in states.columns]
        pts = pts.merge(states[keep], on="site_id", how="left")
    for c, dtype in (("worst_state", "string"), ("n_lost", "Int64"), ("n_at_risk", "Int64")):
        if c not in pts:
            pts[c] = pd.array([pd.NA] * len(pts), dtype=dtype)
    pts = pts.merge(site_needs(ds, filters, sites), on="site_id", how="left")
    return pts, engine


# --------------------------------------------------------------------------- lenses
def lens_colours(points: pd.DataFrame, lens: str, coverage_engine: bool) -> tuple[pd.Series, Legend]:
    """The hex colour of each point under ``lens``, and the colour legend (only the
    categories present, in vocabulary order)."""
    if lens == "site_type":
        cats = points["site_type"].fillna("unspecified")
        order = list(SITE_TYPE_LABELS)
        labels, colours, title = SITE_TYPE_LABELS, SITE_TYPE_COLOURS, "Site type"
    elif lens == "population_group":
        cats = points["population_group"].fillna("none")
        order = ["idp", "returnee", "idp+returnee", "none"]
        labels = {**POPULATION_GROUP_LABELS, "idp+returnee": "IDPs and returnees", "none": "No population row"}
        colours = {"idp": COLOURS["idp"], "returnee": COLOURS["returnee"], "idp+returnee": BOTH_GROUPS_COLOUR}
        title = "Population group"
    elif lens == "coverage" and coverage_engine:
        cats = points["worst_state"].fillna("none")
        order = CoverageState.values() + ["none"]
        labels = {**COVERAGE_STATE_LABELS, "none": "No coverage cell"}
        colours = {k: COLOURS[k] for k in CoverageState.values()}
        title = "Worst coverage state among the chosen services"
    elif lens == "coverage":
        cats = points["need_severity"].fillna("none")
        order = Severity.values() + ["none"]
        labels, colours = SEVERITY_LABELS, SEVERITY_COLOURS
        title = "Worst reported need among the chosen services (coverage engine not available)"
    else:
        raise ValueError(f"unknown lens {lens!r}; choose one of {', '.join(LENSES)}")
    hexes = cats.map(lambda c: colours.get(c, NO_DATA_COLOUR))
    counts = cats.value_counts()

    def label(c) -> str:
        n = int(counts.get(c, 0))
        return f"{labels.get(c, c)}: {n:,} site{'s' if n != 1 else ''}"

    items = [LegendItem(label(c), colours.get(c, NO_DATA_COLOUR)) for c in order if c in counts.index]
    items += [LegendItem(label(c), NO_DATA_COLOUR) for c in sorted(set(counts.index) - set(order), key=str)]
    return hexes, Legend(title, items)


def size_legend(max_individuals: float | None, scale: float) -> Legend:
    items = [LegendItem(f"{v:,} individuals", "#888888", "size", round(radius_px(v, scale), 1))
             for v in _nice_values(max_individuals or 0)]
    return Legend("Circle area = individuals", items,
                  f"radius ∝ √individuals; circles never smaller than {MIN_RADIUS_PX:g} px")


# --------------------------------------------------------------------------- tooltips
def _fmt_int(v) -> str:
    return "not stated" if v is None or pd.isna(v) else f"{int(v):,}"


def site_tip(row: dict | pd.Series, coverage_engine: bool) -> str:
    """The tooltip text of one site (plain text; Streamlit shows it as text)."""
    lines = [str(row["site_name"])]
    if isinstance(row.get("site_name_ar"), str) and row["site_name_ar"].strip():
        lines.append(str(row["site_name_ar"]))
    place = ", ".join(str(x) for x in (row.get("admin2_name"), row.get("admin1_name")) if isinstance(x, str))
    lines.append(f"{SITE_TYPE_LABELS.get(row['site_type'], row['site_type'])}" + (f" · {place}" if place else ""))
    lines.append(f"{_fmt_int(row['households'])} households · {_fmt_int(row['individuals'])} individuals")
    method = row.get("individuals_method")
    if isinstance(method, str):
        m = "; ".join(INDIVIDUALS_METHOD_LABELS.get(x, x) for x in method.split("; "))
        date = row.get("reference_date")
        when = f", {pd.Timestamp(date):%d %b %Y}" if pd.notna(date) else ""
        lines.append(f"{m}{when}")
        lines.append(f"Source: {row.get('pop_source')}")
    if coverage_engine:
        lines.append(f"Services lost: {_fmt_int(row['n_lost'])} · at risk: {_fmt_int(row['n_at_risk'])}")
    else:
        lines.append("Services lost / at risk: coverage engine not available")
    return "\n".join(lines)


# --------------------------------------------------------------------------- layers
def _round(x: float, n: int = COORD_DECIMALS) -> float:
    return round(float(x), n)


def sites_layer_data(points: pd.DataFrame, colours: pd.Series, scale: float, coverage_engine: bool) -> list[dict]:
    """Records of the sites layer: only site_id (selection), x, y (position), r (radius px),
    c (colour) and tip (tooltip)."""
    rgba = {c: hex_to_rgb(c, 200) for c in set(colours)}
    out = []
    for row, col in zip(points.to_dict("records"), colours):
        out.append({
            "site_id": str(row["site_id"]),
            "x": _round(row["longitude"]),
            "y": _round(row["latitude"]),
            "r": round(radius_px(row["individuals"], scale), 1),
            "c": list(rgba[col]),
            "tip": site_tip(row, coverage_engine),
        })
    return out


def boundaries_geojson(gdf, *, simplify_deg: float = 0.01, values: pd.DataFrame | None = None,
                       bbox: tuple[float, float, float, float] | None = None) -> dict:
    """A small FeatureCollection of boundary outlines: properties tip (and the choropleth's
    fill ``f`` when ``values`` (pcode, individuals, sites) is given). Only polygons that
    touch ``bbox`` (min_lon, min_lat, max_lon, max_lat) are sent; geometries are simplified
    (~1 km) and rounded to 3 decimals: outlines for a map, not for analysis."""
    from dsdash.spatial import normalise_areas

    areas = normalise_areas(gdf)
    if bbox is not None:
        areas = areas.cx[bbox[0]:bbox[2], bbox[1]:bbox[3]]
    geoms = areas.geometry.simplify(simplify_deg, preserve_topology=True)
    vals = values.set_index("pcode") if values is not None else None
    vmax = float(vals["individuals"].max()) if vals is not None and len(vals) and vals["individuals"].max() > 0 else 0
    feats = []
    for (_, row), geom in zip(areas.iterrows(), geoms):
        props = {"tip": f"{row['name']} ({row['pcode']})"}
        if vals is not None:
            ind = int(vals["individuals"].get(row["pcode"], 0)) if row["pcode"] in vals.index else 0
            n = int(vals["sites"].get(row["pcode"], 0)) if row["pcode"] in vals.index else 0
            props["tip"] += f"\n{ind:,} individuals in {n:,} sites (sites located in this polygon)"
            props["f"] = _ramp(ind / vmax if vmax else 0.0, 150) if ind else [0, 0, 0, 0]
        feats.append({"type": "Feature", "properties": props,
                      "geometry": json.loads(json.dumps(geom.__geo_interface__, default=float),
                                             parse_float=lambda s: round(float(s), 3))})
    return {"type": "FeatureCollection", "features": feats}


_RAMP = ["#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704"]


def _ramp(t: float, alpha: int) -> list[int]:
    i = min(int(t * (len(_RAMP) - 1) + 0.5), len(_RAMP) - 1)
    return hex_to_rgb(_RAMP[i], alpha)


def choropleth_legend(values: pd.DataFrame) -> Legend:
    vmax = float(values["individuals"].max()) if len(values) else 0.0
    items = []
    for i, col in enumerate(_RAMP):
        hi = vmax * (i + 0.5) / (len(_RAMP) - 1) if i < len(_RAMP) - 1 else vmax
        lo = vmax * (i - 0.5) / (len(_RAMP) - 1) if i else 1
        items.append(LegendItem(f"{max(lo, 1):,.0f} – {hi:,.0f} individuals", col))
    return Legend("Individuals per area (sites located in each polygon)", items,
                  "areas without sites are not shaded")


def movements_layer(ds: Dataset) -> tuple[pdk.Layer | None, Legend | None]:
    """An arc per origin → destination with coordinates; width by households."""
    mv = ds.movements
    cols = ["origin_longitude", "origin_latitude", "destination_longitude", "destination_latitude"]
    mv = mv.dropna(subset=cols)
    if mv.empty:
        return None, None
    hh_max = float(mv["households"].max()) if mv["households"].notna().any() else 0.0

    def width(hh) -> float:
        return 1.0 if pd.isna(hh) or not hh_max else round(1.0 + 11.0 * float(hh) / hh_max, 1)

    data = []
    for _, r in mv.iterrows():
        period = ""
        if pd.notna(r["period_start"]) or pd.notna(r["period_end"]):
            a = f"{pd.Timestamp(r['period_start']):%b %Y}" if pd.notna(r["period_start"]) else "?"
            b = f"{pd.Timestamp(r['period_end']):%b %Y}" if pd.notna(r["period_end"]) else "?"
            period = f"\n{a} – {b}"
        data.append({
            "s": [_round(r["origin_longitude"]), _round(r["origin_latitude"])],
            "t": [_round(r["destination_longitude"]), _round(r["destination_latitude"])],
            "w": width(r["households"]),
            "tip": f"{r['origin_name']} → {r['destination_name']}\n{_fmt_int(r['households'])} households moved"
                   f"{period}\nSource: {short_source(str(r['source']))}",
        })
    layer = pdk.Layer("ArcLayer", id=LAYER_MOVEMENTS, data=data, get_source_position="s",
                      get_target_position="t", get_width="w", width_units="'pixels'",
                      get_source_color=hex_to_rgb(COLOURS["idp"], 200),
                      get_target_color=hex_to_rgb(COLOURS["returnee"], 200), pickable=True)
    items = [LegendItem(f"{v:,} households", COLOURS["idp"], "width", width(v)) for v in _nice_values(hh_max)]
    return layer, Legend("Movements (arc width = households; blue end = origin, green = destination)", items)


# --------------------------------------------------------------------------- the deck
def build_site_map(
    ds: Dataset,
    filters: Filters | None = None,
    *,
    as_of: dt.date | None = None,
    lens: str = "coverage",
    map_style: str = DEFAULT_MAP_STYLE,
    labels: bool = True,
    aggregation: str = "auto",
    boundary_level: str | None = None,
    choropleth: bool = False,
    movements: bool = True,
    label_top: int = LABEL_TOP,
) -> SiteMap:
    """The site map of the (filtered) active data.

    Args:
        lens: "coverage", "site_type" or "population_group" (see :data:`LENSES`).
        map_style: a key of :data:`MAP_STYLES`; "plain" (default) draws no basemap.
        labels: label the ``label_top`` largest sites (by individuals).
        aggregation: "auto", "points", "hexagon" or "grid" (:data:`AGGREGATIONS`).
        boundary_level: "adm1" or "adm2" to draw the loaded boundaries of that level.
        choropleth: fill the boundary polygons by individuals of the sites inside them.
        movements: draw the movements table's arcs when it has coordinates.
    """
    if map_style not in MAP_STYLES:
        raise ValueError(f"unknown map style {map_style!r}; choose one of {', '.join(MAP_STYLES)}")
    if aggregation not in AGGREGATIONS:
        raise ValueError(f"unknown aggregation {aggregation!r}; choose one of {', '.join(AGGREGATIONS)}")
    filters = filters or Filters()
    as_of = as_of or ds.latest_date()
    allpts, engine = site_points(ds, filters, as_of=as_of)
    located = allpts["latitude"].notna() & allpts["longitude"].notna()
    # largest first, so small circles are drawn on top of large ones and stay clickable
    points = allpts[located].sort_values("individuals", ascending=False, na_position="first", kind="stable")
    points = points.reset_index(drop=True)
    notes = []
    if (~located).any():
        notes.append(f"{int((~located).sum()):,} of {len(allpts):,} sites have no coordinates and are not drawn.")
    hexes, colour_legend = lens_colours(points, lens, engine)
    ind_max = points["individuals"].max() if points["individuals"].notna().any() else None
    scale = radius_scale(ind_max)
    aggregated = aggregation in ("hexagon", "grid") or (aggregation == "auto" and len(points) > AUTO_AGGREGATE_ABOVE)
    legends: list[Legend] = []
    layers: list[pdk.Layer] = []
    view = view_for(points["longitude"], points["latitude"])

    level = boundary_level if boundary_level in (ds.boundaries or {}) else None
    if level:
        values = None
        if choropleth:
            from dsdash.spatial import individuals_per_area
            values = individuals_per_area(points, ds.boundaries[level])
            legends.append(choropleth_legend(values))
        bbox = None
        if len(points):
            lo, la = points["longitude"].astype(float), points["latitude"].astype(float)
            bbox = (lo.min() - 0.5, la.min() - 0.5, lo.max() + 0.5, la.max() + 0.5)
        # about one screen pixel at the initial view: finer detail would not show
        tol = max(0.005, (bbox[2] - bbox[0]) / 450) if bbox else 0.01
        gj = boundaries_geojson(ds.boundaries[level], values=values, bbox=bbox, simplify_deg=tol)
        layers.append(pdk.Layer(
            "GeoJsonLayer", id=LAYER_CHOROPLETH if choropleth else LAYER_BOUNDARIES, data=gj,
            stroked=True, filled=bool(choropleth), get_fill_color="properties.f",
            get_line_color=[90, 90, 90, 200], line_width_min_pixels=1, pickable=bool(choropleth)))

    if aggregated:
        agg_type, agg_id = ("GridLayer", LAYER_GRID) if aggregation == "grid" else ("HexagonLayer", LAYER_HEXAGONS)
        data = [{"p": [_round(lo, 3), _round(la, 3)], "w": 0 if pd.isna(i) else int(i)}
                for lo, la, i in zip(points["longitude"], points["latitude"], points["individuals"])]
        size_kw = {"cell_size": 10000} if agg_type == "GridLayer" else {"radius": 10000}
        layers.append(pdk.Layer(
            agg_type, id=agg_id, data=data, get_position="p", get_color_weight="w", get_elevation_weight="w",
            color_aggregation="'SUM'", elevation_aggregation="'SUM'", extruded=False, opacity=0.8,
            color_range=[hex_to_rgb(c) for c in _RAMP[1:]] + [hex_to_rgb("#4a1486")], pickable=False,
            **size_kw))
        legends.append(Legend("Individuals per 10 km cell (aggregated)", [
            LegendItem("fewer individuals", _RAMP[1]), LegendItem("more individuals", "#4a1486")],
            "Choose 'Every site as a circle' (and filter to an area) to see and click single sites."))
    else:
        layers.append(pdk.Layer(
            "ScatterplotLayer", id=LAYER_SITES, data=sites_layer_data(points, hexes, scale, engine),
            get_position="[x, y]", get_radius="r", get_fill_color="c", radius_units="'pixels'",
            stroked=True, get_line_color=[255, 255, 255], line_width_min_pixels=1,
            pickable=True, auto_highlight=True))
        legends.append(colour_legend)
        legends.append(size_legend(ind_max, scale))
        if labels and label_top > 0 and len(points):
            top = label_sites(points, view, label_top)
            lab = [{"p": [_round(lo, 4), _round(la, 4)], "t": str(n), "o": [0, -round(radius_px(i, scale) + 9)]}
                   for lo, la, n, i in zip(top["longitude"], top["latitude"], top["site_name"], top["individuals"])]
            layers.append(pdk.Layer(
                "TextLayer", id=LAYER_LABELS, data=lab, get_position="p", get_text="t", get_pixel_offset="o",
                get_size=12, get_color=[30, 30, 30], character_set="'auto'", outline_width=2,
                font_family="'Helvetica, Arial, sans-serif'", font_weight=600,
                outline_color=[255, 255, 255], font_settings={"sdf": True}, pickable=False))

    if movements:
        arc, arc_legend = movements_layer(ds)
        if arc is not None:
            layers.append(arc)
            legends.append(arc_legend)

    style = MAP_STYLES[map_style]
    kw = {"map_provider": style.provider, "map_style": style.style} if style.online else {"map_provider": None}
    deck = pdk.Deck(layers=layers, initial_view_state=pdk.ViewState(**view), tooltip={"text": "{tip}"}, **kw)
    style_note = ONLINE_STYLE_NOTE.format(label=style.label.split(" (")[0]) if style.online else PLAIN_STYLE_NOTE
    return SiteMap(deck=deck, points=points, legends=legends, style_note=style_note,
                   caption=map_caption(points, as_of), notes=notes, lens=lens, coverage_engine=engine,
                   aggregated=aggregated)


def label_sites(points: pd.DataFrame, view: dict, n: int = LABEL_TOP, min_gap_px: float = 60.0) -> pd.DataFrame:
    """The sites to label: the largest first, skipping any whose position at the initial
    view lies within ``min_gap_px`` pixels of a site already labelled (so labels do not
    pile up in a cluster). At most ``n``."""
    world = 512 * 2 ** view["zoom"]
    cand = points[points["individuals"].notna()].sort_values("individuals", ascending=False, kind="stable")
    chosen, xy = [], []
    for idx, lon, lat in zip(cand.index, cand["longitude"].astype(float), cand["latitude"].astype(float)):
        x = (lon + 180) / 360 * world
        y = (1 - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / math.pi) / 2 * world
        if all(math.hypot(x - a, (y - b) * 2.5) >= min_gap_px for a, b in xy):  # labels are wide, not tall
            chosen.append(idx)
            xy.append((x, y))
        if len(chosen) >= n:
            break
    return points.loc[chosen]


def map_caption(points: pd.DataFrame, as_of: dt.date | None) -> str:
    """'28 sites · 18,882 individuals (individuals = households × 6 (DTM)) · source … · as of …'."""
    methods = sorted({m for s in points["individuals_method"].dropna() for m in str(s).split("; ")})
    method = "; ".join(INDIVIDUALS_METHOD_LABELS.get(m, m) for m in methods) or "no population rows"
    sources = sorted({s for s in points["pop_source"].dropna()})
    src = sources[0] if len(sources) == 1 else (f"{len(sources)} sources" if sources else "no population rows")
    dates = points["reference_date"].dropna()
    when = f"counts of {pd.Timestamp(dates.max()):%d %b %Y}" if len(dates) else "count date not stated"
    total = points["individuals"].sum(min_count=1)
    tot = "—" if pd.isna(total) else f"{int(total):,}"
    cov = f"coverage as of {as_of:%d %b %Y}" if as_of else "coverage date unknown"
    return (f"{len(points):,} sites drawn · {tot} individuals ({method}) · {when} · {cov} · "
            f"Source: {src}. {DTM_CREDIT}.")


def selected_site_id(selection: dict | None, layer_id: str = LAYER_SITES) -> str | None:
    """The site_id of the object selected in the sites layer of a Streamlit pydeck
    selection state (``{"indices": {...}, "objects": {layer: [record, ...]}}``), or None."""
    if not selection:
        return None
    objects = (selection.get("objects") or {}).get(layer_id) or []
    for obj in objects:
        if isinstance(obj, dict) and obj.get("site_id"):
            return str(obj["site_id"])
    return None


# --------------------------------------------------------------------------- downloads
GEOJSON_PROPERTIES = [
    "site_id", "site_name", "site_name_ar", "admin1_code", "admin1_name", "admin2_code", "admin2_name",
    "site_type", "site_group", "coordination_area", "population_group", "households", "individuals",
    "individuals_method", "reference_date", "pop_source", "source",
]


def to_geojson_bytes(points: pd.DataFrame, *, precision: int = 5) -> bytes:
    """The sites as a GeoJSON FeatureCollection (RFC 7946, EPSG:4326), coordinates
    rounded to ``precision`` decimals (5 ≈ 1 m, 3 ≈ 100 m, 2 ≈ 1 km); UTF-8, Arabic kept.
    Sites without coordinates are left out (the CSV download has them)."""
    if not 0 <= precision <= 8:
        raise ValueError("precision must be between 0 and 8 decimals")
    feats = []
    for _, row in points.iterrows():
        if pd.isna(row.get("latitude")) or pd.isna(row.get("longitude")):
            continue
        props = {}
        for c in GEOJSON_PROPERTIES:
            if c not in points.columns:
                continue
            v = row[c]
            if v is None or (not isinstance(v, (list, dict)) and pd.isna(v)):
                props[c] = None
            elif isinstance(v, pd.Timestamp):
                props[c] = v.date().isoformat()
            elif isinstance(v, (np.integer, int)) and not isinstance(v, bool):
                props[c] = int(v)
            else:
                props[c] = str(v)
        lon, lat = round(float(row["longitude"]), precision), round(float(row["latitude"]), precision)
        feats.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                      "properties": props})
    fc = {"type": "FeatureCollection", "features": feats}
    return json.dumps(fc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sites_table(points: pd.DataFrame) -> pd.DataFrame:
    """The filtered sites as a flat table for CSV/Excel download and display."""
    cols = [c for c in GEOJSON_PROPERTIES[:-2] + ["latitude", "longitude", "worst_state", "n_lost", "n_at_risk",
                                                  "needs_text", "pop_source", "source"] if c in points.columns]
    return points[cols].copy()


# --------------------------------------------------------------------------- legend & static PNG
def legend_png(legends: list[Legend], *, width_px: int = 1100, dpi: int = 100) -> bytes:
    """The legends drawn as a small PNG (matplotlib, offline): colour swatches, circles
    at their on-screen size, arc widths."""
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    rows = sum(1 + max(1, math.ceil(len(lg.items) / 3)) for lg in legends) or 1
    fig = Figure(figsize=(width_px / dpi, (rows * 26 + 14) / dpi), dpi=dpi)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width_px)
    ax.set_ylim(rows * 26 + 14, 0)
    ax.axis("off")
    y = 16
    for lg in legends:
        ax.text(6, y, lg.title + (f" ({lg.note})" if lg.note else ""), fontsize=9, fontweight="bold", va="center")
        y += 24
        for i, it in enumerate(lg.items):
            col, x = i % 3, 12 + (i % 3) * (width_px / 3)
            if it.kind == "size":
                ax.scatter([x + 10], [y], s=(2 * it.size * 72 / dpi) ** 2 * 0.9, c=it.colour, alpha=0.6,
                           edgecolors="white", clip_on=False)
            elif it.kind == "width":
                ax.plot([x, x + 28], [y, y], color=it.colour, linewidth=it.size * 72 / dpi, solid_capstyle="butt")
            else:
                ax.add_patch(matplotlib.patches.Rectangle((x, y - 7), 18, 14, color=it.colour))
            ax.text(x + 38, y, it.label, fontsize=9, va="center")
            if col == 2 and i < len(lg.items) - 1:
                y += 26
        y += 28
    fig.set_size_inches(width_px / dpi, max(y, 30) / dpi)
    ax.set_ylim(max(y, 30), 0)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def static_map_png(
    ds: Dataset,
    filters: Filters | None = None,
    *,
    as_of: dt.date | None = None,
    width_px: int = 1600,
    height_px: int = 1000,
    lens: str = "coverage",
    label_top: int = LABEL_TOP,
) -> bytes:
    """A static PNG of the site map, rendered offline with matplotlib (Agg): circles with
    area ∝ individuals coloured by ``lens``, over the loaded boundaries (if any), the
    largest sites labelled, a legend, and a source line. The meeting deck reuses it."""
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    filters = filters or Filters()
    as_of = as_of or ds.latest_date()
    allpts, engine = site_points(ds, filters, as_of=as_of)
    points = allpts.dropna(subset=["latitude", "longitude"]).reset_index(drop=True)
    hexes, legend = lens_colours(points, lens, engine)
    dpi = 100
    fig = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi)
    ax = fig.add_axes((0.05, 0.13, 0.66, 0.79))
    lon, lat = points["longitude"].astype(float), points["latitude"].astype(float)
    if len(points):
        pad_x = max((lon.max() - lon.min()) * 0.08, 0.05)
        pad_y = max((lat.max() - lat.min()) * 0.08, 0.05)
        x0, x1, y0, y1 = lon.min() - pad_x, lon.max() + pad_x, lat.min() - pad_y, lat.max() + pad_y
    else:
        x0, y0, x1, y1 = 38.7, 29.0, 48.9, 37.4
    # widen the shorter side so the map fills its box (x scaled by cos(latitude))
    k = math.cos(math.radians((y0 + y1) / 2))
    box = (0.66 * width_px) / (0.79 * height_px)
    w, h = (x1 - x0) * k, (y1 - y0)
    if w / h < box:
        extra = (h * box / k - (x1 - x0)) / 2
        x0, x1 = x0 - extra, x1 + extra
    else:
        extra = (w / box - h) / 2
        y0, y1 = y0 - extra, y1 + extra
    for level, lw in (("adm2", 0.4), ("adm1", 1.0)):
        gdf = (ds.boundaries or {}).get(level)
        if gdf is not None and len(gdf):
            from dsdash.spatial import normalise_areas
            areas = normalise_areas(gdf).cx[x0:x1, y0:y1]
            if len(areas):
                areas.boundary.plot(ax=ax, color="#777777", linewidth=lw, zorder=1)
    ind = points["individuals"].astype("Float64").fillna(0).astype(float)
    # matplotlib's s is an area (points²): proportional to individuals, with a floor.
    smax = 2200.0 * (width_px / 1600) ** 2  # the largest circle keeps its share of the figure
    s = np.maximum(smax * ind / ind.max(), 12.0) if len(ind) and ind.max() > 0 else np.full(len(ind), 12.0)
    order = np.argsort(-s)  # big first, small on top
    ax.scatter(lon.iloc[order], lat.iloc[order], s=s[order], c=list(hexes.iloc[order]), alpha=0.8,
               edgecolors="white", linewidths=0.8, zorder=3)
    top = label_sites(points, view_for(points["longitude"], points["latitude"], int(0.66 * width_px),
                                       int(0.79 * height_px)), label_top) if len(points) else points
    for _, r in top.iterrows():
        ax.annotate(str(r["site_name"]), (float(r["longitude"]), float(r["latitude"])), xytext=(6, 6),
                    textcoords="offset points", fontsize=9, zorder=4,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7})
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1 / k)
    ax.tick_params(labelsize=8)
    total = ind.sum()
    fig.suptitle(f"Sites: {len(points):,} · {total:,.0f} individuals · {filters.describe()}", fontsize=14,
                 x=0.03, ha="left")
    handles = [Line2D([], [], marker="o", linestyle="", markersize=10, markerfacecolor=it.colour,
                      markeredgecolor="white", label=it.label) for it in legend.items]
    sizes = _nice_values(float(ind.max()) if len(ind) else 0)
    handles += [Line2D([], [], marker="o", linestyle="", color="#888888", alpha=0.6,
                       markersize=math.sqrt(max(smax * v / ind.max(), 12.0)), label=f"{v:,} individuals")
                for v in sizes]
    lax = fig.add_axes((0.73, 0.13, 0.26, 0.79))
    lax.axis("off")
    lax.legend(handles=handles, loc="upper left", fontsize=9,
               title=_wrap(legend.title + "; circle area = individuals", 40),
               title_fontsize=9, frameon=False, labelspacing=1.4)
    fig.text(0.03, 0.015, _wrap(map_caption(points, as_of), int(190 * width_px / 1600)), fontsize=8,
             va="bottom")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def _wrap(text: str, width: int) -> str:
    import textwrap
    return "\n".join(textwrap.wrap(text, width))

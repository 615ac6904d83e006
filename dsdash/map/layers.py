"""The site map as a pydeck Deck: its layers, map styles, initial view and labels.

Each site of :func:`dsdash.map.points.site_points` that has coordinates is a circle sized
by its individuals and coloured by a lens (:func:`dsdash.map.points.lens_colours`).
Caveats, said on screen too: circle *areas* are proportional to individuals
(radius ∝ √individuals, in screen pixels so the map reads the same at every zoom; the
smallest circles are held at a minimum radius so they stay visible); sites without
coordinates are not drawn (they are counted in ``SiteMap.notes``).

Rules kept here: every layer has a stable ``id``; the tooltip is a text template
(``{"text": ...}``, never HTML) whose only field is a per-object ``tip`` string; each layer
receives only the fields its accessors and the tooltip use, so the deck JSON stays small.
The plain map style draws no basemap at all (it works offline); the Carto styles need
internet.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field

import pandas as pd
import pydeck as pdk

from dsdash.i18n import N_, _, local_digits, ngettext
from dsdash.dataset import Dataset
from dsdash.filters import Filters
from dsdash.map.legend import Legend, LegendItem, count_class, count_edges, count_labels, nice_values
from dsdash.map.points import fmt_int, lens_colours, map_caption, site_points, site_tip
from dsdash.provenance import short_source
from dsdash.schema import COLOURS
from dsdash.catchments import catchment_outlines
from dsdash.spatial import BOUNDARY_ATTRIBUTION, boundaries_for, boundaries_origin, individuals_per_area, normalise_areas

# --------------------------------------------------------------------------- constants
#: Stable layer ids (Streamlit keys selections by layer id).
LAYER_SITES = "sites"
LAYER_LABELS = "site-labels"
LAYER_HEXAGONS = "sites-hexagons"
LAYER_GRID = "sites-grid"
LAYER_GOVERNORATES = "governorates"  # outlines, always drawn (bundled COD-AB unless the user loaded one)
LAYER_DISTRICTS = "districts"
LAYER_BOUNDARIES = LAYER_GOVERNORATES
LAYER_CATCHMENTS = "catchments"  # the chosen areas: ABC/JCF catchments (districts dissolved), districts, governorates
LAYER_HIGHLIGHT = "site-highlight"  # a ring around the site chosen by name
LAYER_CHOROPLETH = "choropleth"
LAYER_MOVEMENTS = "movements"

AGGREGATIONS = {
    "auto": N_("Automatic (hexagons above {n:,} sites)"),
    "points": N_("Every site as a circle"),
    "hexagon": N_("Hexagons (individuals per area)"),
    "grid": N_("Grid cells (individuals per area)"),
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
    "plain": MapStyle(N_("Plain background (works offline)"), None, None, False),
    "light": MapStyle(N_("Carto light basemap (needs internet)"), "carto", "light", True),
    "road": MapStyle(N_("Carto roads basemap (needs internet)"), "carto", "road", True),
    "dark": MapStyle(N_("Carto dark basemap (needs internet)"), "carto", "dark", True),
}
DEFAULT_MAP_STYLE = "plain"

MAX_RADIUS_PX = 28.0  # the largest site's radius on screen
MIN_RADIUS_PX = 3.0  # smallest circles are held here so they stay visible
LABEL_TOP = 8  # label the largest sites
COORD_DECIMALS = 5  # ~1 m: enough for a map, keeps the JSON small

PLAIN_STYLE_NOTE = N_("Plain background: no basemap tiles are drawn (none are available offline); "
                    "sites, labels and the governorate and district outlines are drawn on their own.")
ONLINE_STYLE_NOTE = N_("The {label} needs internet access: where tiles cannot load (offline, or behind a "
                     "firewall) the background stays blank and sites, labels and outlines still draw.")


def area_name(pcode: object, english: object) -> object:
    """A boundary polygon's name in the reader's language (COD-AB's Arabic name by p-code in
    Arabic, falling back to the layer's English name); in English the layer's name as it is."""
    from dsdash.i18n import current
    from dsdash.schema import GOVERNORATES, district_name, governorate_name

    if current() == "en" or not isinstance(pcode, str):
        return english
    return governorate_name(pcode) if pcode in GOVERNORATES else district_name(pcode, english)


def boundary_credit() -> str:
    """:data:`dsdash.spatial.BOUNDARY_ATTRIBUTION` in the reader's language."""
    from dsdash.spatial import BUNDLED_TOLERANCE_DEG

    return _("Boundaries: OCHA COD-AB Iraq (Central Statistical Organization, 3 June 2019), CC BY-IGO; "
             "simplified to {deg}° (about 50 m)").format(deg=f"{BUNDLED_TOLERANCE_DEG:g}")


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
    aggregated: bool = False
    attribution: str = ""  # where the outlines come from (bundled COD-AB: OCHA, CC BY-IGO)
    view: dict = field(default_factory=dict)  # the initial view (latitude, longitude, zoom)


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


#: The map is fitted for this many pixels: all sites show on a 400-px phone (a 368-px canvas) as on a desktop.
FIT_WIDTH_PX = 420


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
    return {"latitude": round(float(lat_c), 5), "longitude": round(float(lon0 + lon1) / 2, 5),
            "zoom": round(max(3.0, min(zoom, 14.0)), 2)}


def size_legend(max_individuals: float | None, scale: float) -> Legend:
    items = [LegendItem(_("{n} individuals").format(n=fmt_int(v)), "#888888", "size", round(radius_px(v, scale), 1))
             for v in nice_values(max_individuals or 0)]
    return Legend(_("Circle area = individuals"), items,
                  _("radius ∝ √individuals; circles never smaller than {n} px").format(n=f"{MIN_RADIUS_PX:g}"))


# --------------------------------------------------------------------------- layers
def _round(x: float, n: int = COORD_DECIMALS) -> float:
    return round(float(x), n)


def sites_layer_data(points: pd.DataFrame, colours: pd.Series, scale: float) -> list[dict]:
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
            "tip": site_tip(row),
        })
    return out


def boundaries_geojson(gdf, *, simplify_deg: float = 0.01, values: pd.DataFrame | None = None,
                       bbox: tuple[float, float, float, float] | None = None) -> dict:
    """A small FeatureCollection of boundary outlines: properties tip (and the choropleth's
    fill ``f`` when ``values`` (pcode, individuals, sites) is given). Only polygons that
    touch ``bbox`` (min_lon, min_lat, max_lon, max_lat) are sent; geometries are simplified
    (~1 km) and rounded to 3 decimals: outlines for a map, not for analysis."""
    areas = normalise_areas(gdf)
    if bbox is not None:
        areas = areas.cx[bbox[0]:bbox[2], bbox[1]:bbox[3]]
    geoms = areas.geometry.simplify(simplify_deg, preserve_topology=True)
    vals = values.set_index("pcode") if values is not None else None
    vmax = float(vals["individuals"].max()) if vals is not None and len(vals) and vals["individuals"].max() > 0 else 0
    feats = []
    for (_i, row), geom in zip(areas.iterrows(), geoms):
        shown = area_name(row["pcode"], row["name"])
        props = {"tip": str(shown) if row["name"] == row["pcode"] else f"{shown} ({row['pcode']})"}
        if vals is not None:
            ind = int(vals["individuals"].get(row["pcode"], 0)) if row["pcode"] in vals.index else 0
            n = int(vals["sites"].get(row["pcode"], 0)) if row["pcode"] in vals.index else 0
            props["tip"] += "\n" + _("{n} individuals in {sites} sites (sites located in this polygon)").format(
                n=fmt_int(ind), sites=fmt_int(n))
            cls = count_class(ind, count_edges(vmax, len(_RAMP) - 1))  # the legend's classes, none overlapping
            props["f"] = hex_to_rgb(_RAMP[cls], 150) if cls else [0, 0, 0, 0]
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
    items = []  # whole counts in classes that do not overlap: "1–3,000", "3,001–6,000" … (dsdash.map.legend)
    for label, col in zip(count_labels(count_edges(vmax, len(_RAMP) - 1)), _RAMP[1:]):
        if label is not None:
            items.append(LegendItem(local_digits(label), col))  # the title says what is counted: labels fit
    return Legend(_("Individuals per area (sites located in each polygon)"), items,
                  _("areas without sites are not shaded"))


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
    for _row, r in mv.iterrows():  # not "_": the function translates with _()
        period = ""
        if pd.notna(r["period_start"]) or pd.notna(r["period_end"]):
            a = f"{pd.Timestamp(r['period_start']):%b %Y}" if pd.notna(r["period_start"]) else "?"
            b = f"{pd.Timestamp(r['period_end']):%b %Y}" if pd.notna(r["period_end"]) else "?"
            period = f"\n{a} – {b}"
        data.append({
            "s": [_round(r["origin_longitude"]), _round(r["origin_latitude"])],
            "t": [_round(r["destination_longitude"]), _round(r["destination_latitude"])],
            "w": width(r["households"]),
            "tip": f"{r['origin_name']} → {r['destination_name']}\n{fmt_int(r['households'])} households moved"
                   f"{period}\nSource: {short_source(str(r['source']))}",
        })
    layer = pdk.Layer("ArcLayer", id=LAYER_MOVEMENTS, data=data, get_source_position="s",
                      get_target_position="t", get_width="w", width_units="'pixels'",
                      get_source_color=hex_to_rgb(COLOURS["idp"], 200),
                      get_target_color=hex_to_rgb(COLOURS["returnee"], 200), pickable=True)
    items = [LegendItem(_("{n} households").format(n=fmt_int(v)), COLOURS["idp"], "width", width(v))
             for v in nice_values(hh_max)]
    return layer, Legend(_("Movements (arc width = households; blue end = origin, green = destination)"), items)


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
    catchments: tuple[str, ...] | list[str] = (),
    highlight: str | None = None,
) -> SiteMap:
    """The site map of the (filtered) active data.

    Args:
        lens: "coverage", "site_type" or "population_group" (see :data:`dsdash.map.points.LENSES`).
        map_style: a key of :data:`MAP_STYLES`; "plain" (default) draws no basemap.
        labels: label the ``label_top`` largest sites (by individuals).
        aggregation: "auto", "points", "hexagon" or "grid" (:data:`AGGREGATIONS`).
        boundary_level: "adm1", "adm2" or "catchment" (ABC areas): the level ``choropleth`` shades.
        choropleth: fill the boundary polygons by individuals of the sites inside them.
        movements: draw the movements table's arcs when it has coordinates.
        catchments: ABC/JCF catchments to outline (their districts dissolved); the view fits them too,
            and the governorates and districts chosen in ``filters`` alike.
        highlight: a site_id to ring and zoom to (a site chosen by name).
    """
    if map_style not in MAP_STYLES:
        raise ValueError(f"unknown map style {map_style!r}; choose one of {', '.join(MAP_STYLES)}")
    if aggregation not in AGGREGATIONS:
        raise ValueError(f"unknown aggregation {aggregation!r}; choose one of {', '.join(AGGREGATIONS)}")
    filters = filters or Filters()
    as_of = as_of or ds.latest_date()
    allpts = site_points(ds, filters, as_of=as_of)
    located = allpts["latitude"].notna() & allpts["longitude"].notna()
    # largest first, so small circles are drawn on top of large ones and stay clickable
    points = allpts[located].sort_values("individuals", ascending=False, na_position="first", kind="stable")
    points = points.reset_index(drop=True)
    notes = []
    if (~located).any():
        notes.append(_("{n} of {total} sites have no coordinates and are not drawn.").format(
            n=fmt_int(int((~located).sum())), total=fmt_int(len(allpts))))
    hexes, colour_legend = lens_colours(points, lens)
    ind_max = points["individuals"].max() if points["individuals"].notna().any() else None
    scale = radius_scale(ind_max)
    aggregated = aggregation in ("hexagon", "grid") or (aggregation == "auto" and len(points) > AUTO_AGGREGATE_ABOVE)
    legends: list[Legend] = []
    layers: list[pdk.Layer] = []

    bounds = boundaries_for(ds)
    origin = boundaries_origin(ds)
    level = boundary_level if boundary_level in bounds else None
    outlines = None
    if catchments and "adm2" in bounds:
        outlines = catchment_outlines(normalise_areas(bounds["adm2"]), list(catchments))
        outlines = outlines.assign(tip=[_("{catchment}: {n} district(s)").format(catchment=c, n=n)
                                        for c, n in zip(outlines["catchment"], outlines["districts"])])
    chosen = []  # the governorates and districts chosen under Filters: outlined too, the view fits them
    for lv, codes in (("adm1", filters.admin1), ("adm2", filters.admin2)):
        if codes and lv in bounds:
            a = normalise_areas(bounds[lv])
            a = a[a["pcode"].isin(list(codes))]
            chosen.append(a.assign(tip=[f"{area_name(c, n)} ({c})" for n, c in zip(a["name"], a["pcode"])])[
                ["tip", "geometry"]])
    if chosen:
        parts = ([outlines[["tip", "geometry"]]] if outlines is not None else []) + chosen
        outlines = pd.concat(parts, ignore_index=True).set_geometry("geometry")
    fit_lon = [float(x) for x in points["longitude"]]
    fit_lat = [float(x) for x in points["latitude"]]
    if outlines is not None and len(outlines):
        x0, y0, x1, y1 = outlines.total_bounds
        fit_lon += [x0, x1]
        fit_lat += [y0, y1]
    view = view_for(pd.Series(fit_lon, dtype=float), pd.Series(fit_lat, dtype=float), width_px=FIT_WIDTH_PX)
    bbox = None
    if fit_lon:
        bbox = (min(fit_lon) - 0.5, min(fit_lat) - 0.5, max(fit_lon) + 0.5, max(fit_lat) + 0.5)
    # about one screen pixel at the initial view: finer detail would not show
    tol = max(0.005, (bbox[2] - bbox[0]) / 450) if bbox else 0.01
    for lv, lid, colour, width in (("adm2", LAYER_DISTRICTS, [150, 150, 150, 170], 1),
                                   ("adm1", LAYER_GOVERNORATES, [70, 70, 70, 220], 2)):
        if lv not in bounds:
            continue
        values = None
        if choropleth and lv == level:
            values = individuals_per_area(points, bounds[lv])
            legends.append(choropleth_legend(values))
        gj = boundaries_geojson(bounds[lv], values=values, bbox=bbox, simplify_deg=tol)
        filled = values is not None
        layers.append(pdk.Layer(
            "GeoJsonLayer", id=LAYER_CHOROPLETH if filled else lid, data=gj, stroked=True, filled=filled,
            get_fill_color="properties.f", get_line_color=colour, line_width_min_pixels=width,
            pickable=filled))
    if choropleth and boundary_level == "catchment" and "adm2" in bounds:
        shapes = catchment_outlines(normalise_areas(bounds["adm2"]), None)
        shapes = shapes[shapes["kind"] == "abc"].rename(columns={"catchment": "pcode"})
        shapes = shapes.assign(name=shapes["pcode"], admin1_code="")[["pcode", "name", "admin1_code", "geometry"]]
        values = individuals_per_area(points, shapes)
        legends.append(choropleth_legend(values))
        layers.append(pdk.Layer(
            "GeoJsonLayer", id=LAYER_CHOROPLETH, data=boundaries_geojson(shapes, values=values, bbox=bbox,
                                                                         simplify_deg=tol),
            stroked=True, filled=True, get_fill_color="properties.f", get_line_color=[25, 118, 210, 230],
            line_width_min_pixels=2, pickable=True))
    if outlines is not None and len(outlines):
        feats = []
        for row in outlines.itertuples(index=False):
            geom = row.geometry.simplify(tol, preserve_topology=True)
            feats.append({"type": "Feature",
                          "properties": {"tip": row.tip},
                          "geometry": json.loads(json.dumps(geom.__geo_interface__, default=float),
                                                 parse_float=lambda s: round(float(s), 3))})
        layers.append(pdk.Layer(
            "GeoJsonLayer", id=LAYER_CATCHMENTS, data={"type": "FeatureCollection", "features": feats},
            stroked=True, filled=True, get_fill_color=[25, 118, 210, 25], get_line_color=[25, 118, 210, 230],
            line_width_min_pixels=3, pickable=False))
    kinds = sorted(set(origin.values()))
    credit = boundary_credit()
    attribution = (credit + "." if kinds == ["bundled"] else
                   _("Boundaries: the COD-AB file you loaded.") if kinds == ["loaded"] else
                   _("Boundaries: the COD-AB file you loaded and, for the other level, {credit}.").format(credit=credit))

    if aggregated and aggregation != "grid":  # hexagons made here, each naming its sites (dsdash.map.hexbins)
        from dsdash.map.hexbins import SITE_RADIUS_M, SITES_FROM_ZOOM, hex_bins

        bins = hex_bins(points)
        edges = count_edges(float(bins["individuals"].max()) if len(bins) else 0.0, len(_RAMP) - 1)
        layers.append(pdk.Layer(
            "PolygonLayer", id=LAYER_HEXAGONS,
            data=[{"poly": p, "tip": t, "f": hex_to_rgb(_RAMP[max(count_class(v, edges), 1)], 130)}
                  for p, t, v in zip(bins["poly"], bins["tip"], bins["individuals"])],
            get_polygon="poly", get_fill_color="f", get_line_color=[90, 40, 10, 200], line_width_min_pixels=1,
            stroked=True, filled=True, pickable=True, auto_highlight=True,
            highlight_color=[255, 255, 255, 70]))  # see-through when hovered, so the sites show zoomed in
        site_data = sites_layer_data(points, hexes, scale) if len(points) <= AUTO_AGGREGATE_ABOVE else []
        for d in site_data:
            d["r"] = SITE_RADIUS_M
        if site_data:  # many sites: the hexagons name them; filter to an area to draw and click them
            layers.append(pdk.Layer(  # in metres: under a pixel at national scale, clickable from about zoom 9
                "ScatterplotLayer", id=LAYER_SITES, data=site_data, get_position="[x, y]", get_radius="r",
                get_fill_color="c", radius_units="'meters'", radius_min_pixels=0, radius_max_pixels=30, stroked=True,
                get_line_color=[255, 255, 255], line_width_min_pixels=0, pickable=True, auto_highlight=True))
        items = [LegendItem(local_digits(lab), col) for lab, col in zip(count_labels(edges), _RAMP[1:])
                 if lab is not None]
        legends.append(Legend(_("Individuals per hexagon (35 km)"), items,
                              _("hover for the sites; zoom in to click")))
        legends.append(colour_legend)
    elif aggregated:
        agg_type, agg_id = ("GridLayer", LAYER_GRID) if aggregation == "grid" else ("HexagonLayer", LAYER_HEXAGONS)
        data = [{"p": [_round(lo, 3), _round(la, 3)], "w": 0 if pd.isna(i) else int(i)}
                for lo, la, i in zip(points["longitude"], points["latitude"], points["individuals"])]
        size_kw = {"cell_size": 10000} if agg_type == "GridLayer" else {"radius": 10000}
        layers.append(pdk.Layer(
            agg_type, id=agg_id, data=data, get_position="p", get_color_weight="w", get_elevation_weight="w",
            color_aggregation="'SUM'", elevation_aggregation="'SUM'", extruded=False, opacity=0.8,
            color_range=[hex_to_rgb(c) for c in _RAMP[1:]] + [hex_to_rgb("#4a1486")], pickable=False,
            **size_kw))
        legends.append(Legend(_("Individuals per 10 km cell (aggregated)"), [
            LegendItem(_("fewer individuals"), _RAMP[1]), LegendItem(_("more individuals"), "#4a1486")],
            _("Choose 'Every site as a circle' (and filter to an area) to see and click single sites.")))
    else:
        layers.append(pdk.Layer(
            "ScatterplotLayer", id=LAYER_SITES, data=sites_layer_data(points, hexes, scale),
            get_position="[x, y]", get_radius="r", get_fill_color="c", radius_units="'pixels'",
            stroked=True, get_line_color=[255, 255, 255], line_width_min_pixels=1,
            pickable=True, auto_highlight=True))
        legends.append(colour_legend)
        legends.append(size_legend(ind_max, scale))
        if labels and label_top > 0 and len(points):
            top = deck_labels(points, view, scale, label_top)
            lab = [{"p": [_round(lo, 4), _round(la, 4)], "t": str(n), "o": [0, -round(radius_px(i, scale) + 9)]}
                   for lo, la, n, i in zip(top["longitude"], top["latitude"], top["site_name"], top["individuals"])]
            layers.append(pdk.Layer(
                "TextLayer", id=LAYER_LABELS, data=lab, get_position="p", get_text="t", get_pixel_offset="o",
                get_size=12, get_color=[30, 30, 30], character_set="'auto'", outline_width=2,
                font_family="'Helvetica, Arial, sans-serif'", font_weight=600,
                outline_color=[255, 255, 255], font_settings={"sdf": True}, pickable=False))

    hit = points[points["site_id"] == highlight] if highlight else points.iloc[0:0]
    if len(hit):
        r = hit.iloc[0]
        layers.append(pdk.Layer(
            "ScatterplotLayer", id=LAYER_HIGHLIGHT,
            data=[{"x": _round(r["longitude"]), "y": _round(r["latitude"]),
                   "r": round(radius_px(r["individuals"], scale) + 8, 1), "tip": site_tip(r.to_dict())}],
            get_position="[x, y]", get_radius="r", radius_units="'pixels'", stroked=True, filled=False,
            get_line_color=[229, 57, 53, 255], line_width_min_pixels=3, pickable=False))
        view = {"latitude": _round(r["latitude"]), "longitude": _round(r["longitude"]), "zoom": 10.0}

    if movements:
        arc, arc_legend = movements_layer(ds)
        if arc is not None:
            layers.append(arc)
            legends.append(arc_legend)

    style = MAP_STYLES[map_style]
    kw = {"map_provider": style.provider, "map_style": style.style} if style.online else {"map_provider": None}
    deck = pdk.Deck(layers=layers, initial_view_state=pdk.ViewState(**view), tooltip={"text": "{tip}"}, **kw)
    style_note = (_(ONLINE_STYLE_NOTE).format(label=_(style.label).split(" (")[0]) if style.online
                  else _(PLAIN_STYLE_NOTE))
    return SiteMap(deck=deck, points=points, legends=legends, style_note=style_note,
                   caption=map_caption(points, as_of), notes=notes, lens=lens, aggregated=aggregated,
                   attribution=attribution, view=view)


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


#: Label text size on the deck (px) and the width of one character, roughly (12 px, semi-bold).
LABEL_PX = 12
CHAR_PX = 7.0


def _pixel(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    world = 512 * 2 ** zoom
    return ((lon + 180) / 360 * world,
            (1 - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / math.pi) / 2 * world)


def label_box(lon: float, lat: float, name: str, radius: float, zoom: float) -> tuple[float, float, float, float]:
    """The screen box (x0, y0, x1, y1, in world pixels at ``zoom``) of a site's deck label: its
    name centred above its circle (the TextLayer's pixel offset), with a 2-px margin."""
    x, y = _pixel(lon, lat, zoom)
    w = CHAR_PX * len(name) + 4
    cy = y - radius - 9
    return (x - w / 2, cy - LABEL_PX / 2 - 2, x + w / 2, cy + LABEL_PX / 2 + 2)


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def deck_labels(points: pd.DataFrame, view: dict, scale: float, n: int = LABEL_TOP) -> pd.DataFrame:
    """The sites the deck labels: the largest first, each only where its label box overlaps
    no label already placed (so labels never overlap each other at the initial view) and at
    most two other sites' circles (a label over a dense cluster would hide it). At most ``n``."""
    zoom = view["zoom"]
    cand = points[points["individuals"].notna()].sort_values("individuals", ascending=False, kind="stable")
    circles = []
    for lon, lat, ind in zip(points["longitude"].astype(float), points["latitude"].astype(float),
                             points["individuals"]):
        x, y = _pixel(lon, lat, zoom)
        r = radius_px(ind, scale)
        circles.append((x - r, y - r, x + r, y + r))
    chosen, boxes = [], []
    for idx, lon, lat, name, ind in zip(cand.index, cand["longitude"].astype(float), cand["latitude"].astype(float),
                                        cand["site_name"], cand["individuals"]):
        box = label_box(lon, lat, str(name), radius_px(ind, scale), zoom)
        own = points.index.get_loc(idx)
        hidden = sum(_overlap(box, c) for i, c in enumerate(circles) if i != own)
        if any(_overlap(box, b) for b in boxes) or hidden > 2:  # over a dense cluster: left out
            continue
        chosen.append(idx)
        boxes.append(box)
        if len(chosen) >= n:
            break
    return points.loc[chosen]


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

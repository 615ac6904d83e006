"""A choropleth of areas (districts or catchments) for the "who does what where" page.

Areas are the bundled COD-AB districts (or the user's own file: :func:`dsdash.spatial.boundaries_for`)
and, for catchments, their districts dissolved (:func:`dsdash.catchments.catchment_outlines`).
Only areas with a value are filled; the governorate outlines are drawn under them. The tooltip
is text only. Colours: five classes of equal width from 0 to the largest value.
"""

from __future__ import annotations

import json

import pandas as pd
import pydeck as pdk

from dsdash.catchments import catchment_outlines
from dsdash.i18n import _, local_digits
from dsdash.map.layers import _RAMP, LAYER_GOVERNORATES, area_name, boundaries_geojson, boundary_credit, hex_to_rgb, view_for
from dsdash.map.legend import Legend, LegendItem, count_class, count_edges, count_labels
from dsdash.spatial import BOUNDARY_ATTRIBUTION, boundaries_for, normalise_areas

LAYER_AREAS = "areas"


def area_choropleth(ds, values: pd.DataFrame, *, level: str, measure_label: str, kind: str = "abc"):
    """(pydeck Deck, Legend, attribution) for ``values`` (code, name, value) per district p-code
    (``level`` "admin2") or catchment name (``level`` "catchment")."""
    bounds = boundaries_for(ds)
    if level == "catchment":
        shapes = catchment_outlines(normalise_areas(bounds["adm2"]), list(values["code"]))
        shapes = shapes.rename(columns={"catchment": "code"})
    else:
        shapes = normalise_areas(bounds["adm2"] if level == "admin2" else bounds["adm1"]).rename(
            columns={"pcode": "code"})
        shapes = shapes[shapes["code"].isin(set(values["code"]))]
    vals = values.set_index("code")
    vmax = float(values["value"].max()) if len(values) else 0.0
    edges = count_edges(vmax, len(_RAMP) - 1)  # whole counts, classes that do not overlap (dsdash.map.legend)
    feats = []
    for row in shapes.itertuples(index=False):
        v = float(vals["value"].get(row.code, 0) or 0)
        name = area_name(row.code, vals["name"].get(row.code, row.code))
        geom = row.geometry.simplify(0.005, preserve_topology=True)
        feats.append({"type": "Feature",
                      "properties": {"tip": f"{name}\n{measure_label}: {local_digits(f'{v:,.0f}')}",
                                     "f": hex_to_rgb(_RAMP[count_class(v, edges)], 190)},
                      "geometry": json.loads(json.dumps(geom.__geo_interface__, default=float),
                                             parse_float=lambda s: round(float(s), 3))})
    layers = []
    if len(shapes):
        x0, y0, x1, y1 = shapes.total_bounds
        view = view_for(pd.Series([x0, x1]), pd.Series([y0, y1]), width_px=360, height_px=420)
        bbox = (x0 - 1, y0 - 1, x1 + 1, y1 + 1)
    else:
        view, bbox = view_for(pd.Series([], dtype=float), pd.Series([], dtype=float)), None
    if "adm1" in bounds:
        layers.append(pdk.Layer("GeoJsonLayer", id=LAYER_GOVERNORATES,
                                data=boundaries_geojson(bounds["adm1"], bbox=bbox, simplify_deg=0.01),
                                stroked=True, filled=False, get_line_color=[70, 70, 70, 200],
                                line_width_min_pixels=1))
    layers.append(pdk.Layer("GeoJsonLayer", id=LAYER_AREAS, data={"type": "FeatureCollection", "features": feats},
                            stroked=True, filled=True, get_fill_color="properties.f",
                            get_line_color=[40, 40, 40, 230], line_width_min_pixels=1, pickable=True))
    deck = pdk.Deck(layers=layers, initial_view_state=pdk.ViewState(**view), tooltip={"text": "{tip}"},
                    map_provider=None)
    items = [LegendItem(local_digits("0"), _RAMP[0])]
    for label, col in zip(count_labels(edges), _RAMP[1:]):
        if label is not None:
            items.append(LegendItem(local_digits(label), col))
    legend = Legend(measure_label, items, _("areas without sites in the view are not drawn"))
    return deck, legend, boundary_credit() + "."

"""The site map's deck: layer ids, radii, fields sent, styles, selection, aggregates, boundaries."""

from __future__ import annotations

import json
import math
import re

import pandas as pd
import pytest

from dsdash.map import layers
from dsdash.map.layers import (
    LAYER_BOUNDARIES, LAYER_CATCHMENTS, LAYER_CHOROPLETH, LAYER_DISTRICTS, LAYER_GOVERNORATES, LAYER_GRID,
    LAYER_HEXAGONS, LAYER_HIGHLIGHT, LAYER_LABELS, LAYER_MOVEMENTS, LAYER_SITES, build_site_map, radius_px, radius_scale, selected_site_id,
)
from tests.support.map_helpers import MOVES, layer, spec, with_boundaries

ALL_IDS = {LAYER_SITES, LAYER_LABELS, LAYER_HEXAGONS, LAYER_GRID, LAYER_DISTRICTS, LAYER_GOVERNORATES,
           LAYER_CHOROPLETH, LAYER_MOVEMENTS, LAYER_CATCHMENTS, LAYER_HIGHLIGHT}
OUTLINES = [LAYER_DISTRICTS, LAYER_GOVERNORATES]  # always drawn: bundled COD-AB unless a file is loaded


def test_seed_map_has_28_sites_with_stable_layer_ids(ds):
    m = build_site_map(ds)
    d = spec(m)
    assert [lay["id"] for lay in d["layers"]] == [*OUTLINES, LAYER_SITES, LAYER_LABELS]
    assert len(layer(d, LAYER_SITES)["data"]) == 28 == len(m.points)
    assert int(m.points["individuals"].sum()) == 18882 and int(m.points["households"].sum()) == 3147
    assert "28 sites drawn" in m.caption and "18,882 individuals" in m.caption and "households × 6" in m.caption
    # the same call gives the same ids (Streamlit keys selections by layer id)
    assert [lay["id"] for lay in spec(build_site_map(ds))["layers"]] == [*OUTLINES, LAYER_SITES, LAYER_LABELS]


def test_every_layer_has_a_known_id_in_every_configuration(ds, boundaries_dir):
    d = with_boundaries(ds, boundaries_dir).with_tables(movements=MOVES)
    for kw in ({}, {"aggregation": "hexagon"}, {"aggregation": "grid"}, {"boundary_level": "adm1"},
               {"boundary_level": "adm2", "choropleth": True}, {"catchments": ["East Anbar"], "highlight": "ANB-01"}):
        ids = [lay["id"] for lay in spec(build_site_map(d, **kw))["layers"]]
        assert ids and set(ids) <= ALL_IDS and len(ids) == len(set(ids)), (kw, ids)


def test_radius_is_area_true():
    s = radius_scale(3300)
    assert radius_px(3300, s) == pytest.approx(layers.MAX_RADIUS_PX)
    for n in (50, 400, 1590):
        assert radius_px(2 * n, s) ** 2 == pytest.approx(2 * radius_px(n, s) ** 2)  # double people, double area
    assert radius_px(1, s) == layers.MIN_RADIUS_PX and radius_px(None, s) == layers.MIN_RADIUS_PX


def test_deck_radii_follow_individuals(ds):
    m = build_site_map(ds)
    data = {r["site_id"]: r["r"] for r in layer(spec(m), LAYER_SITES)["data"]}
    # Kilo 7 (3,300) and Habbaniyah (1,590): area ratio = people ratio (radii rounded to 0.1 px)
    assert (data["ANB-26"] / data["ANB-25"]) ** 2 == pytest.approx(3300 / 1590, rel=0.02)
    legend = next(lg for lg in m.legends if lg.title.startswith("Circle area"))
    assert [it.label for it in legend.items] == ["500 individuals", "1,000 individuals", "2,000 individuals"]
    assert legend.items[2].size ** 2 == pytest.approx(2 * legend.items[1].size ** 2, rel=0.02)


def _accessor_fields(lay: dict) -> set[str]:
    fields = set()
    for k, v in lay.items():
        if k != "data" and isinstance(v, str) and v.startswith("@@="):
            fields |= set(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", v[3:]))
    return fields


def test_layers_send_only_the_fields_they_use(ds):
    d = spec(build_site_map(ds.with_tables(movements=MOVES)))
    for lay in d["layers"]:
        if isinstance(lay["data"], dict):  # outlines: a GeoJSON FeatureCollection
            continue
        used = _accessor_fields(lay) | ({"tip"} if lay.get("pickable") else set())
        if lay["id"] == LAYER_SITES:
            used |= {"site_id"}  # the selection → site link
        keys = set().union(*(set(r) for r in lay["data"]))
        assert keys <= used, (lay["id"], keys - used)
    sites = layer(d, LAYER_SITES)
    assert set(sites["data"][0]) == {"site_id", "x", "y", "r", "c", "tip"}


def test_plain_style_has_no_basemap_and_carto_is_online_only(ds):
    plain = build_site_map(ds)
    j = plain.deck.to_json()
    # pydeck's sentinel makes Streamlit draw no basemap (map_style=None would fetch Carto)
    assert json.loads(j)["mapStyle"] == "__MAP_STYLE__" and "cartocdn" not in j
    assert "no basemap tiles" in plain.style_note
    light = build_site_map(ds, map_style="light")
    assert "cartocdn" in light.deck.to_json() and "needs internet" in light.style_note
    with pytest.raises(ValueError):
        build_site_map(ds, map_style="satellite")


def test_selection_maps_back_to_the_site(ds):
    m = build_site_map(ds)
    data = layer(spec(m), LAYER_SITES)["data"]
    assert [r["site_id"] for r in data] == m.points["site_id"].tolist()
    i = m.points.index[m.points["site_id"] == "ANB-26"][0]
    sel = {"indices": {LAYER_SITES: [int(i)]}, "objects": {LAYER_SITES: [data[i]]}}
    assert selected_site_id(sel) == "ANB-26"
    assert selected_site_id({"indices": {}, "objects": {}}) is None
    assert selected_site_id(None) is None
    assert selected_site_id({"objects": {LAYER_MOVEMENTS: [{"tip": "x"}]}}) is None


def test_movements_draw_arcs_with_a_width_legend(ds):
    d = spec(build_site_map(ds.with_tables(movements=MOVES)))
    arcs = layer(d, LAYER_MOVEMENTS)
    assert [a["w"] for a in arcs["data"]] == [12.0, 3.8]  # 1 + 11 × households / max
    assert "40 households moved" in arcs["data"][0]["tip"]
    assert LAYER_MOVEMENTS not in [lay["id"] for lay in spec(build_site_map(ds))["layers"]]  # seed has none


def test_national_scale_aggregates_and_stays_small(ds):
    import numpy as np

    rng = np.random.default_rng(1)
    n = 4000
    sites = pd.DataFrame({
        "site_id": [f"S{i}" for i in range(n)], "site_name": [f"Location {i}" for i in range(n)],
        "latitude": rng.uniform(30, 37, n), "longitude": rng.uniform(39, 48, n),
        "site_type": "location", "source": "synthetic",
    })
    pop = pd.DataFrame({"site_id": sites["site_id"], "population_group": "idp",
                        "households": pd.array(rng.integers(1, 500, n), dtype="Int64"),
                        "individuals_method": "hh_x6", "reference_date": pd.Timestamp("2024-06-30"),
                        "source": "synthetic"})
    pop["individuals"] = pop["households"] * 6
    big = ds.with_tables(sites=sites.astype({c: "string" for c in ("site_id", "site_name", "site_type", "source")}),
                         population=pop, presence=ds.presence.iloc[0:0], needs=ds.needs.iloc[0:0])
    m = build_site_map(big)
    d = spec(m)
    assert m.aggregated and [lay["id"] for lay in d["layers"]] == [*OUTLINES, LAYER_HEXAGONS]
    hexes = layer(d, LAYER_HEXAGONS)  # binned here (dsdash.map.hexbins): each hexagon names its sites
    assert set(hexes["data"][0]) == {"poly", "tip", "f"} and len(hexes["data"]) < n
    assert sum(int(h["tip"].split(" site(s)")[0]) for h in hexes["data"]) == n  # every site in one hexagon
    assert len(json.dumps(hexes)) / n < 120  # bytes per site
    outlines = sum(len(json.dumps(layer(d, lid))) for lid in OUTLINES)
    assert outlines < 150_000  # the whole country's outlines, simplified to about a pixel
    assert not build_site_map(big, aggregation="points").aggregated


def test_boundaries_and_choropleth_layers(ds, boundaries_dir):
    d = with_boundaries(ds, boundaries_dir)
    outline = layer(spec(build_site_map(d, boundary_level="adm1")), LAYER_GOVERNORATES)
    assert outline["filled"] is False and len(outline["data"]["features"]) >= 5  # Anbar and neighbours
    ch = build_site_map(d, boundary_level="adm2", choropleth=True)
    feats = layer(spec(ch), LAYER_CHOROPLETH)["data"]["features"]
    falluja = next(f for f in feats if "(IQG01Q01)" in f["properties"]["tip"])
    assert "12,294 individuals in 18 sites" in falluja["properties"]["tip"]
    assert any(lg.title.startswith("Individuals per area") for lg in ch.legends)
    ids = [lay.id for lay in build_site_map(d, boundary_level="adm3", choropleth=True).deck.layers]
    assert ids[:3] == [*OUTLINES, LAYER_SITES]  # adm3 not loaded: no shading


def test_bundled_outlines_are_drawn_and_attributed_without_an_upload(ds):
    m = build_site_map(ds)
    d = spec(m)
    tips = {f["properties"]["tip"] for f in layer(d, LAYER_DISTRICTS)["data"]["features"]}
    assert {"Al-Falluja (IQG01Q01)", "Al-Ramadi (IQG01Q03)", "Al-Rutba (IQG01Q04)", "Al-Kaim (IQG01Q02)"} <= tips
    assert "Al-Anbar (IQG01)" in {f["properties"]["tip"] for f in layer(d, LAYER_GOVERNORATES)["data"]["features"]}
    assert "OCHA COD-AB Iraq" in m.attribution and "CC BY-IGO" in m.attribution


def test_catchment_outline_and_view_fit_it(ds):
    m = build_site_map(ds, catchments=["JCF Anbar"])
    feats = layer(spec(m), LAYER_CATCHMENTS)["data"]["features"]
    assert [f["properties"]["tip"] for f in feats] == ["JCF Anbar: 7 district(s)"]
    # the view fits Anbar (39°E to 44.7°E), wider than the sites alone
    assert m.view["zoom"] < build_site_map(ds).view["zoom"]


def test_a_highlighted_site_is_ringed_and_zoomed_to(ds):
    m = build_site_map(ds, highlight="ANB-02")
    ring = layer(spec(m), LAYER_HIGHLIGHT)
    assert ring["filled"] is False and len(ring["data"]) == 1
    assert m.view == {"latitude": 33.038, "longitude": 40.30263, "zoom": 10.0}


def test_view_fits_the_sites(ds):
    v = layers.view_for(ds.sites["longitude"], ds.sites["latitude"])
    assert 42.0 < v["longitude"] < 42.3 and 33.5 < v["latitude"] < 33.8
    # at this zoom the sites' longitude span (3.76°) fits in 900 px of a 512-px world
    assert 512 * 2 ** v["zoom"] * 3.76 / 360 <= 900
    assert layers.view_for(pd.Series([], dtype=float), pd.Series([], dtype=float))["zoom"] == 5.0
    assert math.isfinite(layers.view_for(pd.Series([43.0]), pd.Series([33.0]))["zoom"])


def test_deck_labels_never_overlap_at_the_initial_view(ds):
    import numpy as np

    rng = np.random.default_rng(7)
    n = 300
    crowd = pd.DataFrame({"site_id": [f"S{i}" for i in range(n)],
                          "site_name": [f"A long site name number {i}" for i in range(n)],
                          "longitude": rng.normal(43.3, 0.3, n), "latitude": rng.normal(33.4, 0.2, n),
                          "individuals": rng.integers(10, 3000, n).astype(float)})
    seed = build_site_map(ds).points
    for pts in (seed, crowd):
        scale = radius_scale(pts["individuals"].max())
        view = layers.view_for(pts["longitude"], pts["latitude"], width_px=layers.FIT_WIDTH_PX)
        top = layers.deck_labels(pts, view, scale, 12)
        boxes = [layers.label_box(float(r.longitude), float(r.latitude), r.site_name, radius_px(r.individuals, scale),
                                  view["zoom"]) for r in top.itertuples()]
        assert len(boxes) >= (3 if pts is seed else 1)  # a dense crowd: few labels, none over another
        assert not any(layers._overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    labels = layer(spec(build_site_map(ds)), LAYER_LABELS)["data"]
    assert [lab["t"] for lab in labels][:2] == ["7 Killo-al-mojamaa al-sakany", "Al-shahabi-2"]


def test_shading_by_abc_catchment_adds_up_to_the_sites(ds):
    m = build_site_map(ds, boundary_level="catchment", choropleth=True)
    feats = layer(spec(m), LAYER_CHOROPLETH)["data"]["features"]
    tips = {f["properties"]["tip"].split("\n")[0]: f["properties"]["tip"] for f in feats}
    assert "16,896 individuals in 21 sites" in tips["East Anbar"]
    assert "1,986 individuals in 7 sites" in tips["West Anbar"]  # 16,896 + 1,986 = 18,882: every site


def test_a_chosen_district_is_outlined_and_the_view_fits_it(ds):
    from dsdash.filters import Filters

    m = build_site_map(ds, Filters(admin2=("IQG01Q04",)))
    feats = layer(spec(m), LAYER_CATCHMENTS)["data"]["features"]
    assert [f["properties"]["tip"] for f in feats] == ["Al-Rutba (IQG01Q04)"]
    assert len(m.points) == 6
    # the six Rutba sites lie within 2 km of each other: the view fits the whole district, not just them
    assert m.view["zoom"] < 8 and 39.0 < m.view["longitude"] < 41.5

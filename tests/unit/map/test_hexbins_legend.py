"""The map for people (issue 16): national-scale hexagons that name their sites and give way to the
sites when zoomed in; choropleth legend classes of whole counts that do not overlap.

Hand counts (data/sites.csv, data/population.csv): Al-Falluja 18 sites, 12,294 individuals;
Al-Ramadi 3, 4,602; Al-Rutba 6, 1,944; Al-Kaim 1, 42 (all: 28 sites, 18,882)."""

from __future__ import annotations

import re

from dsdash.map.hexbins import SITE_RADIUS_M, hex_bins
from dsdash.map.layers import LAYER_CHOROPLETH, LAYER_HEXAGONS, LAYER_SITES, build_site_map
from dsdash.map.legend import count_class, count_edges, count_labels
from tests.support.map_helpers import layer, spec


def test_hexagons_hold_every_site_once_and_their_tooltips_name_them(ds):
    m = build_site_map(ds, aggregation="hexagon")
    d = spec(m)
    hexes = layer(d, LAYER_HEXAGONS)["data"]
    counts = [int(re.match(r"(\d+) site\(s\), ([\d,]+) individuals", h["tip"]).group(1)) for h in hexes]
    people = [int(re.match(r"(\d+) site\(s\), ([\d,]+) individuals", h["tip"]).group(2).replace(",", ""))
              for h in hexes]
    assert sum(counts) == 28 and sum(people) == 18882
    bins = hex_bins(m.points)
    assert sorted(sum(bins["site_ids"], [])) == sorted(m.points["site_id"])  # each site in exactly one hexagon
    rutba = bins[bins["site_ids"].map(lambda ids: "ANB-02" in ids)].iloc[0]
    assert {f"ANB-0{i}" for i in range(2, 8)} <= set(rutba["site_ids"])  # the Rutba group lies within 35 km
    assert "Zoom in (about zoom 9) to click a site." in hexes[0]["tip"]
    sites = layer(d, LAYER_SITES)  # the sites take over when zoomed in: metres, no minimum size
    assert len(sites["data"]) == 28 and {s["r"] for s in sites["data"]} == {SITE_RADIUS_M}
    assert sites["radiusUnits"] == "meters" and sites["radiusMinPixels"] == 0 and sites["pickable"]
    legend = next(lg for lg in m.legends if lg.title.startswith("Individuals per hexagon"))
    assert legend.note == "hover for the sites; zoom in to click"
    assert [it.label for it in legend.items] == count_labels(count_edges(max(people), 4))


def test_legend_classes_of_counts_do_not_overlap():
    assert count_labels(count_edges(12, 4)) == ["1–3", "4–6", "7–9", "10–12"]
    assert count_labels(count_edges(6, 4)) == ["1–2", "3", "4–5", "6"]
    for top in range(1, 60):  # every whole count 1..top in exactly one class, in order
        edges = count_edges(top, 4)
        labels = count_labels(edges)
        seen = [count_class(v, edges) for v in range(1, top + 1)]
        assert seen == sorted(seen) and count_class(0, edges) == 0
        for v, k in zip(range(1, top + 1), seen):  # the label of its class holds it, and no other label does
            lo, _sep, hi = labels[k - 1].replace(",", "").partition("–")
            assert int(lo) <= v <= int(hi or lo)


def test_the_district_choropleth_legend_reads_whole_non_overlapping_ranges(ds):
    m = build_site_map(ds, boundary_level="adm2", choropleth=True)
    legend = next(lg for lg in m.legends if lg.title.startswith("Individuals per area"))
    assert [it.label for it in legend.items] == ["1–3,074", "3,075–6,147", "6,148–9,221", "9,222–12,294"]
    feats = {f["properties"]["tip"].split(" (")[0]: f["properties"]["f"]
             for f in layer(spec(m), LAYER_CHOROPLETH)["data"]["features"]}
    colours = [it.colour for it in legend.items]
    from dsdash.map.layers import hex_to_rgb

    assert feats["Al-Falluja"] == hex_to_rgb(colours[3], 150)  # 12,294: the top class
    assert feats["Al-Ramadi"] == hex_to_rgb(colours[1], 150)  # 4,602: 3,075–6,147
    assert feats["Al-Rutba"] == feats["Al-Kaim"] == hex_to_rgb(colours[0], 150)  # 1,944 and 42


def test_the_who_does_what_where_choropleth_classes_partner_counts_without_overlap(ds):
    """Partners per district on 10 Dec 2023 (data/presence.csv, rows active that day): Al-Falluja 10
    (UNHCR, UNICEF, IOM, IRC, NRC governorate-wide; Dary, UIMS, SSORD, MoMD, Directorate of Municipality),
    Al-Ramadi 8 (the five; Dary, Baghdad Women Association, Directorate of Water Resources), Al-Rutba 5,
    Al-Kaim 5."""
    import datetime as dt

    from dsdash.map.areas import area_choropleth
    from dsdash.wwww import area_values, who_does_what_where

    w = who_does_what_where(ds, as_of=dt.date(2023, 12, 10), level="admin2")
    vals = area_values(w, "n_partners")
    assert dict(zip(vals["name"], vals["value"])) == {"Al-Falluja": 10, "Al-Ramadi": 8, "Al-Rutba": 5, "Al-Kaim": 5}
    deck, legend, _credit = area_choropleth(ds, vals, level="admin2", measure_label="Number of partners")
    assert [it.label for it in legend.items] == ["0", "1–3", "4–5", "6–8", "9–10"]
    colours = {it.label: it.colour for it in legend.items}
    from dsdash.map.layers import hex_to_rgb

    feats = {f["properties"]["tip"].split("\n")[0]: f["properties"]["f"]
             for f in next(lay for lay in deck.layers if lay.id == "areas").data["features"]}
    assert feats["Al-Falluja"] == hex_to_rgb(colours["9–10"], 190)
    assert feats["Al-Ramadi"] == hex_to_rgb(colours["6–8"], 190)
    assert feats["Al-Rutba"] == feats["Al-Kaim"] == hex_to_rgb(colours["4–5"], 190)

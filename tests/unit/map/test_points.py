"""The site map's points: population, coverage and needs per site, lenses, tooltips."""

from __future__ import annotations

import pytest

from dsdash.filters import Filters
from dsdash.map.layers import LAYER_SITES, build_site_map, hex_to_rgb
from dsdash.map.points import SITE_TYPE_COLOURS
from dsdash.schema import COLOURS
from tests.support.map_helpers import layer, spec


def test_tooltip_is_text_only_with_provenance(ds):
    m = build_site_map(ds)
    assert m.deck._tooltip == {"text": "{tip}"}
    assert '"html"' not in m.deck.to_json()
    tip = next(r["tip"] for r in layer(spec(m), LAYER_SITES)["data"] if r["site_id"] == "ANB-26")
    lines = tip.split("\n")
    assert lines[0] == "7 Killo-al-mojamaa al-sakany"
    assert "Large informal site · Al-Ramadi, Al-Anbar" in lines
    assert "550 households · 3,300 individuals" in lines
    assert "individuals = households × 6 (DTM), 10 Dec 2023" in lines
    assert any(x.startswith("Source: DSTWG monthly meeting, 13 December 2023, 'Anbar Informal IDP Sites'") for x in lines)
    assert any(x.startswith("Services lost: ") and "at risk: " in x for x in lines)


def test_tooltip_shows_the_arabic_name(ds):
    sites = ds.sites.copy()
    sites.loc[sites["site_id"] == "ANB-26", "site_name_ar"] = "الكيلو ٧"
    m = build_site_map(ds.with_tables(sites=sites))
    tip = next(r["tip"] for r in layer(spec(m), LAYER_SITES)["data"] if r["site_id"] == "ANB-26")
    assert tip.split("\n")[:2] == ["7 Killo-al-mojamaa al-sakany", "الكيلو ٧"]


def test_filters_narrow_the_map(ds):
    m = build_site_map(ds, Filters(site_group=("Rutba",)))
    assert len(m.points) == 6 and int(m.points["individuals"].sum()) == 1944


def test_lenses_colour_by_their_category(ds):
    m = build_site_map(ds, lens="site_type")
    labels = [it.label for it in m.legends[0].items]
    assert labels == ["Former camp (reclassified): 16 sites", "Large informal site: 1 site",
                      "Small informal site: 8 sites", "DS housing complex: 2 sites", "Not stated: 1 site"]
    c = {r["site_id"]: r["c"][:3] for r in layer(spec(m), LAYER_SITES)["data"]}
    assert c["ANB-26"] == hex_to_rgb(SITE_TYPE_COLOURS["large_informal"])
    g = build_site_map(ds, lens="population_group")
    assert [it.label for it in g.legends[0].items] == ["IDPs: 28 sites"]
    with pytest.raises(ValueError):
        build_site_map(ds, lens="nope")


def test_coverage_lens_colours_by_the_worst_state(ds):
    m = build_site_map(ds, Filters(services=("water",)))
    states = dict(zip(m.points["site_id"], m.points["worst_state"]))
    # Mercy Corps' water trucking ended 30 Sep 2023 at Kilo 9 (ANB-27), no one took over there
    assert states["ANB-27"] == "lost"
    c = {r["site_id"]: r["c"][:3] for r in layer(spec(m), LAYER_SITES)["data"]}
    assert c["ANB-27"] == hex_to_rgb(COLOURS["lost"])


def test_points_carry_the_worst_reported_need(ds):
    m = build_site_map(ds, Filters(services=("water",)))
    sev = dict(zip(m.points["site_id"], m.points["need_severity"]))
    assert sev["ANB-27"] == "high" and sev["ANB-01"] == "medium"  # site report; governorate-wide report

"""AppTest: the Site map page on the embedded data."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest


def deck(at: AppTest) -> dict:
    charts = at.get("deck_gl_json_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.json)


def sites_layer(at: AppTest) -> list[dict]:
    return next(lay for lay in deck(at)["layers"] if lay["id"] == "sites")["data"]


def captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def test_map_page_shows_the_28_seed_sites_with_provenance(run_page):
    at = run_page("map.py", timeout=90)
    assert at.title[0].value == "Site map"
    assert len(sites_layer(at)) == 28
    text = captions(at)
    assert "28 sites drawn" in text and "18,882 individuals" in text and "households × 6" in text
    assert "no basemap tiles" in text  # says why the background is plain
    # no upload: the bundled COD-AB outlines are drawn, attributed, and every seed site passes the p-code check
    ids = [lay["id"] for lay in deck(at)["layers"]]
    assert ids[:2] == ["districts", "governorates"]
    falluja = next(f for f in next(lay for lay in deck(at)["layers"] if lay["id"] == "districts")["data"]["features"]
                   if "(IQG01Q01)" in f["properties"]["tip"])
    assert falluja["properties"]["tip"] == "Al-Falluja (IQG01Q01)"
    assert "OCHA COD-AB Iraq" in text and "CC BY-IGO" in text
    assert "All 28 sites fall in their stated governorate and district polygons." in text
    assert deck(at)["mapStyle"] == "__MAP_STYLE__"
    assert len(at.get("image")) == 1  # the legend


def test_choosing_a_site_opens_its_profile(run_page):
    at = run_page("map.py", timeout=90)
    at.selectbox(key="map_site").set_value("ANB-28").run()
    assert not at.exception
    assert "Kilo 18 / AL-Karama complex" in [t.value for t in at.text]
    tables = [df.value for df in at.dataframe]
    partners = next(t for t in tables if "Partner" in t.columns)  # tables in words: column labels
    assert "Mercy Corps" in set(partners["Partner"])
    nearby = next(t for t in tables if "Distance (km)" in t.columns)
    assert nearby["Site ID"].tolist() == ["ANB-27", "ANB-26"]


def test_url_filters_narrow_the_map(run_page):
    at = run_page("map.py", {"site_group": "Rutba"}, timeout=90)
    assert len(sites_layer(at)) == 6
    assert "6 sites drawn" in captions(at) and "1,944 individuals" in captions(at)


def test_online_style_warns_and_lenses_switch(run_page):
    at = run_page("map.py", timeout=90)
    at.selectbox(key="map_style").set_value("light").run()
    assert any("needs internet" in w.value for w in at.warning)
    assert "cartocdn" in at.get("deck_gl_json_chart")[0].proto.json
    at.radio(key="map_lens").set_value("site_type").run()
    assert not at.exception
    at.selectbox(key="map_agg").set_value("hexagon").run()
    assert [lay["id"] for lay in deck(at)["layers"]] == ["districts", "governorates", "sites-hexagons", "sites"]


def test_boundaries_outline_and_disagreement_check(ds, boundaries_dir, run_page):
    import geopandas as gpd

    d = ds.with_tables()
    d.boundaries = {lv: gpd.read_file(boundaries_dir / f"irq_admbnda_{lv}_cso_20190603.geojson")
                    for lv in ("adm1", "adm2")}
    at = run_page("map.py", session={"dsdash_active_dataset": d}, timeout=90)
    ids = [lay["id"] for lay in deck(at)["layers"]]
    assert ids[:2] == ["districts", "governorates"]  # the user's file replaces the bundled layers
    assert "the COD-AB file you loaded" in captions(at)
    assert "All 28 sites fall in their stated governorate and district polygons." in captions(at)


def test_a_filter_that_drops_the_chosen_site_closes_its_profile(run_page):
    at = run_page("map.py", timeout=90)
    at.selectbox(key="map_site").set_value("ANB-28").run()
    assert "Kilo 18 / AL-Karama complex" in [t.value for t in at.text]
    at.multiselect(key="flt_site_group").set_value(["Rutba"]).run()
    assert not at.exception
    assert at.selectbox(key="map_site").value is None
    assert "Kilo 18 / AL-Karama complex" not in [t.value for t in at.text]
    assert len(at.selectbox(key="map_site").options) == 6


def test_the_map_shows_the_as_of_date_of_the_url(run_page):
    at = run_page("map.py", {"as_of": "2023-09-30"}, timeout=90)
    assert at.date_input(key="view_as_of").value.isoformat() == "2023-09-30"
    assert "coverage as of 30 Sep 2023" in captions(at)
    at.selectbox(key="map_site").set_value("ANB-28").run()
    assert any("state on 2023-09-30, the as-of date" in m.value for m in at.markdown)


def test_find_a_site_by_name_zooms_to_it_and_rings_it(run_page, rerun):
    at = run_page("map.py", timeout=90)
    at.text_input(key="map_find").set_value("karama")
    rerun(at)
    assert at.selectbox(key="map_site").value == "ANB-28"
    d = deck(at)
    ring = next(lay for lay in d["layers"] if lay["id"] == "site-highlight")
    assert len(ring["data"]) == 1
    assert d["initialViewState"]["zoom"] == 10.0 and abs(d["initialViewState"]["latitude"] - 33.3895) < 0.01
    assert "zoomed to the chosen site" in captions(at)


def test_the_catchment_filter_outlines_east_anbar(run_page):
    at = run_page("map.py", {"catchment": "East Anbar"}, timeout=90)
    d = deck(at)
    assert len(sites_layer(at)) == 21  # the Falluja (18) and Ramadi (3) sites
    outline = next(lay for lay in d["layers"] if lay["id"] == "catchments")
    assert [f["properties"]["tip"] for f in outline["data"]["features"]] == ["East Anbar: 2 district(s)"]

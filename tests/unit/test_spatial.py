"""Distances between sites and how sites sit in COD-AB polygons."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dsdash.spatial import (
    boundary_disagreements, haversine_km, individuals_per_area, join_sites_to_areas, nearby_sites, normalise_areas,
)


def load(boundaries_dir, level):
    try:
        from dsdash.importers.boundaries import read_boundaries
    except ImportError:
        read_boundaries = None
    path = boundaries_dir / f"irq_admbnda_{level}_cso_20190603.geojson"
    if read_boundaries is not None:
        gdf, rep = read_boundaries(path.read_bytes(), path.name)
        if gdf is not None:
            return gdf
    import geopandas as gpd

    return gpd.read_file(path)


def test_haversine_hand_computed():
    # one degree of longitude on the equator: 2πR/360 with R = 6371.0088 km
    assert haversine_km(0, 0, 0, 1) == pytest.approx(2 * math.pi * 6371.0088 / 360, rel=1e-9)
    assert haversine_km(33.0, 44.0, 33.0, 44.0) == 0
    # Kilo 7 → 9 Kilo by hand (short distance, flat approximation): Δφ = 0.006935° = 1.2104e-4 rad,
    # Δλ = 0.024360° = 4.2516e-4 rad, cos 33.413° = 0.83475; dx = R·Δλ·cos φ = 2.2611 km,
    # dy = R·Δφ = 0.7711 km; d = √(dx² + dy²) = 2.389 km
    assert haversine_km(33.416594, 43.192428, 33.409659, 43.168068) == pytest.approx(2.389, abs=0.002)


def test_nearby_sites_match_haversine(ds):
    near = nearby_sites(ds.sites, "ANB-26")
    assert near["site_id"].tolist() == ["ANB-27", "ANB-28"]
    assert near["distance_km"].tolist() == [2.4, 9.4]
    far = nearby_sites(ds.sites, "ANB-01", radius_km=1000, limit=30)
    assert len(far) == 27 and far["distance_km"].is_monotonic_increasing
    s = ds.sites.set_index("site_id")
    for _, r in far.iterrows():
        h = haversine_km(s.at["ANB-01", "latitude"], s.at["ANB-01", "longitude"],
                         s.at[r["site_id"], "latitude"], s.at[r["site_id"], "longitude"])
        # ellipsoid (projected) vs sphere: within 0.5 %, plus the 0.05 km rounding
        assert r["distance_km"] == pytest.approx(h, rel=0.005, abs=0.05), r["site_id"]


def test_nearby_sites_equator_example():
    sites = pd.DataFrame({"site_id": ["a", "b", "c"], "site_name": ["A", "B", "C"],
                          "latitude": [0.0, 0.0, None], "longitude": [40.0, 41.0, 40.5]})
    near = nearby_sites(sites, "a", radius_km=200)
    assert near["site_id"].tolist() == ["b"]  # c has no coordinates
    # ellipsoid: one degree of longitude on the equator is 111.32 km (sphere: 111.19)
    assert near["distance_km"].iloc[0] == pytest.approx(111.3, abs=0.1)
    assert nearby_sites(sites, "c").empty and nearby_sites(sites, "zz").empty
    assert nearby_sites(sites, "a", radius_km=100).empty


def test_normalise_areas_reads_raw_cod_ab(boundaries_dir):
    import geopandas as gpd

    raw = gpd.read_file(boundaries_dir / "irq_admbnda_adm2_cso_20190603.geojson")
    a = normalise_areas(raw)
    assert list(a.columns) == ["pcode", "name", "admin1_code", "geometry"] and len(a) == 101
    row = a[a["pcode"] == "IQG01Q01"].iloc[0]
    assert row["name"] == "Al-Falluja" and row["admin1_code"] == "IQG01"
    with pytest.raises(ValueError):
        normalise_areas(gpd.GeoDataFrame({"x": [1]}, geometry=[row.geometry], crs="EPSG:4326"))


def test_seed_sites_fall_in_their_stated_polygons(ds, boundaries_dir):
    adm1, adm2 = load(boundaries_dir, "adm1"), load(boundaries_dir, "adm2")
    j1 = join_sites_to_areas(ds.sites, adm1)
    assert len(j1) == 28 and set(j1["area_pcode"]) == {"IQG01"}
    j2 = join_sites_to_areas(ds.sites, adm2).merge(ds.sites[["site_id", "admin2_code"]], on="site_id")
    assert (j2["area_pcode"] == j2["admin2_code"]).all()
    assert boundary_disagreements(ds.sites, {"adm1": adm1, "adm2": adm2}).empty


def test_disagreements_are_listed(ds, boundaries_dir):
    b = {"adm1": load(boundaries_dir, "adm1"), "adm2": load(boundaries_dir, "adm2")}
    sites = ds.sites.copy()
    sites.loc[sites["site_id"] == "ANB-25", "admin2_code"] = "IQG01Q02"  # Habbaniyah is in Falluja, not Al-Kaim
    sites.loc[sites["site_id"] == "ANB-01", ["latitude", "longitude"]] = [30.0, 30.0]  # Egypt: outside Iraq
    bad = boundary_disagreements(sites, b)
    got = {(r.site_id, r.level): r.polygon_code for r in bad.itertuples()}
    assert got == {("ANB-25", "district"): "IQG01Q01", ("ANB-01", "governorate"): "outside every polygon",
                   ("ANB-01", "district"): "outside every polygon"}


def test_individuals_per_area_sums_to_the_seed_total(ds, boundaries_dir):
    from dsdash.map.points import site_points

    pts = site_points(ds)
    per = individuals_per_area(pts, load(boundaries_dir, "adm2"))
    assert len(per) == 101 and per["individuals"].sum() == 18882 and per["sites"].sum() == 28
    top = per.set_index("pcode")
    assert top.at["IQG01Q01", "individuals"] == 12294 and top.at["IQG01Q01", "sites"] == 18
    assert top.at["IQG01Q03", "individuals"] == 4602 and top.at["IQG01Q04", "individuals"] == 1944
    assert top.at["IQG01Q02", "individuals"] == 42


def test_bundled_cod_ab_layers_check_every_seed_site_with_no_upload(ds):
    from dsdash.spatial import (BUNDLED_DIR, BUNDLED_FILES, boundaries_for, boundaries_origin, boundary_disagreements,
                                bundled_boundaries)

    b = bundled_boundaries()
    assert (len(b["adm1"]), len(b["adm2"])) == (18, 101)
    assert b["adm1"].set_index("pcode").loc["IQG01", ["name", "name_ar"]].tolist() == ["Al-Anbar", "الانبار"]
    assert sum((BUNDLED_DIR / f).stat().st_size for f in BUNDLED_FILES.values()) < 1_100_000  # about 1 MB at most
    assert boundary_disagreements(ds.sites, boundaries_for(ds)).empty  # all 28 seed sites pass
    assert boundaries_origin(ds) == {"adm1": "bundled", "adm2": "bundled"}


def test_a_users_cod_ab_file_replaces_the_bundled_layer_of_its_level(ds, boundaries_dir):
    import geopandas as gpd

    from dsdash.spatial import boundaries_for, boundaries_origin, boundary_disagreements

    d = ds.with_tables()
    mine = gpd.read_file(boundaries_dir / "irq_admbnda_adm2_cso_20190603.geojson")
    moved = mine.copy()
    moved.loc[moved["ADM2_PCODE"] == "IQG01Q01", "ADM2_PCODE"] = "IQG01Q99"  # a file that disagrees
    d.boundaries = {"adm2": moved}
    assert boundaries_origin(d) == {"adm1": "bundled", "adm2": "loaded"}
    assert boundaries_for(d)["adm2"] is moved
    bad = boundary_disagreements(d.sites, boundaries_for(d))
    assert set(bad["level"]) == {"district"} and len(bad) == 18  # the 18 Falluja sites, by the user's file

"""The sites as a GeoJSON download."""

from __future__ import annotations

import json

import pytest

from dsdash.map.geojson import to_geojson_bytes
from dsdash.map.layers import build_site_map


def test_geojson_download_rounds_coordinates_and_keeps_arabic(ds):
    sites = ds.sites.copy()
    sites.loc[sites["site_id"] == "ANB-26", "site_name_ar"] = "الكيلو ٧"
    m = build_site_map(ds.with_tables(sites=sites))
    fc = json.loads(to_geojson_bytes(m.points, precision=2).decode("utf-8"))
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 28
    f = next(f for f in fc["features"] if f["properties"]["site_id"] == "ANB-26")
    assert f["geometry"]["coordinates"] == [43.19, 33.42]
    assert f["properties"]["site_name_ar"] == "الكيلو ٧" and f["properties"]["individuals"] == 3300
    assert f["properties"]["reference_date"] == "2023-12-10"
    assert "الكيلو" in to_geojson_bytes(m.points).decode("utf-8")  # not \\u-escaped
    full = json.loads(to_geojson_bytes(m.points, precision=5))
    g = next(f for f in full["features"] if f["properties"]["site_id"] == "ANB-26")
    assert g["geometry"]["coordinates"] == [43.19243, 33.41659]
    with pytest.raises(ValueError):
        to_geojson_bytes(m.points, precision=12)

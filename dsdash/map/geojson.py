"""The map's sites as a GeoJSON download."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

#: The properties of each site in the GeoJSON download, in this order.
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

"""Helpers shared by the site map tests: the deck's JSON, one layer of it, boundaries, movements."""

from __future__ import annotations

import json

import pandas as pd


def spec(m) -> dict:
    return json.loads(m.deck.to_json())


def layer(d: dict, layer_id: str) -> dict:
    return next(lay for lay in d["layers"] if lay["id"] == layer_id)


def load_boundaries(boundaries_dir):
    import geopandas as gpd

    return {lv: gpd.read_file(boundaries_dir / f"irq_admbnda_{lv}_cso_20190603.geojson") for lv in ("adm1", "adm2")}


def with_boundaries(ds, boundaries_dir):
    d = ds.with_tables()
    d.boundaries = load_boundaries(boundaries_dir)
    return d


MOVES = pd.DataFrame({
    "origin_name": ["Bzebiz", "Kilo 7"], "origin_admin1_code": ["IQG01", "IQG01"],
    "origin_latitude": [33.15, 33.4166], "origin_longitude": [44.0, 43.1924],
    "destination_name": ["Sinjar", "Mosul"], "destination_admin1_code": ["IQG15", "IQG15"],
    "destination_latitude": [36.32, 36.34], "destination_longitude": [41.87, 43.13],
    "households": pd.array([40, 10], dtype="Int64"), "individuals": pd.array([240, 60], dtype="Int64"),
    "period_start": pd.to_datetime(["2023-01-01", "2023-01-01"]).astype("datetime64[s]"),
    "period_end": pd.to_datetime(["2023-06-30", "2023-06-30"]).astype("datetime64[s]"),
    "source": ["test", "test"],
})

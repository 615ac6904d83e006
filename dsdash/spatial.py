"""Geometry of sites: distances between them, and how they sit in boundary polygons.

Distances are measured with geopandas in a metric projection: an azimuthal equidistant
projection centred on the site asked about (distances from the centre are true on the
WGS84 ellipsoid up to a fraction of a per mille), so "5.2 km" means 5.2 km anywhere in Iraq.
:func:`haversine_km` is the spherical formula, kept for checks.

Boundary polygons come from a COD-AB file the user loaded (``Dataset.boundaries``;
:mod:`dsdash.importers.boundaries` reads them). :func:`normalise_areas` accepts either that module's
columns (``pcode``, ``name``, ``admin1_code``) or a raw COD-AB layer (``ADM2_PCODE``,
``ADM2_EN`` …). Caveat: COD-AB 2019 districts are the reference; a site whose stated
district differs from the polygon it falls in may have a wrong code *or* wrong coordinates
(:func:`boundary_disagreements` lists them, it does not decide which).
"""

from __future__ import annotations

import math

import geopandas as gpd
from dsdash.i18n import _
import pandas as pd

WGS84 = "EPSG:4326"


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float, radius_km: float = 6371.0088) -> float:
    """Great-circle distance on a sphere of the Earth's mean radius.

    Examples:
        >>> round(haversine_km(33.0, 40.0, 33.0, 41.0), 1)
        93.3
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * radius_km * math.asin(math.sqrt(a))


def sites_gdf(sites: pd.DataFrame) -> gpd.GeoDataFrame:
    """The sites with coordinates as a point GeoDataFrame in EPSG:4326 (others dropped)."""
    located = sites.dropna(subset=["latitude", "longitude"])
    return gpd.GeoDataFrame(
        located.copy(),
        geometry=gpd.points_from_xy(located["longitude"].astype(float), located["latitude"].astype(float)),
        crs=WGS84,
    )


def metric_crs(lat: float, lon: float) -> str:
    """An azimuthal equidistant projection centred on (lat, lon), in metres."""
    return f"+proj=aeqd +lat_0={lat:.6f} +lon_0={lon:.6f} +datum=WGS84 +units=m +no_defs"


def nearby_sites(sites: pd.DataFrame, site_id: str, *, radius_km: float = 25.0, limit: int = 10) -> pd.DataFrame:
    """Sites within ``radius_km`` of ``site_id``, nearest first (at most ``limit``).

    Returns columns site_id, site_name, distance_km (rounded to 0.1 km) and, when present,
    admin2_name and site_type. Empty when the site has no coordinates.
    """
    cols = [c for c in ("site_id", "site_name", "admin2_name", "site_type") if c in sites.columns]
    empty = pd.DataFrame({c: pd.Series(dtype="string") for c in cols}).assign(distance_km=pd.Series(dtype=float))
    row = sites[sites["site_id"] == site_id]
    if row.empty or row[["latitude", "longitude"]].isna().any(axis=None):
        return empty
    lat, lon = float(row["latitude"].iloc[0]), float(row["longitude"].iloc[0])
    g = sites_gdf(sites[sites["site_id"] != site_id])
    if g.empty:
        return empty
    proj = g.to_crs(metric_crs(lat, lon))
    d = proj.geometry.distance(gpd.points_from_xy([0.0], [0.0])[0]) / 1000.0
    out = pd.DataFrame(g[cols]).assign(distance_km=d.round(1).to_numpy())
    out = out[out["distance_km"] <= radius_km].sort_values(["distance_km", "site_id"], kind="stable")
    return out.head(limit).reset_index(drop=True)[["site_id", "site_name", "distance_km"] + cols[2:]]


# --------------------------------------------------------------------------- boundaries
def normalise_areas(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``pcode``, ``name``, ``admin1_code``, geometry in EPSG:4326, from either
    :mod:`dsdash.importers.boundaries`' columns or a raw COD-AB layer (the finest ADMn_PCODE wins)."""
    if "pcode" in gdf.columns and "name" in gdf.columns:
        out = gdf
    else:
        for n in (3, 2, 1):
            if f"ADM{n}_PCODE" in gdf.columns:
                out = gdf.rename(columns={f"ADM{n}_PCODE": "pcode", f"ADM{n}_EN": "name"})
                if "ADM1_PCODE" in gdf.columns and n > 1:
                    out = out.rename(columns={"ADM1_PCODE": "admin1_code"})
                elif n == 1:
                    out = out.assign(admin1_code=out["pcode"])
                break
        else:
            raise ValueError(_("boundary layer has neither pcode/name nor COD-AB ADMn_PCODE/ADMn_EN columns"))
    if "admin1_code" not in out.columns:
        out = out.assign(admin1_code=out["pcode"].astype(str).str[:5])
    out = out[["pcode", "name", "admin1_code", "geometry"]]
    if out.crs is None:
        out = out.set_crs(WGS84)
    elif out.crs.to_epsg() != 4326:
        out = out.to_crs(WGS84)
    return out.reset_index(drop=True)


def join_sites_to_areas(sites: pd.DataFrame, areas: gpd.GeoDataFrame) -> pd.DataFrame:
    """The polygon each site falls in: site_id, area_pcode, area_name (NA when in none;
    a point on a shared edge takes the first polygon)."""
    a = normalise_areas(areas)
    pts = sites_gdf(sites)[["site_id", "geometry"]]
    j = gpd.sjoin(pts, a[["pcode", "name", "geometry"]], how="left", predicate="intersects")
    j = j.drop_duplicates("site_id")
    out = pd.DataFrame({"site_id": j["site_id"].astype("string"),
                        "area_pcode": j["pcode"].astype("string"), "area_name": j["name"].astype("string")})
    missing = sites.loc[~sites["site_id"].isin(out["site_id"]), ["site_id"]]
    if len(missing):
        out = pd.concat([out, missing.assign(area_pcode=pd.NA, area_name=pd.NA).astype("string")], ignore_index=True)
    return out.reset_index(drop=True)


LEVEL_COLUMNS = {"adm1": ("admin1_code", "admin1_name", "governorate"),
                 "adm2": ("admin2_code", "admin2_name", "district")}


def boundary_disagreements(sites: pd.DataFrame, boundaries: dict) -> pd.DataFrame:
    """Sites whose stated governorate (adm1) or district (adm2) is not the polygon their
    coordinates fall in (or that fall in no polygon). One row per site and level:
    site_id, site_name, level, stated_code, stated_name, polygon_code, polygon_name,
    latitude, longitude. Sites without coordinates or without a stated code are skipped."""
    rows = []
    for level, (code_col, name_col, word) in LEVEL_COLUMNS.items():
        gdf = (boundaries or {}).get(level)
        if gdf is None or code_col not in sites.columns:
            continue
        s = sites.dropna(subset=["latitude", "longitude", code_col])
        if s.empty:
            continue
        j = join_sites_to_areas(s, gdf)
        m = s.merge(j, on="site_id", how="left")
        bad = m[m["area_pcode"].isna() | (m["area_pcode"] != m[code_col]).fillna(True)]
        for _, r in bad.iterrows():
            rows.append({
                "site_id": r["site_id"], "site_name": r["site_name"], "level": word,
                "stated_code": r[code_col], "stated_name": r.get(name_col),
                "polygon_code": r["area_pcode"] if pd.notna(r["area_pcode"]) else "outside every polygon",
                "polygon_name": r["area_name"] if pd.notna(r["area_name"]) else "",
                "latitude": r["latitude"], "longitude": r["longitude"],
            })
    cols = ["site_id", "site_name", "level", "stated_code", "stated_name", "polygon_code", "polygon_name",
            "latitude", "longitude"]
    return pd.DataFrame(rows, columns=cols)


def individuals_per_area(points: pd.DataFrame, areas: gpd.GeoDataFrame) -> pd.DataFrame:
    """Individuals and sites per polygon, by where the sites' coordinates fall (not by their
    stated codes): pcode, name, sites, individuals. Every polygon appears (0 when empty)."""
    a = normalise_areas(areas)
    j = join_sites_to_areas(points, a)
    ind = points[["site_id", "individuals"]].merge(j, on="site_id", how="left")
    ind = ind.assign(individuals=ind["individuals"].astype("Float64").fillna(0))
    agg = ind.dropna(subset=["area_pcode"]).groupby("area_pcode").agg(
        sites=("site_id", "count"), individuals=("individuals", "sum")).reset_index()
    out = pd.DataFrame(a[["pcode", "name"]]).merge(agg, left_on="pcode", right_on="area_pcode", how="left")
    out = out.drop(columns=["area_pcode"]).fillna({"sites": 0, "individuals": 0})
    out["sites"] = out["sites"].astype(int)
    out["individuals"] = out["individuals"].astype(float).round().astype(int)
    return out.sort_values(["individuals", "pcode"], ascending=[False, True], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- bundled boundaries
from functools import lru_cache  # noqa: E402
from pathlib import Path  # noqa: E402

#: The bundled COD-AB layers (governorates, districts), in data/boundaries/.
BUNDLED_DIR = Path(__file__).resolve().parent.parent / "data" / "boundaries"
BUNDLED_FILES = {"adm1": "irq_adm1_codab_2019.geojson", "adm2": "irq_adm2_codab_2019.geojson"}
#: Douglas–Peucker tolerance of the bundled layers, in degrees (~50 m), and the coordinate grid.
BUNDLED_TOLERANCE_DEG = 0.0005
BUNDLED_GRID_DEG = 0.00001  # how scripts/simplify_cod_ab.py made data/boundaries/
BOUNDARY_ATTRIBUTION = ("Boundaries: OCHA COD-AB Iraq (Central Statistical Organization, 3 June 2019), CC BY-IGO; "
                        f"simplified to {BUNDLED_TOLERANCE_DEG:g}° (about 50 m)")


@lru_cache(maxsize=1)
def _bundled() -> dict:
    out = {}
    for level, name in BUNDLED_FILES.items():
        path = BUNDLED_DIR / name
        if path.exists():
            out[level] = gpd.read_file(path)[["pcode", "name", "name_ar", "admin1_code", "geometry"]]
    return out


def bundled_boundaries() -> dict:
    """The bundled COD-AB governorates ("adm1") and districts ("adm2"), each a GeoDataFrame
    (pcode, name, name_ar, admin1_code, geometry; EPSG:4326). A copy, so callers may change it."""
    return {k: v.copy() for k, v in _bundled().items()}


def boundaries_for(ds) -> dict:
    """The boundaries a page draws and checks against: per level the user's COD-AB file when
    one is loaded (``ds.boundaries``), else the bundled layer. So outlines and the p-code check
    work offline and with no upload; a user's own file replaces the bundled layer of its level."""
    out = {k: v for k, v in _bundled().items()}
    out.update({k: v for k, v in (getattr(ds, "boundaries", None) or {}).items() if v is not None})
    return out


def boundaries_origin(ds) -> dict:
    """Per level, where the drawn boundaries come from: "bundled" or "loaded"."""
    loaded = set((getattr(ds, "boundaries", None) or {}))
    return {k: ("loaded" if k in loaded else "bundled") for k in boundaries_for(ds)}


def governorates_at(lat, lon) -> list[str | None]:
    """The COD-AB governorate p-code (bundled layer) each point lies in, None for a point in none
    (outside Iraq, in a gap of the simplified outlines, or not a number). A point on a shared border
    takes the first governorate in p-code order.

    Examples:
        >>> governorates_at([33.4, 36.34, 0.0], [43.3, 43.13, 0.0])
        ['IQG01', 'IQG15', None]
    """
    import numpy as np
    import shapely

    adm1 = _bundled().get("adm1")
    lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    out: list[str | None] = [None] * len(lat)
    if adm1 is None or not len(lat):
        return out
    ok = np.flatnonzero(np.isfinite(lat) & np.isfinite(lon))
    points = shapely.points(lon[ok], lat[ok])
    hit_point, hit_area = _adm1_tree().query(points, predicate="within")
    codes = adm1["pcode"].to_numpy()
    for p, a in sorted(zip(hit_point.tolist(), hit_area.tolist()), key=lambda pa: (pa[0], codes[pa[1]])):
        i = int(ok[p])
        if out[i] is None:
            out[i] = str(codes[a])
    return out


@lru_cache(maxsize=1)
def _adm1_tree():
    import shapely

    return shapely.STRtree(_bundled()["adm1"].geometry.to_numpy())

"""COD-AB administrative boundaries a user loads: GeoJSON, zipped shapefile, GeoPackage.

Where the data comes from: OCHA's Common Operational Dataset of administrative
boundaries for Iraq (COD-AB, ``irq_admbnda_adm1/adm2_cso_*``, on HDX), with p-codes in
``ADM1_PCODE`` / ``ADM2_PCODE`` and names in ``ADM1_EN`` / ``ADM2_EN``. The app bundles
no boundaries: they are loaded by the user (and go into ``Dataset.boundaries``).

Safety: GDAL's VRT driver can make GDAL open other files (or URLs) named inside a
``.vrt``; it is disabled by ``GDAL_SKIP=OGR_VRT``, which ``dsdash/__init__.py`` sets when
the package is imported, before pyogrio (and so GDAL) is loaded through this module. (If
GDAL was already loaded by another import, the driver check below still refuses anything
but the expected drivers.) A zipped shapefile is checked like a workbook (sizes and ratio,
no paths leaving the folder) and only its ``.shp/.shx/.dbf/.prj/.cpg`` parts are written
out. GeoJSON is parsed with Python's json and shapely, feature by feature, so a malformed
feature is reported (feature number and column), never raised.

Output: a GeoDataFrame with ``level`` ("adm1" / "adm2"), ``pcode``, ``name``,
``admin1_code`` and ``geometry``, in EPSG:4326, and a LoadReport.
"""

from __future__ import annotations

import json
import os
import tempfile
import warnings
from pathlib import Path, PurePosixPath

import pandas as pd
import shapely
from shapely.geometry import shape

from dsdash.i18n import N_, _
from dsdash.importers.readers import ReadError, check_size, check_zip, decode_text, file_format
from dsdash.schema import IRAQ_BBOX, LoadReport, Problem, normalise_pcode

KIND = "boundaries"
#: GDAL drivers we accept, by format.
EXPECTED_DRIVERS = {"zip": {"ESRI Shapefile"}, "gpkg": {"GPKG"}, "geojson": {"GeoJSON"}}
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
OUT_COLUMNS = ["level", "pcode", "name", "admin1_code", "geometry"]

#: Feature properties read, per field (matched without regard to case): a district p-code
#: makes the layer "adm2", else it is "adm1"; names are optional.
HEADERS = {
    "adm2_pcode": ("ADM2_PCODE", "admin2Pcode", "adm2_pcode", "pcode_adm2", "ADM2_CODE"),
    "adm1_pcode": ("ADM1_PCODE", "admin1Pcode", "adm1_pcode", "pcode_adm1", "ADM1_CODE"),
    "adm2_name": ("ADM2_EN", "admin2Name_en", "admin2Name", "ADM2_NAME", "adm2_en"),
    "adm1_name": ("ADM1_EN", "admin1Name_en", "admin1Name", "ADM1_NAME", "adm1_en"),
}
#: Fields a boundary file cannot do without (any one of each tuple).
NEEDS = (("adm2_pcode", "adm1_pcode"),)
_PCODE_COLS = {"adm2": HEADERS["adm2_pcode"], "adm1": HEADERS["adm1_pcode"]}
_NAME_COLS = {"adm2": HEADERS["adm2_name"], "adm1": HEADERS["adm1_name"]}


def _empty():
    import geopandas as gpd  # loaded when a boundary file is read: geopandas and GDAL take ~250 ms to import

    return gpd.GeoDataFrame({c: pd.Series(dtype="string") for c in OUT_COLUMNS[:-1]}, geometry=[], crs="EPSG:4326")


def read_boundaries(data: bytes, filename: str):
    """Read a boundary file. Returns ``(GeoDataFrame or None, LoadReport)``; never raises.

    Each feature is a row: accepted, or rejected with a problem naming the feature
    (1-based, in file order) and the column (``geometry`` or the p-code column).
    """
    rep = LoadReport(file=filename, kind=KIND)
    try:
        check_size(data)
        fmt = file_format(data, filename)
        rep.encoding = fmt
        if fmt == "geojson":
            records = _geojson_records(data, filename, rep)
        elif fmt in ("zip", "gpkg"):
            records = _ogr_records(data, filename, fmt, rep)
        else:
            raise ReadError(_("not a boundary file (GeoJSON, zipped shapefile or GeoPackage expected)"))
        gdf = _to_frame(records, filename, rep)
    except ReadError as exc:
        rep.problems.append(Problem(filename, str(exc)))
        gdf = None
    except Exception as exc:  # noqa: BLE001 - the contract: a message, never a traceback
        rep.problems.append(Problem(filename, _("could not be read ({error}: {detail})").format(
            error=type(exc).__name__, detail=exc)))
        gdf = None
    if gdf is None:
        rep.rows_accepted = 0
        rep.rows_rejected = rep.rows_in
    rep.check()
    return gdf, rep


# --------------------------------------------------------------------------- readers
#: Deepest nesting of brackets read in a GeoJSON (a multipolygon needs 6 or 7).
MAX_JSON_DEPTH = 64


def _json_depth(text: str) -> int:
    """The deepest nesting of [ and { in a JSON text, outside strings, by a scan in numpy.

    Examples:
        >>> _json_depth('{"a": [[1, 2], {"b": "[[["}]}'), _json_depth("[]")
        (3, 1)
    """
    import numpy as np

    a = np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    if not len(a):
        return 0
    quote = a == 34
    esc = np.zeros(len(a), bool)
    bs = np.flatnonzero(a == 92)
    if len(bs):  # a quote after an odd run of backslashes is escaped
        run = np.zeros(len(a), np.int64)
        for i in bs:  # backslashes are rare outside strings of Windows paths
            run[i] = (run[i - 1] if i else 0) + 1
        esc[1:] = (run[:-1] % 2) == 1
    quote &= ~esc
    inside = (np.cumsum(quote) - quote) % 2 == 1
    step = np.where(~inside & ((a == 91) | (a == 123)), 1, 0) - np.where(~inside & ((a == 93) | (a == 125)), 1, 0)
    return int(np.cumsum(step).max())


def _geojson_records(data: bytes, filename: str, rep: LoadReport) -> list[dict]:
    text, _enc = decode_text(data)
    depth = _json_depth(text)
    if depth > MAX_JSON_DEPTH:
        raise ReadError(_("the GeoJSON is nested {depth:,} levels deep (more than {limit}): refused").format(
            depth=depth, limit=MAX_JSON_DEPTH))
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(_("not valid JSON (line {line}, column {column}: {why})").format(
            line=exc.lineno, column=exc.colno, why=exc.msg)) from None
    if not isinstance(doc, dict):
        raise ReadError(_("not a GeoJSON object"))
    if doc.get("type") == "Feature":
        feats = [doc]
    elif doc.get("type") == "FeatureCollection" and isinstance(doc.get("features"), list):
        feats = doc["features"]
    else:
        raise ReadError(_("not a GeoJSON FeatureCollection (no 'features' list)"))
    crs = ((doc.get("crs") or {}).get("properties") or {}).get("name", "") if isinstance(doc.get("crs"), dict) else ""
    if crs and not any(x in crs for x in ("CRS84", "4326")):
        raise ReadError(_("coordinates are in {crs}; save the file in WGS 84 (EPSG:4326) as GeoJSON requires")
                        .format(crs=crs))
    out = []
    for n, f in enumerate(feats, start=1):
        rec = {"_n": n, "_geom": None, "_geom_error": None, "_crs": "EPSG:4326"}
        if not isinstance(f, dict):
            rec["_geom_error"] = "the feature is not an object"
            out.append(rec)
            continue
        props = f.get("properties") or {}
        rec.update(props if isinstance(props, dict) else {})
        g = f.get("geometry")
        if g is None:
            rec["_geom_error"] = "geometry is empty (null)"
        else:
            try:
                rec["_geom"] = shape(g)
            except Exception as exc:  # noqa: BLE001 - shapely raises several types
                rec["_geom_error"] = _("malformed geometry ({error}: {detail})").format(
                    error=type(exc).__name__, detail=str(exc)[:120])
        out.append(rec)
    return out


def _safe_extract(data: bytes, folder: Path) -> Path:
    zf = check_zip(data, what=N_("zip file"))
    shp = None
    for info in zf.infolist():
        p = PurePosixPath(info.filename.replace("\\", "/"))
        if info.is_dir() or p.suffix.lower() not in SHAPEFILE_PARTS or p.name.startswith("."):
            continue
        if p.is_absolute() or ".." in p.parts:
            raise ReadError(_("the zip names a path outside its folder ('{path}'): refused").format(path=info.filename))
        target = folder / p.name
        with zf.open(info) as src, open(target, "wb") as dst:
            dst.write(src.read(info.file_size + 1)[: info.file_size])
        if p.suffix.lower() == ".shp":
            if shp is not None:
                raise ReadError(_("the zip holds more than one shapefile: zip one layer at a time"))
            shp = target
    if shp is None:
        raise ReadError(_("the zip holds no shapefile (.shp with its .shx and .dbf)"))
    for part in (".shx", ".dbf"):
        if not shp.with_suffix(part).exists() and not shp.with_suffix(part.upper()).exists():
            raise ReadError(_("the shapefile's {part} part is missing from the zip").format(part=part))
    return shp


def _ogr_records(data: bytes, filename: str, fmt: str, rep: LoadReport) -> list[dict]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = _ogr_read(data, fmt)
    for w in caught[:5]:
        rep.notes.append(f"GDAL: {str(w.message)[:160]}")
    return out


#: Longest a GeoPackage's own SQLite queries may run (listing its tables), in seconds.
GPKG_SQL_SECONDS = 5.0


def _gpkg_tables(path: Path) -> list[str]:
    """The feature tables a GeoPackage lists in ``gpkg_contents``, tables only: a view (whose query
    could run forever) is never read. Opened read-only, with a time limit on every query."""
    import sqlite3
    import time

    con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    deadline = time.monotonic() + GPKG_SQL_SECONDS
    con.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, 10_000)
    try:
        rows = con.execute(
            "SELECT c.table_name, m.type FROM gpkg_contents c LEFT JOIN sqlite_master m ON m.name = c.table_name "
            "WHERE c.data_type IN ('features', 'attributes') ORDER BY c.table_name").fetchall()
    except sqlite3.DatabaseError as exc:
        raise ReadError(_("not a GeoPackage: its list of layers (gpkg_contents) cannot be read ({why})").format(
            why=exc)) from None
    finally:
        con.close()
    tables = [name for name, kind in rows if kind == "table"]
    if not tables:
        raise ReadError(_("the GeoPackage lists no feature table in gpkg_contents")
                        + (_(" (only views, which are not read)") if rows else ""))
    return tables


def _ogr_read(data: bytes, fmt: str) -> list[dict]:
    import pyogrio  # loaded when a boundary file is read: it loads GDAL (~160 ms)

    with tempfile.TemporaryDirectory(prefix="dsdash-bnd-") as tmp:
        folder = Path(tmp)
        if fmt == "zip":
            path = _safe_extract(data, folder)
        else:
            if not data.startswith(b"SQLite format 3\x00"):
                raise ReadError(_("not a GeoPackage (it is not an SQLite file)"))
            path = folder / "layer.gpkg"
            path.write_bytes(data)
        try:
            layers = _gpkg_tables(path) if fmt == "gpkg" else [name for name, _gt in pyogrio.list_layers(path)]
        except ReadError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise ReadError(_("GDAL cannot open it ({why})").format(why=str(exc)[:200])) from None
        out: list[dict] = []
        for layer in layers:
            info = pyogrio.read_info(path, layer=layer)
            driver = info.get("driver")
            if driver not in EXPECTED_DRIVERS[fmt]:
                raise ReadError(_("unexpected format '{driver}' (expected {expected}): refused").format(
                    driver=driver, expected=", ".join(EXPECTED_DRIVERS[fmt])))
            if info.get("geometry_type") in (None, "Unknown") and fmt == "gpkg" and len(layers) > 1:
                continue  # an attribute table inside a GeoPackage
            try:
                meta, _fids, geoms, fields = pyogrio.raw.read(path, layer=layer)
            except Exception as exc:  # noqa: BLE001
                raise ReadError(_("GDAL cannot read layer '{layer}' ({why})").format(layer=layer, why=str(exc)[:200])) \
                    from None
            names = list(meta["fields"])
            crs = meta.get("crs")
            for k in range(len(geoms)):
                rec = {"_n": len(out) + 1, "_geom": None, "_geom_error": None, "_layer": layer, "_crs": crs}
                for name, col in zip(names, fields):
                    v = col[k]
                    rec[name] = None if v is None or (isinstance(v, float) and v != v) else v
                wkb = geoms[k]
                if wkb is None:
                    rec["_geom_error"] = "geometry is empty (null)"
                else:
                    try:
                        rec["_geom"] = shapely.from_wkb(wkb)
                    except Exception as exc:  # noqa: BLE001
                        rec["_geom_error"] = _("malformed geometry ({error}: {detail})").format(
                    error=type(exc).__name__, detail=str(exc)[:120])
                out.append(rec)
        return out


# --------------------------------------------------------------------------- checks
def _first(rec: dict, names: tuple[str, ...]) -> tuple[str | None, object]:
    lower = {k.lower(): k for k in rec if isinstance(k, str)}
    for n in names:
        k = lower.get(n.lower())
        if k is not None:
            return k, rec[k]
    return None, None


def _to_frame(records: list[dict], filename: str, rep: LoadReport):
    import geopandas as gpd  # loaded when a boundary file is read: geopandas and GDAL take ~250 ms to import

    rep.rows_in = len(records)
    if not records:
        rep.problems.append(Problem(filename, _("the file holds no features")))
        return _empty()
    level = "adm2" if any(_first(r, _PCODE_COLS["adm2"])[0] for r in records[:50]) else "adm1"
    pc_col = next((c for c in (_first(r, _PCODE_COLS[level])[0] for r in records) if c), None)
    if pc_col is None:
        raise ReadError(_("no p-code column (ADM1_PCODE or ADM2_PCODE expected, as in COD-AB)"))
    crs = records[0].get("_crs")
    rows, seen = [], {}
    for r in records:
        n = r["_n"]
        feat = _("feature {n}").format(n=n)
        err = None
        g = r["_geom"]
        if r["_geom_error"]:
            err = ("geometry", r["_geom_error"])
        elif g is None or g.is_empty:
            err = ("geometry", _("geometry is empty"))
        elif g.geom_type not in ("Polygon", "MultiPolygon"):
            err = ("geometry", _("a {type}, not an area (Polygon or MultiPolygon)").format(type=g.geom_type))
        col, raw_code = _first(r, _PCODE_COLS[level])
        code = normalise_pcode(raw_code) if raw_code is not None else None
        if err is None and code is None:
            err = (col or pc_col, _("p-code '{code}' is not a COD-AB p-code of Iraq").format(code=raw_code)
                   if raw_code not in (None, "") else _("p-code is empty"))
        if err is None and level == "adm2" and len(code) != 8:
            err = (col or pc_col, _("p-code '{code}' is a governorate code in a district layer").format(code=raw_code))
        if err is None and level == "adm1" and len(code) != 5:
            err = (col or pc_col, _("p-code '{code}' is a district code in a governorate layer").format(code=raw_code))
        if err is None and code in seen:
            err = (col or pc_col, _("p-code {code} already on feature {n}").format(code=code, n=seen[code]))
        if err:
            rep.problems.append(Problem(filename, _("{feature}: {why}").format(feature=feat, why=err[1]), n, err[0],
                                        r.get("_layer")))
            continue
        if not g.is_valid:
            fixed = shapely.make_valid(g)
            rep.problems.append(Problem(filename, _("{feature}: geometry is not valid ({why}); repaired").format(
                feature=feat, why=shapely.is_valid_reason(g)), n, "geometry", r.get("_layer"), "warning"))
            g = fixed
        seen[code] = n
        _nc, name = _first(r, _NAME_COLS[level])
        _a1c, a1 = _first(r, _PCODE_COLS["adm1"])
        a1code = (normalise_pcode(a1) if a1 else None) or code[:5]
        rows.append({"level": level, "pcode": code, "name": str(name) if name else code, "admin1_code": a1code,
                     "geometry": g})
    rep.rows_rejected = rep.rows_in - len(rows)
    rep.rows_accepted = len(rows)
    if not rows:
        return _empty()
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs=crs or "EPSG:4326")
    if crs is None:
        rep.notes.append(_("no coordinate system stated: read as WGS 84 (EPSG:4326)"))
    if gdf.crs and gdf.crs.to_epsg() != 4326:
        rep.notes.append(_("reprojected from {crs} to EPSG:4326").format(crs=gdf.crs.to_string()[:60]))
        gdf = gdf.to_crs(4326)
    minx, miny, maxx, maxy = gdf.total_bounds
    bx = IRAQ_BBOX
    if maxx < bx[0] - 1 or minx > bx[2] + 1 or maxy < bx[1] - 1 or miny > bx[3] + 1:
        rep.problems.append(Problem(filename, _("the boundaries lie outside Iraq (bounds {minx:.1f}, {miny:.1f}, "
                                                "{maxx:.1f}, {maxy:.1f}): wrong file or coordinate system?").format(
            minx=minx, miny=miny, maxx=maxx, maxy=maxy), level="warning"))
    rep.notes.append(_("{n} {level} areas (COD-AB p-codes)").format(n=len(gdf), level=level))
    for c in ("level", "pcode", "name", "admin1_code"):
        gdf[c] = gdf[c].astype("string")
    return gdf[OUT_COLUMNS]


def boundaries_from_file(path: str | os.PathLike):
    """Convenience for scripts and tests: read a boundary file from disk."""
    p = Path(path)
    return read_boundaries(p.read_bytes(), p.name)


"""Boundary files: COD-AB GeoJSON, zipped shapefile, GeoPackage; safety checks; per-feature problems."""

import io
import json
import os
import sqlite3
import zipfile

from dsdash.importers.boundaries import EXPECTED_DRIVERS, OUT_COLUMNS, boundaries_from_file, read_boundaries
from dsdash.importers import build_dataset, import_file
from tests.support.dtm_fixtures import districts, geopackage, zipped_shapefile


def test_gdal_vrt_driver_is_skipped():
    assert "OGR_VRT" in os.environ["GDAL_SKIP"].split()
    assert EXPECTED_DRIVERS == {"zip": {"ESRI Shapefile"}, "gpkg": {"GPKG"}, "geojson": {"GeoJSON"}}


def test_cod_ab_geojson(boundaries_dir):
    adm1, rep1 = boundaries_from_file(boundaries_dir / "irq_admbnda_adm1_cso_20190603.geojson")
    adm2, rep2 = boundaries_from_file(boundaries_dir / "irq_admbnda_adm2_cso_20190603.geojson")
    assert (rep1.rows_in, rep1.rows_accepted, len(adm1)) == (18, 18, 18) and not rep1.problems
    assert (rep2.rows_in, rep2.rows_accepted, len(adm2)) == (101, 101, 101) and not rep2.problems
    assert list(adm1.columns) == OUT_COLUMNS and adm1.crs.to_epsg() == 4326
    assert set(adm1["level"]) == {"adm1"} and set(adm2["level"]) == {"adm2"}
    a = adm1.set_index("pcode")
    assert a.loc["IQG01", "name"] == "Al-Anbar" and sorted(a.index) == [f"IQG{i:02d}" for i in range(1, 19)]
    assert (adm2["pcode"].str.slice(0, 5) == adm2["admin1_code"]).all()
    assert adm2.set_index("pcode").loc["IQG02Q01", "name"] == "Abu Al-Khaseeb"


def test_zipped_shapefile_and_geopackage_round_trip():
    gdf = districts(6)
    for data, name, driver in ((zipped_shapefile(gdf), "districts.zip", "shp"), (geopackage(gdf), "b.gpkg", "gpkg")):
        out, rep = read_boundaries(data, name)
        assert rep.ok and rep.rows_in == rep.rows_accepted == 6, (driver, rep.problems)
        assert out["pcode"].tolist() == gdf["ADM2_PCODE"].tolist()
        assert out["admin1_code"].tolist() == gdf["ADM1_PCODE"].tolist()
        assert out["name"].iat[0] == "Invented district 1"
        assert abs(out.geometry.iat[0].area - 1.0) < 1e-9


def test_reprojected_shapefile_comes_back_in_wgs84():
    gdf = districts(3).to_crs(3857)
    out, rep = read_boundaries(zipped_shapefile(gdf), "webmercator.zip")
    assert rep.ok and out.crs.to_epsg() == 4326
    assert abs(out.total_bounds[0] - 40.0) < 1e-6 and any("reprojected" in n for n in rep.notes)


def test_boundaries_go_into_the_dataset(ds):
    res = import_file(geopackage(districts(4)), "b.gpkg")
    assert res.kind == "boundaries" and len(res.boundaries) == 4
    new = build_dataset([res], ds)
    assert list(new.boundaries) == ["adm2"] and len(new.boundaries["adm2"]) == 4
    assert len(new.sites) == 28  # boundaries alone change no table


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for k, v in members.items():
            zf.writestr(k, v)
    return buf.getvalue()


def test_safety_refusals(tmp_path):
    vrt = b'<OGRVRTDataSource><OGRVRTLayer name="x"><SrcDataSource>/etc/passwd</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>'
    cases = {
        "a VRT in a zip": (_zip({"evil.vrt": vrt}), "evil.zip", "no shapefile"),
        "a path leaving the folder": (_zip({"../x.shp": b"x", "../x.shx": b"x", "../x.dbf": b"x"}), "t.zip",
                                      "outside its folder"),
        "a decompression bomb": (_zip({"x.shp": b"\0" * 20_000_000}), "bomb.zip", "decompression bomb"),
        "a shapefile without its .dbf": (_zip({"x.shp": b"x", "x.shx": b"x"}), "t.zip", ".dbf part is missing"),
        "not a GeoPackage": (b"SQLite format 3\x00" + b"\0" * 200, "x.gpkg", "not a GeoPackage"),
        "not JSON": (b"{", "x.geojson", "not valid JSON"),
        "not a FeatureCollection": (b'{"type": "Point", "coordinates": [44, 33]}', "x.geojson", "FeatureCollection"),
        "projected GeoJSON": (json.dumps({"type": "FeatureCollection", "features": [],
                                          "crs": {"type": "name", "properties": {"name": "EPSG:3857"}}}).encode(),
                              "x.geojson", "EPSG:4326"),
        "no p-code column": (json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"name": "x"}, "geometry": {"type": "Polygon", "coordinates": [
                [[44, 33], [45, 33], [45, 34], [44, 33]]]}}]}).encode(), "x.geojson", "no p-code column"),
    }
    db = tmp_path / "plain.sqlite"
    con = sqlite3.connect(db)
    con.execute("create table t (a integer)")
    con.commit()
    con.close()
    cases["SQLite that is not a GeoPackage"] = (db.read_bytes(), "plain.gpkg", "GeoPackage")
    for what, (data, name, needle) in cases.items():
        gdf, rep = read_boundaries(data, name)
        assert rep.errors, what
        assert needle in rep.errors[0].reason, (what, rep.errors[0].reason)
        assert rep.rows_in == rep.rows_accepted + rep.rows_rejected and rep.rows_accepted == 0


def test_gdal_loads_without_the_vrt_driver_after_dsdash_boundaries():
    import subprocess
    import sys

    from tests.support.paths import ROOT

    code = ("import dsdash.importers.boundaries, pyogrio; d = pyogrio.list_drivers(); "
            "assert 'OGR_VRT' not in d and 'ESRI Shapefile' in d and 'GPKG' in d, sorted(d)")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, env={"PYTHONPATH": str(ROOT), "PATH": ""})

"""A malformed-input corpus, generated here: CSV, XLSX, GeoJSON and zipped shapefiles.

Each case breaks one cell (or feature) of an otherwise good file. Every case must give a
problem that names the row (or feature) and the column, keep rows in = accepted +
rejected, account for every data row written, and never produce an internal error.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

import pytest

from dsdash.importers import import_file
from tests.support.dtm_fixtures import districts, zipped_shapefile


@dataclass
class Case:
    name: str
    data: bytes
    filename: str
    row: int  # the file row (or feature number) the message must name
    column: str  # the column the message must name
    level: str  # "error" (row rejected) or "warning" (row kept)
    rows_in: int  # data rows written (every one must be accounted for)
    says: str = ""  # a word the reason must contain


ML_HEAD = ["Place ID", "Governorate", "District", "District pcode", "Location Name", "Arabic Name", "Latitude",
           "Longitude", "Families", "Individuals", "Date", "Round"]


def _ml_rows():
    return [
        ["11", "Anbar", "Ramadi", "IQG01Q03", "Hay A", "حي أ", "33.42", "43.30", "10", "60", "2024-01-31", "131"],
        ["12", "Ninewa", "Mosul", "IQG15Q04", "Hay B", "حي ب", "36.34", "43.13", "20", "120", "2024-01-31", "131"],
        ["13", "Kirkuk", "Kirkuk", "IQG13Q03", "Hay C", "حي ج", "35.47", "44.39", "30", "180", "2024-01-31", "131"],
        ["14", "Duhok", "Zakho", "IQG09Q04", "Hay D", "حي د", "37.14", "42.68", "40", "240", "2024-01-31", "131"],
        ["15", "Baghdad", "Karkh", "IQG08Q03", "Hay E", "حي ه", "33.31", "44.36", "50", "300", "2024-01-31", "131"],
    ]


def _csv(head, rows, *, title: list[str] | None = None, encoding="utf-8") -> bytes:
    import csv

    sio = io.StringIO()
    w = csv.writer(sio, lineterminator="\n")
    for t in title or []:
        w.writerow([t])
    w.writerow(head)
    for r in rows:
        w.writerow(r)
    return sio.getvalue().encode(encoding)


def _xlsx(head, rows, *, title_rows: int = 2, sheet="Data") -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for k in range(title_rows):
        ws.append([f"Title line {k + 1}"] if k == 0 else [])
    ws.append(head)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def ml_case(name, row_idx, column, value, level, says="", *, fmt="csv", extra_rows=0, also=None, named=None):
    """A Master List with one cell changed (``row_idx``: 0-based data row); ``also``: other cells
    of the row to change; ``named``: the column the message must name, if not ``column``."""
    rows = _ml_rows()
    rows[row_idx][ML_HEAD.index(column)] = value
    for col, v in (also or {}).items():
        rows[row_idx][ML_HEAD.index(col)] = v
    if fmt == "csv":
        data, first = _csv(ML_HEAD, rows), 2
        fname = "IDP_Master_List_R131.csv"
    else:
        typed = [[_typed(v) for v in r] for r in rows]
        typed[row_idx][ML_HEAD.index(column)] = value
        data, first = _xlsx(ML_HEAD, typed), 4
        fname = "IDP_Master_List_R131.xlsx"
    return Case(name, data, fname, first + row_idx, named or column, level, 5 + extra_rows, says)


def _typed(v):
    try:
        return int(v)
    except ValueError:
        try:
            return float(v)
        except ValueError:
            return v


PR_HEAD = ["Organisation", "Org type", "Sector", "Governorate", "Site", "Start date", "End date"]
PR_ROWS = [["IRC", "INGO", "WASH", "Anbar", "", "2023-01-01", "30/04/2024"],
           ["UNHCR", "UN", "Protection", "Anbar", "", "Jan-2023", "ongoing"],
           ["DRC", "INGO", "Livelihoods", "Anbar", "", "2023-01-01", "2023-10-31"]]


def pr_case(name, row_idx, column, value, says, *, hxl=False, fmt="csv", named=None, level="error"):
    rows = [list(r) for r in PR_ROWS]
    rows[row_idx][PR_HEAD.index(column)] = value
    if hxl:
        rows.insert(0, ["#org+name", "#org+type", "#sector", "#adm1+name", "#loc+name", "#date+start", "#date+end"])
    first = 2 + (1 if hxl else 0)
    if fmt == "xlsx":
        return Case(name, _xlsx(PR_HEAD, rows, title_rows=1), "partners_4w.xlsx", first + 1 + row_idx,
                    named or column, level, 3, says)
    return Case(name, _csv(PR_HEAD, rows), "partners_4w.csv", first + row_idx, named or column, level, 3, says)


FVM_HEAD = ["Indicator", "2020-2021", "2022", "2023 (until 30 April)"]
FVM_ROWS = [["HHs registered at help desks", "4,464", "3,793", "341"],
            ["HHs who have returned", "3,709", "1,000", "45"],
            ["Cash grants distributed", "3,215", "2,000", "80"]]


def fvm_case(name, row_idx, column, value, says, level="error"):
    rows = [list(r) for r in FVM_ROWS]
    rows[row_idx][FVM_HEAD.index(column)] = value
    return Case(name, _csv(FVM_HEAD, rows), "fvm.csv", 2 + row_idx, column, level, 3, says)


MV_HEAD = ["Origin governorate", "Origin", "Destination governorate", "Destination", "Households", "Individuals",
           "Date"]
MV_ROWS = [["Ninewa", "Camp A", "Ninewa", "Sinjar", "85", "543", "2020-06-14"],
           ["Duhok", "Camp B", "Ninewa", "Baaj", "10", "60", "2020-06-14"]]


def mv_case(name, row_idx, column, value, says, level="error"):
    rows = [list(r) for r in MV_ROWS]
    rows[row_idx][MV_HEAD.index(column)] = value
    return Case(name, _csv(MV_HEAD, rows), "movements.csv", 2 + row_idx, column, level, 2, says)


def _feature(code="IQG01Q01", geom=None, **props):
    g = geom if geom is not None else {"type": "Polygon", "coordinates": [[[43, 33], [44, 33], [44, 34], [43, 34],
                                                                           [43, 33]]]}
    p = {"ADM2_PCODE": code, "ADM2_EN": f"District {code}", "ADM1_PCODE": code[:5] if code else None, **props}
    return {"type": "Feature", "properties": p, "geometry": g}


def geo_case(name, k, feature, column, says):
    feats = [_feature(f"IQG01Q0{i + 1}") for i in range(4)]
    feats[k] = feature
    data = json.dumps({"type": "FeatureCollection", "features": feats}).encode()
    return Case(name, data, "districts.geojson", k + 1, column, "error", 4, says)


def shp_case(name, k, change, column, says):
    gdf = districts(5)
    change(gdf, k)
    return Case(name, zipped_shapefile(gdf), "districts_shp.zip", k + 1, column, "error", 5, says)


def _set(col, value):
    def f(gdf, k):
        gdf.loc[k, col] = value
    return f


def _null_geom(gdf, k):
    gdf.loc[k, "geometry"] = None


def _empty_polygon(gdf, k):
    from shapely.geometry import Polygon

    gdf.loc[k, "geometry"] = Polygon()


CASES = [
    # ---- Master List CSV (errors: the row is rejected)
    ml_case("families not a number", 1, "Families", "abc", "error", "not a number"),
    ml_case("families with a word", 2, "Families", "12 households", "error", "not a number"),
    ml_case("negative families", 0, "Families", "-5", "error", "negative"),
    ml_case("fractional families", 3, "Families", "3.5", "error", "whole number"),
    ml_case("overflowing individuals", 4, "Individuals", "1e999", "error", "number"),
    ml_case("unknown governorate", 1, "Governorate", "Atlantis", "error", "not a governorate"),
    ml_case("misspelt governorate", 2, "Governorate", "Ninewah", "error", "Ninewa"),
    # (nothing else on the row says it: its district and coordinates are empty too; test_governorate_from_coordinates)
    ml_case("empty governorate", 2, "Governorate", "", "error", "empty",
            also={"District pcode": "", "District": "", "Latitude": "", "Longitude": ""}),
    ml_case("empty governorate, its district named", 2, "Governorate", "", "warning", "governorate of its district",
            also={"District pcode": ""}),
    ml_case("empty location name", 3, "Location Name", "", "error", "empty"),
    ml_case("empty place id", 0, "Place ID", "", "error", "empty"),
    ml_case("duplicate place id", 4, "Place ID", "11", "error", "duplicate (Place ID 11)"),
    ml_case("arabic digits with a letter", 4, "Families", "١٢x", "error", "not a number"),
    # ---- Master List CSV (warnings: a cell outside the location's identity and counts fails; the row is kept)
    ml_case("latitude a word", 1, "Latitude", "north", "warning", "not a number"),
    ml_case("latitude above 90", 2, "Latitude", "95", "warning", "maximum"),
    ml_case("longitude two commas", 3, "Longitude", "44,5,6", "warning", "not a number"),
    ml_case("bad date", 0, "Date", "31/02/2024", "warning", "not a valid date"),
    ml_case("date a word", 1, "Date", "soon", "warning", "not a date"),
    ml_case("round a word", 2, "Round", "abc", "warning", "not a number"),
    ml_case("round zero", 3, "Round", "0", "warning", "minimum"),
    ml_case("ambiguous thousands dot", 1, "Families", "1.200", "warning", "1.200"),
    ml_case("individuals fewer than households", 2, "Individuals", "10", "warning", "fewer"),
    ml_case("individuals not households x 6", 3, "Individuals", "250", "warning", "× 6"),
    ml_case("lat/lon swapped", 0, "Latitude", "43.30", "warning", "swapped", also={"Longitude": "33.42"},
            named="Latitude/Longitude"),
    ml_case("outside Iraq", 1, "Longitude", "2.35", "warning", "outside Iraq", named="Latitude/Longitude"),
    ml_case("district p-code garbage", 4, "District pcode", "XYZ", "warning", "p-code"),
    # ---- Master List XLSX (title rows above the header: row numbers shift)
    ml_case("xlsx families a word", 1, "Families", "abc", "error", "not a number", fmt="xlsx"),
    ml_case("xlsx formula error", 2, "Families", "#VALUE!", "error", "not a number", fmt="xlsx"),
    ml_case("xlsx boolean", 3, "Individuals", True, "error", "not a number", fmt="xlsx"),
    ml_case("xlsx negative", 0, "Individuals", -6, "error", "negative", fmt="xlsx"),
    ml_case("xlsx unknown governorate", 4, "Governorate", "Narnia", "error", "not a governorate", fmt="xlsx"),
    ml_case("xlsx bad date", 2, "Date", "2024-13-01", "warning", "date", fmt="xlsx"),
    ml_case("xlsx latitude text", 1, "Latitude", "33,4N", "warning", "not a number", fmt="xlsx"),
    # ---- presence
    pr_case("unknown service", 1, "Sector", "Astrology", "not a service"),
    pr_case("misspelt service", 0, "Sector", "Helth", "health"),
    pr_case("bad end date", 2, "End date", "soon", "not a date", level="warning"),
    pr_case("start after end", 2, "End date", "2022-01-01", "after it ends", level="warning"),
    pr_case("impossible start date", 0, "Start date", "31/02/2024", "not a valid date", level="warning"),
    pr_case("unknown governorate (presence)", 1, "Governorate", "Gotham", "not a governorate"),
    pr_case("no place", 0, "Governorate", "", "no place", named="Site / Governorate"),
    pr_case("empty partner with hxl row", 1, "Organisation", "", "empty", hxl=True),
    pr_case("xlsx presence bad date", 1, "Start date", "someday", "not a date", fmt="xlsx", level="warning"),
    # ---- FVM and movements
    # (a bad cell in a wide FVM table costs that figure only: a warning, the row's other figures kept)
    fvm_case("fvm value a word", 1, "2022", "many", "not a number", level="warning"),
    fvm_case("fvm negative value", 2, "2020-2021", "-3", "negative", level="warning"),
    fvm_case("fvm unknown indicator", 0, "Indicator", "Number of goats", "not an FVM indicator"),
    mv_case("movement unknown governorate", 1, "Destination governorate", "Mordor", "not a governorate"),
    mv_case("movement households a word", 0, "Households", "lots", "not a number"),
    mv_case("movement bad date", 1, "Date", "32/01/2020", "date", level="warning"),
    # ---- GeoJSON (feature numbers)
    geo_case("null geometry", 1, _feature("IQG01Q02", geom=None) | {"geometry": None}, "geometry", "empty"),
    geo_case("point geometry", 2, _feature("IQG01Q03", geom={"type": "Point", "coordinates": [44, 33]}), "geometry",
             "not an area"),
    geo_case("malformed coordinates", 0, _feature("IQG01Q01", geom={"type": "Polygon", "coordinates": [[1, 2]]}),
             "geometry", "malformed"),
    geo_case("unknown geometry type", 3, _feature("IQG01Q04", geom={"type": "Blob", "coordinates": []}), "geometry",
             "malformed"),
    geo_case("empty p-code", 1, _feature("IQG01Q02") | {"properties": {"ADM2_PCODE": "", "ADM2_EN": "x"}},
             "ADM2_PCODE", "empty"),
    geo_case("garbage p-code", 2, _feature("ZZ9"), "ADM2_PCODE", "not a COD-AB p-code"),
    geo_case("duplicate p-code", 3, _feature("IQG01Q01"), "ADM2_PCODE", "already on feature 1"),
    geo_case("governorate code in a district layer", 1, _feature("IQG01Q02") | {"properties": {
        "ADM2_PCODE": "IQG01", "ADM1_PCODE": "IQG01"}}, "ADM2_PCODE", "governorate code"),
    geo_case("feature not an object", 2, 5, "geometry", "not an object"),
    # ---- zipped shapefiles (feature numbers)
    shp_case("shapefile null geometry", 2, _null_geom, "geometry", "empty"),
    shp_case("shapefile empty p-code", 1, _set("ADM2_PCODE", None), "ADM2_PCODE", "empty"),
    shp_case("shapefile garbage p-code", 3, _set("ADM2_PCODE", "nonsense"), "ADM2_PCODE", "not a COD-AB"),
    shp_case("shapefile duplicate p-code", 4, _set("ADM2_PCODE", "IQG01Q01"), "ADM2_PCODE", "already on feature 1"),
    shp_case("shapefile empty polygon", 0, _empty_polygon, "geometry", "empty"),
]


def test_corpus_is_large_and_spans_formats():
    assert len(CASES) >= 40
    kinds = {c.filename.rsplit(".", 1)[1] for c in CASES}
    assert kinds == {"csv", "xlsx", "geojson", "zip"}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corpus_case(case):
    res = import_file(case.data, case.filename)
    reps = res.reports
    for r in reps:
        assert r.rows_in == r.rows_accepted + r.rows_rejected
    rep = res.report
    assert rep.rows_in == case.rows_in, (rep.rows_in, rep.problems)  # nothing silently dropped
    problems = [p for r in reps for p in r.problems]
    assert not any("could not be imported" in p.reason or "Traceback" in p.reason for p in problems), problems
    hits = [p for p in problems if p.row == case.row and p.column == case.column and p.level == case.level]
    assert hits, f"no {case.level} at row {case.row}, column {case.column!r}: {[str(p) for p in problems]}"
    assert any(case.says in p.reason for p in hits), [p.reason for p in hits]
    text = str(hits[0])
    assert case.filename in text and f"row {case.row}" in text and case.column in text
    if case.filename.endswith((".geojson", ".zip")):
        assert f"feature {case.row}" in hits[0].reason
    if case.level == "error":
        assert rep.rows_rejected >= 1 and rep.rows_accepted == case.rows_in - rep.rows_rejected
    else:
        assert rep.rows_rejected == 0 and rep.rows_accepted == case.rows_in

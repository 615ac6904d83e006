"""The registry of importer kinds, and sub-district scores read through the shared readers."""

import subprocess
import sys

from dsdash.importers import import_file, reports_frame
from dsdash.importers.kinds import KINDS, detect, file_kind, label
from dsdash.importers.readers import MAX_BYTES, read_csv_bytes
from dsdash.importers.subdistricts import read_subdistrict_file
from tests.conftest import ROOT
from tests.dtm_fixtures import xlsx_bomb, xlsx_bytes, xlsx_with_entities

SUBDISTRICT_ROWS = [
    ["Governorate", "Sub-district", "Livelihoods and basic services", "Safety and social cohesion", "Returnees"],
    ["نينوى", "مركز سنجار", "High", "Low", 45_000],
    ["الأنبار", "مركز هيت", "Medium", "Medium", 60_000],
    ["الأنبار", "الفرات", "medium severity", "low", 59_999],
]


def test_the_registry_lists_every_kind_once():
    names = [k.name for k in KINDS]
    assert sorted(names) == sorted(["table", "dtm_master_list", "presence", "fvm", "movements", "boundaries",
                                    "subdistrict_severity"])
    assert len(set(names)) == len(names) and len({k.label for k in KINDS}) == len(KINDS)
    for k in KINDS:
        assert (k.import_sheet is None) != (k.read_file is None), k.name  # one reader each
        assert k.headers or k.find_first, k.name  # each is recognised by something
        assert all(f in k.headers for group in k.needs for f in group), k.name
    # the labels users saw before the registry
    assert [label(n) for n in ("dtm_master_list", "presence", "fvm", "movements", "boundaries", "unknown")] == [
        "DTM Master List", "partner presence (3W/4W/5W)", "FVM statistics", "movements", "boundaries (COD-AB)",
        "not recognised"]
    assert file_kind("geojson").name == file_kind("zip").name == file_kind("gpkg").name == "boundaries"
    assert file_kind("csv") is None and file_kind("xlsx") is None


def test_detection_reads_the_registry():
    def kind(text):
        hit = detect(read_csv_bytes(text.encode()).frame)
        return hit and hit[0].name

    assert kind("Place ID,Location name,Families\n1,A,3\n") == "dtm_master_list"
    assert kind("Partner,Sector,Governorate\nIRC,Health,Anbar\n") == "presence"
    assert kind("origin_name,destination_name,source\nA,B,C\n") == "table"  # our own columns: before synonyms
    assert kind("Indicator,2022,2023\nHHs registered at help desks,10,20\nHHs who have returned,5,6\n") == "fvm"
    assert kind("Sub-district,Livelihoods,Safety,Returnees\nA,high,low,1\n") is None  # not an upload kind
    rep = import_file(b"foo,bar\n1,2\n", "x.csv").report
    assert reports_frame([rep])["kind"].tolist() == ["not recognised"]


def test_importers_do_not_load_the_hotspot_rule():
    code = "import sys, dsdash.importers; assert 'dsdash.trends.hotspots' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, env={"PYTHONPATH": str(ROOT), "PATH": ""})


def test_subdistrict_windows_1256_csv():
    text = "\n".join(",".join(str(v) for v in r) for r in SUBDISTRICT_ROWS) + "\n"
    df, rep = read_subdistrict_file(text.encode("cp1256"), "scores.csv")
    assert rep.encoding == "windows-1256" and (rep.rows_in, rep.rows_accepted) == (3, 3), rep.problems
    assert df["admin3_name"].tolist() == ["مركز سنجار", "مركز هيت", "الفرات"]
    assert df["admin1_name"].tolist() == ["نينوى", "الأنبار", "الأنبار"]
    assert df["livelihoods_severity"].tolist() == ["high", "medium", "medium"]


def test_subdistrict_utf16_csv_with_a_blank_line_above_the_header():
    text = "\n" + "\n".join("\t".join(str(v) for v in r) for r in SUBDISTRICT_ROWS) + "\n"
    df, rep = read_subdistrict_file(text.encode("utf-16"), "scores.txt")
    assert rep.encoding == "utf-16" and rep.rows_accepted == 3, rep.problems
    assert int(df["returnees"].sum()) == 164_999


def test_subdistrict_xlsx():
    rows = SUBDISTRICT_ROWS + [["Diyala", "Jalula", "purple", "low", 1000]]
    df, rep = read_subdistrict_file(xlsx_bytes({"Scores": rows}), "scores.xlsx")
    assert (rep.rows_in, rep.rows_accepted, rep.rows_rejected) == (4, 3, 1)
    err = rep.errors[0]
    assert (err.row, err.column, err.sheet) == (5, "livelihoods_severity", "Scores") and "purple" in err.reason
    assert df["returnees"].tolist() == [45_000, 60_000, 59_999]


def test_subdistrict_xlsx_bomb_is_refused_before_parsing():
    df, rep = read_subdistrict_file(xlsx_bomb(xlsx_bytes({"Scores": SUBDISTRICT_ROWS})), "scores.xlsx")
    assert df.empty and rep.rows_in == 0
    assert "cannot read" in rep.errors[0].reason and "decompression bomb" in rep.errors[0].reason


def test_subdistrict_xlsx_with_a_dtd_is_refused():
    df, rep = read_subdistrict_file(xlsx_with_entities(xlsx_bytes({"Scores": SUBDISTRICT_ROWS})), "scores.xlsx")
    assert df.empty and "Entit" in rep.errors[0].reason


def test_subdistrict_file_too_large_or_not_a_table():
    df, rep = read_subdistrict_file(b"a" * (MAX_BYTES + 1), "big.csv")
    assert df.empty and "the limit is" in rep.errors[0].reason
    df, rep = read_subdistrict_file(b'{"type": "FeatureCollection", "features": []}', "areas.geojson")
    assert df.empty and "not a table" in rep.errors[0].reason

"""The registry of importer kinds: one record per kind, read by detection and the reports."""

import subprocess
import sys

from dsdash.importers import import_file, reports_frame
from dsdash.importers.kinds import KINDS, detect, file_kind, label
from dsdash.importers.readers import read_csv_bytes
from tests.support.paths import ROOT


def test_the_registry_lists_every_kind_once():
    names = [k.name for k in KINDS]
    assert sorted(names) == sorted(["table", "dtm_master_list", "presence", "fvm", "movements", "boundaries",
                                    "subdistrict_severity", "catchments"])
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


"""``python -m dsdash gaps --by``: the per-area table of issue 16 on the command line (hand counts:
data/sites.csv, data/population.csv, data/presence.csv; see tests/unit/test_areas.py)."""

import json

from dsdash.__main__ import main
from dsdash.dataset import DATA_DIR


def test_gaps_by_district_and_catchment_add_up(capsys):
    assert main(["gaps", "--data-dir", str(DATA_DIR), "--as-of", "2023-12-10", "--by", "admin2", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)["by_area"]
    assert [(r["area"], r["n_sites"], r["households"], r["individuals"], r["n_partners"]) for r in doc["rows"]] == [
        ("Al-Falluja", 18, 2049, 12294, 10), ("Al-Ramadi", 3, 767, 4602, 8), ("Al-Rutba", 6, 324, 1944, 5),
        ("Al-Kaim", 1, 7, 42, 5)]
    assert sum(r["cells"] for r in doc["rows"]) == 392
    assert main(["gaps", "--data-dir", str(DATA_DIR), "--as-of", "2023-12-10", "--by", "catchment"]) == 0
    out = capsys.readouterr().out
    assert "Per area (catchment; the rows add up to the totals):" in out
    lines = {ln.split()[0]: ln.split() for ln in out.splitlines() if ln.startswith(("East Anbar", "West Anbar"))}
    assert lines["East"][:7] == ["East", "Anbar", "East", "Anbar", "21", "2816", "16896"]
    assert lines["West"][:7] == ["West", "Anbar", "West", "Anbar", "7", "331", "1986"]
    assert main(["gaps", "--data-dir", str(DATA_DIR), "--as-of", "2023-12-10", "--by", "catchment",
                 "--catchment-kind", "jcf", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["by_area"]["rows"]
    assert [(r["area"], r["n_sites"], r["individuals"]) for r in rows] == [("JCF Anbar", 28, 18882)]

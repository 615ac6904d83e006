"""python -m dsdash validate / summary: reports, JSON figures, exit codes 0 / 1 / 2."""

import json
import subprocess
import sys

import pytest

from dsdash.__main__ import main
from tests.support.paths import ROOT
from tests.support.dtm_fixtures import GENERATIONS, locations, master_list


def _write(tmp_path, fx):
    p = tmp_path / fx.filename
    p.write_bytes(fx.data)
    return str(p)


def test_validate_good_file_exits_0_and_prints_the_counts(tmp_path, capsys):
    fx = master_list(locations(150, seed=4), fmt="xlsx", totals_row=True)
    assert main(["validate", _write(tmp_path, fx)]) == 0
    out = capsys.readouterr().out
    assert "DTM Master List" in out and "rows in 150 = accepted 150 + rejected 0" in out
    assert "totals row" in out and f"row {fx.header_row + 151}" in out


def test_validate_rejected_row_exits_1_and_names_row_and_column(tmp_path, capsys):
    p = tmp_path / "idp_2024-01-31.csv"
    p.write_text("Place ID,Governorate,Location Name,Families,Individuals\n1,Anbar,A,10,60\n2,Anbar,B,ten,60\n")
    assert main(["validate", str(p)]) == 1
    out = capsys.readouterr().out
    assert "ERROR: idp_2024-01-31.csv, row 3, column 'Families': 'ten' is not a number" in out


def test_validate_json_and_options(tmp_path, capsys):
    p = tmp_path / "export.csv"
    p.write_text("Place ID,Governorate,Location Name,Families\n1,Anbar,A,10\n")
    assert main(["validate", str(p)]) == 2  # no group, no date: its row readable, both asked for (issue 11)
    cap = capsys.readouterr()
    assert "rows in 1 = accepted 1 + rejected 0" in cap.out and "population group" in cap.out
    assert "--group" in cap.err and "--date" in cap.err
    assert main(["validate", "--json", "--group", "returnee", "--date", "2024-02-29", "--round", "132", str(p)]) == 0
    rep = json.loads(capsys.readouterr().out)[0]
    assert (rep["kind"], rep["rows_in"], rep["rows_accepted"]) == ("dtm_master_list", 1, 1)


def test_misuse_exits_2(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "missing.csv")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["validate"]) == 2
    assert main(["summary", "--date", "not-a-date", str(tmp_path)]) == 2


def test_summary_json_per_file_and_governorate(tmp_path, capsys):
    lo = locations(300, seed=8)
    fx = master_list(lo, fmt="csv", encoding="cp1256", gen="2019")
    ret = master_list(locations(40, seed=2, group="returnee", start_id=700001), gen="returnee", group="returnee",
                      fmt="xlsx")
    assert main(["summary", "--json", _write(tmp_path, fx), _write(tmp_path, ret)]) == 0
    out = json.loads(capsys.readouterr().out)
    s, r = out["files"]
    assert (s["kind"], s["rows_in"], s["rows_accepted"], s["rows_rejected"]) == ("dtm_master_list", 300, 300, 0)
    assert (s["locations"], s["households"], s["individuals"]) == (300, fx.households, fx.individuals)
    gov = {g["admin1_code"]: g for g in s["by_governorate"]}
    assert len(gov) == 18 and gov["IQG09"]["admin1_name"] == "Duhok" and gov["IQG07"]["admin1_name"] == "Babil"
    for code, (n, hh, ind) in fx.by_governorate.items():
        assert (gov[code]["locations"], gov[code]["households"], gov[code]["individuals"]) == (n, hh, ind)
    assert sum(g["individuals"] for g in s["by_governorate"]) == s["individuals"]
    assert (r["rows_accepted"], r["households"]) == (40, ret.households)


def test_summary_of_boundaries_and_presence(tmp_path, capsys, boundaries_dir):
    p = tmp_path / "4w.csv"
    p.write_text("Partner,Sector,Governorate\nIRC,WASH,Anbar\nNRC,ICLA,Ninewa\n")
    assert main(["summary", "--json", str(p), str(boundaries_dir / "irq_admbnda_adm1_cso_20190603.geojson")]) == 0
    pres, bnd = json.loads(capsys.readouterr().out)["files"]
    assert (pres["kind"], pres["rows_accepted"], pres["locations"]) == ("presence", 2, 2)
    assert (bnd["kind"], bnd["rows_accepted"], bnd["locations"]) == ("boundaries", 18, 18)


def test_runs_as_a_module(tmp_path):
    p = tmp_path / "idp_2024-01-31.csv"
    p.write_text("Place ID,Governorate,Location Name,Families,Individuals\n1,Anbar,A,10,60\n")
    out = subprocess.run([sys.executable, "-m", "dsdash", "summary", str(p)], cwd=tmp_path, capture_output=True,
                         text=True, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert out.returncode == 0 and "IQG01 Al-Anbar" in out.stdout and "individuals 60" in out.stdout


@pytest.mark.parametrize("gen", list(GENERATIONS))
def test_a_master_list_without_its_date_asks_for_date_then_loads(tmp_path, capsys, gen):
    group = "returnee" if gen == "returnee" else "idp"
    fx = master_list(locations(80, seed=5, group=group), gen=gen, group=group, fmt="csv", title_rows=False,
                     filename=f"{group}_master_list_export.csv", extra_columns={"date": "n.d. 30th"})
    path = _write(tmp_path, fx)
    assert main(["validate", path]) == 2  # the file needs an option: --date
    cap = capsys.readouterr()
    assert "rows in 80 = accepted 80 + rejected 0" in cap.out
    assert "QUESTION: " in cap.out and "80 rows readable; the reference date is needed" in cap.out
    assert f"{fx.filename}: the reference date is needed: give it with --date" in cap.err
    # one line for the unreadable column, not 80
    assert cap.out.count("column 'date'") == 1 and "80 of 80 values not read, e.g. 'n.d. 30th'" in cap.out
    # summary still counts, and asks too
    assert main(["summary", "--json", path]) == 2
    cap = capsys.readouterr()
    (s,) = json.loads(cap.out)["files"]
    assert (s["rows_accepted"], s["households"], s["individuals"]) == (80, fx.households, fx.individuals)
    assert "--date" in cap.err
    # with the date: it loads
    assert main(["validate", "--date", "2019-04-30", path]) == 0
    cap = capsys.readouterr()
    assert "dated 30 Apr 2019" in cap.out and "QUESTION" not in cap.out and not cap.err
    assert main(["validate", "--json", "--date", "2019-04-30", path]) == 0
    (rep,) = json.loads(capsys.readouterr().out)
    assert rep["usable"] and [p["column"] for p in rep["problems"]] == ["date"] and rep["problems"][0]["count"] == 80


def test_validate_prints_repeated_problems_grouped(tmp_path, capsys):
    rows = "".join(f"{k},Anbar,L{k},{'ten' if k % 3 == 0 else 1},6,{'north' if k % 4 == 0 else 33.1}\n"
                   for k in range(1, 301))
    p = tmp_path / "idp_2024-01-31.csv"
    p.write_text("Place ID,Governorate,Location Name,Families,Individuals,Latitude\n" + rows)
    assert main(["validate", str(p)]) == 1
    out = capsys.readouterr().out
    assert "rows in 300 = accepted 200 + rejected 100; 100 errors, 75 warnings" in out
    lines = [x for x in out.splitlines() if x.startswith("  ERROR") or x.startswith("  WARNING")]
    assert len(lines) == 2
    assert "rows 4, 7, 10, 13, 16 … (100 in all), column 'Families': e.g. 'ten' is not a number" in lines[0]
    assert "(75 in all), column 'Latitude'" in lines[1]


def test_summary_prints_the_current_picture_of_the_files_together(tmp_path, capsys):
    """Two Master List rounds: each file's own totals, then the latest round (closed sites not
    counted) and the change since the previous round, as the Overview shows them."""
    from tests.support.dtm_fixtures import two_rounds

    r1, r2 = two_rounds()
    assert main(["summary", _write(tmp_path, r1), _write(tmp_path, r2)]) == 0
    out = capsys.readouterr().out
    assert "locations 6, households 155, individuals 930" in out and "locations 6, households 92, individuals 552" in out
    assert ("Current picture (latest round of each group, as of 28 Feb 2021, DTM round 120): sites 6, households 92, "
            "individuals 552 (-378 since round 119, 31 Dec 2020)") in out
    assert "  2 closed sites not counted" in out and "opened 2, closed 2" in out

"""A user's catchments table (dsdash/importers/catchments.py, issue 16): validated like every import
(rows in = accepted + rejected, each rejection with its reason), names from data kept as data, and
once published it replaces the bundled data/catchments.csv everywhere."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from dsdash.catchments import BUNDLED_LABEL, catchments_of, table_in_use_text
from dsdash.dataset import load_embedded
from dsdash.filters import Filters, filter_sites
from dsdash.importers import build_dataset, import_file
from dsdash.store import open_store

ROOT = Path(__file__).resolve().parents[3]

USER_TABLE = (
    "Catchment,Kind,District p-codes,Assumed,Reasoning,Source\n"
    "East Anbar,ABC,IQG01Q01; IQG01Q03,no,,DSTWG 9 Dec 2020\n"         # row 2: accepted, 2 districts
    "West Anbar,abc,\"IQG01Q02, IQG01Q04, Haditha\",yes,,Field team\n"  # row 3: accepted; a name resolved; warning
    "Nowhere,abc,IQG01Q99,no,,x\n"                                      # row 4: unknown p-code
    "Overlap,abc,IQG01Q03,no,,y\n"                                      # row 5: Ramadi already East Anbar's
    ",abc,IQG01Q05,no,,z\n"                                             # row 6: no name
    "Bad kind,cluster,IQG01Q05,no,,z\n"                                 # row 7: kind unknown
    "\"=HYPERLINK(\"\"http://x\"\")<b>JCF</b>\",jcf,IQG01Q01 IQG01Q03,no,,w\n"  # row 8: accepted, name kept as text
).encode()


def test_rows_in_equal_accepted_plus_rejected_each_rejection_with_its_reason():
    res = import_file(USER_TABLE, "my_catchments.csv")
    rep = res.report
    assert res.kind == "catchments"
    assert (rep.rows_in, rep.rows_accepted, rep.rows_rejected) == (7, 3, 4)
    errors = {p.row: p.reason for p in rep.errors}
    assert set(errors) == {4, 5, 6, 7}
    assert errors[4].startswith("district p-code 'IQG01Q99' is not one of the 101 COD-AB districts (districts of "
                                "IQG01: IQG01Q01")
    assert errors[5] == ("district IQG01Q03 (Al-Ramadi) is already in catchment 'East Anbar' (row 2) of the same "
                         "kind; catchments of one kind do not overlap")
    assert errors[6] == "the catchment has no name"
    assert errors[7] == "kind 'cluster' is not one of abc, local, jcf"
    assert [(p.row, p.reason) for p in rep.warnings] == [(3, "an assumed row without its reasoning")]
    t = res.tables["catchments"]
    assert t[["catchment", "admin2_code", "admin2_name", "basis"]].values.tolist() == [
        ["East Anbar", "IQG01Q01", "Al-Falluja", "stated"], ["East Anbar", "IQG01Q03", "Al-Ramadi", "stated"],
        ["West Anbar", "IQG01Q02", "Al-Kaim", "assumed"], ["West Anbar", "IQG01Q04", "Al-Rutba", "assumed"],
        ["West Anbar", "IQG01Q06", "Haditha", "assumed"],
        ['=HYPERLINK("http://x")<b>JCF</b>', "IQG01Q01", "Al-Falluja", "stated"],
        ['=HYPERLINK("http://x")<b>JCF</b>', "IQG01Q03", "Al-Ramadi", "stated"]]
    assert set(t["file"]) == {"my_catchments.csv"} and set(t["admin1_code"]) == {"IQG01"}


def test_the_bundled_table_reads_back_whole_and_other_kinds_are_not_taken_for_catchments():
    res = import_file((ROOT / "data" / "catchments.csv").read_bytes(), "catchments.csv")
    assert res.kind == "catchments" and (res.report.rows_in, res.report.rows_accepted) == (53, 53)
    assert not res.report.problems
    assert import_file((ROOT / "data" / "sites.csv").read_bytes(), "sites.csv").kind == "table:sites"
    assert import_file((ROOT / "data" / "presence.csv").read_bytes(), "presence.csv").kind == "table:presence"


def test_a_users_table_replaces_the_bundled_one_and_the_filter_follows_it():
    ds0 = load_embedded()
    assert (catchments_of(ds0)["file"] == BUNDLED_LABEL).all()
    assert table_in_use_text(catchments_of(ds0)).startswith("Catchments: the table bundled with dsdash (DSTWG and RWG documents), "
                                                            "14 catchments over 33 districts, 48 of 53 rows assumed")
    ds = build_dataset([import_file(USER_TABLE, "my_catchments.csv")])
    t = catchments_of(ds)
    assert sorted(t["catchment"].unique()) == ['=HYPERLINK("http://x")<b>JCF</b>', "East Anbar", "West Anbar"]
    assert table_in_use_text(t) == ("Catchments: your table my_catchments.csv (it replaces the bundled one), "
                                    "3 catchments over 5 districts, 3 of 7 rows assumed, 3 source(s).")
    from dsdash.catchments import use

    use(t)
    try:  # West Anbar is now Kaim + Rutba + Haditha: the 7 seed sites of Kaim and Rutba
        assert len(filter_sites(ds.sites, Filters(catchment=("West Anbar",)))) == 7
    finally:
        use(None)


def test_published_catchments_replace_the_bundled_ones_in_the_workspace(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'w.sqlite'}")
    try:
        assert (catchments_of(store.published_dataset())["file"] == BUNDLED_LABEL).all()
        res = import_file(USER_TABLE, "my_catchments.csv")
        store.add(res, USER_TABLE, file_name="my_catchments.csv", who="test", publish=True)
        t = catchments_of(store.published_dataset())
        assert len(t) == 7 and set(t["file"]) == {"my_catchments.csv"}
    finally:
        store.close()


def test_the_command_line_takes_a_catchments_file(tmp_path):
    f = tmp_path / "mine.csv"
    f.write_bytes(USER_TABLE)
    run = subprocess.run([sys.executable, "-m", "dsdash", "gaps", "--data-dir", str(ROOT / "data"), "--catchments",
                          str(f), "--catchment", "West Anbar", "--as-of", "2023-12-10"], capture_output=True,
                         text=True, cwd=ROOT)
    assert run.returncode == 1, run.stderr  # rows were rejected: said, and the accepted ones used
    assert run.stdout.startswith("Coverage on 2023-12-10 (horizon 90 days): 7 sites × 14 services = 98 cells")
    assert "mine.csv, row 4, column 'District p-codes': district p-code 'IQG01Q99'" in run.stderr
    clean = tmp_path / "clean.csv"
    clean.write_bytes(b"Catchment,District p-codes,Source\nRamadi only,IQG01Q03,me\n")
    ok = subprocess.run([sys.executable, "-m", "dsdash", "gaps", "--data-dir", str(ROOT / "data"), "--catchments",
                         str(clean), "--catchment", "Ramadi only", "--as-of", "2023-12-10"], capture_output=True,
                        text=True, cwd=ROOT)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("Coverage on 2023-12-10 (horizon 90 days): 3 sites × 14 services = 42 cells")
    bad = subprocess.run([sys.executable, "-m", "dsdash", "gaps", "--data-dir", str(ROOT / "data"), "--catchments",
                          str(ROOT / "data" / "sites.csv")], capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2 and "not a catchments table" in bad.stderr


@pytest.mark.parametrize("text,codes", [
    (b"Catchment,Districts,Source\nA,Al-Falluja / Ramadi,s\n", ["IQG01Q01", "IQG01Q03"]),
    (b"catchment,admin2_code,source\nA,IQG01Q01,s\nA,IQG01Q03,s\n", ["IQG01Q01", "IQG01Q03"]),
])
def test_both_layouts_and_district_names(text, codes):
    res = import_file(text, "c.csv")
    assert res.kind == "catchments" and res.report.rows_accepted == res.report.rows_in
    assert res.tables["catchments"]["admin2_code"].tolist() == codes
    assert dt.date  # noqa: B018


def test_the_newest_catchments_table_replaces_the_one_before_and_says_so():
    from dsdash.compose import EMBEDDED, Part, compose, superseded_by

    seed = load_embedded()
    first = import_file(b"Catchment,District p-codes,Source\nA,IQG01Q01,s1\n", "first.csv")
    second = import_file(b"Catchment,District p-codes,Source\nB,IQG01Q03,s2\n", "second.csv")
    parts = [Part(EMBEDDED, dict(seed.tables), label="seed"),
             Part(first.kind, first.tables, first.reports, label="first.csv"),
             Part(second.kind, second.tables, second.reports, label="second.csv")]
    t = catchments_of(compose(parts))
    assert t[["catchment", "admin2_code", "file"]].values.tolist() == [["B", "IQG01Q03", "second.csv"]]
    assert superseded_by(parts) == {1: 2}  # the first table is superseded by the second, not deleted

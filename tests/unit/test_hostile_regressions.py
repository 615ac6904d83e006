"""Regression tests for the defects the outside audit of hostile files found (issue 14), beyond the
generated corpus (tests/unit/importers/test_hostile.py): exports, URL filters, extreme dates, the
size cap, per-session upload results, the sub-district scores through the readers."""

from __future__ import annotations

import io
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

from dsdash.dataset import load_embedded
from dsdash.export import neutralise_cell, neutralise_frame, to_csv_bytes, to_xlsx_bytes
from dsdash.filters import Filters
from dsdash.importers.readers import MAX_BYTES, ReadError, read_path, size_problem
from dsdash.view import View, date_bounds
from tests.support.paths import ROOT


@pytest.mark.parametrize("text", ["\u200b=HYPERLINK(\"http://x\")", "\ufeff=1+1", "\uff1d1+1", " =1+1", "\n=1+1",
                                  "\u2060@SUM(A1)", "\uff0b1", "\t=1"])
def test_formulas_behind_invisible_or_fullwidth_characters_are_neutralised(text):
    assert neutralise_cell(text) == "'" + text
    col = pd.Series([text, "Bzebiz - sector 1", None], dtype="str")
    out = neutralise_frame(pd.DataFrame({"name": col}))["name"].tolist()
    assert out[0] == "'" + text and out[1] == "Bzebiz - sector 1"
    assert to_csv_bytes(pd.DataFrame({"name": [text]})).decode("utf-8-sig").splitlines()[1].lstrip('"').startswith("'")


def test_text_that_only_contains_a_sign_is_left_alone():
    assert neutralise_cell("a = b") == "a = b" and neutralise_cell("Hay 2") == "Hay 2"


def test_to_xlsx_bytes_writes_a_missing_value_of_a_text_column_as_an_empty_cell():
    df = pd.DataFrame({"name": pd.Series(["Kilo 7", None, "=x"], dtype="str"), "n": [1, 2, 3]})
    ws = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(df))).active
    assert [c.value for c in ws["A"]] == ["name", "Kilo 7", None, "'=x"]


def test_a_duplicated_filter_in_the_url_is_read_once():
    v = View.from_query({"services": "water,water,health", "admin1": ["IQG01", "IQG01"]})
    assert v.filters == Filters(services=("water", "health"), admin1=("IQG01",))


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_extreme_partner_dates_do_not_stretch_or_break_the_date_range(day):
    import numpy as np

    ds = load_embedded()
    presence = ds.presence.copy()
    presence.loc[presence.index[0], "end_date"] = np.datetime64(day, "s")  # datetime64[s] holds both
    lo, hi = date_bounds(ds.with_tables(presence=presence))
    assert (lo, hi) == date_bounds(ds)  # "open-ended" 9999-12-31 or 0001-01-01 say nothing about the range


def test_fifty_mb_means_fifty_million_bytes_and_the_size_is_checked_before_reading(tmp_path):
    assert MAX_BYTES == 50_000_000
    assert size_problem(50_000_001) == "the file is 50.0 MB; the limit is 50 MB" and size_problem(MAX_BYTES) is None
    big = tmp_path / "big.csv"
    with open(big, "wb") as fh:  # a sparse 210 MB file: nothing to read if the size is checked first
        fh.truncate(210_000_000)
    with pytest.raises(ReadError, match="210.0 MB; the limit is 50 MB"):
        read_path(big)
    for cmd in (["validate"], ["hotspots"]):
        out = subprocess.run([sys.executable, "-m", "dsdash", *cmd, str(big)], capture_output=True, text=True,
                             cwd=ROOT, env={**__import__("os").environ, "DSDASH_HOME": str(tmp_path)}, timeout=120)
        assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr
        assert "the file is 210.0 MB; the limit is 50 MB" in out.stdout + out.stderr


def test_the_sub_district_scores_go_through_the_readers_checks_in_the_worker():
    from dsdash.importers.worker import read_subdistricts
    from tests.support.hostile import HEAD, sheet_xml, xlsx

    ok, rep = read_subdistricts(b"Sub-district,Scale 1,Scale 2,Returnees\nSinjar,High,Low,100\n", "s.csv")
    assert rep.rows_accepted == 1 and ok["admin3_name"].tolist() == ["Sinjar"]
    bomb = xlsx([("S", sheet_xml([HEAD])[:-len(b"</sheetData></worksheet>")]
                  + b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>')])
    df, rep = read_subdistricts(bomb, "scores.xlsx")
    assert len(df) == 0 and rep.rows_in == 0 and "refused" in rep.problems[0].reason


def test_upload_results_are_kept_per_session_not_in_a_shared_cache():
    src = (ROOT / "pages" / "upload.py").read_text()
    assert "st.cache_data" not in src and "st.cache_resource" not in src
    assert "session_state" in src and "import_files" in src  # the worker, results in the session

"""The hostile corpus (tests/support/hostile.py) through ``python -m dsdash validate``, one child process
per case, its wall time and peak memory measured (``os.wait4``: the command and its worker process).

Every case: exit 0/1/2 as expected, no traceback, rows in = accepted + rejected for every report,
rows in = the data rows written unless the file is refused whole (then one error naming the file),
a message naming the file (and the row and column where the case has one), within the limits.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.hostile import write_corpus
from tests.support.paths import ROOT

#: The worker's limits in this test, and what a case may take on top (the command's own start).
SECONDS, MEMORY_MB = 60, 1536
MAX_WALL = SECONDS + 45
MAX_PEAK_MB = MEMORY_MB + 600

@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    return folder, {c.name: c for c in write_corpus(folder)}


_NAMES = ["xlsx_bomb_padded", "xlsx_sparse_xfd", "xlsx_declared_dimension", "xlsx_many_sheets", "xlsx_200k_rows",
          "xlsx_hidden_sheet", "xlsx_formula_no_value", "gpkg_recursive_view", "geojson_deep", "csv_giant_cell",
          "csv_long_name", "csv_total_mid", "csv_overflow", "csv_mixed_encoding", "csv_pcode_mismatch"]


def run_measured(args: list[str], env: dict, folder: Path) -> tuple[int, str, str, float, float]:
    """``(exit code, stdout, stderr, seconds, peak resident MB of the process and its worker)``: the
    child's own rusage from ``os.wait4`` (its peak covers the children it reaped)."""
    t = time.monotonic()
    with open(folder / "out", "wb") as fo, open(folder / "err", "wb") as fe:
        p = subprocess.Popen(args, stdout=fo, stderr=fe, env=env, cwd=ROOT)
        _pid, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - t
    return (p.returncode, (folder / "out").read_text("utf-8", "replace"), (folder / "err").read_text("utf-8", "replace"),
            seconds, usage.ru_maxrss / 1024)


@pytest.mark.parametrize("name", _NAMES)
def test_hostile_case(corpus, name, tmp_path):
    folder, cases = corpus
    case = cases[name]
    env = {**os.environ, "DSDASH_HOME": str(tmp_path), "DSDASH_IMPORT_SECONDS": str(SECONDS),
           "DSDASH_IMPORT_MEMORY_MB": str(MEMORY_MB)}
    code, out, err, seconds, peak_mb = run_measured(
        [sys.executable, "-m", "dsdash", "validate", "--json", str(folder / case.filename)], env, tmp_path)
    assert "Traceback" not in err and "Traceback" not in out, err[-2000:]
    assert code in case.exits, (code, out[:2000], err[-1000:])
    assert seconds < MAX_WALL, seconds
    assert peak_mb < MAX_PEAK_MB, peak_mb
    reports = json.loads(out)
    assert reports
    for r in reports:
        assert r["rows_in"] == r["rows_accepted"] + r["rows_rejected"], r
        assert "internal error" not in " ".join(r["notes"]).lower()
        assert not any("please report this file" in p["reason"] for p in r["problems"]), r["problems"]
    problems = [p for r in reports for p in r["problems"]]
    words = " ".join([p["reason"] for p in problems] + [n for r in reports for n in r["notes"]]).lower()
    if case.refused:
        assert sum(r["rows_in"] for r in reports) == 0
        assert any(p["level"] == "error" and p["file"] == case.filename for p in problems), problems
    else:
        assert sum(r["rows_in"] for r in reports) == case.rows_written, reports  # nothing dropped unseen
    if case.says:
        assert case.says.lower() in words, words[:2000]
    if case.row is not None:
        assert any(p["file"] == case.filename and case.row in (p["rows"] or [p["row"]]) and p["column"] == case.column
                   for p in problems), problems


def test_worker_limits_refuse_with_a_clear_message(corpus):
    """The limits themselves: a tiny memory limit and a tiny time limit each refuse the big workbook, with
    the limit in the message, and the worker that hit them is replaced for the next file."""
    from dsdash.importers.worker import Limits, import_files

    folder, cases = corpus
    big = (folder / cases["xlsx_200k_rows"].filename).read_bytes()
    small = (folder / cases["csv_total_mid"].filename).read_bytes()
    slow, ok = import_files([(big, "big.xlsx"), (small, cases["csv_total_mid"].filename)],
                            Limits(seconds=1.5, memory_mb=1536))
    assert slow.report.rows_in == 0 and "more than 1.5 s" in slow.report.problems[0].reason
    assert ok.report.rows_in == 5
    hungry = import_files([(big, "big.xlsx")], Limits(seconds=60, memory_mb=400))[0]
    reason = hungry.report.problems[0].reason
    assert hungry.report.rows_in == 0 and "400 MB" in reason and "refused" in reason, reason


def test_a_memory_limit_too_small_for_the_readers_refuses_instead_of_failing():
    """Under a limit where the worker cannot even load its readers (a library that cannot be mapped,
    a thread that cannot start), each file is refused with the limit in the message: no exception
    reaches the caller (seen in CI: 'failed to map segment from shared object' at 400 MB)."""
    from dsdash.importers.worker import LimitExceeded, Limits, call_in_worker, import_files

    data = b"Place ID,Governorate,Location name,Families,Individuals\n1,Anbar,Kilo 7,10,60\n"
    for mb in (120, 250):
        res = import_files([(data, "ml_2024-04-30.csv")], Limits(seconds=30, memory_mb=mb), population_group="idp")[0]
        reason = res.report.problems[0].reason
        assert res.report.rows_in == 0 and f"{mb} MB" in reason and "refused" in reason, reason
    try:
        call_in_worker(len, b"x", limits=Limits(seconds=30, memory_mb=120))
    except LimitExceeded as exc:
        assert "120 MB" in str(exc)
    else:
        raise AssertionError("a worker that cannot start must refuse")


def test_an_exhausted_resource_in_a_library_is_a_memory_refusal():
    from dsdash import importers

    exc = RuntimeError("Unknown error: Failed to launch worker thread: Resource temporarily unavailable")
    assert importers._is_out_of_memory(exc) and not importers._is_out_of_memory(ValueError("bad date"))

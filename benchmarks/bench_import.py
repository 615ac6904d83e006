"""Importing DTM Master Lists (detect, check, type every row) against plain pandas reads of the same bytes.

Files are synthetic (tests/support/dtm_fixtures.py: invented locations, IOM's file shapes). Floors are
measured in the same run: ``pandas.read_csv`` (no checks, no typing to our schema) of the same
file, with ``skiprows`` for the title rows where the file has them; ``pandas.read_excel`` for XLSX.
"""

from __future__ import annotations

import io
import time
import tracemalloc

import pandas as pd

from benchmarks.run import best_of
from dsdash.importers import import_file
from tests.support.dtm_fixtures import locations, master_list


def _peak(fn) -> tuple[float, float]:
    """(wall ms, peak traced MB) of one call."""
    tracemalloc.start()
    t = time.perf_counter()
    fn()
    ms = (time.perf_counter() - t) * 1000
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return ms, peak


def run():
    out = []
    national = locations(3700, seed=3)
    clean = master_list(national, fmt="csv", title_rows=False, index_col=False, blank_last=False, breakdowns=False)
    floor = best_of(lambda: pd.read_csv(io.BytesIO(clean.data)), 7)
    ours = best_of(lambda: import_file(clean.data, clean.filename), 7)
    out.append({"name": "3,700-row Master List CSV, plain (9 columns)", "value": ours, "unit": "ms", "floor": floor,
                "floor_name": "pandas.read_csv"})
    iom = master_list(national, fmt="csv", totals_row=True)
    floor = best_of(lambda: pd.read_csv(io.BytesIO(iom.data), skiprows=iom.header_row - 1), 7)
    ours = best_of(lambda: import_file(iom.data, iom.filename), 7)
    out.append({"name": "3,700-row Master List CSV as IOM (title rows, 29 cols)", "value": ours, "unit": "ms",
                "floor": floor, "floor_name": "pandas.read_csv(skiprows)",
                "note": "incl. 20 wide breakdown columns → ~64k tidy rows"})
    w1256 = master_list(national, fmt="csv", encoding="cp1256", gen="2019")
    floor = best_of(lambda: pd.read_csv(io.BytesIO(w1256.data), skiprows=w1256.header_row - 1, encoding="cp1256"), 5)
    ours = best_of(lambda: import_file(w1256.data, w1256.filename), 5)
    out.append({"name": "3,700-row Master List CSV, Windows-1256", "value": ours, "unit": "ms", "floor": floor,
                "floor_name": "pandas.read_csv(encoding)"})
    xlsx = master_list(national, fmt="xlsx")
    floor = best_of(lambda: pd.read_excel(io.BytesIO(xlsx.data), skiprows=xlsx.header_row - 1), 2)
    ours = best_of(lambda: import_file(xlsx.data, xlsx.filename), 2)
    out.append({"name": "3,700-row Master List XLSX as IOM", "value": ours, "unit": "ms", "floor": floor,
                "floor_name": "pandas.read_excel(skiprows)"})
    big = master_list(locations(100_000, seed=5), fmt="csv", breakdowns=False)
    f_ms = best_of(lambda: pd.read_csv(io.BytesIO(big.data), skiprows=big.header_row - 1), 3)
    o_ms = best_of(lambda: import_file(big.data, big.filename), 3)
    _t, f_mb = _peak(lambda: pd.read_csv(io.BytesIO(big.data), skiprows=big.header_row - 1))
    _t, o_mb = _peak(lambda: import_file(big.data, big.filename))
    mb = len(big.data) / 2**20
    out.append({"name": f"100,000-row Master List CSV ({mb:.1f} MB): time", "value": o_ms, "unit": "ms",
                "floor": f_ms, "floor_name": "pandas.read_csv(skiprows)"})
    out.append({"name": "100,000-row Master List CSV: peak memory", "value": o_mb, "unit": "MB", "floor": f_mb,
                "floor_name": "pandas.read_csv(skiprows)", "note": "tracemalloc peak"})
    return out

"""Importing DTM Master Lists (detect, check, type every row) against plain reads of the same bytes.

Files are synthetic (tests/support/dtm_fixtures.py: invented locations, IOM's file shapes). Floors are
measured in the same run, on the same bytes: ``pandas.read_csv`` (no checks, no typing to our schema),
with ``skiprows`` for the title rows where the file has them; for XLSX a bare python-calamine read of
the same sheet (``CalamineWorkbook.from_filelike(...).get_sheet_by_index(0).to_python()``).

The issue's ratios are for the parse in the calling process (``import_file``, what the figures
without "worker" show). The app and the command line import through a worker process
(:mod:`dsdash.importers.worker`), kept between imports: the rows "through the worker" time the whole
call against the same floor, once with a new worker (the first import: its start included) and then
with the worker kept from the import before.

Peak memory is the peak RSS (``VmHWM``) of a child process that reads the file's bytes and runs the
call once, for ours and for the floor alike: tracemalloc cannot see Arrow's buffers. The note gives
each child's RSS before the call (interpreter and imports) next to its peak.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pandas as pd

from benchmarks.run import ROOT, best_of
from dsdash.importers import import_file
from tests.support.dtm_fixtures import locations, master_list

_CHILD = """
import sys
sys.path.insert(0, {root!r})
def rss(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) / 1024
{imports}
data = open({path!r}, "rb").read()
before = rss("VmRSS:")
{call}
print(before, rss("VmHWM:"))
"""


def peak_rss(path: str, imports: str, call: str) -> tuple[float, float]:
    """(RSS before the call, peak RSS) in MB of a fresh Python running ``call`` on the file's bytes."""
    code = _CHILD.format(root=str(ROOT), path=path, imports=textwrap.dedent(imports), call=textwrap.dedent(call))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONHASHSEED": "0"})
    before, peak = out.stdout.split()[-2:]
    return float(before), float(peak)


def bare_calamine(data: bytes):
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


def best_cpu(fn, repeat: int) -> float:
    """Best CPU time (this process, all its threads) of ``repeat`` calls, in ms: steadier than wall
    time on a machine other work shares."""
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        fn()
        best = min(best, (time.process_time() - t) * 1000)
    return best


def bare_pipeline(data: bytes) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A lower bound, not dsdash's import: what the plain file costs with the least work anyone could
    call an import, in the same libraries (Arrow's reader, every cell as text, as ours reads; Arrow
    kernels; two pandas frames). It trims and de-duplicates the ids, looks up the governorate,
    casts the two counts and the coordinates, looks for one camp word in the names, compares
    individuals with households × 6, writes a source per row and builds a sites and a population
    frame. It knows the header is on line 1 and the columns' order; it reports nothing, and finds no
    header, title or totals row, repeated header, blank row, district p-code, Arabic camp name,
    duplicate name or date. So the import cannot be faster than this; the ratio of this row to its
    floor is the least the issue's ratio can be with these libraries."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    names = [f"c{i}" for i in range(10)]
    table = pacsv.read_csv(pa.py_buffer(data), read_options=pacsv.ReadOptions(column_names=names, skip_rows=1,
                                                                              use_threads=False),
                           convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.large_string())))
    cols = [pc.utf8_trim_whitespace(table.column(i)) for i in range(10)]
    ids = cols[0]
    if len(pc.unique(ids)) != len(ids) or pc.any(pc.equal(pc.binary_length(ids), 0)).as_py():
        raise ValueError("an id is blank or repeated")
    gov = pc.index_in(cols[1], value_set=pa.array(["Anbar", "Ninewa", "Duhok", "Erbil", "Baghdad"], pa.large_string()))
    hh = pc.cast(cols[8], pa.int64()).to_numpy()
    ind = pc.cast(cols[9], pa.int64()).to_numpy()
    lat = pc.cast(cols[6], pa.float64()).to_numpy()
    lon = pc.cast(cols[7], pa.float64()).to_numpy()
    camp = pc.match_substring(cols[4], "camp", ignore_case=True)
    reported = ind != hh * 6
    rows = pc.cast(pa.array(range(2, len(hh) + 2), pa.int64()), pa.large_string())
    source = pc.binary_join_element_wise(pa.scalar("file.csv (DTM Master List), row ", pa.large_string()), rows,
                                         pa.scalar("", pa.large_string()))

    def text(a):
        return pd.arrays.ArrowStringArray(a if isinstance(a, pa.ChunkedArray) else pa.chunked_array([a]))

    sites = pd.DataFrame({"site_id": text(ids), "site_name": text(cols[4]), "governorate": gov.to_numpy(
        zero_copy_only=False), "latitude": lat, "longitude": lon, "camp": camp.to_numpy(zero_copy_only=False),
        "source": text(source)})
    population = pd.DataFrame({"site_id": text(ids), "households": hh, "individuals": ind, "reported": reported,
                               "source": text(source)})
    return sites, population


def run():
    out = []
    cpu = []  # (row, ours, floor, repeat): the CPU-time ratio of the in-process rows, in their notes
    national = locations(3700, seed=3)
    clean = master_list(national, fmt="csv", title_rows=False, index_col=False, blank_last=False, breakdowns=False)
    floor = best_of(lambda: pd.read_csv(io.BytesIO(clean.data)), 7)
    ours = best_of(lambda: import_file(clean.data, clean.filename), 7)
    out.append({"name": "3,700-row Master List CSV, plain (9 columns)", "value": ours, "unit": "ms", "floor": floor,
                "floor_name": "pandas.read_csv"})
    cpu.append((out[-1], lambda: import_file(clean.data, clean.filename), lambda: pd.read_csv(io.BytesIO(clean.data)), 7))
    bare = best_of(lambda: bare_pipeline(clean.data), 7)
    out.append({"name": "  lower bound: the least any import could do, same file", "value": bare, "unit": "ms",
                "floor": best_of(lambda: pd.read_csv(io.BytesIO(clean.data)), 7), "floor_name": "pandas.read_csv",
                "note": "not dsdash: Arrow read + ids, governorate, counts, coordinates, one camp word, two frames; "
                        "no report, header or row checks (bare_pipeline)"})
    cpu.append((out[-1], lambda: bare_pipeline(clean.data), lambda: pd.read_csv(io.BytesIO(clean.data)), 7))
    iom = master_list(national, fmt="csv", totals_row=True)
    floor = best_of(lambda: pd.read_csv(io.BytesIO(iom.data), skiprows=iom.header_row - 1), 7)
    ours = best_of(lambda: import_file(iom.data, iom.filename), 7)
    out.append({"name": "3,700-row Master List CSV as IOM (title rows, 29 cols)", "value": ours, "unit": "ms",
                "floor": floor, "floor_name": "pandas.read_csv(skiprows)",
                "note": "incl. 20 wide breakdown columns → ~64k tidy rows"})
    cpu.append((out[-1], lambda: import_file(iom.data, iom.filename),
                lambda: pd.read_csv(io.BytesIO(iom.data), skiprows=iom.header_row - 1), 7))
    w1256 = master_list(national, fmt="csv", encoding="cp1256", gen="2019")
    floor = best_of(lambda: pd.read_csv(io.BytesIO(w1256.data), skiprows=w1256.header_row - 1, encoding="cp1256"), 5)
    ours = best_of(lambda: import_file(w1256.data, w1256.filename), 5)
    out.append({"name": "3,700-row Master List CSV, Windows-1256", "value": ours, "unit": "ms", "floor": floor,
                "floor_name": "pandas.read_csv(encoding)"})
    cpu.append((out[-1], lambda: import_file(w1256.data, w1256.filename),
                lambda: pd.read_csv(io.BytesIO(w1256.data), skiprows=w1256.header_row - 1, encoding="cp1256"), 5))
    xlsx = master_list(national, fmt="xlsx")
    floor = best_of(lambda: bare_calamine(xlsx.data), 5)
    ours = best_of(lambda: import_file(xlsx.data, xlsx.filename), 5)
    out.append({"name": "3,700-row Master List XLSX as IOM", "value": ours, "unit": "ms", "floor": floor,
                "floor_name": "bare calamine read of the sheet", "note": "incl. ~64k tidy breakdown rows"})
    cpu.append((out[-1], lambda: import_file(xlsx.data, xlsx.filename), lambda: bare_calamine(xlsx.data), 5))
    # the whole import as the app and the command line run it: in a worker process (issue 14), kept between
    # imports (a new one only for the first call: a spawned interpreter importing pandas and the readers);
    # the bytes and the result pickled
    from dsdash.importers.worker import Limits, _pool, import_one, shutdown_idle

    shutdown_idle()
    t0 = time.perf_counter()
    _pool(Limits.from_env()).shutdown(wait=True)
    start_ms = (time.perf_counter() - t0) * 1000
    csv_floor = best_of(lambda: pd.read_csv(io.BytesIO(iom.data), skiprows=iom.header_row - 1), 7)
    t0 = time.perf_counter()
    import_one(iom.data, iom.filename)
    cold_ms = (time.perf_counter() - t0) * 1000
    out.append({"name": "3,700-row Master List CSV as IOM, through a new worker (first import)", "value": cold_ms,
                "unit": "ms", "floor": csv_floor, "floor_name": "pandas.read_csv(skiprows)",
                "note": f"of which the worker's start ~{start_ms:,.0f} ms (not charged to the file's time limit)"})
    ours = best_of(lambda: import_one(iom.data, iom.filename), 5)
    out.append({"name": "3,700-row Master List CSV as IOM, through the worker (kept)", "value": ours, "unit": "ms",
                "floor": csv_floor, "floor_name": "pandas.read_csv(skiprows)",
                "note": "the worker kept from the import before: no start"})
    ours = best_of(lambda: import_one(xlsx.data, xlsx.filename), 5)
    out.append({"name": "3,700-row Master List XLSX as IOM, through the worker (kept)", "value": ours, "unit": "ms",
                "floor": best_of(lambda: bare_calamine(xlsx.data), 5), "floor_name": "bare calamine read of the sheet",
                "note": f"a new worker's start (~{start_ms:,.0f} ms) only on the first import"})
    shutdown_idle()
    big = master_list(locations(100_000, seed=5), fmt="csv", breakdowns=False)
    f_ms = best_of(lambda: pd.read_csv(io.BytesIO(big.data), skiprows=big.header_row - 1), 3)
    o_ms = best_of(lambda: import_file(big.data, big.filename), 3)
    mb = len(big.data) / 2**20
    out.append({"name": f"100,000-row Master List CSV ({mb:.1f} MB): time", "value": o_ms, "unit": "ms",
                "floor": f_ms, "floor_name": "pandas.read_csv(skiprows)"})
    cpu.append((out[-1], lambda: import_file(big.data, big.filename),
                lambda: pd.read_csv(io.BytesIO(big.data), skiprows=big.header_row - 1), 3))
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / big.filename)
        Path(path).write_bytes(big.data)
        f_before, f_peak = peak_rss(path, "import io\nimport pandas as pd",
                                    f"pd.read_csv(io.BytesIO(data), skiprows={big.header_row - 1})")
        o_before, o_peak = peak_rss(path, "from dsdash.importers import import_file",
                                    f"import_file(data, {big.filename!r})")
    out.append({"name": "100,000-row Master List CSV: peak memory", "value": o_peak, "unit": "MB", "floor": f_peak,
                "floor_name": "pandas.read_csv(skiprows)",
                "note": f"peak RSS of a child process (before the call: ours {o_before:.0f} MB, floor "
                        f"{f_before:.0f} MB; increase ours {o_peak - o_before:.0f} MB, floor {f_peak - f_before:.0f} MB)"})
    for row, ours_fn, floor_fn, repeat in cpu:
        o, f = best_cpu(ours_fn, repeat), best_cpu(floor_fn, repeat)
        row["note"] = (row.get("note", "") + "; " if row.get("note") else "") + \
            f"CPU time {o:,.1f} ms vs floor {f:,.1f} ms (× {o / f:.2f})"
    return out

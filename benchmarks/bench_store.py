"""The workspace store: loading the published dataset against pandas.read_sql of the same rows; adding a
3,700-row Master List against its import alone; a store of 120 national rounds (load time, size).

SQLite always; PostgreSQL too when its binaries are on this machine (a throwaway server, as the tests
start it). Not part of the test suite: ``python benchmarks/run.py store``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from benchmarks.run import best_of
from dsdash.importers import ImportResult, import_file
from dsdash.schema import LoadReport
from dsdash.store import open_store
from dsdash.store.core import _stored_columns
from dsdash.store.tables import TIDY, snapshots
from tests.support.dtm_fixtures import locations, master_list
from tests.support.postgres import pg_bin_dir, start_server, stop_server
from tests.support.synthetic import national_dataset


def _read_sql_floor(store) -> None:
    """pandas.read_sql of the rows the published dataset reads (every tidy table, published snapshots)."""
    with store.engine.connect() as conn:
        ids = list(conn.execute(sa.select(snapshots.c.id).where(snapshots.c.state == "published")).scalars())
        for t, table in TIDY.items():
            cols = [table.c.snapshot_id] + [table.c[s] for s, _, _ in _stored_columns(t)]
            pd.read_sql(sa.select(*cols).where(table.c.snapshot_id.in_(ids)).order_by(table.c.snapshot_id, table.c.row_no), conn)


def _prepared(res) -> list:
    """The rows of ``res`` as the store writes them (values converted; row numbers clear of snapshot 1's)."""
    from dsdash.store.core import _rows

    out = []
    for t, df in res.tables.items():
        if t in TIDY and len(df):
            names, rows = _rows(df, t, 1)
            out.append((TIDY[t], names, [(r[0], r[1] + 10**8, *r[2:]) for r in rows]))
    return out


def _insert_floor(store, prepared) -> None:
    """The driver's bulk insert alone (sqlite3 executemany, PostgreSQL COPY), in a transaction rolled back."""
    from dsdash.store import dialect

    with store.engine.connect() as conn:
        conn.execution_options(**{dialect.WRITE: True})
        tx = conn.begin()
        for table, names, rows in prepared:
            dialect.bulk_insert(conn, table, names, rows)
        tx.rollback()


def _ml(seed: int, fmt: str = "csv"):
    return master_list(locations(3_700, seed=seed), round_=130, fmt=fmt, filename=f"IDP_ML_R130_{seed}.{fmt}",
                       month="July 2023")


def _bench_backend(label: str, url_factory) -> list[dict]:
    out = []
    store = open_store(url_factory())
    fx = _ml(1)
    store.add(import_file(fx.data, fx.filename), fx.data, file_name=fx.filename, who="bench", publish=True)
    floor = best_of(lambda: _read_sql_floor(store), 5)
    ours = best_of(store.published_dataset, 5)
    rows = sum(len(df) for df in store.published_dataset().tables.values())
    out.append({"name": f"{label}: published_dataset() (seed + 3,700-site ML)", "value": ours, "unit": "ms",
                "floor": floor, "floor_name": "pandas.read_sql of the same rows",
                "note": f"{rows:,} rows incl. composition"})

    for fmt in ("csv", "xlsx"):
        files = [_ml(10 + k, fmt) for k in range(3)]
        imports, adds = [], []
        for f in files:
            t = time.perf_counter()
            res = import_file(f.data, f.filename)
            imports.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            store.add(res, f.data, file_name=f.filename, who="bench")
            adds.append((time.perf_counter() - t) * 1000)
        best_import = min(imports)
        rows = sum(len(df) for df in res.tables.values())
        prepared = _prepared(res)
        floor_rows = best_of(lambda: _insert_floor(store, prepared), 3)
        out.append({"name": f"{label}: add a 3,700-row Master List, {fmt.upper()} (import + store)",
                    "value": best_import + min(adds), "unit": "ms", "floor": best_import,
                    "floor_name": "its import alone",
                    "note": f"store.add alone {min(adds):,.0f} ms for {rows:,} rows (breakdowns included)"})
        out.append({"name": f"{label}: store.add of that file, {fmt.upper()}", "value": min(adds), "unit": "ms",
                    "floor": floor_rows, "floor_name": "the driver's bulk insert of the same rows"})
    store.close()

    big = open_store(url_factory())
    nat = national_dataset(120)
    pop, sites = nat.population, nat.sites
    t = time.perf_counter()
    for k, (date, rows) in enumerate(pop.groupby("reference_date", sort=True)):
        here = sites[sites["site_id"].isin(rows["site_id"])]
        rep = LoadReport(file=f"IDP_ML_R{k + 1}.csv", kind="dtm_master_list", rows_in=len(rows),
                         rows_accepted=len(rows))
        res = ImportResult("dtm_master_list", {"population": rows.reset_index(drop=True),
                                               "sites": here.reset_index(drop=True)}, rep)
        big.add(res, hashlib.sha256(f"round {k}".encode()).digest(), file_name=rep.file, who="bench", publish=True)
    fill = time.perf_counter() - t
    load = best_of(big.published_dataset, 3)
    ds = big.published_dataset()
    size = _size(big)
    out.append({"name": f"{label}: published_dataset() of 120 national rounds", "value": load, "unit": "ms",
                "floor": best_of(lambda: _read_sql_floor(big), 3), "floor_name": "pandas.read_sql of the same rows",
                "note": f"{len(ds.population):,} location-rounds, {len(ds.sites):,} sites; database {size / 2**20:,.1f} "
                        f"MiB; filled in {fill:,.1f} s"})
    big.close()
    return out


def _size(store) -> int:
    if store.is_sqlite:
        p = Path(store.location_text)
        return sum(q.stat().st_size for q in (p, Path(f"{p}-wal")) if q.exists())
    with store.engine.connect() as conn:
        return int(conn.execute(sa.text("SELECT pg_database_size(current_database())")).scalar_one())


def run():
    tmp = Path(tempfile.mkdtemp(prefix="dsdash-bench-"))
    counter = iter(range(1000))
    out = []
    try:
        out += _bench_backend("SQLite", lambda: f"sqlite:///{tmp / f'w{next(counter)}.sqlite'}")
        if pg_bin_dir() is not None and not os.environ.get("DSDASH_BENCH_NO_PG"):
            server = start_server()
            try:
                out += _bench_backend("PostgreSQL", lambda: server.url(server.create_database()))
            finally:
                stop_server(server)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out

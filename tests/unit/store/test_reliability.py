"""Reliability of the store, on SQLite and PostgreSQL, with real processes:

- a ``store add`` killed (SIGKILL) while it writes leaves no snapshot and no row behind, and the
  workspace takes the next add;
- two processes publishing at once both land (no lost update of the state, the log or the version);
- a reader sees one consistent published workspace while publishes run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest
import sqlalchemy as sa

from dsdash.importers import import_file
from dsdash.store import open_store
from dsdash.store.tables import TIDY, snapshots
from tests.support.dtm_fixtures import locations, master_list, two_rounds
from tests.support.paths import ROOT


@pytest.fixture(scope="module")
def big_file(tmp_path_factory):
    """A 20,000-location Master List (about 350,000 rows with its breakdowns: seconds to write)."""
    fx = master_list(locations(20_000, seed=4), round_=131, filename="IDP_ML_R131_2024-01-31.csv", fmt="csv")
    path = tmp_path_factory.mktemp("big") / fx.filename
    path.write_bytes(fx.data)
    return path


def _rows_by_snapshot(store) -> dict[str, dict[int, int]]:
    with store.engine.connect() as conn:
        return {t: dict(conn.execute(sa.select(table.c.snapshot_id, sa.func.count()).group_by(table.c.snapshot_id))
                        .all()) for t, table in TIDY.items()}


def test_a_killed_add_leaves_nothing_behind(store_url, big_file):
    store = open_store(store_url)
    before_rows, before_version = _rows_by_snapshot(store), store.version()
    proc = subprocess.Popen([sys.executable, "-m", "dsdash", "store", "add", str(big_file), "--db", store_url],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 240
        line = ""
        while "writing" not in line and time.monotonic() < deadline:
            line = proc.stderr.readline()
            assert line or proc.poll() is None, "store add ended before writing"
        assert "writing 353,957 rows of IDP_ML_R131_2024-01-31.csv as snapshot 12" in line
        time.sleep(0.3)  # inside the transaction: its rows are being written
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
        proc.stderr.close()
    after = open_store(store_url)
    assert after.snapshots()["id"].tolist() == list(range(1, 12))  # no partial snapshot
    assert _rows_by_snapshot(after) == before_rows  # no orphan rows
    assert after.version() == before_version
    r1, _ = two_rounds("csv")
    res = import_file(r1.data, r1.filename)
    added = after.add(res, r1.data, file_name=r1.filename, who="tester", publish=True)
    assert added.snapshot_id is not None  # the lock died with the process
    assert int(after.published_dataset().population["individuals"].sum()) == 930


PUBLISHER = textwrap.dedent("""
    import sys
    from dsdash.store import open_store
    store = open_store(sys.argv[1])
    sid, n = int(sys.argv[2]), int(sys.argv[3])
    for i in range(n):
        store.publish([sid], who=f"editor-{sid}", why=f"round {i}")
    print("done")
""")


def test_two_publishers_at_once_both_land(store_url):
    store = open_store(store_url)
    r1, r2 = two_rounds("csv")
    for fx in (r1, r2):
        store.add(import_file(fx.data, fx.filename), fx.data, file_name=fx.filename, who="tester")
    v0, n = store.version(), 15
    procs = [subprocess.Popen([sys.executable, "-c", PUBLISHER, store_url, str(sid), str(n)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for sid in (12, 13)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [e for _, e in outs]
    assert store.version() == v0 + 2 * n
    log = store.log()
    for sid in (12, 13):
        mine = log[(log["who"] == f"editor-{sid}") & (log["action"] == "publish")]
        assert len(mine) == n and mine["snapshot_ids"].eq(str(sid)).all()
    assert set(store.published_ids()) >= {12, 13}
    with store.engine.connect() as conn:
        states = dict(conn.execute(sa.select(snapshots.c.id, snapshots.c.state)
                                   .where(snapshots.c.id.in_([12, 13]))).all())
    assert states == {12: "published", 13: "published"}


def test_readers_see_a_consistent_workspace_while_publishing(store_url):
    store = open_store(store_url)
    r1, _ = two_rounds("csv")
    sid = store.add(import_file(r1.data, r1.filename), r1.data, file_name=r1.filename, who="tester").snapshot_id
    seed, round_1 = (28, 18_882, 52), (6, 930, 0)
    stop = threading.Event()
    errors: list[BaseException] = []

    def editor():
        writer = open_store(store_url)
        try:
            for i in range(12):
                (writer.publish if i % 2 == 0 else writer.withdraw)([sid], who="editor")
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            stop.set()

    t = threading.Thread(target=editor)
    t.start()
    seen = set()
    reads = 0
    while not stop.is_set() or reads < 3:
        ds = store.published_dataset()
        state = (len(ds.sites), int(ds.population["individuals"].sum()), len(ds.presence))
        assert state in (seed, round_1), state  # never the seed's sites with the round's people, or half a round
        seen.add(state)
        reads += 1
    t.join(timeout=120)
    assert not errors, errors
    assert store.published_ids()[-1] == 11 and store.version() == 2 + 12  # ended withdrawn
    assert reads >= 3 and seed in seen


def test_readers_are_not_blocked_by_a_long_add(store_url, big_file):
    """While a big add holds the write lock, the published workspace still reads (WAL / MVCC)."""
    store = open_store(store_url)
    proc = subprocess.Popen([sys.executable, "-m", "dsdash", "store", "add", str(big_file), "--db", store_url],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "DSDASH_USER": "bulk"})
    try:
        line = ""
        while "writing" not in line:
            line = proc.stderr.readline()
            assert line or proc.poll() is None
        t0 = time.monotonic()
        ds = store.published_dataset()
        took = time.monotonic() - t0
        writing = proc.poll() is None
        assert int(ds.population["individuals"].sum()) == 18_882 and len(store.snapshots()) == 11
        proc.communicate(timeout=240)
        assert proc.returncode == 0
        assert not writing or took < 30
    finally:
        if proc.poll() is None:
            proc.kill()
    assert len(store.snapshots()) == 12

"""``python -m dsdash store …`` as a user runs it (real subprocesses), against SQLite and PostgreSQL:
add → list → publish → summary → withdraw → log → backup → restore, exit codes, and a bad file."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.support.dtm_fixtures import two_rounds
from tests.support.paths import ROOT

LIST_FIELDS = ["id", "kind", "file", "reference_date", "population_group", "dtm_round", "rows_in", "rows_accepted",
               "rows_rejected", "locations", "households", "individuals", "published", "created_at", "created_by"]
REJECTING_SHEET = """Organisation,Org type,Sector,Governorate,District,Site,Start date,End date,Status
IRC,INGO,WASH,Anbar,,,2020-01-01,ongoing,Ongoing
Acme,,Astrology,Anbar,,,2023-01-01,,
"""


def dsdash(*args: str, db: str | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "dsdash", *args] + (["--db", db] if db else [])
    env = {**os.environ, "DSDASH_USER": "cli-tester"}
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)


def listing(db: str) -> list[dict]:
    run = dsdash("store", "list", "--json", db=db)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def current(db: str) -> dict:
    run = dsdash("summary", "--json", db=db)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)["current"]


def test_the_store_command_sequence(store_url, tmp_path):
    r1, r2 = two_rounds("csv")
    f1, f2 = tmp_path / r1.filename, tmp_path / r2.filename
    f1.write_bytes(r1.data)
    f2.write_bytes(r2.data)
    add = dsdash("store", "add", str(f1), str(f2), "--note", "two rounds", db=store_url)
    assert add.returncode == 0, add.stderr
    assert add.stdout.split() == ["12", "13"]
    assert "snapshot 12 (DTM Master List; 6 rows accepted, 0 rejected)" in add.stderr

    records = listing(store_url)
    assert [r["id"] for r in records] == list(range(1, 14)) and all(f in records[0] for f in LIST_FIELDS)
    new = {r["id"]: r for r in records[11:]}
    assert (new[13]["reference_date"], new[13]["dtm_round"], new[13]["population_group"]) == ("2021-02-28", 120, "idp")
    assert (new[13]["locations"], new[13]["households"], new[13]["individuals"]) == (6, 92, 552)
    assert (new[12]["published"], new[12]["status"], new[12]["created_by"], new[12]["note"]) == (
        False, "added", "cli-tester", "two rounds")
    assert current(store_url)["individuals"] == 18_882  # added is not published

    pub = dsdash("store", "publish", "12", "13", "--why", "checked", db=store_url)
    assert pub.returncode == 0 and pub.stdout.strip() == "published 12, 13"
    assert current(store_url)["individuals"] == 552
    assert dsdash("store", "withdraw", "13", db=store_url).returncode == 0
    assert current(store_url)["individuals"] == 930
    status = {r["id"]: r["status"] for r in listing(store_url)}
    assert (status[2], status[12], status[13]) == ("superseded", "published", "withdrawn")

    log = json.loads(dsdash("store", "log", "--json", db=store_url).stdout)
    assert [(e["action"], e["snapshot_ids"]) for e in log] == [
        ("seed", ",".join(map(str, range(1, 12)))), ("add", "12"), ("add", "13"), ("publish", "12,13"),
        ("supersede", "1,2,3,4"), ("withdraw", "13")]
    assert log[3]["who"] == "cli-tester" and log[3]["why"] == "checked"

    again = dsdash("store", "add", str(f1), db=store_url)
    assert again.returncode == 2 and again.stdout == "" and "the same bytes are snapshot 12" in again.stderr
    sheet = tmp_path / "anbar_3w.csv"
    sheet.write_text(REJECTING_SHEET)
    before = listing(store_url)
    backup = tmp_path / "workspace.backup"
    assert dsdash("store", "backup", str(backup), db=store_url).returncode == 0 and backup.stat().st_size > 0
    partly = dsdash("store", "add", str(sheet), "--publish", db=store_url)
    assert partly.returncode == 1 and partly.stdout.split() == ["14"] and "Astrology" in partly.stderr
    restore = dsdash("store", "restore", str(backup), db=store_url)
    assert restore.returncode == 0, restore.stderr
    assert listing(store_url) == before


@pytest.mark.parametrize("content", [b"garbage, not SQLite\n" * 100, b""])
def test_a_corrupt_database_file_exits_2_naming_it(tmp_path, content):
    bad = tmp_path / "workspace.sqlite"
    if content:
        bad.write_bytes(content)
    else:
        bad.mkdir()
    for args in (("store", "list"), ("summary",), ("store", "add", __file__)):
        run = dsdash(*args, db=str(bad))
        assert run.returncode == 2, (args, run.stderr)
        assert str(bad) in run.stderr and "Traceback" not in run.stderr
        assert run.stderr.startswith("dsdash")


def test_nothing_stored_exits_2(tmp_path):
    db = f"sqlite:///{tmp_path / 'w.sqlite'}"
    junk = tmp_path / "notes.csv"
    junk.write_text("a,b\n1,2\n")
    run = dsdash("store", "add", str(junk), db=db)
    assert run.returncode == 2 and run.stdout == "" and "nothing stored" in run.stderr
    missing = dsdash("store", "add", str(tmp_path / "nope.csv"), db=db)
    assert missing.returncode == 2 and "no such file" in missing.stderr

"""The workspace store, on SQLite and on a real PostgreSQL: seed, add, dedupe, publish, withdraw,
the composition rules with real values (the seed's totals; two Master List rounds counted by hand),
the audit log, backup and restore, and what a bad database file gives."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time

import pandas as pd
import pytest
import sqlalchemy as sa

from dsdash.dataset import EMBEDDED_FILES, load_embedded
from dsdash.importers import import_file
from dsdash.store import StoreError, open_store
from dsdash.store.tables import TIDY, metadata
from tests.support.dtm_fixtures import TWO_ROUNDS, _round_locations, master_list, two_rounds

SEED = {"sites": 28, "households": 3_147, "individuals": 18_882, "presence": 52, "needs": 17, "national_series": 143,
        "index_rounds": 27}

SHEET_1 = """Organisation,Org type,Sector,Governorate,District,Site,Start date,End date,Status
IRC,INGO,WASH,Anbar,,,2020-01-01,ongoing,Ongoing
NRC,INGO,Shelter/NFI,Anbar,,,2020-01-01,2021-06-30,
"""
SHEET_2 = """Organisation,Org type,Sector,Governorate,District,Site,Start date,End date,Status
IRC,INGO,Health,Anbar,,,2021-01-01,ongoing,Ongoing
"""
SHEET_3 = """Organisation,Org type,Sector,Governorate,District,Site,Start date,End date,Status
NRC,INGO,Education,Anbar,,,2021-02-01,ongoing,Ongoing
"""


def _add(store, data: bytes, filename: str, **kw):
    res = import_file(data, filename)
    return store.add(res, data, file_name=filename, who="tester", **kw)


def _add_fx(store, fx, **kw):
    return _add(store, fx.data, fx.filename, **kw)


def _totals(ds) -> tuple[int, int, int]:
    p = ds.population
    return len(ds.sites), int(p["households"].sum()), int(p["individuals"].sum())


def test_a_new_workspace_is_the_embedded_data_as_published_snapshots(store_url):
    store = open_store(store_url)
    snaps = store.snapshots()
    assert snaps["id"].tolist() == list(range(1, 12))
    assert snaps["file"].tolist() == [f"data/{f}" for f in EMBEDDED_FILES.values()]
    assert snaps["kind"].eq("embedded").all() and snaps["published"].all() and snaps["status"].eq("published").all()
    pop = snaps.set_index("file").loc["data/population.csv"]
    assert (pop["locations"], pop["households"], pop["individuals"]) == (28, 3_147, 18_882)
    ds, emb = store.published_dataset(), load_embedded()
    for t in emb.tables:
        pd.testing.assert_frame_equal(ds.tables[t].reset_index(drop=True), emb.tables[t].reset_index(drop=True))
    assert _totals(ds) == (28, 3_147, 18_882)
    assert store.version() == 1
    log = store.log()
    assert log["action"].tolist() == ["seed"] and log["snapshot_ids"].iat[0] == ",".join(map(str, range(1, 12)))
    again = open_store(store_url)  # opening an existing workspace neither migrates nor seeds again
    assert len(again.snapshots()) == 11 and again.version() == 1


def test_master_list_rounds_accumulate_and_supersede_the_seed(store_url):
    store = open_store(store_url)
    r1, r2 = two_rounds("csv")
    a1 = _add_fx(store, r1, publish=True, note="December round")
    a2 = _add_fx(store, r2)
    assert (a1.snapshot_id, a2.snapshot_id, a1.duplicate_of) == (12, 13, None)
    first = store.published_dataset()  # round 120 added but not published
    assert _totals(first) == (6, 155, 930)
    store.publish([13], who="tester", why="February round checked")
    ds = store.published_dataset()
    assert sorted(ds.population["dtm_round"].unique().tolist()) == [119, 120]
    latest = ds.population[ds.population["reference_date"] == pd.Timestamp("2021-02-28")]
    assert (int(latest["households"].sum()), int(latest["individuals"].sum())) == (
        TWO_ROUNDS["round_2"]["households"], TWO_ROUNDS["round_2"]["individuals"])
    assert len(ds.sites) == 8  # A…H: the seed's 28 Anbar sites are superseded
    assert len(ds.presence) == 0 and len(ds.needs) == 0  # the seed's presence and needs went with its sites
    assert (len(ds.national_series), len(ds.index_rounds)) == (SEED["national_series"], SEED["index_rounds"])
    snaps = store.snapshots().set_index("id")
    assert snaps.loc[[1, 2, 3, 4], "status"].eq("superseded").all()
    assert snaps.loc[[1, 2, 3, 4], "superseded_by"].eq(12).all()
    assert snaps.loc[[5, 6, 7, 12, 13], "status"].eq("published").all()
    row = snaps.loc[13]
    assert (row["kind"], row["reference_date"], row["dtm_round"], row["population_group"]) == (
        "dtm_master_list", pd.Timestamp("2021-02-28"), 120, "idp")
    assert (row["locations"], row["households"], row["individuals"], row["created_by"]) == (6, 92, 552, "tester")
    assert snaps.loc[12, "note"] == "December round"

    store.withdraw([12, 13], who="tester", why="wrong country")
    back = store.published_dataset()
    assert _totals(back) == (28, 3_147, 18_882) and len(back.presence) == SEED["presence"]
    assert store.snapshots().set_index("id").loc[[12, 13], "status"].eq("withdrawn").all()
    log = store.log()
    assert log["action"].tolist() == ["seed", "add", "publish", "supersede", "add", "publish", "withdraw"]
    assert log["snapshot_ids"].tolist()[1:] == ["12", "12", "1,2,3,4", "13", "13", "12,13"]
    assert log["why"].iat[3] == "superseded by snapshot 12"
    assert log["who"].iloc[1:].eq("tester").all() and log["why"].iat[-1] == "wrong country"
    assert store.version() == 5  # seed, add + publish (one transaction), add, publish, withdraw
    store.publish([13], who="tester")  # nothing is deleted: published again
    assert _totals(store.published_dataset()) == (6, 92, 552)


def test_the_same_bytes_are_stored_once(store_url):
    store = open_store(store_url)
    r1, _ = two_rounds("csv")
    first = _add_fx(store, r1)
    v = store.version()
    again = _add_fx(store, r1, publish=True)
    assert (again.snapshot_id, again.duplicate_of) == (None, first.snapshot_id)
    assert store.version() == v and len(store.snapshots()) == 12
    needs = (load_embedded.__globals__["DATA_DIR"] / "needs.csv").read_bytes()
    assert _add(store, needs, "needs.csv").duplicate_of == 4  # the seed's own file


def test_a_file_with_nothing_usable_is_not_stored(store_url):
    store = open_store(store_url)
    no_date = _add(store, b"Place ID,Governorate,Location name,Families,Individuals\n1,Anbar,Kilo 7,10,60\n",
                   "master_list.csv")
    assert no_date.snapshot_id is None and no_date.duplicate_of is None
    assert any("reference date" in p.reason for p in no_date.report.problems)
    junk = _add(store, b"a,b\n1,2\n", "junk.csv")
    assert junk.snapshot_id is None and len(store.snapshots()) == 11 and store.version() == 1


def test_a_later_list_of_the_same_round_corrects_it(store_url):
    store = open_store(store_url)
    r1, _ = two_rounds("csv")
    fixed = dict(TWO_ROUNDS_FIX)
    corrected = master_list(_round_locations(fixed), fmt="csv", round_=119, month="31 December 2020",
                            filename="DTM_IDP_Master_List_Round119_2020-12-31_corrected.csv")
    _add_fx(store, r1, publish=True)
    _add_fx(store, corrected, publish=True)
    snaps = store.snapshots().set_index("id")
    assert (snaps.loc[12, "status"], snaps.loc[12, "superseded_by"]) == ("superseded", 13)
    assert _totals(store.published_dataset()) == (5, 145, 870)
    entry = store.log().iloc[-1]
    assert (entry["action"], entry["snapshot_ids"], entry["why"]) == ("supersede", "12", "superseded by snapshot 13")


def test_an_explicit_correction_supersedes_what_it_names(store_url):
    store = open_store(store_url)
    r1, r2 = two_rounds("csv")
    _add_fx(store, r1, publish=True)
    fix = _add_fx(store, r2, supersedes=12, note="round 119 was the wrong file")
    assert store.snapshots().set_index("id").loc[12, "status"] == "published"  # not yet: 13 is only added
    store.publish([fix.snapshot_id], who="tester")
    snaps = store.snapshots().set_index("id")
    assert (snaps.loc[12, "status"], snaps.loc[12, "superseded_by"], snaps.loc[13, "supersedes"]) == (
        "superseded", 13, 12)
    ds = store.published_dataset()
    assert sorted(ds.population["dtm_round"].unique().tolist()) == [120] and _totals(ds) == (6, 92, 552)
    with pytest.raises(StoreError, match="no snapshot 99"):
        _add(store, SHEET_1.encode(), "sheet.csv", supersedes=99)


#: Round 119 again, with E gone and A counted twice as many (the correction of a round).
TWO_ROUNDS_FIX = {"A": (20, 120), "B": (20, 120), "C": (30, 180), "D": (40, 240), "F": (35, 210)}


def test_a_newer_presence_sheet_supersedes_the_same_partner_and_area(store_url):
    store = open_store(store_url)
    s1 = _add(store, SHEET_1.encode(), "anbar_3w_jan.csv", publish=True).snapshot_id
    ds = store.published_dataset()
    assert sorted(ds.presence["partner"]) == ["IRC", "NRC"]  # replace: the seed's presence is not used
    assert _totals(ds) == (28, 3_147, 18_882)  # no Master List: the seed's sites stay
    s2 = _add(store, SHEET_2.encode(), "anbar_3w_feb.csv", publish=True).snapshot_id
    pres = store.published_dataset().presence.set_index("partner")["service"]
    assert pres.to_dict() == {"IRC": "health", "NRC": "shelter_nfi"}  # IRC in Anbar: the newer sheet
    snaps = store.snapshots().set_index("id")
    assert snaps.loc[s1, "status"] == "published" and snaps.loc[3, "status"] == "superseded"
    s3 = _add(store, SHEET_3.encode(), "anbar_3w_mar.csv", publish=True).snapshot_id
    snaps = store.snapshots().set_index("id")
    assert (snaps.loc[s1, "status"], snaps.loc[s1, "superseded_by"]) == ("superseded", s3)
    assert snaps.loc[s2, "status"] == "published"
    assert sorted(store.published_dataset().presence["service"]) == ["education", "health"]


def test_a_master_list_of_other_locations_keeps_the_seed(store_url):
    store = open_store(store_url)
    r1, _ = two_rounds("csv")
    _add_fx(store, r1, publish=True, adds_locations=True)
    ds = store.published_dataset()
    assert _totals(ds) == (28 + 6, 3_147 + 155, 18_882 + 930)
    assert len(ds.presence) == SEED["presence"] and len(ds.needs) == SEED["needs"]
    assert store.snapshots()["status"].eq("published").all()


def test_published_as_of_replays_the_log(store_url):
    store = open_store(store_url)
    r1, r2 = two_rounds("csv")
    _add_fx(store, r1, publish=True)
    time.sleep(0.01)
    between = dt.datetime.now(dt.timezone.utc)
    time.sleep(0.01)
    _add_fx(store, r2, publish=True)
    assert store.published_ids_as_of(between) == list(range(1, 13))
    then = store.published_as_of(between)
    assert _totals(then) == (6, 155, 930)
    assert _totals(store.dataset_of([13])) == (6, 92, 552)


def test_the_migrated_database_has_exactly_the_tables_of_the_store(store_url):
    store = open_store(store_url)
    insp = sa.inspect(store.engine)
    assert set(insp.get_table_names()) == set(metadata.tables) | {"alembic_version"}
    for name, table in metadata.tables.items():
        assert [c["name"] for c in insp.get_columns(name)] == [c.name for c in table.columns], name
    assert set(TIDY) == set(load_embedded().tables)


def test_backup_and_restore_give_the_same_list(store_url, tmp_path):
    store = open_store(store_url)
    r1, r2 = two_rounds("csv")
    _add_fx(store, r1, publish=True)
    _add_fx(store, r2)
    before, data_before = store.snapshots(), store.published_dataset()
    store.backup(tmp_path / "backup.bin")
    store.withdraw([12])
    _add(store, SHEET_1.encode(), "anbar_3w_jan.csv", publish=True)
    restored = store.restore(tmp_path / "backup.bin")
    pd.testing.assert_frame_equal(restored.snapshots(), before)
    assert _totals(restored.published_dataset()) == _totals(data_before) == (6, 155, 930)
    assert restored.version() == 3


def test_a_corrupt_or_foreign_database_file_is_named(tmp_path):
    bad = tmp_path / "workspace.sqlite"
    bad.write_bytes(b"this is not a database\n" * 200)
    with pytest.raises(StoreError) as err:
        open_store(f"sqlite:///{bad}")
    assert str(bad) in str(err.value) and "not a dsdash workspace" in str(err.value)
    foreign = tmp_path / "other.sqlite"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE invoices (id INTEGER)")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="other tables: invoices") as err:
        open_store(f"sqlite:///{foreign}")
    assert str(foreign) in str(err.value)
    folder = tmp_path / "folder.sqlite"
    folder.mkdir()
    with pytest.raises(StoreError, match="not a file"):
        open_store(f"sqlite:///{folder}")


def test_boundaries_are_kept_and_the_newest_of_a_level_wins(store_url):
    from tests.support.dtm_fixtures import districts, geopackage

    store = open_store(store_url)
    first = _add(store, geopackage(districts(4)), "districts_2019.gpkg", publish=True).snapshot_id
    got = store.published_dataset().boundaries
    assert list(got) == ["adm2"] and got["adm2"]["pcode"].tolist() == ["IQG01Q01", "IQG02Q02", "IQG03Q03", "IQG04Q04"]
    assert abs(got["adm2"].geometry.iat[0].area - 1.0) < 1e-9 and got["adm2"].crs.to_epsg() == 4326
    second = _add(store, geopackage(districts(3)), "districts_2024.gpkg", publish=True).snapshot_id
    assert len(store.published_dataset().boundaries["adm2"]) == 3
    snaps = store.snapshots().set_index("id")
    assert (snaps.loc[first, "status"], snaps.loc[first, "superseded_by"], snaps.loc[first, "locations"]) == (
        "superseded", second, 4)


def test_two_processes_opening_a_new_workspace_seed_it_once(store_url):
    import subprocess
    import sys

    from tests.support.paths import ROOT

    code = "import sys; from dsdash.store import open_store; print(len(open_store(sys.argv[1]).snapshots()))"
    procs = [subprocess.Popen([sys.executable, "-c", code, store_url], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [e for _, e in outs]
    assert [o.strip() for o, _ in outs] == ["11", "11"]
    store = open_store(store_url)
    assert store.log()["action"].tolist() == ["seed"] and store.version() == 1


def test_files_tried_on_top_of_the_published_workspace_are_not_stored(store_url):
    store = open_store(store_url)
    r1, r2 = two_rounds("csv")
    _add_fx(store, r1, publish=True)
    v = store.version()
    tried = store.published_with([import_file(r2.data, r2.filename)])
    assert sorted(tried.population["dtm_round"].unique().tolist()) == [119, 120]
    latest = tried.population[tried.population["reference_date"] == tried.population["reference_date"].max()]
    assert int(latest["individuals"].sum()) == 552 and tried.reports[0].file == r2.filename
    assert store.version() == v and len(store.snapshots()) == 12
    assert _totals(store.published_dataset()) == (6, 155, 930)


def test_site_names_of_a_stored_sheet_resolve_against_the_published_sites(store_url):
    store = open_store(store_url)
    sheet = ("Organisation,Org type,Sector,Governorate,District,Site,Start date,End date,Status\n"
             "IRC,INGO,WASH,Al-Anbar,,9 Kilo,Apr-2023,ongoing,Ongoing\n"
             "NRC,INGO,ICLA,Anbar,,Nowhere Camp,2023-01-01,Apr-2024,\n")
    _add(store, sheet.encode(), "anbar_4w.csv", publish=True)
    ds = store.published_dataset()
    assert ds.presence.set_index("partner")["scope_id"].to_dict() == {"IRC": "ANB-27", "NRC": "Nowhere Camp"}
    assert any("Nowhere Camp" in p.reason and p.row == 3 for r in ds.reports for p in r.warnings)

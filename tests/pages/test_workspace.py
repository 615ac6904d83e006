"""AppTest of the workspace in the app: the Workspace page (snapshots, publish, withdraw, history,
audit log) and the Upload page's save and publish, on a throwaway workspace (a temp DSDASH_HOME).

Files are real-format (tests/support/dtm_fixtures.py, the 4W sheet of tests/unit/test_history.py);
hand counts: round 129 = 600 individuals at 4 sites, round 130 = 420 at 4 sites (one closed, one new)."""

from __future__ import annotations

import pandas as pd
import pytest

from dsdash.store import open_store
from tests.unit.test_history import HH_129, HH_130, PRESENCE_NEW
from tests.support.dtm_fixtures import locations, master_list

SEED_FILES = 11  # data/*.csv: one published snapshot each


def _round_file(hh: dict[int, int], round_: int, month: str, name: str):
    locs = locations(5, seed=7, camps=0.0)
    locs = locs[locs["place_id"].isin(sorted(hh))].reset_index(drop=True)
    locs["households"] = [hh[i] for i in locs["place_id"]]
    locs["individuals"] = locs["households"] * 6
    return master_list(locs, round_=round_, month=month, fmt="xlsx", filename=name)


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A fresh workspace for each test."""
    monkeypatch.setenv("DSDASH_HOME", str(tmp_path))
    monkeypatch.delenv("DSDASH_DATABASE_URL", raising=False)
    monkeypatch.delenv("DSDASH_DATA_DIR", raising=False)
    return tmp_path


@pytest.fixture(scope="module")
def files():
    r129 = _round_file(HH_129, 129, "May 2023", "DTM_IDP_ML_R129_May2023.xlsx")
    r130 = _round_file(HH_130, 130, "July 2023", "DTM_IDP_ML_R130_Jul2023.xlsx")
    return [(r129.filename, r129.data, "application/octet-stream"),
            (r130.filename, r130.data, "application/octet-stream"),
            ("4W_Jul2023.csv", PRESENCE_NEW.encode(), "text/csv")]


def _texts(at) -> str:
    out = []
    for kind in ("markdown", "caption", "text", "success", "info", "warning"):
        out += [str(e.value) for e in getattr(at, kind)]
    return "\n".join(out)


def test_fresh_workspace_lists_the_seed(run_page, home):
    at = run_page("workspace.py")
    assert at.title[0].value == "Workspace"
    assert str(home / "workspace.sqlite") in _texts(at).replace("\\", "")
    snaps = at.dataframe[0].value
    assert len(snaps) == SEED_FILES and set(snaps["Status"]) == {"published"}
    assert set(snaps["Kind"]) == {"Embedded seed data"} and "Seed data: Sites" in set(snaps["File"])
    log = at.dataframe[-1].value
    assert list(log["Action"]) == ["seed"] and log["Snapshots"].iat[0] == ",".join(map(str, range(1, 12)))
    assert "One publication so far" in _texts(at)
    assert [b.label for b in at.get("download_button")] == ["Audit log CSV", "Audit log Excel"]


def test_upload_saves_and_publishes_then_withdraw_and_publish_again(run_page, rerun, home, files):
    at = run_page("upload.py", timeout=120)
    assert at.radio(key="upload_presence").value == "replace"
    assert at.checkbox(key="upload_adds_locations").value is False
    at.file_uploader[0].set_value(files)
    rerun(at)
    assert not at.button(key="upload_publish").disabled
    at.text_input(key="upload_note").set_value("rounds 129 and 130 from IOM")
    at.text_input(key="upload_who").set_value("Amal")
    at.button(key="upload_publish").click()
    rerun(at)
    said = [s.value for s in at.success]
    assert any("DTM\\_IDP\\_ML\\_R129\\_May2023.xlsx\\: stored as snapshot 12 and published" in s for s in said), said
    assert any("stored as snapshot 13 and published" in s for s in said)
    assert any("4W\\_Jul2023.csv\\: stored as snapshot 14 and published" in s for s in said)

    store = open_store()
    ds = store.published_dataset()
    assert sorted(ds.population["dtm_round"].dropna().unique().tolist()) == [129, 130]
    assert int(ds.population.loc[ds.population["dtm_round"] == 130, "individuals"].sum()) == 420
    assert "ANB-01" not in set(ds.sites["site_id"])  # the Master Lists supersede the seed's sites
    assert sorted(ds.presence["partner"].unique().tolist()) == ["IRC", "NRC", "UNICEF"]
    log = store.log()
    assert list(log["action"]) == ["seed", "add", "publish", "supersede", "add", "publish", "add", "publish"]
    assert log["snapshot_ids"][3] == "1,2,3,4"  # round 129 supersedes the seed's sites, population, presence, needs
    assert set(log["who"][1:]) == {"Amal"}
    assert set(log["why"][1:]) - {"superseded by snapshot 12"} == {"rounds 129 and 130 from IOM"}
    # the sidebar reads the published workspace
    assert any(t.value.startswith("Published workspace: DTM_IDP_ML_R129") for t in at.text)

    # the same bytes again: recognised, not stored
    at.button(key="upload_save").click()
    rerun(at)
    infos = [i.value for i in at.info]
    assert any("already stored as snapshot 12" in i for i in infos), infos
    assert len(open_store().snapshots()) == SEED_FILES + 3

    ws = run_page("workspace.py")
    snaps = ws.dataframe[0].value.set_index("Snapshot")
    assert snaps.loc[13, "Status"] == "published" and int(snaps.loc[13, "DTM round"]) == 130
    assert int(snaps.loc[13, "Individuals"]) == 420 and snaps.loc[13, "Added by"] == "Amal"
    ws.multiselect(key="ws_ids").set_value([13])
    ws.text_input(key="ws_why").set_value("round 130 sent again by IOM with corrections")
    rerun(ws)
    ws.button(key="ws_withdraw").click()
    rerun(ws)
    assert open_store().published_dataset().population["dtm_round"].dropna().unique().tolist() == [129]
    log = ws.dataframe[-1].value
    last = log.iloc[-1]
    assert (last["Action"], last["Snapshots"], last["Why"]) == \
        ("withdraw", "13", "round 130 sent again by IOM with corrections")
    assert ws.dataframe[0].value.set_index("Snapshot").loc[13, "Status"] == "withdrawn"

    # History: the last two publications (round 130 withdrawn)
    text = _texts(ws)
    assert "IDPs: 4 → 4 sites, 420 → 600 individuals" in text.replace("\\", ""), text

    ws.multiselect(key="ws_ids").set_value([13])
    ws.text_input(key="ws_why").set_value("checked")
    rerun(ws)
    ws.button(key="ws_publish").click()
    rerun(ws)
    assert sorted(open_store().published_dataset().population["dtm_round"].dropna().unique().tolist()) == [129, 130]
    assert list(ws.dataframe[-1].value["Action"])[-2:] == ["withdraw", "publish"]

    # two rounds of the published data
    ws.radio(key="ws_mode").set_value("rounds")
    rerun(ws)
    text = _texts(ws).replace("\\", "")
    assert "From IDPs round 129, 31 May 2023 to IDPs round 130, 31 Jul 2023." in text
    assert "Sites: 1 opened" in text and "1 closed" in text


def test_overview_says_what_changed_in_the_published_workspace(run_page, home, files):
    from dsdash.importers import import_file

    store = open_store()
    for name, data, _ in files:
        store.add(import_file(data, name), data, file_name=name, who="test", publish=True)
    at = run_page("overview.py")
    exp = [e for e in at.expander if e.label == "What changed since the previous round"][0]
    text = "\n".join(m.value for m in exp.markdown).replace("\\", "")
    assert "From IDPs round 129, 31 May 2023 to IDPs round 130, 31 Jul 2023." in text
    assert "IDPs: 4 → 4 sites, 600 → 420 individuals (-180)." in text
    assert [t.label for t in exp.tabs][:3] == ["Sites opened (1)", "Sites closed (1)", "Biggest population changes (2)"]
    assert "What changed (Excel, one sheet per kind of change)" in [b.label for b in at.get("download_button")]


def test_a_corrupt_workspace_file_is_a_message_naming_it(run_page, home):
    (home / "workspace.sqlite").write_bytes(b"this is not a database, it is a shopping list\n" * 100)
    at = run_page("overview.py")
    assert len(at.error) == 1
    said = at.error[0].value.replace("\\", "")
    assert "The workspace cannot be opened" in said and str(home / "workspace.sqlite") in said, said


def test_save_without_publishing_then_publish_on_the_workspace_page(run_page, rerun, home, files):
    at = run_page("upload.py", timeout=120)
    at.file_uploader[0].set_value(files[:1])
    rerun(at)
    at.checkbox(key="upload_adds_locations").check()
    at.button(key="upload_save").click()
    rerun(at)
    assert any("stored as snapshot 12 (not published yet" in s.value.replace("\\", "") for s in at.success)
    snaps = open_store().snapshots().set_index("id")
    assert snaps.at[12, "status"] == "added" and bool(snaps.at[12, "adds_locations"])
    assert len(open_store().published_dataset().sites) == 28  # the seed only

    ws = run_page("workspace.py")
    ws.multiselect(key="ws_ids").set_value([12])
    rerun(ws)
    ws.button(key="ws_publish").click()
    rerun(ws)
    ds = open_store().published_dataset()
    # a different set of locations: the seed's 28 Anbar sites stay beside round 129's 4
    assert len(ds.sites) == 28 + 4 and int(ds.population["individuals"].sum()) == 18_882 + 600
    assert "Published snapshot 12." in [s.value.replace("\\", "") for s in ws.success]


def test_meeting_pack_compares_with_the_previous_publication(run_page, rerun, home, files):
    from dsdash.importers import import_file

    store = open_store()
    for (name, data, _), who in zip(files, ["Amal", "Amal", "Omar"]):  # the 4W is a later publication
        store.add(import_file(data, name), data, file_name=name, who=who, publish=True)
    at = run_page("meeting.py", timeout=120)

    def what_changed(at) -> str:
        return next(t.value for t in at.text if t.value.startswith("From "))

    assert not at.radio(key="mp_since").disabled
    assert what_changed(at).startswith("From IDPs round 129, 31 May 2023 to IDPs round 130, 31 Jul 2023.")
    at.radio(key="mp_since").set_value("publication")
    rerun(at)
    text = what_changed(at)
    assert text.startswith("From the previous publication (IDPs round 130, 31 Jul 2023) to IDPs round 130"), text
    assert "IDPs: 4 → 4 sites, 420 → 420 individuals (+0)." in text
    assert "Partners: 2 started (IRC Water in " in text  # the July 4W: IRC and UNICEF serve on 31 Jul


def test_meeting_pack_with_one_publication_compares_rounds_only(run_page, home):
    at = run_page("meeting.py", timeout=120)
    assert at.radio(key="mp_since").disabled

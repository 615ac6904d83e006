"""AppTest of the Upload page with a Master List whose population group is stated nowhere (issue 11):
the counts show, the question is shown and named, "Use" (and saving) waits for the group; picking
IDP or returnee answers it and the file is used as that group. As the date question does, and
both at once, each named. Signed in as the role that uploads (an editor, ``AppTest.user``)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dsdash.store import open_store
from tests.support.dtm_fixtures import locations, master_list
from tests.support.paths import page_path

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "test-secret",
        "client_id": "dsdash", "client_secret": "dsdash", "server_metadata_url":
            "http://127.0.0.1:9/.well-known/openid-configuration"}
EDITOR = "ed@nrc.org"
BUTTONS = ("upload_use", "upload_save", "upload_publish")


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A throwaway workspace with an editor (all areas) who uploads."""
    monkeypatch.setenv("DSDASH_HOME", str(tmp_path))
    monkeypatch.delenv("DSDASH_DATABASE_URL", raising=False)
    monkeypatch.delenv("DSDASH_DATA_DIR", raising=False)
    store = open_store()
    store.set_user(EDITOR, "editor", organisation="NRC", who="test")
    store.close()
    return tmp_path


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _editor_page() -> AppTest:
    at = AppTest.from_file(page_path("upload.py"), default_timeout=90)
    at.secrets["auth"] = dict(AUTH)
    at.user = {"is_logged_in": True, "email": EDITOR}
    return _run(at)


def _counts(at):
    return at.dataframe[0].value.rename(columns=str.lower).iloc[0]


def _problems(at):
    """The problem table (the one with a level column; none when the files have no problem)."""
    frames = [d.value.rename(columns=str.lower) for d in at.dataframe]
    return next((f for f in frames if "level" in f.columns), frames[0].iloc[0:0].assign(level=[]))


def _waits(at) -> list[str]:
    return [w.value.replace("\\", "") for w in at.warning if "readable" in w.value]  # md_plain's escapes


def test_the_group_is_asked_use_waits_and_answering_makes_it_usable(home):
    fx = master_list(locations(60, seed=4), gen="2023", fmt="xlsx", title_rows=False,
                     filename="anbar_2024-04-30.xlsx")
    at = _editor_page()
    at.file_uploader[0].set_value((fx.filename, fx.data, "application/octet-stream"))
    _run(at)
    counts = _counts(at)  # the summary counts show while the question is open
    assert (counts["rows in"], counts["accepted"], counts["rejected"]) == (60, 60, 0)
    assert counts["needs"] == "the population group (IDP or returnee)"
    (wait,) = _waits(at)
    assert "60 rows readable; the population group (IDP or returnee) is needed. Pick it under 'For DTM Master " \
           "Lists whose file does not say' above" in wait
    for key in BUTTONS:
        b = at.button(key=key)
        assert b.disabled and b.help == "waits for the population group of the files above"
    problems = _problems(at)
    (q,) = problems[problems["level"] == "question"]["reason"]
    assert q.startswith("60 rows readable; the population group (IDP or returnee) is needed") and "--group" in q
    assert not (problems["level"] == "error").any()

    at.selectbox(key="upload_group").set_value("returnee")  # the answer: the file is imported again
    _run(at)
    counts = _counts(at)
    assert (counts["accepted"], counts["rejected"]) == (60, 0) and counts["needs"] in ("", "—")
    assert not _waits(at) and not (_problems(at)["level"] == "question").any()
    assert not any(at.button(key=k).disabled for k in BUTTONS)
    at.button(key="upload_use").click()
    _run(at)
    pop = at.session_state["dsdash_active_dataset"].population
    assert set(pop["population_group"]) == {"returnee"} and len(pop) == 60
    assert int(pop["households"].sum()) == fx.households and int(pop["individuals"].sum()) == fx.individuals


def test_saving_waits_for_the_group_and_the_date_each_named(home):
    fx = master_list(locations(30, seed=5), gen="2016", fmt="csv", title_rows=False, filename="anbar.csv")
    at = _editor_page()
    at.file_uploader[0].set_value((fx.filename, fx.data, "text/csv"))
    _run(at)
    counts = _counts(at)
    assert (counts["accepted"], counts["rejected"]) == (30, 0)
    assert counts["needs"] == "the population group (IDP or returnee); the reference date"
    (wait,) = _waits(at)
    assert "30 rows readable; the population group (IDP or returnee) and the reference date are needed" in wait
    assert at.button(key="upload_save").help == "waits for the population group and the reference date of the " \
                                                "files above"
    assert (_problems(at)["level"] == "question").sum() == 2

    at.selectbox(key="upload_group").set_value("idp")  # one answer: the date is still asked, by name
    _run(at)
    assert _counts(at)["needs"] == "the reference date" and at.button(key="upload_save").disabled
    assert at.button(key="upload_save").help == "waits for the reference date of the files above"
    at.text_input(key="upload_date_text").input("2024-04-30")
    _run(at)
    assert _counts(at)["needs"] in ("", "—") and not at.button(key="upload_save").disabled
    at.button(key="upload_save").click()
    _run(at)
    store = open_store()
    try:
        snaps = store.snapshots()
        new = snaps.iloc[-1]
        assert (new["file"], new["created_by"], new["population_group"], new["rows_accepted"]) == (
            "anbar.csv", EDITOR, "idp", 30)
        assert str(new["reference_date"]).startswith("2024-04-30") and new["households"] == fx.households
    finally:
        store.close()

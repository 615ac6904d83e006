"""AppTest of sign-in and roles (issue 17): every page as each role (``AppTest.user`` with an
``[auth]`` section in the test's secrets), what each role can and cannot see or do, the audit log.

A throwaway workspace per test (a temp DSDASH_HOME) with four users: admin@un.org (admin),
ed@nrc.org (editor, NRC), ed@irc.org (editor, IRC), view@donor.org (viewer)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dsdash.access import page_role, rank
from dsdash.store import open_store
from tests.support.paths import ROOT, page_path
from ui.nav import PAGES

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "test-secret",
        "client_id": "dsdash", "client_secret": "dsdash", "server_metadata_url":
            "http://127.0.0.1:9/.well-known/openid-configuration"}
USERS = {"admin": "admin@un.org", "editor": "ed@nrc.org", "viewer": "view@donor.org"}
NOT_ALLOWED = "Not allowed"


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("DSDASH_HOME", str(tmp_path))
    monkeypatch.delenv("DSDASH_DATABASE_URL", raising=False)
    monkeypatch.delenv("DSDASH_DATA_DIR", raising=False)
    store = open_store()
    store.set_user("admin@un.org", "admin", who="test")
    store.set_user("ed@nrc.org", "editor", organisation="NRC", who="test")
    store.set_user("ed@irc.org", "editor", organisation="IRC", who="test")
    store.set_user("view@donor.org", "viewer", who="test")
    store.close()
    return tmp_path


def _app(path: str, email: str | None, timeout: float = 90) -> AppTest:
    at = AppTest.from_file(path, default_timeout=timeout)
    at.secrets["auth"] = dict(AUTH)
    at.user = {"is_logged_in": True, "email": email} if email else {"is_logged_in": False}
    return at


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _errors(at: AppTest) -> str:
    return "\n".join(str(e.value) for e in at.error).replace("\\", "").replace("\u2060", "")


def _texts(at: AppTest) -> str:
    out = []
    for kind in ("markdown", "caption", "text", "success", "info", "warning", "error", "title"):
        out += [str(e.value) for e in getattr(at, kind)]
    return "\n".join(out).replace("\\", "").replace("\u2060", "")  # md_plain's escapes


def _log(action: str):
    store = open_store()
    try:
        log = store.log()
    finally:
        store.close()
    return log[log["action"] == action]


ROLES = ["admin", "editor", "viewer", "public", "none"]


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES)
def test_every_page_as_each_role(home, role):
    """Each role opens the pages its role allows and is refused the others (logged as denied)."""
    if role == "public":
        store = open_store()
        store.set_setting("public", "on", who="test")
        store.close()
    email = {"public": None, "none": "stranger@example.org"}.get(role, USERS.get(role))
    for page, title, _icon in PAGES:
        at = _run(_app(str(ROOT / page), email))
        allowed = role != "none" and rank(role) >= rank(page_role(page))
        if allowed:
            assert NOT_ALLOWED not in _errors(at), (role, page, _errors(at))
            assert "No access yet" not in _texts(at)
        elif role == "none":
            assert "No access yet" in _texts(at), (role, page)
            assert "admin@un.org" in _texts(at)  # whom to ask
        else:
            assert NOT_ALLOWED in _errors(at), (role, page)
        if role != "none":
            assert ("Sign out" in [b.label for b in at.button]) == (role != "public")
    denied = _log("denied")
    if role == "admin":
        assert denied.empty
    else:
        assert len(denied) >= 1 and (role == "public" or (denied["who"] == email).all())


def test_viewer_has_no_load_your_data_page_and_a_direct_visit_is_refused(home):
    at = _run(_app(str(ROOT / "app.py"), USERS["viewer"]))
    # the viewer's menu: the app registers the upload page hidden; a direct visit runs its guard
    at.switch_page("pages/upload.py")
    _run(at)
    assert "Not allowed: your role (viewer) may not open this page." in _errors(at)
    assert not at.get("file_uploader")
    denied = _log("denied")
    assert ((denied["who"] == "view@donor.org") & denied["why"].str.contains("upload.py")).any()
    signins = _log("sign_in")
    assert (signins["who"] == "view@donor.org").any()
    # the sidebar: who am I, what may I do
    texts = _texts(at)
    assert "Signed in as view@donor.org" in texts and "Role: viewer" in texts
    assert "May: download, build the meeting pack" in texts


def test_viewer_cannot_withdraw_on_the_workspace_page(home):
    at = _run(_app(page_path("workspace.py"), USERS["viewer"]))
    at.multiselect(key="ws_ids").set_value([1])
    _run(at)
    at.button(key="ws_withdraw").click()
    _run(at)
    assert "may not withdraw snapshots" in _errors(at)
    store = open_store()
    assert bool(store.snapshots().set_index("id").loc[1, "published"])
    store.close()


def _irc_snapshot() -> int:
    """A presence sheet added and published by IRC (via the store, as the IRC editor would)."""
    from dsdash.importers import import_file
    from tests.unit.test_history import PRESENCE_NEW

    data = PRESENCE_NEW.encode()
    res = import_file(data, "4W_IRC.csv")
    store = open_store()
    out = store.add(res, data, file_name="4W_IRC.csv", who="ed@irc.org", publish=True, organisation="IRC")
    store.close()
    assert out.stored
    return out.snapshot_id


def test_editor_of_one_organisation_cannot_withdraw_another_organisations_snapshot(home):
    sid = _irc_snapshot()
    at = _run(_app(page_path("workspace.py"), USERS["editor"]))  # NRC
    at.multiselect(key="ws_ids").set_value([sid])
    _run(at)
    at.button(key="ws_withdraw").click()
    _run(at)
    assert "of your organisation (NRC) only" in _errors(at) and "IRC" in _errors(at)
    store = open_store()
    assert store.snapshots().set_index("id").loc[sid, "status"] == "published"
    store.close()
    denied = _log("denied")
    assert ((denied["who"] == "ed@nrc.org") & (denied["snapshot_ids"] == str(sid))).any()
    # the seed is not NRC's either
    at.multiselect(key="ws_ids").set_value([1])
    _run(at)
    at.button(key="ws_withdraw").click()
    _run(at)
    assert "the embedded seed" in _errors(at)
    # IRC's editor may, and the log records the email
    at = _run(_app(page_path("workspace.py"), "ed@irc.org"))
    at.multiselect(key="ws_ids").set_value([sid])
    _run(at)
    at.button(key="ws_withdraw").click()
    _run(at)
    assert NOT_ALLOWED not in _errors(at)
    store = open_store()
    assert store.snapshots().set_index("id").loc[sid, "status"] == "withdrawn"
    log = store.log()
    store.close()
    assert ((log["action"] == "withdraw") & (log["who"] == "ed@irc.org")).any()


def test_unknown_email_gets_the_admin_set_role(home):
    at = _run(_app(page_path("overview.py"), "new@ngo.org"))
    assert "No access yet" in _texts(at) and "new@ngo.org" in _texts(at)
    store = open_store()
    store.set_setting("unknown_role", "viewer", who="admin@un.org")
    store.close()
    at = _run(_app(page_path("map.py"), "new@ngo.org"))
    assert NOT_ALLOWED not in _errors(at) and "Role: viewer" in _texts(at)


def test_admin_page_adds_a_user_and_logs_the_role_change(home):
    at = _run(_app(page_path("admin.py"), USERS["admin"]))
    at.text_input(key="admin_email").set_value("Someone@WFP.org")
    at.selectbox(key="admin_role").set_value("editor")
    at.text_input(key="admin_org").set_value("WFP")
    at.text_input(key="admin_areas").set_value("Anbar, Ninewa")
    at.button[0].click() if False else None
    submit = [b for b in at.button if b.label == "Save user"][0]
    submit.click()
    _run(at)
    store = open_store()
    who = store.user("someone@wfp.org")
    assert who.role == "editor" and who.organisation == "WFP" and who.areas == ("Anbar", "Ninewa")
    store.close()
    adds = _log("user_add")
    assert ((adds["who"] == "admin@un.org") & adds["why"].str.contains("someone@wfp.org: editor")).any()
    # a viewer reaching the admin page directly is refused
    at = _run(_app(page_path("admin.py"), USERS["viewer"]))
    assert NOT_ALLOWED in _errors(at) and not at.get("form")


def test_local_mode_says_so_on_every_page_and_needs_no_setup(home):
    for page, _t, _i in PAGES:
        at = AppTest.from_file(str(ROOT / page), default_timeout=90)
        _run(at)
        assert "Local mode: anyone who can open this address can edit" in [str(w.value) for w in at.warning], page
        assert NOT_ALLOWED not in _errors(at)


def test_public_view_is_aggregated_by_district(home):
    store = open_store()
    store.set_setting("public", "on", who="test")
    store.close()
    at = _run(_app(page_path("overview.py"), None))
    texts = _texts(at)
    assert "Not signed in (public view)" in texts
    # the key figures count districts, not the 28 sites: 3 districts of two sites or more
    assert "Made for a public audience" in texts and "left out" in texts
    sites = [m for m in at.metric if m.label == "Sites"]
    assert sites and sites[0].value == "3", [(m.label, m.value) for m in at.metric]


@pytest.mark.slow
def test_small_counts_and_a_changed_policy_on_the_pages(home, tmp_path, monkeypatch):
    """data/policy.toml changed (viewers are a public audience, under 10 households suppressed) and the
    seed's sites and population made public: the pages run, the deck and downloads say the audience."""
    from dsdash.policy import CONFIG

    text = CONFIG.read_text().replace('viewer = "restricted"', 'viewer = "public"').replace(
        "min_households = 5", "min_households = 10")
    cfg = tmp_path / "policy.toml"
    cfg.write_text(text)
    monkeypatch.setenv("DSDASH_POLICY", str(cfg))
    store = open_store()
    snaps = store.snapshots().set_index("file")
    store.set_sharing([int(snaps.loc["data/sites.csv", "id"]), int(snaps.loc["data/population.csv", "id"])],
                      "public", who="test")
    store.close()
    for page in ("overview.py", "map.py", "gaps.py", "meeting.py"):
        at = _run(_app(page_path(page), USERS["viewer"]))
        texts = _texts(at)
        assert "Made for a public audience" in texts, page
        assert "fewer than 10 households are shown as \"<10\"" in texts, page
    names = [b.proto.label for b in at.get("download_button")]
    assert names, "the meeting page has its deck download"


def test_editor_saves_within_their_areas_only_and_the_snapshot_is_their_organisations(home):
    from tests.pages.test_workspace import HH_129, _round_file

    r129 = _round_file(HH_129, 129, "May 2023", "DTM_IDP_ML_R129_May2023.xlsx")
    store = open_store()
    store.set_user("ed@nrc.org", "editor", organisation="NRC", areas=["Ninewa"], who="test")
    store.close()
    at = _run(_app(page_path("upload.py"), USERS["editor"]))
    at.file_uploader[0].set_value([(r129.filename, r129.data, "application/octet-stream")])
    _run(at)
    at.button(key="upload_save").click()
    _run(at)
    assert "your areas are Ninewa" in _errors(at)
    store = open_store()
    assert len(store.snapshots()) == 11  # the seed only: nothing stored
    store.set_user("ed@nrc.org", "editor", organisation="NRC", who="test")  # all areas
    store.close()
    at = _run(_app(page_path("upload.py"), USERS["editor"]))
    at.file_uploader[0].set_value([(r129.filename, r129.data, "application/octet-stream")])
    _run(at)
    at.radio(key="upload_sharing").set_value("confidential")
    at.button(key="upload_save").click()
    _run(at)
    assert NOT_ALLOWED not in _errors(at)
    store = open_store()
    new = store.snapshots().iloc[-1]
    log = store.log()
    store.close()
    assert (new["organisation"], new["sharing"], new["created_by"]) == ("NRC", "confidential", "ed@nrc.org")
    assert ((log["action"] == "add") & (log["who"] == "ed@nrc.org")).any()

"""Sign-in through a real OpenID Connect provider running locally (oidc-provider-mock, started by
the test), as an editor and as a viewer, with screenshots (tests/screenshots/signin-*.png).

The app runs with its own secrets file (``STREAMLIT_SECRETS_FILES``: an ``[auth]`` section that
points at the mock provider) and its own workspace, where ed@nrc.org is an NRC editor and
view@donor.org a viewer. Streamlit's st.login redirects to the provider's form; the test types
the subject and authorises; the provider redirects back to /oauth2callback with a code, which
Streamlit exchanges for an ID token (the email claim)."""

from __future__ import annotations

import pytest

from dsdash.store import open_store
from tests.browser.helpers import AppServer, assert_no_errors, screenshot, wait_for_app

pytestmark = pytest.mark.browser

oidc_provider_mock = pytest.importorskip("oidc_provider_mock")

USERS = {"ed@nrc.org": "Edna Editor", "view@donor.org": "Victor Viewer"}


@pytest.fixture(scope="module")
def provider():
    claims = [oidc_provider_mock.User(sub=e, claims={"email": e, "name": n}) for e, n in USERS.items()]
    with oidc_provider_mock.run_server_in_thread(user_claims=claims) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def signin_app(provider, tmp_path_factory, browser):
    home = tmp_path_factory.mktemp("signin_home")
    store = open_store(f"sqlite:///{home / 'workspace.sqlite'}")
    store.set_user("ed@nrc.org", "editor", organisation="NRC", who="test")
    store.set_user("view@donor.org", "viewer", who="test")
    store.set_user("admin@un.org", "admin", who="test")
    store.close()
    server = AppServer(env={"DSDASH_HOME": str(home)})
    secrets = home / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "{server.url}/oauth2callback"\n'
        'cookie_secret = "a-test-cookie-secret-of-some-length"\n'
        'client_id = "dsdash"\n'
        'client_secret = "dsdash-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
    )
    server.extra_env["STREAMLIT_SECRETS_FILES"] = str(secrets)
    server.extra_env.pop("DSDASH_DATABASE_URL", None)
    server.start()
    server.warm_up(browser)
    yield server
    server.stop()


def _sign_in(page, app, email: str) -> None:
    page.goto(app.url)
    wait_for_app(page)
    assert "No access yet" in _body(page)
    page.get_by_role("button", name="Sign in").first.click()
    page.wait_for_selector('input[name="sub"]', timeout=30_000)  # the provider's form
    page.fill('input[name="sub"]', email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{app.url}/**", timeout=30_000)
    wait_for_app(page)


def _body(page) -> str:
    return page.inner_text("body").replace("\u2060", "")  # md_plain's word joiner in an email


def _nav(page) -> str:
    return page.locator('[data-testid="stSidebarNav"]').inner_text()


def test_editor_signs_in_and_may_load_data(page, signin_app):
    _sign_in(page, signin_app, "ed@nrc.org")
    body = _body(page)
    assert "Signed in as ed@nrc.org" in body and "Role: editor" in body and "Organisation: NRC" in body
    assert "Local mode" not in body
    assert "Load your data" in _nav(page) and "Users and roles" not in _nav(page)
    assert_no_errors(page, "editor overview")
    screenshot(page, "signin-editor-overview")
    page.goto(f"{signin_app.url}/upload")
    wait_for_app(page)
    assert "Not allowed" not in _body(page)
    screenshot(page, "signin-editor-upload")
    page.get_by_role("button", name="Sign out").click()  # st.logout: also the provider's end-session page
    page.wait_for_timeout(2500)
    page.goto(signin_app.url)
    wait_for_app(page)
    assert "No access yet" in _body(page) and "Signed in as" not in _body(page)


def test_viewer_signs_in_and_is_refused_load_your_data(page, signin_app):
    _sign_in(page, signin_app, "view@donor.org")
    body = _body(page)
    assert "Signed in as view@donor.org" in body and "Role: viewer" in body
    assert "Load your data" not in _nav(page) and "Site map" in _nav(page)
    screenshot(page, "signin-viewer-overview")
    page.goto(f"{signin_app.url}/upload")
    wait_for_app(page)
    assert "Not allowed: your role (viewer) may not open this page." in _body(page)
    screenshot(page, "signin-viewer-upload-refused")
    store = open_store(f"sqlite:///{signin_app.extra_env['DSDASH_HOME']}/workspace.sqlite")
    log = store.log()
    store.close()
    assert ((log["action"] == "sign_in") & (log["who"] == "view@donor.org")).any()
    assert ((log["action"] == "denied") & (log["who"] == "view@donor.org")).any()

"""AppTest: the view (filters, as-of date, horizon) the sidebar keeps in the URL, on every page, and
how other data resets it."""

from streamlit.testing.v1 import AppTest

from tests.support.paths import page_path
from ui.state import ACTIVE_KEY


def url(at: AppTest) -> dict[str, str]:
    """The page's query string (a value the page wrote is a list of one)."""
    return {k: v[-1] if isinstance(v, list) else v for k, v in at.query_params.items()}


def test_the_view_is_in_the_url_on_every_page(run_page):
    """A page without a date control still carries the as-of date and horizon (and writes the
    data's latest date and the default horizon when the URL has none)."""
    q = url(run_page("overview.py"))
    assert q["as_of"] == "2023-12-10" and q["horizon"] == "90"
    at = run_page("trends.py", {"as_of": "2023-09-30", "horizon": "30", "site_group": "Rutba"})
    assert url(at) == {"as_of": "2023-09-30", "horizon": "30", "site_group": "Rutba"}
    assert not at.get("date_input") and not at.number_input


def test_other_data_starts_at_its_own_latest_date(ds):
    """Going back to the embedded data (or making uploads active) drops the chosen as-of date."""
    at = AppTest.from_file(page_path("upload.py"), default_timeout=60)
    at.query_params["as_of"] = "2023-09-30"
    at.session_state[ACTIVE_KEY] = ds.with_tables(origin="upload")
    at.run()
    assert url(at)["as_of"] == "2023-09-30"
    at.button(key="upload_reset").click().run()
    assert not at.exception
    assert url(at)["as_of"] == "2023-12-10" and url(at)["horizon"] == "90"

"""AppTest: each page runs on the embedded data with no exception and shows what it should."""

from streamlit.testing.v1 import AppTest

from tests.conftest import page_path
from ui.state import ACTIVE_KEY


def run(name: str, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(page_path(name), default_timeout=60)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_overview_page_shows_seed_figures_with_sources():
    at = run("overview.py")
    m = metric_values(at)
    assert m["Sites"] == "28" and m["Households"] == "3,147" and m["Individuals"] == "18,882"
    assert m["IDPs in Iraq (national)"] == "1,098,913"
    assert m["Returnees in severe conditions"] == "12 %"
    captions = " ".join(c.value for c in at.caption).replace("\\", "")  # md_plain escapes
    assert "households × 6" in captions and "round 132" in captions and "000_ae1aa949a6b1374c" in captions
    tables = [df.value for df in at.dataframe]
    assert any("national_series" in t["table"].tolist() for t in tables if "table" in t.columns)


def test_overview_respects_filters_from_the_url():
    at = run("overview.py", {"site_group": "Rutba"})
    m = metric_values(at)
    assert m["Sites"] == "6" and m["Individuals"] == "1,944"


def test_overview_shows_untrusted_sources_as_text(tmp_path, monkeypatch):
    """A source or site text written as markdown (a link, an image) is escaped, not rendered."""
    import shutil

    import pandas as pd

    from tests.conftest import ROOT

    for f in (ROOT / "data").glob("*.csv"):
        shutil.copy(f, tmp_path / f.name)
    pop = pd.read_csv(tmp_path / "population.csv", dtype=str, keep_default_na=False)
    pop["source"] = "[click me](http://evil.example) ![x](http://evil.example/i.png)"
    pop.to_csv(tmp_path / "population.csv", index=False)
    monkeypatch.setenv("DSDASH_DATA_DIR", str(tmp_path))
    at = run("overview.py")
    shown = [c.value for c in at.caption if "click me" in c.value]
    assert shown, "the crafted source is not shown at all"
    for text in shown:
        assert "\\[click me\\]\\(http\\:\u2060//evil.example\\)" in text
        assert "![x]" not in text


def url(at: AppTest) -> dict[str, str]:
    """The page's query string (a value the page wrote is a list of one)."""
    return {k: v[-1] if isinstance(v, list) else v for k, v in at.query_params.items()}


def test_the_view_is_in_the_url_on_every_page():
    """A page without a date control still carries the as-of date and horizon (and writes the
    data's latest date and the default horizon when the URL has none)."""
    q = url(run("overview.py"))
    assert q["as_of"] == "2023-12-10" and q["horizon"] == "90"
    at = run("trends.py", {"as_of": "2023-09-30", "horizon": "30", "site_group": "Rutba"})
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

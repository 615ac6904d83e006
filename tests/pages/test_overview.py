"""AppTest: the Overview page on the embedded data shows the seed's figures with their sources,
follows the URL's filters, shows untrusted text as text, and offers the downloads."""

from streamlit.testing.v1 import AppTest

from tests.support.paths import page_path


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_overview_page_shows_seed_figures_with_sources(run_page):
    at = run_page("overview.py")
    m = metric_values(at)
    assert m["Sites"] == "28" and m["Households"] == "3,147" and m["Individuals"] == "18,882"
    assert m["IDPs in Iraq (national)"] == "1,098,913"
    assert m["Returnees in severe conditions"] == "12 %"
    captions = " ".join(c.value for c in at.caption).replace("\\", "")  # md_plain escapes
    assert "households × 6" in captions and "round 132" in captions and "DSTWG monthly meeting, 13 December 2023" in captions
    tables = [df.value for df in at.dataframe]
    assert any("National series (IOM DTM)" in t["Table"].tolist() for t in tables if "Table" in t.columns)


def test_overview_respects_filters_from_the_url(run_page):
    at = run_page("overview.py", {"site_group": "Rutba"})
    m = metric_values(at)
    assert m["Sites"] == "6" and m["Individuals"] == "1,944"


def test_overview_shows_untrusted_sources_as_text(tmp_path, monkeypatch, run_page):
    """A source or site text written as markdown (a link, an image) is escaped, not rendered."""
    import shutil

    import pandas as pd

    from tests.support.paths import ROOT

    for f in (ROOT / "data").glob("*.csv"):
        shutil.copy(f, tmp_path / f.name)
    pop = pd.read_csv(tmp_path / "population.csv", dtype=str, keep_default_na=False)
    pop["source"] = "[click me](http://evil.example) ![x](http://evil.example/i.png)"
    pop.to_csv(tmp_path / "population.csv", index=False)
    monkeypatch.setenv("DSDASH_DATA_DIR", str(tmp_path))
    at = run_page("overview.py")
    shown = [c.value for c in at.caption if "click me" in c.value]
    assert shown, "the crafted source is not shown at all"
    for text in shown:
        assert "\\[click me\\]\\(http\\:\u2060//evil.example\\)" in text
        assert "![x]" not in text


def test_overview_offers_downloads():
    at = AppTest.from_file(page_path("overview.py"), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Key figures CSV" in labels and "Key figures Excel" in labels
    assert "Sites CSV" in labels and "Sites Excel" in labels
    assert any(label.startswith("Download all tables") for label in labels)

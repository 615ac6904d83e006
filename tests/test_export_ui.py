"""The UI side of exports: displayed tables hold no raw formula (the grid's own CSV
download writes what the grid holds), and pages offer CSV/XLSX downloads."""

from streamlit.testing.v1 import AppTest

from tests.conftest import page_path


def _grid_app():
    import pandas as pd

    from ui.downloads import download_buttons, show_table

    df = pd.DataFrame({
        "site_name": pd.array(["=HYPERLINK(\"http://evil\",\"x\")", "+1", "-1", "@A1", "\tx", "\ry", "الكرامة"],
                              dtype="string"),
        "=col": [1, 2, 3, 4, 5, 6, -7],
    })
    show_table(df)
    download_buttons(df, "sites", key="dl")


def test_show_table_grid_holds_no_formula_strings():
    at = AppTest.from_function(_grid_app, default_timeout=30)
    at.run()
    assert not at.exception
    shown = at.dataframe[0].value
    assert list(shown.columns) == ["site_name", "'=col"]
    assert shown["site_name"].tolist() == ["'=HYPERLINK(\"http://evil\",\"x\")", "'+1", "'-1", "'@A1", "'\tx", "'\ry",
                                           "الكرامة"]
    assert shown["'=col"].tolist() == [1, 2, 3, 4, 5, 6, -7]  # numbers stay numbers
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download CSV", "Download Excel"]
    assert at.checkbox(key="dl_hxl").value is False


def test_overview_offers_downloads():
    at = AppTest.from_file(page_path("overview.py"), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Key figures CSV" in labels and "Key figures Excel" in labels
    assert "Sites CSV" in labels and "Sites Excel" in labels
    assert any(label.startswith("Download all tables") for label in labels)

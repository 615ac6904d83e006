"""The UI side of exports (ui/downloads.py): displayed tables hold no raw formula (the grid's own
CSV download writes what the grid holds), and tables come with CSV/XLSX downloads. The pages'
own downloads are checked in their files (test_overview.py)."""

from streamlit.testing.v1 import AppTest


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
    assert list(shown.columns) == ["Site", "'=col"]  # labels (schema.COLUMN_LABELS), a foreign name as it is
    assert shown["Site"].tolist() == ["'=HYPERLINK(\"http://evil\",\"x\")", "'+1", "'-1", "'@A1", "'\tx", "'\ry",
                                           "الكرامة"]
    assert shown["'=col"].tolist() == [1, 2, 3, 4, 5, 6, -7]  # numbers stay numbers
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download CSV", "Download Excel"]
    assert at.checkbox(key="dl_hxl").value is False


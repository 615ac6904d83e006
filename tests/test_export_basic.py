import io

import pandas as pd
from openpyxl import load_workbook

from dsdash.export import to_csv_bytes, to_xlsx_bytes


def test_csv_neutralises_and_keeps_arabic():
    df = pd.DataFrame({"site_name": ["=1+1", "الكرامة", "@SUM(A1)", "ok"], "households": [1, 2, 3, -4]})
    text = to_csv_bytes(df, hxl=True, table="population").decode("utf-8-sig")
    back = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert back.iloc[0].tolist() == ["#loc+name", "#population+hh"]
    assert back["site_name"].tolist()[1:] == ["'=1+1", "الكرامة", "'@SUM(A1)", "ok"]
    assert back["households"].tolist()[1:] == ["1", "2", "3", "-4"]


def test_xlsx_has_no_formula_cells():
    df = pd.DataFrame({"partner": ["=cmd|' /C calc'!A0", "+x", "NRC"]})
    wb = load_workbook(io.BytesIO(to_xlsx_bytes(df)))
    values = [c.value for c in wb.active["A"]]
    assert values == ["partner", "'=cmd|' /C calc'!A0", "'+x", "NRC"]
    assert all(c.data_type != "f" for c in wb.active["A"])

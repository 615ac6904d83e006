"""Exports: neutralised formulas, CR-safe CSV, Arabic, dates as dates, numbers as numbers,
HXL row, and a 50,000-row export that reads back whole with no formula cell."""

import csv
import datetime as dt
import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from dsdash.export import (
    FORMULA_PREFIXES, figures_table, hxl_row, neutralise_frame, to_csv_bytes, to_xlsx_bytes,
)
from dsdash.figures import national_figures, site_figures

NASTY = ["=1+1", "+33", "-2+3", "@SUM(A1)", "\t=cmd", "\r=cmd", "=HYPERLINK(\"http://evil\",\"x\")"]


def frame():
    return pd.DataFrame({
        "site_name": pd.array(NASTY + ["الكرامة", "Kilo 7\rnorth", "line\nbreak", "a - b", None],
                              dtype="string"),
        "individuals": pd.array([1, 2, 3, -4, 5, 6, 7, 8, 9, 10, None, 12], dtype="Int64"),
        "reference_date": pd.Series(pd.to_datetime(["2023-12-10"] * 11 + [None])).astype("datetime64[s]"),
        "share": [0.5] * 12,
    })


def read_csv(data: bytes, **kw) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False, dtype=str, **kw)


def test_csv_neutralises_every_prefix_and_keeps_numbers_arabic_and_dates():
    data = to_csv_bytes(frame())
    assert data.startswith("\ufeff".encode())
    back = read_csv(data)
    assert len(back) == 12
    names = back["site_name"].tolist()
    assert names[:7] == ["'" + s for s in NASTY]
    assert names[7:11] == ["الكرامة", "Kilo 7\rnorth", "line\nbreak", "a - b"]
    assert not any(n.startswith(FORMULA_PREFIXES) for n in names)
    assert back["individuals"].tolist()[:4] == ["1", "2", "3", "-4"]  # a negative number stays a number
    assert back["reference_date"].tolist()[0] == "2023-12-10" and back["reference_date"].tolist()[-1] == ""


def test_csv_bare_cr_survives_the_stdlib_reader_too():
    data = to_csv_bytes(frame())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(rows) == 13 and all(len(r) == 4 for r in rows)
    assert rows[9][0] == "Kilo 7\rnorth"
    assert b'"Kilo 7\rnorth"' in data  # quoted, so a reader that splits on bare CR cannot break the row
    assert data.count(b"\r\n") == 13  # one CRLF per record, none inside fields


def test_csv_with_times_keeps_times():
    df = pd.DataFrame({"t": pd.to_datetime(["2024-01-01 10:30", "2024-01-02 00:00"])})
    assert read_csv(to_csv_bytes(df))["t"].tolist() == ["2024-01-01 10:30:00", "2024-01-02 00:00:00"]


def test_csv_hxl_row_sits_under_the_header():
    back = read_csv(to_csv_bytes(frame(), hxl=True, table="population"))
    assert back.iloc[0].tolist() == ["#loc+name", "#population+ind", "#date+reported", ""]
    assert len(back) == 13


def test_column_names_are_neutralised_too():
    df = pd.DataFrame({"=evil()": [1], "ok": ["x"]})
    assert read_csv(to_csv_bytes(df)).columns.tolist() == ["'=evil()", "ok"]
    ws = load_workbook(io.BytesIO(to_xlsx_bytes(df))).active
    assert ws["A1"].value == "'=evil()" and ws["A1"].data_type == "s"


def test_xlsx_types_text_numbers_dates():
    ws = load_workbook(io.BytesIO(to_xlsx_bytes(frame(), hxl=True, table="population"))).active
    rows = list(ws.iter_rows())
    assert [c.value for c in rows[0]] == ["site_name", "individuals", "reference_date", "share"]
    assert [c.value for c in rows[1]][:3] == ["#loc+name", "#population+ind", "#date+reported"]
    data = rows[2:]
    assert len(data) == 12
    assert [r[0].value for r in data[:7]] == ["'" + s for s in NASTY]
    assert data[7][0].value == "الكرامة"
    assert data[8][0].value == "Kilo 7\rnorth"
    assert all(r[0].data_type == "s" for r in data[:-1])
    assert data[3][1].value == -4 and data[3][1].data_type == "n"
    assert data[10][1].value is None
    assert data[0][2].is_date and data[0][2].value == dt.datetime(2023, 12, 10)
    assert data[0][3].value == 0.5
    assert ws.freeze_panes == "A3"
    assert not any(c.data_type == "f" for r in rows for c in r)


def test_xlsx_survives_control_characters_and_odd_sheet_names():
    a = pd.DataFrame({"note": ["bell\x07", "ok"]})
    b = pd.DataFrame({"n": [1]})
    wb = load_workbook(io.BytesIO(to_xlsx_bytes({"a/b:c": a, "A/B:C": b, "x" * 40: b})))
    assert wb.sheetnames == ["a_b_c", "A_B_C (2)", "x" * 31]
    assert wb["a_b_c"]["A2"].value == "bell\ufffd"


def test_xlsx_multi_sheet_hxl_uses_sheet_names_as_tables(ds):
    wb = load_workbook(io.BytesIO(to_xlsx_bytes({"sites": ds.sites, "population": ds.population}, hxl=True)))
    assert [c.value for c in wb["population"][2]][:4] == hxl_row(ds.population, "population")[:4]
    ind = [r[3] for r in wb["population"].iter_rows(min_row=3, values_only=True)]
    assert sum(ind) == 18_882  # the seed's total, as numbers
    assert wb["sites"].max_row == 28 + 2


def test_neutralise_frame_does_not_touch_numbers_or_the_input():
    df = frame()
    out = neutralise_frame(df)
    assert df["site_name"].iloc[0] == "=1+1"  # input untouched
    assert out["individuals"].dtype == df["individuals"].dtype
    assert out["site_name"].iloc[0] == "'=1+1"


def test_figures_table_carries_sources(ds):
    t = figures_table(site_figures(ds) + national_figures(ds))
    row = t.set_index("figure").loc["IDPs in Iraq (national)"]
    assert row["value"] == 1_098_913 and "round 132" in row["date"] and "IOM" in row["citation"]
    assert t.set_index("figure").loc["Individuals", "value"] == 18_882


@pytest.fixture(scope="module")
def big():
    n = 50_000
    rng = np.random.default_rng(7)
    kinds = np.array(["=HYPERLINK(\"http://x\",\"click\")", "+1", "-1", "@SUM(A1:A9)", "\tcmd", "\r=1", "Bzebiz",
                      "الكرامة\r2"])
    return pd.DataFrame({
        "site_name": pd.array(kinds[np.arange(n) % len(kinds)], dtype="string"),
        "individuals": pd.array(rng.integers(-5, 5000, n), dtype="Int64"),
        "reference_date": pd.Series(pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D"))
        .astype("datetime64[s]"),
    })


def test_50000_rows_csv_reads_back_whole_without_formulas(big):
    back = read_csv(to_csv_bytes(big))
    assert len(back) == 50_000
    assert not back["site_name"].str.startswith(FORMULA_PREFIXES).any()
    assert (back["site_name"] == "'=HYPERLINK(\"http://x\",\"click\")").sum() == 6_250
    assert (back["site_name"] == "الكرامة\r2").sum() == 6_250
    assert pd.to_numeric(back["individuals"]).sum() == int(big["individuals"].sum())


def test_50000_rows_xlsx_reads_back_whole_without_formulas(big):
    wb = load_workbook(io.BytesIO(to_xlsx_bytes(big)), read_only=True)
    ws = wb.active
    n = formulas = 0
    total = 0
    for row in ws.iter_rows(min_row=2):
        n += 1
        formulas += sum(c.data_type == "f" for c in row)
        assert not str(row[0].value).startswith(FORMULA_PREFIXES)
        total += row[1].value
    assert n == 50_000 and formulas == 0
    assert total == int(big["individuals"].sum())
    back = pd.read_excel(io.BytesIO(to_xlsx_bytes(big.head(10))))
    assert pd.api.types.is_datetime64_any_dtype(back["reference_date"])
    assert pd.api.types.is_integer_dtype(back["individuals"])


def test_categorical_text_is_neutralised_too():
    df = pd.DataFrame({"partner": pd.Categorical(["=cmd", "NRC", "=cmd"]), "n": pd.Categorical([1, 2, 1])})
    assert read_csv(to_csv_bytes(df))["partner"].tolist() == ["'=cmd", "NRC", "'=cmd"]
    ws = load_workbook(io.BytesIO(to_xlsx_bytes(df))).active
    assert [c.value for c in ws["A"]] == ["partner", "'=cmd", "NRC", "'=cmd"]
    assert [c.value for c in ws["B"]][1:] == [1, 2, 1]
    assert neutralise_frame(df)["partner"].dtype == "category"
    clash = pd.DataFrame({"p": pd.Categorical(["=x", "'=x"])})
    assert neutralise_frame(clash)["p"].tolist() == ["'=x", "'=x"]


def test_xlsx_cuts_text_longer_than_an_excel_cell_and_says_so():
    from dsdash.export import XLSX_CELL_MAX

    df = pd.DataFrame({"note": pd.array(["x" * 40_000, "short"], dtype="string")})
    ws = load_workbook(io.BytesIO(to_xlsx_bytes(df))).active
    assert len(ws["A2"].value) == XLSX_CELL_MAX and ws["A2"].value.endswith("characters]")
    assert ws["A3"].value == "short"
    assert read_csv(to_csv_bytes(df))["note"].str.len().tolist() == [40_000, 5]  # CSV keeps it whole


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


# --------------------------------------------------------------------------- tables for people
def test_every_column_of_our_tables_has_a_label_that_reads_back():
    from dsdash.schema import COLUMN_LABELS, LABEL_TO_COLUMN, TABLES

    for spec in TABLES.values():
        labels = [COLUMN_LABELS[c] for c in spec.column_names]  # KeyError: a column without a label
        assert len(set(labels)) == len(labels), spec.name
        assert [LABEL_TO_COLUMN[lb] for lb in labels] == spec.column_names


def test_screen_table_reads_in_words():
    from dsdash.export import screen_table

    df = pd.DataFrame({
        "service": ["sanitation_waste", "water"], "site_type": ["small_informal", None],
        "on_as_of": [None, "serves"], "end_date": pd.to_datetime(["2024-08-31", None]),
        "individuals": pd.array([8520, None], dtype="Int64"), "households": [1420, 3], "dtm_round": [132.0, None],
        "source": ["facts/dtm_iraq_national_series.csv: ML Report 117 (reliefweb)", None],
    })
    t = screen_table(df)
    assert list(t.columns) == ["Service", "Site type", "On the as-of date", "End", "Individuals", "Households",
                               "DTM round", "Source"]
    assert t.iloc[0].tolist() == ["Sanitation and solid waste", "Small informal site", "—", "31 Aug 2024", "8,520",
                                  1420, "132", "IOM DTM Master List Report, round 117, 31 August 2020"]
    assert t.iloc[1].tolist() == ["Water", "—", "serves", "—", "—", 3, "—", "—"]
    both = screen_table(pd.DataFrame({"indicator": ["returned"], "indicator_label": ["HHs who have returned"]}))
    assert both.to_dict("records") == [{"Indicator": "HHs who have returned"}]  # a code and its label: shown once


def test_a_labelled_download_of_every_table_loads_back_the_same():
    """The app's 'all tables' workbook has labels in its header (and the HXL row): the
    tidy importer reads it back to the same tables."""
    from dsdash.dataset import load_embedded
    from dsdash.importers import import_file

    ds = load_embedded()
    data = to_xlsx_bytes({"sites": ds.sites, "population": ds.population}, hxl=True, labels=True)
    wb = load_workbook(io.BytesIO(data), read_only=True)
    assert wb.sheetnames == ["Sites", "Population counts"]
    head = [next(ws.iter_rows(max_row=2, values_only=True)) for ws in wb.worksheets]
    assert head[0][:3] == ("Site ID", "Site", "Site (Arabic)") and head[0][-2:] == ("Source ID", "Source")
    res = import_file(to_csv_bytes(ds.population, labels=True), "population.csv")
    assert res.kind == "table:population"
    back = res.tables["population"]
    assert back["individuals"].sum() == ds.population["individuals"].sum() == 18_882
    assert back["source"].tolist() == ds.population["source"].tolist()


_CELLS = st.one_of(st.none(), st.just(float("nan")), st.text(max_size=12), st.integers(-10**9, 10**9),
                   st.floats(allow_nan=True, allow_infinity=False, width=32),
                   st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2040, 1, 1)),
                   st.sampled_from(["sanitation_waste", "small_informal", "hh_x6", "lost", ""]))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["service", "site_type", "individuals", "end_date", "note", "on_as_of",
                                           "dtm_round", "source", "state", "x_y"]),
                          st.lists(_CELLS, min_size=1, max_size=4)), min_size=1, max_size=5))
def test_screen_table_never_shows_none_nan_or_midnight(columns):
    from dsdash.export import screen_table

    n = min(len(v) for _, v in columns)
    df = pd.DataFrame({name: pd.Series(v[:n], dtype=object) for name, v in columns})
    for c in df.columns:  # typed columns as the data has them
        try:
            df[c] = pd.to_numeric(df[c]) if c in ("individuals", "dtm_round") else df[c]
        except (TypeError, ValueError):
            pass
    t = screen_table(df)
    assert len(t) == len(df) and len(t.columns) == len(df.columns)
    for c in t.columns:
        assert "_" not in c or not c.islower(), c
        for v in t[c]:
            if isinstance(v, str):
                assert v not in ("None", "nan", "NaN", "<NA>", "NaT") and "00:00:00" not in v, (c, v)
            else:
                assert v is not None and not (isinstance(v, float) and v != v), (c, v)

"""The import core's fast paths give exactly what the general paths give (issue 11's speed work must
not change a result).

Each shortcut taken on the way from a sheet's cells to a Master List's tables is checked against the
path it skips, on the same cells: a workbook's whole numbers as text in one Arrow cast, a CSV count
column of plain digits read without its text pass, blank rows of a workbook's number columns, the
title rows' text, and the typed columns of a check without its frames.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from dsdash.importers.common import EMPTY_CELLS, blank_rows, rows_text
from dsdash.importers.detect import TopRows
from dsdash.importers.dtm import (
    COUNT_FIELDS, IF_UNREAD, ROW_SPEC, _blank_cells, _cell, _filled, _occurrences, _rows_by_column, _runs,
)
from dsdash.schema import LoadReport
from dsdash.validate import TEXT, _astext, check_columns, check_table, number_arrays, text_cells

MISSING = st.sampled_from([None, float("nan"), np.float64("nan"), pd.NA])
WHOLE = st.one_of(st.integers(-10**6, 10**6), st.integers(-2**63, 2**63 - 1), st.integers(2**63, 2**70),
                  st.integers(-2**70, -2**63 - 1), st.integers(0, 255).map(np.uint8), st.integers(-2**31, 2**31 - 1)
                  .map(np.int32), st.integers(0, 2**64 - 1).map(np.uint64))


def _objects(cells: list) -> np.ndarray:
    out = np.empty(len(cells), dtype=object)
    out[:] = cells
    return out


@settings(max_examples=200, deadline=None)
@given(cells=st.lists(st.one_of(MISSING, WHOLE), max_size=30))
def test_a_workbook_column_of_whole_numbers_is_the_text_pandas_makes(cells):
    values = _objects(cells)
    want = pd.Series(values, dtype=object).astype(TEXT).array.__arrow_array__()
    got = _astext(values)
    assert got.type == want.type and got.to_pylist() == want.to_pylist()


def _arrow_column(cells: list[str | None], how: str) -> pd.Series:
    """Cells as a CSV reader gives them: Arrow text (pandas' "string" or "str"), in several chunks, or a
    slice of a longer array."""
    if how == "chunks" and len(cells) > 1:
        k = len(cells) // 2
        return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(
            [pa.array(cells[:k], pa.large_string()), pa.array(cells[k:], pa.large_string())])))
    if how == "slice":
        padded = pa.array(["x", *cells, "x"], pa.large_string())
        return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([padded.slice(1, len(cells))])))
    return pd.Series(cells, dtype="str" if how == "str" else TEXT)


DIGITS = st.one_of(st.none(), st.just(""), st.integers(0, 10**6).map(str), st.text(alphabet="0123456789", max_size=20))


@settings(max_examples=200, deadline=None)
@given(cells=st.lists(DIGITS, min_size=1, max_size=30), how=st.sampled_from(["text", "str", "chunks", "slice"]),
       integer=st.booleans())
def test_a_column_of_plain_digits_reads_as_the_general_path_reads_it(cells, how, integer):
    v, missing, issues = number_arrays(_arrow_column(cells, how), integer=integer)
    # the same cells and one that is not digits: the general path (text pass, then its own checks)
    v2, missing2, issues2 = number_arrays(_arrow_column([*cells, "x"], how), integer=integer)
    assert np.array_equal(v, v2[:-1], equal_nan=True) and missing.tolist() == missing2[:-1].tolist()
    assert issues == [i for i in issues2 if i[0] < len(cells)]
    v[:] = 0  # new arrays: the caller may write to them
    missing[:] = False


NUMBER_CELLS = st.one_of(MISSING, st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True),
                         st.integers(0, 99).map(np.int64), st.floats(-1e3, 1e3).map(np.float32))


@settings(max_examples=200, deadline=None)
@given(base=st.lists(st.tuples(NUMBER_CELLS, NUMBER_CELLS), min_size=1, max_size=20), more=st.integers(0, 20))
def test_blank_rows_of_a_workbooks_number_columns_are_those_of_their_text(base, more):
    rows = (base * (300 // len(base) + 1))[:257 + more]  # past 256 rows: the columns are read whole
    frame = pd.DataFrame({"a": _objects([r[0] for r in rows]), "b": _objects([r[1] for r in rows])})
    want = np.ones(len(rows), dtype=bool)
    for c in frame.columns:  # as the text of each cell says: missing, or a blank or missing-value word
        s = frame[c].astype(TEXT).str.strip()
        want &= (s.isna() | s.isin(EMPTY_CELLS)).to_numpy(dtype=bool, na_value=True)
    assert blank_rows(frame).tolist() == want.tolist()


def test_the_title_rows_text_is_the_same_from_a_workbook_and_from_arrow_text():
    cells = [["IOM DTM", None, 3], ["  ", float("nan"), "Round 130 - Apr 2024"], ["Place ID", "Families", "x"]]
    workbook = pd.DataFrame([[_objects(r)[j] for j in range(3)] for r in cells], dtype=object)
    want = " ".join(str(v) for v in workbook.iloc[:2].to_numpy(dtype=object).ravel()
                    if v is not None and str(v).strip() and str(v) != "nan")
    assert rows_text(workbook, 2) == want == "IOM DTM 3 Round 130 - Apr 2024"
    text = pd.DataFrame({j: pd.array([None if pd.isna(r[j]) else str(r[j]) for r in cells], dtype=TEXT)
                         for j in range(3)})
    assert rows_text(text, 2) == "IOM DTM <NA> 3 <NA> Round 130 - Apr 2024"  # (a missing text cell: pandas' NA)
    assert rows_text(text, 2) == " ".join(
        str(v) for v in text.iloc[:2].to_numpy(dtype=object).ravel()
        if v is not None and str(v).strip() and str(v) != "nan")


def test_a_workbook_column_is_filled_when_any_cell_is():
    for cells, filled in [([None, None, 5], True), ([float("nan"), None], False), (["a", None], True),
                          ([0.0], True), ([None, pd.NA, "x"], True), ([], False), ([pd.NaT, None], False)]:
        assert bool(_filled(pd.Series(_objects(cells), dtype=object))) is filled, cells


def test_a_check_by_columns_types_the_rows_as_the_check_of_the_table():
    raw = pd.DataFrame({
        "site_id": ["1", "2", "2", "3", " ", "5"], "site_name": ["A", "B", "B", "C", "D", "E"],
        "admin1_code": ["IQG01"] * 6, "households": ["10", "x", "4", "12.5", "3", "7"],
        "individuals": _objects([60, None, 24, 75, 18, 42]), "latitude": ["33.1", "200", "", "33", "x", "34"],
        "reference_date": ["2024-04-30", "Apr 30, 2024", "x", "", "30/04/2024", "2024-04-30"],
        "dtm_round": ["130", "Round 130", "", "130", "130", "-"],
    })
    rownums = np.arange(2, 8)
    kw = dict(file="f.csv", sheet=None, reject=COUNT_FIELDS, if_unread=IF_UNREAD)
    table_rep, columns_rep = LoadReport(file="f.csv", kind="k"), LoadReport(file="f.csv", kind="k")
    table, keep = check_table(raw, ROW_SPEC, rownums, report=table_rep, **kw)
    typed, keep2 = check_columns({c: raw[c].array for c in raw.columns}, len(raw), ROW_SPEC, rownums,
                                 report=columns_rep, **kw)
    assert keep.tolist() == keep2.tolist() and list(typed) == list(table.columns)
    for c, values in typed.items():
        pd.testing.assert_series_equal(pd.Series(values, name=c), table[c])
    assert [p.as_dict() for p in columns_rep.problems] == [p.as_dict() for p in table_rep.problems]
    assert columns_rep.notes == table_rep.notes and (columns_rep.rows_in, columns_rep.rows_accepted) == (6, 3)


@settings(max_examples=200, deadline=None)
@given(runs=st.lists(st.tuples(st.one_of(st.none(), st.text(max_size=8)), st.integers(0, 40)), min_size=1,
                     max_size=12))
def test_runs_of_words_are_the_words_repeated(runs):
    values, counts = [v for v, _c in runs], [c for _v, c in runs]
    got = _runs(values, np.array(counts))
    want = pa.array([v for v, c in runs for _k in range(c)], pa.large_string())
    assert got.type == want.type and got.to_pylist() == want.to_pylist() and got.null_count == want.null_count
    got.validate(full=True)


def test_a_cell_of_a_column_array_is_the_arrays_own():
    for values in (pd.array(["a", None, "c"], dtype=TEXT), pd.array(["a", None, "c"], dtype="str"),
                   _objects(["a", None, 3]), np.array([1.5, np.nan, 2.0])):
        for i in range(3):
            got, want = _cell(values, i), values[i]
            assert type(got) is type(want) and (got is want or got == want or (pd.isna(got) and pd.isna(want)))


@settings(max_examples=200, deadline=None)
@given(cells=st.lists(st.one_of(st.none(), st.text(max_size=6)), min_size=1, max_size=20),
       columns=st.integers(1, 6), split=st.integers(0, 20), data=st.data())
def test_rows_by_column_are_the_rows_taken_one_by_one(cells, columns, split, data):
    n = len(cells)
    arr = pa.array(cells, pa.large_string())
    source = pa.chunked_array([arr.slice(0, split), arr.slice(split)]) if 0 < split < n else arr
    keep = np.array(data.draw(st.lists(st.booleans(), min_size=n * columns, max_size=n * columns)), dtype=bool)
    got = _rows_by_column(source, keep)
    want = arr.take(pa.array(np.divmod(np.flatnonzero(keep), n)[1], pa.int64()))
    assert got.type == want.type and got.to_pylist() == want.to_pylist()


OBJECT_CELLS = st.one_of(st.none(), st.text(max_size=5), st.integers(-5, 10**6), st.floats(allow_nan=True),
                         st.booleans(), st.just(pd.NA))


@settings(max_examples=150, deadline=None)
@given(columns=st.lists(st.tuples(st.sampled_from(["object", "text", "text_full", "float"]),
                                  st.lists(OBJECT_CELLS, min_size=40, max_size=40)), min_size=1, max_size=6),
       rows=st.integers(0, 40))
def test_the_top_rows_are_the_first_rows_as_numpy_has_them(columns, rows):
    data = {}
    for j, (how, cells) in enumerate(columns):
        cells = cells[:rows]
        if how == "object":
            data[j] = pd.Series(_objects(cells), dtype=object)
        elif how == "float":
            data[j] = pd.Series([c if isinstance(c, float) else 1.0 for c in cells], dtype=float)
        else:  # Arrow text, with missing cells or (a CSV as read) without
            data[j] = pd.Series([("" if how == "text_full" else None) if c is None or c is pd.NA else str(c)
                                 for c in cells], dtype=TEXT)
    frame = pd.DataFrame(data)
    want = frame.head(30).to_numpy(dtype=object).tolist()

    def key(rows_):
        return [[(type(v), "nan" if isinstance(v, float) and v != v else v) for v in r] for r in rows_]

    assert key(TopRows(frame).rows) == key(want)


@settings(max_examples=150, deadline=None)
@given(cells=st.lists(st.one_of(NUMBER_CELLS, st.sampled_from(["", " - ", "x", " 5 "])), max_size=30))
def test_blank_cells_of_a_count_column_are_its_blank_text(cells):
    values = pd.Series(_objects(cells), dtype=object)
    assert _blank_cells(values).tolist() == text_cells(values).is_null().to_numpy(zero_copy_only=False).tolist()


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="acmpx مخيم", max_size=60), word=st.sampled_from(["camp", "mp", "aa", "مخيم", "م"]),
       end=st.integers(0, 200))
def test_occurrences_of_a_word_are_every_start_bytes_find_finds(text, word, end):
    raw, w = text.encode(), word.encode()
    want = [i for i in range(len(raw[:end])) if raw[:end].startswith(w, i)]  # overlapping starts too
    assert _occurrences(pa.py_buffer(raw), end, w) == want


@settings(max_examples=300, deadline=None)
@given(names=st.lists(st.one_of(st.none(), st.text(alphabet="acmpCAMP xمخيم", max_size=12)), max_size=12),
       word=st.sampled_from(["camp", "مخيم", "aa", "mpm"]), lower=st.booleans(), chunks=st.integers(1, 3))
def test_names_holding_a_word_are_those_whose_own_text_holds_it(names, word, lower, chunks):
    """The names laid end to end in one buffer: a match running from one name into the next counts
    for neither and hides nothing (QA: 'حي المخي' before 'مخيم الجدعة' lost the camp, so × 6, not × 5)."""
    from dsdash.importers.dtm import _says

    k = max(1, len(names) // chunks)
    parts = [names[i:i + k] for i in range(0, len(names), k)] or [[]]
    cells = pa.chunked_array([pa.array(p, pa.large_string()) for p in parts], pa.large_string())
    want = [n is not None and word in (n.lower() if lower and word.isascii() else n) for n in names]
    assert _says(cells, word, lower=lower).tolist() == want


def test_a_workbooks_text_fields_holding_numbers_read_as_their_csv_twin():
    import io

    import openpyxl

    from dsdash.importers import import_file

    head = ["Place ID", "Governorate", "District pcode", "Location Name", "Arabic Name", "Location type",
            "Families", "Individuals"]
    rows = [[101, "Anbar", "IQG01Q03", " Hay A ", "حي أ", "camp", 10, 50], [102, " Ninewa ", "IRQ-G15Q04", 7, None,
            None, 20, 120], [103, "-", "IQG15Q04", "Camp 3", "مخيم ج", 4, 3, 18], [104, "Anbr", None, "Hay D", 12, "-",
            4, 24], [104, "Erbil", "IQG11Q01", "hay a", "x", "site", 5, 30], [105, "Erbil", "IQG11Q01", "Total", "",
            "", 42, 242]]
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [head, *rows]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    csv = "\n".join(",".join("" if v is None else str(v) for v in row) for row in [head, *rows]).encode()
    got = import_file(out.getvalue(), "IDP_master_list_2024-01-31.xlsx")
    want = import_file(csv, "IDP_master_list_2024-01-31.csv")
    assert got.report.rows_accepted == want.report.rows_accepted == 5  # (104 again: the first is rejected)
    assert [(p.reason, p.row, p.column, p.level) for p in got.report.problems] == \
        [(p.reason, p.row, p.column, p.level) for p in want.report.problems]
    for name in ("sites", "population"):
        pd.testing.assert_frame_equal(got.tables[name].drop(columns="source"), want.tables[name].drop(columns="source"))
    assert got.tables["sites"]["site_name"].tolist() == ["Hay A", "7", "Camp 3", "hay a", "Total"]
    assert got.tables["sites"]["site_id"].tolist() == ["101", "102", "103", "104", "105"]

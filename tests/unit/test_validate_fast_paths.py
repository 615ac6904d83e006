"""The vectorised paths of dsdash.validate read a column as its cells one by one would (issue 11's
speed work must not change a result).

Each column-level shortcut (numpy on the Arrow buffers, one cast for plain digits or plain
decimals, a workbook's strings to Arrow in one call, numeric ids compared as numbers) is checked
against the same cells read alone, which take the per-cell paths; and the typed tables are new
memory, never the caller's.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsdash.parse import ascii_digits
from dsdash.importers.dtm import COUNT_FIELDS, IF_UNREAD, ROW_SPEC
from dsdash.schema import POPULATION, LoadReport
from dsdash.validate import _THREE_ZEROS, TEXT, as_text, check_table, coerce, dates, number_arrays, numbers, text_cells

# cells as files write them: clean counts and coordinates, and everything the slow paths read or refuse
CELLS = st.one_of(
    st.integers(0, 10**6).map(str),
    st.integers(-10**20, 10**20).map(str),
    st.floats(-200, 200, allow_nan=False).map(lambda x: f"{x:.5f}"),
    st.sampled_from([
        "", " ", "-", "—", "–", " - ", "14.0", "14.00", "14.000", "1.200", "1,234", "1,234.5", "١٢٣٤", "١٬٥٩٠",
        "1.4e1", "1e400", "+5", "-0", ".5", "5.", "1/2", "(5)", "−5", "inf", "nan", "x", " 7 ", "\u00a07\u00a0",
        "9007199254740993", "9" * 40, "12 households", "\t3\n", "0012", "٣٫٥",
    ]),
    st.text(alphabet="0123456789.,-+e /\u00a0x", max_size=6),
)


def _column(cells: list[str | None], how: str) -> pd.Series:
    """The cells as a reader gives them: pandas' default text, Arrow text in pieces (chunks, slices), or
    a workbook's Python objects."""
    if how == "object":
        return pd.Series(cells, dtype=object)
    if how == "chunks" and len(cells) > 1:
        padded = pa.array(["pad", *cells, "pad"], pa.large_string())
        k = len(cells) // 2
        arr = pd.arrays.ArrowStringArray(pa.chunked_array([padded.slice(1, k), padded.slice(1 + k, len(cells) - k)]))
        return pd.Series(arr)
    return pd.Series(cells, dtype="str" if how == "str" else TEXT)


def _py(values: pd.Series) -> list:
    return [None if pd.isna(x) else x for x in values]


def _alone(cells, how, integer):
    """numbers() of each cell read alone: (value or None, [(level, message)])."""
    out = []
    for cell in cells:
        v, issues = numbers(_column([cell], how), integer=integer)
        out.append((None if pd.isna(v.iat[0]) else float(v.iat[0]), [(lv, m) for _i, lv, m in issues]))
    return out


@settings(max_examples=150, deadline=None)
@given(cells=st.lists(st.one_of(st.none(), CELLS), max_size=40),
       how=st.sampled_from(["str", "text", "chunks", "object"]), integer=st.booleans())
def test_a_column_of_numbers_reads_as_its_cells_read_alone(cells, how, integer):
    """Every cell reads as it reads alone, but a count written ``41.000``: that one is decided for the
    whole column (41 or 41,000, on what the column's other cells show), so its cells share one reading
    (warned unless the column's other cells settle it)."""
    v, issues = numbers(_column(cells, how), integer=integer)
    assert v.dtype == "Float64" and len(v) == len(cells)
    got = [(None if pd.isna(x) else float(x), [(lv, m) for i, lv, m in issues if i == k]) for k, x in enumerate(v)]
    alone = _alone(cells, how, integer)
    decided = [k for k, c in enumerate(cells)
               if integer and c is not None and _THREE_ZEROS.fullmatch(ascii_digits(c.strip()))]
    assert [g for k, g in enumerate(got) if k not in decided] == [a for k, a in enumerate(alone) if k not in decided]
    factors = set()
    for k in decided:
        whole = float(ascii_digits(cells[k].strip()).split(".")[0])
        value, said = got[k]
        assert value in (whole, whole * 1000) and [lv for lv, _m in said] in ([], ["warning"]), (cells[k], got[k])
        factors.add(value == whole * 1000 and whole != 0)
    assert len(factors) <= 1  # one reading per column


def test_a_count_written_with_three_decimals_reads_one_way_for_its_column():
    """The case hypothesis found (CI, stop 24): '14.000' beside '0' — alone it is every filled cell
    (read as 14, warned); in the column it is not, and nothing else says how the dot is used, so it
    stays 14,000, warned."""
    warned = ["warning"]
    for cells, want, said in [(["0", "14.000"], 14000.0, warned), (["14.000"], 14.0, warned),
                              (["14.000", "7.000"], 14.0, warned), (["14.000", "3.5"], 14.0, []),
                              (["14.000", "1.234"], 14000.0, warned), (["14.000", "1,234"], 14.0, [])]:
        v, issues = numbers(_column(cells, "str"), integer=True)
        assert float(v.iat[cells.index("14.000")]) == want, cells
        assert [lv for i, lv, _m in issues if i == cells.index("14.000")] == said, cells


@settings(max_examples=150, deadline=None)
@given(cells=st.lists(st.one_of(st.none(), CELLS, st.sampled_from(["\u2000a", "a\u3000", "é ", " ع", "\x1fz"])),
                      max_size=30),
       how=st.sampled_from(["str", "text", "chunks", "object"]))
def test_text_of_a_column_is_its_cells_stripped_with_blanks_empty(cells, how):
    got = as_text(_column(cells, how))
    assert got.dtype == TEXT
    want = [None if c is None or c.strip() in ("", "-", "—", "–") else c.strip() for c in cells]
    assert _py(got) == want


def test_text_of_text_is_itself_and_is_kept_while_its_column_lives():
    col = pd.Series([" a ", "-", "b"], dtype="str")
    first = text_cells(col)
    assert text_cells(col) is first  # the same column again: no kernel
    assert text_cells(as_text(col)) is first  # as_text's own result: already text
    assert _py(as_text(col)) == ["a", None, "b"]


def test_a_workbook_column_of_strings_and_other_values_reads_as_pandas_text():
    mixed = pd.Series([" 14 ", 14.0, 5, None, float("nan"), pd.NA, True, b"x"], dtype=object)
    assert _py(as_text(mixed)) == ["14", "14.0", "5", None, None, None, "True", "x"]  # as pandas' astype
    strings = pd.Series(["a", None, float("nan"), pd.NA, " b "], dtype=object)
    assert _py(as_text(strings)) == ["a", None, None, None, "b"]


def test_coordinates_read_by_one_cast_only_when_every_cell_is_a_plain_decimal():
    clean = pd.Series(["33.5", "-44.25", "0", None, "12"], dtype="str")
    v, issues = numbers(clean, integer=False)
    assert v.tolist()[:3] == [33.5, -44.25, 0.0] and pd.isna(v.iat[3]) and v.iat[4] == 12.0 and not issues
    # forms a float cast would take but a plain decimal is not: read (or refused) cell by cell
    for cell, value, said in [("1e5", 100000.0, None), (".5", None, "'.5' is not a number"),
                              ("5.", None, "'5.' is not a number"), ("+1", 1.0, None),
                              ("inf", None, "'inf' is not a number")]:
        v, issues = numbers(pd.Series(["33.5", cell], dtype="str"), integer=False)
        assert (None if pd.isna(v.iat[1]) else v.iat[1]) == value, cell
        assert [m for _i, _l, m in issues] == ([said] if said else []), cell


def test_counts_past_the_limit_are_refused_by_the_column_path_too():
    v, missing, issues = number_arrays(pd.Series(["12", "9007199254740993", ""], dtype="str"), integer=True)
    assert v[0] == 12.0 and missing.tolist() == [False, True, True]
    assert issues == [(1, "error", "'9007199254740993' is too large for a count (the limit is 9,007,199,254,740,992)")]


@pytest.mark.parametrize("ids, dup_rows", [
    ([str(100001 + i) for i in range(3000)], []),
    ([str(100001 + i) for i in range(3000)] + ["100005"], [3002]),
    (["0" + str(i) for i in range(2999)] + ["1"], []),  # '01' and '1' are two ids, not one number
    ([str(i) for i in range(2999)] + ["01"], []),
    ([str(10**19 + i) for i in range(3000)] + [str(10**19 + 7)], [3002]),  # past int64: as text
])
def test_numeric_ids_are_compared_as_text(ids, dup_rows):
    n = len(ids)
    raw = pd.DataFrame({"site_id": pd.Series(ids, dtype="str"), "population_group": ["idp"] * n,
                        "households": ["1"] * n, "individuals": ["6"] * n, "individuals_method": ["hh_x6"] * n,
                        "reference_date": ["2024-01-31"] * n, "source": ["s"] * n})
    rep = LoadReport(file="f.csv", kind="population")
    typed, keep = check_table(raw, POPULATION, np.arange(2, n + 2), file="f.csv", sheet=None, report=rep,
                              key=("site_id",))
    assert [p.row for p in rep.problems if "duplicate" in p.reason] == dup_rows
    assert len(typed) == n - len(dup_rows) and keep.sum() == len(typed)


def test_typed_tables_are_new_memory_never_the_callers():
    raw = pd.DataFrame({"site_id": ["a", "b"], "site_name": ["A", "B"], "admin1_code": ["IQG01", "IQG02"],
                        "households": ["1", "2"], "individuals": ["6", "12"], "latitude": ["33.1", "33.2"],
                        "reference_date": pd.to_datetime(["2024-01-31", "2024-01-31"]).astype("datetime64[s]")})
    before = raw.copy(deep=True)
    rep = LoadReport(file="f.csv", kind="dtm")
    typed, _keep = check_table(raw, ROW_SPEC, np.arange(2, 4), file="f.csv", sheet=None, report=rep,
                               reject=COUNT_FIELDS, if_unread=IF_UNREAD)
    assert typed.index.equals(pd.RangeIndex(2)) and list(typed.columns) == ROW_SPEC.column_names
    assert typed.dtypes.astype(str).tolist() == [
        {"str": "string", "int": "Int64", "float": "Float64", "date": "datetime64[s]"}[c.kind] for c in ROW_SPEC.columns]
    typed.iloc[0, typed.columns.get_loc("reference_date")] = pd.Timestamp("1999-01-01")
    typed.iloc[0, typed.columns.get_loc("households")] = 99
    pd.testing.assert_frame_equal(raw, before)

    pop = pd.DataFrame({"site_id": pd.Series(["a"], dtype=TEXT), "households": pd.array([3], dtype="Int64"),
                        "extra": np.array([1.5]), "note": pd.Series(["x"], dtype=object)})
    kept = pop.copy(deep=True)
    out = coerce(pop, POPULATION)
    assert list(out.columns) == POPULATION.column_names + ["extra", "note"]
    assert out["note"].dtype == object and out["extra"].dtype == np.float64  # extra columns as they were
    out.iloc[0, out.columns.get_loc("households")] = 7
    out.iloc[0, out.columns.get_loc("extra")] = 0.0
    pd.testing.assert_frame_equal(pop, kept)


def test_a_long_date_column_says_something_only_on_the_rows_that_need_it():
    cells = ["Apr 30, 2019"] * 3000 + ["x", "30/04/2019", "04/30/2019", "04/05/2019", "", "2019-04-30", "04/05/2019"]
    notes: list[str] = []
    got, issues = dates(pd.Series(cells, dtype="str"), role="point", notes=notes)
    assert got.iloc[:3000].eq(pd.Timestamp("2019-04-30")).all() and got.iloc[3005] == pd.Timestamp("2019-04-30")
    assert pd.isna(got.iat[3000]) and pd.isna(got.iat[3004])
    assert [(i, level) for i, level, _m in issues] == [(3000, "error"), (3003, "warning"), (3006, "warning")]
    assert notes  # the column's order is said once

"""A workbook's column of numbers read as floats by ``ndarray.astype(float)`` (numpy's cast of the object
array) gives what ``np.array(cells, dtype=float)`` (the code it replaces) gave: values, blanks and the
refusals (a number past float, a cell not a number), for every mix of ints, floats and blanks."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dsdash.validate import _NUMERIC_KINDS, _objects, _workbook_numbers


def _replaced(values: pd.Series, *, integer: bool):
    """_workbook_numbers as it was (np.array(cells, dtype=float))."""
    if values.dtype != object:
        return None
    cells = _objects(values)
    if pd.api.types.infer_dtype(cells, skipna=True) not in _NUMERIC_KINDS:
        return None
    try:
        v = np.array(cells, dtype=float)
    except (OverflowError, ValueError, TypeError):
        return None
    ok = np.isfinite(v)
    if integer:
        ok &= v == np.trunc(v)
    nan = np.isnan(v)
    if (~ok & ~nan).any():
        return None
    return v, nan


CELLS = st.one_of(st.none(), st.just(float("nan")), st.integers(), st.integers(-10**20, 10**20),
                  st.floats(allow_nan=True, allow_infinity=True), st.just(10**400), st.just(-10**400),
                  st.integers(0, 10**6).map(np.int64), st.booleans(), st.text(max_size=3))


@settings(max_examples=400, deadline=None)
@given(st.lists(CELLS, max_size=30), st.booleans())
def test_the_cast_reads_what_np_array_read(cells, integer):
    col = pd.Series(cells, dtype=object)
    got, want = _workbook_numbers(col, integer=integer), _replaced(col, integer=integer)
    assert (got is None) == (want is None)
    if got is not None:
        np.testing.assert_array_equal(got[0], want[0])
        np.testing.assert_array_equal(got[1], want[1])
        assert got[0].dtype == want[0].dtype == float and got[1].dtype == want[1].dtype == bool


def test_a_real_column_and_the_refusals():
    col = pd.Series([1, 2.5, None, 3, float("nan"), np.int64(7)] * 1000, dtype=object)
    for integer in (False, True):
        got, want = _workbook_numbers(col, integer=integer), _replaced(col, integer=integer)
        assert (got is None) == integer  # (2.5 is not a whole number: the text path says why)
        if got is not None:
            np.testing.assert_array_equal(got[0], want[0])
    assert _workbook_numbers(pd.Series([1, 10**400], dtype=object), integer=False) is None  # past float

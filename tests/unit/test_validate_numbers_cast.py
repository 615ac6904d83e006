"""A workbook's column of numbers read as floats by ``ndarray.astype(float)`` (numpy's cast of the object
array) gives what ``np.array(cells, dtype=float)`` (the code it replaces) gave: values, blanks and the
refusals (a number past float, a cell not a number), for every mix of ints, floats and blanks."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dsdash.validate import _NUMERIC_KINDS, _objects, _workbook_numbers


def _cast(cells: np.ndarray, cast) -> np.ndarray | None:
    """The floats a cast makes of an object array; None when it refuses (a number past float, text)."""
    try:
        return cast(cells)
    except (OverflowError, ValueError, TypeError):
        return None


CELLS = st.one_of(st.none(), st.just(float("nan")), st.integers(), st.integers(-10**20, 10**20),
                  st.floats(allow_nan=True, allow_infinity=True), st.just(10**400), st.just(-10**400),
                  st.integers(0, 10**6).map(np.int64), st.booleans(), st.text(max_size=3))


@settings(max_examples=400, deadline=None)
@given(st.lists(CELLS, max_size=30))
def test_the_cast_reads_what_np_array_read(cells):
    """The one line _workbook_numbers changed: ``cells.astype(float)`` for ``np.array(cells, dtype=float)``,
    on the columns it casts (numbers and blanks); the checks around it are the same code."""
    values = _objects(pd.Series(cells, dtype=object))
    if pd.api.types.infer_dtype(values, skipna=True) not in _NUMERIC_KINDS:
        return
    got, want = _cast(values, lambda c: c.astype(float)), _cast(values, lambda c: np.array(c, dtype=float))
    assert (got is None) == (want is None)
    if want is not None:
        assert got.dtype == float
        np.testing.assert_array_equal(got, want)


def test_a_real_column_and_the_refusals():
    col = pd.Series([1, 2.5, None, 3, float("nan"), np.int64(7)] * 1000, dtype=object)
    assert _workbook_numbers(col, integer=True) is None  # (2.5 is not a whole number: the text path says why)
    values, missing = _workbook_numbers(col, integer=False)
    assert values.dtype == float and missing.dtype == bool and int(missing.sum()) == 2000
    np.testing.assert_array_equal(values[:6], [1, 2.5, np.nan, 3, np.nan, 7])
    assert float(np.nansum(values)) == 13_500.0  # (1 + 2.5 + 3 + 7) × 1,000
    assert _workbook_numbers(pd.Series([1, 10**400], dtype=object), integer=False) is None  # past float

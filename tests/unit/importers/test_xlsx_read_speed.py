"""The faster workbook reading of issue 11 gives what the reading it replaced gave.

- :func:`readers._cells_frame` (calamine's cells as openpyxl gives them: '' → None, whole floats →
  int, dates → datetime) builds each column in place: the same frame, value for value and type
  for type, as the frame built over the whole block at once (``_reference_cells_frame``, the
  replaced code kept verbatim), for any mixture of the values calamine gives;
- the checked parts go to calamine in a zip written with the CRC-32 each part was checked
  against (:class:`readers._StoredZip`): a valid zip whose members are exactly those bytes,
  in memory (read from its chunks, :class:`readers._Chunks`) or in a temporary file.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
import zlib

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas._libs import lib

from dsdash.importers import readers
from dsdash.importers.readers import _HEAD_ROWS, _cells_frame, _fix_cells, read_xlsx
from tests.support.hostile import sheet_xml, xlsx


def _reference_cells_frame(rows: list[list]) -> pd.DataFrame:
    """:func:`readers._cells_frame` as it was before (the reference)."""
    while rows and all(v == "" or (isinstance(v, str) and not v.strip()) for v in rows[-1]):
        rows.pop()
    width = max((len(r) for r in rows), default=0)
    if not rows:
        return pd.DataFrame(columns=list(range(width)), dtype=object)
    arr = lib.to_object_array(rows, min_width=width)
    arr[arr == ""] = None
    head = min(len(arr), _HEAD_ROWS)
    _fix_cells(arr[:head].reshape(-1), "mixed")
    if len(arr) > head:
        body = arr[head:]
        kinds = [lib.infer_dtype(body[:, j], skipna=True) for j in range(width)]
        floats = [j for j, k in enumerate(kinds) if k == "floating"]
        if floats:
            block = body[:, floats]
            v = np.array(block, dtype=float)
            whole = (v == np.trunc(v)) & (np.abs(v) < 1e15)
            block[whole] = v[whole].astype(np.int64)
            body[:, floats] = block
        for j, k in enumerate(kinds):
            if k != "floating":
                _fix_cells(body[:, j], k)
    return pd.DataFrame(arr, columns=list(range(width)), dtype=object)


# the values calamine's to_python gives: float (every number), int, str ('' for an empty cell), bool,
# date, datetime, time, timedelta
_VALUE = st.one_of(
    st.sampled_from(["", "", " ", "Ninewa", "الانبار", "#N/A", "14"]),
    st.integers(-10**6, 10**6).map(float), st.floats(allow_nan=False, allow_infinity=True),
    st.sampled_from([1e15, -1e15, 1e16, 0.5, -0.0, 2.0**53]), st.integers(-10**18, 10**18), st.booleans(),
    st.dates(), st.datetimes(), st.times(), st.timedeltas(max_value=dt.timedelta(days=9999)))


@st.composite
def _sheets(draw) -> list[list]:
    """Rows of one sheet: columns each of one kind (numbers, text, dates ...), sometimes mixed,
    with empty cells, ragged row lengths, and empty rows at the end."""
    width = draw(st.integers(1, 6))
    n = draw(st.integers(0, 2 * _HEAD_ROWS + 10))
    column_kind = [draw(st.sampled_from(["float", "text", "date", "mixed", "empty", "bool", "int"])) for _ in range(width)]
    pick = {"float": st.integers(-10**6, 10**6).map(float) | st.floats(-1e6, 1e6, allow_nan=False),
            "text": st.sampled_from(["a", "b c", "الانبار"]), "date": st.dates() | st.datetimes(),
            "mixed": _VALUE, "empty": st.just(""), "bool": st.booleans(), "int": st.integers(-10**9, 10**9)}
    rows = []
    for _ in range(n):
        row = [draw(pick[k]) if draw(st.integers(0, 9)) else "" for k in column_kind]
        rows.append(row[:draw(st.integers(0, width))] if draw(st.integers(0, 19)) == 0 else row)
    rows += [[""] * width, [" ", ""]][:draw(st.integers(0, 2))]
    return rows


def _typed(frame: pd.DataFrame) -> list:
    return [[(type(v), v) for v in frame[c]] for c in frame.columns]


@settings(max_examples=300, deadline=None)
@given(_sheets())
def test_cells_frame_gives_what_the_replaced_code_gave(rows):
    got, want = _cells_frame([list(r) for r in rows]), _reference_cells_frame([list(r) for r in rows])
    pd.testing.assert_frame_equal(got, want)
    assert str(_typed(got)) == str(_typed(want))  # (types too: int, not float; None, not '')


def test_cells_frame_of_a_real_sized_master_list():
    from python_calamine import CalamineWorkbook

    from tests.support.dtm_fixtures import locations, master_list

    data = master_list(locations(400, seed=2), fmt="xlsx").data
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    got, want = _cells_frame([list(r) for r in rows]), _reference_cells_frame([list(r) for r in rows])
    pd.testing.assert_frame_equal(got, want)
    assert str(_typed(got)) == str(_typed(want))
    assert isinstance(got.iat[10, 9], int) and isinstance(got.iat[10, 7], float)  # a count, a latitude


def test_the_stored_zip_holds_exactly_the_checked_bytes():
    parts = {"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": sheet_xml([["a", 1]]),
             "xl/\u0645.xml": "<x>الانبار</x>".encode()}
    out = readers._StoredZip()
    for name, data in parts.items():
        out.add(name, data, zlib.crc32(data))
    chunks = out.finish()
    zf = zipfile.ZipFile(readers._Chunks(chunks))  # (read from its chunks, seeking about)
    assert zf.testzip() is None  # every member's CRC-32 matches its bytes
    assert {i.filename: zf.read(i) for i in zf.infolist()} == parts
    assert all(i.compress_type == zipfile.ZIP_STORED for i in zf.infolist())
    whole = b"".join(chunks)
    assert zipfile.ZipFile(io.BytesIO(whole)).testzip() is None
    reader = readers._Chunks(chunks)
    got = b""
    for size in [1, 3, 50, 7, 1000, -1]:  # any sizes, across the chunks' edges
        got += reader.read(size)
    assert got == whole and reader.read(5) == b""
    reader.seek(-10, 2)
    assert reader.read() == whole[-10:]


def test_a_workbook_reads_the_same_in_memory_and_through_a_temporary_file(monkeypatch):
    data = xlsx([("Sheet1", [["Place ID", "Families"], ["1", 2], ["2", 3.5]])])
    in_memory = read_xlsx(data)
    monkeypatch.setattr(readers, "STORED_MAX", 10)  # every workbook above it: the temporary file
    on_disk = read_xlsx(data)
    assert [t.frame.values.tolist() for t in on_disk] == [t.frame.values.tolist() for t in in_memory] == \
        [[["Place ID", "Families"], ["1", 2], ["2", 3.5]]]
    assert [t.notes for t in on_disk] == [t.notes for t in in_memory] == [[]]

"""The search for error cells and formulas without a saved value runs only when a part holding cells
(sheetData) has ``t="e"`` or ``<f``: what it finds is what the search over every part kept found
(styles.xml's ``<fonts>`` no longer starts it on every workbook). Real generated workbooks. And the
search for prefixed cell elements (``<x:c``) of the sheet scan, which looks at the first colons one by one."""

from __future__ import annotations

import io

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsdash.importers.readers import (
    _PREFIXED_CELL, ReadError, _error_cells, _prefixed_cell, check_workbook_parts, check_zip, read_xlsx, sheet_extent,
)
from tests.support.dtm_fixtures import locations, master_list
from tests.support.hostile import xlsx


def _book(*rows, state="visible") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(list(r))
    two = wb.create_sheet("Two")
    two.append(["#N/A", 1, "x"])
    two.sheet_state = state
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


BOOKS = {
    "plain": _book(["a", 1], ["b", 2]),
    "formula": _book(["a", "=1+1"], ["=SUM(B1:B1)", 2]),
    "error": _book(["#VALUE!", 1], ["#DIV/0!", 2], state="hidden"),
    "master list": master_list(locations(40, seed=1), fmt="xlsx").data,
}


@pytest.mark.parametrize("name", sorted(BOOKS))
def test_the_search_skipped_only_where_it_finds_nothing(name):
    parts = check_workbook_parts(check_zip(BOOKS[name]))
    names = ["Sheet", "Two", "Master List", "Sheet1"]
    sheets = [b for b in parts.values() if b"sheetData" in b]
    for what, marker in ((False, b't="e"'), (True, b"<f")):
        everywhere = _error_cells(parts, names, formulas=what)  # the search the check used to start on any part
        started = any(marker in b for b in sheets)
        assert everywhere == (_error_cells(parts, names, formulas=what) if started else {})
        # (every openpyxl book here has '#N/A' in sheet Two; only one has formulas)
        assert bool(everywhere) == (name == "formula" if what else name != "master list")
    assert any(b"<fonts" in b for b in parts.values())  # (the part that used to start the formula search)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([b":", b"c", b"row", b" ", b"/", b">", b"\t", b"x", b"<", b":c", b":row"]), max_size=200))
def test_prefixed_cell_is_the_patterns_search(parts):
    """_prefixed_cell (colons found by find, then a search) says what the regex's search says (many colons too)."""
    xml = b"".join(parts)
    assert _prefixed_cell(xml) == (_PREFIXED_CELL.search(xml) is not None)
    assert _prefixed_cell(b":x" * 100 + xml) == (_PREFIXED_CELL.search(xml) is not None)


def test_a_far_cell_with_a_prefix_is_refused():
    """``<x:c r="XFD1048576">`` in a sheet whose sheetData has no prefix: counted (the walk), refused before
    calamine lays the grid out (before the fix it passed every check)."""
    ns = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' \
         b'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    xml = (b'<?xml version="1.0"?><worksheet ' + ns + b'><sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
           b'<row r="1048576"><x:c r="XFD1048576"><x:v>5</x:v></x:c></row></sheetData></worksheet>')
    assert sheet_extent(xml) == (1048576, 16384)
    with pytest.raises(ReadError, match="1,048,576 rows × 16,384 columns"):
        read_xlsx(xlsx([("S", xml)]))

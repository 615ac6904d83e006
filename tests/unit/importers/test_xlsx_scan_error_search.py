"""The search for error cells and formulas without a saved value runs only when a part holding cells
(sheetData) has ``t="e"`` or ``<f``: what it finds is what the search over every part kept found
(styles.xml's ``<fonts>`` no longer starts it on every workbook). Real generated workbooks."""

from __future__ import annotations

import io

import openpyxl
import pytest

from dsdash.importers.readers import _error_cells, check_workbook_parts, check_zip
from tests.support.dtm_fixtures import locations, master_list


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

"""Cells written with a namespace prefix are counted like the others (review finding, present since the
byte scan was written: not a regression of this session's rewrite).

A sheet whose ``<sheetData>`` has no prefix but whose cells do (``<x:c r="XFD1048576">``, ``x`` bound to
SpreadsheetML) passed every check: the byte scan reads ``<c`` and ``<row`` only, and sent a sheet to the
element walk only when ``:sheetData`` occurs. calamine reads such cells, and a far one made it lay out
the whole grid (512 GB): the reader aborted. Now any prefixed cell or row element sends the sheet to the
walk, which counts it."""

from __future__ import annotations

import pytest

from dsdash.importers import readers
from dsdash.importers.readers import ReadError, read_xlsx, sheet_extent
from tests.support.hostile import xlsx

MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
X = b'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _sheet(data: bytes) -> bytes:
    return b'<?xml version="1.0"?><worksheet ' + MAIN + b" " + X + b">" + data + b"</worksheet>"


@pytest.mark.parametrize("far", [
    b'<row r="2"><x:c r="XFD1048576"><x:v>5</x:v></x:c></row>',
    b'<x:row r="1048576"><x:c r="XFD1048576"><x:v>5</x:v></x:c></x:row>',
    b'<row r="2"><x:c\tr="XFD1048576"/></row>',
    b'<x:row r="1048576"/><row r="3"><x:c r="XFD3"/></row>',
])
def test_a_far_prefixed_cell_counts_in_the_extent(far):
    xml = _sheet(b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row>' + far + b"</sheetData>")
    rows, cols = sheet_extent(xml)
    assert cols == 16384 and rows in (3, 1048576)


def test_a_far_prefixed_cell_is_refused_before_any_reader_lays_it_out():
    xml = _sheet(b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
                 b'<row r="1048576"><x:c r="XFD1048576"><x:v>5</x:v></x:c></row></sheetData>')
    with pytest.raises(ReadError, match="1,048,576 rows × 16,384 columns"):
        read_xlsx(xlsx([("S", xml)]))


def test_prefixed_cells_within_the_limit_are_read(monkeypatch):
    """The same sheet with a near cell is read, cells and all; with the limit lowered below it, refused
    (this part ran on the code before the fix without aborting: there it was read, 200 × 26)."""
    xml = _sheet(b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
                 b'<row r="200"><x:c r="Z200"><x:v>5</x:v></x:c></row></sheetData>')
    frame = read_xlsx(xlsx([("S", xml)]))[0].frame
    assert frame.shape == (200, 26) and frame.iat[0, 0] == 1 and frame.iat[199, 25] == 5
    monkeypatch.setattr(readers, "MAX_CELLS", 1000)
    with pytest.raises(ReadError, match="200 rows × 26 columns"):
        read_xlsx(xlsx([("S", xml)]))


@pytest.mark.parametrize(("text", "fast"), [(b"<x14:conditionalFormatting/>", True), (b"<mc:Choice Requires='x14'/>", True),
                                            (b"<x14:cfRule type='x'/>", True), (b"<t>a:c b:row c</t>", False)])
def test_colons_that_are_not_prefixed_cells_are_no_cells(text, fast):
    """':c' in an extension element or in text is no cell: the extent is the references'. The fast scan
    (which alone knows the longest cell span) stays on for Excel's extension elements; text holding
    ':c ' goes to the walk, which finds the same extent."""
    xml = _sheet(b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is>' + text + b'</is></c></row></sheetData>')
    assert readers._sheet_scan(xml)[:2] == (1, 1)
    assert (readers._sheet_scan(xml)[2] is not None) == fast

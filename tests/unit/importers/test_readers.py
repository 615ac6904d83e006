"""Workbooks through python-calamine: the same cells openpyxl gives, the safety checks before
any XML is parsed, and openpyxl kept for the files calamine cannot read. Real generated files."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from dsdash.importers import import_file
from dsdash.importers.readers import (  # noqa: I001
    FORMULA_WITHOUT_VALUE,
    MAX_CELLS, ReadError, _read_openpyxl, _sheet_extent_walk, read_xlsx, sheet_extent,
)
from tests.support.dtm_fixtures import locations, master_list, rezip, xlsx_bytes


def _cells(tables):
    return [(t.sheet, [[(type(v).__name__, v) for v in row] for row in t.frame.itertuples(index=False)])
            for t in tables]


def _zoo() -> bytes:
    """Every cell type a Master List or a 3W sheet may hold, a merged title, an error in a hidden sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["Merged title over four columns"])
    ws.merge_cells("A1:D1")
    ws.append([])
    ws.append(["text", dt.datetime(2024, 4, 30), dt.date(2024, 4, 30), dt.datetime(2024, 4, 30, 12, 30),
               dt.time(10, 5), 45412, 1.5, True, "=1+1", "", None, 1e16, 2**40, -3, 0.1 + 0.2, "#VALUE!", "#N/A",
               "12345.0", "  "])
    ws["B6"] = dt.timedelta(days=1, hours=2)
    two = wb.create_sheet("Hidden")
    two.append(["#DIV/0!", 1, "x"])
    two.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_calamine_gives_the_cells_openpyxl_gives():
    data = _zoo()
    fast = read_xlsx(data)
    assert not any("openpyxl" in n for t in fast for n in t.notes)  # the fast reader read it
    assert fast[1].notes == ["sheet 'Hidden' is hidden in the workbook; it was read as data like the others"]
    # the formula "=1+1" has no saved value (openpyxl writes none): openpyxl reads None, calamine's path says so
    (r, c, reason, level), = fast[0].cell_problems
    assert fast[0].frame.iat[r, c] == FORMULA_WITHOUT_VALUE and "formula without a saved value" in reason
    fast[0].frame.iat[r, c] = None
    assert _cells(fast) == _cells(_read_openpyxl(data))
    row = fast[0].frame.iloc[2].tolist()
    assert row[:3] == ["text", dt.datetime(2024, 4, 30), dt.datetime(2024, 4, 30)]
    assert type(row[5]) is int and row[15:17] == ["#VALUE!", "#N/A"] and row[9] is None


def test_calamine_gives_the_cells_openpyxl_gives_for_an_iom_master_list():
    fx = master_list(locations(300, seed=4), fmt="xlsx", totals_row=True)
    assert _cells(read_xlsx(fx.data)) == _cells(_read_openpyxl(fx.data))


def test_a_file_calamine_cannot_read_is_read_by_openpyxl_with_a_note():
    good = xlsx_bytes({"S": [["Place ID", "Governorate", "Location Name", "Families"], [1, "Anbar", "A", 7]]})
    sheet = zipfile.ZipFile(io.BytesIO(good)).read("xl/worksheets/sheet1.xml")
    odd = rezip(good, {"xl/worksheets/sheet1.xml": sheet.replace(b't="n"', b't="zz"', 1)})  # a cell type calamine refuses
    tables = read_xlsx(odd)
    assert "openpyxl" in tables[0].notes[0] and tables[0].frame.iat[1, 3] == 7
    res = import_file(odd, "IDP_2024-01-31.xlsx")
    assert res.report.rows_accepted == 1 and any("openpyxl" in n for n in res.report.notes)


@pytest.mark.parametrize("cells", [
    b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',  # the classic: one value at the far corner
    b'<row r="2"><c r="XFD1048576"><v>1</v></c></row>',  # a cell whose reference disagrees with its row
    b'<row r="1048576"><c s="0" r="ZZZ5"><v>1</v></c></row>',  # reference not the first attribute
    b'<row r = "1048576"><c r=\'XFD9\'><v>1</v></c></row>',  # spaces and single quotes
    b'<row r="1048576"/><row><c r="A5"><v>1</v></c><c><v>1</v></c></row>' + b'<c><v>1</v></c>' * 40,
])
def test_a_sheet_spanning_billions_of_cells_is_refused_before_parsing(cells):
    # calamine lays a sheet out densely: this would ask it for terabytes (the process aborts, no exception)
    good = xlsx_bytes({"S": [["a", "b"], [1, 2]]})
    sheet = zipfile.ZipFile(io.BytesIO(good)).read("xl/worksheets/sheet1.xml")
    bomb = rezip(good, {"xl/worksheets/sheet1.xml": sheet.replace(b"</sheetData>", cells + b"</sheetData>")})
    with pytest.raises(ReadError, match="cells in all: refused"):
        read_xlsx(bomb)
    res = import_file(bomb, "idp_2024-01-31.xlsx")
    assert "refused" in res.report.errors[0].reason and res.report.rows_in == 0


def test_sheet_extent_fast_scan_agrees_with_the_walk():
    fx = master_list(locations(200, seed=2), fmt="xlsx")
    xml = zipfile.ZipFile(io.BytesIO(fx.data)).read("xl/worksheets/sheet1.xml")
    assert sheet_extent(xml) == _sheet_extent_walk(xml) == (fx.header_row + 200 + 1, 31)
    assert sheet_extent(b'<sheetData><row r="1"><c r="a7"><v>1</v></c></row></sheetData>') == (7, 1)
    with pytest.raises(ReadError, match="malformed cell reference"):
        sheet_extent(b'<sheetData><row r="1"><c r="ABCD1"><v>1</v></c></row></sheetData>')
    assert MAX_CELLS >= 100_000 * 40  # a 100,000-row, 40-column sheet is fine


def test_a_dtd_in_any_part_is_refused_before_parsing():
    good = xlsx_bytes({"S": [["a", "b"], [1, 2]]})
    styles = zipfile.ZipFile(io.BytesIO(good)).read("xl/styles.xml")
    evil = rezip(good, {"xl/styles.xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
                                          + styles.split(b"?>", 1)[-1]})
    with pytest.raises(ReadError, match="EntitiesForbidden"):
        read_xlsx(evil)


def test_a_large_workbook_goes_to_calamine_as_it_came_with_its_error_cells(monkeypatch):
    from dsdash.importers import readers

    monkeypatch.setattr(readers, "STORED_MAX", 1)  # every workbook counts as large
    zoo = _zoo()  # both sheets hold error cells: kept for them
    fast = read_xlsx(zoo)
    for t in fast:  # a formula without a saved value: openpyxl reads None
        t.frame = t.frame.mask(t.frame.eq(FORMULA_WITHOUT_VALUE), None)
    assert _cells(fast) == _cells(_read_openpyxl(zoo))
    fx = master_list(locations(50, seed=4), fmt="xlsx")  # no error cell: the sheet is not kept
    parts = readers.check_workbook_parts(readers.check_zip(fx.data))
    assert "xl/worksheets/sheet1.xml" not in parts and "xl/workbook.xml" in parts
    assert _cells(read_xlsx(fx.data)) == _cells(_read_openpyxl(fx.data))


# --------------------------------------------------------------------------- CSV
def test_csv_empty_line_inside_the_data_keeps_the_row_numbers():
    from dsdash.importers.readers import read_csv_bytes

    cases = {b"Title\r\n\r\na,b\r\n1,2\r\n\r\n3,4\r\n\r\n": [["Title", ""], ["", ""], ["a", "b"], ["1", "2"], ["", ""],
                                                                ["3", "4"]],
             "a,b\nا,ب\n\n3,4\n".encode("cp1256"): [["a", "b"], ["ا", "ب"], ["", ""], ["3", "4"]],
             b"a,b\r1,2\r\r3,4\r": [["a", "b"], ["1", "2"], ["", ""], ["3", "4"]]}
    for data, rows in cases.items():
        assert read_csv_bytes(data).frame.values.tolist() == rows


def test_csv_utf8_checked_past_the_first_200_kb():
    from dsdash.importers.readers import read_csv_bytes

    body = "Place ID,Location\n" + "".join(f"{i},Hay {i}\n" for i in range(20_000))  # ~250 kB of UTF-8
    tail = "20000,الانبار\n"
    assert read_csv_bytes((body + tail).encode("utf-8")).encoding == "utf-8"
    table = read_csv_bytes((body + tail).encode("cp1256"))  # valid UTF-8 for 200 kB, then not
    assert table.encoding == "windows-1256" and table.frame.iat[-1, 1] == "الانبار"


def test_calamine_reads_only_the_bytes_that_were_checked():
    # a sheet whose zip entry declares fewer bytes (and their CRC) than its deflate stream holds, the
    # rest naming a far cell: the checks see the declared bytes, and calamine reads those same bytes
    # (from the checked copy), whatever its own zip reader would make of the stream (it refuses it)
    import struct
    import zlib

    good = xlsx_bytes({"S": [["a", "b"], [1, 2]]})
    name = "xl/worksheets/sheet1.xml"
    sheet = zipfile.ZipFile(io.BytesIO(good)).read(name)
    head, tail = sheet.split(b"</sheetData>")
    declared = head + b"</sheetData>" + tail
    hidden = head + b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>' + tail
    data = bytearray(rezip(good, {name: declared + hidden}))  # the stream holds both, one after the other
    crc, size = zlib.crc32(declared), len(declared)
    for sig, off in ((b"PK\x03\x04", 14), (b"PK\x01\x02", 16)):  # local header, central directory
        at = data.find(sig + data[data.find(sig) + 4:data.find(sig) + 4])  # first of each kind
        while at >= 0:
            name_len = struct.unpack_from("<H", data, at + (26 if sig == b"PK\x03\x04" else 28))[0]
            start = at + (30 if sig == b"PK\x03\x04" else 46)
            if bytes(data[start:start + name_len]) == name.encode():
                struct.pack_into("<I", data, at + off, crc)
                struct.pack_into("<I", data, at + off + 8, size)
            at = data.find(sig, at + 4)
    tables = read_xlsx(bytes(data))
    assert tables[0].frame.shape == (2, 2) and tables[0].frame.iat[1, 1] == 2

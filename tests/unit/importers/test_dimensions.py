"""A sheet's declared size (``<dimension ref>``) against the cells it holds (issue 14): a sheet that
declares A1:XFD1048576 for two rows is read as its cells are, quickly, with a note; nothing is sized
by the declaration, in the fast reader or in openpyxl."""

import io
import re
import resource
import time
import zipfile

import openpyxl

from dsdash.importers import import_file
from dsdash.importers.readers import _read_openpyxl, read_xlsx


def _workbook(dimension: str | None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Place ID", "Governorate", "Location name", "Families", "Individuals"])
    ws.append([1, "Anbar", "Kilo 7", 10, 60])
    ws.append([2, "Anbar", "Kilo 8", 5, 30])
    buf = io.BytesIO()
    wb.save(buf)
    if dimension is None:
        return buf.getvalue()
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            part = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                part = re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>'.encode(), part)
            z.writestr(info, part)
    return out.getvalue()


def test_a_lying_dimension_is_noted_and_sizes_nothing():
    data = _workbook("A1:XFD1048576")
    t0 = time.perf_counter()
    res = import_file(data, "IDP_master_list_2024-04-30.xlsx")
    assert time.perf_counter() - t0 < 10
    assert (res.report.rows_in, res.report.rows_accepted) == (2, 2)
    assert int(res.tables["population"]["individuals"].sum()) == 90
    assert "sheet 'Sheet' declares its size as A1:XFD1048576, but its cells span A1:E3: read as its cells are" \
        in res.report.notes
    # the slow reader, kept for the workbooks calamine cannot read, does not size by it either
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    frame = _read_openpyxl(data)[0].frame
    assert frame.shape == (3, 5)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200_000  # kB


def test_a_true_dimension_says_nothing():
    tables = read_xlsx(_workbook(None))
    assert tables[0].frame.shape == (3, 5)
    assert not [n for n in tables[0].notes if "declares its size" in n]
    small = read_xlsx(_workbook("A1:B2"))  # too small a declaration: the cells win too
    assert small[0].frame.shape == (3, 5)
    assert any("declares its size as A1:B2, but its cells span A1:E3" in n for n in small[0].notes)

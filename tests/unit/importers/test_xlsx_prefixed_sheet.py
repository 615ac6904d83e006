"""Workbooks written with a namespace prefix on every element (``<x:worksheet xmlns:x="…"><x:sheetData>
<x:row r="1"><x:c r="A1">``), as the OpenXML SDK and the tools built on it write them, are read like any
other (found in this session's new-user pass).

Before: the padding check counted ``<c `` only, so a sheet over 1 MB written so counted 0 cells and was
refused whole as "padding, a possible decompression bomb" (a 3,700-row Master List among them); below
1 MB its cells were counted by the element walk, one Python step per element (~1.4 s for 3,700 rows).
Now the padding check counts prefixed cell tags too, and the scan reads such a sheet without its
prefix, at the scan's speed. Every limit still holds: a far cell, padding, another prefix."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from dsdash.importers import import_file, readers
from dsdash.importers.readers import ReadError, read_xlsx, sheet_extent
from tests.support.dtm_fixtures import locations, master_list
from tests.support.hostile import xlsx

NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_TAG = re.compile(rb"<(/?)([A-Za-z][\w]*)(?=[\s/>])")


def prefix_every_element(data: bytes, prefix: bytes = b"x") -> bytes:
    """The workbook ``data`` rewritten as the OpenXML SDK writes it: the main namespace bound to
    ``prefix`` and every element of it written with that prefix (in the sheets, shared strings,
    workbook and styles)."""
    zin = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            part = zin.read(info)
            if info.filename.startswith("xl/worksheets/") or info.filename in (
                    "xl/sharedStrings.xml", "xl/workbook.xml", "xl/styles.xml"):
                part = part.replace(b'xmlns="' + NS + b'"', b"xmlns:" + prefix + b'="' + NS + b'"')
                part = _TAG.sub(lambda m: b"<" + m.group(1) + prefix + b":" + m.group(2), part)
            zout.writestr(info, part)
    return out.getvalue()


@pytest.fixture(scope="module")
def lists():
    fx = master_list(locations(3700, seed=3), fmt="xlsx", title_rows=False)
    return fx, prefix_every_element(fx.data)


def test_the_rewrite_prefixes_every_element_of_a_sheet_over_a_megabyte(lists):
    _fx, data = lists
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert len(sheet) > 1 << 20
    assert sheet.count(b"<x:c ") > 100_000 and b"<c " not in sheet and b"<row" not in sheet
    assert sheet.startswith(b"<x:worksheet xmlns:x=")


def test_a_prefixed_master_list_loads_every_row_with_the_files_totals(lists):
    fx, data = lists
    res = import_file(data, "DTM_MasterList_R132_Apr2024.xlsx", population_group="idp")
    rep = res.report
    assert (rep.rows_in, rep.rows_accepted, rep.rows_rejected) == (3700, 3700, 0)
    assert not [p for p in rep.problems if p.level in ("error", "question")]
    pop = res.tables["population"]
    assert (int(pop["households"].sum()), int(pop["individuals"].sum())) == (fx.households, fx.individuals)
    assert (fx.households, fx.individuals) == (424_038, 2_428_958)  # the generated list's own sums, fixed by its seed


def test_a_prefixed_master_list_gives_the_same_tables_as_the_plain_one(lists):
    fx, data = lists
    plain = import_file(fx.data, "a.xlsx", population_group="idp")
    prefixed = import_file(data, "a.xlsx", population_group="idp")
    assert plain.tables.keys() == prefixed.tables.keys()
    for name, table in plain.tables.items():
        assert table.equals(prefixed.tables[name]), name
    assert [p.reason for p in plain.report.problems] == [p.reason for p in prefixed.report.problems]


def _sheet(data: bytes) -> bytes:
    return b'<?xml version="1.0" encoding="UTF-8"?>\n<x:worksheet xmlns:x="' + NS + b'">' + data + b"</x:worksheet>"


def test_a_prefixed_sheet_is_scanned_fast_with_the_same_extent_and_span():
    """The fast scan (which alone knows the longest cell span: the walk gives None) reads it."""
    xml = _sheet(b'<x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c><x:c r="C1" t="inlineStr"><x:is><x:t>'
                 + b"w" * 500 + b'</x:t></x:is></x:c></x:row><x:row r="7"><x:c r="AB7"><x:v>2</x:v></x:c></x:row>'
                 b"</x:sheetData>")
    rows, cols, span = readers._sheet_scan(xml)
    assert (rows, cols) == (7, 28) and span is not None and span >= 500


@pytest.mark.parametrize("far", [
    b'<x:row r="1048576"><x:c r="XFD1048576"><x:v>5</x:v></x:c></x:row>',  # the sheet's own prefix
    b'<x:row r="3"><y:c xmlns:y="' + NS + b'" r="XFD1048576"><y:v>5</y:v></y:c></x:row>',  # another prefix
    b'<x:row r="3"><c xmlns="' + NS + b'" r="XFD1048576"><v>5</v></c></x:row>',  # none
])
def test_a_far_cell_in_a_prefixed_sheet_is_refused(far):
    xml = _sheet(b'<x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>' + far + b"</x:sheetData>")
    assert sheet_extent(xml)[1] == 16384
    with pytest.raises(ReadError, match="16,384 columns"):
        read_xlsx(xlsx([("S", xml)]))


def test_a_prefixed_sheet_of_padding_is_still_refused():
    """Over 1 MB of XML for a few prefixed cells: padding, as before (the prefixed tags are counted,
    not the text: ':c ' in a text is no cell)."""
    pad = b'<x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:t>' + b"a:c b:c " * 200_000 + b"</x:t></x:is></x:c></x:row>"
    xml = _sheet(b'<x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>' + pad + b"</x:sheetData>")
    assert len(xml) > 1 << 20
    assert readers._too_few_cells(xml) == 2
    with pytest.raises(ReadError, match="MB of XML for 2 cells: padding"):
        read_xlsx(xlsx([("S", xml)], level=0))  # (stored: the ratio check, which would refuse it first, passes)


def _cell(ref: str, value, kind: str = "") -> bytes:
    if kind == "f":  # a formula the writer did not calculate (the OpenXML SDK never does)
        return f'<c r="{ref}"><f>{value}</f></c>'.encode()
    if kind == "e":
        return f'<c r="{ref}" t="e"><v>{value}</v></c>'.encode()
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'.encode()
    return f'<c r="{ref}"><v>{value}</v></c>'.encode()


def _rows(cells: list[list]) -> bytes:
    out = b""
    for r, row in enumerate(cells, 1):
        out += f'<row r="{r}">'.encode() + b"".join(
            _cell(f"{'ABCDE'[c]}{r}", *(v if isinstance(v, tuple) else (v,))) for c, v in enumerate(row)) + b"</row>"
    return out


def test_formulas_without_a_value_and_error_cells_of_a_prefixed_sheet_are_reported_as_in_a_plain_one():
    """The searches for error cells (``t="e"``) and formulas without a saved value read the sheet without its
    prefix: the same problems as the plain sheet's (before, a prefixed sheet's were not found, and such a cell
    read as empty)."""
    body = _rows([["Place ID", "Governorate", "Location name", "Families", "Individuals"],
                  ["IQ-1", "Ninewa", "Alpha", 10, 60],
                  ["IQ-2", "Ninewa", "Beta", ("SUM(D2:D2)", "f"), 30],
                  ["IQ-3", "Anbar", "Gamma", 7, ("#N/A", "e")],
                  ["IQ-4", "Anbar", "Delta", 2, 12]])
    plain = b'<?xml version="1.0"?><worksheet xmlns="' + NS + b'"><sheetData>' + body + b"</sheetData></worksheet>"
    prefixed = _TAG.sub(lambda m: b"<" + m.group(1) + b"x:" + m.group(2),
                        plain.replace(b'xmlns="' + NS + b'"', b'xmlns:x="' + NS + b'"'))
    assert b"<x:f>" in prefixed and b"<c" not in prefixed
    got = []
    for xml in (plain, prefixed):
        res = import_file(xlsx([("ML", xml)]), "DTM_R132_Apr2024.xlsx", population_group="idp")
        rep = res.report
        got.append(([(p.level, p.row, p.column, p.reason) for p in rep.problems],
                    (rep.rows_in, rep.rows_accepted, rep.rows_rejected),
                    int(res.tables["population"]["households"].sum())))
    problems, counts, households = got[0]
    assert counts == (4, 2, 2) and households == 10 + 2  # a count that cannot be read rejects its row
    assert any(level == "error" and row == 3 and "formula without a saved value (=SUM(D2:D2))" in reason
               for level, row, _c, reason in problems)
    assert any(level == "error" and row == 4 and "#N/A" in reason for level, row, _c, reason in problems)
    assert got[1] == got[0]

"""The workbook checks' sheet scan (:func:`readers._sheet_scan`, rewritten for speed in issue 11) gives
exactly what the scan it replaced gave: the extent (rows, columns), the longest span a cell element
can hold, the formula flag (and whether an error cell may be there), and the same refusals, over generated sheet XML in every form a writer
(or an attacker) may use; and hostile workbooks are still refused with the same messages.

``_reference_scan`` below is the replaced scan, kept verbatim as the reference (numpy over every
``<``, references read one character a step)."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsdash.importers import readers
from dsdash.importers.readers import _PREFIXED_CELL, ReadError, _sheet_extent_walk, _sheet_scan, read_xlsx
from tests.support.hostile import _noise, sheet_xml, xlsx


# --------------------------------------------------------------------------- the reference (the old scan)
def _table(*codes: int) -> np.ndarray:
    t = np.zeros(256, dtype=bool)
    t[list(codes)] = True
    return t


_DELIM = _table(32, 9, 10, 13, 62, 47)
_UPPER = _table(*range(65, 91))
_DIGIT = _table(*range(48, 58))


def _read_run(a, p, last, accept, base, zero, steps):
    value = np.zeros(len(p), np.int64)
    n = np.zeros(len(p), np.int64)
    going = np.ones(len(p), bool)
    for _step in range(steps):
        c = a[p]
        going &= accept[c]
        if not going.any():
            break
        value = np.where(going, value * base + (c.astype(np.int64) - zero), value)
        n += going
        p = np.minimum(p + going, last)
    return value, n, p


def _reference_scan(xml: bytes, facts: dict | None = None):
    """The replaced scan, with this session's review fix: a sheet holding a prefixed cell or row element
    (``<x:c r="XFD1048576">``, which the replaced scan did not count) goes to the walk."""
    got = _replaced_scan(xml, facts)
    if got[2] is not None and _PREFIXED_CELL.search(xml):
        return (*_sheet_extent_walk(xml), None)
    return got


def _replaced_scan(xml: bytes, facts: dict | None = None):
    if xml.rfind(b":sheetData") >= 0:
        if facts is not None:
            facts["formula"] = b"<f" in xml
        return (*_sheet_extent_walk(xml), None)
    a = np.frombuffer(xml, dtype=np.uint8)
    last = len(a) - 1
    lt = np.flatnonzero(a == 60)
    lt = lt[lt < last]
    b1 = a[lt + 1]
    if facts is not None:
        facts["formula"] = bool((b1 == 102).any())
    lt = lt[(b1 == 99) | (b1 == 114)]

    def at(pos, k):
        return a[np.minimum(pos + k, last)]

    c_at = lt[(a[lt + 1] == 99) & _DELIM[at(lt, 2)]]
    row_at = lt[(a[lt + 1] == 114) & (at(lt, 2) == 111) & (at(lt, 3) == 119) & _DELIM[at(lt, 4)]]
    std_c = (at(c_at, 2) == 32) & (at(c_at, 3) == 114) & (at(c_at, 4) == 61) & (at(c_at, 5) == 34)
    std_row = (at(row_at, 4) == 32) & (at(row_at, 5) == 114) & (at(row_at, 6) == 61) & (at(row_at, 7) == 34)
    if not (std_c.all() and std_row.all()):
        return (*_sheet_extent_walk(xml), None)
    p = np.minimum(np.concatenate([c_at + 6, row_at + 8]), last)
    col, letters, p = _read_run(a, p, last, _UPPER, 26, 64, 4)
    row, digits, p = _read_run(a, p, last, _DIGIT, 10, 48, 8)
    k = len(c_at)
    ok = (a[p] == 34) & (digits >= 1) & (digits <= 7) & (letters <= 3)
    ok[:k] &= letters[:k] >= 1
    ok[k:] &= letters[k:] == 0
    if not ok.all():
        return (*_sheet_extent_walk(xml), None)
    longest = int(np.diff(np.concatenate([[0], c_at, [len(a)]])).max()) if len(c_at) else len(a)
    return (int(row.max()) if len(row) else 0), (int(col.max()) if len(col) else 0), longest


def _reference_longest_item(xml: bytes):
    """:func:`readers._longest_item` as it was (the reference)."""
    if b":si" in xml or b":sst" in xml:
        return None
    a = np.frombuffer(xml, dtype=np.uint8)
    if len(a) < 4:
        return len(a)
    lt = np.flatnonzero(a[:-3] == 60)
    si = lt[(a[lt + 1] == 115) & (a[lt + 2] == 105) & _DELIM[a[lt + 3]]]
    return int(np.diff(np.concatenate([[0], si, [len(a)]])).max())


def _outcome(scan, xml: bytes):
    """What a scan gives for ``xml``: its answer and facts, or the message it refuses with. (The
    replaced scan left the search for ``t="e"`` to its caller, which kept the sheet for its error
    cells when the search found one: that search is the reference for ``"error"``.)"""
    facts: dict = {}
    try:
        got = scan(xml, facts)
    except ReadError as exc:
        return "refused", str(exc)
    if scan is _reference_scan:
        facts["error"] = xml.rfind(b't="e"') >= 0
    return got, facts


# --------------------------------------------------------------------------- generated sheet XML
_WS = st.sampled_from([" ", "\t", "\n", "\r\n", "  "])
_PREFIX = st.sampled_from(["", "", "", "x:"])


def _col_name(n: int) -> str:
    return readers._column_name(n)


@st.composite
def _ref(draw) -> str:
    """A cell reference: mostly plain, sometimes odd (lower case, leading zeros, 4 letters, 8 digits, none)."""
    col = draw(st.one_of(st.integers(1, 30), st.integers(1, 16_384)))
    row = draw(st.one_of(st.integers(1, 60), st.integers(1, 9_999_999)))
    kind = draw(st.sampled_from(["plain"] * 8 + ["lower", "zeros", "four", "eight", "empty", "digits", "letters",
                                                  "space", "junk"]))
    letters, digits = _col_name(col), str(row)
    return {"plain": letters + digits, "lower": letters.lower() + digits, "zeros": letters + "00" + digits[:5],
            "four": "ABCD" + digits, "eight": letters + "12345678", "empty": "", "digits": digits,
            "letters": letters, "space": " " + letters + digits, "junk": letters + "é" + digits}[kind]


@st.composite
def _cell(draw) -> str:
    form = draw(st.sampled_from(["std"] * 10 + ["bare", "empty", "other_order", "no_r", "ws", "prefix", "single"]))
    ref = draw(_ref())
    value = draw(st.sampled_from(["<v>1</v>", "<v>2.5</v>", '<is><t>a "b" &lt;c&gt;</t></is>', "",
                                  "<f>SUM(A1:A2)</f><v>3</v>", "<f>A1</f>", "<v></v>", "<is><r><t>x</t></r></is>"]))
    t = draw(st.sampled_from(["", ' t="n"', ' t="inlineStr"', ' t="e"', ' s="3"']))
    tail = "/>" if value == "" and draw(st.booleans()) else ">" + value + "</c>"
    other = t or ' s="1"'
    if form == "std":
        return f'<c r="{ref}"{t}{tail}'
    if form == "bare":
        return f"<c>{value}</c>"
    if form == "empty":
        return "<c/>"
    if form == "other_order":
        return f'<c{other} r="{ref}"{tail}'
    if form == "no_r":
        return f"<c{t}{tail}"
    if form == "ws":
        return f'<c{draw(_WS)}r="{ref}"{t}{tail}'
    if form == "prefix":
        return f'<x:c r="{ref}"{t}{tail}'.replace("</c>", "</x:c>")
    return f"<c r='{ref}'{t}{tail}"


@st.composite
def _row(draw) -> str:
    form = draw(st.sampled_from(["std"] * 8 + ["bare", "other_order", "ws", "empty", "prefix", "letters"]))
    r = draw(st.one_of(st.integers(1, 60), st.integers(1, 9_999_999)))
    cells = "".join(draw(st.lists(_cell(), max_size=6)))
    if form == "std":
        return f'<row r="{r}">{cells}</row>'
    if form == "bare":
        return f"<row>{cells}</row>"
    if form == "other_order":
        return f'<row spans="1:3" r="{r}">{cells}</row>'
    if form == "ws":
        return f'<row{draw(_WS)}r="{r}">{cells}</row>'
    if form == "empty":
        return f'<row r="{r}"/>'
    if form == "prefix":
        return f'<x:row r="{r}">{cells}</x:row>'
    return f'<row r="A{r}">{cells}</row>'


_AROUND = st.sampled_from(["", '<cols><col min="1" max="3" width="9"/></cols>', "<sheetPr><fitToPage/></sheetPr>",
                           '<conditionalFormatting sqref="A1"><cfRule type="cellIs"/></conditionalFormatting>',
                           "<rowBreaks><brk id=\"3\"/></rowBreaks>", "<f>", "<font/>", "<color rgb=\"FF0000\"/>",
                           "<c", "<row", "<c r=\"", '<c r="B2"', "<r>", '<dimension ref="A1:C3"/>'])


@st.composite
def sheets(draw) -> bytes:
    """A worksheet's XML: rows in any order, cells in any of the forms above, things around them."""
    ns = draw(st.sampled_from(["", "", ' xmlns:x="urn:x"', ' xmlns:r="urn:r"']))
    head = draw(_AROUND)
    data_tag = draw(st.sampled_from(["sheetData"] * 6 + ["x:sheetData"]))
    rows = "".join(draw(st.lists(_row(), max_size=8)))
    tail = draw(_AROUND)
    xml = f"<worksheet{ns}>{head}<{data_tag}>{rows}</{data_tag}>{tail}</worksheet>".encode()
    cut = draw(st.one_of(st.none(), st.integers(0, len(xml))))  # a part cut short (a damaged file)
    return xml if cut is None else xml[:cut]


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheets())
def test_the_scan_gives_what_the_replaced_scan_gave(xml):
    assert _outcome(_sheet_scan, xml) == _outcome(_reference_scan, xml)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheets(), st.sampled_from([1, 2, 3, 7, 16, 64, 1000]))
def test_the_scan_in_short_stretches_gives_the_same(xml, chunk):
    """The scan reads the XML a stretch at a time (:data:`readers._CHUNK`, 1 MB): tags and cells that
    straddle the end of a stretch are read as a whole, the longest span runs across stretches."""
    saved = readers._CHUNK
    readers._CHUNK = chunk
    try:
        got = _outcome(_sheet_scan, xml)
    finally:
        readers._CHUNK = saved
    assert got == _outcome(_reference_scan, xml)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 9_999_999), st.integers(1, 18_278), st.sampled_from(["", "0", "00"])),
                min_size=1, max_size=40),
       st.sampled_from(["", "<f>SUM(A1)</f>", "<cols><col min='1'/></cols>", '<c r="A1" t="e"><v>#N/A</v></c>']),
       st.booleans())
def test_standard_sheets_are_scanned_without_the_walk_and_agree_with_it(cells, extra, shuffle):
    """Plain references (3-letter columns, 7-digit rows, leading zeros, rows out of order): the
    fast path answers (a longest span, not None), with the walk's extent."""
    body = [f'<row r="{r}"><c r="{_col_name(c)}{z[:7 - len(str(r))]}{r}" t="n"><v>1</v></c></row>'.encode()
            for r, c, z in cells]  # (leading zeros within 7 digits)
    if shuffle:
        body.reverse()
    xml = b"<worksheet>" + extra.encode() + b"<sheetData>" + b"".join(body) + b"</sheetData></worksheet>"
    facts: dict = {}
    rows, cols, longest = _sheet_scan(xml, facts)
    assert (rows, cols) == _sheet_extent_walk(xml)
    assert longest is not None
    assert ((rows, cols, longest), facts) == _outcome(_reference_scan, xml)


def test_the_scan_reads_a_real_sized_master_list_as_the_replaced_scan_did():
    """1,200 rows: about 1.5 MB of sheet XML, so two stretches of the scan."""
    from tests.support.dtm_fixtures import locations, master_list

    data = master_list(locations(1200, seed=5), fmt="xlsx").data
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert len(xml) > readers._CHUNK
    got = _outcome(_sheet_scan, xml)
    assert got == _outcome(_reference_scan, xml)
    assert got[0][2] is not None  # the fast path, not the walk


# --------------------------------------------------------------------------- hostile workbooks, same refusals
# (each message as the code before the rewrite gave it, for the same bytes)
_ROWS = [["Place ID", "Families"], ["1", 2]]


def _refusal(data: bytes) -> str:
    with pytest.raises(ReadError) as info:
        read_xlsx(data)
    return str(info.value)


def test_a_cell_far_away_is_refused_with_the_same_message():
    xml = sheet_xml(_ROWS).replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')
    assert _refusal(xlsx([("Sheet1", xml)])) == (
        "the workbook's sheet 'xl/worksheets/sheet1.xml' spans 1,048,576 rows × 16,384 columns (cells as far as "
        "XFD1048576); more than 20,000,000 cells in all: refused. A stray value far below or right of the table "
        "does this: delete it in Excel and save again")


def test_a_far_cell_written_in_an_odd_form_is_refused_too():
    xml = sheet_xml(_ROWS).replace(b"</sheetData>", b'<row r="900000"><c s="1" r="ZZ900000"><v>1</v></c></row></sheetData>')
    assert _refusal(xlsx([("Sheet1", xml)])) == (
        "the workbook's sheet 'xl/worksheets/sheet1.xml' spans 900,000 rows × 702 columns (cells as far as "
        "ZZ900000); more than 20,000,000 cells in all: refused. A stray value far below or right of the table "
        "does this: delete it in Excel and save again")


def test_a_malformed_reference_is_refused_with_the_same_message():
    xml = sheet_xml(_ROWS).replace(b'<c r="B2">', b'<c r="B2x">')
    assert _refusal(xlsx([("Sheet1", xml)])) == "the workbook has a malformed cell reference ('B2x')"


def test_a_padded_sheet_and_a_dtd_are_refused_with_the_same_messages():
    noise = "<!--" + _noise(3_000_000).decode("ascii", "replace").replace("-", "_") + "-->"
    padded = xlsx([("Sheet1", sheet_xml(_ROWS, extra=noise))])
    assert _refusal(padded) == ("the workbook's sheet 'xl/worksheets/sheet1.xml' is 3 MB of XML for 4 cells: "
                                "padding, refused as a possible decompression bomb")
    dtd = sheet_xml(_ROWS).replace(b"<worksheet", b'<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet', 1)
    assert _refusal(xlsx([("Sheet1", dtd)])) == (
        "the workbook's XML declares entities or a DTD (EntitiesForbidden, in 'xl/worksheets/sheet1.xml'): refused, "
        "as a possible entity-expansion attack; save the file again from Excel")


def test_a_part_whose_checksum_is_wrong_is_refused():
    data = bytearray(xlsx([("Sheet1", sheet_xml(_ROWS))], level=0))
    i = data.find(b"Families")
    data[i] = ord("G")  # stored, so the bytes change and the CRC-32 no longer matches
    assert _refusal(bytes(data)) == ("the workbook's part 'xl/worksheets/sheet1.xml' cannot be unpacked (Bad CRC-32 "
                                     "for file 'xl/worksheets/sheet1.xml')")


# --------------------------------------------------------------------------- shared strings
@st.composite
def _shared_strings(draw) -> bytes:
    """A shared-strings part: items in any form (``<si>``, ``<si/>``, attributes, whitespace, rich
    text, prefixes), text holding ``<`` as an entity, things that start like an item but are not."""
    item = st.sampled_from(["<si><t>Hay 1</t></si>", "<si><t>" + "x" * 300 + "</t></si>", "<si/>", "<si >a</si>",
                            "<si\t><t>b</t></si>", '<si x="1"><r><t>c</t></r></si>', "<sib/>", "<s>", "<sst>",
                            "<x:si><x:t>d</x:t></x:si>", "<x:sst>", ":si", "&lt;si&gt;", "<si", "<s", "<", ""])
    body = "".join(draw(st.lists(item, max_size=12)))
    xml = draw(st.sampled_from(["", '<?xml version="1.0"?>'])) + "<sst>" + body + "</sst>"
    data = xml.encode()
    cut = draw(st.one_of(st.none(), st.integers(0, len(data))))
    return data if cut is None else data[:cut]


@settings(max_examples=400, deadline=None)
@given(_shared_strings(), st.sampled_from([1, 2, 5, 64, 1 << 20]))
def test_the_longest_shared_string_span_is_what_the_replaced_code_gave(xml, chunk):
    saved = readers._CHUNK
    readers._CHUNK = chunk
    try:
        got = readers._longest_item(xml)
    finally:
        readers._CHUNK = saved
    assert got == _reference_longest_item(xml)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["<c r=\"A1\"><f>Sheet2!A1</f></c>", "<!-- note -->", "<!DOCTYPE x>", "<!doctype x>",
                                 "<! ENTITY a 'b'>", "<!\n\tEntity>", "<!x>", "<!", "!", "<", "a", "<![CDATA[x]]>",
                                 "Hello!", "<!-- <!ENTITY -->"]), max_size=10))
def test_the_dtd_check_finds_what_the_regular_expression_finds(pieces):
    xml = "".join(pieces).encode()
    assert readers._declares_dtd(xml) == bool(readers._DTD.search(xml))
    many = xml + b"<!-- -->" * 70  # (many '<!': the one search)
    assert readers._declares_dtd(many) == bool(readers._DTD.search(many))

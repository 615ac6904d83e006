"""Review of the workbook checks' rewrite (issue 11): what a tag does at the edge of a scan stretch,
and which zip a workbook comes in, does not change what is refused or read.

- a far cell (or a reference the fast scan cannot read: lower case, four letters, a row without
  ``r``, a leading zero) is refused, or read, the same wherever it stands against the end of a
  stretch of :data:`readers._CHUNK` bytes (the stretch made small here, so that every offset of the
  tag across it is tried; and once at the real 1 MB);
- a workbook reads the same whatever zip it comes in (parts stored, deflated, bzip2, lzma, sizes
  after the data, a part name that is not ASCII) and whether the checked zip is kept in memory or
  written to a temporary file (:data:`readers.STORED_MAX`).
"""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest

from dsdash.importers import readers
from dsdash.importers.readers import ReadError, read_xlsx
from tests.support.hostile import xlsx

_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
#: Far enough to be refused under the limit the tests set (a far cell missed by the scan is then read:
#: 631,800 cells, not the billions a real far cell would make calamine allocate, which aborts the process).
_LIMIT = 100_000
_FAR = ("the workbook's sheet 'xl/worksheets/sheet1.xml' spans 900 rows × 702 columns (cells as far as ZZ900); "
        "more than 100,000 cells in all: refused. A stray value far below or right of the table does this: delete "
        "it in Excel and save again")


def _row(i: int) -> bytes:
    return (f'<row r="{i}">' + "".join(f'<c r="{c}{i}"><v>{i * 10 + j}</v></c>' for j, c in enumerate("ABCD"))
            + "</row>").encode()


def _sheet(snippet: bytes, at: int, key: bytes, rows_after: int = 3) -> tuple[bytes, int]:
    """Sheet XML of plain rows, then ``snippet`` placed so that its first ``key`` starts at byte
    ``at``, then more rows: (the XML, the number of the row the snippet's row is given)."""
    body, n, i = [_HEAD], len(_HEAD), 1
    while n < at - 400:
        body.append(_row(i))
        n += len(body[-1])
        i += 1
    pre, post = f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>'.encode(), b"</t></is></c></row>"
    r = i + 1
    snippet = snippet.replace(b"{R}", str(r).encode())
    fill = at - snippet.index(key) - n - len(pre) - len(post)
    assert fill >= 0
    body += [pre + b"f" * fill + post, snippet]
    body += [_row(k) for k in range(r + 1, r + 1 + rows_after)]
    xml = b"".join(body) + b"</sheetData></worksheet>"
    assert xml[at:at + len(key)] == key
    return xml, r


def _outcome(xml: bytes):
    try:
        tables = read_xlsx(xlsx([("S1", xml)]))
    except ReadError as exc:
        return str(exc)
    return tables[0].frame


_STRETCH = 4096
_REFUSED = {  # a far cell in every form: refused with the message of the plain form
    "plain": (b'<row r="900"><c r="ZZ900"><v>1</v></c></row>', b"<c"),
    "row tag": (b'<row r="900"><c r="ZZ900"><v>1</v></c></row>', b"<row"),
    "reference": (b'<row r="900"><c r="ZZ900"><v>1</v></c></row>', b"ZZ9"),
    "lower case": (b'<row r="900"><c r="zz900"><v>1</v></c></row>', b"<c"),
    "other order": (b'<row r="900"><c s="1" r="ZZ900"><v>1</v></c></row>', b"<c"),
    "tab": (b'<row r="900"><c\tr="ZZ900"><v>1</v></c></row>', b"<c"),
    "no row number": (b'<row r="899"/><row><c r="ZZ900"><v>1</v></c></row>', b"<row>"),
    "leading zero": (b'<row r="900"><c r="ZZ0900"><v>1</v></c></row>', b"<c"),
    "eight digits": (b'<row r="900"><c r="ZZ00000900"><v>1</v></c></row>', b"<c"),
}


@pytest.mark.parametrize("form", sorted(_REFUSED))
def test_a_far_cell_is_refused_at_every_offset_across_the_end_of_a_stretch(monkeypatch, form):
    monkeypatch.setattr(readers, "_CHUNK", _STRETCH)
    monkeypatch.setattr(readers, "MAX_CELLS", _LIMIT)
    snippet, key = _REFUSED[form]
    for at in [2 * _STRETCH + d for d in range(-20, 4)] + [3 * _STRETCH - 1]:
        xml, _r = _sheet(snippet, at, key)
        got = _outcome(xml)
        if form == "eight digits":  # not a reference
            assert isinstance(got, str) and got == "the workbook has a malformed cell reference ('ZZ00000900')", at
        else:
            assert isinstance(got, str) and got == _FAR, (form, at)


_READ = {  # forms that are read: the cell lands where its reference says (the fast scan or the walk)
    "plain": (b'<row r="{R}"><c r="F{R}"><v>7</v></c></row>', b"<c", 5),
    "lower case": (b'<row r="{R}"><c r="f{R}"><v>7</v></c></row>', b"<c", 5),
    "no reference": (b'<row r="{R}"><c><v>5</v></c><c><v>6</v></c><c/><c/><c/><c><v>7</v></c></row>', b"<c><v>6", 5),
    "rich text run": (b'<row r="{R}"><c r="F{R}" t="inlineStr"><is><r><t>7</t></r></is></c></row>', b"<r>", 5),
    "single quotes": (b"<row r='{R}'><c r='F{R}'><v>7</v></c></row>", b"<c", 5),
}


@pytest.mark.parametrize("form", sorted(_READ))
def test_a_cell_in_any_form_is_read_where_it_is_at_every_offset_across_the_end_of_a_stretch(monkeypatch, form):
    monkeypatch.setattr(readers, "_CHUNK", _STRETCH)
    snippet, key, col = _READ[form]
    for at in [2 * _STRETCH + d for d in range(-20, 4)]:
        xml, r = _sheet(snippet, at, key)
        frame = _outcome(xml)
        assert isinstance(frame, pd.DataFrame), (form, at, frame)
        assert frame.shape == (r + 3, 6), (form, at)
        want = "7" if form == "rich text run" else 7
        assert frame.iat[r - 1, col] == want and type(frame.iat[r - 1, col]) is type(want), (form, at)
        assert frame.iat[r, 0] == (r + 1) * 10 and type(frame.iat[r, 0]) is int  # the row after it, as written
        assert frame.iat[0, 3] == 13


def test_a_far_cell_straddling_the_real_stretch_is_refused(monkeypatch):
    """At the real 1 MB stretch (about 9,500 rows before it): the tag across its end, in the plain
    form and in lower case."""
    monkeypatch.setattr(readers, "MAX_CELLS", _LIMIT)
    for ref in (b"CV20000", b"cv20000"):
        snippet = b'<row r="20000"><c r="' + ref + b'"><v>1</v></c></row>'
        for d in (-3, -1, 0):
            xml, _r = _sheet(snippet, readers._CHUNK + d, b"<c", rows_after=10)
            assert len(xml) > readers._CHUNK
            got = _outcome(xml)
            assert isinstance(got, str) and got == (
                "the workbook's sheet 'xl/worksheets/sheet1.xml' spans 20,000 rows × 100 columns (cells as far as "
                "CV20000); more than 100,000 cells in all: refused. A stray value far below or right of the table "
                "does this: delete it in Excel and save again"), (snippet, d)


# --------------------------------------------------------------------------- the zip a workbook comes in
_ROWS = [["Place ID", "Governorate", "Families", "Ratio", "Note"]] + [
    [i, "الانبار" if i % 3 else "Ninewa", i * 3, i / 8, "x" * (i % 4) or None] for i in range(1, 50)]


def _rezip(data: bytes, *, compression=zipfile.ZIP_DEFLATED, stream=False, rename=None) -> bytes:
    """The same parts in another zip: another compression, sizes after the data (written to a
    stream that cannot seek), or parts renamed (and the names in the workbook's XML with them)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()

    class Unseekable(io.RawIOBase):
        def writable(self):
            return True

        def write(self, b):
            return buf.write(b)

    with zipfile.ZipFile(Unseekable() if stream else buf, "w", compression) as out:
        for info in src.infolist():
            raw, name = src.read(info), info.filename
            if rename:
                name = rename(name)
                for old in (b"sheet1.xml",):
                    raw = raw.replace(old, rename(old.decode()).encode())
            if stream:
                with out.open(name, "w") as fh:
                    fh.write(raw)
            else:
                out.writestr(name, raw)
    return buf.getvalue()


def _frames(data: bytes) -> list:
    return [(t.sheet, [[(type(v).__name__, v) for v in row] for row in t.frame.itertuples(index=False)], t.notes)
            for t in read_xlsx(data)]


@pytest.mark.parametrize("stored_max", [readers.STORED_MAX, 0])
def test_a_workbook_reads_the_same_in_any_zip_in_memory_or_through_a_file(monkeypatch, stored_max):
    monkeypatch.setattr(readers, "STORED_MAX", stored_max)
    plain = xlsx([("Data", _ROWS), ("Two", [["a", "b"], [1, 2.5]])])
    want = _frames(plain)
    assert want[0][1][1] == [("int", 1), ("str", "الانبار"), ("int", 3), ("float", 0.125), ("str", "x")]
    assert want[0][1][4][4] == ("NoneType", None)
    variants = {
        "stored": _rezip(plain, compression=zipfile.ZIP_STORED),
        "bzip2": _rezip(plain, compression=zipfile.ZIP_BZIP2),
        "lzma": _rezip(plain, compression=zipfile.ZIP_LZMA),
        "sizes after the data": _rezip(plain, stream=True),
        "stored, sizes after the data": _rezip(plain, compression=zipfile.ZIP_STORED, stream=True),
        "a part name not ASCII": _rezip(plain, rename=lambda n: n.replace("sheet1.xml", "ورقة١.xml")),
    }
    for name, data in variants.items():
        assert _frames(data) == want, name
        # the zip calamine is given holds each part's bytes under the CRC-32 they were checked against
        # (calamine does not test it; a reader that does would refuse a wrong one)
        out = readers._StoredZip()
        readers.check_workbook_parts(readers.check_zip(data), out)
        checked = zipfile.ZipFile(readers._Chunks(out.finish()))
        assert checked.testzip() is None, name
        src = zipfile.ZipFile(io.BytesIO(data))
        assert {i.filename: checked.read(i) for i in checked.infolist()} == \
            {i.filename: src.read(i) for i in src.infolist()}, name

"""Bytes in, a raw table of cells out: encodings, CSV dialects, workbooks, safety checks.

Files arrive from Iraq as UTF-8, UTF-8 with a BOM (Excel's "CSV UTF-8"), Windows-1256
(Excel's "CSV" on an Arabic Windows) and UTF-16 (Excel's "Unicode text", tab separated).
Workbooks are XLSX; the old binary ``.xls`` is refused with a clear message.

Safety:

- every input is capped at :data:`MAX_BYTES` (the Upload page's cap too);
- an XLSX is a zip: its members' declared sizes and compression ratio are checked
  *before* any XML is parsed (:func:`check_zip`), so a decompression bomb is refused;
- workbooks are read by openpyxl, which parses XML with ``defusedxml`` when it is
  installed (it is pinned in requirements.txt); :func:`read_xlsx` refuses to run if
  openpyxl reports it is not using it.

Every kind that reads a table (the importers, the sub-district scores) goes through
:func:`read_table_file`. Nothing here knows what the columns mean: that is
:mod:`dsdash.importers.detect` and the kind modules. A :class:`RawTable` keeps every row
with its spreadsheet row number.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
from defusedxml import DefusedXmlException

#: Largest file accepted, in bytes (the Upload page caps uploads at 50 MB too).
MAX_BYTES = 50 * 1024 * 1024
#: Zip checks (XLSX and zipped shapefiles): total uncompressed size, member ratio, members.
MAX_UNZIPPED_BYTES = 400 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 2000


class ReadError(ValueError):
    """The file cannot be read at all; the message says why, for the user."""


@dataclass
class RawTable:
    """Cells of one sheet (or CSV) as read, one list per file row, no header chosen yet.

    ``frame`` has integer columns 0..n-1 and index = 0-based file row (so the row the
    user sees in Excel is ``index + 1``). Cells are strings (CSV) or Python values (XLSX).
    """

    frame: pd.DataFrame
    sheet: str | None = None
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)


def check_size(data: bytes) -> None:
    """Refuse (:class:`ReadError`) a file larger than :data:`MAX_BYTES` or empty."""
    if len(data) > MAX_BYTES:
        raise ReadError(f"the file is {len(data) / 1e6:.1f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB")
    if not data:
        raise ReadError("the file is empty")


def read_table_file(data: bytes, filename: str) -> list[RawTable]:
    """Every sheet of a CSV or XLSX, after the size, zip-bomb and XML checks above.

    Raises :class:`ReadError` for a file too large or empty, an old ``.xls``, or a file
    that is not a table (a boundary file, say).

    Examples:
        >>> [(r.encoding, r.frame.shape) for r in read_table_file("a,b\\nالانبار,1".encode("cp1256"), "a.csv")]
        [('windows-1256', (2, 2))]
    """
    check_size(data)
    fmt = file_format(data, filename)
    if fmt == "xls":
        raise ReadError("old Excel .xls files are not read: save it as .xlsx (or CSV UTF-8) and load it again")
    if fmt == "xlsx":
        return read_xlsx(data)
    if fmt == "csv":
        return [read_csv_bytes(data)]
    raise ReadError(f"not a table: a {fmt} file (CSV or Excel .xlsx expected)")


# --------------------------------------------------------------------------- encodings
def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a text file, returning ``(text, encoding used)``.

    Order: BOMs (UTF-8, UTF-16), UTF-16 without BOM (many NUL bytes), strict UTF-8,
    then Windows-1256 (Arabic Windows). Latin-1 is never guessed: a file that is not
    one of these is read as Windows-1256, which decodes every byte, and the caller's
    checks (headers, numbers) say what went wrong.

    Examples:
        >>> decode_text("الانبار".encode("cp1256"))[1]
        'windows-1256'
        >>> decode_text("\\ufeffa,b".encode("utf-8"))
        ('a,b', 'utf-8-sig')
        >>> decode_text("a,b".encode("utf-16"))
        ('a,b', 'utf-16')
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    head = data[:4000]
    if head and head.count(b"\x00") > len(head) // 4:
        enc = "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"
        return data.decode(enc, errors="replace"), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return data.decode("cp1256", errors="replace"), "windows-1256"


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV: the most frequent of , ; tab and | in its first lines.

    Examples:
        >>> sniff_delimiter("a;b;c\\n1;2;3"), sniff_delimiter("a\\tb\\n1\\t2"), sniff_delimiter("a,b")
        (';', '\\t', ',')
    """
    sample = text[:20000]
    counts = {d: sample.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv_bytes(data: bytes) -> RawTable:
    """Read a CSV (any of the encodings above, , ; tab or | separated) into a RawTable."""
    text, enc = decode_text(data)
    delim = sniff_delimiter(text)
    try:
        frame = _arrow_frame(text, delim, data if enc == "utf-8" else None)
        if frame is None:
            frame = _csv_frame(text, delim)
    except (pd.errors.ParserError, ValueError) as exc:
        raise ReadError(f"cannot read it as CSV ({exc})") from None
    return RawTable(frame=frame, encoding=enc)


def _arrow_frame(text: str, delim: str, utf8: bytes | None) -> pd.DataFrame | None:
    """The fast path: Arrow's CSV reader, every cell as text, row index = file line.

    Title rows narrower than the table are read with the csv module; the rest by Arrow.
    Returns None (the caller takes the pandas path) for anything unusual: an empty line
    inside the data (Arrow would drop it and shift row numbers), a line break inside a
    quoted cell, ragged rows.
    """
    head = text[:200_000].splitlines()[:60]
    recs = list(csv.reader(head, delimiter=delim))
    if not recs:
        return None
    width = max(len(r) for r in recs)
    k = next(i for i, r in enumerate(recs) if len(r) == width)
    start = 0
    for _ in range(k):  # offset of line k (title lines hold no line breaks in quotes: checked above)
        start = text.index("\n", start) + 1
    body = text[start:].rstrip("\r\n")
    if "\n\n" in body or "\n\r\n" in body or "\r\r" in body:
        return None  # an empty line inside the data: Arrow would drop it and shift row numbers
    raw = utf8 if (utf8 is not None and k == 0) else body.encode("utf-8")
    names = [f"c{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(
            pa.py_buffer(raw),
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(delimiter=delim, newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, UnicodeError):
        return None
    frame = table.to_pandas()
    frame.columns = list(range(width))
    if k:
        top = pd.DataFrame([r + [""] * (width - len(r)) for r in recs[:k]], columns=list(range(width)), dtype="str")
        frame = pd.concat([top, frame], ignore_index=True)
    return frame


def _csv_frame(text: str, delim: str) -> pd.DataFrame:
    # Title rows above the header have fewer fields than the table: give pandas the
    # widest row's width so the C parser never trips on a ragged first line.
    lines = text[:200_000].splitlines()[:60]
    width = 1
    for rec in csv.reader(lines, delimiter=delim):
        width = max(width, len(rec))
    kwargs = dict(header=None, dtype=str, keep_default_na=False, sep=delim, skip_blank_lines=False,
                  quotechar='"')
    try:
        frame = pd.read_csv(io.StringIO(text), names=list(range(width)), **kwargs)
    except pd.errors.ParserError:
        width = max((len(r) for r in csv.reader(text.splitlines(), delimiter=delim)), default=1)
        frame = pd.read_csv(io.StringIO(text), names=list(range(width)), **kwargs)
    return frame.fillna("")


# --------------------------------------------------------------------------- zips and workbooks
def check_zip(data: bytes, *, what: str = "workbook") -> zipfile.ZipFile:
    """Open a zip after checking it is not a decompression bomb (declared sizes only:
    nothing is decompressed here). Raises :class:`ReadError` with the reason."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ReadError(f"the {what} is not a valid zip file (damaged or not an .xlsx/.zip)") from None
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ReadError(f"the {what} has {len(infos)} parts (more than {MAX_MEMBERS}): refused")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ReadError(
                f"the {what}'s part '{info.filename}' expands {info.file_size // max(info.compress_size, 1)}× "
                f"(to {info.file_size:,} bytes): refused as a possible decompression bomb")
    if total > MAX_UNZIPPED_BYTES:
        raise ReadError(f"the {what} expands to {total:,} bytes (more than {MAX_UNZIPPED_BYTES:,}): refused")
    return zf


def read_xlsx(data: bytes) -> list[RawTable]:
    """Every sheet of an XLSX as a RawTable (values, not formulas), after :func:`check_zip`."""
    check_zip(data)
    import openpyxl  # loaded when a workbook is read: it takes ~130 ms to import
    import openpyxl.xml

    if not openpyxl.xml.DEFUSEDXML:
        raise ReadError("workbooks are read only with defusedxml installed (pip install defusedxml)")
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise ReadError(_workbook_error("open", exc)) from None
    out = []
    try:
        for ws in wb.worksheets:
            rows = [list(r) for r in ws.iter_rows(values_only=True)]
            while rows and all(v is None or (isinstance(v, str) and not v.strip()) for v in rows[-1]):
                rows.pop()
            width = max((len(r) for r in rows), default=0)
            frame = pd.DataFrame([r + [None] * (width - len(r)) for r in rows], columns=list(range(width)),
                                 dtype=object)
            out.append(RawTable(frame=frame, sheet=ws.title, encoding="xlsx"))
    except Exception as exc:
        raise ReadError(_workbook_error("read", exc)) from None
    finally:
        wb.close()
    return out


def _workbook_error(verb: str, exc: BaseException) -> str:
    """The message for a workbook openpyxl could not take; names defusedxml's refusals."""
    e: BaseException | None = exc
    while e is not None:
        if isinstance(e, DefusedXmlException):
            return (f"the workbook's XML declares entities or a DTD ({type(e).__name__}): refused, as a possible "
                    "entity-expansion attack; save the file again from Excel")
        e = e.__cause__ or e.__context__
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"cannot {verb} the workbook ({type(exc).__name__}: {first})"


def file_format(data: bytes, filename: str) -> str:
    """'xlsx', 'xls', 'zip', 'gpkg', 'geojson' or 'csv', from magic bytes and the name."""
    name = filename.lower()
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        if name.endswith((".xlsx", ".xlsm")):
            return "xlsx"
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return "xlsx" if name.endswith(".xlsx") else "zip"
        return "xlsx" if "[Content_Types].xml" in names else "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if data.startswith(b"SQLite format 3\x00") or name.endswith(".gpkg"):
        return "gpkg"
    if name.endswith((".geojson", ".json")):
        return "geojson"
    if name.endswith((".xlsx", ".xlsm")):
        return "xlsx"
    if name.endswith(".zip") or name.endswith(".shp"):
        return "zip"
    return "csv"

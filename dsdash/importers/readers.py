"""Bytes in, a raw table of cells out: encodings, CSV dialects, workbooks, safety checks.

Files arrive from Iraq as UTF-8, UTF-8 with a BOM (Excel's "CSV UTF-8"), Windows-1256
(Excel's "CSV" on an Arabic Windows) and UTF-16 (Excel's "Unicode text", tab separated).
Workbooks are XLSX; the old binary ``.xls`` is refused with a clear message.

Safety:

- every input is capped at :data:`MAX_BYTES` (the Upload page's cap too);
- an XLSX is a zip: its members' declared sizes and compression ratio are checked
  *before* any XML is parsed (:func:`check_zip`), so a decompression bomb is refused;
- then every part is inflated once and checked before any XML parser sees it
  (:func:`check_workbook_parts`): a part declaring a DTD or entities is refused (an
  entity-expansion attack), and the cells each sheet spans (rows × columns, as the
  cell references say) are capped at :data:`MAX_CELLS`, because a reader lays a sheet
  out densely and two cells at A1 and XFD1048576 would ask it for 17 billion;
- workbooks are read by python-calamine (Rust; ~15× faster than openpyxl), and by
  openpyxl only when calamine cannot read a file (a note says so); openpyxl parses
  XML with ``defusedxml`` (pinned in requirements.txt) and is refused without it.

Every kind that reads a table (the importers, the sub-district scores) goes through
:func:`read_table_file`. Nothing here knows what the columns mean: that is
:mod:`dsdash.importers.detect` and the kind modules. A :class:`RawTable` keeps every row
with its spreadsheet row number.
"""

from __future__ import annotations

import bisect
import contextlib
import csv
import datetime as dt
import html
import io
import os
import posixpath
import re
import struct
import tempfile
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from defusedxml import DefusedXmlException
from pandas._libs import lib

from dsdash.i18n import N_, _, ngettext

#: Largest file accepted, in bytes: 50 MB, meaning 50,000,000 bytes everywhere (the Upload page and
#: the command line say "50 MB"; Streamlit's own upload cap, 50 MiB, is a little larger).
MAX_BYTES = 50_000_000
MAX_BYTES_TEXT = "50 MB"
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
    #: Cells the reader emptied, with why: ``(frame row, frame column, reason, level)`` (a cell too
    #: long, a formula without a saved value, a line in another encoding); the importer reports each
    #: under its row and column header.
    cell_problems: list[tuple[int | None, int | None, str, str]] = field(default_factory=list)
    #: A bound on the length of any text cell, when the reader knows one (a workbook's XML spans, a
    #: CSV's longest cell in bytes): at most :data:`MAX_CELL_CHARS`, no cell is measured.
    longest_text: int | None = None


#: What a formula cell without a saved value reads as (the formula's result is not in the file).
FORMULA_WITHOUT_VALUE = "(formula without a saved value)"
#: Longest cell read, in characters (Excel's own limit); a longer one is emptied and reported.
MAX_CELL_CHARS = 32_767
#: Most worksheets a workbook may hold.
MAX_SHEETS = 50
#: Most bytes of sheet XML per cell: more is padding (a decompression bomb that keeps under the ratio check).
MAX_XML_PER_CELL = 64 * 1024

csv.field_size_limit(2**31 - 1)  # files are capped at MAX_BYTES; a long cell is reported by _long_cells


def _long_cells(frame: pd.DataFrame, raw: RawTable) -> None:
    """Empty every text cell longer than :data:`MAX_CELL_CHARS`, each reported (not the file)."""
    if raw.longest_text is not None and raw.longest_text <= MAX_CELL_CHARS:
        return  # no cell of the workbook's XML spans that many bytes
    for j in range(frame.shape[1]):
        col = frame.iloc[:, j]
        if col.dtype == object:  # workbook cells: any type (a str's length, 0 for the others)
            cells = col.to_numpy()
            lengths = pd.Series(np.fromiter((len(v) if type(v) is str else 0 for v in cells), dtype=np.int64,
                                            count=len(cells)), index=col.index)
        elif pd.api.types.is_string_dtype(col.dtype):  # CSV text: Arrow's lengths
            cells = col.array.__arrow_array__() if getattr(col.dtype, "storage", "") == "pyarrow" else None
            if cells is not None and (pc.max(pc.binary_length(cells)).as_py() or 0) <= MAX_CELL_CHARS:
                continue  # no cell has more bytes than the limit has characters
            lengths = col.str.len().fillna(0).astype(np.int64)
        else:
            continue
        for i in np.flatnonzero(lengths.to_numpy() > MAX_CELL_CHARS):
            raw.cell_problems.append((int(i), j, _("cell too long ({n:,} characters; the limit is {limit:,}): left "
                                                   "empty").format(n=int(lengths.iat[i]), limit=MAX_CELL_CHARS),
                                      "warning"))
            frame.iat[i, j] = None if col.dtype == object else ""


def size_problem(n_bytes: int) -> str | None:
    """Why a file of ``n_bytes`` is refused (too large, empty), or None.

    Examples:
        >>> size_problem(210_000_000), size_problem(50_000_000), size_problem(0)
        ('the file is 210.0 MB; the limit is 50 MB', None, 'the file is empty')
    """
    if n_bytes > MAX_BYTES:
        return _("the file is {size:.1f} MB; the limit is {limit}").format(size=n_bytes / 1e6, limit=MAX_BYTES_TEXT)
    if not n_bytes:
        return _("the file is empty")
    return None


def check_size(data: bytes) -> None:
    """Refuse (:class:`ReadError`) a file larger than :data:`MAX_BYTES` or empty."""
    why = size_problem(len(data))
    if why:
        raise ReadError(why)


def read_path(path) -> bytes:
    """A file's bytes, its size checked first (from the file system: a 210 MB file is refused
    without reading it). Raises :class:`ReadError`."""
    why = size_problem(os.stat(path).st_size)
    if why:
        raise ReadError(why)
    with open(path, "rb") as fh:
        data = fh.read(MAX_BYTES + 1)  # a file that grew meanwhile is still capped
    check_size(data)
    return data


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
        raise ReadError(_("old Excel .xls files are not read: save it as .xlsx (or CSV UTF-8) and load it again"))
    if fmt in ("xlsx", "csv"):
        tables = read_xlsx(data) if fmt == "xlsx" else [read_csv_bytes(data)]
        for t in tables:
            _long_cells(t.frame, t)
        return tables
    raise ReadError(_("not a table: a {format} file (CSV or Excel .xlsx expected)").format(format=fmt))


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
    enc = _utf16_without_bom(data)
    if enc:
        return data.decode(enc, errors="replace"), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    lines = data.split(b"\n")
    utf8 = [_is_utf8(line) and any(b >= 0x80 for b in line) for line in lines]
    if any(utf8):  # lines of both: each decoded as what it is
        return "\n".join(line.decode("utf-8") if u else line.decode("cp1256", errors="replace")
                         for line, u in zip(lines, utf8)), MIXED
    return data.decode("cp1256", errors="replace"), "windows-1256"


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' for a file of UTF-16 without a byte-order mark, else None.

    Text of UTF-8 or Windows-1256 has no NUL bytes; UTF-16 has one in every ASCII character (a
    digit, a delimiter, a line end), on the odd bytes (little-endian) or the even ones (big-endian).
    Arabic letters have none (U+06xx is ``xx 06``), so an Arabic file has fewer than a quarter of its
    bytes NUL: the test is NULs on one side, at least one pair in 16, and almost none on the other.

    Examples:
        >>> _utf16_without_bom("الانبار\\tأربيل\\t12\\n".encode("utf-16-le")), _utf16_without_bom(b"a,b\\n1,2")
        ('utf-16-le', None)
        >>> _utf16_without_bom("Place id,Households".encode("utf-16-be"))
        'utf-16-be'
    """
    head = data[:4000]
    if b"\x00" not in head:
        return None
    head = head[:len(head) // 2 * 2]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    pairs = len(head) // 2
    if odd * 16 >= pairs and even * 8 <= odd:
        return "utf-16-le"
    if even * 16 >= pairs and odd * 8 <= even:
        return "utf-16-be"
    return None


#: The encoding :func:`decode_text` names for a file of UTF-8 and Windows-1256 lines.
MIXED = "mixed UTF-8 and Windows-1256"


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


#: The delimiters :func:`sniff_delimiter` chooses from, in the order that breaks ties.
DELIMITERS = (",", ";", "\t", "|")


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV: of , ; tab and |, the one that splits the most of its first lines
    into one same number of fields (two or more), as the csv module reads them (quotes
    respected, a record counting the lines it takes: a quoted cell with a line break in it is
    one record over two lines); a tie goes to more fields, then to the order of
    :data:`DELIMITERS`. Counting characters would take the commas of a remarks column for the
    delimiter of a tab-separated file (Excel's "Unicode text" does not quote them).

    Examples:
        >>> sniff_delimiter("a;b;c\\n1;2;3"), sniff_delimiter("a\\tb\\n1\\t2"), sniff_delimiter("a,b")
        (';', '\\t', ',')
        >>> sniff_delimiter("Place ID\\tRemarks\\n1\\twater, power, health\\n2\\tschool, roads, health")
        '\\t'
        >>> sniff_delimiter('Org\\tNote\\tGov\\nUNHCR\\t"a,\\n,b"\\tAnbar\\nIOM\\t"c,\\n,d"\\tAnbar\\nDRC\\t"e,\\n,f"\\tAnbar')
        '\\t'
    """
    lines = [line for line in text[:20000].splitlines()[:60] if line.strip()]
    best, best_key = ",", (0, 0, 0)
    for rank, d in enumerate(DELIMITERS):
        if not any(d in line for line in lines):
            continue
        widths: Counter = Counter()  # fields per record → the lines those records take
        reader = csv.reader(lines, delimiter=d)
        try:
            taken = 0
            for r in reader:
                widths[len(r)] += reader.line_num - taken  # a quoted cell over two lines: one record, two lines
                taken = reader.line_num
        except csv.Error:
            continue
        width, count = max(widths.items(), key=lambda kv: (kv[1], kv[0]))
        key = (count, width, -rank)
        if width > 1 and key > best_key:
            best, best_key = d, key
    return best


def read_csv_bytes(data: bytes) -> RawTable:
    """Read a CSV (any of the encodings above, , ; tab or | separated) into a RawTable."""
    head = _utf8_head(data)
    tried = False
    if head is not None:  # plain UTF-8 (the usual case): Arrow reads the bytes as they are and checks them
        try:
            got = _arrow_frame(head, sniff_delimiter(head), data)
            tried = True
        except UnicodeDecodeError:  # not UTF-8 after the first 200 kB: decode_text decides
            got = None
        except (pd.errors.ParserError, ValueError) as exc:
            raise ReadError(_("cannot read it as CSV ({why})").format(why=exc)) from None
        if got is not None:
            return RawTable(frame=got[0], encoding="utf-8", longest_text=got[1])
    text, enc = decode_text(data)
    delim = sniff_delimiter(text)
    try:
        got = None if tried and enc == "utf-8" else _arrow_frame(text, delim, data if enc == "utf-8" else None)
        frame, longest = got if got is not None else (_csv_frame(text, delim), None)
    except (pd.errors.ParserError, ValueError) as exc:
        raise ReadError(_("cannot read it as CSV ({why})").format(why=exc)) from None
    out = RawTable(frame=frame, encoding=enc, longest_text=longest)
    if enc == MIXED:
        out.cell_problems.append((None, None, _("the file mixes UTF-8 lines with Windows-1256 (Arabic Windows) lines: "
                                                "each line was decoded as what it is; check its Arabic names and save "
                                                "it as CSV UTF-8"), "warning"))
    return out


_HEAD_BYTES = 200_000


def _utf8_head(data: bytes) -> str | None:
    """The first 200 kB of a file :func:`decode_text` would read as plain UTF-8 (no BOM, not
    UTF-16), decoded; None for any other file, or when that start is not UTF-8. The rest of
    the file is not decoded here: Arrow checks it is UTF-8 as it reads it."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return None
    if _utf16_without_bom(data):
        return None
    cut = data[:_HEAD_BYTES]
    if len(data) > _HEAD_BYTES:
        while cut and (cut[-1] & 0xC0) == 0x80:  # do not split a character
            cut = cut[:-1]
        cut = cut[:-1] if cut and cut[-1] >= 0xC0 else cut
    try:
        return cut.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _arrow_frame(text: str, delim: str, utf8: bytes | None) -> tuple[pd.DataFrame, int] | None:
    """The fast path: Arrow's CSV reader, every cell as text, row index = file line; with the
    longest cell's length in bytes (a bound on its characters).

    ``text`` is the file decoded (or, with ``utf8``, at least its first 200 kB); ``utf8``:
    the file's bytes when they are UTF-8 (read as they are, without encoding the text
    again). Title rows narrower than the table are read with the csv module; the rest by
    Arrow. Returns None (the caller takes the pandas path) for anything unusual: an empty
    line inside the data (Arrow would drop it and shift row numbers), a line break inside
    a quoted cell, ragged rows. Raises UnicodeDecodeError when ``utf8`` is not UTF-8 after all.
    """
    head = _head_lines(text)
    if any("\r" in line for line in head):
        return None  # lines ended by a carriage return alone (Excel's "CSV (Macintosh)"): the pandas path
    reader = csv.reader(head, delimiter=delim)
    recs = []
    for rec in reader:
        recs.append(rec)
        if reader.line_num != len(recs):
            return None  # a quoted cell holding a line break (a title typed with Alt+Enter): the pandas path
    if not recs:
        return None
    width = max(len(r) for r in recs)
    k = next(i for i, r in enumerate(recs) if len(r) == width)
    # offset of line k (title lines hold no line breaks in quotes: checked above)
    if utf8 is not None:
        raw, k_start = utf8, 0
        for _line in range(k):
            k_start = raw.index(b"\n", k_start) + 1
    else:
        start = 0
        for _line in range(k):
            start = text.index("\n", start) + 1
        raw, k_start = text[start:].encode("utf-8"), 0
    end = len(raw)
    while end > k_start and raw[end - 1] in (10, 13):
        end -= 1
    names = [f"c{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(
            pa.py_buffer(memoryview(raw)[k_start:end]),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=end - k_start > 8_000_000),
            # an empty line inside the data is an error here (Arrow would drop it and shift row numbers)
            parse_options=pacsv.ParseOptions(delimiter=delim, newlines_in_values=False, ignore_empty_lines=False),
            # large_string: what a pandas "str" column holds (no cast when the frame is made)
            convert_options=pacsv.ConvertOptions(column_types={n: pa.large_string() for n in names},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except pa.ArrowInvalid as exc:
        if utf8 is not None and "UTF8" in str(exc).upper().replace("-", ""):
            raise UnicodeDecodeError("utf-8", b"", 0, 1, "not UTF-8") from None
        return None
    except (pa.ArrowNotImplementedError, UnicodeError):
        return None
    columns = [table.column(j).chunks for j in range(width)]
    if k:  # the title rows, narrower than the table, padded with empty cells
        top = [r + [""] * (width - len(r)) for r in recs[:k]]
        columns = [[pa.array([r[j] for r in top], pa.large_string()), *chunks] for j, chunks in enumerate(columns)]
    # the longest cell's bytes (at least its characters; no cell is longer than the file): _long_cells
    # measures no column when it is short enough
    longest = len(raw) if utf8 is not None else len(text)
    if longest > MAX_CELL_CHARS:
        every = pa.chunked_array([c for chunks in columns for c in chunks], pa.large_string())
        longest = pc.max(pc.binary_length(every)).as_py() or 0
    frame = pd.DataFrame._from_arrays(
        [pd.arrays.ArrowStringArray(pa.chunked_array(chunks, pa.large_string()), dtype=_STR) for chunks in columns],
        columns=pd.Index(list(range(width))), index=pd.RangeIndex(table.num_rows + k), verify_integrity=False)
    return frame, longest


#: The dtype of a CSV's cells: pandas' "str" (Arrow-backed, NaN for a missing value).
_STR = pd.StringDtype("pyarrow", na_value=np.nan)


def _head_lines(text: str, n: int = 60) -> list[str]:
    """``text[:_HEAD_BYTES].splitlines()[:n]``, without splitting the rest of those 200 kB: the
    lines of the text up to its n-th line feed (every line feed ends a line, so those hold the
    first n lines whole)."""
    stop = -1
    for _line in range(n):
        stop = text.find("\n", stop + 1, _HEAD_BYTES)
        if stop < 0:
            return _split_lines(text[:_HEAD_BYTES])[:n]
    return _split_lines(text[:stop + 1])[:n]


def _split_lines(text: str) -> list[str]:
    """The lines of ``text`` as the CSV readers end them: at a line feed (a carriage return
    before it dropped), not at the other characters ``str.splitlines`` breaks on (a U+2028
    line separator pasted from Word into a title cell, a form feed ...), so that the lines
    counted here are the lines Arrow reads.

    Examples:
        >>> _split_lines("IOM DTM\\u2028Iraq\\r\\na,b\\n1,2\\n")
        ['IOM DTM\\u2028Iraq', 'a,b', '1,2']
    """
    lines = text.split("\n")
    if lines and not lines[-1]:
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


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
def check_zip(data: bytes, *, what: str = N_("workbook")) -> zipfile.ZipFile:
    """Open a zip after checking it is not a decompression bomb (declared sizes only:
    nothing is decompressed here). Raises :class:`ReadError` with the reason."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ReadError(_("the {what} is not a valid zip file (damaged or not an .xlsx/.zip)").format(what=_(what))) \
            from None
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ReadError(_("the {what} has {n} parts (more than {limit}): refused").format(
            what=_(what), n=len(infos), limit=MAX_MEMBERS))
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ReadError(_("the {what}'s part '{part}' expands {ratio}× (to {size:,} bytes): refused as a possible "
                              "decompression bomb").format(what=_(what), part=info.filename,
                                                           ratio=info.file_size // max(info.compress_size, 1),
                                                           size=info.file_size))
    if total > MAX_UNZIPPED_BYTES:
        raise ReadError(_("the {what} expands to {size:,} bytes (more than {limit:,}): refused").format(
            what=_(what), size=total, limit=MAX_UNZIPPED_BYTES))
    sheets = sum(1 for i in infos if re.fullmatch(r"xl/worksheets/[^/]+\.xml", i.filename))
    if sheets > MAX_SHEETS:
        raise ReadError(_("the {what} has {n} worksheets (more than {limit}): refused; keep the sheets to load in a "
                          "workbook of their own").format(what=_(what), n=sheets, limit=MAX_SHEETS))
    return zf


#: Most cells the sheets of one workbook may span (rows × columns of each sheet, summed).
MAX_CELLS = 20_000_000


class _StoredZip:
    """A zip without compression, of parts already inflated and checked: each is written with the
    CRC-32 it was checked against (:meth:`zipfile.ZipFile.writestr` would compute it once more and
    copy the bytes into its file). Kept in memory (:meth:`finish` gives its chunks, in order), or
    written to ``fh`` as each part comes. Never needs zip64: a workbook is at most :data:`MAX_UNZIPPED_BYTES`
    unpacked, in at most :data:`MAX_MEMBERS` parts."""

    def __init__(self, fh=None) -> None:
        self.fh = fh
        self.chunks: list[bytes] = []
        self.directory: list[bytes] = []
        self.offset = 0

    def add(self, name: str, data: bytes, crc: int) -> None:
        try:
            raw_name, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            raw_name, flags = name.encode("utf-8"), 0x800  # (as zipfile names it)
        size = len(data)
        head = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, 0, 0, 0x21, crc, size, size, len(raw_name), 0)
        self.directory.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 0x314, 20, flags, 0, 0, 0x21, crc, size, size,
                                          len(raw_name), 0, 0, 0, 0, 0o600 << 16, self.offset) + raw_name)
        self._write(head + raw_name)
        self._write(data)
        self.offset += len(head) + len(raw_name) + size

    def _write(self, chunk: bytes) -> None:
        if self.fh is None:
            self.chunks.append(chunk)
        else:
            self.fh.write(chunk)

    def finish(self) -> list[bytes]:
        """The central directory and its end written: the zip's bytes in order (in memory: see
        :class:`_Chunks`), or [] (written to ``fh``)."""
        directory = b"".join(self.directory)
        self._write(directory + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(self.directory),
                                            len(self.directory), len(directory), self.offset, 0))
        out, self.chunks = self.chunks, []
        return out


class _Chunks(io.RawIOBase):
    """Bytes held as a list of chunks, read as one file (a whole chunk is handed over as it is: the
    zip a reader takes is not copied into one piece first)."""

    def __init__(self, chunks: list[bytes]) -> None:
        super().__init__()
        self.chunks = [c for c in chunks if c]
        self.starts = [0]
        for c in self.chunks:
            self.starts.append(self.starts[-1] + len(c))
        self.pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = 0) -> int:
        self.pos = max(0, offset + (0, self.pos, self.starts[-1])[whence])
        return self.pos

    def read(self, size: int = -1) -> bytes:
        if self.pos >= self.starts[-1]:
            return b""
        i = bisect.bisect_right(self.starts, self.pos) - 1
        chunk, at = self.chunks[i], self.pos - self.starts[i]
        if size is None or size < 0:  # the rest
            out = b"".join([chunk[at:], *self.chunks[i + 1:]])
        elif size >= len(chunk) - at:  # the rest of this chunk (a short read)
            out = chunk if at == 0 else chunk[at:]
        else:
            out = chunk[at:at + size]
        self.pos += len(out)
        return out

    def readinto(self, b) -> int:
        data = self.read(len(b))
        b[:len(data)] = data
        return len(data)


def check_workbook_parts(zf: zipfile.ZipFile, out: zipfile.ZipFile | _StoredZip | None = None,
                         dimensions: dict[str, tuple[str, str]] | None = None,
                         facts: dict | None = None) -> dict[str, bytes]:
    """Every part of a workbook (after :func:`check_zip`), inflated, once checked: no part
    declares a DTD or entities, and the sheets span at most :data:`MAX_CELLS` cells.

    Nothing here parses XML: the checks are byte scans, so they hold whatever parser
    reads the parts next. Raises :class:`ReadError` with the reason. Each part checked is
    written to ``out`` (a zip without compression) when given: the reader then reads
    exactly the bytes checked here. Returns the small parts (the workbook's index) and the
    sheets holding error cells; the other sheets are not kept.

    A sheet's declared size (its ``<dimension ref="A1:E2"/>``) is compared with the cells it
    holds, and nothing is sized by it (a sheet may declare ``A1:XFD1048576`` for two cells):
    where they differ, ``dimensions`` (when given) gets the part's ``(declared, actual)`` range.
    ``facts`` (when given) gets ``"longest_text"``: a bound on the length of any text cell (the
    longest span one cell or shared string holds in the XML; None when not known), and ``"merges"``:
    each sheet part's merged ranges (:func:`_merge_ranges`), for :func:`_fill_merged`.
    """
    longest: int | None = 0
    parts: dict[str, bytes] = {}
    merges: dict[str, tuple[int, list[tuple[int, int, int, int]] | None]] = {}
    cells = 0
    archive = zf.fp.getbuffer() if isinstance(zf.fp, io.BytesIO) and not zf.metadata_encoding else None
    try:
        for info in zf.infolist():
            if info.is_dir():
                continue
            longest, cells = _check_part(zf, info, archive, out, dimensions, parts, longest, cells, merges)
    finally:
        if archive is not None:
            archive.release()
    if facts is not None:
        facts["longest_text"] = longest
        facts["merges"] = merges
    return parts


#: Zip flags a part is inflated with by :func:`_inflate` (UTF-8 name, sizes after the data, deflate options).
_PLAIN_FLAGS = 0x800 | 0x8 | 0x6


def _inflate(info: zipfile.ZipInfo, archive: memoryview | None) -> bytes | None:
    """A part's bytes, inflated in one call and checked as :meth:`zipfile.ZipFile.read` checks them
    (its local header names it, its size and CRC-32 are the directory's), or None when anything
    is out of the ordinary: then ``zipfile`` reads it (and says what is wrong). Never more than
    the part's declared size is inflated."""
    if archive is None or info.flag_bits & ~_PLAIN_FLAGS or info.compress_type not in (zipfile.ZIP_STORED,
                                                                                       zipfile.ZIP_DEFLATED):
        return None
    h = info.header_offset
    head = bytes(archive[h:h + 30])
    if len(head) != 30 or head[:4] != b"PK\x03\x04":
        return None
    name_len, extra_len = int.from_bytes(head[26:28], "little"), int.from_bytes(head[28:30], "little")
    name = bytes(archive[h + 30:h + 30 + name_len])
    try:
        if name.decode("utf-8" if int.from_bytes(head[6:8], "little") & 0x800 else "cp437") != info.orig_filename:
            return None
    except UnicodeDecodeError:
        return None
    start = h + 30 + name_len + extra_len
    packed = archive[start:start + info.compress_size]
    if len(packed) != info.compress_size:
        return None
    try:
        raw = bytes(packed) if info.compress_type == zipfile.ZIP_STORED else \
            zlib.decompressobj(-15).decompress(packed, info.file_size + 1)
    except zlib.error:
        return None
    if len(raw) != info.file_size or zlib.crc32(raw) != info.CRC:
        return None
    return raw


def _check_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, archive: memoryview | None, out: zipfile.ZipFile | None,
                dimensions: dict | None, parts: dict[str, bytes], longest: int | None, cells: int,
                merges: dict | None = None) -> tuple[int | None, int]:
    """:func:`check_workbook_parts` for one part: the bound on text lengths and the cells counted so
    far, after it."""
    raw = _inflate(info, archive)
    try:
        raw = zf.read(info) if raw is None else raw
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        raise ReadError(_("the workbook's part '{part}' cannot be unpacked ({why})").format(
            part=info.filename, why=exc)) from None
    xml = _as_utf8(raw)
    if b"!" in xml and _declares_dtd(xml):
        name = "EntitiesForbidden" if b"ENTITY" in xml.upper() else "DTDForbidden"
        raise ReadError(_("the workbook's XML declares entities or a DTD ({name}, in '{part}'): refused, as a "
                          "possible entity-expansion attack; save the file again from Excel").format(
            name=name, part=info.filename))
    scanned: dict = {}
    kept = raw  # what the later searches (error cells, formulas without a value) read
    if b"sheetData" in xml:
        kept = plain = _unprefixed(xml)  # (a sheet with a prefix on every element: its tags without it)
        if plain is xml:
            kept = raw
        n_cells = _too_few_cells(xml)
        if n_cells is not None:
            raise ReadError(_("the workbook's sheet '{part}' is {size:,.0f} MB of XML for {n:,} cells: padding, "
                              "refused as a possible decompression bomb").format(
                part=info.filename, size=len(xml) / 1e6, n=n_cells))
        rows, cols, span = _sheet_scan(plain, scanned)
        longest = None if longest is None or span is None else max(longest, span)
        if dimensions is not None:
            declared = _declared_range(plain)
            actual = f"A1:{_column_name(cols)}{rows}" if rows and cols else None
            if declared and actual and _range_end(declared) != (rows, cols):
                dimensions[info.filename] = (declared, actual)
        cells += rows * cols
        if cells > MAX_CELLS:
            raise ReadError(_("the workbook's sheet '{part}' spans {rows:,} rows × {cols:,} columns (cells as far "
                              "as {cell}); more than {limit:,} cells in all: refused. A stray value far below or "
                              "right of the table does this: delete it in Excel and save again").format(
                part=info.filename, rows=rows, cols=cols, cell=f"{_column_name(cols)}{rows}", limit=MAX_CELLS))
        if merges is not None:
            got = _merge_ranges(plain)
            if got is not None:
                merges[info.filename] = got
    elif b"<sst" in xml or b":sst" in xml:  # the shared strings: each item's span bounds its text
        span = _longest_item(xml)
        longest = None if longest is None or span is None else max(longest, span)
    if isinstance(out, _StoredZip):
        out.add(info.filename, raw, info.CRC)  # (the CRC-32 the bytes were checked against as they were inflated)
    elif out is not None:
        out.writestr(info.filename, raw)
    if ("formula" in scanned and (scanned["formula"] or scanned["error"])) or \
            ("formula" not in scanned and len(raw) < 1 << 20):
        parts[info.filename] = kept
    return longest, cells


def _too_few_cells(xml: bytes) -> int | None:
    """The number of cells (``<c `` and ``<c>``, or with a namespace prefix, ``<x:c …``) of a sheet's
    XML when it has too few for its size (more than :data:`MAX_XML_PER_CELL` bytes each, past its
    first MB: padding), else None. Counted in ever longer stretches from the start: a sheet is known
    to have enough once its first stretch has, without counting the rest. Prefixed cells (the
    OpenXML SDK and tools built on it write every element so) are counted only in a stretch whose
    plain cells are too few: a tag, as ``<`` is never bare in XML text."""
    stop = 1 << 16
    while True:
        stop = min(stop, len(xml))
        n = xml.count(b"<c ", 0, stop) + xml.count(b"<c>", 0, stop)
        if len(xml) <= (1 << 20) + MAX_XML_PER_CELL * n:
            return None
        n += sum(1 for _m in _PREFIXED_CELL_TAG.finditer(xml, 0, stop))
        if len(xml) <= (1 << 20) + MAX_XML_PER_CELL * n:
            return None
        if stop == len(xml):
            return n
        stop *= 8


#: A cell element with a namespace prefix, as a tag (``<x:c r="A1">``): what :func:`_too_few_cells` counts
#: besides ``<c``.
_PREFIXED_CELL_TAG = re.compile(rb"<[A-Za-z_][\w.\-]*:c[\s/>]")


def _longest_item(xml: bytes) -> int | None:
    """The longest span from one ``<si`` (a shared string) to the next, or to the end; None for a part
    written with namespace prefixes. The ``<s`` (and ``:s``) are found two bytes at a time, a stretch
    at a time (as :func:`_tags` finds a sheet's tags)."""
    n = len(xml)
    if n < 4:
        return None if b":si" in xml or b":sst" in xml else n
    a = np.frombuffer(xml, np.uint8)
    hit, other = np.empty(min(n, _CHUNK) // 2 + 1, bool), np.empty(min(n, _CHUNK) // 2 + 1, bool)
    longest = last = 0  # (last: the previous '<si', or the start)
    colon = False
    for start in range(0, n, _CHUNK):
        stop = min(start + _CHUNK, n)
        found = []
        for k in (0, 1):
            count = min((stop - start - k + 1) // 2, (n - start - k) // 2)
            if count > 0:
                pairs = np.frombuffer(xml, "<u2", count=count, offset=start + k)
                h = np.equal(pairs, 0x733C, out=hit[:count])  # '<s'
                h |= np.equal(pairs, 0x733A, out=other[:count])  # ':s'
                found.append(np.flatnonzero(h) * 2 + (start + k))
        at = np.sort(np.concatenate(found), kind="stable") if found else np.zeros(0, np.intp)
        first = a[at]
        colon = colon or bool((first == 58).any())
        at = at[(first == 60) & (at <= n - 4)]
        si = at[(a[at + 2] == 105) & _DELIM[a[at + 3]]]  # '<si' and a delimiter
        if len(si):
            longest = max(longest, int(np.diff(si, prepend=last).max()))
            last = int(si[-1])
    if colon and (b":si" in xml or b":sst" in xml):  # (searched for only where ':s' occurs)
        return None
    return max(longest, n - last)


_DIMENSION = re.compile(rb'<(?:[A-Za-z_][\w.\-]*:)?dimension\s+ref\s*=\s*["\']([A-Za-z]{1,3}[0-9]{1,7}(?::[A-Za-z]{1,3}[0-9]{1,7})?)["\']')


def _declared_range(xml: bytes) -> str | None:
    """The range a sheet declares (``<dimension ref="A1:E2"/>``, before its cells), or None."""
    stop = xml.find(b"sheetData")
    m = _DIMENSION.search(xml, 0, stop if stop >= 0 else min(len(xml), 4096))
    return m.group(1).decode("ascii").upper() if m else None


def _range_end(ref: str) -> tuple[int, int]:
    """(rows, columns) up to the end cell of a range: ``A1:E2`` → (2, 5)."""
    end = ref.split(":")[-1]
    letters = end.rstrip("0123456789")
    return int(end[len(letters):]), _column_number(letters.encode("ascii"))


#: Up to this unpacked, the checked parts go to calamine in memory; above, in a temporary file. (calamine
#: copies a zip it is handed in memory into a buffer of its own, grown by doubling, and python-calamine
#: asks for it a piece at a time: fresh pages each import, ~4,000 page faults for a 4.7 MB sheet, more
#: than writing the file and reading it back costs; from a file it reads each part as it goes. Measured
#: on the generated Master Lists: the two equal at ~2.5 MB, the file 10-13 ms faster at 4.7 MB, ~1 ms
#: slower below 1 MB.)
STORED_MAX = 3 * 1024 * 1024
#: Up to this unpacked, a workbook is read in memory when no temporary file can be made.
_IN_MEMORY_MAX = 64 * 1024 * 1024


_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _declares_dtd(xml: bytes) -> bool:
    """``_DTD.search(xml)``: the pattern tried only where ``<!`` stands (found two bytes at a time; a
    sheet whose text or formulas hold '!' is not searched through by the regular expression, unless
    it has many ``<!``)."""
    found = []
    for k in (0, 1):
        count = (len(xml) - k) // 2
        if count > 0:
            found.append(np.flatnonzero(np.frombuffer(xml, "<u2", count=count, offset=k) == 0x213C) * 2 + k)  # '<!'
    at = np.concatenate(found) if found else np.zeros(0, np.intp)
    if len(at) > 64:  # (comments everywhere: one search in C)
        return _DTD.search(xml) is not None
    return any(_DTD.match(xml, p) for p in sorted(at.tolist()))


def _as_utf8(raw: bytes) -> bytes:
    """An XML part as UTF-8 bytes (the byte scans need it; calamine reads UTF-8 parts only)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or raw[1:2] == b"\x00" or raw[:1] == b"\x00":
        try:
            return raw.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return raw
    return raw


def _column_name(n: int) -> str:
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out or "A"


def _column_number(letters: bytes) -> int:
    """A column's number from its upper-case letters, A = 1 (the inverse of :func:`_column_name`)."""
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _table(*codes: int) -> np.ndarray:
    t = np.zeros(256, dtype=bool)
    t[list(codes)] = True
    return t


_DELIM = _table(32, 9, 10, 13, 62, 47)  # whitespace, '>' or '/' after a tag name


#: Bytes of sheet XML scanned at a time: the scan's arrays stay small (in the cache, and reused).
_CHUNK = 1 << 20
#: The second bytes of the pairs :func:`_tags` finds: '<c', '<r', '<f', ':s', '"e'.
_CELL, _ROW, _FORMULA, _COLON_S, _QUOTE_E = 99, 114, 102, 115, 101


def _tags(xml: bytes, start: int, stop: int, scratch: tuple[np.ndarray, np.ndarray, np.ndarray]
          ) -> tuple[np.ndarray, np.ndarray]:
    """The positions in ``start`` … ``stop - 1`` of ``xml`` where ``<c``, ``<r``, ``<f``, ``:s`` or
    ``"e`` starts, in order, and the second byte of each (``<b`` and ``<g`` come too). Found two
    bytes at a time (16-bit words at both alignments, into the arrays ``scratch``), without
    listing every ``<``."""
    words, hit, other = scratch
    found = []
    for k in (0, 1):
        count = min((stop - start - k + 1) // 2, (len(xml) - start - k) // 2)
        if count <= 0:
            continue
        pairs = np.frombuffer(xml, "<u2", count=count, offset=start + k)
        w, h, o = words[:count], hit[:count], other[:count]
        np.equal(np.bitwise_or(pairs, 0x0500, out=w), 0x673C, out=h)  # '<c', '<f' ('<b', '<g')
        for pair in (0x723C, 0x733A, 0x6522):  # '<r', ':s', '"e'
            h |= np.equal(pairs, pair, out=o)
        found.append(np.flatnonzero(h) * 2 + (start + k))
    at = np.sort(np.concatenate(found), kind="stable") if found else np.zeros(0, np.intp)  # sorted runs: merged
    return at, np.frombuffer(xml, np.uint8)[at + 1]


_WINDOW = 16  # bytes read from 2 after each '<c' and '<r': the rest of the tag, a reference and its quote
#: × a word of 0/1 bytes, >> 56: byte i's bit as bit i.
_PACK = np.uint64(0x0102040810204080)
#: ``_TRAILING[m]``: the number of trailing zero bits of a 12-bit mask (12 for 0).
_TRAILING = np.array([12] + [(i & -i).bit_length() - 1 for i in range(1, 1 << 12)], dtype=np.int8)
_LOW = np.array([(1 << k) - 1 for k in range(13)], dtype=np.int16)  # the low k bits
_LOW_BYTES = np.array([(1 << (8 * k)) - 1 for k in range(8)] + [(1 << 64) - 1], dtype=np.uint64)
_M1, _M2, _M4 = np.uint64(0x00FF00FF00FF00FF), np.uint64(0x0000FFFF0000FFFF), np.uint64(0xFFFFFFFF)


def _windows(xml: bytes, at: np.ndarray) -> np.ndarray:
    """The :data:`_WINDOW` bytes from each position ``at`` (in order) of ``xml``, a row each; zeros past
    its end."""
    a = np.frombuffer(xml, np.uint8)
    inside = int(np.searchsorted(at, len(a) - _WINDOW, "right"))  # windows within the bytes
    out = _records(a)[at[:inside]].view(np.uint8).reshape(inside, _WINDOW)
    if inside == len(at):
        return out
    base = max(len(a) - 2 * _WINDOW, 0)  # the last bytes, and zeros after them
    tail = np.concatenate([a[base:], np.zeros(2 * _WINDOW, np.uint8)])
    return np.concatenate([out, _records(tail)[at[inside:] - base].view(np.uint8).reshape(-1, _WINDOW)])


def _records(a: np.ndarray) -> np.ndarray:
    """Every :data:`_WINDOW` bytes of ``a`` from each of its positions, as one record (unaligned
    records over the same bytes: nothing copied)."""
    return np.ndarray((max(len(a) - _WINDOW + 1, 0),), dtype=f"V{_WINDOW}", buffer=a, strides=(1,))


def _bits(flags: np.ndarray, start: int) -> np.ndarray:
    """Each row of 16 booleans as a mask of its columns ``start`` … 15 (bit i: column ``start + i``;
    ``start`` at least 4: 12 bits)."""
    w = (flags.view(np.uint64) * _PACK) >> np.uint64(56)
    return ((w[:, 0] >> np.uint64(start)) | (w[:, 1] << np.uint64(8 - start))).astype(np.int16)


def _decimals(win: np.ndarray, end: np.ndarray, n: np.ndarray) -> np.ndarray:
    """The numbers written by the ``n`` (1-7) ASCII digits of each window (two 64-bit words) before
    its column ``end``."""
    w = win.view(np.uint64)
    right = (np.clip(end - 8, 0, 8) * 8).astype(np.uint64)  # the 8 bytes before `end`, as one word
    left = (np.clip(8 - end, 0, 8) * 8).astype(np.uint64)  # (bytes before the window: zeros)
    word = ((w[:, 0] >> right) << left) | (w[:, 1] << (np.uint64(64) - right))  # (numpy shifts by 64 give 0)
    word = word.byteswap() & _LOW_BYTES[n]  # the digits, last one lowest
    word = word - (np.uint64(0x3030303030303030) & _LOW_BYTES[n])  # each byte its digit (none borrows)
    word = ((word >> np.uint64(8)) & _M1) * np.uint64(10) + (word & _M1)  # pairs of digits
    word = ((word >> np.uint64(16)) & _M2) * np.uint64(100) + (word & _M2)  # fours
    return (word >> np.uint64(32)) * np.uint64(10_000) + (word & _M4)


def sheet_extent(xml: bytes) -> tuple[int, int]:
    """``(rows, columns)`` a worksheet's XML spans, as a reader lays it out: the largest
    row and column its references name.

    The normal path is a byte scan in numpy (no XML parsing): every ``<row`` and ``<c``
    element written as Excel, LibreOffice and openpyxl write them, ``r="…"`` first, has
    its reference read where it stands (a reader uses an element's first ``r``). Any
    other form (no reference, attributes in another order, a namespace prefix) sends
    the sheet to :func:`_sheet_extent_walk`, which walks the elements.

    Examples:
        >>> sheet_extent(b'<sheetData><row r="3"><c r="B3"><v>1</v></c><c r="AA2"/></row></sheetData>')
        (3, 27)
        >>> sheet_extent(b'<sheetData><row><c><v>1</v></c><c><v>2</v></c></row><row/></sheetData>')
        (2, 2)
    """
    return _sheet_scan(xml)[:2]


_C_HEAD = int.from_bytes(b' r="', "little")  # what follows '<c' in a cell's usual form
_ROW_HEAD = int.from_bytes(b'ow r="', "little")  # what follows '<r' in a row's usual form


def _sheet_scan(xml: bytes, facts: dict | None = None) -> tuple[int, int, int | None]:
    """:func:`sheet_extent`, and the longest span of bytes one cell element can hold (from its
    ``<c`` to the next): an upper bound of any of its text cells' length (None when not known).
    ``facts`` (when given) gets ``"formula"`` and ``"error"``: whether ``<f`` and ``t="e"`` occur in
    the XML.

    Each ``<c`` and ``<r`` is read through a window of the bytes after it: a cell element (``<c``
    then whitespace, ``>`` or ``/``) must be ``<c r="``, a row element ``<row r="``, and each
    reference ``[A-Z]{1,3}[0-9]{1,7}`` (a row's ``[0-9]{1,7}``) up to its closing quote; any
    other form sends the sheet to :func:`_sheet_extent_walk`.

    A sheet written with a prefix on every element (``<x:worksheet xmlns:x="…"><x:sheetData><x:row
    r="1"><x:c r="A1">``: the OpenXML SDK and the tools built on it) is scanned without that prefix
    (:func:`_unprefixed`): the same elements, in the usual form, at the scan's speed instead of the
    walk's."""
    xml = _unprefixed(xml)
    n = len(xml)
    size = min(n, _CHUNK) // 2 + 1
    scratch = (np.empty(size, np.uint16), np.empty(size, bool), np.empty(size, bool))
    formula = colon = quote = False
    rows = cols = longest = last = 0  # (last: the previous cell element's '<c', or the start)
    standard = True
    for start in range(0, n, _CHUNK):
        at, second = _tags(xml, start, min(start + _CHUNK, n), scratch)
        formula = formula or bool((second == _FORMULA).any())
        colon = colon or bool((second == _COLON_S).any())
        quote = quote or bool((second == _QUOTE_E).any())
        if standard:
            got = _references(xml, at[second == _CELL], at[second == _ROW])
            if got is None:
                standard = False
                continue
            c_at, r, c = got
            rows, cols = max(rows, r), max(cols, c)
            if len(c_at):
                longest = max(longest, int(np.diff(c_at, prepend=last).max()))
                last = int(c_at[-1])
    if facts is not None:
        facts["formula"] = formula
        facts["error"] = quote and xml.rfind(b't="e"') >= 0  # (rfind: 't' skips more than '"')
    if not standard or (colon and xml.rfind(b":sheetData") >= 0) or \
            _prefixed_cell(xml):  # another form, a namespace prefix
        return (*_sheet_extent_walk(xml), None)
    return rows, cols, max(longest, n - last)


#: The root of a sheet whose elements carry a namespace prefix (``<x:worksheet``), after any XML declaration
#: and comments: group 1 is the prefix.
_PREFIXED_ROOT = re.compile(rb"(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<([A-Za-z_][\w.\-]*):worksheet[\s/>]",
                            re.DOTALL)


def _unprefixed(xml: bytes) -> bytes:
    """A sheet's XML with the prefix of its root element (``<x:worksheet``) taken off every tag that
    carries it (``<x:c`` → ``<c``, ``</x:c`` → ``</c``); any other XML as it is. ``<`` is never bare in XML
    text or attributes, so only tags change. Elements of other prefixes keep theirs (and a cell or
    row among them still sends the sheet to the walk); taking a prefix off can only show the scan
    more cells, never fewer.

    Examples:
        >>> _unprefixed(b'<?xml version="1.0"?><x:worksheet xmlns:x="m"><x:row r="2"><x:c r="B2"/></x:row>')
        b'<?xml version="1.0"?><worksheet xmlns:x="m"><row r="2"><c r="B2"/></row>'
        >>> _unprefixed(b'<worksheet><x:c r="Z9"/></worksheet>')
        b'<worksheet><x:c r="Z9"/></worksheet>'
    """
    m = _PREFIXED_ROOT.match(xml, 0, 4096)
    if m is None:
        return xml
    p = m.group(1)
    return xml.replace(b"<" + p + b":", b"<").replace(b"</" + p + b":", b"</")


#: A cell or row element with a namespace prefix (``<x:c r="…">``): the scan reads ``<c`` and ``<row`` only, a
#: reader reads these too, so the walk counts them (':c ' in a text sends a sheet there too: the same extent).
_PREFIXED_CELL = re.compile(rb":(?:c|row)[\s/>]")


def _prefixed_cell(xml: bytes) -> bool:
    """Whether :data:`_PREFIXED_CELL` occurs in ``xml`` (its search): the first colons looked at where
    ``find`` puts them (a sheet without prefixes has few: a range, a row's span), the rest searched."""
    at = xml.find(b":")
    for _ in range(64):
        if at < 0:
            return False
        if _PREFIXED_CELL.match(xml, at):
            return True
        at = xml.find(b":", at + 1)
    return at >= 0 and _PREFIXED_CELL.search(xml, at) is not None


def _references(xml: bytes, c_at: np.ndarray, r_at: np.ndarray) -> tuple[np.ndarray, int, int] | None:
    """For the ``<c`` and ``<r`` at ``c_at`` and ``r_at`` (in order): the positions of the cell
    elements among them, and the largest row and column their references name; None when one
    is not in the usual form (see :func:`_sheet_scan`)."""
    cell = _windows(xml, c_at + 2)  # ' r="', the reference, its quote
    keep = _DELIM[cell[:, 0]]  # cell elements ('<col', '<cfRule' are not)
    if not keep.all():
        c_at, cell = c_at[keep], cell[keep]
    row = _windows(xml, r_at + 2)  # 'ow r="', the reference, its quote
    keep = (row[:, 0] == 111) & (row[:, 1] == 119) & _DELIM[row[:, 2]]  # rows ('<r>' of rich text is not)
    if not keep.all():
        row = row[keep]
    low, high = cell.view(np.uint64)[:, 0], cell.view(np.uint64)[:, 1]  # window bytes 0-7, 8-15
    if not ((low & _M4 == _C_HEAD).all() and
            (row.view(np.uint64)[:, 0] & np.uint64(0xFFFFFFFFFFFF) == _ROW_HEAD).all()):
        return None
    letters = _TRAILING[~_bits((cell - 65) < 26, 4) & 0xFFF]  # (uint8: below 'A' wraps round)
    end = _TRAILING[_bits(cell == 34, 4)]  # the closing quote
    digits = end - letters
    before = _LOW[end]  # the bytes before the quote
    ok = ((letters - 1).view(np.uint8) < 3) & ((digits - 1).view(np.uint8) < 7) & \
        ((_bits((cell - 48) < 10, 4) | _LOW[letters]) & before == before)  # digits after the letters
    row_end = _TRAILING[_bits(row == 34, 6)]
    before = _LOW[row_end]
    row_ok = ((row_end - 1).view(np.uint8) < 7) & (_bits((row - 48) < 10, 6) & before == before)
    if not (ok.all() and row_ok.all()):
        return None
    rows = int(_decimals(row, 6 + row_end, row_end).max()) if len(row) else 0
    if not len(c_at):
        return c_at, rows, 0
    # each cell's digits as one word, the first digit lowest (they start 5-7 bytes into the window)
    shift = (letters.astype(np.uint64) + np.uint64(4)) * np.uint64(8)
    number = ((low >> shift) | (high << (np.uint64(64) - shift))) & _LOW_BYTES[digits]
    zero = ((number & np.uint64(0xFF)) == 0x30) & (digits > 1)  # a leading zero ('A01')
    # more digits, then the digits in order: the larger number (where none has a leading zero)
    key = np.where(zero, np.uint64(0), (digits.astype(np.uint64) << np.uint64(56)) | (number.byteswap() >> np.uint64(8)))
    top = int(key.max())  # (its digits: the 7 bytes below its count, the first highest)
    rows = max(rows, int((top & (1 << 56) - 1).to_bytes(7, "big")[:top >> 56] or b"0"))
    if zero.any():
        rows = max(rows, int(_decimals(cell[zero], 4 + end[zero], digits[zero]).max()))
    # the letters: more of them, then in order, the larger column
    most = int(letters.max())
    key = (low.byteswap() & _M4) >> np.uint64(8 * (4 - most))  # window bytes 4 …, the first highest
    return c_at, rows, _column_number(int(np.where(letters == most, key, np.uint64(0)).max()).to_bytes(most, "big"))


_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?(row|c)(?=[\s/>])([^>]*)>")
_REF_ATTR = re.compile(rb"""(?:^|\s)r\s*=\s*(["'])([^"']*)\1""")


def _sheet_extent_walk(xml: bytes) -> tuple[int, int]:
    """:func:`sheet_extent` for sheets written without plain references: every row and
    cell element, in order, with a reader's counters for those without one."""
    row = max_row = col = max_col = 0
    for m in _ELEMENT.finditer(xml):
        r = _REF_ATTR.search(m.group(2))
        ref = r.group(2).strip() if r else None
        if ref is not None and not re.fullmatch(rb"[A-Za-z]{0,3}[0-9]{1,7}" if m.group(1) == b"c" else rb"[0-9]{1,7}",
                                                ref):
            raise ReadError(_("the workbook has a malformed cell reference ('{ref}')").format(
                ref=ref[:20].decode("ascii", "replace")))
        if m.group(1) == b"row":
            row = int(ref) if ref else row + 1
            col = 0
        else:
            letters = ref.rstrip(b"0123456789").upper() if ref else b""
            col = _column_number(letters) if letters else col + 1
            if ref:
                max_row = max(max_row, int(ref[len(letters):]))
            max_col = max(max_col, col)
        max_row = max(max_row, row)
    return max_row, max_col


def read_xlsx(data: bytes) -> list[RawTable]:
    """Every worksheet of an XLSX as a RawTable (cached values, not formulas), after
    :func:`check_zip` and :func:`check_workbook_parts`.

    calamine reads the parts as checked, from a zip without compression (in memory, or in a
    temporary file above :data:`STORED_MAX` unpacked): never bytes the checks did not see
    (a zip's declared sizes could otherwise differ from what a reader inflates), and it
    does not inflate them a second time. Cells are what openpyxl gives (the importers were
    written against it): None for an empty cell, int for a whole number, float, str, bool,
    datetime.datetime for a date, the error's text (``#VALUE!``) for an error cell.
    """
    zf = check_zip(data)
    with contextlib.ExitStack() as stack:
        dimensions: dict[str, tuple[str, str]] = {}
        facts: dict = {}
        size = sum(i.file_size for i in zf.infolist())
        fh = None
        if size > STORED_MAX:
            try:
                checked = os.path.join(stack.enter_context(tempfile.TemporaryDirectory(prefix="dsdash-")),
                                       "checked.xlsx")
                fh = open(checked, "wb")  # noqa: SIM115 - closed below
            except OSError:
                if size > _IN_MEMORY_MAX:
                    raise
        if fh is None:
            out = _StoredZip()
            parts = check_workbook_parts(zf, out, dimensions, facts)
            checked = _Chunks(out.finish())
        else:
            with fh:
                out = _StoredZip(fh)
                parts = check_workbook_parts(zf, out, dimensions, facts)
                out.finish()
        try:
            tables = _read_calamine(parts, checked)
            _note_dimensions(tables, parts, dimensions)
            _fill_merged(tables, parts, facts.get("merges"))
            for t in tables:
                t.longest_text = facts.get("longest_text")
            return tables
        except ReadError:
            raise
        except Exception as exc:  # noqa: BLE001 - calamine cannot read this one: openpyxl may
            why = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
    out_tables = _read_openpyxl(data)
    _note_dimensions(out_tables, parts, dimensions)
    _fill_merged(out_tables, parts, facts.get("merges"))
    for t in out_tables:
        t.notes.append(_("read with openpyxl: the fast reader (calamine) could not read it ({why})").format(why=why))
    return out_tables


def _note_dimensions(tables: list[RawTable], parts: dict[str, bytes], dimensions: dict[str, tuple[str, str]]) -> None:
    """A note on each sheet whose declared size is not the size of its cells."""
    if not dimensions:
        return
    part_of = _sheet_parts(parts)
    for t in tables:
        hit = dimensions.get(part_of.get(t.sheet or "", ""))
        if hit:
            t.notes.append(_("sheet '{sheet}' declares its size as {declared}, but its cells span {actual}: read as "
                             "its cells are").format(sheet=t.sheet, declared=hit[0], actual=hit[1]))


#: Most merged ranges a sheet may have filled; a sheet with more has none filled (a note says so).
MAX_MERGED_RANGES = 10_000

_MERGE_CELL = re.compile(rb"""<mergeCell\s[^>]*?\bref\s*=\s*["']\s*([A-Za-z]{1,3})([0-9]{1,7})"""
                         rb"""(?::([A-Za-z]{1,3})([0-9]{1,7}))?\s*["']""")


def _merge_ranges(xml: bytes) -> tuple[int, list[tuple[int, int, int, int]] | None] | None:
    """A sheet's merged ranges (its ``<mergeCell ref="B2:B9"/>``, after ``</sheetData>``): their number
    and each as 0-based ``(first row, first column, last row, last column)``, in the order written;
    the list is None when there are more than :data:`MAX_MERGED_RANGES` (counted, not parsed). None
    for a sheet without any. A byte search from the end of the cells: a sheet's rows are not read.

    Examples:
        >>> _merge_ranges(b'<sheetData/></sheetData><mergeCells count="2"><mergeCell ref="B2:B9"/>'
        ...               b'<mergeCell ref="a1:c1"/></mergeCells>')
        (2, [(1, 1, 8, 1), (0, 0, 0, 2)])
    """
    at = xml.rfind(b"</sheetData>")
    if at < 0:
        return None
    n = xml.count(b"<mergeCell", at) - xml.count(b"<mergeCells", at)
    if n <= 0:
        return None
    if n > MAX_MERGED_RANGES:
        return n, None
    out = []
    for m in _MERGE_CELL.finditer(xml, at):
        r0, c0 = int(m.group(2)), _column_number(m.group(1).upper())
        r1, c1 = (int(m.group(4)), _column_number(m.group(3).upper())) if m.group(3) else (r0, c0)
        if min(r0, r1, c0, c1) > 0:
            out.append((min(r0, r1) - 1, min(c0, c1) - 1, max(r0, r1) - 1, max(c0, c1) - 1))
    return n, out


def _range_name(r0: int, c0: int, r1: int, c1: int) -> str:
    """``B2:B9`` for 0-based (1, 1, 8, 1)."""
    return f"{_column_name(c0 + 1)}{r0 + 1}:{_column_name(c1 + 1)}{r1 + 1}"


def _fill_merged(tables: list[RawTable], parts: dict[str, bytes], merges: dict | None) -> None:
    """Merged cells read as the user sees them: each range taller than one row has its top-left
    value written down its first column, in the cells below it that are empty (Excel keeps the
    value in the top-left cell only, so a Governorate merged down a governorate's rows would leave
    all but its first row without one). A range one row tall (a title across the top, a header over
    two columns) is left as it is: copying it across would give a header twice, or a governorate
    to the District column; so is the rest of a range's width, and a range holding a number (a count
    merged over several rows is one count: copied down, it would be counted once per row). Ranges are
    cut to the cells read.
    A note on each sheet says which ranges were filled; a sheet with more than
    :data:`MAX_MERGED_RANGES` ranges, or with ranges that overlap (more cells to fill than the sheet
    has), has none filled, and a note says so."""
    if not merges:
        return
    part_of = _sheet_parts(parts)
    for t in tables:
        got = merges.get(part_of.get(t.sheet or "", ""))
        if got is None:
            continue
        n, ranges = got
        if ranges is None:
            t.notes.append(_("merged cells in sheet '{sheet}': {n:,} ranges, more than {limit:,}: none filled (a "
                             "merged range holds its value in its first cell only)").format(
                sheet=t.sheet, n=n, limit=MAX_MERGED_RANGES))
            continue
        frame = t.frame
        rows, cols = frame.shape
        todo = sorted((r0, c0, r1, c1) for r0, c0, r1, c1 in ranges if r1 > r0 and r0 < rows - 1 and c0 < cols)
        if sum(min(r1, rows - 1) - r0 for r0, _c0, r1, _c1 in todo) > rows * cols:
            t.notes.append(_("merged cells in sheet '{sheet}': {n:,} ranges that overlap: none filled (a merged "
                             "range holds its value in its first cell only)").format(sheet=t.sheet, n=n))
            continue
        columns: dict[int, np.ndarray] = {}
        filled = []
        in_use = None  # the rows holding two cells or more (a range running past the table fills no blank row,
        # nor a note under it)
        for r0, c0, r1, c1 in todo:
            col = columns.get(c0)
            if col is None:
                col = columns[c0] = frame.iloc[:, c0].to_numpy(dtype=object, copy=True)
            top = col[r0]
            # text only, and not a number written as text: a count merged over rows is counted once
            if not isinstance(top, str) or not top.strip() or _is_number(top):
                continue
            if in_use is None:
                in_use = frame.notna().sum(axis=1).to_numpy() >= 2
            below = col[r0 + 1:min(r1, rows - 1) + 1]  # (a view: filled in place)
            empty = pd.isna(below) & in_use[r0 + 1:r0 + 1 + len(below)]
            if empty.any():
                below[empty] = top
                filled.append(_range_name(r0, c0, r1, c1))
        for c0, col in columns.items():  # (as object cells: None stays None)
            frame.isetitem(c0, pd.Series(col, index=frame.index, dtype=object, copy=False))
        if filled:
            shown = ", ".join(filled[:5]) + (", …" if len(filled) > 5 else "")
            t.notes.append(ngettext("merged cells in sheet '{sheet}': {n:,} range filled down with its top-left "
                                    "value ({ranges})",
                                    "merged cells in sheet '{sheet}': {n:,} ranges filled down with their top-left "
                                    "value ({ranges})", len(filled)).format(sheet=t.sheet, n=len(filled),
                                                                            ranges=shown))


def _is_number(text: str) -> bool:
    """Whether a cell's text is a number as the importers read one ('5', '1,234', '٥'): not filled down a
    merged range (:func:`dsdash.parse.parse_number`)."""
    from dsdash.parse import ParseError, parse_number

    try:
        return parse_number(text)[0] is not None
    except ParseError:
        return False


def _read_calamine(parts: dict[str, bytes], checked) -> list[RawTable]:
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    if isinstance(checked, _Chunks):
        checked.seek(0)
    wb = CalamineWorkbook.from_object(checked)
    # (only parts holding cells are searched: calamine reads no cell of a part without sheetData, and
    # '<f' of styles.xml's <fonts> would run the search on every workbook)
    sheets = [b for b in parts.values() if b"sheetData" in b]
    errors = _error_cells(parts, wb.sheet_names) if any(b't="e"' in b for b in sheets) else {}
    formulas = _error_cells(parts, wb.sheet_names, formulas=True) if any(b"<f" in b for b in sheets) else {}
    out = []
    try:
        for meta in wb.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue
            rows = wb.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            for (r, c), v in errors.get(meta.name, {}).items():
                if r < len(rows) and c < len(rows[r]):
                    rows[r][c] = v
            t = RawTable(frame=_cells_frame(rows), sheet=meta.name, encoding="xlsx")
            for (r, c), f in formulas.get(meta.name, {}).items():
                if r < len(t.frame) and c < t.frame.shape[1]:
                    t.frame.iat[r, c] = FORMULA_WITHOUT_VALUE  # not a number: a count here rejects its row
                    t.cell_problems.append((r, c, _("formula without a saved value (={formula}): open and save the "
                                                    "file in Excel").format(formula=f[:60]), "error"))
            state = str(getattr(meta, "visible", "")).lower()
            if "hidden" in state:
                t.notes.append((_("sheet '{sheet}' is very hidden in the workbook; it was read as data like the others")
                                if "very" in state else
                                _("sheet '{sheet}' is hidden in the workbook; it was read as data like the others"))
                               .format(sheet=meta.name))
            out.append(t)
    finally:
        wb.close()
    return out


def _cells_frame(rows: list[list]) -> pd.DataFrame:
    """calamine's cells as openpyxl gives them, in a frame of object columns: '' → None,
    whole floats → int (Excel stores every number as a double; openpyxl reads ``39`` as
    int), date → datetime; trailing empty rows dropped. Column by column, vectorised:
    only columns of mixed types below the first rows are walked cell by cell."""
    while rows and all(v == "" or (isinstance(v, str) and not v.strip()) for v in rows[-1]):
        rows.pop()
    if not rows:
        return pd.DataFrame(columns=[], dtype=object)
    width = max(map(len, rows))
    cols = lib.to_object_array(rows, min_width=width).T.copy()  # a row per column: each column contiguous
    head = min(len(rows), _HEAD_ROWS)
    top = cols[:, :head].copy()
    top[top == ""] = None
    _fix_cells(top.reshape(-1), "mixed")  # (a view: fixed in place)
    cols[:, :head] = top
    if len(rows) > head:
        floats = []
        for j, col in enumerate(cols[:, head:]):  # (views: fixed in place)
            kind = lib.infer_dtype(col, skipna=True)
            if kind not in _NO_TEXT:  # '' → None, then the column's kind without them
                empty = col == ""
                if empty.any():
                    col[empty] = None
                    kind = lib.infer_dtype(col, skipna=True)
            if kind == "floating":
                floats.append(j)
            else:
                _fix_cells(col, kind)
        if floats:  # the number columns, all at once
            block = cols[floats, head:]
            v = block.astype(float)  # None → NaN
            whole = (v == np.trunc(v)) & (np.abs(v) < 1e15)
            block[whole] = v[whole].astype(np.int64)  # stored as Python ints
            cols[floats, head:] = block
    # (not copied: the frame's columns are the rows of `cols`)
    return pd.DataFrame(cols.T, columns=list(range(width)), dtype=object, copy=False)


#: The kinds ``infer_dtype`` gives a column that holds no text (so no '' to make None).
_NO_TEXT = frozenset({"floating", "integer", "mixed-integer-float", "boolean", "datetime", "datetime64", "date",
                      "time", "timedelta", "timedelta64", "empty", "decimal", "complex"})


_HEAD_ROWS = 40  # rows read cell by cell (titles and headers mix text with numbers)


def _fix_cells(col: np.ndarray, kind: str) -> None:
    """In place: whole floats → int, date → datetime (see :func:`_cells_frame`)."""
    if kind in ("string", "empty", "boolean", "datetime", "time", "timedelta", "integer"):
        return
    if kind == "floating":
        idx = np.flatnonzero(pd.notna(col))
    else:
        types = np.fromiter(map(type, col), dtype=object, count=len(col))
        idx = np.flatnonzero(types == float)
        for i in np.flatnonzero(types == dt.date):
            d = col[i]
            col[i] = dt.datetime(d.year, d.month, d.day)
    if kind == "date":
        return
    if len(idx):
        v = col[idx].astype(float)
        whole = (v == np.trunc(v)) & (np.abs(v) < 1e15)
        col[idx[whole]] = v[whole].astype(np.int64).tolist()


def _error_cells(parts: dict[str, bytes], names: list[str], formulas: bool = False
                 ) -> dict[str, dict[tuple[int, int], str]]:
    """Error cells (``#VALUE!``, ``#N/A`` …) by sheet name and (row, column): calamine
    reads them as empty, openpyxl as their text, and a "not a number" message must say
    which error it was. Found by byte search (the parts were checked)."""
    sheet_part = _sheet_parts(parts)
    out: dict[str, dict[tuple[int, int], str]] = {}
    if formulas:  # formula cells without a saved value: {(row, col): the formula}
        for name in names:
            xml = parts.get(sheet_part.get(name, ""), b"")
            for m in _FORMULA_CELL.finditer(xml):
                if _SAVED_VALUE.search(m.group(0)) or b"<is>" in m.group(0):  # <v></v> is no value
                    continue
                ref = re.search(rb'\sr="([A-Z]{1,3})([0-9]{1,7})"', m.group(1))
                if ref:
                    f = html.unescape(m.group(2).decode("utf-8", "replace"))
                    out.setdefault(name, {})[(int(ref.group(2)) - 1, _column_number(ref.group(1)) - 1)] = f
        return out
    for name in names:
        xml = parts.get(sheet_part.get(name, ""), b"")
        pos = xml.find(b't="e"')
        while pos >= 0:
            start = xml.rfind(b"<c", 0, pos)
            stop = xml.find(b"</c>", pos)
            cell = xml[start:stop] if start >= 0 and stop >= 0 else b""
            ref = re.search(rb'\sr="([A-Z]{1,3})([0-9]{1,7})"', cell[:cell.find(b">") + 1])
            val = re.search(rb"<v>([^<]*)</v>", cell)
            if ref and val:
                text = html.unescape(val.group(1).decode("utf-8", "replace"))
                out.setdefault(name, {})[(int(ref.group(2)) - 1, _column_number(ref.group(1)) - 1)] = text
            pos = xml.find(b't="e"', pos + 5)
    return out


def _sheet_parts(parts: dict[str, bytes]) -> dict[str, str]:
    """Each worksheet's name → the path of its part, from the workbook's relationships (the
    small parts :func:`check_workbook_parts` keeps)."""
    from defusedxml import ElementTree as ET

    def rels(path: str) -> dict[str, str]:
        d, b = posixpath.split(path)
        raw = parts.get(posixpath.join(d, "_rels", b + ".rels"))
        if raw is None:
            return {}
        out = {}
        for el in ET.fromstring(raw):
            target = el.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(d, target))
            out[el.get("Id", "")] = path
            if el.get("Type", "").endswith("/officeDocument"):
                out["officeDocument"] = path
        return out

    book = rels("").get("officeDocument", "xl/workbook.xml")
    if book not in parts:
        return {}
    by_id = rels(book)
    sheet_part = {}
    for el in ET.fromstring(parts[book]).iter():
        if el.tag.endswith("}sheet") or el.tag == "sheet":
            rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), None)
            if rid in by_id:
                sheet_part[el.get("name")] = by_id[rid]
    return sheet_part


_SAVED_VALUE = re.compile(rb"<v(?:\s[^>]*)?>[^<]+</v>")
_FORMULA_CELL = re.compile(rb"<c(\s[^>]*?)(?<!/)>(?:(?!</c>).)*?<f(?:\s[^>]*)?>([^<]*)</f>(?:(?!</c>).)*?</c>", re.S)


def _read_openpyxl(data: bytes) -> list[RawTable]:
    """The slow reader, for the workbooks calamine cannot read."""
    import openpyxl  # loaded when needed: it takes ~130 ms to import
    import openpyxl.xml

    if not openpyxl.xml.DEFUSEDXML:
        raise ReadError(_("workbooks are read only with defusedxml installed (pip install defusedxml)"))
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise ReadError(_workbook_error("open", exc)) from None
    out = []
    try:
        for ws in wb.worksheets:
            ws.reset_dimensions()  # its cells, not the size the sheet declares (A1:XFD1048576 for two cells)
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
            return _("the workbook's XML declares entities or a DTD ({name}): refused, as a possible entity-expansion "
                     "attack; save the file again from Excel").format(name=type(e).__name__)
        e = e.__cause__ or e.__context__
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return (_("cannot open the workbook ({error}: {detail})") if verb == "open" else
            _("cannot read the workbook ({error}: {detail})")).format(error=type(exc).__name__, detail=first)


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

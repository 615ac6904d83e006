"""Validation at the boundary: a raw table in, a typed table and a report out.

Every table that enters dsdash (the embedded CSV files, an upload, a command-line
file) is checked by :func:`check_table`, one implementation of the rules: required,
vocabulary, numbers with :func:`~dsdash.parse.parse_number`, dates with
:func:`~dsdash.parse.parse_date`, min/max, duplicate keys. Clean cells (plain digits,
ISO dates) take a vectorised fast path; the per-cell parsers see only the others
(``1,590``, ``١٬٥٩٠``, ``1.200``, ``Apr-2024`` …). A row is rejected only when a field
that defines its count breaks a rule (its identity, its counts); a cell that fails in
any other column is a warning and is left empty, and a failure that hits most of a
column is one column-level warning (the column is ignored). Each problem is a
:class:`~dsdash.schema.Problem` naming file, sheet, row and column; nothing is dropped
silently: ``rows_in == rows_accepted + rows_rejected`` always.
:func:`validate_table` is the simple entry point for a table already under a header.
"""

from __future__ import annotations

import re
import weakref

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dsdash.i18n import _, list_sep
from dsdash.parse import ParseError, ambiguous_day_month, ascii_digits, day_month_order, parse_date, parse_number
from dsdash.schema import FIRST_ROWS, LoadReport, Problem, TableSpec

#: pandas dtypes of each column kind in a validated table.
DTYPES = {"str": "string", "int": "Int64", "float": "Float64", "date": "datetime64[s]"}


def empty_table(spec: TableSpec) -> pd.DataFrame:
    """An empty table with the spec's columns and dtypes."""
    return pd.DataFrame({c.name: pd.Series(dtype=DTYPES[c.kind]) for c in spec.columns})


def _na_array(kind: str, n: int):
    """An array of the dtype of ``kind`` with every value missing (built whole, not from a list of Nones)."""
    if kind == "str":
        return pd.arrays.ArrowStringArray(pa.chunked_array([pa.nulls(n, pa.large_string())]))
    if kind == "int":
        return pd.arrays.IntegerArray(np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool))
    if kind == "float":
        return pd.arrays.FloatingArray(np.zeros(n, dtype=np.float64), np.ones(n, dtype=bool))
    return np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")


def _all_na(kind: str, index: pd.Index) -> pd.Series:
    """A column of the dtype of ``kind`` with every value missing (built whole, not from a list of Nones)."""
    return pd.Series(_na_array(kind, len(index)), index=index, copy=False)


_DTYPE_OF = {kind: pd.api.types.pandas_dtype(d) for kind, d in DTYPES.items()}


def coerce(df: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Cast already-clean columns to the spec's dtypes (no checks). Extra columns are kept."""
    columns = df.columns
    if df.attrs or isinstance(columns, pd.MultiIndex) or not columns.is_unique:
        return _coerce_frame(df, spec)
    # one new frame made from the columns' arrays (copied: the caller's frame is never changed through
    # it), without pandas' column-by-column assignment and reordering
    values = _column_arrays(df)
    where = {name: i for i, name in enumerate(columns)}
    arrays: list = []
    order: list[int] = []
    for c in spec.columns:
        i = where.get(c.name)
        if i is None:  # added at the end, as the frame's own column insert does
            where[c.name] = i = len(values)
            values.append(_na_array(c.kind, len(df)))
            columns = columns.insert(i, c.name)
            arrays.append(values[i])
        elif values[i].dtype == _DTYPE_OF[c.kind]:
            arrays.append(values[i].copy())
        elif c.kind == "date":
            arrays.append(pd.to_datetime(pd.Series(values[i], copy=False)).astype("datetime64[s]").array)
        else:
            arrays.append(pd.Series(values[i], copy=False).astype(DTYPES[c.kind]).array)
        order.append(i)
    front = set(order)
    for i in range(len(values)):
        if i not in front:
            arrays.append(values[i].copy())
            order.append(i)
    return _frame(arrays, columns.take(order), df.index)


def _column_arrays(df: pd.DataFrame) -> list:
    """Each column's values (a pandas extension array, or a 1-D numpy array), shared with the frame."""
    mgr = getattr(df, "_mgr", None)
    if hasattr(mgr, "iget_values"):
        return [mgr.iget_values(i) for i in range(df.shape[1])]
    return [_unwrap(df.iloc[:, i].array) for i in range(df.shape[1])]  # pragma: no cover (another pandas)


def _unwrap(values):
    return values.to_numpy() if isinstance(values, pd.arrays.NumpyExtensionArray) else values


def _frame(arrays: list, columns: pd.Index, index: pd.Index) -> pd.DataFrame:
    """A frame of ready-made column arrays (pandas extension arrays or 1-D numpy arrays, each already of
    its dtype, of the index's length), sharing them: pandas' own constructor re-checks and re-infers each
    column (an object column would become text), at several times the cost."""
    try:
        return pd.DataFrame._from_arrays(arrays, columns=columns, index=index, verify_integrity=False)
    except (AttributeError, TypeError):  # pragma: no cover (another pandas)
        return pd.concat([pd.Series(a, index=index, dtype=a.dtype, copy=False, name=n)
                          for a, n in zip(arrays, columns)], axis=1) if arrays else pd.DataFrame(index=index)


def _coerce_frame(df: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """:func:`coerce` column by column on a copy of the frame (a frame with attrs or repeated column names)."""
    out = df.copy(deep=False)  # copy-on-write: the caller's frame is never changed through it
    for c in spec.columns:
        if c.name not in out.columns:
            out[c.name] = _all_na(c.kind, out.index)
        elif out[c.name].dtype == _DTYPE_OF[c.kind]:
            continue  # already so: no copy
        elif c.kind == "date":
            out[c.name] = pd.to_datetime(out[c.name]).astype("datetime64[s]")
        else:
            out[c.name] = out[c.name].astype(DTYPES[c.kind])
    front = spec.column_names
    return out[front + [c for c in out.columns if c not in front]]


def validate_table(
    df: pd.DataFrame,
    spec: TableSpec,
    *,
    file: str,
    sheet: str | None = None,
    first_row: int = 2,
    kind: str | None = None,
    report: LoadReport | None = None,
    reject: set[str] | None = None,
) -> tuple[pd.DataFrame, LoadReport]:
    """Check and type a raw table against its spec (via :func:`check_table`).

    Args:
        df: the raw rows, one column per spec column (names already mapped); values may
            be strings, numbers or blanks. Extra columns are kept as they are.
        spec: the table's spec from :data:`dsdash.schema.TABLES`.
        file: the file name to put in messages.
        sheet: the sheet name, for workbooks.
        first_row: the file row number of ``df``'s first row (2 = just under a header).
        kind: the kind to record in the report (default: the table name).
        report: an existing report to add to (its counts are incremented).
        reject: the columns whose failure rejects the row (default: :func:`count_columns`).

    Returns:
        The accepted rows, typed, and the report.
    """
    rep = report or LoadReport(file=file, kind=kind or spec.name, sheet=sheet)
    rows = df.reset_index(drop=True)
    rownums = np.arange(first_row, first_row + len(rows))
    typed, keep = check_table(rows, spec, rownums, file=file, sheet=sheet, report=rep, reject=reject)
    if any(c.required and c.name not in rows.columns for c in spec.columns):
        return empty_table(spec), rep
    for c in rows.columns:
        if c not in typed.columns:
            typed[c] = rows[c][keep].tolist()
    return coerce(typed, spec), rep


#: Text dtype used while importing (Arrow-backed: its string kernels are C, unlike the Python
#: storage of "string"); tables are cast to the schema's dtypes at the end (validate.coerce).
TEXT = "string[pyarrow]"
#: Blank cells, as :func:`dsdash.parse.is_blank` has them.
BLANKS = ("", "-", "—", "–")
_BLANK_BYTES = max(len(b.encode("utf-8")) for b in BLANKS)
# ASCII digits only: a regex \d would also match Arabic-Indic digits, which need parse_number.
_INT_FAST = r"-?[0-9]+(?:\.0{1,2})?"  # 14, and 14.0 / 14.00 as workbooks and pandas write counts
_FLOAT_FAST = r"-?[0-9]+(?:\.[0-9]+)?"
_GROUPED = r"-?[0-9]{1,3}(?:,[0-9]{3})+"  # 1,234 (a quoted CSV count): the commas go, then the fast path
#: ISO dates, with the midnight time a workbook or pandas adds.
_ISO_FAST = r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[ T]00:00(?::00)?)?"
#: Numeric day/month/year dates, read in one vectorised pass once the column's order is decided.
_DMY = r"^([0-9]{1,2})[./-]([0-9]{1,2})[./-]([0-9]{4})(?: 00:00(?::00)?)?$"


def as_text(values: pd.Series) -> pd.Series:
    """Cells as stripped strings (NA for blanks), whatever they were read as.

    Three Arrow kernels on the column (trim, is-in, if-else): the importers call this on
    every column they read, so pandas' per-call overhead is kept out of it. The result is
    kept for as long as the column lives, and a column this gave is returned as it is: calling
    it again on the same column, or on its own result, costs no kernel.
    """
    return pd.Series(pd.arrays.ArrowStringArray(text_cells(values)), index=values.index, name=values.name,
                     copy=False)


def text_cells(values: pd.Series) -> pa.ChunkedArray:
    """:func:`as_text` as the Arrow array itself (large_string, nulls for blanks), without a pandas Series
    around it: for code that goes on with Arrow kernels."""
    source = _arrow_source(values)
    if source is not None:
        hit = _TEXT_OF.get(id(source))
        if hit is not None and hit[0]() is source:
            return source if hit[1] is None else hit[1]
        cells = source if source.type == pa.large_string() else _astext(values)
    else:
        cells = _astext(values)
    edges, blanks = _scan(cells)
    if edges:  # a cell may start or end with a space (or a letter that is not ASCII): trimmed
        cells = pc.utf8_trim_whitespace(cells)
        blanks = _scan(cells, edges=False)[1]
    if blanks is not None:
        cells = pc.if_else(pa.array(blanks), pa.scalar(None, cells.type), cells)
    if source is not None:  # Arrow arrays are immutable: the result can be kept
        _remember(source, cells)
    _remember(cells, None)  # the text of the result is the result itself
    return cells


def _scan(cells: pa.ChunkedArray, *, edges: bool = True) -> tuple[bool, np.ndarray | None]:
    """``(edges, blanks)`` of Arrow text, read from its buffers with numpy (no new string array):
    ``edges`` when a cell may start or end with white space (its first or last byte is a space, a
    control byte or not ASCII: trimming may change it); ``blanks`` the cells that are one of
    :data:`BLANKS` (None when there is none)."""
    found = False
    blanks = None
    at = 0
    for chunk in cells.chunks:
        n = len(chunk)
        if not n or chunk.null_count == n:
            at += n
            continue
        off, data = _buffers(chunk)
        size = len(data)
        lengths = np.diff(off)
        valid = chunk.is_valid().to_numpy(zero_copy_only=False) if chunk.null_count else None
        region = data[off[0]:off[-1]]
        lo, hi = (int(region.min()), int(region.max())) if len(region) else (0xFF, 0x00)
        # blank words: only cells as short as one can be one
        short = lengths <= _BLANK_BYTES
        if valid is not None:
            short &= valid
        if short.any():
            if all(byte < lo or byte > hi for byte in _BLANK_FIRST):  # no byte starts a blank word: the empty ones
                idx = np.flatnonzero(short & (lengths == 0)) if b"" in _BLANK_WORDS else np.zeros(0, dtype=np.intp)
                hit = np.ones(len(idx), dtype=bool)
            else:
                idx = np.flatnonzero(short)
                length = lengths[idx]
                start = off[idx]
                hit = np.zeros(len(idx), dtype=bool)
                for word in _BLANK_WORDS:
                    same = length == len(word)
                    if word and not size:  # no bytes at all: only the empty word
                        continue
                    for j, byte in enumerate(word):
                        same &= data[np.minimum(start + j, size - 1)] == byte
                    hit |= same
            if hit.any():
                if blanks is None:
                    blanks = np.zeros(len(cells), dtype=bool)
                blanks[at + idx[hit]] = True
        # every byte ASCII, neither space nor control (ids, codes, numbers): no cell to trim
        if edges and not found and size and (lo <= 0x20 or hi >= 0x7F):
            filled = lengths > 0
            if valid is not None:
                filled &= valid
            if filled.all():
                first, last = data[off[:-1]], data[off[1:] - 1]
            else:
                first, last = data[off[:-1][filled]], data[off[1:][filled] - 1]
            # bytes 0x21-0x7E at both ends: nothing to trim
            found = bool(((first - np.uint8(0x21)) >= np.uint8(0x5E)).any()
                         or ((last - np.uint8(0x21)) >= np.uint8(0x5E)).any())
        at += n
    return found, blanks


def _buffers(chunk: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The offsets (one more than the cells) and the bytes of a chunk of Arrow text, as numpy views."""
    bufs = chunk.buffers()
    wide = pa.types.is_large_string(chunk.type) or pa.types.is_large_binary(chunk.type)
    off = np.frombuffer(bufs[1], dtype=np.int64 if wide else np.int32, count=len(chunk) + 1,
                        offset=chunk.offset * (8 if wide else 4))
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.zeros(0, dtype=np.uint8)
    return off, data


#: :data:`BLANKS` as UTF-8 bytes, and the bytes they start with.
_BLANK_WORDS = tuple(b.encode("utf-8") for b in BLANKS)
_BLANK_FIRST = {w[0] for w in _BLANK_WORDS if w}


def _astext(values: pd.Series) -> pa.ChunkedArray:
    """``values.astype(TEXT)``'s Arrow array. A column of Python strings and blanks (a workbook's text)
    goes to Arrow in one C call, without pandas' cell-by-cell conversion; anything else (numbers, dates,
    bytes) is converted by pandas, ``str`` of each."""
    if values.dtype == object:
        cells = values.to_numpy() if isinstance(values, pd.Series) else np.asarray(values)
        inferred = pd.api.types.infer_dtype(cells, skipna=True)
        if inferred == "string":
            try:
                return pa.chunked_array([pa.array(cells, type=pa.large_string(), from_pandas=True)])
            except (pa.ArrowException, UnicodeError, TypeError, ValueError):
                pass  # pandas says why (it raises as it did)
        elif inferred == "integer":  # a workbook's ids and counts: str of each is its decimal digits
            got = _integer_text(cells)
            if got is not None:
                return got
    return _series(values).astype(TEXT).array.__arrow_array__()


def _integer_text(cells: np.ndarray) -> pa.ChunkedArray | None:
    """An object array of whole numbers (Python or numpy integers) and missing values (``infer_dtype``
    says "integer"), as Arrow text: Arrow's cast of int64 to text writes each number as ``str`` does
    (its decimal digits, a minus sign when negative), and the missing values (None, NaN, NA, NaT: what
    Arrow reads from pandas as null, each of them missing for pandas too) are null, as pandas makes
    them. None when a number is past int64 (pandas then converts the column)."""
    try:
        ints = pa.array(cells, type=pa.int64(), from_pandas=True)
    except (pa.ArrowException, OverflowError, TypeError, ValueError):
        return None
    return pa.chunked_array([pc.cast(ints, pa.large_string())])


def _series(values) -> pd.Series:
    """A column (a Series, or the array under one) as a Series of its own dtype."""
    return values if isinstance(values, pd.Series) else pd.Series(values, dtype=values.dtype, copy=False)


def _objects(values, at: np.ndarray | None = None) -> np.ndarray:
    """The cells of a column (a Series, or the array under one), those at positions ``at`` if given,
    as Python objects (as ``Series.to_numpy(dtype=object)`` gives them)."""
    if isinstance(values, pd.Series):
        return (values if at is None else values.iloc[at]).to_numpy(dtype=object)
    if isinstance(values, np.ndarray):
        return (values if at is None else values[at]).astype(object)
    return (values if at is None else values.take(at)).to_numpy(dtype=object)


def _arrow_source(values: pd.Series) -> pa.ChunkedArray | None:
    """The Arrow array under a column of Arrow-backed strings (None for other columns)."""
    dtype = values.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        return (values.array if isinstance(values, pd.Series) else values).__arrow_array__()
    return None


def _remember(source: pa.ChunkedArray, cells: pa.ChunkedArray | None) -> None:
    key = id(source)
    _TEXT_OF[key] = (weakref.ref(source, lambda _ref, key=key: _TEXT_OF.pop(key, None)), cells)


#: as_text of each Arrow column still alive, by the column's identity (the importers read a
#: column several times: totals, places, checks); an entry goes when its column does. An as_text
#: result is its own entry (None: the column is already text).
_TEXT_OF: dict[int, tuple[weakref.ref, pa.ChunkedArray | None]] = {}


_NUMERIC_KINDS = ("integer", "floating", "mixed-integer-float")


def _workbook_numbers(values: pd.Series, *, integer: bool) -> tuple[np.ndarray, np.ndarray] | None:
    """:func:`numbers` of a column of numbers as a workbook gives them (int, float, blanks),
    read as they are, without a round trip through text, as ``(values, missing)``; None when the
    column holds anything else, or a cell :func:`dsdash.parse.parse_number` must look at (not
    whole in a count, not finite): the text path then reads the column and says why."""
    if values.dtype != object:
        return None
    cells = _objects(values)
    if pd.api.types.infer_dtype(cells, skipna=True) not in _NUMERIC_KINDS:
        return None
    try:
        v = cells.astype(float)  # (numpy's cast: a new array, as np.array(cells, dtype=float) made, faster)
    except (OverflowError, ValueError, TypeError):
        return None
    ok = np.isfinite(v)
    if integer:
        ok &= v == np.trunc(v)
    nan = np.isnan(v)
    if (~ok & ~nan).any():
        return None
    return v, nan


def _fullmatch(cells: pa.ChunkedArray | pa.Array, pattern: str) -> np.ndarray:
    """Cells of Arrow text that ``pattern`` matches whole (null: False): one Arrow regex kernel."""
    hit = pc.match_substring_regex(cells, f"^(?:{pattern})$")
    return pc.fill_null(hit, False).to_numpy(zero_copy_only=False)


def _digits_only(cells: pa.ChunkedArray) -> bool:
    """Whether every cell of Arrow text that is not null is one or more ASCII digits: the bytes of the
    cells, read with numpy, are all ``0``-``9`` (one min and one max), and no cell is empty."""
    for chunk in cells.chunks:
        n = len(chunk)
        if not n or chunk.null_count == n:
            continue
        off, data = _buffers(chunk)
        region = data[off[0]:off[-1]]
        if not len(region) or region.min() < 0x30 or region.max() > 0x39:
            return False
        lengths = np.diff(off)
        if chunk.null_count:
            lengths = lengths[chunk.is_valid().to_numpy(zero_copy_only=False)]
        if not lengths.all():
            return False
    return True


def _digit_cells(cells: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray] | None:
    """:func:`numbers` of Arrow text as a CSV gives it (before :func:`text_cells`) when every byte of
    its cells is an ASCII digit (the usual count column; an empty cell is a blank): the empty cells
    made null in the array's validity (its buffers shared, no text pass), then one cast. ``(values,
    missing)``, new arrays; None for any other column (the general path reads it)."""
    if not len(cells) or not (pa.types.is_large_string(cells.type) or pa.types.is_string(cells.type)):
        return None
    chunk = cells.chunk(0) if cells.num_chunks == 1 else cells.combine_chunks()
    off, data = _buffers(chunk)
    if off[-1] > off[0]:
        region = data[off[0]:off[-1]]
        if region.min() < 0x30 or region.max() > 0x39:
            return None
    filled = np.diff(off) > 0  # a cell of digits (an empty one is blank)
    if chunk.null_count:
        filled &= chunk.is_valid().to_numpy(zero_copy_only=False)
    digits = pa.Array.from_buffers(chunk.type, len(chunk),
                                   [pa.py_buffer(np.packbits(filled, bitorder="little")), pa.py_buffer(off),
                                    chunk.buffers()[2]])
    v = pc.cast(digits, pa.float64()).to_numpy(zero_copy_only=False)
    return (v if v.flags.writeable else v.copy()), ~filled


def _plain_decimals(cells: pa.ChunkedArray) -> np.ndarray | None:
    """The cells as float64 (NaN for nulls) when every one is written as ``_FLOAT_FAST`` has it
    (``-12.5``), else None. One cast reads and checks them: the cast refuses ``1.2.3`` or ``1-2``, and
    numpy on the text's buffers refuses what the cast would take and the pattern would not (``1e5``,
    ``+1``, ``inf``, ``.5``, ``5.``): only digits, dots and minus signs, a digit first (after a
    minus) and last. (A column read in many pieces is joined first: one pass, not one per piece.)"""
    if cells.num_chunks > 1:
        cells = pa.chunked_array([cells.combine_chunks()], cells.type)
    for chunk in cells.chunks:
        n = len(chunk)
        if not n or chunk.null_count == n:
            continue
        off, data = _buffers(chunk)
        if off[-1] > off[0]:  # bytes 0x2D-0x39 ('-', '.', '/', digits) but '/'
            shifted = data[off[0]:off[-1]] - np.uint8(0x2D)
            if shifted.max() > 0x0C or (shifted == 0x02).any():
                return None
        start, end = off[:-1], off[1:]
        if chunk.null_count:
            valid = chunk.is_valid().to_numpy(zero_copy_only=False)
            start, end = start[valid], end[valid]
        if (end <= start).any():
            return None
        lead = data[start]
        minus = lead == 0x2D
        if minus.any():
            lead = np.where(minus, data[np.minimum(start + 1, end - 1)], lead)
            if (minus & (end - start < 2)).any():
                return None
        if ((lead - np.uint8(0x30)) > 9).any() or ((data[end - 1] - np.uint8(0x30)) > 9).any():
            return None
    try:
        v = pc.cast(cells, pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return v if v.flags.writeable else v.copy()


def numbers(values: pd.Series, *, integer: bool) -> tuple[pd.Series, list[tuple[int, str, str]]]:
    """Parse a column of counts or measures.

    Returns ``(numbers as Float64 with NA for blanks and bad cells, issues)`` where each
    issue is ``(position, level, message)``; level "error" means the cell is unreadable.
    Clean cells (plain digits, ``14.0``, ``1,234``, or numbers from a workbook) take a
    vectorised path; the rest go through :func:`dsdash.parse.parse_number`, which reads
    Arabic-Indic digits, separators and ``1.4e1``, warns about ``1.200`` in a count column,
    and makes ``14.5`` in a count an error on its cell.

    Examples:
        >>> v, issues = numbers(pd.Series(["12", "1,590", "١٬٥٩٠", "", "x", "14.00", "1.4e1", "14.5"]), integer=True)
        >>> v.tolist()[:3], v.tolist()[5:7], [m for _i, _l, m in issues]
        ([12.0, 1590.0, 1590.0], [14.0, 14.0], ["'x' is not a number", "'14.5' is not a whole number"])
    """
    v, missing, issues = number_arrays(values, integer=integer)
    return pd.Series(pd.arrays.FloatingArray(v, missing), index=values.index, copy=False), issues


def number_arrays(values: pd.Series, *, integer: bool, file_says=None
                  ) -> tuple[np.ndarray, np.ndarray, list[tuple[int, str, str]]]:
    """:func:`numbers` as numpy arrays, without a pandas Series around them: ``(values, missing,
    issues)``, ``values`` float64 (NaN where ``missing``), ``missing`` bool (blanks and cells not read).
    ``file_says``: see :func:`dot_is_decimal` (asked only when a count is written ``41.000``)."""
    v, missing, issues = _numbers(values, integer=integer, file_says=file_says)
    if integer:  # a count past 2^53 is not held exactly (and past int64 overflows): refused, not rounded
        with np.errstate(invalid="ignore"):
            big = np.flatnonzero(~missing & (np.abs(v) >= MAX_COUNT))
        if len(big):
            raw = _objects(values, big)
            for i, cell in zip(big, raw):
                shown = str(cell).strip()
                issues.append((int(i), "error", _("'{value}' is too large for a count (the limit is {limit:,})").format(
                    value=f"{shown[:30]}{'…' if len(shown) > 30 else ''}", limit=MAX_COUNT)))
            v[big] = np.nan
            missing[big] = True
    return v, missing, issues


#: Largest count read: 2^53, the largest whole number a float holds exactly.
MAX_COUNT = 2**53


def _numbers(values: pd.Series, *, integer: bool, file_says=None
             ) -> tuple[np.ndarray, np.ndarray, list[tuple[int, str, str]]]:
    """``(values, missing, issues)`` of :func:`number_arrays`, before the count limit; the arrays are new
    (the caller may write to them)."""
    shortcut = _workbook_numbers(values, integer=integer)
    if shortcut is None:
        source = _arrow_source(values)
        if source is not None:
            shortcut = _digit_cells(source)
    if shortcut is not None:
        return shortcut[0], shortcut[1], []
    cells = text_cells(values)
    blank = cells.is_null().to_numpy(zero_copy_only=False)
    if not integer:  # measures (coordinates): every cell a plain decimal, read by one cast
        v = _plain_decimals(cells)
        if v is not None:
            return v, blank, []
    if _digits_only(cells):  # every cell plain ASCII digits (the usual count): read by one cast
        v = pc.cast(cells, pa.float64()).to_numpy(zero_copy_only=False)
        return (v if v.flags.writeable else v.copy()), blank, []
    # plain ASCII digits by a byte-class kernel; the regex looks only at the others
    fast = pc.fill_null(pc.ascii_is_decimal(cells), False).to_numpy(zero_copy_only=False)
    rest = np.flatnonzero(~fast & ~blank)
    pattern = _INT_FAST if integer else _FLOAT_FAST
    if len(rest) > len(fast) // 4:  # most cells (decimals, say): the regex on the whole column, no gather first
        fast = _fullmatch(cells, pattern)
    elif len(rest):
        fast = fast.copy()
        fast[rest] = _fullmatch(cells.take(pa.array(rest)), pattern)
    grouped = None
    if (~fast & ~blank).any():
        grouped = _fullmatch(cells, _GROUPED + (r"(?:\.0{1,2})?" if integer else r"(?:\.[0-9]+)?"))
        if grouped.any():
            cells = pc.if_else(pa.array(grouped), pc.replace_substring(cells, ",", ""), cells)
            fast = fast | grouped
    # clean cells: one C cast of the text column (other cells stand in as "0", then masked; blanks are null)
    if (~fast & ~blank).any():
        cells = pc.if_else(pa.array(fast), cells, pa.scalar("0", cells.type))
    v = pc.cast(cells, pa.float64()).to_numpy(zero_copy_only=False)
    if not v.flags.writeable:
        v = v.copy()
    missing = ~fast
    v[missing] = np.nan
    issues: list[tuple[int, str, str]] = []
    slow = np.flatnonzero(missing & ~blank)
    if len(slow):
        raw = _objects(values, slow)
        got = np.full(len(slow), np.nan)
        # a count written '41.000': decided for the whole column, on what its other cells show
        dot_decimal = integer and dot_is_decimal(
            raw, dotted_fast=len(cells) > 0 and pc.any(pc.match_substring(cells, ".")).as_py() is True,
            grouped=grouped is not None and bool(grouped.any()), filled=int((~blank).sum()), file_says=file_says)
        for k, (i, cell) in enumerate(zip(slow, raw)):
            try:
                x, warn = parse_number(cell, integer=integer, dot_decimal=bool(dot_decimal))
                if dot_decimal == "guess" and x is not None and _THREE_ZEROS.fullmatch(str(cell).strip()):
                    warn = _("'{value}' read as {number}: every count of the column is written with three decimals "
                             "(if its dot separates thousands, it is {thousands})").format(
                        value=str(cell).strip(), number=x, thousands=f"{x * 1000:,}")
                if x is not None and not np.isfinite(x):
                    raise ParseError(_("'{value}' is not a finite number").format(value=cell))
            except ParseError as exc:
                issues.append((int(i), "error", str(exc)))
                continue
            except (OverflowError, ValueError, TypeError):
                issues.append((int(i), "error", _("'{value}' is not a number").format(value=cell)))
                continue
            if warn:
                issues.append((int(i), "warning", warn))
            if x is not None:
                got[k] = x
        v[slow] = got
        missing[slow] = np.isnan(got)
    return v, missing, issues


_THREE_ZEROS = re.compile(r"[+-]?[0-9]{1,3}\.000")  # 41.000: 41,000 (a thousands dot) or 41 ('%.3f')?
_DOT_THOUSANDS = re.compile(r"[+-]?[0-9]{1,3}(?:\.[0-9]{3})+")
_DOT_DECIMAL = re.compile(r"[+-]?[0-9]+\.[0-9]+(?:[eE][+-]?[0-9]+)?")


def dot_is_decimal(slow: np.ndarray, *, dotted_fast: bool, grouped: bool, filled: int,
                   file_says=None) -> bool | str:
    """Whether a count column writes decimals with a dot, so that its ``41.000`` is 41 and not 41,000
    (pandas and many tools write counts with three decimals: ``'%.3f'``). Only such cells (one dot,
    three zeros) are in question: ``1.234`` is 1234 either way, a count. ``slow``: the cells the
    vectorised path left (Python objects); ``dotted_fast``: whether a cell it read has a dot
    (``14.0``); ``grouped``: whether a cell groups thousands with commas (``1,234``: the dot is then
    a decimal point); ``filled``: the column's cells that are not blank; ``file_says``: None, or a
    function telling how the file's other columns write decimals (coordinates): True for a dot
    (``36.594436``), False for a comma (``36,594436``), None when they do not say.

    Evidence, strongest first: the column's own thousands dots (``1.234``: False); its decimal dots
    (``14.0``, ``1234.000``, ``3.25``) or thousands commas (True); the file's coordinates; and last,
    every cell of the column written ``d.000`` alike (a column of whole thousands is no count
    column): ``"guess"``, read as decimals, each cell warned. Otherwise False: ``41.000`` stays
    41,000, with its warning (:func:`dsdash.parse.parse_number`).

    Examples:
        >>> cells = np.array(["41.000", "1234.000"], dtype=object)
        >>> dot_is_decimal(cells, dotted_fast=False, grouped=False, filled=5)
        True
        >>> dot_is_decimal(np.array(["41.000", "1.234"], dtype=object), dotted_fast=True, grouped=False, filled=5)
        False
        >>> dot_is_decimal(np.array(["41.000"], dtype=object), dotted_fast=False, grouped=False, filled=5)
        False
        >>> dot_is_decimal(np.array(["41.000"], dtype=object), dotted_fast=False, grouped=False, filled=5,
        ...                file_says=lambda: True)
        True
        >>> dot_is_decimal(np.array(["2.000", "5.000"], dtype=object), dotted_fast=False, grouped=False, filled=2,
        ...                file_says=lambda: False)
        False
        >>> dot_is_decimal(np.array(["14.000", "7.000"], dtype=object), dotted_fast=False, grouped=False, filled=2)
        'guess'
    """
    texts = [ascii_digits(str(c).strip()) for c in slow]
    ambiguous = [t for t in texts if _THREE_ZEROS.fullmatch(t)]
    if not ambiguous:
        return False
    if any(_DOT_THOUSANDS.fullmatch(t) and not _THREE_ZEROS.fullmatch(t) for t in texts):
        return False  # '1.234' beside it: this column groups thousands with a dot
    if dotted_fast or grouped:
        return True
    if any(_DOT_DECIMAL.fullmatch(t) and not _DOT_THOUSANDS.fullmatch(t) for t in texts):
        return True
    said = file_says() if file_says is not None else None
    if said is not None:
        return bool(said)
    return "guess" if len(ambiguous) == filled else False


def decimal_mark(values) -> str | None:
    """How a column of measures (coordinates) writes its decimals: ``"."`` (``36.594436``, ``36.5``),
    ``","`` (``36,594436``, ``36,5``), or None when it does not say (whole numbers, three digits after
    the mark — a thousands group? — both marks, or a workbook's numbers). Text cells only."""
    source = _arrow_source(values) if isinstance(values, pd.Series) else None
    cells = source if source is not None else text_cells(values)
    if not (pa.types.is_string(cells.type) or pa.types.is_large_string(cells.type)):
        return None
    dot = pc.any(pc.match_substring_regex(cells, r"^\s*[+-]?[0-9]+\.(?:[0-9]{1,2}|[0-9]{4,})\s*$")).as_py() is True
    comma = pc.any(pc.match_substring_regex(cells, r"^\s*[+-]?[0-9]+,(?:[0-9]{1,2}|[0-9]{4,})\s*$")).as_py() is True
    return "." if dot and not comma else "," if comma and not dot else None


def dates(values: pd.Series, *, role: str, notes: list[str] | None = None
          ) -> tuple[pd.Series, list[tuple[int, str, str]]]:
    """Parse a column of dates. Returns ``(datetime64[s] with NaT for blanks, "ongoing" and bad
    cells, issues)`` as :func:`numbers` does.

    ISO dates take a vectorised path. The other cells are read once per distinct value: numeric
    day/month/year dates in one vectorised pass, everything else by
    :func:`dsdash.parse.parse_date` (``Apr 30, 2019``, ``30-Apr-19``, ``نيسان 2024``, Excel
    serials …). Where ``04/05/2024`` could be either way round, the order is decided for the
    whole column (:func:`dsdash.parse.day_month_order`: a value above 12 decides, else day first
    as Iraq writes dates) and a sentence saying which is appended to ``notes``; when the column
    mixes both orders, each cell that could be either gets a warning too.

    Examples:
        >>> notes = []
        >>> d, issues = dates(pd.Series(["04/30/2019", "04/05/2019", "Apr 30, 2019", "x"]), role="point", notes=notes)
        >>> d.dt.strftime("%Y-%m-%d").tolist()[:3], issues, notes
        (['2019-04-30', '2019-04-05', '2019-04-30'], [(3, 'error', "'x' is not a date (expected e.g. 2024-04-30, \
30/04/2024, Apr-2024 or 'ongoing')")], ["dates read month first, as '04/30/2019' shows (1 date that could be either; \
'04/05/2019' = 5 April 2019)"])
    """
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        s = values.dt.tz_localize(None) if getattr(values.dt, "tz", None) is not None else values
        return s.astype("datetime64[s]"), []
    cells = text_cells(values)
    blank = cells.is_null().to_numpy(zero_copy_only=False)
    fast = _fullmatch(cells, _ISO_FAST)
    if fast.any():  # ISO dates: their first 10 characters, read by pandas' C parser
        head = pc.if_else(pa.array(fast), pc.utf8_slice_codeunits(cells, 0, 10), pa.scalar(None, cells.type))
        out = pd.to_datetime(pd.Series(pd.arrays.ArrowStringArray(head), copy=False), format="%Y-%m-%d",
                             errors="coerce").to_numpy(dtype="datetime64[s]", copy=True)
        fast &= ~np.isnat(out)
    else:
        out = np.full(len(cells), np.datetime64("NaT"), dtype="datetime64[s]")
    issues: list[tuple[int, str, str]] = []
    slow = np.flatnonzero(~fast & ~blank)
    if not len(slow):
        return pd.Series(out, index=values.index), issues
    # each distinct cell once (in the order of first appearance)
    enc = pc.dictionary_encode(cells.take(pa.array(slow)).combine_chunks())
    codes = enc.indices.to_numpy(zero_copy_only=False).astype(np.intp)
    uniq = [str(u) for u in enc.dictionary.to_pylist()]
    order = day_month_order(uniq, np.bincount(codes, minlength=len(uniq)))
    if order.note and notes is not None:
        notes.append(order.note)
    got = np.full(len(uniq), np.datetime64("NaT"), dtype="datetime64[s]")
    errors: dict[int, str] = {}
    # numeric day/month/year: one vectorised pass in the column's order
    parts = pd.Series(uniq, dtype=TEXT).str.extract(_DMY)
    dmy = parts[0].notna().to_numpy()
    if dmy.any():
        p = parts[dmy].astype(int)
        first, second = p[0].to_numpy(), p[1].to_numpy()
        day_is_first = (first > 12) | ((second <= 12) & order.dayfirst)
        day, month = np.where(day_is_first, first, second), np.where(day_is_first, second, first)
        stamp = pd.to_datetime(pd.DataFrame({"year": p[2].to_numpy(), "month": month, "day": day}), errors="coerce")
        got[dmy] = stamp.to_numpy(dtype="datetime64[s]")
    for k in np.flatnonzero(np.isnat(got)):
        try:
            d = parse_date(uniq[k], role=role, dayfirst=order.dayfirst)
        except ParseError as exc:
            errors[k] = str(exc)
            continue
        except (OverflowError, ValueError, TypeError):
            errors[k] = _("'{value}' is not a date").format(value=uniq[k])
            continue
        if d is not None:
            got[k] = np.datetime64(d, "s")
    out[slow] = got[codes]
    mixed = {k for k, u in enumerate(uniq) if order.day_first and order.month_first and ambiguous_day_month(u)}
    said = set(errors) | mixed  # only the rows whose value has something to say are looked at
    at = np.flatnonzero(np.isin(codes, list(said))) if said else ()
    for pos, k in zip(slow[at], codes[at]) if len(at) else ():
        if k in errors:
            issues.append((int(pos), "error", errors[k]))
        elif k in mixed:
            issues.append((int(pos), "warning", _("'{value}' could be day or month first (the column has both): "
                                                  "read day first").format(value=uniq[k])))
    return pd.Series(out, index=values.index), issues


#: A failure that hits at least this share of a column's non-blank cells, and at least
#: :data:`COLUMN_MIN` cells, is one column-level problem and the column is ignored.
COLUMN_SHARE = 0.5
COLUMN_MIN = 5


def count_columns(spec: TableSpec) -> set[str]:
    """The columns that define a row's count by default: required columns, key columns and counts (int).

    A cell that fails in one of them rejects its row; a cell that fails elsewhere is a
    warning and is left empty (:func:`check_table`).
    """
    return {c.name for c in spec.columns if c.required or c.kind == "int" or c.name in spec.key}


def check_table(
    raw: pd.DataFrame,
    spec: TableSpec,
    rownums: np.ndarray,
    *,
    file: str,
    sheet: str | None,
    report: LoadReport,
    pre_bad: np.ndarray | None = None,
    labels: dict[str, str] | None = None,
    key: tuple[str, ...] | None = None,
    reject: set[str] | None = None,
    if_unread: dict[str, str] | None = None,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Check and type ``raw`` (columns named as in ``spec``) against the spec.

    The rejection policy: a row is rejected only when a field that defines its count
    fails (``reject``: the location's identity and its counts). A cell that fails in any
    other column is a warning on that cell, and the row is kept with the cell empty. When
    such failures hit most of a column (:data:`COLUMN_SHARE` of its non-blank cells, and at
    least :data:`COLUMN_MIN`), they are one column-level problem ("column 'date': 3,167
    values not read, e.g. 'Apr 30, 2019'; column ignored") and the whole column is ignored.

    Each column is read whole, in Arrow and numpy arrays (:func:`text_cells`,
    :func:`number_arrays`, :func:`dates`); the typed table is made once, from those arrays.

    Args:
        raw: one row per data row; values as read.
        spec: the table's spec.
        rownums: the file row number of each row of ``raw`` (for messages).
        file, sheet: for messages.
        report: the file's report: problems are added and rows counted in it
            (``rows_in += len(raw)``; accepted/rejected accordingly).
        pre_bad: rows already rejected by the caller (their problems already reported).
        labels: our column name → the file's header, so messages name the user's column.
        key: columns that must be unique (default: the spec's key); later duplicates are
            rejected, naming the earlier row.
        reject: the columns whose failure rejects the row (default :func:`count_columns`).
        if_unread: per column, what an unread cell means for the row (default "left empty").

    Returns:
        ``(typed accepted rows, mask of accepted rows over raw)``.
    """
    # each column's own array (no Series around it), dates aside (read as a Series)
    dated = {c.name for c in spec.columns if c.kind == "date"}
    if raw.columns.is_unique:
        columns = {name: raw[name] if name in dated else values
                   for name, values in zip(raw.columns, _column_arrays(raw))}
    else:
        columns = {name: raw[name] for name in raw.columns}
    typed, keep = check_columns(columns, len(raw), spec, rownums, file=file, sheet=sheet, report=report,
                                pre_bad=pre_bad, labels=labels, key=key, reject=reject, if_unread=if_unread)
    return _frame(list(typed.values()), _columns(tuple(typed)), pd.RangeIndex(int(keep.sum()))), keep


def check_columns(
    columns: dict,
    n: int,
    spec: TableSpec,
    rownums: np.ndarray,
    *,
    file: str,
    sheet: str | None,
    report: LoadReport,
    pre_bad: np.ndarray | None = None,
    labels: dict[str, str] | None = None,
    key: tuple[str, ...] | None = None,
    reject: set[str] | None = None,
    if_unread: dict[str, str] | None = None,
) -> tuple[dict[str, object], np.ndarray]:
    """:func:`check_table` of columns given one by one, without the frames: ``columns`` maps a column's
    name to its cells (a Series, or the array under one; ``n`` rows each), and the typed accepted rows
    come back as arrays, column name → typed array (pandas extension array, or numpy for dates), in
    the spec's order. For code that goes on with the arrays (:mod:`dsdash.importers.dtm`)."""
    labels = labels or {}
    reject = count_columns(spec) if reject is None else set(reject)
    if_unread = if_unread or {}
    bad = np.zeros(n, dtype=bool) if pre_bad is None else pre_bad.copy()
    explained = bad.copy()  # rows the caller rejected with a reason: no "empty but required" echo
    probs = report.problems
    present = set(columns)
    said: list[bool | None] = []

    def file_dot() -> bool | None:
        """Whether the table's measures (coordinates) write decimals with a dot (True) or a comma (False),
        None when they do not say (asked once, when a count is written '41.000')."""
        if not said:
            marks = {decimal_mark(columns[m.name]) for m in spec.columns
                     if m.kind == "float" and columns.get(m.name) is not None} - {None}
            said.append(None if len(marks) != 1 else marks == {"."})
        return said[0]


    def add(i: int, col: str, reason: str, level: str = "error") -> None:
        probs.append(Problem(file, reason, int(rownums[i]), labels.get(col, col), sheet, level))
        if level == "error":
            bad[i] = True

    missing = [c.name for c in spec.columns if c.required and c.name not in present]
    for m in missing:
        probs.append(Problem(file, _("required column '{column}' is missing").format(column=m), sheet=sheet, column=m))
    if missing:
        bad[:] = True

    typed: dict[str, object] = {}  # column → its typed array (pandas extension array or numpy)
    for c in spec.columns:
        if c.name not in present:
            typed[c.name] = _na_array(c.kind, n)
            continue
        col = columns[c.name]
        if c.kind == "date" and not isinstance(col, pd.Series):
            col = pd.Series(col, dtype=col.dtype, copy=False)
        issues: list[tuple[int, str, str]] = []  # (position, level, message); "error" = the cell fails
        if c.kind == "str":
            cells = text_cells(col)
            blank = cells.is_null().to_numpy(zero_copy_only=False)
            if c.vocab is not None:
                # (rows the caller rejected already said why: their value is not checked twice)
                out_of = np.flatnonzero(~blank & ~_isin(cells, c.vocab) & ~explained)
                for i, value in zip(out_of, cells.take(pa.array(out_of, pa.int64())).to_pylist()):
                    issues.append((int(i), "error", _("'{value}' is not one of: {allowed}").format(
                        value=value, allowed=", ".join(c.vocab))))
            arr = pd.arrays.ArrowStringArray(cells)
        elif c.kind in ("int", "float"):
            vals, blank, issues = number_arrays(col, integer=c.kind == "int", file_says=file_dot)
            if c.min is not None:
                for i in np.flatnonzero(vals < c.min):
                    if c.min != 0:
                        why = _("{value:g} is below the minimum {min:g}")
                    elif c.kind == "int":
                        why = _("{value:g} is below the minimum {min:g} (a count cannot be negative)")
                    else:
                        why = _("{value:g} is below the minimum {min:g} (the value cannot be negative)")
                    issues.append((int(i), "error", why.format(value=vals[i], min=c.min)))
            if c.max is not None:
                for i in np.flatnonzero(vals > c.max):
                    issues.append((int(i), "error", _("{value:g} is above the maximum {max:g}").format(
                        value=vals[i], max=c.max)))
            arr = pd.arrays.FloatingArray(vals, blank.copy())
        else:
            role = "end" if c.name.endswith(("end", "end_date")) else "start" if "start" in c.name else "point"
            notes: list[str] = []
            s, issues = dates(col, role=role, notes=notes)
            report.notes.extend(_("column '{column}': {note}").format(column=labels.get(c.name, c.name), note=n)
                                for n in notes)
            arr = s.to_numpy(dtype="datetime64[s]", copy=True)  # (a column read as dates shares no memory)
            blank = np.isnat(arr)
        failed = sorted({i for i, level, _ in issues if level == "error"})
        if c.name in reject:
            for i, level, msg in issues:
                add(i, c.name, msg, level)
        else:
            arr = _unread(arr, c, failed, issues, col, rownums, labels.get(c.name, c.name), if_unread.get(c.name),
                          file, sheet, probs)
        if c.kind == "int":  # whole numbers (they are: checked) as Int64; no pandas round trip
            gone = arr.isna()
            arr = pd.arrays.IntegerArray(np.round(arr.to_numpy(dtype=float, na_value=0.0)).astype(np.int64), gone)
        typed[c.name] = arr
        if c.required:
            empty = blank & ~explained
            empty[failed] = False  # an unreadable cell has its own problem
            for i in np.flatnonzero(empty):
                add(i, c.name, _("value is empty but required"))

    key = spec.key if key is None else key
    if key and not missing:
        dup = _duplicated([typed[a] for a in key]) & ~bad
        ok_rows = ~bad
        if dup.any():
            first: dict = {}
            tuples = list(zip(*[pd.Series(typed[a], copy=False).tolist() for a in key]))
            for i in np.flatnonzero(ok_rows):
                k = tuples[i]
                if k in first and dup[i]:
                    desc = ", ".join(f"{labels.get(a, a)} {v}" for a, v in zip(key, k))
                    other = _differences(typed, [c for c in typed if c in reject and c not in key], i, first[k],
                                         labels)
                    if other:  # the same place with other counts: which is right is for the user to say
                        add(i, key[0], _("duplicate ({key}) with other values than row {row} ({values}): this row "
                                         "is not counted; check which is right").format(
                            key=desc, row=int(rownums[first[k]]), values=other))
                    else:
                        add(i, key[0], _("duplicate ({key}): row {row} has the same, this row is not counted twice")
                            .format(key=desc, row=int(rownums[first[k]])))
                else:
                    first.setdefault(k, i)
    keep = ~bad
    kept = int(keep.sum())
    report.rows_in += n
    report.rows_accepted += kept
    report.rows_rejected += int(n - kept)
    report.check()
    if kept < n:
        typed = {name: arr[keep] for name, arr in typed.items()}
    return typed, keep


def _differences(typed: dict, columns: list[str], i: int, j: int, labels: dict) -> str:
    """What rows ``i`` and ``j`` hold differently in ``columns`` (both read): "Households 999 here, 41 there"."""
    out = []
    for c in columns:
        a, b = typed[c][i], typed[c][j]
        if pd.isna(a) or pd.isna(b) or a == b:
            continue
        shown = [f"{v:,}" if isinstance(v, (int, np.integer)) else str(v) for v in (a, b)]
        out.append(_("{column} {here} here, {there} there").format(column=labels.get(c, c), here=shown[0],
                                                                    there=shown[1]))
    return list_sep().join(out)


def _columns(names: tuple[str, ...]) -> pd.Index:
    """The column index of ``names`` (one per spec: an index is immutable, frames share it)."""
    got = _COLUMNS.get(names)
    if got is None:
        got = _COLUMNS[names] = pd.Index(list(names))
    return got


_COLUMNS: dict[tuple[str, ...], pd.Index] = {}


def _isin(cells: pa.ChunkedArray, vocab) -> np.ndarray:
    """Cells of Arrow text that are one of ``vocab`` (null: False)."""
    hit = pc.is_in(cells, value_set=pa.array([str(v) for v in vocab], cells.type))
    return pc.fill_null(hit, False).to_numpy(zero_copy_only=False)


def _duplicated(columns: list) -> np.ndarray:
    """``DataFrame(columns).duplicated(keep="first")`` as an array; a key of one Arrow text column (a
    site id) by Arrow's hash kernel, and nothing more when every value is distinct (the usual file)."""
    if len(columns) == 1 and isinstance(columns[0], pd.arrays.ArrowStringArray) \
            and columns[0].dtype == _DTYPE_OF["str"]:
        cells = columns[0].__arrow_array__()
        if _all_distinct(cells):  # every value distinct (the usual file): nothing more
            return np.zeros(len(cells), dtype=bool)
        enc = pc.dictionary_encode(cells, null_encoding="encode").combine_chunks()
        codes = enc.indices.to_numpy()
        first = np.zeros(len(codes), dtype=bool)
        first[np.unique(codes, return_index=True)[1]] = True
        return ~first
    return pd.DataFrame(dict(enumerate(columns)), copy=False).duplicated(keep="first").to_numpy()


def _all_distinct(cells: pa.ChunkedArray) -> bool:
    """Whether every cell of Arrow text differs from the others (a null is one value). Ids written as
    whole numbers are first compared as numbers, by pandas' integer hash table (several times faster
    than hashing the text): texts that are one number are the same number, so numbers all distinct
    mean texts all distinct; otherwise ('01' and '1') the texts decide."""
    n = len(cells)
    if n >= _NUMERIC_IDS_FROM and not cells.null_count and pc.all(pc.ascii_is_decimal(cells)).as_py():
        try:
            ids = pc.cast(cells, pa.int64()).to_numpy()
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # past int64
            ids = None
        if ids is not None and pd.Index(ids, copy=False).is_unique:
            return True
    return len(pc.unique(cells)) == n


#: From this many cells, :func:`_all_distinct` tries to read the ids as whole numbers first.
_NUMERIC_IDS_FROM = 2000


def _unread(arr, c, failed: list[int], issues, col: pd.Series, rownums: np.ndarray, label: str,
            meaning: str | None, file: str, sheet: str | None, probs: list[Problem]):
    """A column the row's count does not depend on: its failed cells become warnings and are left
    empty, or, when they are most of the column, one column-level warning and the column is ignored.
    ``arr`` is the column's typed array; the array returned has the cells left empty (a new one)."""
    said = _(meaning) if meaning else _("left empty")
    if not issues:
        return arr
    n_filled = int(pc.count(text_cells(col)).as_py()) if len(failed) >= COLUMN_MIN else 0
    if len(failed) >= COLUMN_MIN and len(failed) >= COLUMN_SHARE * n_filled:
        raw = col.iat[failed[0]] if isinstance(col, pd.Series) else col[failed[0]]
        example = str(raw).strip()
        probs.append(Problem(
            file, (_("{n:,} of {filled:,} values not read, e.g. '{example}'; column ignored") if not meaning else
                   _("{n:,} of {filled:,} values not read, e.g. '{example}'; column ignored ({meaning})"))
            .format(n=len(failed), filled=n_filled, example=example, meaning=said),
            None, label, sheet, "warning", len(failed), tuple(int(rownums[i]) for i in failed[:FIRST_ROWS])))
        return _na_array(c.kind, len(arr))
    for i, level, msg in issues:
        probs.append(Problem(file, _("{reason}; {meaning}").format(reason=msg, meaning=said) if level == "error"
                             else msg, int(rownums[i]), label, sheet,
                             "warning"))
    if not failed:
        return arr
    return _left_empty(arr, failed)


def _left_empty(arr, at: list[int]):
    """A copy of a typed array with the cells ``at`` missing."""
    if isinstance(arr, np.ndarray):  # dates
        out = arr.copy()
        out[at] = np.datetime64("NaT")
        return out
    if isinstance(arr, pd.arrays.ArrowStringArray):
        gone = np.zeros(len(arr), dtype=bool)
        gone[at] = True
        cells = arr.__arrow_array__()
        return pd.arrays.ArrowStringArray(pc.if_else(pa.array(gone), pa.scalar(None, cells.type), cells))
    gone = arr.isna()  # (a new array)
    gone[at] = True
    return pd.arrays.FloatingArray(arr.to_numpy(dtype=float, na_value=np.nan), gone)

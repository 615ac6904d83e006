"""Small helpers shared by the importers: names, places and meta data found in text.

Examples in docstrings are run by the tests (``pytest --doctest-modules`` is not needed:
tests/unit/importers/test_importers.py calls them).
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dsdash.i18n import _, ngettext
from dsdash.importers.detect import Header, cell_key, is_hxl_row, is_hxl_tag, match_columns
from dsdash.validate import BLANKS, TEXT, _astext, as_text, text_cells
from dsdash.schema import GOVERNORATE_SYNONYMS, GOVERNORATES, governorate_code, normalise_pcode, normalise_text


def closest(value: str, choices: list[str], n: int = 3) -> list[str]:
    """The closest spellings among ``choices`` (difflib), best first.

    Examples:
        >>> closest("watr", ["water", "waste", "health"])
        ['water', 'waste']
    """
    return difflib.get_close_matches(normalise_text(value), choices, n=n, cutoff=0.6)


def governorate_codes(values: pd.Series) -> tuple[pd.Series, dict[str, list[str]]]:
    """COD-AB p-codes of a column of governorate names or p-codes (each distinct value
    looked up once). Returns ``(codes with NA where unknown, unknown value → suggestions)``.

    Examples:
        >>> codes, unknown = governorate_codes(pd.Series(["Anbar", "Babylon", "IRQ-G09", "Dahuk", "Anbr", None]))
        >>> codes.tolist()[:4], unknown
        (['IQG01', 'IQG07', 'IQG09', 'IQG09'], {'Anbr': ['Al-Anbar']})
    """
    cells, unknown = governorate_code_cells(values)
    return _series(cells, values.index), unknown


def governorate_code_cells(values: pd.Series) -> tuple[pa.ChunkedArray, dict[str, list[str]]]:
    """:func:`governorate_codes` as Arrow text (null where unknown), for code that goes on with Arrow kernels."""
    enc = _distinct(values)
    unknown: dict[str, list[str]] = {}
    found = []
    for v in enc.dictionary.to_pylist():
        code = _governorate_of(v)
        found.append(code)
        if code is None and v:
            unknown[str(v)] = list(_suggest_governorates(v))
    return _spread_distinct(found, enc), unknown


@functools.lru_cache(maxsize=4096)
def _governorate_of(value: str) -> str | None:
    """The p-code of one governorate cell (its name in English or Arabic, or a p-code), or None."""
    return governorate_code(value) or _arabic_governorates().get(arabic_fold(value))


@functools.lru_cache(maxsize=1)
def _arabic_governorates() -> dict[str, str]:
    ar = {arabic_fold(a): code for code, (_en, a) in GOVERNORATES.items()}
    ar.update({arabic_fold(f"محافظة {a}"): code for code, (_en, a) in GOVERNORATES.items()})
    return ar


@functools.lru_cache(maxsize=256)
def _suggest_governorates(value: str) -> tuple[str, ...]:
    """The English names of the governorates closest to an unknown name, best first."""
    names = list(GOVERNORATE_SYNONYMS) + [normalise_text(en) for en, _ in GOVERNORATES.values()]
    sugg: list[str] = []
    for s in closest(value, names):
        en = GOVERNORATES[governorate_code(s)][0]
        if en not in sugg:
            sugg.append(en)
    return tuple(sugg)


def distinct_cells(values: pd.Series) -> pa.DictionaryArray:
    """The column's cells as text, stripped, each distinct value once (see :func:`_distinct`)."""
    return _distinct(values)


def _distinct(values: pd.Series) -> pa.DictionaryArray:
    """The column's cells as text, stripped (``values.astype(TEXT).str.strip()``), dictionary-encoded:
    each distinct value once (nulls stay null)."""
    enc = pc.dictionary_encode(pc.utf8_trim_whitespace(arrow_text(values)))
    return enc.combine_chunks() if isinstance(enc, pa.ChunkedArray) else enc


def _spread_distinct(mapped: list, enc: pa.DictionaryArray) -> pa.ChunkedArray:
    """Values of the distinct cells (``mapped``, in the order of ``enc``'s dictionary) spread back to
    every row by Arrow's take (a null cell: null)."""
    return pa.chunked_array([pa.array(mapped, pa.large_string()).take(enc.indices)])


def arrow_text(values: pd.Series) -> pa.ChunkedArray:
    """``values.astype(TEXT)`` as its Arrow array (a column of Arrow text as it is: no cast, no copy)."""
    if _is_arrow_text(values):
        return values.array.__arrow_array__()
    return _astext(values)


def _series(cells: pa.ChunkedArray, index) -> pd.Series:
    return pd.Series(pd.arrays.ArrowStringArray(cells), index=index, copy=False)


_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ـ": None})


def arabic_fold(text: object) -> str:
    """Arabic spelling variants folded for matching names (hamza forms of alef, alef maqsura,
    ta marbuta, tatweel), after :func:`normalise_text`.

    Examples:
        >>> arabic_fold("الأنبار") == arabic_fold("الانبار"), arabic_fold("نينوى") == arabic_fold("نينوي")
        (True, True)
    """
    return normalise_text(text).translate(_ARABIC_FOLD)


def pcodes(values: pd.Series) -> pd.Series:
    """Normalised COD-AB p-codes (``IRQ-G01Q01``, ``IQG01Q01``, ``IQ-G11`` …) of a column;
    NA where a value is not a p-code."""
    return _series(pcode_cells(values), values.index)


def pcode_cells(values: pd.Series, length: int | None = None) -> pa.ChunkedArray:
    """:func:`pcodes` as Arrow text (null where a value is not a p-code); with ``length``, each code's
    first ``length`` characters (the governorate of a district p-code: 5)."""
    enc = _distinct(values)
    codes = [pcode_of(v) for v in enc.dictionary.to_pylist()]
    return _spread_distinct(codes if length is None else [c[:length] if c is not None else None for c in codes], enc)


@functools.lru_cache(maxsize=4096)
def pcode_of(value: str) -> str | None:
    """:func:`~dsdash.schema.normalise_pcode` of one cell's text (cached: a column holds few distinct codes)."""
    return normalise_pcode(value)


def clean_ids(values: pd.Series) -> pd.Series:
    """Identifiers as text: ``12345.0`` from a workbook becomes ``12345``."""
    cells = pc.utf8_trim_whitespace(arrow_text(values))
    if pc.any(pc.match_substring(cells, ".")).as_py():  # the regex only when some cell has a point
        cells = pc.replace_substring_regex(cells, r"^(\d+)\.0+$", r"\1")
    return pd.Series(pd.arrays.ArrowStringArray(cells), index=values.index, name=values.name)


#: The Arabic words for the displaced (نازحين، مهجرين) and the returnees (عائدين), with their article,
#: "for the" (لل) or "and" (و) in front, as whole words.
_IDPS_AR = re.compile(r"(?<!غير )(?<![\u0621-\u064A])(?:و?(?:ال|لل))?(?:نازح|مهجر)(?:ين|ون|ة)?(?![\u0621-\u064A])")
#: 'عودة' (return: the return of the displaced), with its article, 'for the' or 'for' in front.
_RETURN_OF_AR = re.compile(r"(?<![\u0621-\u064A])(?:و?(?:ال|لل|ل))?عود[ةه](?![\u0621-\u064A])")
_RETURNEES_AR = re.compile(r"(?<![\u0621-\u064A])(?:و?(?:ال|لل))?عائد(?:ين|ون|ة)?(?![\u0621-\u064A])")


def group_from_text(text: str) -> str | None:
    """'idp' or 'returnee' when a file name or title says which (and not both).

    Examples:
        >>> group_from_text("DTM_IDP_Master_List_R130.xlsx"), group_from_text("Returnee master list")
        ('idp', 'returnee')
        >>> group_from_text("master_list.csv") is None
        True
        >>> group_from_text("القائمة الرئيسية للنازحين - نيسان 2024"), group_from_text("قائمة العائدين")
        ('idp', 'returnee')
        >>> group_from_text("القائمة الرئيسية لعودة النازحين"), group_from_text("غير النازحين") is None
        ('returnee', True)
    """
    t = text.lower()
    ret = re.search(r"(?<![a-z])(returnees?|rtn|returns?|ret)(?![a-z])", t) or _RETURNEES_AR.search(t)
    idp = re.search(r"(?<![a-z])(idps?|displaced)(?![a-z])", t) or _IDPS_AR.search(t)
    if _RETURN_OF_AR.search(t):  # 'عودة النازحين': the return of the displaced, a returnee list
        ret, idp = True, None
    if ret and not idp:
        return "returnee"
    if idp and not ret:
        return "idp"
    return None


def rows_text(frame: pd.DataFrame, stop: int) -> str:
    """The text of the rows above the header (IOM's title lines), joined."""
    if stop <= 0:
        return ""
    columns = []
    for values in column_arrays(frame):  # as frame.iloc[:stop].to_numpy(dtype=object), column by column
        if isinstance(values, np.ndarray) and values.dtype == object:  # a workbook's cells, as they are
            columns.append(list(values[:stop]))
        elif _is_arrow_text(values):
            missing = values.dtype.na_value
            columns.append([missing if v is None else v for v in values.__arrow_array__()[:stop].to_pylist()])
        else:
            top = values[:stop]
            columns.append(list(pd.Series(top, dtype=top.dtype, copy=False).to_numpy(dtype=object)))
    vals = [v for row in zip(*columns) for v in row]
    return " ".join(str(v) for v in vals if v is not None and str(v).strip() and str(v) != "nan")


#: Cells that say "nothing here": blanks, and how pandas, R and Excel write a missing value. A row made
#: only of these (a trailing ``nan,nan,nan`` row, say) is a blank row.
EMPTY_CELLS = (*BLANKS, "nan", "NaN", "NAN", "<NA>", "NaT", "None", "none", "null", "NULL", "Null", "NA", "N/A", "n/a",
               "#N/A")


def blank_rows(frame: pd.DataFrame, columns: Sequence[int] | None = None) -> np.ndarray:
    """Rows whose every cell is empty: None, NaN, whitespace, a lone dash or a missing-value word
    (:data:`EMPTY_CELLS`). ``columns``: the positions of the columns to look at (default: every column),
    in that order; the same as ``blank_rows(frame.iloc[:, columns])`` without building that frame.

    Examples:
        >>> blank_rows(pd.DataFrame([["1", "a"], ["", " "], ["nan", "NaN"], [None, float("nan")], ["nan", "x"]]))
        array([False,  True,  True,  True, False])
    """
    arrays = column_arrays(frame)
    return blank_array_rows([arrays[j] for j in (range(len(arrays)) if columns is None else columns)], len(frame))


def column_arrays(frame: pd.DataFrame) -> list:
    """The frame's columns by position, as the arrays pandas holds them (ExtensionArray or numpy; no Series
    per column). Views of the frame's data: to be read, never written."""
    if hasattr(frame, "_iter_column_arrays"):
        arrays = list(frame._iter_column_arrays())
        if len(arrays) == frame.shape[1]:
            return arrays
    return [frame.iloc[:, j].array for j in range(frame.shape[1])]


def _is_arrow_text(values) -> bool:
    dtype = values.dtype
    return getattr(dtype, "storage", "") == "pyarrow" and pd.api.types.is_string_dtype(dtype)


def blank_array_rows(arrays: Sequence, n: int) -> np.ndarray:
    """:func:`blank_rows` of columns given as arrays of ``n`` rows (see :func:`column_arrays`), in order."""
    left = np.arange(n)  # rows blank so far: each column looks only at those
    for k, values in enumerate(arrays):
        if len(left) <= 256:  # a few rows left (the usual case after one column): cell by cell, column by column
            for rest in arrays[k:]:
                if not len(left):
                    break
                left = left[[_empty(v) for v in _cells_at(rest, left)]]
            break
        col = pd.Series(values, dtype=values.dtype, copy=False)  # (an object column stays object)
        col = col if len(left) == n else col.iloc[left]
        if _is_arrow_text(col):
            # Arrow text (a CSV): stripped, blanks null (as_text, kept for the checks that follow); the
            # missing-value words looked up only when some cell is short enough to be one
            cells = text_cells(col)
            empty = cells.is_null().to_numpy(zero_copy_only=False)
            if pc.any(pc.less_equal(pc.binary_length(cells), _EMPTY_BYTES)).as_py():
                empty |= pc.fill_null(pc.is_in(cells, value_set=pa.array(EMPTY_CELLS, cells.type)), False) \
                    .to_numpy(zero_copy_only=False)
        elif col.dtype == object and pd.api.types.infer_dtype(col.to_numpy(), skipna=True) in _NUMBER_KINDS:
            # numbers (a workbook's counts): no number's text is blank or a missing-value word
            empty = pd.isna(col.to_numpy())
        elif str(col.dtype).startswith(("str", "string")) or col.dtype == object:
            s = col.astype(TEXT).str.strip()
            empty = (s.isna() | s.isin(EMPTY_CELLS)).to_numpy(dtype=bool, na_value=True)
        else:
            empty = col.isna().to_numpy(dtype=bool)
        left = left[empty]
    out = np.zeros(n, dtype=bool)
    out[left] = True
    return out


#: What ``infer_dtype`` calls a column of numbers and missing values (no bools, no decimals).
_NUMBER_KINDS = ("integer", "floating", "mixed-integer-float")


def _cells_at(values, at: np.ndarray) -> list:
    """The cells of a column (an array) at the positions ``at``, as Python values (a missing text cell:
    None; else as ``to_numpy(dtype=object)`` gives them)."""
    if _is_arrow_text(values):
        cells = values.__arrow_array__()
        if len(at) <= 8:
            return [cells[int(i)].as_py() for i in at]
        return cells.take(pa.array(at)).to_pylist()
    if isinstance(values, np.ndarray):
        return list(values[at]) if values.dtype == object else \
            list(pd.Series(values[at], dtype=values.dtype).to_numpy(dtype=object))
    return list(values.take(at).to_numpy(dtype=object))


_EMPTY_SET = frozenset(EMPTY_CELLS)
_EMPTY_BYTES = max(len(c.encode("utf-8")) for c in EMPTY_CELLS)


def _empty(v: object) -> bool:
    if v is None:
        return True
    if isinstance(v, str):
        return v.strip() in _EMPTY_SET
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def repeated_headers(body: pd.DataFrame, header: Header, synonyms: Mapping[str, Sequence[str]],
                     probe: Sequence[str] = ()) -> tuple[np.ndarray, str | None]:
    """Rows of ``body`` (the rows under the header) that repeat the header: files pasted one
    under the other, or a long sheet printed with its header on every page.

    A repeated header is a row naming at least two of the kind's fields (``synonyms``, as
    :func:`~dsdash.importers.detect.header_key` has them; in any of its spellings) or a
    row of HXL hashtags; the title lines just above it (rows with one text cell in the
    header's columns, or blank) go with it. Such rows are not data: they are skipped and
    not counted as rows in, like the title rows and blank rows at the top. Only rows whose
    ``probe`` column (the first of those fields the header maps; any mapped column when
    none) or first mapped column holds a header word are looked at, so a long file costs
    two passes over one column each.

    Returns ``(mask over body's rows, a note naming the rows, or None)``.

    Examples:
        >>> from dsdash.importers.detect import DTM_HEADERS
        >>> frame = pd.DataFrame([["Place ID", "Families"], ["1", "10"], ["IDP Master List", ""],
        ...                       ["Place ID", "Families"], ["2", "5"]])
        >>> h = Header("dtm_master_list", 0, {"site_id": 0, "households": 1})
        >>> mask, note = repeated_headers(frame.iloc[1:], h, DTM_HEADERS, ("households",))
        >>> mask.tolist(), note
        ([False, True, True, False], 'row 4 repeats the header (with 1 title row above it): skipped, not counted')
    """
    n = len(body)
    mask = np.zeros(n, dtype=bool)
    if n == 0 or not header.columns:
        return mask, None
    field = next((f for f in probe if f in header.columns), next(iter(header.columns)))
    words = {k for names in synonyms.values() for k in names}
    candidates = np.zeros(n, dtype=bool)
    for j in {header.columns[field], min(header.columns.values())}:  # a pasted header may sit shifted
        cells = arrow_text(body[j])
        # cells starting with a digit (cell_key is blank for these) are not looked at one by one; a cell whose
        # first byte is a digit is one (read from the buffers), the others are trimmed and looked at
        rest = np.flatnonzero(~_starts_with_digit(cells))
        if not len(rest):
            continue
        text = pc.utf8_trim_whitespace(cells.take(pa.array(rest)) if len(rest) < len(cells) else cells)
        numeric = pc.fill_null(pc.ascii_is_decimal(pc.utf8_slice_codeunits(text, 0, 1)), True)
        maybe = pc.unique(pc.filter(text, pc.invert(numeric))).to_pylist()
        hits = [u for u in maybe if (k := cell_key(u)) and (k in words or is_hxl_tag(k))]
        if hits:
            candidates[rest] |= pc.fill_null(pc.is_in(text, value_set=pa.array(hits, pa.large_string())), False) \
                .to_numpy(zero_copy_only=False)
    if not candidates.any():
        return mask, None
    candidates = np.flatnonzero(candidates)
    cells = body.to_numpy(dtype=object)
    need = min(2, len(header.columns))
    found, moved = [], []
    for i in candidates:
        if mask[i]:  # the HXL row under a header found just before
            continue
        keys = [cell_key(v) for v in cells[i]]
        hxl = is_hxl_row(keys)
        cols = {} if hxl else match_columns(keys, synonyms)
        if hxl or len(cols) >= need:
            mask[i] = True
            found.append(i)
            if any(cols.get(f, j) != j for f, j in header.columns.items()):
                moved.append(int(body.index[i]) + 1)
            if i + 1 < n and is_hxl_row([cell_key(v) for v in cells[i + 1]]):
                mask[i + 1] = True
    if not found:
        return mask, None
    titles = 0
    mapped = sorted(set(header.columns.values()))  # an index column runs on through pasted titles: not looked at
    for i in found:
        k = i - 1
        while k >= 0 and not mask[k] and i - k <= MAX_REPEATED_TITLE_ROWS and _title_like(cells[k, mapped]):
            mask[k] = True
            titles += not all(_empty(v) for v in cells[k])
            k -= 1
    rows = [int(body.index[i]) + 1 for i in found]
    shown = ", ".join(str(r) for r in rows[:10]) + (" …" if len(rows) > 10 else "")
    if not titles:
        note = ngettext("row {rows} repeats the header: skipped, not counted",
                        "{n} rows {rows} repeat the header: skipped, not counted", len(rows))
    elif len(rows) == 1:
        note = ngettext("row {rows} repeats the header (with {titles} title row above it): skipped, not counted",
                        "row {rows} repeats the header (with {titles} title rows above it): skipped, not counted",
                        titles)
    else:
        note = ngettext("{n} rows {rows} repeat the header (with {titles} title row above them): skipped, not counted",
                        "{n} rows {rows} repeat the header (with {titles} title rows above them): skipped, not "
                        "counted", titles)
    note = note.format(n=len(rows), rows=shown, titles=titles)
    if moved:
        note += ngettext("; row {rows} names the fields in other columns: the rows under it are read by the first "
                         "header's columns",
                         "; rows {rows} name the fields in other columns: the rows under it are read by the first "
                         "header's columns", len(moved)).format(rows=", ".join(map(str, moved[:10])))
    return mask, note


def _starts_with_digit(cells: pa.ChunkedArray) -> np.ndarray:
    """Cells whose first byte is an ASCII digit (nulls: True, as nothing to look at), from the buffers."""
    first = first_bytes(cells)
    return (first == -2) | ((first >= ord("0")) & (first <= ord("9")))


def first_bytes(cells: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """The first byte of each cell of Arrow text, read from the buffers (no new array): -1 for an empty
    cell, -2 for a null."""
    out = []
    for chunk in (cells.chunks if isinstance(cells, pa.ChunkedArray) else [cells]):
        n = len(chunk)
        first = np.full(n, -1, dtype=np.int16)
        if n and chunk.buffers()[2] is not None and chunk.null_count < n:
            chunk = chunk.cast(pa.large_string()) if chunk.type != pa.large_string() else chunk
            offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int64, count=n + 1, offset=chunk.offset * 8)
            raw = np.frombuffer(chunk.buffers()[2], dtype=np.uint8)
            filled = offsets[1:] > offsets[:-1]
            first[filled] = raw[offsets[:-1][filled]]
        if chunk.null_count:
            first[~chunk.is_valid().to_numpy(zero_copy_only=False)] = -2
        out.append(first)
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int16)


#: How many title or blank lines above a repeated header go with it.
MAX_REPEATED_TITLE_ROWS = 5


def _title_like(cells) -> str | None:
    """"blank" for a row with no cell filled, "title" for one with a single text cell that is not a
    number (a title line), else None."""
    filled = [v for v in cells if not _empty(v)]
    if not filled:
        return "blank"
    v = filled[0]
    return "title" if len(filled) == 1 and isinstance(v, str) and not v.strip()[:1].isdigit() else None

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

import weakref

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dsdash.i18n import _
from dsdash.parse import ParseError, ambiguous_day_month, day_month_order, parse_date, parse_number
from dsdash.schema import FIRST_ROWS, LoadReport, Problem, TableSpec

#: pandas dtypes of each column kind in a validated table.
DTYPES = {"str": "string", "int": "Int64", "float": "Float64", "date": "datetime64[s]"}


def empty_table(spec: TableSpec) -> pd.DataFrame:
    """An empty table with the spec's columns and dtypes."""
    return pd.DataFrame({c.name: pd.Series(dtype=DTYPES[c.kind]) for c in spec.columns})


def _all_na(kind: str, index: pd.Index) -> pd.Series:
    """A column of the dtype of ``kind`` with every value missing (built whole, not from a list of Nones)."""
    n = len(index)
    if kind == "str":
        values = pd.arrays.ArrowStringArray(pa.chunked_array([pa.nulls(n, pa.large_string())]))
    elif kind == "int":
        values = pd.arrays.IntegerArray(np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool))
    elif kind == "float":
        values = pd.arrays.FloatingArray(np.zeros(n, dtype=np.float64), np.ones(n, dtype=bool))
    else:
        return pd.Series(pd.NaT, index=index, dtype="datetime64[s]")
    return pd.Series(values, index=index, copy=False).astype(DTYPES[kind])


_DTYPE_OF = {kind: pd.api.types.pandas_dtype(d) for kind, d in DTYPES.items()}


def coerce(df: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Cast already-clean columns to the spec's dtypes (no checks). Extra columns are kept."""
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
    every column they read, so pandas' per-call overhead is kept out of it.
    """
    source = values.array.__arrow_array__() if isinstance(values.dtype, pd.StringDtype) \
        and values.dtype.storage == "pyarrow" else None  # Arrow arrays are immutable: the result can be kept
    hit = _TEXT_OF.get(id(source)) if source is not None else None
    if hit is not None and hit[0]() is source:
        cells = hit[1]
    else:
        s = values if values.dtype == TEXT else values.astype(TEXT)
        cells = pc.utf8_trim_whitespace(s.array.__arrow_array__())
        # a blank word is at most 3 bytes: a column without such short cells (names, ids) is not looked at
        if pc.any(pc.less_equal(pc.binary_length(cells), _BLANK_BYTES)).as_py():
            blank = pc.is_in(cells, value_set=pa.array(BLANKS, cells.type))
            if pc.any(blank).as_py():
                cells = pc.if_else(blank, pa.scalar(None, cells.type), cells)
        if source is not None:
            key = id(source)
            _TEXT_OF[key] = (weakref.ref(source, lambda _ref, key=key: _TEXT_OF.pop(key, None)), cells)
    return pd.Series(pd.arrays.ArrowStringArray(cells), index=values.index, name=values.name, copy=False)


#: as_text of each Arrow column still alive, by the column's identity (the importers read a
#: column several times: totals, places, checks); an entry goes when its column does.
_TEXT_OF: dict[int, tuple[weakref.ref, pa.ChunkedArray]] = {}


_NUMERIC_KINDS = ("integer", "floating", "mixed-integer-float")


def _workbook_numbers(values: pd.Series, *, integer: bool) -> tuple[pd.Series, list] | None:
    """:func:`numbers` of a column of numbers as a workbook gives them (int, float, blanks),
    read as they are, without a round trip through text; None when the column holds anything
    else, or a cell :func:`dsdash.parse.parse_number` must look at (not whole in a count, not
    finite): the text path then reads the column and says why."""
    if values.dtype != object:
        return None
    cells = values.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(cells, skipna=True) not in _NUMERIC_KINDS:
        return None
    try:
        v = np.array(cells, dtype=float)
    except (OverflowError, ValueError, TypeError):
        return None
    ok = np.isfinite(v)
    if integer:
        ok &= v == np.trunc(v)
    if (~ok & ~np.isnan(v)).any():
        return None
    return pd.Series(pd.array(v, dtype="Float64"), index=values.index), []


def _fullmatch(text: pd.Series, pattern: str) -> np.ndarray:
    """Cells of a text column (:func:`as_text`) that ``pattern`` matches whole (NA: False): one
    Arrow regex kernel, as ``text.str.fullmatch`` but without pandas' per-call overhead."""
    hit = pc.match_substring_regex(text.array.__arrow_array__(), f"^(?:{pattern})$")
    return pc.fill_null(hit, False).to_numpy()


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
    out, issues = _numbers(values, integer=integer)
    if integer:  # a count past 2^53 is not held exactly (and past int64 overflows): refused, not rounded
        big = np.flatnonzero(np.abs(out.to_numpy(dtype=float, na_value=0.0)) >= MAX_COUNT)
        if len(big):
            raw = values.to_numpy(dtype=object)
            for i in big:
                shown = str(raw[i]).strip()
                issues.append((int(i), "error", _("'{value}' is too large for a count (the limit is {limit:,})").format(
                    value=f"{shown[:30]}{'…' if len(shown) > 30 else ''}", limit=MAX_COUNT)))
            out = out.copy()
            out.iloc[big] = pd.NA
    return out, issues


#: Largest count read: 2^53, the largest whole number a float holds exactly.
MAX_COUNT = 2**53


def _numbers(values: pd.Series, *, integer: bool) -> tuple[pd.Series, list[tuple[int, str, str]]]:
    shortcut = _workbook_numbers(values, integer=integer)
    if shortcut is not None:
        return shortcut
    text = as_text(values)
    cells = text.array.__arrow_array__()
    blank = cells.is_null().to_numpy(zero_copy_only=False)
    # plain ASCII digits (the usual count) by a byte-class kernel; the regex looks only at the others
    fast = pc.fill_null(pc.ascii_is_decimal(cells), False).to_numpy(zero_copy_only=False)
    rest = np.flatnonzero(~fast & ~blank)
    pattern = _INT_FAST if integer else _FLOAT_FAST
    if len(rest) > len(fast) // 4:  # most cells (decimals, say): the regex on the whole column, no gather first
        fast = _fullmatch(text, pattern)
    elif len(rest):
        fast = fast.copy()
        fast[rest] = _fullmatch(text.iloc[rest], pattern)
    if (~fast & ~blank).any():
        grouped = text.str.fullmatch(_GROUPED + (r"(?:\.0{1,2})?" if integer else r"(?:\.[0-9]+)?")) \
            .fillna(False).to_numpy(dtype=bool)
        if grouped.any():
            text = text.where(~grouped, text.str.replace(",", "", regex=False))
            fast = fast | grouped
    # clean cells: one C cast of the text column (non-clean cells stand in as "0", then masked)
    cells = text.array.__arrow_array__()
    if not fast.all():
        cells = pc.if_else(pa.array(fast), cells, pa.scalar("0", cells.type))
    cast = pc.cast(cells, pa.float64()).to_numpy(zero_copy_only=False).copy()
    cast[~fast] = np.nan
    out = pd.Series(pd.arrays.FloatingArray(cast, ~fast), index=values.index)
    issues: list[tuple[int, str, str]] = []
    slow = np.flatnonzero(~fast & ~blank)
    if len(slow):
        raw = values.to_numpy(dtype=object)
        arr = out.to_numpy(dtype=object, na_value=None)
        for i in slow:
            try:
                v, warn = parse_number(raw[i], integer=integer)
                if v is not None and not np.isfinite(v):
                    raise ParseError(_("'{value}' is not a finite number").format(value=raw[i]))
            except ParseError as exc:
                issues.append((int(i), "error", str(exc)))
                continue
            except (OverflowError, ValueError, TypeError):
                issues.append((int(i), "error", _("'{value}' is not a number").format(value=raw[i])))
                continue
            if warn:
                issues.append((int(i), "warning", warn))
            arr[i] = v
        out = pd.Series(pd.array(arr, dtype="Float64"), index=values.index)
    return out, issues


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
    text = as_text(values)
    blank = text.isna().to_numpy()
    fast = text.str.fullmatch(_ISO_FAST).fillna(False).to_numpy(dtype=bool)
    out = pd.to_datetime(text.str.slice(0, 10).where(fast), format="%Y-%m-%d", errors="coerce") \
        .to_numpy(dtype="datetime64[s]", copy=True)
    fast &= ~np.isnat(out)
    issues: list[tuple[int, str, str]] = []
    slow = np.flatnonzero(~fast & ~blank)
    if not len(slow):
        return pd.Series(out, index=values.index), issues
    codes, uniques = pd.factorize(text.iloc[slow])
    uniq = [str(u) for u in uniques]
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
    for pos, k in zip(slow, codes):
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
    labels = labels or {}
    reject = count_columns(spec) if reject is None else set(reject)
    if_unread = if_unread or {}
    n = len(raw)
    bad = np.zeros(n, dtype=bool) if pre_bad is None else pre_bad.copy()
    explained = bad.copy()  # rows the caller rejected with a reason: no "empty but required" echo
    probs = report.problems

    def add(i: int, col: str, reason: str, level: str = "error") -> None:
        probs.append(Problem(file, reason, int(rownums[i]), labels.get(col, col), sheet, level))
        if level == "error":
            bad[i] = True

    missing = [c.name for c in spec.columns if c.required and c.name not in raw.columns]
    for m in missing:
        probs.append(Problem(file, _("required column '{column}' is missing").format(column=m), sheet=sheet, column=m))
    if missing:
        bad[:] = True

    typed: dict[str, pd.Series] = {}
    for c in spec.columns:
        if c.name not in raw.columns:
            typed[c.name] = _all_na(c.kind, raw.index)
            continue
        col = raw[c.name]
        issues: list[tuple[int, str, str]] = []  # (position, level, message); "error" = the cell fails
        if c.kind == "str":
            s = as_text(col)
            blank = s.isna().to_numpy()
            if c.vocab is not None:
                # (rows the caller rejected already said why: their value is not checked twice)
                for i in np.flatnonzero(~blank & ~s.isin(c.vocab).to_numpy(dtype=bool) & ~explained):
                    issues.append((int(i), "error", _("'{value}' is not one of: {allowed}").format(
                        value=s.iat[i], allowed=", ".join(c.vocab))))
        elif c.kind in ("int", "float"):
            s, issues = numbers(col, integer=c.kind == "int")
            blank = s.isna().to_numpy()
            vals = s.to_numpy(dtype=float, na_value=np.nan)
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
        else:
            role = "end" if c.name.endswith(("end", "end_date")) else "start" if "start" in c.name else "point"
            notes: list[str] = []
            s, issues = dates(col, role=role, notes=notes)
            report.notes.extend(_("column '{column}': {note}").format(column=labels.get(c.name, c.name), note=n)
                                for n in notes)
            blank = s.isna().to_numpy()
        failed = sorted({i for i, level, _ in issues if level == "error"})
        if c.name in reject:
            for i, level, msg in issues:
                add(i, c.name, msg, level)
        else:
            s = _unread(s, c, failed, issues, col, rownums, labels.get(c.name, c.name), if_unread.get(c.name),
                        file, sheet, probs)
        if c.kind == "int":
            s = s.round().astype("Int64")
        typed[c.name] = s
        if c.required:
            empty = blank & ~explained
            empty[failed] = False  # an unreadable cell has its own problem
            for i in np.flatnonzero(empty):
                add(i, c.name, "value is empty but required")

    out = pd.DataFrame(typed, index=raw.index)
    key = spec.key if key is None else key
    if key and not missing:
        kdf = out[list(key)]
        dup = _duplicated(kdf) & ~bad
        ok_rows = ~bad
        if dup.any():
            first: dict = {}
            tuples = list(zip(*[kdf[a].tolist() for a in key]))
            for i in np.flatnonzero(ok_rows):
                k = tuples[i]
                if k in first and dup[i]:
                    desc = ", ".join(f"{labels.get(a, a)} {v}" for a, v in zip(key, k))
                    add(i, key[0], _("duplicate ({key}): row {row} has the same, this row is not counted twice")
                        .format(key=desc, row=int(rownums[first[k]])))
                else:
                    first.setdefault(k, i)
    keep = ~bad
    report.rows_in += n
    report.rows_accepted += int(keep.sum())
    report.rows_rejected += int(n - keep.sum())
    report.check()
    return (out if keep.all() else out[keep]).reset_index(drop=True), keep


def _duplicated(kdf: pd.DataFrame) -> np.ndarray:
    """``kdf.duplicated(keep="first")`` as an array; a key of one Arrow text column (a site id)
    by Arrow's hash kernel, and nothing more when every value is distinct (the usual file)."""
    if kdf.shape[1] == 1 and kdf.dtypes.iat[0] == _DTYPE_OF["str"]:
        cells = kdf.iloc[:, 0].array.__arrow_array__()
        if len(pc.unique(cells)) == len(cells):  # every value distinct (the usual file): nothing more
            return np.zeros(len(cells), dtype=bool)
        enc = pc.dictionary_encode(cells, null_encoding="encode").combine_chunks()
        codes = enc.indices.to_numpy()
        first = np.zeros(len(codes), dtype=bool)
        first[np.unique(codes, return_index=True)[1]] = True
        return ~first
    return kdf.duplicated(keep="first").to_numpy()


def _unread(s: pd.Series, c, failed: list[int], issues, col: pd.Series, rownums: np.ndarray, label: str,
            meaning: str | None, file: str, sheet: str | None, probs: list[Problem]) -> pd.Series:
    """A column the row's count does not depend on: its failed cells become warnings and are left
    empty, or, when they are most of the column, one column-level warning and the column is ignored."""
    said = _(meaning) if meaning else _("left empty")
    if not issues:
        return s
    n_filled = int(as_text(col).notna().sum()) if len(failed) >= COLUMN_MIN else 0
    if len(failed) >= COLUMN_MIN and len(failed) >= COLUMN_SHARE * n_filled:
        raw = col.iat[failed[0]]
        example = str(raw).strip()
        probs.append(Problem(
            file, (_("{n:,} of {filled:,} values not read, e.g. '{example}'; column ignored") if not meaning else
                   _("{n:,} of {filled:,} values not read, e.g. '{example}'; column ignored ({meaning})"))
            .format(n=len(failed), filled=n_filled, example=example, meaning=said),
            None, label, sheet, "warning", len(failed), tuple(int(rownums[i]) for i in failed[:FIRST_ROWS])))
        out = s.copy()
        out[:] = pd.NaT if c.kind == "date" else pd.NA
        return out
    for i, level, msg in issues:
        probs.append(Problem(file, _("{reason}; {meaning}").format(reason=msg, meaning=said) if level == "error"
                             else msg, int(rownums[i]), label, sheet,
                             "warning"))
    if not failed:
        return s
    out = s.copy()
    out.iloc[failed] = pd.NaT if c.kind == "date" else pd.NA
    return out

"""Exports users take away: CSV and Excel, with an optional HXL hashtag row.

Untrusted text never reaches a spreadsheet as a formula: a cell starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return is prefixed with an apostrophe
(OWASP's CSV-injection advice), in CSV, in XLSX, and in the tables shown on screen
(whose built-in grid download does not neutralise). Column names get the same
treatment. Numbers stay numbers (a negative number is a number, not text), dates stay
dates, Arabic stays Arabic.

CSV: UTF-8 with a byte-order mark (Excel then opens Arabic correctly), CRLF line
endings, every field holding a CR or LF quoted (a bare CR inside a site name does not
split the row), dates as ``YYYY-MM-DD`` (``YYYY-MM-DD HH:MM:SS`` when a column has times).

XLSX: written with openpyxl in write-only (streaming) mode; text cells are text
(never formulas), numbers are numbers, dates are date cells. Characters that XML 1.0
cannot hold (C0 controls other than tab, LF, CR) are replaced by U+FFFD rather than
failing the whole export.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from dsdash.i18n import N_, _, current
from dsdash.schema import EXTRA_HXL, TABLE_LABELS, TABLES

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

#: Characters XML 1.0 (and so XLSX) cannot hold: C0 controls other than tab, LF, CR.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise_cell(value: object) -> object:
    """Prefix a string that a spreadsheet would run as a formula with an apostrophe.

    Examples:
        >>> neutralise_cell("=HYPERLINK(\\"http://x\\")"), neutralise_cell("-12"), neutralise_cell(-12)
        ('\\'=HYPERLINK("http://x")', "'-12", -12)
        >>> neutralise_cell("Bzebiz - sector 1"), neutralise_cell("\\rcmd")
        ('Bzebiz - sector 1', "'\\rcmd")
    """
    if isinstance(value, str) and (value.startswith(FORMULA_PREFIXES) or _FORMULA_LIKE.match(value)):
        return "'" + value
    return value


#: A formula behind what a spreadsheet skips or reads as its sign: leading whitespace (a space, a line
#: feed), a zero-width space, joiner or BOM, and the fullwidth ＝ ＋ － ＠ that Excel takes for = + - @.
_FORMULA_LIKE = re.compile("[\\s\u200b-\u200f\u2060\ufeff]*[=+\\-@\uff1d\uff0b\uff0d\uff20]")
_FORMULA_LIKE_PATTERN = _FORMULA_LIKE.pattern


def _is_text(s: pd.Series) -> bool:
    if isinstance(s.dtype, pd.CategoricalDtype):
        return _is_text(pd.Series(s.cat.categories))
    return s.dtype == object or pd.api.types.is_string_dtype(s.dtype)


def neutralise_series(s: pd.Series) -> pd.Series:
    """A text column with every formula-like cell neutralised (vectorised for string
    dtype; element-wise for mixed object columns). Non-text columns are returned as is."""
    if not _is_text(s):
        return s
    if isinstance(s.dtype, pd.CategoricalDtype):  # neutralise the categories, keep the codes
        try:
            return s.cat.rename_categories([neutralise_cell(c) for c in s.cat.categories])
        except ValueError:  # "=x" and "'=x" both present: the renamed categories would collide
            return s.astype(object).map(neutralise_cell)
    if isinstance(s.dtype, pd.StringDtype):
        mask = (s.str.startswith(FORMULA_PREFIXES).fillna(False).astype(bool)
                | s.str.match(_FORMULA_LIKE_PATTERN).fillna(False).astype(bool))
        if not mask.any():
            return s
        return s.mask(mask, "'" + s)
    return s.map(neutralise_cell)


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells (and column names) are neutralised; other dtypes untouched."""
    out = df.copy()
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        if _is_text(col):
            out.isetitem(i, neutralise_series(col))
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def hxl_row(df: pd.DataFrame, table: str | None = None) -> list[str]:
    """HXL hashtags for ``df``'s columns, from the schema's specs (the named table first,
    then any table that knows the column); '' where none is known.

    Examples:
        >>> hxl_row(pd.DataFrame(columns=["site_name", "individuals", "mine"]), "population")
        ['#loc+name', '#population+ind', '']
    """
    known: dict[str, str] = {}
    specs = ([TABLES[table]] if table in TABLES else []) + list(TABLES.values())
    for spec in specs:
        for c in spec.columns:
            if c.hxl and c.name not in known:
                known[c.name] = c.hxl
    for name, tag in EXTRA_HXL.items():
        known.setdefault(name, tag)
    known.setdefault("source_id", "#meta+source+id")
    known.setdefault("citation", "#meta+source+citation")
    return [known.get(str(c), "") for c in df.columns]


# --------------------------------------------------------------------------- CSV
def _date_strings(s: pd.Series) -> pd.Series:
    """ISO date strings for a datetime column: 'YYYY-MM-DD', or with the time when
    any value in the column has one. Missing dates stay missing."""
    if getattr(s.dt, "tz", None) is not None:
        s = s.dt.tz_localize(None)
    valid = s.dropna()
    fmt = "%Y-%m-%d" if (valid == valid.dt.normalize()).all() else "%Y-%m-%d %H:%M:%S"
    return s.dt.strftime(fmt)


def _csv_ready(df: pd.DataFrame) -> pd.DataFrame:
    out = neutralise_frame(df)
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        if pd.api.types.is_datetime64_any_dtype(col.dtype):
            out.isetitem(i, _date_strings(col))
    return out


def to_csv_bytes(df: pd.DataFrame, *, hxl: bool = False, table: str | None = None, labels: bool = False) -> bytes:
    """UTF-8 CSV with a BOM (Excel opens Arabic correctly), CRLF line endings, every
    field with a CR or LF quoted, formulas neutralised, dates as ISO dates, optional HXL
    hashtag row under the header. ``labels``: the header row in words and a source's id
    and citation next to it (:func:`labelled_export`; the app's downloads), else the
    column names (the CLI).

    Read it back with ``pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")``.
    """
    machine = df
    if labels:
        df, names = labelled_export(df)
        machine = pd.DataFrame(columns=names)
    out = _csv_ready(df)
    buf = io.StringIO()
    buf.write("\ufeff")
    if hxl:
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(list(out.columns))
        w.writerow(hxl_row(machine, table))
        out.to_csv(buf, index=False, header=False, lineterminator="\r\n")
    else:
        out.to_csv(buf, index=False, lineterminator="\r\n")
    return buf.getvalue().encode("utf-8")


# --------------------------------------------------------------------------- XLSX
def xml_safe(text: str) -> str:
    """``text`` with the characters XML 1.0 cannot hold (C0 controls other than tab, LF,
    CR) replaced by U+FFFD, so XLSX and PPTX writers never fail on a stray control byte.

    Examples:
        >>> xml_safe("Kilo 7\x07"), xml_safe("الكرامة")
        ('Kilo 7\ufffd', 'الكرامة')
    """
    return _XML_ILLEGAL.sub("\ufffd", text) if _XML_ILLEGAL.search(text) else text


_clean_text = xml_safe

#: Excel's limit on the characters of one cell; longer text is cut (and says so) rather
#: than producing a workbook Excel must "repair".
XLSX_CELL_MAX = 32_767
TRUNCATED = " …[truncated by dsdash: Excel cells hold at most 32,767 characters]"


def _xlsx_text(v: str) -> str:
    v = xml_safe(v)
    return v if len(v) <= XLSX_CELL_MAX else v[: XLSX_CELL_MAX - len(TRUNCATED)] + TRUNCATED


def _xlsx_column(s: pd.Series) -> list:
    """A column as plain Python values openpyxl writes with the right cell type."""
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        if getattr(s.dt, "tz", None) is not None:
            s = s.dt.tz_localize(None)
        valid = s.dropna()
        dates_only = bool((valid == valid.dt.normalize()).all())
        return [None if pd.isna(v) else (v.date() if dates_only else v.to_pydatetime()) for v in s]
    if pd.api.types.is_bool_dtype(s.dtype) and not _is_text(s):
        return [None if pd.isna(v) else bool(v) for v in s]
    if pd.api.types.is_integer_dtype(s.dtype):
        if s.hasnans:
            return [None if pd.isna(v) else int(v) for v in s]
        return s.astype("int64").tolist()
    if pd.api.types.is_float_dtype(s.dtype):
        arr = s.to_numpy(dtype="float64", na_value=np.nan)
        return [None if v != v or v in (np.inf, -np.inf) else v for v in arr.tolist()]
    if isinstance(s.dtype, pd.StringDtype):
        return [_xlsx_text(v) if isinstance(v, str) else None for v in s.tolist()]  # NA, None or NaN: empty
    return [_xlsx_value(v) for v in s.tolist()]


def _xlsx_value(v: object) -> object:
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, str):
        return _xlsx_text(v)
    if isinstance(v, pd.Timestamp):
        v = v.tz_localize(None) if v.tzinfo else v
        return v.to_pydatetime().date() if v == v.normalize() else v.to_pydatetime()
    if isinstance(v, dt.datetime) and v.tzinfo:
        return v.replace(tzinfo=None)
    if isinstance(v, (bool, int, float, dt.date, dt.datetime, dt.time)):
        if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
            return None
        return v
    if isinstance(v, np.generic):
        return _xlsx_value(v.item())
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return _xlsx_text(str(v))


def _col_letter(i: int) -> str:
    from openpyxl.utils import get_column_letter  # loaded when a workbook is written: ~130 ms to import

    return get_column_letter(i)


def to_xlsx_bytes(sheets: Mapping[str, pd.DataFrame] | pd.DataFrame, *, hxl: bool = False,
                  table: str | None = None, labels: bool = False) -> bytes:
    """An Excel workbook, one sheet per table; text cells neutralised and written as
    text (never formulas), numbers as numbers, dates as date cells; optional HXL row
    under the header. The header row is frozen.

    Args:
        sheets: a DataFrame, or sheet name → DataFrame (sheet names are cut to Excel's
            31 characters and rid of ``[]:*?/\\``; duplicates get a suffix).
        hxl: add the HXL hashtag row under the header.
        table: the schema table of a single DataFrame (for the hashtags); for several
            sheets, each sheet's name is tried as its table.
        labels: the header row in words, a source's id and citation next to it
            (:func:`labelled_export`); the HXL row keeps the machine tags.
    """
    from openpyxl import Workbook  # loaded when a workbook is written: ~130 ms to import

    if isinstance(sheets, pd.DataFrame):
        sheets = {table or "data": sheets}
    wb = Workbook(write_only=True)
    used: set[str] = set()
    for name, df in sheets.items():
        title = _sheet_title(_(TABLE_LABELS[str(name)]) if labels and str(name) in TABLE_LABELS else name, used)
        ws = wb.create_sheet(title=title)
        machine = df
        if labels:
            df, names = labelled_export(df)
            machine = pd.DataFrame(columns=names)
        out = neutralise_frame(df)
        header = [_clean_text(str(c)) for c in out.columns]
        for i, c in enumerate(header, start=1):
            width = min(60, max(10, len(c) + 2))
            ws.column_dimensions[_col_letter(i)].width = width
        ws.freeze_panes = "A3" if hxl else "A2"
        ws.append(header)
        if hxl:
            ws.append(hxl_row(machine, table if len(sheets) == 1 else str(name)))
        columns = [_xlsx_column(out.iloc[:, i]) for i in range(out.shape[1])]
        for row in zip(*columns):
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _sheet_title(name: object, used: set[str] | None = None) -> str:
    bad = '[]:*?/\\'
    t = "".join("_" if ch in bad else ch for ch in _clean_text(str(name)))[:31].strip("'") or "data"
    if used is not None:
        base, n = t, 2
        while t.lower() in used:
            suffix = f" ({n})"
            t = base[: 31 - len(suffix)] + suffix
            n += 1
        used.add(t.lower())
    return t


# --------------------------------------------------------------------------- tables of figures
def figures_table(figures: Iterable) -> pd.DataFrame:
    """Key figures (:class:`dsdash.provenance.KeyFigure`) as a table to download: label,
    value, unit, change, its basis, citation (a figure's source is already in words),
    date, method."""
    rows = [
        {"figure": f.label, "value": f.value, "unit": f.unit, "change": f.change,
         "change_basis": f.change_label, "citation": f.source, "date": f.date, "method": f.method}
        for f in figures
    ]
    cols = ["figure", "value", "unit", "change", "change_basis", "citation", "date", "method"]
    out = pd.DataFrame(rows, columns=cols)
    for c in ("value", "change"):
        out[c] = pd.to_numeric(out[c], errors="coerce")
    return out


# --------------------------------------------------------------------------- tables for people
#: Columns that hold provenance texts: shown as citations (:mod:`dsdash.sources`).
SOURCE_COLUMNS = ("source", "pop_source", "example_source")
#: Number columns that are names, not quantities (a round, a year): no thousands separator.
ORDINAL_COLUMNS = frozenset({"dtm_round", "round", "latest_round", "previous_round", "last_round", "reference_year",
                             "year", "category"})
#: What a missing value reads on screen.
UNKNOWN = "—"
#: On screen a source column holds the citation, so it is labelled plainly (downloads keep
#: the text as recorded, labelled so, beside its id and citation).
SCREEN_LABELS = {"source": N_("Source"), "pop_source": N_("Population source"), "example_source": N_("Example source")}


def _tr(label: str) -> str:
    """A vocabulary label in the reader's language (:mod:`dsdash.i18n`; English: itself)."""
    from dsdash.i18n import _

    return _(label)


def _date_words(v: object) -> object:
    """'31 Dec 2023' for a date or timestamp (with the time when it has one), else v."""
    from dsdash.i18n import current

    if current() != "en" and isinstance(v, (pd.Timestamp, dt.datetime, dt.date)):  # the reader's language (issue 18)
        from dsdash.provenance import local_date

        t = pd.Timestamp(v)
        return local_date(t).lstrip("0") + ("" if t == t.normalize() else f" {t:%H:%M}")
    if isinstance(v, (pd.Timestamp, dt.datetime)):
        t = pd.Timestamp(v)
        return f"{t.day} {t:%b %Y}" if t == t.normalize() else f"{t.day} {t:%b %Y %H:%M}"
    if isinstance(v, dt.date):
        return f"{v.day} {v:%b %Y}"
    return v


def _number_words(v: object, ordinal: bool) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return UNKNOWN
    f = float(v)
    if f == int(f):
        return f"{int(f)}" if ordinal else f"{int(f):,}"
    return f"{f:,.1f}"


def screen_table(df: pd.DataFrame) -> pd.DataFrame:
    """A table as a reader sees it: column labels (:func:`dsdash.schema.column_label`),
    codes as their labels (services, site types, states …), sources as citations, dates
    as '31 Dec 2023', yes/no for flags and '—' for anything unknown.

    Number and date columns without a missing value stay numbers and dates (the grid
    sorts them and formats them: ``ui.downloads.show_table``); one with a missing value
    becomes text ('8,520', '—'). A code column with its ``<name>_label`` beside it is
    shown once: the label column, under the code column's label.

    Examples:
        >>> t = screen_table(pd.DataFrame({"service": ["sanitation_waste"], "on_as_of": [None],
        ...                                "end_date": [pd.Timestamp("2024-08-31")], "households": [pd.NA]}))
        >>> t.to_dict("records")
        [{'Service': 'Sanitation and solid waste', 'On the as-of date': '—', 'End': Timestamp('2024-08-31 00:00:00'), 'Households': '—'}]
    """
    from dsdash.schema import COLUMN_LABELS, VALUE_LABELS, column_label, localised_names
    from dsdash.sources import cited

    df = localised_names(df)  # place names in the reader's language (issue 18); English: the table itself
    out = pd.DataFrame(index=df.index)
    names = [str(c) for c in df.columns]
    for i, name in enumerate(df.columns):
        s = df.iloc[:, i]
        key = str(name)
        if f"{key}_label" in names:  # the code's own label column says it in words
            continue
        shown_as = key[:-6] if key.endswith("_label") and (key[:-6] in names or key[:-6] in COLUMN_LABELS) else key
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype(object)
        if key in SOURCE_COLUMNS and _is_text(s):
            s = s.astype(object).map(lambda v: cited(v) if isinstance(v, str) else v)
        if pd.api.types.is_bool_dtype(s.dtype):
            yes, no = _("yes"), _("no")
            s = s.map(lambda v: UNKNOWN if pd.isna(v) else yes if v else no).astype(object)
        elif pd.api.types.is_datetime64_any_dtype(s.dtype):
            valid = s.dropna()
            if s.isna().any() or not (valid == valid.dt.normalize()).all():
                s = s.astype(object).map(lambda v: UNKNOWN if pd.isna(v) else _date_words(v))
        elif pd.api.types.is_numeric_dtype(s.dtype):
            if s.isna().any():
                s = s.astype(object).map(lambda v, o=key in ORDINAL_COLUMNS: _number_words(v, o))
        else:
            labels = VALUE_LABELS.get(key, {})
            s = s.astype(object).map(lambda v: UNKNOWN if v is None or v is pd.NA or v is pd.NaT
                                     or (isinstance(v, float) and v != v) or (isinstance(v, str) and not v.strip())
                                     else (_tr(labels[v]) if v in labels else v) if isinstance(v, str)
                                     else _date_words(v))
        base = _tr(SCREEN_LABELS[shown_as]) if shown_as in SCREEN_LABELS else column_label(shown_as)
        label, n = base, 2
        while label in out.columns:  # two columns of one label
            label, n = f"{base} ({n})", n + 1
        out[label] = s.to_numpy() if not isinstance(s.dtype, pd.api.extensions.ExtensionDtype) else s.array
    return out


def labelled_export(df: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """A table to download, for people and for machines: a source column is followed by
    its registry id and its citation (``source_id``, ``citation``; ``pop_source_id``,
    ``pop_citation`` after ``pop_source``); the header row is the
    column labels (:data:`dsdash.schema.COLUMN_LABELS`) while the cells keep the data's own
    values (codes, ISO dates, numbers), so a download can be loaded back. Returns the
    labelled frame and the machine names of its columns (for the HXL row).

    Examples:
        >>> t, names = labelled_export(pd.DataFrame({"site_id": ["ANB-01"], "source": ["seed 002_5d41127f29b6ae16.txt (DSTWG), row 1"]}))
        >>> list(t.columns), names
        (['Site ID', 'Source (as recorded)', 'Source ID', 'Source'], ['site_id', 'source', 'source_id', 'citation'])
        >>> t.iloc[0, 2:].tolist()
        ['dstwg-2020-12-09', 'DSTWG meeting, 9 December 2020 (slides; hotspots from the IOM DTM Return Index)']
    """
    from dsdash.schema import column_label
    from dsdash.sources import citation, source_id

    cols: dict[str, pd.Series] = {}
    for i, name in enumerate(df.columns):
        s = df.iloc[:, i]
        cols[str(name)] = s
        if str(name) in SOURCE_COLUMNS and _is_text(s) and "citation" not in df.columns:
            texts = s.astype(object)
            stem = "" if str(name) == "source" else str(name).removesuffix("source")
            cols[f"{stem}source_id"] = texts.map(lambda v: source_id(v) if isinstance(v, str) else None)
            cols[f"{stem}citation"] = texts.map(lambda v: citation(v) if isinstance(v, str) else None)
    names = list(cols)
    out = pd.DataFrame(cols, index=df.index)
    labels: list[str] = []
    for c in names:
        base, n = column_label(c), 2
        label = base
        while label in labels:  # two columns of one label: the header stays unambiguous
            label, n = f"{base} ({n})", n + 1
        labels.append(label)
    out.columns = labels
    return out, names

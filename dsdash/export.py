"""Exports users take away: CSV and Excel, with an optional HXL hashtag row.

Untrusted text never reaches a spreadsheet as a formula: a cell starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return is prefixed with an apostrophe
(OWASP's CSV-injection advice), in CSV, in XLSX, and in the tables shown on screen
(whose built-in grid download does not neutralise). Numbers stay numbers.
"""

from __future__ import annotations

import io

import pandas as pd

from dsdash.schema import TABLES

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> object:
    """Prefix a string that a spreadsheet would run as a formula with an apostrophe.

    Examples:
        >>> neutralise_cell("=HYPERLINK(\\"http://x\\")"), neutralise_cell("-12"), neutralise_cell(-12)
        ('\\'=HYPERLINK("http://x")', "'-12", -12)
        >>> neutralise_cell("Bzebiz - sector 1")
        'Bzebiz - sector 1'
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells (and column names) are neutralised; other dtypes untouched."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
            out[col] = s.map(neutralise_cell, na_action="ignore")
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def hxl_row(df: pd.DataFrame, table: str | None = None) -> list[str]:
    """HXL hashtags for ``df``'s columns, from the schema's specs (the named table first,
    then any table that knows the column); '' where none is known."""
    known: dict[str, str] = {}
    specs = ([TABLES[table]] if table in TABLES else []) + list(TABLES.values())
    for spec in specs:
        for c in spec.columns:
            if c.hxl and c.name not in known:
                known[c.name] = c.hxl
    return [known.get(str(c), "") for c in df.columns]


def to_csv_bytes(df: pd.DataFrame, *, hxl: bool = False, table: str | None = None) -> bytes:
    """UTF-8 CSV with a BOM (Excel opens Arabic correctly), CRLF line endings, every
    field with a CR or LF quoted, formulas neutralised, optional HXL row under the header."""
    out = neutralise_frame(df)
    buf = io.StringIO()
    if hxl:
        tags = pd.DataFrame([hxl_row(df, table)], columns=out.columns)
        out = pd.concat([tags, out.astype(object)], ignore_index=True)
    out.to_csv(buf, index=False, lineterminator="\r\n", date_format="%Y-%m-%d")
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx_bytes(sheets: dict[str, pd.DataFrame] | pd.DataFrame, *, hxl: bool = False,
                  table: str | None = None) -> bytes:
    """An Excel workbook, one sheet per table; text cells neutralised and written as
    text (never formulas); optional HXL row under the header."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING

    if isinstance(sheets, pd.DataFrame):
        sheets = {table or "data": sheets}
    wb = Workbook()
    wb.remove(wb.active)
    for name, df in sheets.items():
        ws = wb.create_sheet(title=_sheet_title(name))
        out = neutralise_frame(df)
        ws.append([str(c) for c in out.columns])
        if hxl:
            ws.append(hxl_row(df, table if len(sheets) == 1 else name))
        for row in out.itertuples(index=False, name=None):
            ws.append([_xlsx_value(v) for v in row])
        for r in ws.iter_rows(min_row=1):
            for cell in r:
                if isinstance(cell.value, str):
                    cell.data_type = TYPE_STRING
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _sheet_title(name: str) -> str:
    bad = '[]:*?/\\'
    t = "".join("_" if ch in bad else ch for ch in str(name))[:31]
    return t or "data"


def _xlsx_value(v: object) -> object:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime().date() if v == v.normalize() else v.to_pydatetime()
    if hasattr(v, "item") and not isinstance(v, str):
        return v.item()
    return v

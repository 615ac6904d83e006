"""Parsing numbers and dates as they come from Iraq: small functions, table-tested.

Numbers arrive with Arabic-Indic digits (``١٢٣``), Persian digits (``۱۲۳``), the Arabic
thousands separator (``٬``) and decimal separator (``٫``), Western thousands separators
(``1,590``), non-breaking spaces, or as text. Dates arrive as ISO, day/month/year,
month-year (``Apr-2024``), Excel serials, or "ongoing".

Each parser returns a value or raises :class:`ParseError` whose message says why, so
the caller can name the file, row and column.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re

import numpy as np
import pandas as pd


class ParseError(ValueError):
    """A value could not be read; the message says why, in words a user understands."""


_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u066c']")  # spaces, NBSP, thin, Arabic thousands, apostrophe


def is_blank(value: object) -> bool:
    """True for None, NaN, NaT, pd.NA and strings of whitespace (or a lone dash).

    Examples:
        >>> is_blank(None), is_blank(" "), is_blank(float("nan")), is_blank("-"), is_blank(0)
        (True, True, True, True, False)
    """
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() in ("", "-", "—", "–")
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def parse_number(value: object, *, integer: bool = False) -> tuple[float | int | None, str | None]:
    """Read a count or a measure. Returns ``(number, warning)``; blank gives ``(None, None)``.

    A warning is returned for values that were read but deserve a look, e.g. ``1.200``
    in an integer column (a thousands dot, or one point two?): it is read as 1200 and
    the warning says so.

    Examples:
        >>> parse_number("1,590", integer=True)
        (1590, None)
        >>> parse_number("١٬٥٩٠", integer=True)
        (1590, None)
        >>> parse_number("3.5")
        (3.5, None)
        >>> parse_number("1.200", integer=True)[0]
        1200
        >>> parse_number("12 households", integer=True)
        Traceback (most recent call last):
        ...
        dsdash.parse.ParseError: '12 households' is not a number
    """
    if is_blank(value):
        return None, None
    if isinstance(value, bool):
        raise ParseError(f"'{value}' is not a number")
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return (int(value), None)
    if isinstance(value, float):
        if math.isinf(value):
            raise ParseError(f"'{value}' is not a finite number")
        if integer:
            if value != int(value):
                raise ParseError(f"'{value}' is not a whole number")
            return int(value), None
        return value, None
    if isinstance(value, np.integer):
        return int(value), None
    if isinstance(value, np.floating):
        return parse_number(float(value), integer=integer)
    raw = str(value)
    s = raw.translate(_DIGITS).replace("\u066b", ".")
    s = _SPACES.sub("", s)
    neg = False
    if s.startswith("(") and s.endswith(")"):
        neg, s = True, s[1:-1]
    if s.startswith(("-", "\u2212")):
        neg, s = True, s[1:]
    elif s.startswith("+"):
        s = s[1:]
    warning = None
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", s):
        s = s.replace(",", "")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+,\d+", s):  # 1.234,5 (European)
        s = s.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", s):
        if integer:
            warning = f"'{raw}' read as {s.replace('.', '')} (dot taken as a thousands separator)"
            s = s.replace(".", "")
        elif re.fullmatch(r"\d{1,3}\.\d{3}", s):
            warning = f"'{raw}' is ambiguous (thousands separator or decimal point?); read as {s}"
    elif re.fullmatch(r"\d+,\d{1,2}", s):
        s = s.replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d+)?([eE][+-]?\d+)?", s):
        raise ParseError(f"'{raw}' is not a number")
    num = float(s)
    if neg:
        num = -num
    if integer:
        if num != int(num):
            raise ParseError(f"'{raw}' is not a whole number")
        return int(num), warning
    return num, warning


_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_name) if m})
_MONTHS["sept"] = 9
ONGOING_WORDS = {"ongoing", "on-going", "on going", "open", "continuing", "current", "present", "tbd", "n/a", "na"}
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _month_bound(year: int, month: int, role: str) -> dt.date:
    day = calendar.monthrange(year, month)[1] if role == "end" else 1
    return dt.date(year, month, day)


def parse_date(value: object, *, role: str = "point") -> dt.date | None:
    """Read a date. ``role`` decides what a month-only date means: "start" → first day,
    "end" or "point" → last day of the month. Blank and "ongoing" give None.

    Examples:
        >>> parse_date("2024-04-30"), parse_date("30/04/2024")
        (datetime.date(2024, 4, 30), datetime.date(2024, 4, 30))
        >>> parse_date("Apr-2024", role="end"), parse_date("April 2024", role="start")
        (datetime.date(2024, 4, 30), datetime.date(2024, 4, 1))
        >>> parse_date(45412), parse_date("ongoing")
        (datetime.date(2024, 4, 30), None)
        >>> parse_date("31/02/2024")
        Traceback (most recent call last):
        ...
        dsdash.parse.ParseError: '31/02/2024' is not a valid date (day is out of range for month)
    """
    if is_blank(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and (math.isnan(value) or value != int(value)):
            raise ParseError(f"'{value}' is not a date")
        n = int(value)
        if 20000 <= n <= 80000:  # Excel serial day numbers 1954-2119
            return _EXCEL_EPOCH + dt.timedelta(days=n)
        raise ParseError(f"'{value}' is not a date")
    raw = str(value)
    s = raw.translate(_DIGITS).strip()
    low = s.lower()
    if low in ONGOING_WORDS:
        return None
    try:
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?", s)
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", s)
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        m = re.fullmatch(r"(\d{4})[/\-](\d{1,2})", s)
        if m:
            return _month_bound(int(m.group(1)), int(m.group(2)), role)
        m = re.fullmatch(r"(\d{1,2})[/\-](\d{4})", s)
        if m:
            return _month_bound(int(m.group(2)), int(m.group(1)), role)
        m = re.fullmatch(r"([A-Za-z]+)\.?[\s\-/]*(\d{2}|\d{4})", s)
        if m and m.group(1).lower() in _MONTHS:
            y = int(m.group(2))
            y = y + 2000 if y < 100 else y
            return _month_bound(y, _MONTHS[m.group(1).lower()], role)
        m = re.fullmatch(r"(\d{1,2})[\s\-]([A-Za-z]+)\.?[\s\-,]*(\d{4})", s)
        if m and m.group(2).lower() in _MONTHS:
            return dt.date(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
        if re.fullmatch(r"\d{5}(\.0+)?", s):
            return parse_date(int(float(s)), role=role)
    except ValueError as exc:
        raise ParseError(f"'{raw}' is not a valid date ({exc})") from None
    raise ParseError(f"'{raw}' is not a date (expected e.g. 2024-04-30, 30/04/2024, Apr-2024 or 'ongoing')")

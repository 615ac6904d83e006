"""Parsing numbers and dates as they come from Iraq: small functions, table-tested.

Numbers arrive with Arabic-Indic digits (``١٢٣``), Persian digits (``۱۲۳``), the Arabic
thousands separator (``٬``) and decimal separator (``٫``), Western thousands separators
(``1,590``), non-breaking spaces, as ``14.0`` or ``1.4e1``, or as text. Dates arrive as
ISO, day/month/year (or month/day/year), ``Apr 30, 2019``, ``30-Apr-19``, ``20190430``,
month-year (``Apr-2024``), with Arabic month names (``نيسان``, ``أبريل``), Excel serials,
or "ongoing". Month names are read by python-dateutil inside our rules: a month alone means
its bounds, and a day/month order is never guessed silently (:func:`day_month_order`
decides a whole column and says how).

Each parser returns a value or raises :class:`ParseError` whose message says why, so
the caller can name the file, row and column. :func:`date_in_text` finds the date and the
DTM round a file name, a sheet name or title rows state.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from typing import NamedTuple

import numpy as np
import pandas as pd
from dateutil import parser as dateutil_parser

from dsdash.i18n import _, ngettext


class ParseError(ValueError):
    """A value could not be read; the message says why, in words a user understands."""


_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def ascii_digits(text: str) -> str:
    """Arabic-Indic and Persian digits as ASCII ones, the Arabic decimal separator (U+066B) as a dot.

    Examples:
        >>> ascii_digits("٤١٫٠٠٠ / ۲۰۲۴")
        '41.000 / 2024'
    """
    return text.translate(_DIGITS).replace("\u066b", ".")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u066c']")  # spaces, NBSP, thin, Arabic thousands, apostrophe
_QUOTES = "\"\u201c\u201d"


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


def parse_number(value: object, *, integer: bool = False, dot_decimal: bool = False
                 ) -> tuple[float | int | None, str | None]:
    """Read a count or a measure. Returns ``(number, warning)``; blank gives ``(None, None)``.

    A warning is returned for values that were read but deserve a look, e.g. ``1.200``
    in an integer column (a thousands dot, or one point two?): it is read as 1200 and
    the warning says so. ``dot_decimal``: the column is known to write decimals with a
    dot (:func:`dsdash.validate.dot_is_decimal`): ``41.000`` is then 41, as ``41.00`` is
    (``1.234`` stays 1234, with its warning: the one reading that gives a count).

    Examples:
        >>> parse_number("1,590", integer=True)
        (1590, None)
        >>> parse_number("١٬٥٩٠", integer=True)
        (1590, None)
        >>> parse_number("3.5"), parse_number("14.00", integer=True), parse_number("1.4e1", integer=True)
        ((3.5, None), (14, None), (14, None))
        >>> parse_number("36,594436"), parse_number("33,42")
        ((36.594436, None), (33.42, None))
        >>> parse_number("1.200", integer=True)[0], parse_number("41.000", integer=True, dot_decimal=True)
        (1200, (41, None))
        >>> parse_number("12 households", integer=True)
        Traceback (most recent call last):
        ...
        dsdash.parse.ParseError: '12 households' is not a number
        >>> parse_number("14.5", integer=True)
        Traceback (most recent call last):
        ...
        dsdash.parse.ParseError: '14.5' is not a whole number
    """
    if is_blank(value):
        return None, None
    if isinstance(value, bool):
        raise ParseError(_("'{value}' is not a number").format(value=value))
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return (int(value), None)
    if isinstance(value, float):
        if math.isinf(value):
            raise ParseError(_("'{value}' is not a finite number").format(value=value))
        if integer:
            return _whole(value, value)
        return value, None
    if isinstance(value, np.integer):
        return int(value), None
    if isinstance(value, np.floating):
        return parse_number(float(value), integer=integer)
    raw = str(value)
    s = ascii_digits(raw)
    s = _SPACES.sub("", s)
    if len(s) > 2 and s[0] in _QUOTES and s[-1] in _QUOTES:  # "1,234" with its CSV quotes kept
        s = s[1:-1]
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
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", s) and not (dot_decimal and _THREE_ZEROS.fullmatch(s)):
        if integer:
            warning = _("'{raw}' read as {number} (dot taken as a thousands separator)").format(
                raw=raw, number=s.replace(".", ""))
            s = s.replace(".", "")
        elif re.fullmatch(r"\d{1,3}\.\d{3}", s):
            warning = _("'{raw}' is ambiguous (thousands separator or decimal point?); read as {number}").format(
                raw=raw, number=s)
    elif re.fullmatch(r"\d+,(?:\d{1,2}|\d{4,})", s):  # 14,5 / 36,594436: a decimal comma (3 digits would group)
        s = s.replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d+)?([eE][+-]?\d+)?", s):
        raise ParseError(_("'{value}' is not a number").format(value=raw))
    num = float(s)
    if neg:
        num = -num
    if integer:
        whole, noise = _whole(num, raw)
        return whole, warning or noise
    return num, warning


#: ``41.000``: 41,000 with a thousands dot, or 41 written with three decimals ('%.3f')?
_THREE_ZEROS = re.compile(r"\d{1,3}\.000")


def _whole(num: float, raw: object) -> tuple[int, str | None]:
    """A count: ``num`` as a whole number. A value a spreadsheet's formula left a rounding error away from
    one (``14.000000000000002``, ``83.99999999999999``: within a billionth) is that number, with a warning;
    anything further off (``14.5``, ``14.01``) is not a count.

    Examples:
        >>> _whole(14.000000000000002, "14.000000000000002")
        (14, "'14.000000000000002' read as 14 (a rounding error of the spreadsheet)")
        >>> _whole(14.0, "14.0")
        (14, None)
    """
    near = round(num)
    if num == near:
        return int(near), None
    if abs(num - near) <= 1e-9 * max(1.0, abs(num)):
        return int(near), _("'{value}' read as {number} (a rounding error of the spreadsheet)").format(
            value=raw, number=int(near))
    raise ParseError(_("'{value}' is not a whole number").format(value=raw))


_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_name) if m})
_MONTHS["sept"] = 9
ONGOING_WORDS = {"ongoing", "on-going", "on going", "open", "continuing", "current", "present", "tbd", "n/a", "na"}
#: What a start or end cell may say instead of a date when the period has no end yet, or its end is not yet
#: decided (DESIGN §3: an empty end is "ongoing / not yet known"): read as no date, like ONGOING_WORDS.
#: Arabic words as :func:`_english` folds them (مستمرة، جارية، قيد التنفيذ، لا يوجد، غير محدد).
OPEN_END_WORDS = ONGOING_WORDS | {
    "open-ended", "open ended", "continuous", "continuing", "until further notice", "till further notice",
    "ongoing until further notice", "no end date", "no end", "indefinite", "tbc", "to be confirmed",
    "to be determined", "not yet known", "not decided", "not yet decided",
    "مستمر", "مستمرة", "مستمر حاليا", "جاري", "جارية", "جاري العمل", "قيد التنفيذ", "لا يوجد", "غير محدد",
}
#: Words before an end date that say "until" ('till Dec 2024', 'end of 2024', 'حتى نيسان 2024').
_UNTIL = re.compile(r"^(?:(?:until|till|til|to|by|up to|through|thru|ending|ends|end|expected|planned|tentatively|"
                    r"approx\.?|approximately|est\.?|estimated|by the|until the|till the|to the|the|end of|of|"
                    r"حتى|حتي|لغاية|الى|الي|لنهاية|بنهاية|نهاية)[\s,:]+)+", re.IGNORECASE)
#: Words after a date that say it is not firm ('Dec 2024 (tbc)', '31/12/2024 tentative'): the date is read.
_NOT_FIRM = re.compile(r"[\s,;:-]*(?:\([^()]*\)|\[[^\[\]]*\]|tbc|tbd|to be confirmed|tentative|tentatively|expected|"
                       r"estimated|est\.?|approx\.?|planned|provisional|subject to (?:funding|extension))\s*$",
                       re.IGNORECASE)
_YEAR_ONLY = re.compile(r"(?:fy|fiscal year|year|calendar year|cy)?[\s\-']*((?:19|20)\d{2})", re.IGNORECASE)
_FY_SHORT = re.compile(r"fy[\s\-']*(\d{2})", re.IGNORECASE)
_QUARTER = re.compile(r"q([1-4])[\s\-/,']*((?:19|20)\d{2}|\d{2})|((?:19|20)\d{2})[\s\-/,]*q([1-4])|"
                      r"([1-4])q[\s\-/,']*((?:19|20)\d{2})", re.IGNORECASE)
_HALF = re.compile(r"h([12])[\s\-/,']*((?:19|20)\d{2})|((?:19|20)\d{2})[\s\-/,]*h([12])", re.IGNORECASE)


def _period_bound(s: str, role: str) -> dt.date | None:
    """A year ('2024', 'FY2024', 'FY24'), a quarter ('Q4 2024', '2024 Q4') or a half ('H2 2024') as
    the first day (``role`` "start") or the last day ("end") of it; None for anything else.
    A fiscal year is read as the calendar year (Iraq's fiscal year is the calendar year)."""
    first = last = None
    if m := _YEAR_ONLY.fullmatch(s):
        y = int(m.group(1))
        first, last = (y, 1), (y, 12)
    elif m := _FY_SHORT.fullmatch(s):
        y = _year(int(m.group(1)))
        first, last = (y, 1), (y, 12)
    elif m := _QUARTER.fullmatch(s):
        q, y = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3)) if m.group(3) else (
            m.group(5), m.group(6))
        q, y = int(q), _year(int(y))
        first, last = (y, 3 * q - 2), (y, 3 * q)
    elif m := _HALF.fullmatch(s):
        h, y = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        h, y = int(h), int(y)
        first, last = (y, 6 * h - 5), (y, 6 * h)
    if first is None:
        return None
    return _month_bound(*first, "start") if role == "start" else _month_bound(*last, "end")


def _period_cell(s: str, raw: str, role: str, dayfirst: bool | None) -> tuple[bool, dt.date | None]:
    """A start or end cell written as people write periods: ``(read?, date or None)``.

    'till Dec 2024', 'end of 2024', 'Dec 2024 (tbc)', 'Q4 2024', 'FY2024', '2024' (a year alone: its
    last day as an end, its first as a start), 'Open-ended', 'مستمر', 'TBC' (an end not yet decided:
    no date, as DESIGN §3 reads an empty end)."""
    low = s.lower().strip()
    if low in OPEN_END_WORDS:
        return True, None
    t = s.strip()
    for _i in range(3):  # trailing qualifiers and leading "until" words, in any order
        u = _UNTIL.sub("", _NOT_FIRM.sub("", t)).strip()
        if u == t:
            break
        t = u
    if not t:
        return False, None
    if t.lower() in OPEN_END_WORDS:
        return True, None
    d = _period_bound(t, role)
    if d is not None:
        return True, d
    if t != s.strip():
        try:
            d = _read_date(t, raw, role, dayfirst)
        except (ParseError, ValueError, OverflowError):
            return False, None
        return d is not None, d
    return False, None
_EXCEL_EPOCH = dt.date(1899, 12, 30)

#: Arabic month names, as Iraq and the Levant write them and as Egypt and Modern Standard Arabic do
#: (spelled with bare alef: :func:`_fold_arabic` folds hamza forms before matching).
ARABIC_MONTHS = {
    "كانون الثاني": 1, "كانون ثاني": 1, "شباط": 2, "اذار": 3, "نيسان": 4, "ايار": 5, "حزيران": 6, "تموز": 7, "اب": 8,
    "ايلول": 9, "تشرين الاول": 10, "تشرين اول": 10, "تشرين الثاني": 11, "تشرين ثاني": 11, "كانون الاول": 12,
    "كانون اول": 12,
    "يناير": 1, "فبراير": 2, "مارس": 3, "ابريل": 4, "مايو": 5, "يونيو": 6, "يونيه": 6, "يوليو": 7, "يوليه": 7,
    "اغسطس": 8, "سبتمبر": 9, "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
}
_AR_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ـ": None, "،": ",", "\u200f": None,
                          "\u200e": None})
_AR_LETTER = "\u0621-\u064a\u0671-\u06d3"
_AR_MONTH_RE = re.compile(
    rf"(?<![{_AR_LETTER}])(" + "|".join(re.escape(k) for k in sorted(ARABIC_MONTHS, key=len, reverse=True))
    + rf")(?![{_AR_LETTER}])")
_AR_YEAR_MARK = re.compile(rf"(\d)\s*م(?![{_AR_LETTER}])")  # ٢٠٢٤م: the Gregorian year mark


def _english(text: str) -> str:
    """Digits made ASCII and Arabic month names made English (``نيسان ٢٠٢٤`` → ``Apr 2024``)."""
    s = text.translate(_DIGITS)
    if re.search(f"[{_AR_LETTER}]", s):
        s = s.translate(_AR_FOLD)
        s = _AR_MONTH_RE.sub(lambda m: f" {calendar.month_abbr[ARABIC_MONTHS[m.group(1)]]} ", s)
        s = _AR_YEAR_MARK.sub(r"\1", s)
        s = re.sub(r"\s+", " ", s)
    return s.strip()


def says_ongoing(text: str) -> bool:
    """Whether a date cell says the period has no end yet ("ongoing", "open" …): :func:`parse_date`
    reads it as None, not as a failure.

    Examples:
        >>> says_ongoing(" On-going "), says_ongoing("30/04/2024"), says_ongoing("مستمرة")
        (True, False, True)
        >>> says_ongoing("Until further notice"), says_ongoing("ongoing (until funding)"), says_ongoing("TBC")
        (True, True, True)
    """
    low = _english(text).lower().strip()
    if low in OPEN_END_WORDS:
        return True
    t = low
    for _i in range(3):
        u = _UNTIL.sub("", _NOT_FIRM.sub("", t)).strip()
        if u == t:
            break
        t = u
    return bool(t) and t in OPEN_END_WORDS


def _month_bound(year: int, month: int, role: str) -> dt.date:
    day = calendar.monthrange(year, month)[1] if role == "end" or role == "point" else 1
    return dt.date(year, month, day)


def _year(y: int) -> int:
    """Two-digit years: 00-69 are 2000-2069, 70-99 are 1970-1999 (fixed, not moving with today)."""
    return y if y >= 100 else (2000 + y if y < 70 else 1900 + y)


class AmbiguousDate(ParseError):
    """A date whose day and month could be either way round (``04/05/2024``), read with no order given."""


class _Info(dateutil_parser.parserinfo):
    def convertyear(self, year, century_specified=False):  # noqa: D102 (dateutil's hook)
        return year if century_specified else _year(year)


_DATEUTIL = dateutil_parser.parser(_Info())
_NO_YEAR = dt.datetime(1, 1, 1)
_TIME = re.compile(r"(?:[ T]|,\s*)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[ap]\.?m\.?)?(?:\s*(?:z|utc|[+-]\d{2}:?\d{2}))?$",
                   re.IGNORECASE)
_FILLER = {"st", "nd", "rd", "th", "of", "the", "on", "de"} | {d.lower() for d in calendar.day_name} | {
    d.lower() for d in calendar.day_abbr}


def _day_words(year: int, month: int, day: int) -> str:
    """A day in the reader's words, as the notes about day and month order write it: '4 May 2024'
    ('4 أيار 2024' in Arabic); the numbers as given when they make no date.

    Examples:
        >>> _day_words(2024, 5, 4)
        '4 May 2024'
    """
    try:
        d = dt.date(year, month, day)
    except ValueError:
        return f"{day} {calendar.month_name[month] if 1 <= month <= 12 else month} {year}"
    from dsdash.i18n import current

    if current() == "en":
        return f"{d.day} {calendar.month_name[d.month]} {d.year}"
    from dsdash.provenance import local_date

    return local_date(pd.Timestamp(d), "%d %B %Y")


def _day_month(a: int, b: int, dayfirst: bool | None, written: str, year: int) -> tuple[int, int]:
    """(day, month) of ``a``/``b``, written in that order: unambiguous when one is above 12 or both are
    equal; otherwise ``dayfirst`` decides, and without it :class:`AmbiguousDate` is raised."""
    if a > 12 or a == b:
        return a, b
    if b > 12:
        return b, a
    if dayfirst is None:
        raise AmbiguousDate(_("'{written}' is ambiguous: {one} or {other} (day or month first?)").format(
            written=written, one=_day_words(year, b, a), other=_day_words(year, a, b)))
    return (a, b) if dayfirst else (b, a)


def _serial(value: float) -> dt.date:
    if math.isnan(value) or math.isinf(value) or not 20000 <= value < 80001:  # Excel day numbers 1954-2119
        raise ParseError(_("'{value}' is not a date").format(value=value))
    return _EXCEL_EPOCH + dt.timedelta(days=int(value))


def parse_date(value: object, *, role: str = "point", dayfirst: bool | None = None) -> dt.date | None:
    """Read a date. ``role`` decides what a month-only date means: "start" → first day,
    "end" or "point" → last day of the month. Blank and "ongoing" give None.

    Numeric dates are read by our rules: year first is always year-month-day; ``30/04/2024`` can
    only be day first and ``04/30/2024`` only month first; ``04/05/2024`` could be either, and is
    read as ``dayfirst`` says. Without it, :class:`AmbiguousDate` is raised: never a silent
    guess (:func:`day_month_order` decides a whole column). Dates with month names (English, or
    Arabic as Iraq and Egypt write them) are read by python-dateutil. Excel serial day numbers
    (``45412``) are read too.

    Examples:
        >>> parse_date("2024-04-30"), parse_date("30/04/2024"), parse_date("Apr 30, 2019")
        (datetime.date(2024, 4, 30), datetime.date(2024, 4, 30), datetime.date(2019, 4, 30))
        >>> parse_date("Apr-2024", role="end"), parse_date("April 2024", role="start")
        (datetime.date(2024, 4, 30), datetime.date(2024, 4, 1))
        >>> parse_date("٣٠ نيسان ٢٠٢٤"), parse_date("30-Apr-19"), parse_date("20190430")
        (datetime.date(2024, 4, 30), datetime.date(2019, 4, 30), datetime.date(2019, 4, 30))
        >>> parse_date(45412), parse_date("ongoing")
        (datetime.date(2024, 4, 30), None)
        >>> [parse_date(v, role="end") for v in ("2024", "Q4 2024", "end of 2024", "till Dec 2024", "FY2024")]
        [datetime.date(2024, 12, 31), datetime.date(2024, 12, 31), datetime.date(2024, 12, 31), \
datetime.date(2024, 12, 31), datetime.date(2024, 12, 31)]
        >>> parse_date("Dec 2024 (tbc)", role="end"), parse_date("Q2 2024", role="start"), parse_date("مستمر", role="end")
        (datetime.date(2024, 12, 31), datetime.date(2024, 4, 1), None)
        >>> parse_date("04/05/2024", dayfirst=True), parse_date("04/05/2024", dayfirst=False)
        (datetime.date(2024, 5, 4), datetime.date(2024, 4, 5))
        >>> parse_date("04/05/2024")
        Traceback (most recent call last):
        ...
        dsdash.parse.AmbiguousDate: '04/05/2024' is ambiguous: 4 May 2024 or 5 April 2024 (day or month first?)
        >>> parse_date("31/02/2024")
        Traceback (most recent call last):
        ...
        dsdash.parse.ParseError: '31/02/2024' is not a valid date (day is out of range for month)
    """
    if is_blank(value):
        return None
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else pd.Timestamp(value).date()
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_)):
        if role in ("start", "end") and float(value) == int(value) and 1950 <= value <= 2100:
            return _period_bound(str(int(value)), role)  # a year typed as a number
        return _serial(float(value))
    raw = str(value)
    s = _english(raw)
    if s.lower() in ONGOING_WORDS:  # (says_ongoing)
        return None
    if role in ("start", "end"):  # periods as people write them: 'Q4 2024', 'till Dec 2024', 'مستمر' …
        read, d = _period_cell(s, raw, role, dayfirst)
        if read:
            return d
    try:
        d = _read_date(s, raw, role, dayfirst)
    except ParseError:
        raise
    except (ValueError, OverflowError) as exc:
        why = str(exc).split(":")[0]
        if why.startswith(("Unknown string format", "String does not contain")):
            d = None
        else:
            raise ParseError(_("'{value}' is not a valid date ({why})").format(value=raw, why=why)) from None
    if d is None:
        raise ParseError(_("'{value}' is not a date (expected e.g. 2024-04-30, 30/04/2024, Apr-2024 or 'ongoing')")
                         .format(value=raw))
    return d


def _read_date(s: str, raw: str, role: str, dayfirst: bool | None) -> dt.date | None:
    """:func:`parse_date` of a cleaned string; None when it is no date at all."""
    s = _TIME.sub("", s).strip()
    m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", s)
    if m:  # year first: always year-month-day (dateutil's dayfirst would read 2024/04/05 as 4 May)
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})", s)
    if m:
        y = _year(int(m.group(3)))
        day, month = _day_month(int(m.group(1)), int(m.group(2)), dayfirst, raw.strip(), y)
        return dt.date(y, month, day)
    m = re.fullmatch(r"((?:19|20)\d{2})(\d{2})(\d{2})", s)
    if m:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})", s) or re.fullmatch(r"(\d{1,2})[-/.](\d{4})", s)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        y, mo = (a, b) if a > 99 else (b, a)
        return _month_bound(y, mo, role)
    if re.fullmatch(r"\d{5}(?:\.\d+)?", s):
        return _serial(float(s))
    words = re.findall(r"[^\W\d_]+", s)
    months = [w for w in words if w.lower() in _MONTHS]
    if len(months) != 1 or any(w.lower() not in _FILLER and w.lower() not in _MONTHS for w in words):
        return None
    m = (re.fullmatch(r"([^\W\d_]+)\.?(?:[\s\-/,]*(\d{4})|[\-/']?(\d{2}))", s)
         or re.fullmatch(r"(\d{4})[\s\-/,]*([^\W\d_]+)\.?", s))
    if m:  # a month alone
        mon, y = (m.group(1), m.group(2) or m.group(3)) if not m.group(1).isdigit() else (m.group(2), m.group(1))
        return _month_bound(_year(int(y)), _MONTHS[mon.lower()], role)
    if len(re.findall(r"\d+", s)) != 2:
        return None
    got = _DATEUTIL.parse(s, default=_NO_YEAR, dayfirst=True)
    return None if got.year == 1 else got.date()


def ambiguous_day_month(text: object) -> bool:
    """True when ``text`` is a numeric date whose day and month could be either way round.

    Examples:
        >>> ambiguous_day_month("04/05/2024"), ambiguous_day_month("30/04/2024"), ambiguous_day_month("05/05/2024")
        (True, False, False)
    """
    m = _NUMERIC_DM.fullmatch(str(text).translate(_DIGITS))
    return bool(m) and int(m.group(1)) <= 12 and int(m.group(2)) <= 12 and m.group(1).lstrip("0") != m.group(
        2).lstrip("0")


_NUMERIC_DM = re.compile(r"\s*(\d{1,2})[-/.](\d{1,2})[-/.](?:\d{4}|\d{2})(?:[ T,].*)?\s*")


class DayMonthOrder(NamedTuple):
    """How a column's numeric dates are read (see :func:`day_month_order`)."""

    dayfirst: bool
    day_first: str | None  # a value only day first reads (30/04/2024), if any
    month_first: str | None  # a value only month first reads (04/30/2024), if any
    ambiguous: int  # cells either order reads (04/05/2024)
    example: str | None  # one of them

    @property
    def note(self) -> str | None:
        """What was decided, in words; None when no cell needed a decision."""
        if not self.ambiguous:
            return None
        d = parse_date(self.example, dayfirst=self.dayfirst)
        read = f"'{self.example}' = {_day_words(d.year, d.month, d.day)}"
        n = ngettext("{n:,} date", "{n:,} dates", self.ambiguous).format(n=self.ambiguous)
        if self.day_first and self.month_first:
            return _("dates are written both day first ('{day_first}') and month first ('{month_first}'); "
                     "{n} that could be either read day first ({read})").format(
                day_first=self.day_first, month_first=self.month_first, n=n, read=read)
        if self.month_first:
            return _("dates read month first, as '{example}' shows ({n} that could be either; {read})").format(
                example=self.month_first, n=n, read=read)
        if self.day_first:
            return _("dates read day first, as '{example}' shows ({n} that could be either; {read})").format(
                example=self.day_first, n=n, read=read)
        return _("{n} could be day or month first and none says which: read day first, as Iraq writes "
                 "dates ({read})").format(n=n, read=read)


def day_month_order(values, counts=None) -> DayMonthOrder:
    """Decide the day/month order of a whole column of dates (distinct ``values``, each seen
    ``counts`` times). A first number above 12 (``30/04/2024``) says day first; a second one
    (``04/30/2024``) says month first. When only month first is shown, the column is month
    first; otherwise (day first shown, both, or nothing decides) it is day first, as Iraq
    writes dates. :attr:`DayMonthOrder.note` says what was decided.

    Examples:
        >>> o = day_month_order(["04/30/2019", "04/05/2019", "2019-05-01"])
        >>> o.dayfirst, o.note
        (False, "dates read month first, as '04/30/2019' shows (1 date that could be either; '04/05/2019' = 5 April 2019)")
        >>> day_month_order(["04/05/2019", "06/07/2019"], [10, 5]).note
        "15 dates could be day or month first and none says which: read day first, as Iraq writes dates ('04/05/2019' = 4 May 2019)"
        >>> day_month_order(["30/04/2019", "Apr 30, 2019"]).note is None
        True
    """
    day_first = month_first = example = None
    ambiguous = 0
    for k, v in enumerate(values):
        if not isinstance(v, str):
            continue
        m = _NUMERIC_DM.fullmatch(v.translate(_DIGITS))
        if not m:
            continue
        a, b = int(m.group(1)), int(m.group(2))
        if a > 12 and b <= 12:
            day_first = day_first or v.strip()
        elif b > 12 and a <= 12:
            month_first = month_first or v.strip()
        elif a != b and a <= 12 and b <= 12:
            ambiguous += 1 if counts is None else int(counts[k])
            example = example or v.strip()
    return DayMonthOrder(not (month_first and not day_first), day_first, month_first, ambiguous, example)


# --------------------------------------------------------------------------- dates in free text

class TextDate(NamedTuple):
    """A date and a DTM round found in free text (:func:`date_in_text`)."""

    date: dt.date | None
    round: int | None
    written: str | None  # the words the date was read from
    note: str | None  # how an ambiguous day/month order was read


_MON = (r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
        r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\.?")
_YEAR4 = r"(?P<y>(?:19|20)\d{2})(?!\d)"
_ROUND = re.compile(r"(?<![a-z])(?:round|rnd|r|الجولة|جولة)[\s_\-#.:]*(\d{1,3})(?!\d)", re.IGNORECASE)
#: (pattern, what it holds), strongest first.
_TEXT_DATES = [(re.compile(p, re.IGNORECASE), kind) for p, kind in (
    (r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<s>[-_./])(?P<a>\d{1,2})(?P=s)(?P<b>\d{1,2})(?!\d)", "ymd"),
    (r"(?<!\d)(?P<a>\d{1,2})(?P<s>[-_./])(?P<b>\d{1,2})(?P=s)" + _YEAR4, "numeric"),
    (r"(?<![a-z\d])(?P<d>\d{1,2})(?:st|nd|rd|th)?[\s_\-/.,]*" + _MON + r"[\s_\-/.,]*(?P<y>(?:19|20)\d{2}|\d{2})(?!\d)",
     "day"),
    (_MON + r"[\s_\-/.]*(?P<d>\d{1,2})(?:st|nd|rd|th)?(?!\d)[\s_\-/.,]+" + _YEAR4, "day"),
    (r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<a>\d{2})(?P<b>\d{2})(?!\d)", "ymd"),
    (r"(?<![a-z])" + _MON + r"[\s_\-/.,]*(?P<y>(?:19|20)\d{2}|\d{2})(?!\d)", "month"),
)]


def round_number(text: object) -> int | None:
    """The DTM round a cell of a round column states, in the words title rows use: ``Round 110``,
    ``R110``, ``Rnd 7``, ``الجولة ١١٠``; None for anything else (a bare number is the number column's own
    business, read as a count).

    Examples:
        >>> round_number("Round 110"), round_number("R132"), round_number("الجولة ١١٠"), round_number("round #7")
        (110, 132, 110, 7)
        >>> round_number("110"), round_number("Round 110 - Apr 2019"), round_number("Total"), round_number(None)
        (None, None, None, None)
    """
    if not isinstance(text, str):
        return None
    m = _ROUND.fullmatch(_english(text).strip())  # the title rows' words for a round, the whole cell
    return int(m.group(1)) if m and int(m.group(1)) > 0 else None


def date_in_text(text: object) -> TextDate:
    """The date and the DTM round a file name, a sheet name or title rows state.

    A month alone means its last day (as the data's dates stated as a month are stored). The
    round is ``Round 119``, ``R132``, ``Rnd 7`` or ``الجولة 119``. A numeric date whose day and
    month could be either way round is read day first, and ``note`` says so.

    Examples:
        >>> date_in_text("Iraq_DTM_IOMApr 30, 2019.csv")
        TextDate(date=datetime.date(2019, 4, 30), round=None, written='Apr 30, 2019', note=None)
        >>> date_in_text("IDP Master List - Round 119 - Dec 2020")[:2]
        (datetime.date(2020, 12, 31), 119)
        >>> date_in_text("DTM_R132_Apr2024.xlsx")[:2], date_in_text("ML_R130_2023-07-31.csv")[:2]
        ((datetime.date(2024, 4, 30), 132), (datetime.date(2023, 7, 31), 130))
        >>> date_in_text("نيسان 2024").date, date_in_text("الجولة ١٣٢ - أبريل ٢٠٢٤")[:2]
        (datetime.date(2024, 4, 30), (datetime.date(2024, 4, 30), 132))
        >>> date_in_text("IDP_Master_List_31_Dec_2023").date, date_in_text("data_Aug23.xlsx").date
        (datetime.date(2023, 12, 31), datetime.date(2023, 8, 31))
        >>> date_in_text("ML_04.05.2019.csv").note
        "'04.05.2019' could be 4 May 2019 or 5 April 2019: read day first (4 May 2019)"
        >>> date_in_text("master_list.csv")
        TextDate(date=None, round=None, written=None, note=None)
    """
    if text is None or (not isinstance(text, str) and is_blank(text)):
        return TextDate(None, None, None, None)
    s = _english(str(text))
    rnd = None
    m = _ROUND.search(s)
    if m and int(m.group(1)) > 0:
        rnd = int(m.group(1))
        s = s[:m.start()] + " " + s[m.end():]
    for pattern, kind in _TEXT_DATES:
        for m in pattern.finditer(s):
            g = m.groupdict()
            note = None
            try:
                y = _year(int(g["y"]))
                if kind == "ymd":
                    d = dt.date(y, int(g["a"]), int(g["b"]))
                elif kind == "numeric":
                    a, b = int(g["a"]), int(g["b"])
                    day, month = _day_month(a, b, True, m.group(0), y)
                    d = dt.date(y, month, day)
                    if ambiguous_day_month(m.group(0)):
                        note = _("'{written}' could be {one} or {other}: read day first ({read})").format(
                            written=m.group(0), one=_day_words(y, b, a),
                            other=_day_words(y, a, b), read=_day_words(d.year, d.month, d.day))
                elif kind == "day":
                    d = dt.date(y, _MONTHS[g["mon"].lower()], int(g["d"]))
                else:
                    d = _month_bound(y, _MONTHS[g["mon"].lower()], "end")
            except ValueError:
                continue
            return TextDate(d, rnd, m.group(0).strip(" _-,."), note)
    return TextDate(None, rnd, None, None)

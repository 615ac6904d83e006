"""FVM statistics (facilitated voluntary movements) and movement tables into tidy rows.

Where the data comes from: IOM's FVM programme tables, as in seed ``004_…`` ("HHs
registered at help desks", "HHs who have returned", … by period: 2020-2021, 2022, 2023
until 30 April), either as periods × indicators (the report's layout, either way round)
or already tidy (indicator, period, value). Movements: origin → destination tables with
households and individuals (e.g. DTM emergency tracking), where the data has them.

Caveats: a period label such as ``2023 (until 30 April)`` means 1 Jan to 30 Apr 2023;
``2020-2021`` the two years; a month (``Apr-2023``) the month. Unknown indicators are
rejected with the closest known ones; values are households unless a unit column says
otherwise.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from dsdash.i18n import N_, _
from dsdash.importers.common import EMPTY_CELLS, blank_rows, closest, governorate_codes
from dsdash.importers.detect import Header, header_key
from dsdash.importers.readers import RawTable
from dsdash.parse import ParseError, is_blank, parse_date, parse_number
from dsdash.schema import FVM, FVM_INDICATORS, MOVEMENTS, LoadReport, Problem, normalise_text
from dsdash.validate import as_text, check_table, coerce

#: Kind names (the reports' kinds).
KIND = "fvm"
MOVEMENTS_KIND = "movements"

_KEYWORDS = [
    ("regist", "registered_help_desk"), ("help desk", "registered_help_desk"), ("relocat", "relocated"),
    ("returned", "returned"), ("cash", "cash_grants"), ("livelihood", "livelihoods_support"),
    ("housing", "housing_repairs_completed"), ("repair", "housing_repairs_completed"),
    ("facilitat", "facilitated_total"),
]


def fvm_indicator(label: object) -> str | None:
    """Our indicator code of an FVM row label.

    Examples:
        >>> fvm_indicator("HHs registered at help desks"), fvm_indicator("Cash grants distributed")
        ('registered_help_desk', 'cash_grants')
        >>> fvm_indicator("relocated"), fvm_indicator("Number of goats") is None
        ('relocated', True)
    """
    t = normalise_text(label)
    if not t:
        return None
    if t in FVM_INDICATORS:
        return t
    for code, lab in FVM_INDICATORS.items():
        if t == normalise_text(lab):
            return code
    for word, code in _KEYWORDS:
        if word in t:
            return code
    return None


def _month_end(y: int, m: int) -> dt.date:
    return (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1))


def _year(text: str) -> int:
    """A year as written: ``2023``, or two digits (``23`` → 2023)."""
    y = int(text)
    return 2000 + y if y < 100 else y


#: Arabic ordinals of a quarter or a half year (hamza folded: الأول → الاول).
_AR_ORDINALS = {"الاول": 1, "الثاني": 2, "الثالث": 3, "الرابع": 4}


def _arabic_part(s: str) -> tuple[dt.date, dt.date] | None:
    """A quarter or half year written in Arabic: ``الربع الرابع 2023`` (Q4 2023), ``النصف الأول 2024`` (H1 2024)."""
    t = re.sub("[أإآ]", "ا", s.strip())
    m = re.fullmatch(r"(الربع|ربع|النصف|نصف)\s+(\S+)\s*(?:من|عام|لعام|من عام|سنة|لسنة)?\s*[-/ ]?\s*(\d{4}|\d{2})", t)
    if not m or m.group(2) not in _AR_ORDINALS:
        return None
    months = 3 if "ربع" in m.group(1) else 6
    n, y = _AR_ORDINALS[m.group(2)], _year(m.group(3))
    if n > 12 // months:
        return None
    return dt.date(y, months * (n - 1) + 1, 1), _month_end(y, months * n)


def parse_period(label: object) -> tuple[dt.date | None, dt.date]:
    """``(start, end)`` of a period label.

    Examples:
        >>> parse_period("2020-2021")
        (datetime.date(2020, 1, 1), datetime.date(2021, 12, 31))
        >>> parse_period("2023 (until 30 April)")
        (datetime.date(2023, 1, 1), datetime.date(2023, 4, 30))
        >>> parse_period("Apr-2023"), parse_period(2022)
        ((datetime.date(2023, 4, 1), datetime.date(2023, 4, 30)), (datetime.date(2022, 1, 1), datetime.date(2022, 12, 31)))
        >>> parse_period("Q1 2023"), parse_period("Jan-Mar 2023")
        ((datetime.date(2023, 1, 1), datetime.date(2023, 3, 31)), (datetime.date(2023, 1, 1), datetime.date(2023, 3, 31)))
        >>> parse_period("2023 Q4")[1], parse_period("H1 2023")[1], parse_period("Jan 2023 - Jun 2023")[1]
        (datetime.date(2023, 12, 31), datetime.date(2023, 6, 30), datetime.date(2023, 6, 30))
    """
    s = str(label).strip()
    if re.fullmatch(r"\d{4}(\.0)?", s):
        y = int(float(s))
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    m = re.fullmatch(r"(\d{4})\s*[-–/]\s*(\d{4})", s)
    if m:
        return dt.date(int(m.group(1)), 1, 1), dt.date(int(m.group(2)), 12, 31)
    m = re.fullmatch(r"(\d{4})\s*\(?\s*(?:until|to|up to|till|as of)\s+([^)]+?)\s*\)?", s, re.IGNORECASE)
    if m:
        y = int(m.group(1))
        end = parse_date(f"{m.group(2)} {y}" if not re.search(r"\d{4}", m.group(2)) else m.group(2), role="end")
        return dt.date(y, 1, 1), end
    # a quarter or a half year: Q1 2023, 2023 Q1, Q1-2023, Q1-23, Q4/2023, H1 2023, Quarter 1 2023, الربع الأول 2024
    quarter = _arabic_part(s)
    if quarter is not None:
        return quarter
    for letter, months in (("q|quarter", 3), ("h|half", 6)):
        m = re.fullmatch(rf"(?:{letter})\s*([1-4])\s*[-/ ']?\s*(\d{{4}}|\d{{2}})|(\d{{4}})\s*[-/ ]?\s*(?:{letter})\s*([1-4])", s,
                         re.IGNORECASE)
        if m and int(m.group(1) or m.group(4)) <= 12 // months:
            n, y = int(m.group(1) or m.group(4)), _year(m.group(2) or m.group(3))
            return dt.date(y, months * (n - 1) + 1, 1), _month_end(y, months * n)
    try:
        start, end = parse_date(s, role="start"), parse_date(s, role="end")
    except (ParseError, ValueError):
        start = end = None
    if end is not None:
        return (start if start != end else None), end
    # a range of months: Jan-Mar 2023, January to March 2023, Jan 2023 - Jun 2023
    m = re.fullmatch(r"(.+?)\s*(?:[-–—]|\bto\b|\buntil\b)\s*(.+)", s, re.IGNORECASE)
    if m:
        a, b = m.group(1).strip(), m.group(2).strip()
        short = re.fullmatch(r"(\D*?[^\W\d_])\s*[-/ ']\s*(\d{2})", b)  # Jan-Mar 23: a two-digit year
        if short and not re.search(r"\d", a):
            b = f"{short.group(1)} {_year(short.group(2))}"
        year = re.search(r"\d{4}", b)
        if year and not re.search(r"\d{4}", a):
            a = f"{a} {year.group(0)}"
        try:
            start, end = parse_date(a, role="start"), parse_date(b, role="end")
        except (ParseError, ValueError):
            start = end = None
        if start is not None and end is not None and start <= end:
            return start, end
    raise ParseError(_("'{value}' is not a period (expected e.g. 2022, 2020-2021, 2023 (until 30 April), Apr-2023, "
                       "Q1 2023, Jan-Mar 2023)").format(value=s))


#: Words of a totals row or column (as in :mod:`dsdash.importers.dtm`).
_TOTAL_WORDS = {"total", "totals", "grand total", "sum", "المجموع", "الاجمالي", "الإجمالي", "المجموع الكلي"}
#: Headers of a remarks column in a wide table (its text becomes the note of the row's figures).
_REMARK_WORDS = {"remarks", "remark", "notes", "note", "comments", "comment", "ملاحظات", "ملاحظة"}
#: Headers of a unit column in a wide table (its cell says the row's unit: households, individuals).
_UNIT_WORDS = {"unit", "units", "unit of measure", "unit of measurement", "measure", "الوحدة", "وحدة", "وحدة القياس"}
#: Cells that say there is no figure (not a zero, not an error).
_NO_FIGURE = {"n/a", "na", "n.a.", "n.a", "n.a", "not available", "not applicable", "#n/a", "..", "...", "…",
              "غير متوفر", "لا ينطبق"}
#: A footnote mark after a number or a label: 2,042* / 550** / Cash grants distributed*.
_MARKED = re.compile(r"(.*?\S)\s*(\*+|†+|‡+)")
#: A footnote row: the mark first, then its text ("* Households who departed …").
_FOOTNOTE = re.compile(r"(\*+|†+|‡+)\s*(\S.*)", re.DOTALL)
#: Units as written → ours (the funnel counts households; other units are kept and shown apart).
_UNITS = {
    "households": "households", "household": "households", "hhs": "households", "hh": "households",
    "families": "households", "family": "households", "أسر": "households", "اسر": "households",
    "عائلات": "households", "العوائل": "households", "عوائل": "households",
    "individuals": "individuals", "individual": "individuals", "persons": "individuals", "people": "individuals",
    "ind": "individuals", "inds": "individuals", "أفراد": "individuals", "افراد": "individuals",
    "أشخاص": "individuals", "اشخاص": "individuals",
}


#: The units' words as shown in messages (a unit written otherwise is shown as written).
_UNIT_LABELS = {"households": N_("households"), "individuals": N_("individuals")}


def _unit_label(unit: str) -> str:
    return _(_UNIT_LABELS[unit]) if unit in _UNIT_LABELS else str(unit)


def _is_total_word(v: object) -> bool:
    return not is_blank(v) and normalise_text(v).strip(" :") in _TOTAL_WORDS


def find_fvm_wide(frame: pd.DataFrame) -> Header | None:
    """Periods × indicators (or indicators × periods): a block whose row or column labels
    are FVM indicators.

    A title row above the table that names an indicator ("IOM Iraq - Facilitated Voluntary
    Movements (FVM) …") is not the table: the header is the first row with periods across
    that has at least two indicator rows below it. A "Total" column is recognised
    (``columns["total"]``), not a period; a "Remarks" column too (``columns["remarks"]``).
    """
    top = frame.head(60)
    ncol = top.shape[1]
    # indicators down one of the first text columns, periods across a header row above them
    for j in range(min(3, ncol)):
        hits = [i for i in range(len(top)) if fvm_indicator(_split_mark(top.iat[i, j])[0])]
        if not hits:
            continue
        for h in range(hits[-1]):
            periods = {k: top.iat[h, k] for k in range(j + 1, ncol) if _is_period(top.iat[h, k])}
            below = sum(i > h for i in hits)
            # one indicator row is a table when at least two periods head it (a title row is not)
            if not periods or below < 1 or (below == 1 and len(periods) < 2):
                continue
            columns = {"indicator": j, **{f"period:{k}": k for k in periods}}
            labels = {f"period:{k}": str(v).strip() for k, v in periods.items()}
            for k in range(j + 1, ncol):
                cell = top.iat[h, k]
                if k in periods or is_blank(cell):
                    continue
                if _is_total_word(cell) and "total" not in columns:
                    columns["total"], labels["total"] = k, str(cell).strip()
                elif normalise_text(cell).strip(" :") in _REMARK_WORDS and "remarks" not in columns:
                    columns["remarks"], labels["remarks"] = k, str(cell).strip()
                elif normalise_text(cell).strip(" :") in _UNIT_WORDS and "unit" not in columns:
                    columns["unit"], labels["unit"] = k, str(cell).strip()
            return Header("fvm_wide", h, columns, labels, len(periods))
    # indicators across a header row, periods down the first column
    for i in range(len(top)):
        cols = {k: top.iat[i, k] for k in range(top.shape[1]) if fvm_indicator(top.iat[i, k])}
        if len(cols) >= 2:
            return Header("fvm_t", i, {f"ind:{k}": k for k in cols}, {f"ind:{k}": str(v).strip() for k, v in cols.items()},
                          len(cols))
    return None


def _is_period(v: object) -> bool:
    if v is None or (isinstance(v, float) and v != v) or not str(v).strip():
        return False
    try:
        parse_period(v)
        return True
    except (ParseError, ValueError):
        return False


def _split_mark(v: object) -> tuple[object, str]:
    """A label or cell and its footnote mark: ``("2,042", "*")`` for ``2,042*``."""
    if isinstance(v, str):
        m = _MARKED.fullmatch(v.strip())
        if m:
            return m.group(1), m.group(2)
    return v, ""


def _read_value(cell: object) -> tuple[str, int | None, str | None, str]:
    """One figure's cell: ``(what, value, message, footnote mark)``; what is "blank", "none" (the
    cell says there is no figure: n/a), "ok" (message: a warning, if any) or "bad" (message: why)."""
    if not isinstance(cell, str) and is_blank(cell):
        return "blank", None, None, ""
    text = str(cell).strip()
    if normalise_text(text) in _NO_FIGURE:
        return "none", None, None, ""
    if is_blank(text) or text in EMPTY_CELLS:
        return "blank", None, None, ""
    number, mark = _split_mark(cell)
    try:
        value, warning = parse_number(number, integer=True)
    except ParseError as exc:
        return "bad", None, str(exc), mark
    if value is None:
        return "blank", None, None, mark
    if value < 0:
        return "bad", None, _("'{value}' is negative (a count cannot be negative)").format(value=text), mark
    return "ok", int(value), warning, mark


def _unit(cell: object, label: object) -> tuple[str, str | None]:
    """Our unit of a figure: the unit column's cell, else what the indicator's label says
    (individuals/persons), else households. Returns ``(unit, warning)``."""
    if not is_blank(cell) and str(cell).strip() not in EMPTY_CELLS:
        t = normalise_text(cell).strip(" .")
        if t in _UNITS:
            return _UNITS[t], None
        return str(cell).strip(), _("unit '{unit}' is not households or individuals: kept as written, and its "
                                    "figures are shown apart (the funnel counts households)").format(unit=str(cell).strip())
    words = set(re.findall(r"\w+", normalise_text(label)))
    if words & {"individuals", "individual", "persons", "people", "ind", "inds", "أفراد", "افراد", "أشخاص"}:
        return "individuals", None
    return "households", None


def import_fvm(raw: RawTable, header: Header, *, file: str) -> tuple[dict[str, pd.DataFrame], LoadReport]:
    """FVM table (wide either way, or tidy with indicator/value/period columns) → ``fvm``.

    Each figure keeps its unit (households unless a unit column, or the indicator's label,
    says individuals) and its governorate (tidy tables' Governorate column). In a wide table
    a bad cell costs that figure only: the row's other figures are kept, with a warning on
    the cell ('2,042*' is read as 2,042, its footnote kept as the figure's note; 'n/a' is no
    figure). A "Total" column is checked against the row's figures, a totals row against the
    columns, and neither is counted. Footnote rows ("* Households who …") and other rows of
    text only are kept as notes of the report and the figures they mark; they are not data
    rows, so they are neither accepted nor rejected (rows in = accepted + rejected counts the
    indicator rows).
    """
    sheet = raw.sheet
    rep = LoadReport(file=file, kind=KIND, encoding=raw.encoding, sheet=sheet)
    if header.kind not in ("fvm_wide", "fvm_t") and not {"period_label", "period_start", "period_end"} & set(
            header.columns):
        wide = find_fvm_wide(raw.frame)  # periods across with a "Total" column: the header matched Total as values
        if wide is not None:
            header = wide
    body = raw.frame.iloc[header.row + 1 + (1 if header.hxl_row is not None else 0):]
    body = body[~blank_rows(body)]
    where = f"{file}{f' sheet {sheet}' if sheet else ''}"
    c = header.columns

    def head(j: int, default: str) -> str:
        v = raw.frame.iat[header.row, j]
        return default if is_blank(v) else str(v).strip()

    # a wide table's columns we do not read are named (never dropped silently); one with figures costs a warning
    if header.kind in ("fvm_wide", "fvm_t"):
        used = set(c.values()) | ({0} if header.kind == "fvm_t" else set())
        unused = []
        for k in range(raw.frame.shape[1]):
            if k in used:
                continue
            cell = raw.frame.iat[header.row, k]
            filled = [v for v in body[k] if not is_blank(v) and str(v).strip() not in EMPTY_CELLS]
            if is_blank(cell) and not filled:
                continue
            name = _("column {n}").format(n=k + 1) if is_blank(cell) else str(cell).strip()
            unused.append(f"'{name}'")
            if header.kind == "fvm_wide" and k < c["indicator"] or _is_total_word(cell):
                continue  # labels before the indicators (a row number, a code); a totals column (fvm_t)
            if any(_read_value(v)[0] == "ok" for v in filled):
                rep.problems.append(Problem(file, (_(
                    "column '{column}' has figures but its header is neither a period we can read (e.g. 2023, Q1 2023, "
                    "Q1-23, Jan-Mar 2023, 2023 (until 30 April)), a unit, remarks nor a total: its figures are not "
                    "counted") if header.kind == "fvm_wide" else _(
                    "column '{column}' has figures but is not an FVM indicator we know: its figures are not counted"))
                    .format(column=name), header.row + 1, name, sheet, "warning"))
        if unused:
            rep.notes.append(_("columns not used: {columns}").format(columns=", ".join(unused)))
    # each data row: (file row, row label, [(indicator, period, value, unit, admin1, column label)], total, remark)
    rows: list[tuple[int, object, list[tuple], object, object]] = []
    if header.kind == "fvm_wide":
        j = c["indicator"]
        ind_col, per_col = head(j, "indicator"), None
        for r, row in zip(body.index, body.itertuples(index=False)):
            unit_cell = row[c["unit"]] if "unit" in c else None
            cells = [(row[j], header.labels[key], row[k], unit_cell, None, header.labels[key])
                     for key, k in c.items() if key.startswith("period:")]
            rows.append((r + 1, row[j], cells, row[c["total"]] if "total" in c else None,
                         row[c["remarks"]] if "remarks" in c else None))
    elif header.kind == "fvm_t":
        ind_col, per_col = None, head(0, "period")
        for r, row in zip(body.index, body.itertuples(index=False)):
            cells = [(header.labels[key], row[0], row[k], None, None, header.labels[key])
                     for key, k in c.items() if key.startswith("ind:")]
            rows.append((r + 1, row[0], cells, None, None))
    else:  # tidy
        ind_col = header.labels.get("indicator", "indicator")
        per_col = header.labels.get("period_label") or header.labels.get("period_end") or header.labels.get(
            "period_start", "period")
        for r, row in zip(body.index, body.itertuples(index=False)):
            if "period_label" in c:
                per = row[c["period_label"]]
            elif "period_start" in c and "period_end" in c:
                per = (row[c["period_start"]], row[c["period_end"]])
            else:
                per = row[c["period_end"]] if "period_end" in c else (row[c["period_start"]] if "period_start" in c
                                                                      else None)
            cells = [(row[c["indicator"]], per, row[c["value"]], row[c["unit"]] if "unit" in c else None,
                      row[c["admin1"]] if "admin1" in c else None, header.labels.get("value", "value"))]
            rows.append((r + 1, row[c["indicator"]], cells, None, None))

    def blank(v: object) -> bool:
        return is_blank(v) or (isinstance(v, str) and v.strip() in EMPTY_CELLS and normalise_text(v) not in _NO_FIGURE)

    # footnotes first: a row of text only that starts with a mark; its text becomes the note of the figures it marks
    footnotes: dict[str, str] = {}
    kinds: dict[int, str] = {}  # file row → "footnote", "text", "total"
    for rr, label, cells, total, _remark in rows:
        if _is_total_word(label):
            kinds[rr] = "total"
        elif all(blank(cell[2]) for cell in cells) and blank(total) and not blank(label) and (
                header.kind != "fvm" or all(blank(x) for cell in cells for x in (cell[1], cell[3], cell[4])
                                            if not isinstance(x, tuple))):
            text = str(label).strip()
            m = _FOOTNOTE.fullmatch(text)
            if m:
                footnotes.setdefault(m.group(1), text)
                kinds[rr] = "footnote"
            elif fvm_indicator(_split_mark(label)[0]) is None:
                kinds[rr] = "text"
    for rr, label, _cells, _total, _remark in rows:
        if kinds.get(rr) == "footnote":
            rep.notes.append(_("row {row} is a footnote, kept as a note (not a data row): {text}").format(
                row=rr, text=str(label).strip()))
        elif kinds.get(rr) == "text":
            rep.notes.append(_("row {row} has text and no figures, kept as a note (not a data row): {text}").format(
                row=rr, text=str(label).strip()))

    out_rows: list[dict] = []
    seen: dict[tuple, tuple[int, int]] = {}  # figure key → (file row, value)
    accepted: list[int] = []
    rejected: list[int] = []
    totals: list[tuple[int, object, list[tuple]]] = []
    for rr, label, cells, total, remark in rows:
        kind = kinds.get(rr)
        if kind in ("footnote", "text"):
            continue
        if kind == "total":
            totals.append((rr, total, cells))
            continue
        figs: list[dict] = []
        fails: list[tuple[str, str]] = []  # (column, reason): a figure not counted
        hard: list[tuple[str, str]] = []  # (column, reason): the whole row fails (its indicator or period)
        notes: list[tuple[str, str]] = []  # (column, warning)
        all_read = True
        for ind, per, val, unit_cell, admin, col in cells:
            ind_text, ind_mark = _split_mark(ind)
            what, value, msg, mark = _read_value(val)
            if what == "blank":
                all_read = False
                continue
            code = fvm_indicator(ind_text)
            if blank(ind_text):
                hard.append((ind_col if ind_col is not None else col, _("value is empty but required")))
                break
            if code is None:
                sugg = closest(str(ind_text), [normalise_text(v) for v in FVM_INDICATORS.values()])
                reason = _("'{value}' is not an FVM indicator we know").format(value=ind) + (
                    _(" (closest: {names})").format(names="; ".join(sugg)) if sugg else "")
                hard.append((ind_col if ind_col is not None else col, reason))
                break
            try:
                if isinstance(per, tuple):
                    start, end = parse_date(per[0], role="start"), parse_date(per[1], role="end")
                    if end is None:
                        raise ParseError(_("value is empty but required"))
                    per_label = f"{str(per[0]).strip()} – {str(per[1]).strip()}" if start else str(per[1]).strip()
                else:
                    if blank(per):
                        raise ParseError(_("value is empty but required"))
                    start, end = parse_period(per)
                    per_label = str(per).strip()
            except (ParseError, ValueError) as exc:
                hard.append((per_col or col, str(exc)))
                break
            if what == "none":
                all_read = False
                notes.append((col, _("'{value}': no figure for {period}").format(value=str(val).strip(),
                                                                                period=per_label)))
                continue
            if what == "bad":
                all_read = False
                fails.append((col, msg))
                continue
            if msg:
                notes.append((col, msg))
            unit, unit_warning = _unit(unit_cell, ind_text)
            if unit_warning:
                notes.append((header.labels.get("unit", "unit"), unit_warning))
            code1 = None
            if not blank(admin):
                codes, unknown = governorate_codes(pd.Series([admin], dtype=object))
                code1 = codes.iat[0]
                if pd.isna(code1):
                    s = unknown.get(str(admin).strip(), [])
                    hard.append((header.labels.get("admin1", "admin1"),
                                 _("'{value}' is not a governorate of Iraq").format(value=admin)
                                 + (_(" (closest: {names})").format(names=", ".join(s)) if s else "")))
                    break
            fig_notes = []
            for mk in (ind_mark, mark):
                if mk:
                    fig_notes.append(footnotes.get(mk, mk))
            if mark:
                notes.append((col, _("'{value}' read as {number}; the footnote mark '{mark}' is not part of the figure "
                                     "and its footnote is kept as the figure's note").format(
                    value=str(val).strip(), number=f"{value:,}", mark=mark)))
            if not blank(remark):
                fig_notes.append(str(remark).strip())
            figs.append({"period_start": start, "period_end": end, "period_label": per_label, "indicator": code,
                         "value": value, "unit": unit, "admin1_code": code1,
                         "note": " ".join(dict.fromkeys(fig_notes)) or None, "source": f"{where}, row {rr}",
                         "_col": col, "_row": rr})
        if not hard:  # the same indicator, period, unit and area twice: the later figure is not counted
            kept = []
            for f in figs:
                k = (f["period_start"], f["period_end"], f["indicator"], f["unit"], f["admin1_code"])
                name = FVM_INDICATORS[f["indicator"]]
                what = ", ".join(x for x in (_(name), f["period_label"], _unit_label(f["unit"]), f["admin1_code"]) if x)
                if k in seen:
                    other_row, other = seen[k]
                    fails.append((f["_col"], (
                        _("duplicate of row {row} ({what}): the same figure, not counted twice") if other == f["value"]
                        else _("duplicate of row {row} ({what}) with another value ({value} here, {other} there): this "
                               "figure is not counted; check which is right")).format(
                        row=other_row, what=what, value=f"{f['value']:,}", other=f"{other:,}")))
                else:
                    kept.append(f)
            figs = kept
        if hard or (fails and not figs):
            rejected.append(rr)
            for col, reason in hard or fails:
                rep.problems.append(Problem(file, reason, rr, col, sheet))
            continue
        for f in figs:
            seen[(f["period_start"], f["period_end"], f["indicator"], f["unit"], f["admin1_code"])] = (rr, f["value"])
        accepted.append(rr)
        out_rows.extend(figs)
        for col, reason in fails:
            rep.problems.append(Problem(file, _("{reason}: this figure is not counted, the row's other figures are "
                                                "kept").format(reason=reason), rr, col, sheet, "warning"))
        for col, reason in notes:
            rep.problems.append(Problem(file, reason, rr, col, sheet, "warning"))
        if header.kind == "fvm_wide" and "total" in c and not blank(total) and all_read and figs:
            what, value, _msg, _mark = _read_value(total)
            summed = sum(f["value"] for f in figs)
            if what == "ok" and value != summed:
                rep.problems.append(Problem(file, _("{column} {value:,} differs from the sum of this row's figures "
                                                    "({sum:,}); the figures are kept, the total is not counted").format(
                    column=header.labels["total"], value=value, sum=summed), rr, header.labels["total"], sheet,
                    "warning"))
    # a totals row: recognised, checked against the figures above it, not counted
    for rr, total, cells in totals:
        parts = []
        row_unit = cells[0][3] if cells else None
        for ind, per, val, unit_cell, _a, col in [*cells, *([(None, None, total, row_unit, None, header.labels["total"])]
                                                           if header.kind == "fvm_wide" and "total" in c else [])]:
            what, value, _msg, _mark = _read_value(val)
            if what != "ok":
                continue
            # the figures of the totals cell's unit only (its unit cell, else its label's unit): units are never added
            unit = _unit(unit_cell, _split_mark(ind)[0] if ind is not None else "")[0]
            mine = [f["value"] for f in out_rows if per is None or f["_col"] == col]
            s = sum(f["value"] for f in out_rows if (per is None or f["_col"] == col) and f["unit"] == unit)
            if sum(mine) == s:  # one unit in this column
                text = (_("{column} {value:,} equals the sum of the accepted rows ({sum:,})") if value == s else
                        _("{column} {value:,} differs from the sum of the accepted rows ({sum:,})")).format(
                    column=col, value=value, sum=s)
            else:
                text = (_("{column} {value:,} equals the sum of the accepted rows in {unit} ({sum:,})") if value == s
                        else _("{column} {value:,} differs from the sum of the accepted rows in {unit} ({sum:,})")).format(
                    column=col, value=value, sum=s, unit=_unit_label(unit))
                if value == sum(mine):
                    text += _(" (it equals households and individuals added together, {sum:,}: figures of different "
                              "units are never added)").format(sum=sum(mine))
            parts.append(text)
        rep.problems.append(Problem(file, _("a totals row: recognised and not counted")
                                    + (f"; {'; '.join(parts)}" if parts else ""), rr, ind_col or per_col, sheet,
                                    "warning"))
        rep.notes.append(_("row {row} is a totals row: not counted").format(row=rr))
    # the figures typed and checked (file rows in every message)
    tmp = LoadReport(file=file, kind=KIND, sheet=sheet)
    df = pd.DataFrame(out_rows, columns=[*FVM.column_names, "_col", "_row"])
    labels = {"indicator": ind_col or "indicator", "period_label": per_col or "period",
              "value": header.labels.get("value", "value"), "unit": header.labels.get("unit", "unit")}
    typed, keep = check_table(df.drop(columns=["_col", "_row"]), FVM, df["_row"].to_numpy(dtype=int), file=file,
                              sheet=sheet, report=tmp, labels=labels, key=())
    rep.problems.extend(tmp.problems)
    late = set(df["_row"][~keep].tolist())  # (a figure the table's check refused: its row is not counted)
    if late:
        typed = typed[~typed["source"].str.extract(r"row (\d+)$")[0].astype(int).isin(late)].reset_index(drop=True)
        accepted = [r for r in accepted if r not in late]
        rejected = rejected + sorted(late)
    rep.rows_in = len(accepted) + len(rejected)
    rep.rows_rejected = len(rejected)
    rep.rows_accepted = len(accepted)
    layout = {"fvm_wide": _("periods across"), "fvm_t": _("indicators across")}.get(header.kind, _("tidy"))
    rep.notes.append(_("{n} figures ({layout})").format(n=len(typed), layout=layout))
    units = typed["unit"].value_counts(sort=False) if len(typed) else pd.Series(dtype=int)
    if len(units) > 1 or (len(units) == 1 and units.index[0] != "households"):
        rep.notes.append(_("figures by unit: {units} (figures of different units are never added)").format(
            units=", ".join(f"{_unit_label(u)} {n}" for u, n in units.items())))
    rep.check()
    return {"fvm": coerce(typed, FVM)}, rep


def import_movements(raw: RawTable, header: Header, *, file: str) -> tuple[dict[str, pd.DataFrame], LoadReport]:
    """Origin → destination movements (households, individuals, period) → ``movements``."""
    sheet = raw.sheet
    rep = LoadReport(file=file, kind=MOVEMENTS_KIND, encoding=raw.encoding, sheet=sheet)
    body = raw.frame.iloc[header.row + 1 + (1 if header.hxl_row is not None else 0):]
    cols = header.columns
    body = body[~blank_rows(body[list(cols.values())])]
    rownums = body.index.to_numpy() + 1
    m = {f: pd.Series(body[j].to_numpy(dtype=object)) for f, j in cols.items()}
    n = len(body)
    pre_bad = np.zeros(n, dtype=bool)
    data = {}
    for end in ("origin", "destination"):
        name = as_text(m[f"{end}_name"]) if f"{end}_name" in m else None
        code = None
        if f"{end}_admin1" in m:
            code, unknown = governorate_codes(m[f"{end}_admin1"])
            txt = as_text(m[f"{end}_admin1"])
            for i in np.flatnonzero(code.isna().to_numpy() & txt.notna().to_numpy()):
                s = unknown.get(str(txt.iat[i]), [])
                rep.problems.append(Problem(file, _("'{value}' is not a governorate of Iraq").format(value=txt.iat[i])
                                            + (_(" (closest: {names})").format(names=", ".join(s)) if s else ""),
                                            int(rownums[i]),
                                            header.labels[f"{end}_admin1"], sheet))
                pre_bad[i] = True
            if name is None:
                name = txt
        data[f"{end}_name"] = name
        data[f"{end}_admin1_code"] = code
        data[f"{end}_latitude"] = m.get(f"{end}_latitude")
        data[f"{end}_longitude"] = m.get(f"{end}_longitude")
    for f in ("households", "individuals", "period_start", "period_end"):
        data[f] = m.get(f)
    data["source"] = pd.Series(rownums.astype(str), dtype="string").radd(f"{file}{f' sheet {sheet}' if sheet else ''}, row ")
    df = pd.DataFrame({k: v for k, v in data.items() if v is not None})
    labels = {**header.labels, "origin_admin1_code": header.labels.get("origin_admin1", "origin"),
              "destination_admin1_code": header.labels.get("destination_admin1", "destination")}
    labels["origin_name"] = header.labels.get("origin_name", labels["origin_admin1_code"])
    labels["destination_name"] = header.labels.get("destination_name", labels["destination_admin1_code"])
    typed, _kept = check_table(df, MOVEMENTS, rownums, file=file, sheet=sheet, report=rep, pre_bad=pre_bad, labels=labels)
    return {"movements": coerce(typed, MOVEMENTS)}, rep

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

from dsdash.i18n import _
from dsdash.importers.common import blank_rows, closest, governorate_codes
from dsdash.importers.detect import Header, header_key
from dsdash.importers.readers import RawTable
from dsdash.parse import ParseError, parse_date
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


def parse_period(label: object) -> tuple[dt.date | None, dt.date]:
    """``(start, end)`` of a period label.

    Examples:
        >>> parse_period("2020-2021")
        (datetime.date(2020, 1, 1), datetime.date(2021, 12, 31))
        >>> parse_period("2023 (until 30 April)")
        (datetime.date(2023, 1, 1), datetime.date(2023, 4, 30))
        >>> parse_period("Apr-2023"), parse_period(2022)
        ((datetime.date(2023, 4, 1), datetime.date(2023, 4, 30)), (datetime.date(2022, 1, 1), datetime.date(2022, 12, 31)))
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
    start = parse_date(s, role="start")
    end = parse_date(s, role="end")
    if end is None:
        raise ParseError(f"'{s}' is not a period (expected e.g. 2022, 2020-2021, 2023 (until 30 April), Apr-2023)")
    return (start if start != end else None), end


def find_fvm_wide(frame: pd.DataFrame) -> Header | None:
    """Periods × indicators (or indicators × periods): a block whose row or column labels
    are FVM indicators."""
    top = frame.head(60)
    # indicators down the first text column, periods across a header row above them
    for j in range(min(3, top.shape[1])):
        hits = [i for i in range(len(top)) if fvm_indicator(top.iat[i, j])]
        if len(hits) >= 2:
            for h in range(hits[0] - 1, -1, -1):
                periods = {k: top.iat[h, k] for k in range(j + 1, top.shape[1]) if _is_period(top.iat[h, k])}
                if periods:
                    return Header("fvm_wide", h, {"indicator": j, **{f"period:{k}": k for k in periods}},
                                  {f"period:{k}": str(v).strip() for k, v in periods.items()}, len(periods))
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


def import_fvm(raw: RawTable, header: Header, *, file: str) -> tuple[dict[str, pd.DataFrame], LoadReport]:
    """FVM table (wide either way, or tidy with indicator/value/period columns) → ``fvm``."""
    sheet = raw.sheet
    rep = LoadReport(file=file, kind=KIND, encoding=raw.encoding, sheet=sheet)
    body = raw.frame.iloc[header.row + 1 + (1 if header.hxl_row is not None else 0):]
    body = body[~blank_rows(body)]
    cells = []  # (file row, indicator label, indicator column label, period label, value, unit)
    if header.kind == "fvm_wide":
        j = header.columns["indicator"]
        for r, row in zip(body.index, body.itertuples(index=False)):
            for key, k in header.columns.items():
                if key.startswith("period:"):
                    cells.append((r + 1, row[j], header.labels[key], row[k], None, str(raw.frame.iat[header.row, j] or
                                                                                   "indicator")))
    elif header.kind == "fvm_t":
        pcol = 0
        for r, row in zip(body.index, body.itertuples(index=False)):
            for key, k in header.columns.items():
                cells.append((r + 1, header.labels[key], row[pcol], row[k], None, header.labels[key]))
    else:  # tidy
        c = header.columns
        for r, row in zip(body.index, body.itertuples(index=False)):
            per = row[c["period_label"]] if "period_label" in c else (row[c["period_end"]] if "period_end" in c else None)
            unit = row[c["unit"]] if "unit" in c else None
            cells.append((r + 1, row[c["indicator"]], per, row[c["value"]], unit, header.labels.get("value", "value")))
    rows: dict[int, list] = {}
    for cell in cells:
        rows.setdefault(cell[0], []).append(cell)
    out_rows, rownums, pre_bad = [], [], []
    ind_label = header.labels.get("indicator") or (
        str(raw.frame.iat[header.row, header.columns["indicator"]] or "").strip() or "indicator"
        if "indicator" in header.columns else "indicator")
    for r, group in rows.items():
        row_bad = False
        for rr, ind, per, val, unit, col in group:
            if as_text(pd.Series([val], dtype=object)).isna().iat[0]:
                continue  # an empty cell: no figure for this period
            code = fvm_indicator(ind)
            if code is None:
                sugg = closest(str(ind), [normalise_text(v) for v in FVM_INDICATORS.values()])
                rep.problems.append(Problem(file, _("'{value}' is not an FVM indicator we know").format(value=ind)
                                            + (_(" (closest: {names})").format(names="; ".join(sugg)) if sugg else ""),
                                            rr,
                                            ind_label if header.kind != "fvm_t" else col, sheet))
                row_bad = True
                continue
            try:
                start, end = parse_period(per)
            except (ParseError, ValueError) as exc:
                rep.problems.append(Problem(file, str(exc), rr, "period" if header.kind == "fvm_t" else str(per), sheet))
                row_bad = True
                continue
            out_rows.append({"period_start": start, "period_end": end, "period_label": str(per).strip(),
                             "indicator": code, "value": val, "unit": unit or "households", "admin1_code": None,
                             "note": None, "source": f"{file}{f' sheet {sheet}' if sheet else ''}, row {rr}",
                             "_col": col if header.kind != "fvm_wide" else str(per).strip(), "_row": rr})
        rownums.append(r)
        pre_bad.append(row_bad)
    # check every figure; a row (file row) is accepted when all its figures are
    tmp = LoadReport(file=file, kind=KIND, sheet=sheet)
    df = pd.DataFrame(out_rows, columns=[*FVM.column_names, "_col", "_row"])
    labels = {}
    typed, keep = check_table(df.drop(columns=["_col", "_row"]), FVM, np.arange(len(df)), file=file, sheet=sheet,
                              report=tmp, labels=labels, key=("period_label", "indicator"))
    for p in tmp.problems:  # positions back to the file's row and the user's column
        if p.rows:
            p.rows = tuple(int(df["_row"].iat[pos]) for pos in p.rows)
        if p.row is not None:
            pos = p.row
            p.row = int(df["_row"].iat[pos])
            if p.column in ("value", "period_label", "indicator"):
                p.column = str(df["_col"].iat[pos])
        rep.problems.append(p)
    bad_rows = set(df["_row"][~keep].tolist()) | {r for r, b in zip(rownums, pre_bad) if b}
    typed = typed[~typed["source"].str.extract(r"row (\d+)$")[0].astype(int).isin(bad_rows)].reset_index(drop=True) \
        if len(typed) else typed
    rep.rows_in = len(rownums)
    rep.rows_rejected = len(bad_rows)
    rep.rows_accepted = rep.rows_in - rep.rows_rejected
    layout = {"fvm_wide": _("periods across"), "fvm_t": _("indicators across")}.get(header.kind, _("tidy"))
    rep.notes.append(_("{n} figures ({layout})").format(n=len(typed), layout=layout))
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

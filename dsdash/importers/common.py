"""Small helpers shared by the importers: names, places and meta data found in text.

Examples in docstrings are run by the tests (``pytest --doctest-modules`` is not needed:
tests/unit/importers/test_importers.py calls them).
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re

import numpy as np
import pandas as pd

from dsdash.validate import TEXT
from dsdash.schema import GOVERNORATE_SYNONYMS, GOVERNORATES, governorate_code, normalise_pcode, normalise_text

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_name) if m})
_MONTHS["sept"] = 9


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
    codes_idx, uniques = pd.factorize(values.astype(TEXT).str.strip())
    lookup: dict[str, str | None] = {}
    unknown: dict[str, list[str]] = {}
    names = list(GOVERNORATE_SYNONYMS) + [normalise_text(en) for en, _ in GOVERNORATES.values()]
    ar = {arabic_fold(a): code for code, (_en, a) in GOVERNORATES.items()}
    ar.update({arabic_fold(f"محافظة {a}"): code for code, (_en, a) in GOVERNORATES.items()})
    for v in uniques:
        code = governorate_code(v) or ar.get(arabic_fold(v))
        lookup[v] = code
        if code is None and v:
            sugg = []
            for s in closest(v, names):
                en = GOVERNORATES[governorate_code(s)][0]
                if en not in sugg:
                    sugg.append(en)
            unknown[str(v)] = sugg
    return _take([lookup[v] for v in uniques], codes_idx, values.index), unknown


def _take(mapped: list, codes_idx, index) -> pd.Series:
    """Values of the distinct cells (``mapped``) spread back to every row (-1: NA)."""
    arr = np.array(mapped + [None], dtype=object)[codes_idx]
    return pd.Series(pd.array(arr, dtype=TEXT), index=index)


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
    codes_idx, uniques = pd.factorize(values.astype(TEXT).str.strip())
    return _take([normalise_pcode(v) for v in uniques], codes_idx, values.index)


def clean_ids(values: pd.Series) -> pd.Series:
    """Identifiers as text: ``12345.0`` from a workbook becomes ``12345``."""
    s = values.astype(TEXT).str.strip()
    return s.str.replace(r"^(\d+)\.0+$", r"\1", regex=True)


def group_from_text(text: str) -> str | None:
    """'idp' or 'returnee' when a file name or title says which (and not both).

    Examples:
        >>> group_from_text("DTM_IDP_Master_List_R130.xlsx"), group_from_text("Returnee master list")
        ('idp', 'returnee')
        >>> group_from_text("master_list.csv") is None
        True
    """
    t = text.lower()
    ret = re.search(r"(?<![a-z])(returnees?|rtn|returns?|ret)(?![a-z])", t)
    idp = re.search(r"(?<![a-z])(idps?|displaced)(?![a-z])", t)
    if ret and not idp:
        return "returnee"
    if idp and not ret:
        return "idp"
    return None


def round_from_text(text: str) -> int | None:
    """The DTM round a file name or title states.

    Examples:
        >>> round_from_text("DTM_IDP_ML_Round130_Jul2023.xlsx"), round_from_text("R 117 master list")
        (130, 117)
        >>> round_from_text("2023-07-31") is None
        True
    """
    m = re.search(r"(?<![a-z])(?:round|rnd|r)[\s_\-#.]*(\d{1,3})(?!\d)", text.lower())
    return int(m.group(1)) if m else None


def date_from_text(text: str) -> dt.date | None:
    """A reference date stated in a file name or title (a month alone: its last day).

    Examples:
        >>> date_from_text("ML_R130_2023-07-31.csv"), date_from_text("Round 130 - July 2023")
        (datetime.date(2023, 7, 31), datetime.date(2023, 7, 31))
        >>> date_from_text("IDP_Master_List_31_Dec_2023"), date_from_text("data_Aug23.xlsx")
        (datetime.date(2023, 12, 31), datetime.date(2023, 8, 31))
    """
    t = text.lower()
    m = re.search(r"(20\d{2})[-_./](\d{1,2})[-_./](\d{1,2})(?!\d)", t)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    m = re.search(r"(?<!\d)(\d{1,2})[\s_\-/.]+([a-z]{3,9})[\s_\-,/.]+(20\d{2})(?!\d)", t)
    if m and m.group(2) in _MONTHS:
        try:
            return dt.date(int(m.group(3)), _MONTHS[m.group(2)], int(m.group(1)))
        except ValueError:
            pass
    for m in re.finditer(r"(?<![a-z])([a-z]{3,9})[\s_\-,/.]*(20\d{2}|\d{2})(?!\d)", t):
        if m.group(1) in _MONTHS:
            y = int(m.group(2))
            y = y + 2000 if y < 100 else y
            mo = _MONTHS[m.group(1)]
            return dt.date(y, mo, calendar.monthrange(y, mo)[1])
    return None


def rows_text(frame: pd.DataFrame, stop: int) -> str:
    """The text of the rows above the header (IOM's title lines), joined."""
    if stop <= 0:
        return ""
    vals = frame.iloc[:stop].to_numpy(dtype=object).ravel()
    return " ".join(str(v) for v in vals if v is not None and str(v).strip() and str(v) != "nan")


def blank_rows(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose every cell is empty (None, NaN or whitespace)."""
    if frame.shape[1] == 0:
        return np.ones(len(frame), dtype=bool)
    out = np.ones(len(frame), dtype=bool)
    for c in frame.columns:
        col = frame[c]
        if str(col.dtype).startswith(("str", "string")):
            # whitespace-only cells count as filled here: such a row is then rejected by name, not skipped
            filled = col.ne("").to_numpy(dtype=bool, na_value=False)
        elif col.dtype == object:
            s = col.astype(TEXT)
            filled = (s.notna() & (s.str.strip() != "")).to_numpy(dtype=bool, na_value=False)
        else:
            filled = col.notna().to_numpy(dtype=bool)
        out &= ~filled
    return out

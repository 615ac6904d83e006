"""DTM Master Lists (IDP and returnee locations), as IOM publishes them, into tidy tables.

Where the data comes from: IOM DTM Iraq's Integrated Location Assessment "Master List"
exports (one row per location with IDP or returnee families, per round), CSV or XLSX,
downloaded from iraqdtm.iom.int. Credit: :data:`dsdash.schema.DTM_CREDIT`.

Caveats handled here:

- headers drift between rounds (:data:`~dsdash.importers.detect.DTM_HEADERS`); title
  rows sit above the header; a leading index column; a blank last row;
- governorates are spelled many ways (Anbar / Al-Anbar …) and p-codes come as
  ``IRQ-G01Q01``, ``IQG01Q01`` or ``IQ-G11``: all become COD-AB p-codes;
- DTM counts *families*; individuals are households × 6, and × 5 in camps from round
  117. When the file gives individuals they are checked against that rule (a warning
  names each row that differs); when it does not, they are computed and the method says so;
- the wide columns (families by governorate of origin, by shelter type, by period of
  displacement) are kept as the tidy ``breakdowns`` table (zero cells are not stored);
- a fused "Total" row at the bottom is recognised, reported and not counted;
- the reference date, round and population group come from the caller, a column, the
  title rows or the file name, in that order of precedence.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dsdash.importers.common import (
    _NUMBER_KINDS, _is_arrow_text, blank_array_rows, clean_ids, column_arrays, distinct_cells, first_bytes,
    governorate_code_cells, group_from_text, pcode_cells, pcode_of, repeated_headers, rows_text,
)
from dsdash.importers.detect import DTM_HEADERS, Header, header_key
from dsdash.importers.questions import DATE, answers, group_question
from dsdash.i18n import N_, _, iso, list_sep, ngettext
from dsdash.importers.readers import RawTable
from dsdash.parse import ascii_digits, date_in_text, is_blank, round_number
from dsdash.provenance import local_date
from dsdash.schema import (
    BREAKDOWN_DIMENSION_LABELS, BREAKDOWNS, GOVERNORATES, IRAQ_BBOX, POPULATION, SITES, BreakdownDimension, Column, IndividualsMethod,
    LoadReport, PopulationGroup, Problem, SiteType, TableSpec, governorate_code,
)
from dsdash.validate import BLANKS, DTYPES, TEXT, _astext, as_text, check_columns, coerce, number_arrays, numbers, text_cells

KIND = "dtm_master_list"
#: From this round on, DTM counts 5 individuals per family in camps (6 elsewhere).
CAMP_X5_FROM_ROUND = 117

#: One Master List row, as checked (internal: becomes a sites row and a population row).
ROW_SPEC = TableSpec(
    "dtm_row", "one Master List row",
    (
        Column("site_id", "str", required=True),
        Column("site_name", "str", required=True),
        Column("site_name_ar", "str"),
        Column("admin1_code", "str", required=True),
        Column("admin2_code", "str"),
        Column("admin2_name", "str"),
        Column("admin3_name", "str"),
        Column("latitude", "float", min=-90, max=90),
        Column("longitude", "float", min=-180, max=180),
        Column("households", "int", min=0),
        Column("individuals", "int", min=0),
        Column("site_type_raw", "str"),
        Column("reference_date", "date"),
        Column("dtm_round", "int", min=1),
    ),
    key=("site_id",),
)

#: The fields that define a Master List row's count: the location's identity and its figures.
#: A cell that fails elsewhere is a warning and is left empty (see :func:`dsdash.validate.check_table`).
COUNT_FIELDS = {"site_id", "site_name", "admin1_code", "households", "individuals"}
#: The fields read as text only (never as numbers or dates): a workbook's cells become Arrow text once.
TEXT_FIELDS = frozenset({"site_id", "site_name", "site_name_ar", "admin1", "admin1_code", "admin2_code",
                         "admin2_name", "admin3_name", "site_type"})
#: What an unread cell means for its row, per field.
IF_UNREAD = {"reference_date": N_("the file's reference date is used (its name, title rows, or the date given)"),
             "dtm_round": N_("the file's round is used, if it states one")}

SHELTER_HEADERS = {
    "camp", "camps", "critical shelter", "critical shelters", "host families", "host family", "hotel/motel",
    "hotels/motels", "hotels motels", "informal settlement", "informal settlements", "religious building",
    "religious buildings", "rented houses", "rented house", "rented housing", "school building",
    "school buildings", "unfinished/abandoned building", "unfinished/abandoned buildings", "unknown shelter type",
    "private settings", "private setting", "own property", "habitual residence", "secondary displacement",
    "collective centre", "collective center", "other shelter type", "other shelter", "other", "others", "unknown",
}
_MONTH_WORD = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
_PERIOD_RE = re.compile(rf"^((pre|post|before|after)[\s\-]*)?(\d{{1,2}}\s+)?{_MONTH_WORD}([\s\-/]+{_MONTH_WORD})?[\s\-]*\d{{2,4}}$")
#: More people than this at one location is implausible (Iraq's largest camps held about 100,000): a warning.
MAX_PLAUSIBLE_INDIVIDUALS = 500_000

_TOTAL_WORDS = {"total", "totals", "grand total", "sum", "المجموع", "الاجمالي", "الإجمالي", "المجموع الكلي", "مجموع",
                "إجمالي", "اجمالي", "الإجمالي الكلي", "الاجمالي الكلي"}
#: A totals word followed by more words (Arrow's RE2 pattern, on cells lower-cased and stripped of " :").
_TOTAL_PREFIX = "^(?:" + "|".join(re.escape(w) for w in sorted(_TOTAL_WORDS, key=len, reverse=True)) + r")[\s:\-–(]"
#: Words then "total" ('Anbar Total', 'Ninewa - Total': a group's subtotal, as Excel's Subtotal writes it).
_TOTAL_SUFFIX = r"[\s:\-–(](?:total|المجموع|الإجمالي|الاجمالي|مجموع|إجمالي|اجمالي)$"
#: The last words :data:`_TOTAL_SUFFIX` looks for (Arrow's ends_with, a cheap first look).
_TOTAL_ENDINGS = ("total", "مجموع", "جمالي")
#: The bytes a cell that is a totals word can start with: the words' first bytes in either case, and the
#: space and colon stripped before the words are compared.
_TOTAL_FIRST_BYTES = np.array(sorted({b for w in _TOTAL_WORDS for c in (w[0], w[0].upper()) for b in c.encode()[:1]}
                                     | {ord(" "), ord(":")}), dtype=np.int16)


@functools.lru_cache(maxsize=4096)
def breakdown_dimension(header: str) -> tuple[str, str | None] | None:
    """Whether a wide column is a breakdown, and which: ``(dimension, governorate p-code)``.

    Examples:
        >>> breakdown_dimension("Anbar"), breakdown_dimension("Origin: Babylon")
        (('origin', 'IQG01'), ('origin', 'IQG07'))
        >>> breakdown_dimension("Rented houses"), breakdown_dimension("Post July 2017")
        (('shelter', None), ('period', None))
        >>> breakdown_dimension("Pre-June14"), breakdown_dimension("Remarks") is None
        (('period', None), True)
    """
    k = header_key(header)
    if not k:
        return None
    core = re.sub(r"^(origin|from|governorate of origin|shelter|shelter type|period|period of displacement)\s*[:\-]?\s*",
                  "", k).strip()
    code = governorate_code(core) or governorate_code(k)
    if code:
        return BreakdownDimension.ORIGIN.value, code
    if core in SHELTER_HEADERS:
        return BreakdownDimension.SHELTER.value, None
    if _PERIOD_RE.match(core.replace("‐", "-")):
        return BreakdownDimension.PERIOD.value, None
    return None


def _day(value) -> str:
    """A date in a message, in the reader's language ('30 Apr 2019'; Arabic: the Iraqi month's name)."""
    return local_date(pd.Timestamp(value))


def _meta(raw: RawTable, header: Header, file: str, population_group, reference_date, dtm_round,
          report: LoadReport):
    title = rows_text(raw.frame, header.row)
    hh_label = header.labels.get("households", "") + " " + header.labels.get("individuals", "")
    sheet = raw.sheet or ""
    # the group the sheet states (headers, title rows, sheet name, file name) stands; the group given answers
    # the question of a sheet that states none (the Upload page's "whose file does not say"): one answer for
    # several files or sheets never relabels the ones that say theirs
    said_where, said = next(((w, g) for w, g in ((N_("headers"), group_from_text(hh_label)),
                                                  (N_("title rows"), group_from_text(title)),
                                                  (N_("sheet name"), group_from_text(sheet)),
                                                  (N_("file name"), group_from_text(file))) if g), (None, None))
    group = said or population_group
    if population_group and said and population_group != said:
        report.problems.append(Problem(file, _("the population group given ({given}) is not used: the file states "
                                               "{said} (its {where})").format(given=population_group, said=said,
                                                                              where=_(said_where)),
                                       sheet=raw.sheet, level="warning"))
    stated = [(where, date_in_text(text)) for where, text in ((N_("title rows"), title), (N_("sheet name"), sheet),
                                                               (N_("file name"), file))]
    rnd_where, found_rnd = next(((w, f.round) for w, f in stated if f.round), (None, None))
    other_rnd = next(((w, f.round) for w, f in stated if f.round and f.round != found_rnd), None)
    if other_rnd and not dtm_round:
        report.problems.append(Problem(
            file, _("the file states two rounds: {round} in its {where} and {other} in its {other_where}; round "
                    "{round} is used: give the round if it is not so").format(
                round=found_rnd, where=_(rnd_where), other=other_rnd[1], other_where=_(other_rnd[0])),
            sheet=raw.sheet, level="warning"))
    where, found = next(((w, f) for w, f in stated if f.date), (None, None))
    rnd = dtm_round or found_rnd
    ref = reference_date or (found.date if found else None)
    if found and not reference_date:
        report.notes.append((_("reference date {date} read from the {where} ('{written}'); a month alone is read as "
                               "its last day") if _month_only(found) else
                             _("reference date {date} read from the {where} ('{written}')")).format(
            date=_day(found.date), where=_(where), written=found.written))
        other_where, other = next(((w, f) for w, f in stated if f.date and not _same_date(f, found)), (None, None))
        if other is not None:
            report.problems.append(Problem(
                file, _("the file states two dates: {date} in its {where} ('{written}') and {other_date} in its "
                        "{other_where} ('{other_written}'); {date} is used: give the date if it is not so").format(
                    where=_(where), date=_day(found.date), written=found.written, other_where=_(other_where),
                    other_date=_day(other.date), other_written=other.written), sheet=raw.sheet, level="warning"))
        if found.note:
            report.problems.append(Problem(file, _("the date in the {where}: {note}; give the date if it is not so")
                                           .format(where=_(where), note=found.note), sheet=raw.sheet, level="warning"))
    for what, given, said in ((N_("round"), dtm_round, found_rnd),
                              (N_("reference date"), reference_date and pd.Timestamp(reference_date).date(),
                               found.date if found else None)):
        if given and said and str(given) != str(said):
            report.problems.append(Problem(file, _("the {what} given ({given}) differs from the file's ({said}); "
                                                   "using {given}").format(what=_(what), given=given, said=said),
                                           sheet=raw.sheet, level="warning"))
    if isinstance(ref, pd.Timestamp):
        ref = ref.date()
    return group, rnd, ref, title


def _footnotes_below(kept: np.ndarray, body_cols: list, count_cols: list[int], mapped: list[int]
                     ) -> tuple[np.ndarray, list[tuple[int, str]]]:
    """The rows under the table that are notes, not locations ('Source: IOM DTM. Figures are estimates.'):
    the last rows of ``kept`` (body positions) with no count and one cell of words (a space in it) in the
    mapped columns, nothing else. ``(kept without them, [(body position, text)…])``: told in the notes, not
    counted in or rejected (as blank rows are not)."""
    notes = []
    k = len(kept)
    while k > 0 and len(notes) < 20:
        i = int(kept[k - 1])
        if any(not is_blank(_cell(body_cols[j], i)) for j in count_cols):
            break
        cells = [c for c in (_cell(body_cols[j], i) for j in mapped) if not is_blank(c)]
        if len(cells) != 1 or not isinstance(cells[0], str) or " " not in cells[0].strip():
            break
        notes.append((i, cells[0].strip()))
        k -= 1
    return (kept[:k], notes[::-1]) if notes else (kept, [])


def _governorates_from_coordinates(codes: pa.ChunkedArray, pre_bad: np.ndarray, mapped: dict, rownums: np.ndarray,
                                   file: str, sheet, rep: LoadReport, labels: dict) -> pa.ChunkedArray:
    """The governorate of each row that names none (its governorate and p-code cells empty: a sheet
    whose governorate was merged over its rows, saved as CSV, say): its district's (the row's District
    name, a COD-AB district's), else where its coordinates lie: the bundled COD-AB governorate (:func:`dsdash.spatial.governorates_at`; swapped, when
    they lie in none as written), with a warning per governorate. Rows whose coordinates lie in none
    stay without one (and are rejected, as before). A row whose governorate cell holds something
    unread (``pre_bad``) is not looked at: its cell said otherwise."""
    at = np.flatnonzero(_bools(codes.is_null()) & ~pre_bad)
    if not len(at):
        return codes
    label = labels.get("admin1", labels.get("admin1_code", "Governorate"))
    filled = None
    if "admin2_name" in mapped:  # the row's own words first: its district's governorate (COD-AB's districts)
        districts = _cells(_take_array(mapped["admin2_name"].array, at)).to_pylist()
        known = _district_governorates()
        for i, d in zip(at, districts):
            g = known.get(_district_key(d)) if d else None
            if g is None:
                continue
            filled = codes.to_pylist() if filled is None else filled
            filled[int(i)] = g
            rep.problems.append(Problem(file, _("no governorate on this row: {name} ({code}), the governorate of its "
                                                "district '{district}' (COD-AB)").format(
                name=GOVERNORATES[g][0], code=g, district=d), int(rownums[i]), label, sheet, "warning"))
        if filled is not None:
            codes = pa.chunked_array([pa.array(filled, pa.large_string())])
            at = np.array([i for i in at if filled[int(i)] is None], dtype=np.intp)
            if not len(at):
                return codes
    lat, lat_missing, _issues = number_arrays(_take_array(mapped["latitude"].array, at), integer=False)
    lon, lon_missing, _issues = number_arrays(_take_array(mapped["longitude"].array, at), integer=False)
    has = ~lat_missing & ~lon_missing
    at, lat, lon = at[has], lat[has], lon[has]
    if not len(at):
        return codes
    from dsdash.spatial import governorates_at

    got = governorates_at(lat, lon)
    again = [k for k, g in enumerate(got) if g is None]
    if again:  # latitude and longitude swapped (the coordinates' own check warns of it later)
        for k, g in zip(again, governorates_at(lon[again], lat[again])):
            got[k] = g
    filled = codes.to_pylist()
    for i, g in zip(at, got):
        if g is None:
            continue
        filled[int(i)] = g
        rep.problems.append(Problem(file, _("no governorate on this row: {name} ({code}), where its coordinates lie "
                                            "(COD-AB boundaries)").format(name=GOVERNORATES[g][0], code=g),
                                    int(rownums[i]), label, sheet, "warning"))
    return pa.chunked_array([pa.array(filled, pa.large_string())])


def _district_key(name: object) -> str:
    """A district's name as compared: lower case, spaces and hyphens alike, without 'Al-' in front
    ('Al-Mosul', 'al mosul', 'Mosul' → 'mosul')."""
    key = re.sub(r"[\s_\-]+", " ", str(name).strip().lower())
    return re.sub(r"^(?:al|el) ", "", key)


@functools.lru_cache(maxsize=1)
def _district_governorates() -> dict[str, str]:
    """COD-AB district names (English and Arabic, as :func:`_district_key` compares them) → their
    governorate's p-code; a name two governorates share is left out."""
    from dsdash.schema import _district_names

    seen: dict[str, set] = {}
    for pcode, names in _district_names().items():
        for nm in names:
            if nm:
                seen.setdefault(_district_key(nm), set()).add(pcode[:5])
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}


def _month_only(found) -> bool:
    """Whether a date found in a text (:func:`~dsdash.parse.date_in_text`) names a month, not a day
    ('Dec 2020', 'DTM_R132_Apr2024', 'نيسان 2024': read as the month's last day): its day's number is
    not written (a compact '20190430' writes it).

    Examples:
        >>> from dsdash.parse import date_in_text
        >>> [_month_only(date_in_text(t)) for t in ("Round 119 - Dec 2020", "Apr 30, 2019", "20190430", "نيسان 2024")]
        [True, False, False, True]
    """
    digits = re.findall(r"\d+", ascii_digits(str(found.written or "")))
    return not any(len(d) >= 6 or (len(d) <= 2 and int(d) == found.date.day) for d in digits)


def _same_date(a, b) -> bool:
    """Whether two stated dates agree: the same day, or a month alone and a day of that month."""
    if a.date == b.date:
        return True
    return (a.date.year, a.date.month) == (b.date.year, b.date.month) and (_month_only(a) or _month_only(b))


def _cells(values: pd.Series) -> pa.ChunkedArray:
    """A column's cells as text, stripped, blanks null (:func:`~dsdash.validate.as_text`), as Arrow."""
    return text_cells(values)


def _blank_cells(values: pd.Series) -> np.ndarray:
    """The cells that are blank as text (``text_cells(values).is_null()``, as numpy); of a workbook's column
    of numbers, its missing cells, without the text (no number's text is blank)."""
    if values.dtype == object:
        cells = values.to_numpy()
        if pd.api.types.infer_dtype(cells, skipna=True) in _NUMBER_KINDS:
            return pd.isna(cells)
    return _bools(_cells(values).is_null())


def _bools(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """An Arrow boolean array (no nulls) as numpy."""
    return values.to_numpy(zero_copy_only=False) if isinstance(values, pa.Array) else \
        np.asarray(values.to_numpy(), dtype=bool)


def _text_series(cells: pa.ChunkedArray, index: pd.RangeIndex) -> pd.Series:
    return pd.Series(pd.arrays.ArrowStringArray(cells), index=index, copy=False)


def _filled(s: pd.Series) -> int:
    """Whether any cell of the column holds a value: how many do (``s.count()``), or 1 for an object
    column (a workbook's cells) whose first cell is text or a number (the usual column: not counted)."""
    if isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow":
        cells = s.array.__arrow_array__()
        return len(cells) - cells.null_count
    if s.dtype == object and len(s):
        first = s.to_numpy()[0]
        if isinstance(first, (str, int)) or (isinstance(first, float) and first == first):
            return 1  # (text, a number: a value, never a missing one)
    return int(s.count())


def _column(values, index: pd.RangeIndex, name=None) -> pd.Series:
    """A Series of a column's array in its own dtype (an object array stays object: pandas would infer text)."""
    return pd.Series(values, index=index, name=name, dtype=values.dtype, copy=False)


def _values(s: pd.Series):
    """A column's array as a frame holds it (an object column: its numpy array)."""
    return s.to_numpy() if s.dtype == object else s.array


def _rows_of(cells: pa.ChunkedArray, at: np.ndarray) -> pa.ChunkedArray:
    """The cells of the rows ``at`` (all of them, as they are, when ``at`` is every row)."""
    return cells if len(at) == len(cells) else cells.take(pa.array(at, pa.int64()))


def _cell(values, i: int):
    """``values[i]`` of a column's array (Arrow text: read from the Arrow array, a null as the dtype's NA)."""
    if _is_arrow_text(values):
        cell = values.__arrow_array__()[i]
        return cell.as_py() if cell.is_valid else values.dtype.na_value
    return values[i]


def _take_array(values, at: np.ndarray):
    """The cells ``at`` of an array (a slice, no copy, when they are one run)."""
    if len(at) and at[-1] - at[0] + 1 == len(at):
        return values if at[0] == 0 and len(at) == len(values) else values[at[0]:at[-1] + 1]
    return values.take(at) if not isinstance(values, np.ndarray) else values[at]


def _says(cells: pa.Array | pa.ChunkedArray, word: str, *, lower: bool = False) -> np.ndarray:
    """Cells of a text column (Arrow) containing ``word`` (after lower-casing with ``lower``); blanks:
    False. Arrow kernels: the column may hold 100,000 names."""
    if not isinstance(cells, pa.ChunkedArray):
        cells = pa.chunked_array([cells])
    if cells.null_count == len(cells):  # an empty column (no type column in the file, say)
        return np.zeros(len(cells), dtype=bool)
    if lower:  # ASCII words: no other letter lower-cases to one of theirs
        cells = pc.ascii_lower(cells) if word.isascii() else pc.utf8_lower(cells)
    return _contains(cells, word)


def _contains(cells: pa.ChunkedArray, word: str) -> np.ndarray:
    """``pc.match_substring(cells, word)`` with blanks False, by one search of each chunk's bytes
    (the cells lie end to end in one buffer: a location's name is rarely a camp, so the hits are
    few and a byte search finds them many times faster than the cell-by-cell kernel)."""
    w = word.encode("utf-8")
    out = []
    for chunk in cells.chunks:
        n = len(chunk)
        hits = np.zeros(n, dtype=bool)
        if n:
            chunk = chunk.cast(pa.large_string()) if chunk.type != pa.large_string() else chunk
            offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int64, count=n + 1, offset=chunk.offset * 8)
            data = chunk.buffers()[2]
            found = np.array(_occurrences(data, int(offsets[-1]), w), dtype=np.int64)
            found = found[found >= offsets[0]]
            if len(found):
                row = np.searchsorted(offsets, found, side="right") - 1
                within = found + len(w) <= offsets[row + 1]
                hits[row[within]] = True
            if chunk.null_count:
                hits &= chunk.is_valid().to_numpy(zero_copy_only=False)
        out.append(hits)
    return np.concatenate(out) if out else np.zeros(0, dtype=bool)


def _occurrences(data: pa.Buffer | None, end: int, word: bytes) -> list[int]:
    """Where ``word`` starts in the first ``end`` bytes of ``data``: every start, overlapping ones
    too. The cells lie end to end, so a match may run from one cell into the next; it must not
    hide one inside the next cell ('…مخي' then 'مخيم …': the word's last letter is its first).
    An ASCII word whose start never overlaps its end (``camp``: non-overlapping matches are then
    all of them) by a pattern on the buffer itself (no copy, the loop in C); another by
    ``bytes.find`` (faster where the word's first byte is common, as an Arabic letter's is in
    Arabic text)."""
    if data is None or end <= 0:
        return []
    if word.isascii() and not any(word[:k] == word[-k:] for k in range(1, len(word))):
        return [m.start() for m in _literal(word).finditer(memoryview(data)[:end])]
    raw = data.to_pybytes()[:end]
    starts = []
    at = raw.find(word)
    while at >= 0:
        starts.append(at)
        at = raw.find(word, at + 1)
    return starts


def _literal(word: bytes) -> re.Pattern:
    """A pattern finding ``word`` as it is (bytes)."""
    return re.compile(re.escape(word))


def _round_words(s: pd.Series | None) -> pd.Series | None:
    """A round column written 'Round 110' (every row of some IOM exports), 'R110' or 'الجولة 110': the
    numbers, read as the title rows are (:func:`dsdash.parse.round_number`); other cells as they are. A
    round column holds a few distinct values: each is looked at once."""
    if s is None or not len(s):
        return s
    fixes = {v: str(r) for v in pd.unique(s.dropna()) if (r := round_number(v)) is not None}
    return s.replace(fixes) if fixes else s


#: "camp" as a word ("Camp Ashti", "Khazir camp", "Hasansham U3 camps"), not inside one ("Campaign Street").
_CAMP_WORD = re.compile(r"\bcamps?\b", re.IGNORECASE)
#: "مخيم" with its prefixes (المخيم، والمخيم) or plural (مخيمات), not inside a longer word (مخيمر, a family name).
_CAMP_WORD_AR = re.compile(r"مخيم(?:ات)?(?![\u0621-\u064a])")


def _word_hits(cells: pa.ChunkedArray, hits: np.ndarray, word: re.Pattern) -> np.ndarray:
    """Of the cells ``hits`` (containing the word's letters), those where it stands as a word: the byte
    search finds the few candidates, the pattern decides on those alone."""
    at = np.flatnonzero(hits)
    if not len(at):
        return hits
    out = np.zeros(len(hits), dtype=bool)
    out[at] = [bool(word.search(v)) for v in cells.take(pa.array(at)).to_pylist()]
    return out


def _camp_mask(text: dict, hh: np.ndarray, shelter_camp: np.ndarray | None) -> np.ndarray:
    """Camps: by name (English or Arabic), by the type column, or by a shelter column saying every family
    of the row lives in a camp. ``text``: the rows' text columns as Arrow cells. "camp" counts as a word
    only (a "Campaign Street" is not a camp: it would change how its individuals are counted)."""
    mask = (_word_hits(text["site_name"], _says(text["site_name"], "camp", lower=True), _CAMP_WORD)
            | _word_hits(text["site_name_ar"], _says(text["site_name_ar"], "مخيم"), _CAMP_WORD_AR))
    mask = mask | _word_hits(text["site_type_raw"], _says(text["site_type_raw"], "camp", lower=True), _CAMP_WORD)
    if shelter_camp is not None:
        mask = mask | ((hh > 0) & (shelter_camp == hh))
    return mask


def import_master_list(
    raw: RawTable,
    header: Header,
    *,
    file: str,
    population_group: str | None = None,
    reference_date: dt.date | None = None,
    dtm_round: int | None = None,
) -> tuple[dict[str, pd.DataFrame], LoadReport]:
    """Read one Master List sheet into ``sites``, ``population`` and ``breakdowns`` tables.

    Args:
        raw: the sheet's cells; header: where the header is and what each column holds.
        file: the file name (for messages and sources).
        population_group, reference_date, dtm_round: given by the user; they win over
            what the file says (a warning notes any disagreement).

    Returns:
        ``(tables, report)``; every data row is accepted or rejected with a reason.
    """
    sheet = raw.sheet
    rep = LoadReport(file=file, kind=KIND, encoding=raw.encoding, sheet=sheet)
    start = header.row + 1 + (1 if header.hxl_row is not None else 0)
    body = raw.frame.iloc[start:]
    # the sheet's columns as arrays (views, read only), and the rows under the header of each: pandas'
    # per-column costs paid once, not in every step
    columns = column_arrays(raw.frame)
    body_cols = [a[start:] for a in columns]
    cols = header.columns
    bd_cols: list[tuple[int, str, str, str | None]] = []  # position, label, dimension, code
    used = set(cols.values())
    head_cells = [_cell(a, header.row) for a in columns]  # (as raw.frame.iloc[header.row] has them)
    for j in range(len(columns)):
        if j in used:
            continue
        label = str(head_cells[j]).strip() if head_cells[j] is not None else ""
        dim = breakdown_dimension(label)
        if dim:
            bd_cols.append((j, label, dim[0], dim[1]))
    repeated, repeated_note = repeated_headers(body, header, DTM_HEADERS, ("households", "individuals"))
    blank = blank_array_rows([body_cols[j] for j in (*cols.values(), *(b[0] for b in bd_cols))], len(body)) \
        if len(body) else np.zeros(0, bool)
    kept = np.flatnonzero(~blank & ~repeated)
    kept, footnotes = _footnotes_below(kept, body_cols, [cols[f] for f in ("households", "individuals") if f in cols],
                                       list(cols.values()))
    rownums = body.index.to_numpy()[kept] + 1
    n = len(kept)
    index = pd.RangeIndex(n)
    taken: dict[int, object] = {}  # column position → its cells on the rows ``kept`` (each taken when needed)

    def col_at(j: int):
        got = taken.get(j)
        if got is None:
            got = taken[j] = _take_array(body_cols[j], kept)
        return got

    texts: dict[int, object] = {}  # column position → its cells on the rows ``kept`` as Arrow text (as read)

    def text_at(j: int):
        """A text field's cells as Arrow text, made once (a workbook's cells: ``astype`` of text), so that
        every reader of the column (totals, places, the check) reads the same Arrow array."""
        got = texts.get(j)
        if got is None:
            values = col_at(j)
            got = texts[j] = values if _is_arrow_text(values) else \
                pd.arrays.ArrowStringArray(_astext(_column(values, pd.RangeIndex(len(values)))))
        return got

    labels = dict(header.labels)
    labels["admin1_code"] = header.labels.get("admin1_code", header.labels.get("admin1", "Governorate"))
    group, rnd, ref, title = _meta(raw, header, file, population_group, reference_date, dtm_round, rep)
    rep.notes.append(_("header found on row {row}").format(row=header.row + 1)
                     + (_(" (HXL row {row})").format(row=header.hxl_row + 1) if header.hxl_row is not None else ""))
    if repeated_note:
        rep.notes.append(repeated_note)
    for i, text in footnotes:
        rep.notes.append(_("row {row} is a note under the table, not a location: '{text}'").format(
            row=int(body.index[i]) + 1, text=text[:120] + ("…" if len(text) > 120 else "")))
    if header.unused:
        unused = [u for u in header.unused if not breakdown_dimension(u)]
        if unused:
            rep.notes.append(_("columns not used: {columns}").format(
                columns=", ".join(unused[:20]) + (" …" if len(unused) > 20 else "")))
    if bd_cols:
        dims = sorted({b[2] for b in bd_cols})
        rep.notes.append(_("{n} breakdown columns kept as tidy rows ({dimensions})").format(
            n=len(bd_cols), dimensions=list_sep().join(_(BREAKDOWN_DIMENSION_LABELS.get(d, d)) for d in dims)))

    # ---- the fused totals row (recognised, reported, not counted)
    # (read on the columns' arrays: the mapped columns become Series once the totals are out)
    none = pa.chunked_array([pa.nulls(n, pa.large_string())])
    name_txt = _cells(text_at(cols["site_name"])) if "site_name" in cols else none
    id_txt = _cells(text_at(cols["site_id"])) if "site_id" in cols else none
    gov_txt = _cells(text_at(cols["admin1"])) if "admin1" in cols else none
    # each candidate: the cells of the rows ``at`` (a side column's text is read on those rows only)
    candidates = [(lambda at: _rows_of(name_txt, at), labels.get("site_name")),
                  (lambda at: _rows_of(id_txt, at), labels.get("site_id")),
                  (lambda at: _rows_of(gov_txt, at), labels.get("admin1"))]
    # the district and sub-district columns (a second level of Excel's Subtotal: 'Mosul Total'), then the first
    # columns the header leaves unnamed or unused
    candidates += [(lambda at, j=cols[f]: _cells(_take_array(col_at(j), at)), labels.get(f))
                   for f in ("admin2_name", "admin2_code", "admin3_name") if f in cols]
    candidates += [(lambda at, j=j: _cells(_take_array(col_at(j), at)),
                    str(head_cells[j] or _("column {n}").format(n=j + 1)).strip())
                   for j in range(min(3, len(body_cols))) if j not in cols.values()]
    is_total = np.zeros(n, dtype=bool)
    total_col = np.full(n, None, dtype=object)
    unproved = np.zeros(n, dtype=bool)  # labelled by a totals word with more words after it
    subtotal = np.zeros(n, dtype=bool)  # a total of the rows above it since the previous total, not of all

    def total_word(cells: pa.ChunkedArray, at: np.ndarray, suffix: bool = True) -> np.ndarray:
        """Of the rows ``at``, those whose cell (text: stripped, blanks null; ``cells`` holds the cells of
        those rows only) is a totals word: s.str.lower().str.strip(" :").isin(_TOTAL_WORDS), in Arrow
        kernels, on the cells whose first byte can start one (read from the buffers: a location's name
        rarely can). ``suffix``: also a cell that ends with one ('Anbar Total', as Excel's Subtotal
        labels a group in the column grouped by; not in the location name column, where 'Kilo 7 Total'
        is a place)."""
        can = np.isin(first_bytes(cells), _TOTAL_FIRST_BYTES)
        if suffix:  # ... or that end with one
            for word in _TOTAL_ENDINGS:
                ends = pc.ends_with(cells, word, ignore_case=True)
                if pc.any(ends).as_py():
                    can |= _bools(pc.fill_null(ends, False))
        can = np.flatnonzero(can)
        if not len(can):
            return np.zeros(n, dtype=bool)
        at = at[can]
        if len(can) < len(cells):
            cells = cells.take(pa.array(can))
        # ASCII lower-casing is enough: the totals words are ASCII or Arabic (no case), and no other
        # letter lower-cases into theirs
        cells = pc.utf8_trim(pc.ascii_lower(cells), " :")
        hit = _bools(pc.fill_null(pc.is_in(cells, value_set=pa.array(sorted(_TOTAL_WORDS), cells.type)), False))
        # a totals word with more after it ("Total IDPs", "Grand total (all governorates)"): a total only
        # when its count proves it (below), as a location may be named so
        more = pc.match_substring_regex(cells, _TOTAL_PREFIX)
        if suffix:
            more = pc.or_(more, pc.match_substring_regex(cells, _TOTAL_SUFFIX))
        more = _bools(pc.fill_null(more, False)) & ~hit
        out = np.zeros(n, dtype=bool)
        out[at] = hit | more
        unproved[at[more]] = True
        return out

    # a row naming a location is data, whatever a side column says ("Sum" in a remarks column); each column
    # is looked at only on the rows still in question
    gov_blank = _bools(gov_txt.is_null())

    def name_total(cells_of, at: np.ndarray) -> np.ndarray:
        """total_word of the location name column: 'X Total' only on a row without a governorate (a
        subtotal labelled in the name column; 'Kilo 7 Total' in Ninewa is a place)."""
        hit = total_word(cells_of(at), at, suffix=False)
        bare = at[gov_blank[at]]
        return hit | total_word(cells_of(bare), bare) if len(bare) else hit

    everywhere = np.arange(n)
    unnamed = _bools(name_txt.is_null()) | name_total(lambda at: _rows_of(name_txt, at), everywhere)
    at = np.flatnonzero(unnamed)
    unnamed &= _bools(id_txt.is_null()) | total_word(_rows_of(id_txt, at), at)
    at = np.flatnonzero(unnamed)
    for k, (cells_of, label) in enumerate(candidates):
        if not len(at):
            break
        hit = name_total(cells_of, at) if k == 0 else total_word(cells_of(at), at)  # (the first: the name)
        total_col[hit & ~is_total] = label
        is_total = is_total | hit
        at = at[~is_total[at]]  # a row labelled already: the first column labelling it names it
    count_col = "households" if "households" in cols else "individuals"
    count_vals = []  # the count column read as numbers, once, if a rule below needs it

    def counts() -> np.ndarray:
        if not count_vals:
            v, missing, _issues = number_arrays(col_at(cols[count_col]), integer=True)
            count_vals.append(np.where(missing, np.nan, v))
        return count_vals[0]

    # a labelled row is a total when its count sums the rows above it since the previous total labelled in
    # the same column (a subtotal: 'Mosul Total' in the District column, then 'Ninewa Total' in the
    # Governorate column, as Excel's Subtotal writes two levels) or all the other rows; the last row labelled
    # by a totals word alone ('Total') is one whatever it holds; a location named "Total" elsewhere is data.
    # Sums leave out every labelled row, proved or not (a subtotal that does not add up does not spoil the
    # next group's).
    labelled = is_total.copy()
    wrong = {}  # row → (its count, its group's sum or None, all other rows' sum): a total that does not add up
    if labelled.any() and count_col in cols:
        vals = counts()
        data = ~labelled
        nameless = _bools(name_txt.is_null())
        starts: dict = {}  # label column → the first row after its previous labelled row
        for i in np.flatnonzero(labelled):  # the rows labelled a total, in order
            start = starts.get(total_col[i], 0)
            starts[total_col[i]] = i + 1
            if i == n - 1 and not unproved[i]:
                continue  # 'Total' as the last row
            block = vals[start:i][data[start:i]]
            others = np.concatenate([vals[:i][data[:i]], vals[i + 1:][data[i + 1:]]])
            if np.isnan(vals[i]) or not ((len(block) and vals[i] == np.nansum(block)) or vals[i] == np.nansum(others)):
                if nameless[i] and (unproved[i] or total_col[i] != labels.get("site_name")):
                    # no name of its own, labelled 'Anbar Total' (or 'Total' in the id or a side column): no
                    # location, a total that does not add up (or has no count): not counted, said so
                    wrong[i] = (vals[i], float(np.nansum(block)) if len(block) else None, float(np.nansum(others)))
                    continue
                is_total[i] = False  # "Total Petrol Station", its own count: a location
                total_col[i] = None
            else:
                subtotal[i] = vals[i] != np.nansum(others)  # the total of its group only ('Anbar Total')
    if n > 1 and not is_total[-1] and not (name_txt[n - 1].is_valid or id_txt[n - 1].is_valid
                                           or gov_txt[n - 1].is_valid):
        vals = counts()
        if not np.isnan(vals[-1]) and vals[-1] == np.nansum(vals[:-1][~is_total[:-1]]):
            is_total[-1] = True  # an unlabelled last row that sums the others: a fused total
            total_col[-1] = labels.get(count_col)
    totals = [{f: col_at(j)[i] for f, j in cols.items()} for i in np.flatnonzero(is_total)]
    total_rows = rownums[is_total]
    total_cols = total_col[is_total]
    total_sub = subtotal[is_total]
    total_wrong = [wrong.get(int(i)) for i in np.flatnonzero(is_total)]
    if is_total.any():
        data_rows = np.flatnonzero(~is_total)
        kept, rownums = kept[data_rows], rownums[data_rows]
        n = len(kept)
        index = pd.RangeIndex(n)
        taken.clear()  # the columns taken again, on the data rows only
        id_txt = _rows_of(id_txt, data_rows)
        texts = {j: _take_array(t, data_rows) for j, t in texts.items()}  # (the text made once, taken)
        none = pa.chunked_array([pa.nulls(n, pa.large_string())])
    # the mapped columns, each a Series over the rows kept (no frame: pandas' per-frame costs kept out)
    # (a text field as Arrow text: its text, read by each step below, is made once)
    mapped = {f: _column(text_at(j) if f in TEXT_FIELDS else col_at(j), index, f) for f, j in cols.items()}

    # ---- places
    pre_bad = np.zeros(n, dtype=bool)
    code_col = mapped.get("admin1_code")
    codes = pcode_cells(code_col, length=5) if code_col is not None else none
    if "admin1" in mapped:
        by_name, unknown = governorate_code_cells(mapped["admin1"])
        codes = pc.coalesce(codes, by_name)
        if unknown:
            gv = _cells(mapped["admin1"])
            for i in np.flatnonzero(_bools(codes.is_null()) & _bools(gv.is_valid())):
                v = gv[int(i)].as_py()
                sugg = unknown.get(str(v), [])
                rep.problems.append(Problem(
                    file, _("'{value}' is not a governorate of Iraq").format(value=v)
                    + (_(" (closest: {names})").format(names=", ".join(sugg)) if sugg else ""),
                    int(rownums[i]), header.labels["admin1"], sheet))
                pre_bad[i] = True
    if "admin2_code" in mapped:
        # each distinct cell looked at once: its p-code (a district's: 8 characters), its governorate
        enc = distinct_cells(mapped["admin2_code"])
        values = enc.dictionary.to_pylist()
        full = [pcode_of(v) for v in values]
        code8 = [c if c is not None and len(c) == 8 else None for c in full]
        gov = [c[:5] if c is not None else None for c in code8]
        at = pc.fill_null(enc.indices, len(values)).to_numpy(zero_copy_only=False)  # a null cell: the extra slot
        unread = np.array([c is None and v not in BLANKS for v, c in zip(values, full)] + [False])[at]
        for i in np.flatnonzero(unread):
            rep.problems.append(Problem(file, _("'{value}' is not a COD-AB district p-code (e.g. IQG01Q01, "
                                                "IRQ-G01Q01); left empty").format(value=values[at[i]]),
                                        int(rownums[i]), header.labels["admin2_code"], sheet, "warning"))
        take = pa.array(at)
        adm2 = pa.chunked_array([pa.array(code8 + [None], pa.large_string()).take(take)])
        gov_of = pa.chunked_array([pa.array(gov + [None], pa.large_string()).take(take)])
        # a district p-code names its governorate (IQG01Q03: Anbar): one of Iraq's, and the row's
        in_iraq = np.array([g in GOVERNORATES for g in gov] + [False])[at]
        differs = _bools(pc.fill_null(pc.not_equal(gov_of, codes), False))
        wrong = np.array([c is not None for c in code8] + [False])[at] & (~in_iraq | differs)
        for i in np.flatnonzero(wrong):
            i = int(i)
            g, code, row_gov = gov[at[i]], code8[at[i]], codes[i].as_py()
            why = (_("the district p-code '{code}' names no governorate of Iraq ({gov} is not one); left empty")
                   .format(code=code, gov=g) if g not in GOVERNORATES else
                   _("the district p-code '{code}' lies in {gov_name} ({gov}), not in the row's governorate "
                     "{row_gov_name} ({row_gov}); left empty").format(
                       code=code, gov_name=GOVERNORATES[g][0], gov=g,
                       row_gov_name=GOVERNORATES.get(row_gov, (row_gov,))[0], row_gov=row_gov))
            rep.problems.append(Problem(file, why, int(rownums[i]), header.labels["admin2_code"],
                                        sheet, "warning"))
        if wrong.any():
            gone = pa.array(wrong)
            adm2 = pc.if_else(gone, pa.scalar(None, adm2.type), adm2)
            gov_of = pc.if_else(gone, pa.scalar(None, gov_of.type), gov_of)
    else:
        adm2 = gov_of = none
    codes = pc.coalesce(codes, gov_of)
    if "latitude" in mapped and "longitude" in mapped and codes.null_count:
        codes = _governorates_from_coordinates(codes, pre_bad, mapped, rownums, file, sheet, rep, header.labels)
    if "site_id" not in mapped:
        slug = as_text(mapped.get("site_name", pd.Series(index=index, dtype=object))).str.lower() \
            .str.replace(r"[^\w]+", "-", regex=True)
        mapped["site_id"] = _text_series(codes, index).fillna("IQ") + "-" + slug
        rep.notes.append(_("no Place ID column: site ids made from governorate and location name"))
    if "households" in mapped and "individuals" in mapped:
        both_blank = _blank_cells(mapped["households"]) & _blank_cells(mapped["individuals"])
    else:
        both_blank = _blank_cells(mapped["households" if "households" in mapped else "individuals"])
    for i in np.flatnonzero(both_blank & ~pre_bad):
        rep.problems.append(Problem(file, _("no families or individuals on this row"), int(rownums[i]),
                                    header.labels.get("households", header.labels.get("individuals")), sheet))
        pre_bad[i] = True

    parts = {
        # (the ids' text as read for the totals: stripped already, blanks empty, as the check has them)
        "site_id": clean_ids(_text_series(id_txt, index) if "site_id" in cols else mapped["site_id"]),
        "site_name": mapped.get("site_name", mapped["site_id"]),
        "site_name_ar": mapped.get("site_name_ar"),
        "admin1_code": _text_series(codes, index),
        "admin2_code": _text_series(adm2, index),
        "admin2_name": mapped.get("admin2_name"),
        "admin3_name": mapped.get("admin3_name"),
        "latitude": mapped.get("latitude"),
        "longitude": mapped.get("longitude"),
        "households": mapped.get("households"),
        "individuals": mapped.get("individuals"),
        "site_type_raw": mapped.get("site_type"),
        "reference_date": mapped.get("reference_date"),
        "dtm_round": _round_words(mapped.get("dtm_round")),
    }
    # the columns with a value (a required one without: last, every row then says so)
    filled = [c for c, s in parts.items() if s is not None and _filled(s)]
    order = filled + [c for c in ("site_id", "site_name", "admin1_code") if c not in filled]
    lab = {**labels, "site_name": labels.get("site_name", labels.get("site_id", "site_name")),
           "site_type_raw": labels.get("site_type", "type")}

    # checked and typed column by column (check_table without its frames): column → typed array
    typed, keep = check_columns({c: _values(parts[c]) for c in order}, n, ROW_SPEC, rownums, file=file,
                                sheet=sheet, report=rep, pre_bad=pre_bad, labels=lab, reject=COUNT_FIELDS,
                                if_unread=IF_UNREAD)
    rn = rownums[keep]
    accepted = len(rn)
    kept_cols = {b[0]: _take_array(col_at(b[0]), np.flatnonzero(keep)) for b in bd_cols}
    if not rnd and accepted:  # the file's round from its round column, when every row states the same one
        stated = typed["dtm_round"].dropna().unique()
        if len(stated) == 1:
            rnd = int(stated[0])
    # ---- meta the whole file needs: a population group stated nowhere is a question about the file (its
    # rows are readable, and counted), not a reason to reject them; so is the date (_reference_date)
    if group not in PopulationGroup.values() and accepted:
        rep.problems.append(group_question(file, sheet, accepted))
    ref_rows = _reference_date(typed, ref, file, sheet, rep, lab, given=reference_date)
    tables = _build_tables(typed, rn, kept_cols, bd_cols, group, rnd, ref_rows, file, sheet, rep, lab)
    _report_totals(totals, total_rows, total_cols, tables.get("population"), file, sheet, rep, labels, total_sub,
                   total_wrong, labels.get(count_col, count_col))
    rep.notes.insert(0, (_("IDP Master List") if group == "idp" else _("returnee Master List") if group == "returnee"
                         else _("? Master List"))
                     + (_(", round {round}").format(round=rnd) if rnd else "")
                     + (_(", dated {date}").format(date=_day(ref)) if ref else "")
                     + (_(", reference date needed") if DATE in answers(rep.questions) else ""))
    rep.check()
    return tables, rep


def _reference_date(typed: dict, ref, file, sheet, rep: LoadReport, lab, given=None) -> dt.date | None:
    """The one reference date of the file's rows, or a question when there is none.

    A Master List is one round's snapshot: all its rows take one date. The date the user
    gives wins; then the file's date (title rows, sheet name or file name); else the date
    column when every readable cell of it says the same day. A date column that says
    otherwise is overruled, with one warning (it is often an assessment date). Without a
    date, the rows are readable but the file needs the date: one "question" problem, and
    the file is not used until it is given. ``typed``: the accepted rows' typed arrays, by column
    (:func:`~dsdash.validate.check_columns`); their date column is set to the one date.
    """
    col = np.asarray(typed["reference_date"], dtype="datetime64[s]")
    if not len(col):
        return ref
    undated = np.isnat(col)
    days = np.unique(col[~undated])  # (sorted: only their number, the one, the first and the last are used)
    if given is not None:
        day, source, short = pd.Timestamp(given), _("the date given"), _("the date given")
    elif ref is not None:
        day, source, short = (pd.Timestamp(ref), _("the file's date (title rows, sheet or file name)"),
                              _("the file's date"))
    elif len(days) == 1:
        day, source, short = pd.Timestamp(days[0]), None, None
        rep.notes.append(_("reference date {date} read from column '{column}' (the one day its rows state)").format(
            date=_day(day), column=lab.get("reference_date", "date")))
        if undated.any():
            rep.notes.append(_("{n:,} rows without a readable date take the file's date, {date} (every other row's)")
                             .format(n=int(undated.sum()), date=_day(day)))
    else:
        n, m = len(col), int(undated.sum())
        label = lab.get("reference_date", "date")
        what = (_("no date in the file name, the title rows or a readable date column") if m == n
                else _("{m:,} of them have no readable date in column '{column}'").format(m=m, column=label) if m
                else _("its date column '{column}' holds {n} different days, {first} to {last}").format(
                    column=label, n=len(days), first=_day(min(days)),
                    last=_day(max(days))))
        rep.problems.append(Problem(
            file, ngettext("{n:,} row readable; the reference date is needed ({what}): give it on the Upload page, "
                           "or with --date on the command line",
                           "{n:,} rows readable; the reference date is needed ({what}): give it on the Upload page, "
                           "or with --date on the command line", n).format(n=n, what=what),
            sheet=sheet, level="question"))
        return None
    other = ~undated & (col != day.to_datetime64())
    if source and other.any():
        rep.problems.append(Problem(
            file, _("{source} ({date}) differs from the file's date column ({column_date} on {n:,} rows); a Master "
                    "List is one round: using {short}").format(
                source=source, date=_day(day), column_date=_day(col[other][0]),
                n=int(other.sum()), short=short), sheet=sheet, column=lab.get("reference_date"),
            level="warning"))
    typed["reference_date"] = np.full(len(col), np.datetime64(day.to_datetime64(), "s"))
    return day.date()


def _build_tables(typed: dict, rn, body, bd_cols, group, rnd, ref, file, sheet, rep, lab) -> dict[str, pd.DataFrame]:
    """The output tables from the accepted rows' typed arrays, by column (``typed``), and their breakdown
    cells (``body``: column position → the accepted rows' cells)."""
    n = len(rn)
    if n == 0:
        return {"sites": coerce(pd.DataFrame(columns=SITES.column_names), SITES)}
    w = rep.problems
    index = pd.RangeIndex(n)
    refs = np.asarray(typed["reference_date"], dtype="datetime64[s]")
    if ref is not None:
        refs = np.where(np.isnat(refs), np.datetime64(pd.Timestamp(ref).to_datetime64(), "s"), refs)
    rounds = typed["dtm_round"]  # Int64
    round_mask = rounds.isna()
    round_vals = rounds.to_numpy(dtype=np.int64, na_value=0)
    if rnd:
        round_vals = np.where(round_mask, int(rnd), round_vals)
        round_mask = np.zeros(n, dtype=bool)
    hh = typed["households"].to_numpy(dtype=float, na_value=np.nan)
    ind = typed["individuals"].to_numpy(dtype=float, na_value=np.nan)
    round_arr = np.where(round_mask, np.nan, round_vals.astype(float))
    text = {c: typed[c].__arrow_array__() for c in ("site_id", "site_name", "site_name_ar", "admin1_code",
                                                     "admin2_code", "admin2_name", "admin3_name", "site_type_raw")}

    # breakdowns (numbers read on the accepted rows only; unreadable cells warned, left out)
    v = None
    shelter_camp = None
    if bd_cols:  # every breakdown cell parsed in one vectorised call
        v, _missing, issues = number_arrays(_stack([body[j] for j, *_x in bd_cols]), integer=True)
        for pos, level, msg in issues:
            k, i = divmod(pos, n)
            w.append(Problem(file, msg + (_("; left out of the breakdown") if level == "error" else ""), int(rn[i]),
                             bd_cols[k][1], sheet, "warning"))
        for k, (j, label, dim, code) in enumerate(bd_cols):
            if dim == "shelter" and header_key(label) in ("camp", "camps"):
                shelter_camp = v[k * n:(k + 1) * n]
    lat = typed["latitude"].to_numpy(dtype=float, na_value=np.nan)
    lon = typed["longitude"].to_numpy(dtype=float, na_value=np.nan)
    lat, lon = _check_coordinates(lat, lon, rn, file, sheet, rep, lab)

    camp = _camp_mask(text, hh, shelter_camp)
    x5 = camp & (round_arr >= CAMP_X5_FROM_ROUND)
    mult = np.where(x5, 5, 6)
    unknown_round_camp = camp & np.isnan(round_arr)
    expected = hh * mult
    X6, X5, REPORTED = 0, 1, 2  # the methods, as positions in METHODS (spread by Arrow's take at the end)
    method = np.where(x5, X5, X6)
    computed = np.isnan(ind) & ~np.isnan(hh)
    ind_out = np.where(computed, expected, ind)
    given = ~np.isnan(ind) & ~np.isnan(hh)
    match = given & ((ind == expected) | (unknown_round_camp & (ind == hh * 5)))
    method[unknown_round_camp & given & (ind == hh * 5)] = X5
    other = given & ~match & (ind == hh * np.where(x5, 6, 5))
    mismatch = given & ~match
    method[mismatch] = REPORTED
    method[other & ~x5] = X5
    method[other & x5] = X6
    method[np.isnan(hh)] = REPORTED
    hl, il = lab.get("households", "households"), lab.get("individuals", "individuals")
    if "households" in lab:  # a households column whose cell is empty or '-': counted by its individuals, said
        for i in np.flatnonzero(np.isnan(hh) & ~np.isnan(ind)):
            w.append(Problem(file, _("no households on this row: its individuals are counted, its households left "
                                     "empty"), int(rn[i]), hl, sheet, "warning"))
    for i in np.flatnonzero(mismatch):
        rule = _("× 5 (a camp, round ≥ 117)") if x5[i] else "× 6"
        w.append(Problem(file, _("individuals {ind:,} ≠ households {hh:,} {rule} = {expected:,}").format(
                             ind=int(ind[i]), hh=int(hh[i]), rule=rule, expected=int(expected[i]))
                         + (_(" (it matches × 5)") if other[i] and not x5[i] else _(" (it matches × 6)") if other[i]
                            else "")
                         + _("; kept as reported"), int(rn[i]), il, sheet, "warning"))
    for i in np.flatnonzero(given & (ind < hh)):
        w.append(Problem(file, _("individuals ({ind:,}) fewer than households ({hh:,})").format(
                             ind=int(ind[i]), hh=int(hh[i])), int(rn[i]),
                         il, sheet, "warning"))
    for i in np.flatnonzero(np.nan_to_num(ind_out, nan=0) > MAX_PLAUSIBLE_INDIVIDUALS):
        w.append(Problem(file, _("{n:,} individuals at one location: more than {most:,}, the most plausible; check "
                                 "the cell").format(n=int(ind_out[i]), most=MAX_PLAUSIBLE_INDIVIDUALS), int(rn[i]),
                         il if not computed[i] else hl, sheet, "warning"))
    if computed.any():
        rep.notes.append(_("{n} rows without individuals: computed as households × 6 (× 5 in camps from round "
                           "{round})").format(n=int(computed.sum()), round=CAMP_X5_FROM_ROUND))
    _warn_duplicate_names(text, rn, file, sheet, rep, lab)

    dated = refs[~np.isnat(refs)]  # a Master List is one round: its date goes in the source's words
    src_date = f", {pd.Timestamp(dated[0]):%d %b %Y}" if len(dated) and dated.min() == dated.max() else ""
    src_prefix = (f"{file}{f' sheet {sheet}' if sheet else ''} (DTM Master List, "
                  f"{'IDPs' if group == 'idp' else 'returnees'}{f', round {rnd}' if rnd else ''}{src_date}), row ")
    # text columns built as Arrow strings (kernels, not a Python string per row)
    rows_txt = pc.cast(pa.array(rn, pa.int64()), pa.large_string())
    source = pc.binary_join_element_wise(pa.scalar(src_prefix, pa.large_string()), rows_txt,
                                         pa.scalar("", pa.large_string()))
    camp_at = camp.astype(np.intp)
    gov = pa.array(list(GOVERNORATES), pa.large_string())
    gov_names = pa.array([v[0] for v in GOVERNORATES.values()], pa.large_string())
    sites = _table(SITES, {
        "site_id": text["site_id"], "site_name": text["site_name"], "site_name_ar": text["site_name_ar"],
        "admin1_code": text["admin1_code"],
        "admin1_name": pc.take(gov_names, pc.index_in(text["admin1_code"], value_set=gov)),
        "admin2_code": text["admin2_code"], "admin2_name": text["admin2_name"],
        "admin3_name": text["admin3_name"], "latitude": _floats(lat), "longitude": _floats(lon),
        "site_type": _take_text([SiteType.LOCATION.value, SiteType.CAMP.value], camp_at),
        "site_type_basis": _take_text(["DTM Master List location",
                                       "DTM Master List: camp (by name, type or shelter column)"], camp_at),
        "source": source,  # site_group, coordination_area: not in a Master List (empty)
    }, index)
    ind_missing = np.isnan(ind_out)
    pop = _table(POPULATION, {
        "site_id": text["site_id"], "population_group": _take_text([group], np.zeros(n, np.intp)),
        "households": typed["households"],
        "individuals": pd.arrays.IntegerArray(np.where(ind_missing, 0, np.round(ind_out)).astype(np.int64),
                                              ind_missing),
        "individuals_method": _take_text([m.value for m in (IndividualsMethod.HH_X6, IndividualsMethod.HH_X5,
                                                             IndividualsMethod.REPORTED)], method),
        "reference_date": refs, "dtm_round": pd.arrays.IntegerArray(round_vals, round_mask), "source": source,
    }, index)
    tables = {"sites": sites, "population": pop}
    if v is not None:
        for pos in np.flatnonzero(v < 0):
            k, i = divmod(int(pos), n)
            w.append(Problem(file, _("{value:g} is negative: a count cannot be below 0; left out of the breakdown")
                             .format(value=v[pos]),
                             int(rn[i]), bd_cols[k][1], sheet, "warning"))
        nz = np.flatnonzero(v > 0)  # NaN compares False: blanks and unread cells are left out
        if len(nz):
            # the tidy rows come column by column: each column's count by where its cells start (nz is
            # sorted), and each row's position within its column (``np.divmod(nz, n)``, without dividing)
            per_col = np.diff(np.searchsorted(nz, np.arange(len(bd_cols) + 1) * n))
            i_of = nz - np.repeat(np.arange(len(bd_cols), dtype=nz.dtype) * n, per_col)
            at = pa.array(i_of)
            tables["breakdowns"] = _table(BREAKDOWNS, {  # text columns stay Arrow strings: no Python string per row
                "site_id": text["site_id"].take(at),
                "population_group": _runs([group], np.array([len(nz)])),
                "reference_date": refs[i_of],
                "dimension": _runs([b[2] for b in bd_cols], per_col),
                "category": _runs([GOVERNORATES[b[3]][0] if b[3] else b[1] for b in bd_cols], per_col),
                "category_code": _runs([b[3] for b in bd_cols], per_col),
                "households": pd.arrays.IntegerArray(v[nz].astype("int64"), np.zeros(len(nz), dtype=bool)),
                "source": _rows_by_column(source, v > 0),
            }, pd.RangeIndex(len(nz)))
    return tables


def _rows_by_column(cells: pa.Array | pa.ChunkedArray, keep: np.ndarray) -> pa.ChunkedArray:
    """``cells.take(np.divmod(np.flatnonzero(keep), len(cells))[1])``: for each of several columns of
    ``len(cells)`` rows laid end to end (``keep``: their cells, column after column), the cells of the
    rows kept. One filter of the cells repeated once per column: the rows come in runs, copied a run at
    a time, not one string at a time (a breakdown row's source text, ~64k of them)."""
    chunks = list(cells.chunks) if isinstance(cells, pa.ChunkedArray) else [cells]
    columns = len(keep) // len(cells) if len(cells) else 0
    return pa.chunked_array(chunks * columns, cells.type).filter(pa.array(keep, pa.bool_()))


def _floats(values: np.ndarray) -> pd.arrays.FloatingArray:
    """A Float64 column of floats, NaN as missing (``pd.array(values, dtype="Float64")``)."""
    missing = np.isnan(values)
    return pd.arrays.FloatingArray(np.where(missing, 0.0, values), missing)


def _table(spec: TableSpec, columns: dict, index: pd.RangeIndex) -> pd.DataFrame:
    """A table of ``spec`` from its columns (Arrow text, pandas or numpy arrays), built once in the
    spec's order and dtypes (what :func:`~dsdash.validate.coerce` gives: a column the spec has and
    ``columns`` lacks is empty)."""
    n = len(index)
    out = {}
    for c in spec.columns:  # (a column not in the dtype yet, which none should be, is cast)
        v = columns.get(c.name)
        if v is None:
            if c.kind == "str":
                v = pa.nulls(n, pa.large_string())
            elif c.kind == "date":
                v = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
            else:
                v = (pd.arrays.IntegerArray if c.kind == "int" else pd.arrays.FloatingArray)(
                    np.zeros(n, dtype=np.int64 if c.kind == "int" else np.float64), np.ones(n, dtype=bool))
        if isinstance(v, (pa.Array, pa.ChunkedArray)):
            v = pd.arrays.ArrowStringArray(v if isinstance(v, pa.ChunkedArray) else pa.chunked_array([v]))
        if v.dtype != _DTYPE[c.kind]:
            v = pd.Series(v, copy=False).astype(DTYPES[c.kind]).array
        out[c.name] = v
    return _frame(out, _column_index(spec), index)


@functools.lru_cache(maxsize=None)
def _column_index(spec: TableSpec) -> pd.Index:
    return pd.Index(spec.column_names)


def _frame(arrays: dict, columns: pd.Index, index: pd.RangeIndex) -> pd.DataFrame:
    """``pd.DataFrame(arrays, index=index)`` for arrays already of the right length and dtype, without
    pandas' checks of each (its ``_from_arrays``, where this pandas has it)."""
    if hasattr(pd.DataFrame, "_from_arrays"):
        return pd.DataFrame._from_arrays(list(arrays.values()), columns=columns, index=index, verify_integrity=False)
    return pd.DataFrame(arrays, index=index, copy=False)


#: The dtype of each column kind in a table (:data:`dsdash.validate.DTYPES`).
_DTYPE = {kind: pd.api.types.pandas_dtype(d) for kind, d in DTYPES.items()}


def _stack(columns: list) -> pd.Series:
    """The columns (arrays) one under the other, as one column (their cells joined without pandas' concat:
    a workbook's cells as one object array, Arrow text as the chunks of one array)."""
    if all(isinstance(c, np.ndarray) and c.dtype == object for c in columns):
        return pd.Series(np.concatenate(columns), dtype=object)
    if all(_is_arrow_text(c) for c in columns):
        chunks = [ch.cast(pa.large_string()) for c in columns for ch in c.__arrow_array__().chunks]
        return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(chunks, pa.large_string())))
    return pd.concat([_column(c, pd.RangeIndex(len(c))) for c in columns], ignore_index=True)


def _runs(values: list, counts: np.ndarray) -> pa.Array:
    """Arrow text of ``values[0]`` ``counts[0]`` times, then ``values[1]`` ``counts[1]`` times … (None: null),
    written straight into the array's buffers (no Python string per row): each run's offsets are one
    arithmetic sequence, written in place."""
    counts = np.asarray(counts, dtype=np.int64)
    total = int(counts.sum())
    words = [None if v is None else str(v).encode("utf-8") for v in values]
    offsets = np.empty(total + 1, dtype=np.int64)
    offsets[0] = 0
    at = base = 0
    for w, c in zip(words, counts.tolist()):
        if not c:
            continue
        size = len(w) if w is not None else 0
        run = offsets[at + 1:at + c + 1]
        if size:
            np.multiply(_steps(c), size, out=run)
            run += base
        else:
            run[:] = base
        at += c
        base += size * c
    data = b"".join(w * int(c) for w, c in zip(words, counts) if w is not None)
    validity = None
    if any(w is None for w in words):
        valid = np.repeat(np.array([w is not None for w in words]), counts)
        validity = pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.LargeStringArray.from_buffers(total, pa.py_buffer(offsets), pa.py_buffer(data), validity)


def _steps(c: int) -> np.ndarray:
    """1, 2 … c (a view of one array kept for every call, grown when a run is longer)."""
    global _STEPS
    if len(_STEPS) < c:
        _STEPS = np.arange(1, max(c, 2 * len(_STEPS)) + 1, dtype=np.int64)
        _STEPS.flags.writeable = False
    return _STEPS[:c]


_STEPS = np.arange(1, 1 << 16, dtype=np.int64)
_STEPS.flags.writeable = False


def _take_text(values: list, at: np.ndarray) -> pa.Array:
    """``values[at]`` as Arrow text (one take: no Python string per row)."""
    return pa.array(values, pa.large_string()).take(pa.array(at, pa.int64()))


def _check_coordinates(lat, lon, rn, file, sheet, rep, lab):
    min_lon, min_lat, max_lon, max_lat = IRAQ_BBOX
    has = ~np.isnan(lat) & ~np.isnan(lon)
    inside = has & (lat >= min_lat) & (lat <= max_lat) & (lon >= min_lon) & (lon <= max_lon)
    swapped = has & ~inside & (lon >= min_lat) & (lon <= max_lat) & (lat >= min_lon) & (lat <= max_lon)
    outside = has & ~inside & ~swapped
    lat, lon = lat.copy(), lon.copy()
    la, lo = lab.get("latitude", "latitude"), lab.get("longitude", "longitude")
    for i in np.flatnonzero(swapped):
        rep.problems.append(Problem(file, _("latitude {lat:g} and longitude {lon:g} look swapped (outside Iraq as "
                                            "given, inside when swapped); read swapped").format(lat=lat[i], lon=lon[i]),
                                    int(rn[i]), f"{la}/{lo}", sheet,
                                    "warning"))
    tmp = lat.copy()
    lat[swapped] = lon[swapped]
    lon[swapped] = tmp[swapped]
    for i in np.flatnonzero(outside):
        rep.problems.append(Problem(file, _("coordinates ({lat:g}, {lon:g}) are outside Iraq; the location is kept "
                                            "without a map position").format(lat=lat[i], lon=lon[i]), int(rn[i]), f"{la}/{lo}", sheet, "warning"))
    lat[outside] = np.nan
    lon[outside] = np.nan
    return lat, lon


def _warn_duplicate_names(text, rn, file, sheet, rep, lab):
    cells, ids = text["site_name"], text["site_id"]
    # lower-cased (ASCII names by the byte kernel: no other letter lower-cases into ASCII); the names are
    # check_table's text, stripped already (and lower-casing adds no white space at either end)
    cells = pc.ascii_lower(cells) if _ascii_only(cells) else pc.utf8_lower(cells)
    if len(pc.unique(cells)) == len(cells):
        return  # a duplicate site has a duplicate name: the rest is not looked at
    enc = pc.dictionary_encode(cells, null_encoding="encode")
    enc = enc.combine_chunks() if isinstance(enc, pa.ChunkedArray) else enc
    codes = enc.indices.to_numpy().astype(np.int64)
    at = np.flatnonzero(np.bincount(codes)[codes] > 1)  # rows whose name is not alone
    # the key (name, district name, governorate) of those rows, as one integer per row from Arrow's codes
    key = codes[at]
    for col in ("admin2_name", "admin1_code"):
        part = pc.dictionary_encode(pc.fill_null(text[col].take(pa.array(at)), ""))
        part = part.combine_chunks() if isinstance(part, pa.ChunkedArray) else part
        key = key * max(len(part.dictionary), 1) + part.indices.to_numpy().astype(np.int64)
    _u, first_of, inverse, counts = np.unique(key, return_index=True, return_inverse=True, return_counts=True)
    for j in np.flatnonzero(counts[inverse] > 1):  # in row order; the first of each key is named by the others
        f = first_of[inverse[j]]
        if f == j:
            continue
        i, first = int(at[j]), int(at[f])
        rep.problems.append(Problem(
            file, _("possible duplicate site: same name as row {row} in the same district (place ids {first} and "
                    "{this}); both kept").format(row=int(rn[first]), first=ids[first].as_py(), this=ids[i].as_py()),
            int(rn[i]), lab.get("site_name", "site_name"), sheet, "warning"))


def _ascii_only(cells: pa.ChunkedArray) -> bool:
    """Whether every byte of the text is ASCII (``pc.string_is_ascii`` of every cell), read from the buffers."""
    for chunk in cells.chunks:
        n = len(chunk)
        if not n or chunk.null_count == n:
            continue
        chunk = chunk.cast(pa.large_string()) if chunk.type != pa.large_string() else chunk
        offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int64, count=n + 1, offset=chunk.offset * 8)
        data = chunk.buffers()[2]
        if data is None:
            continue
        raw = np.frombuffer(data, dtype=np.uint8)[offsets[0]:offsets[-1]]
        if len(raw) and raw.max() >= 128:
            return False
    return True


def _report_totals(totals, total_rows, total_cols, pop, file, sheet, rep, labels, subtotals=None, wrong=None,
                   count_label=None):
    for k, row in enumerate(totals):  # each a dict: column → the cell as read
        if wrong is not None and wrong[k] is not None:  # labelled a total, no location of its own, does not add up
            value, group, every = wrong[k]
            if np.isnan(value):
                why = _("a totals row without a count: recognised and not counted")
            else:
                why = (_("a totals row whose {column} ({value:,}) is neither the sum of the rows above it since the "
                         "previous total ({group:,}) nor that of all the other rows ({every:,}): not counted; check "
                         "the file's totals") if group is not None else
                       _("a totals row whose {column} ({value:,}) is not the sum of the other rows ({every:,}): not "
                         "counted; check the file's totals")).format(
                    column=iso(count_label), value=int(value), group=int(group or 0), every=int(every))
            rep.problems.append(Problem(file, why, int(total_rows[k]), total_cols[k], sheet, "warning"))
            continue
        if subtotals is not None and subtotals[k]:  # proved by its group's sum: not compared with all rows
            rep.problems.append(Problem(
                file, _("a subtotal row (the sum of the rows above it, since the previous total): recognised and not "
                        "counted"), int(total_rows[k]), total_cols[k], sheet, "warning"))
            continue
        parts = []
        for f in ("households", "individuals"):
            if f not in row or pop is None:
                continue
            try:
                v = _plain_count(row[f])
                if v is None:
                    v = numbers(pd.Series([row[f]], dtype=object), integer=True)[0].iat[0]
            except Exception:  # noqa: BLE001 - a totals cell we cannot read is just reported
                v = pd.NA
            if pd.isna(v):
                continue
            s = int(pop[f].sum())
            parts.append((_("{column} {value:,} equals the sum of the accepted rows ({sum:,})") if int(v) == s else
                          _("{column} {value:,} differs from the sum of the accepted rows ({sum:,})"))
                         .format(column=labels.get(f, f), value=int(v), sum=s))
        rep.problems.append(Problem(
            file, _("a totals row: recognised and not counted") + (list_sep() + list_sep().join(parts) if parts else ""),
            int(total_rows[k]), total_cols[k], sheet, "warning"))
    if len(totals) == 1:
        rep.notes.append(_("row {row} is a totals row: not counted").format(row=int(total_rows[0])))
    elif len(totals):
        shown = ", ".join(str(int(r)) for r in total_rows[:10]) + (" …" if len(totals) > 10 else "")
        rep.notes.append(_("{n} totals and subtotal rows, not counted: rows {rows}").format(
            n=f"{len(totals):,}", rows=shown))


def _plain_count(cell) -> float | None:
    """A totals cell that is plain digits (text, or a workbook's whole number) read as :func:`numbers`
    reads it, without a pandas column for one cell; None for any other cell (numbers reads it)."""
    if isinstance(cell, str):
        return float(cell) if cell.isascii() and cell.isdigit() and len(cell) <= 15 else None
    if isinstance(cell, int) and not isinstance(cell, bool) and abs(cell) < 2**53:
        return float(cell)
    return None

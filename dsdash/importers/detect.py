"""Where is a sheet's header, and which kind does it name? Header synonyms of the sheet kinds.

Headers drift between DTM rounds and between agencies. Each kind lists, for each of our
fields, the headers met in the wild (after :func:`header_key`); HXL hashtags count as
headers too. :func:`find_header` scans the first rows (title rows sit above the header in
IOM's workbooks) and picks the row and kind that name the most fields. Which kinds take
part, with their synonyms and required fields, is the registry's
(:mod:`dsdash.importers.kinds`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dsdash.schema import normalise_text

#: How many rows from the top may hold title lines above the header.
MAX_TITLE_ROWS = 30


def header_key(value: object) -> str:
    """A header as compared: lower case, ``_`` and ``.`` as spaces, no brackets, hashtags
    kept whole (``#org+name``). Blank for empty cells.

    Examples:
        >>> header_key(" Location_name "), header_key("IDPs Families"), header_key("#Org +Name")
        ('location name', 'idps families', '#org+name')
        >>> header_key("Location name (in English)")
        'location name in english'
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    s = value if type(value) is str else str(value)
    if s.isascii():  # the same steps without regular expressions (NFKC leaves ASCII as it is)
        if s.isalnum():
            return s.lower()
        t = " ".join(s.split()).lower()
        if t.startswith("#"):
            return t.replace(" ", "")
        return " ".join(t.translate(_PUNCT).split())
    t = normalise_text(s)
    if t.startswith("#"):
        return re.sub(r"\s+", "", t)
    t = re.sub(r"[_.:*]+", " ", t)
    t = re.sub(r"[()\[\]]", " ", t)
    return re.sub(r"\s+", " ", t).strip()


#: What :func:`header_key` reads as a space (besides whitespace).
_PUNCT = str.maketrans("_.:*()[]", " " * 8)


@functools.lru_cache(maxsize=8192)
def _text_key(value: str) -> str:
    return header_key(value)


def any_key(value: object) -> str:
    """:func:`header_key` of any cell, text cached (the same result, for rows scanned cell by cell)."""
    return _text_key(value) if isinstance(value, str) else header_key(value)


def cell_key(value: object) -> str:
    """:func:`header_key` of a cell that could be a header: text not starting with a digit
    (numbers and dates in data rows are skipped cheaply; repeated texts are cached)."""
    if not isinstance(value, str) or not value or value[:1].isdigit():
        return ""
    return _text_key(value)


def _text_rows(frame: pd.DataFrame, stop: int) -> list[list] | None:
    """The first ``stop`` rows of a frame of Arrow text columns (a CSV as read) without a missing cell
    among them, or of Python objects (a workbook's cells), straight from the frame's blocks: what
    ``frame.head(stop).to_numpy(dtype=object).tolist()`` gives, without the frame's copy and its
    conversion column by column; None for any other frame."""
    if not frame.shape[1]:
        return None
    out = np.empty((min(stop, len(frame)), frame.shape[1]), dtype=object)
    try:
        for blk in frame._mgr.blocks:
            values, locs = blk.values, blk.mgr_locs.as_array
            if isinstance(values, pd.arrays.ArrowStringArray) and len(locs) == 1:
                top = values._pa_array.slice(0, stop)
                if top.null_count:
                    return None
                out[:, locs[0]] = top.to_pylist()
            elif isinstance(values, np.ndarray) and values.dtype == object and values.ndim == 2:
                out[:, locs] = values[:, :stop].T
            else:
                return None
    except AttributeError:  # another pandas' internals: the plain way
        return None
    return out.tolist()


class TopRows:
    """The first :data:`MAX_TITLE_ROWS` rows of a sheet as the header finders read them, each
    cell's header key computed once and shared (the kinds tried one after the other read the
    same rows). Made for one frame, by one :func:`dsdash.importers.kinds.detect`: nothing is
    kept between sheets.
    """

    def __init__(self, frame: pd.DataFrame):
        self._frame = frame
        #: The cells, one list per row (as ``to_numpy(dtype=object)`` has them).
        self.rows: list[list] = _text_rows(frame, MAX_TITLE_ROWS)
        if self.rows is None:
            self.rows = self.frame.to_numpy(dtype=object).tolist()
        self._any: list[list[str]] | None = None
        self._cell: list[list[str]] | None = None
        self._hxl: dict[tuple[str, int], bool] = {}

    @property
    def frame(self) -> pd.DataFrame:
        """The first rows, as a frame."""
        return self._frame.head(MAX_TITLE_ROWS)

    @property
    def any_keys(self) -> list[list[str]]:
        """:func:`any_key` of every cell."""
        if self._any is None:
            self._any = [[any_key(v) for v in row] for row in self.rows]
        return self._any

    @property
    def cell_keys(self) -> list[list[str]]:
        """:func:`cell_key` of every cell (from :attr:`any_keys`: the same key, or blank)."""
        if self._cell is None:
            self._cell = [[k if k and isinstance(v, str) and not v[:1].isdigit() else "" for v, k in zip(row, keys)]
                          for row, keys in zip(self.rows, self.any_keys)]
        return self._cell

    def is_hxl(self, i: int, which: str = "any") -> bool:
        """:func:`is_hxl_row` of row ``i``'s keys (``which``: "any" or "cell" keys)."""
        hit = self._hxl.get((which, i))
        if hit is None:
            hit = self._hxl[(which, i)] = is_hxl_row((self.any_keys if which == "any" else self.cell_keys)[i])
        return hit


def _keys(*names: str) -> tuple[str, ...]:
    return tuple(header_key(n) for n in names)


#: DTM Master List (IDP and returnee) headers across rounds, per field.
DTM_HEADERS: dict[str, tuple[str, ...]] = {
    "site_id": _keys("Place ID", "Place_ID", "PlaceID", "Place code", "Location ID", "Location code", "Site ID",
                     "Site code", "Master list ID", "Location_ID", "locationId", "Place Id", "#loc+code"),
    "site_name": _keys("Location Name", "Location name in English", "Location_name", "Place", "Place name",
                       "Location name (English)", "Location name EN", "Location", "Site name", "English name",
                       "Location name in english", "locationName", "#loc+name"),
    "site_name_ar": _keys("Arabic Name", "Location name in Arabic", "Arabic_name", "Location name (Arabic)",
                          "Location name AR", "Name Arabic", "Arabic", "اسم الموقع", "#loc+name+i_ar"),
    "admin1": _keys("Governorate", "Governorate name", "Province", "admin1", "admin1Name", "Admin1 name",
                    "Gov", "Governorate EN", "المحافظة", "#adm1+name"),
    "admin1_code": _keys("Governorate pcode", "Governorate p-code", "admin1Pcode", "Admin1 pcode", "ADM1_PCODE",
                         "Governorate code", "#adm1+code"),
    "admin2_name": _keys("District", "District name", "admin2", "admin2Name", "Admin2 name", "Qada", "القضاء",
                         "#adm2+name"),
    "admin2_code": _keys("District pcode", "District p-code", "admin2Pcode", "Admin2 pcode", "ADM2_PCODE",
                         "District code", "#adm2+code"),
    "admin3_name": _keys("Sub-district", "Subdistrict", "Sub district", "Nahya", "admin3Name", "الناحية",
                         "#adm3+name"),
    "latitude": _keys("Latitude", "Lat", "GPS Latitude", "#geo+lat"),
    "longitude": _keys("Longitude", "Long", "Lon", "Lng", "GPS Longitude", "#geo+lon"),
    "households": _keys("Families", "Households", "IDPs Families", "IDP Families", "IDP Households",
                        "Returnee Families", "Returnees Families", "Returnee Households", "Number of families",
                        "HH", "Total families", "# Families", "Families (HH)", "#population+hh",
                        "#affected+hh", "numPresentIdpHh"),
    "individuals": _keys("Individuals", "IDPs Individuals", "IDP Individuals", "Returnee Individuals",
                         "Returnees Individuals", "Number of individuals", "Total individuals", "Persons",
                         "IND", "#population+ind", "#affected+ind", "numPresentIdpInd"),
    "site_type": _keys("Location type", "Site type", "Type of location", "Location Type", "#loc+type"),
    "reference_date": _keys("Date", "Reference date", "Reporting date", "reportingDate", "Round date",
                            "Date of assessment", "#date+reported", "#date"),
    "dtm_round": _keys("Round", "Round number", "roundNumber", "DTM round", "#meta+round"),
}

#: 3W/4W/5W presence headers, per field (several agencies' templates, and HXL).
PRESENCE_HEADERS: dict[str, tuple[str, ...]] = {
    "partner": _keys("Organisation", "Organization", "Partner", "Agency", "Org", "Partner name",
                     "Organization name", "Reporting organization", "Reporting organisation", "Who", "#org+name",
                     "#org", "Lead organization", "Lead organisation", "Lead agency", "Lead org",
                     "المنظمة", "الشريك", "اسم المنظمة", "اسم الشريك", "الجهة", "المنظمة الشريكة",
                     "المنظمة المبلغة", "الوكالة"),
    "implementer": _keys("Implementing partner", "Implementing organization", "Implementing organisation",
                         "Implementing agency", "Implementer", "Implementing org", "#org+impl",
                         "الشريك المنفذ", "المنظمة المنفذة", "الجهة المنفذة", "الشريك التنفيذي"),
    "partner_type": _keys("Organisation type", "Organization type", "Org type", "Partner type", "Type of organization",
                          "Agency type", "#org+type", "نوع المنظمة", "نوع الشريك", "نوع الجهة"),
    "funded_by": _keys("Donor", "Funded by", "Funding", "Funder", "#org+funder", "#org+donor",
                       "المانح", "الجهة المانحة", "التمويل"),
    "service": _keys("Service", "Sector", "Cluster", "Sector/cluster", "Cluster/sector", "Service type", "What",
                     "Activity type", "Sub-sector", "#sector", "#sector+name", "#service",
                     "القطاع", "الخدمة", "نوع الخدمة", "الكتلة"),
    "site_id": _keys("Site ID", "Site code", "Location code", "Place ID", "Location ID", "#loc+code",
                     "#loc+id", "رمز الموقع"),
    "site_name": _keys("Site", "Site name", "Location", "Location name", "Camp", "Camp name", "Where",
                       "Village", "#loc+name", "#loc", "الموقع", "اسم الموقع", "المخيم", "القرية"),
    "site_group": _keys("Site group", "Group", "Complex", "Sector of site", "#loc+group", "المجمع"),
    "district": _keys("District", "District name", "Qada", "admin2", "Admin2 district", "#adm2+name", "القضاء"),
    "district_code": _keys("District pcode", "District p-code", "District code", "admin2Pcode", "ADM2_PCODE",
                           "#adm2+code", "رمز القضاء"),
    "governorate": _keys("Governorate", "Governorate name", "Province", "admin1", "Admin1 governorate", "Gov",
                         "#adm1+name", "المحافظة"),
    "governorate_code": _keys("Governorate pcode", "Governorate p-code", "Governorate code", "admin1Pcode",
                              "ADM1_PCODE", "#adm1+code", "رمز المحافظة"),
    "start_date": _keys("Start date", "Start", "From", "Date start", "Starting date", "Start of activity",
                        "Project start", "When start", "#date+start", "Activity start date", "Activity start",
                        "Project start date", "Actual start date", "Start date (actual)",
                        "تاريخ البدء", "تاريخ البداية", "تاريخ بدء النشاط", "البداية", "بداية النشاط", "من تاريخ"),
    "end_date": _keys("End date", "End", "To", "Until", "Date end", "Ending date", "End of activity",
                      "Project end", "When end", "#date+end", "Activity end date", "Activity end", "Project end date",
                      "Planned end date", "Expected end date", "End date (planned)", "End (planned)",
                      "تاريخ الانتهاء", "تاريخ النهاية", "تاريخ انتهاء النشاط", "النهاية", "نهاية النشاط",
                      "إلى تاريخ", "الى تاريخ"),
    "status": _keys("Status", "Activity status", "Project status", "#status", "الحالة", "حالة النشاط",
                    "حالة المشروع"),
    "handover_to": _keys("Handover to", "Handed over to", "Handover", "#org+handover", "سلم إلى"),
    "note": _keys("Activity", "Activities", "Description", "Comments", "Comment", "Remarks", "Notes", "Note",
                  "#activity", "#description", "#meta+comments", "النشاط", "الأنشطة", "ملاحظات", "الوصف"),
}

#: FVM statistics headers (tidy form), per field.
FVM_HEADERS: dict[str, tuple[str, ...]] = {
    "indicator": _keys("Indicator", "Indicator name", "Description", "Item", "#indicator", "#indicator+name"),
    "value": _keys("Value", "Households", "Number", "Count", "Total", "#indicator+value+num", "#indicator+value"),
    "period_label": _keys("Period", "Year", "Period label", "#date+label", "#date+period"),
    "period_start": _keys("Period start", "Start date", "From", "#date+start"),
    "period_end": _keys("Period end", "End date", "To", "Until", "#date+end"),
    "unit": _keys("Unit", "#indicator+unit"),
    "admin1": _keys("Governorate", "admin1", "#adm1+name", "#adm1+code"),
}

#: Movement headers (origin → destination), per field.
MOVEMENT_HEADERS: dict[str, tuple[str, ...]] = {
    "origin_name": _keys("Origin", "Origin name", "Origin location", "Location of origin", "From location",
                         "Place of origin", "Area of origin", "#loc+name+origin", "#loc+origin"),
    "origin_admin1": _keys("Origin governorate", "Governorate of origin", "#adm1+name+origin", "#adm1+code+origin"),
    "origin_latitude": _keys("Origin latitude", "Origin lat", "#geo+lat+origin"),
    "origin_longitude": _keys("Origin longitude", "Origin long", "Origin lon", "#geo+lon+origin"),
    "destination_name": _keys("Destination", "Destination name", "Destination location", "Location of destination",
                              "To location", "Place of destination", "Area of return", "Area of relocation",
                              "#loc+name+destination", "#loc+destination"),
    "destination_admin1": _keys("Destination governorate", "Governorate of destination",
                                "Governorate of return", "#adm1+name+destination", "#adm1+code+destination"),
    "destination_latitude": _keys("Destination latitude", "Destination lat", "#geo+lat+destination"),
    "destination_longitude": _keys("Destination longitude", "Destination long", "Destination lon",
                                   "#geo+lon+destination"),
    "households": _keys("Households", "Families", "HH", "Number of households", "#population+hh"),
    "individuals": _keys("Individuals", "Persons", "IND", "Number of individuals", "#population+ind"),
    "period_start": _keys("Period start", "Start date", "Date from", "Departure date", "#date+start"),
    "period_end": _keys("Period end", "End date", "Date to", "Arrival date", "Date", "#date+end"),
}

@dataclass
class Header:
    """Where the header is, and which column holds which field."""

    kind: str
    row: int  # 0-based index into the raw frame
    columns: dict[str, int] = field(default_factory=dict)  # field -> column position
    labels: dict[str, str] = field(default_factory=dict)  # field -> the header text as in the file
    score: int = 0
    hxl_row: int | None = None  # 0-based index of an HXL hashtag row, if any
    unused: list[str] = field(default_factory=list)  # headers we did not map


#: An HXL hashtag with its attributes, as :func:`header_key` has it (``#adm1+code``). Excel's error
#: values (``#REF!``, ``#N/A``, ``#DIV/0!``) start with ``#`` too, and are not hashtags.
HXL_TAG = re.compile(r"#[a-z][a-z0-9_]*(?:\+[a-z][a-z0-9_]*)*")


def is_hxl_tag(key: str) -> bool:
    """Whether a header key is an HXL hashtag.

    Examples:
        >>> is_hxl_tag("#adm1+code"), is_hxl_tag("#ref!"), is_hxl_tag("#n/a"), is_hxl_tag("families")
        (True, False, False, False)
    """
    return HXL_TAG.fullmatch(key) is not None


def is_hxl_row(cells: list[str]) -> bool:
    """Whether a row of header keys is a row of HXL hashtags (at least two, and half the cells).

    Examples:
        >>> is_hxl_row(["#org+name", "#sector", "", "x"]), is_hxl_row(["#ref!", "#ref!", "anbar", "hay nour"])
        (True, False)
    """
    filled = [c for c in cells if c]
    return bool(filled) and sum(is_hxl_tag(c) for c in filled) >= max(2, len(filled) // 2)


def _reverse(synonyms: dict[str, tuple[str, ...]]) -> dict[str, list[tuple[int, int, str]]]:
    rev: dict[str, list[tuple[int, int, str]]] = {}
    for fi, (fld, names) in enumerate(synonyms.items()):
        for pi, name in enumerate(names):
            rev.setdefault(name, []).append((fi, pi, fld))
    return rev


_REVERSE_CACHE: dict[int, tuple[object, dict]] = {}


def match_columns(keys: list[str], synonyms: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Field → column position for the headers that name a field (each field takes its
    highest-priority synonym present; each column serves one field).

    Examples:
        >>> match_columns(["place id", "families", "x"], DTM_HEADERS)
        {'site_id': 0, 'households': 1}
    """
    hit = _REVERSE_CACHE.get(id(synonyms))
    if hit is None or hit[0] is not synonyms:  # (the dict kept with its map: its id is never another's)
        if len(_REVERSE_CACHE) > 64:  # callers' own dicts (made per file) are not kept for ever
            _REVERSE_CACHE.clear()
        hit = _REVERSE_CACHE[id(synonyms)] = (synonyms, _reverse(synonyms))
    rev = hit[1]
    hits = []
    for j, k in enumerate(keys):
        found = rev.get(k)
        if found is None and k[:1] == "#":
            found = rev.get(hxl_synonym(k, synonyms), ())
        for fi, pi, fld in found or ():
            hits.append((fi, pi, j, fld))
    out: dict[str, int] = {}
    used: set[int] = set()
    for fi, pi, j, fld in sorted(hits):
        if fld not in out and j not in used:
            out[fld] = j
            used.add(j)
    return out


def _score(needs: tuple[tuple[str, ...], ...], cols: dict[str, int]) -> int:
    if not all(any(f in cols for f in group) for group in needs):
        return 0
    return len(cols)


def find_header(frame: pd.DataFrame, kinds, top: TopRows | None = None) -> Header | None:
    """The header row and column mapping of the best-matching kind among ``kinds``.

    ``kinds`` are records with ``name``, ``headers`` (field → synonyms, as
    :func:`header_key` has them) and ``needs`` (fields a kind cannot do without: any one
    of each tuple), as :class:`dsdash.importers.kinds.Kind`. The row naming the most
    fields wins; on a tie, the earlier row, then the earlier kind. A row of HXL hashtags
    just under (or instead of) the header is recognised; when the text header does not
    name a field, its hashtag may.

    Examples:
        >>> from types import SimpleNamespace
        >>> ml = SimpleNamespace(name="dtm_master_list", headers=DTM_HEADERS, needs=(("households",),))
        >>> h = find_header(pd.DataFrame([["Round 130", None], ["Place ID", "Families"], ["1", "10"]]), [ml])
        >>> h.kind, h.row, h.columns
        ('dtm_master_list', 1, {'site_id': 0, 'households': 1})
    """
    top = TopRows(frame) if top is None else top
    keys_rows = top.cell_keys
    best: Header | None = None
    for i, keys in enumerate(keys_rows):
        if len(keys) - keys.count("") < 2:  # fewer than two cells that could be headers
            continue
        hxl_row = None
        merged = list(keys)
        if i + 1 < len(keys_rows) and top.is_hxl(i + 1, "cell") and not top.is_hxl(i, "cell"):
            hxl_row = i + 1
        for k in kinds:
            syn = k.headers
            if hxl_row is None and _named(keys, syn):
                continue  # no header of the row names a field of this kind: it scores 0
            cols = match_columns(merged, syn)
            if hxl_row is not None:
                extra = match_columns(keys_rows[hxl_row], syn)
                for f, j in extra.items():
                    if f not in cols and j not in cols.values():
                        cols[f] = j
            sc = _score(k.needs, cols)
            if sc and (best is None or sc > best.score):
                labels = {f: str(top.rows[i][j]).strip() for f, j in cols.items()}
                unused = [str(top.rows[i][j]).strip() for j in range(len(keys))
                          if keys[j] and j not in cols.values()]
                best = Header(k.name, i, cols, labels, sc, hxl_row, unused)
    return best


def _named(keys: list[str], synonyms) -> bool:
    """True when none of ``keys`` is a header spelling of ``synonyms`` (the set of them cached)."""
    hit = _NAMES_CACHE.get(id(synonyms))
    if hit is None or hit[0] is not synonyms:
        names = frozenset(h for spellings in synonyms.values() for h in spellings)
        hit = _NAMES_CACHE[id(synonyms)] = (synonyms, names)
    return hit[1].isdisjoint(keys) and not any(k[:1] == "#" and hxl_synonym(k, synonyms) for k in keys)


def _tag_parts(tag: str) -> tuple[str, frozenset[str]]:
    head, *attrs = tag.split("+")
    return head, frozenset(attrs)


def _known_attributes() -> frozenset[str]:
    """The HXL attributes some synonym of ours uses (they carry meaning: ``+origin``, ``+impl``,
    ``+code`` …); any other attribute (``+planned``, ``+acronym``, ``+cluster``, ``+en``) is ignored."""
    out: set[str] = set()
    for table in (DTM_HEADERS, PRESENCE_HEADERS, FVM_HEADERS, MOVEMENT_HEADERS):
        for names in table.values():
            for n in names:
                if n[:1] == "#":
                    out |= _tag_parts(n)[1]
    return frozenset(out - {"name"})  # "+name" adds nothing to a hashtag that names a thing


@functools.lru_cache(maxsize=4096)
def _hxl_synonym(tag: str, names: frozenset[str]) -> str:
    if not is_hxl_tag(tag):
        return ""
    head, attrs = _tag_parts(tag)
    best, best_n = "", -1
    for n in sorted(names):
        if n[:1] != "#":
            continue
        h, a = _tag_parts(n)
        if h == head and a <= attrs and not ((attrs - a) & _KNOWN_ATTRIBUTES) and len(a) > best_n:
            best, best_n = n, len(a)
    return best


def hxl_synonym(tag: str, synonyms) -> str:
    """The hashtag among ``synonyms`` (field → spellings) that an HXL tag with more attributes
    stands for: the same hashtag, every attribute of the synonym, and only unknown attributes
    (or ``+name``) besides; the synonym with the most attributes wins. Blank when none.

    Examples:
        >>> hxl_synonym("#sector+cluster", PRESENCE_HEADERS), hxl_synonym("#date+end+planned", PRESENCE_HEADERS)
        ('#sector', '#date+end')
        >>> hxl_synonym("#org+name+acronym", PRESENCE_HEADERS), hxl_synonym("#org+impl+name", PRESENCE_HEADERS)
        ('#org+name', '#org+impl')
        >>> hxl_synonym("#loc+name+origin", PRESENCE_HEADERS), hxl_synonym("#adm1+name+en", PRESENCE_HEADERS)
        ('', '#adm1+name')
    """
    hit = _NAMES_CACHE.get(id(synonyms))
    if hit is None or hit[0] is not synonyms:
        _named([], synonyms)
        hit = _NAMES_CACHE[id(synonyms)]
    return _hxl_synonym(tag, hit[1])


_NAMES_CACHE: dict[int, tuple[object, frozenset]] = {}
_KNOWN_ATTRIBUTES = _known_attributes()

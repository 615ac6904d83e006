"""The one place that owns dsdash's column names and closed vocabularies.

Every table in dsdash is long (tidy), with the snake_case column names below. The names
reuse the humanitarian data ecosystem's where they exist (HDX HAPI: ``admin1_code``,
``admin1_name``, ``reference_period_start`` ...; HXL hashtags on export).

Nothing else in the package spells a column name or a vocabulary value as a literal:
import it from here. Validation happens once, where data enters
(:mod:`dsdash.validate`), against the :data:`TABLES` specs below.

P-codes follow OCHA COD-AB: governorates ``IQG01`` … ``IQG18``, districts ``IQG01Q01`` ….
DTM's API writes ``IRQ-G01Q01`` and older files ``IQ-G11``: :func:`normalise_pcode`
turns all of them into COD-AB form.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import Enum

import pandas as pd


class StrEnum(str, Enum):
    """A ``str`` enum whose values are the stored vocabulary (as HDX HAPI does)."""

    def __str__(self) -> str:  # pragma: no cover - trivial
        return str(self.value)

    @classmethod
    def values(cls) -> list[str]:
        return [m.value for m in cls]


# --------------------------------------------------------------------------- services
class Service(StrEnum):
    """The closed service vocabulary, in display order."""

    WATER = "water"
    SANITATION = "sanitation_waste"
    ELECTRICITY = "electricity"
    SHELTER = "shelter_nfi"
    HEALTH = "health"
    PROTECTION = "protection_legal"
    CIVIL_DOC = "civil_documentation"
    GBV = "gbv"
    CHILD_PROTECTION = "child_protection"
    EDUCATION = "education"
    LIVELIHOODS = "livelihoods"
    CCCM = "site_management"
    MHPSS = "mhpss"
    RETURN_SUPPORT = "return_support"


#: Display label of each service.
SERVICE_LABELS: dict[str, str] = {
    "water": "Water",
    "sanitation_waste": "Sanitation and solid waste",
    "electricity": "Electricity",
    "shelter_nfi": "Shelter and NFI",
    "health": "Health",
    "protection_legal": "Protection and legal aid",
    "civil_documentation": "Civil documentation",
    "gbv": "GBV",
    "child_protection": "Child protection",
    "education": "Education",
    "livelihoods": "Livelihoods",
    "site_management": "Site management (CCCM)",
    "mhpss": "MHPSS",
    "return_support": "Return support",
}

#: HDX HAPI sector code of each service, where one exists (None: no HAPI sector).
SERVICE_HAPI_SECTOR: dict[str, str | None] = {
    "water": "WSH",
    "sanitation_waste": "WSH",
    "electricity": None,
    "shelter_nfi": "SHL",
    "health": "HEA",
    "protection_legal": "PRO",
    "civil_documentation": "PRO",
    "gbv": "PRO-GBV",
    "child_protection": "PRO-CPN",
    "education": "EDU",
    "livelihoods": "ERY",
    "site_management": "CCM",
    "mhpss": "PRO",
    "return_support": None,
}

#: Extra spellings of each service met in 3W/4W/5W sheets (lower case, matched after
#: :func:`normalise_text`). Importers map these to the vocabulary; anything else is
#: reported with the closest suggestions.
SERVICE_SYNONYMS: dict[str, list[str]] = {
    "water": ["water", "water supply", "water trucking", "wash water", "drinking water", "wash"],
    "sanitation_waste": [
        "sanitation", "solid waste", "solid waste management", "sanitation and solid waste",
        "hygiene", "desludging", "waste", "garbage", "swm",
    ],
    "electricity": ["electricity", "power", "electricity maintenance", "power grid"],
    "shelter_nfi": ["shelter", "nfi", "shelter/nfi", "shelter and nfi", "shelter & nfi", "shelter upgrades", "snfi"],
    "health": ["health", "primary health care", "phc", "mobile clinic", "healthcare"],
    "protection_legal": [
        "protection", "legal aid", "legal assistance", "legal", "icla", "protection and legal aid",
        "protection monitoring", "general protection",
    ],
    "civil_documentation": ["civil documentation", "documentation", "civil documents", "civil affairs"],
    "gbv": ["gbv", "gender based violence", "gender-based violence", "sgbv", "protection-gbv"],
    "child_protection": ["child protection", "cp", "protection-cp"],
    "education": ["education", "formal education", "informal education", "learning"],
    "livelihoods": ["livelihoods", "livelihood", "economic empowerment", "cash for work", "early recovery"],
    "site_management": ["site management", "cccm", "camp management", "camp coordination and camp management"],
    "mhpss": ["mhpss", "pss", "psychosocial support", "mental health"],
    "return_support": ["return support", "facilitated return", "fvm", "facilitated voluntary movement", "relocation"],
}


# --------------------------------------------------------------------------- vocabularies
class PopulationGroup(StrEnum):
    IDP = "idp"
    RETURNEE = "returnee"


POPULATION_GROUP_LABELS = {"idp": "IDPs", "returnee": "Returnees"}


class IndividualsMethod(StrEnum):
    """How a count of individuals was obtained (DTM: households × 6, × 5 in camps from R117)."""

    REPORTED = "reported"
    HH_X6 = "hh_x6"
    HH_X5 = "hh_x5"
    MIXED = "hh_x6_x5"  # × 6 out of camp, × 5 in camps (DTM from round 117)


INDIVIDUALS_METHOD_LABELS = {
    "reported": "individuals as reported",
    "hh_x6": "individuals = households × 6 (DTM)",
    "hh_x5": "individuals = households × 5 (DTM, in camps from round 117)",
    "hh_x6_x5": "individuals = households × 6, × 5 in camps (DTM from round 117)",
}


class SiteType(StrEnum):
    """Site typology of the Anbar informal-sites deck (seed 000), plus DTM's generic types."""

    FORMER_CAMP = "former_camp"
    LARGE_INFORMAL = "large_informal"
    SMALL_INFORMAL = "small_informal"
    DS_HOUSING = "ds_housing"
    CAMP = "camp"
    LOCATION = "location"  # a DTM Master List location (village, neighbourhood)
    UNSPECIFIED = "unspecified"


SITE_TYPE_LABELS = {
    "former_camp": "Former camp (reclassified)",
    "large_informal": "Large informal site",
    "small_informal": "Small informal site",
    "ds_housing": "DS housing complex",
    "camp": "Formal camp",
    "location": "DTM location",
    "unspecified": "Not stated",
}


class PartnerType(StrEnum):
    UN = "UN"
    INGO = "INGO"
    NNGO = "NNGO"
    GOVERNMENT = "government"
    OTHER = "other"


class Scope(StrEnum):
    """Where a presence row (or a reported need) applies."""

    SITE = "site"  # scope_id = site_id
    SITE_GROUP = "site_group"  # scope_id = the site_group name, e.g. "Bzebiz"
    DISTRICT = "district"  # scope_id = admin2_code
    GOVERNORATE = "governorate"  # scope_id = admin1_code


class PresenceStatus(StrEnum):
    """Status of a presence row as the source states it.

    ``ended`` with an empty ``end_date`` means it ended on a date the source does not
    give: such a row never counts as serving. Otherwise the dates decide.
    """

    ACTIVE = "active"
    SCHEDULED_END = "scheduled_end"  # an end date is planned; extension possible
    ENDED = "ended"


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class IndexName(StrEnum):
    RETURN = "return_index"
    DISPLACEMENT = "displacement_index"


class CoverageState(StrEnum):
    """States of a site × service cell on a date (rules: dsdash.coverage.engine), worst first."""

    LOST = "lost"
    END_UNCONFIRMED = "end_unconfirmed"
    AT_RISK = "at_risk"
    HANDED_OVER = "handed_over"
    NO_REPORT = "no_report"
    NEVER = "never_served"
    SERVED = "served"


COVERAGE_STATE_LABELS = {
    "lost": "Lost (partner exit)",
    "end_unconfirmed": "End unconfirmed (planned end passed)",
    "at_risk": "At risk (all providers end soon)",
    "handed_over": "Handed over (government only)",
    "no_report": "No report (no presence reported for the site)",
    "never_served": "Never served",
    "served": "Served",
}


class Adequacy(StrEnum):
    """Graded coverage of a cell (rule: dsdash.coverage.engine), worst first."""

    NOT_COVERED = "not_covered"
    PARTIAL = "partially_covered"
    COVERED = "covered"


ADEQUACY_LABELS = {"not_covered": "Not covered", "partially_covered": "Partially covered", "covered": "Covered"}


class ExitEventKind(StrEnum):
    """What an editor records about a partner's planned end (dsdash.coverage.presence.apply_exit_events)."""

    CONFIRMED = "confirmed"  # the exit happened: end_date is the actual last day
    EXTENDED = "extended"  # the planned end moved: end_date is the new planned end
    HANDED_OVER = "handed_over"  # the service went to another body after end_date


EXIT_EVENT_LABELS = {"confirmed": "Exit confirmed", "extended": "End extended", "handed_over": "Handed over"}

#: Whether a presence row's end is planned or confirmed (dsdash.coverage.presence.end_kind).
END_KIND_LABELS = {"planned": "Planned end", "confirmed": "Confirmed end", "open": "No end date"}

#: Days ahead in which a cell whose every provider ends is "at risk", unless the user
#: chooses another horizon.
DEFAULT_HORIZON_DAYS = 90

#: One colour per meaning, shared by every page, chart, map and deck.
COLOURS = {
    "idp": "#1f77b4",
    "returnee": "#2ca02c",
    "severe": "#d62728",
    "medium": "#ff7f0e",
    "low": "#9edae5",
    "lost": "#d62728",
    "at_risk": "#ff7f0e",
    "handed_over": "#9467bd",
    "never_served": "#7f7f7f",
    "served": "#2ca02c",
    "end_unconfirmed": "#e377c2",
    "no_report": "#c7c7c7",
    "not_covered": "#d62728",
    "partially_covered": "#ffbb78",
    "covered": "#2ca02c",
    "UN": "#1f77b4",
    "INGO": "#ff7f0e",
    "NNGO": "#2ca02c",
    "government": "#9467bd",
    "other": "#7f7f7f",
    # FVM indicators (trends page, deck): registered people are IDPs, returns are returns.
    "registered_help_desk": "#1f77b4",
    "returned": "#2ca02c",
    "relocated": "#17becf",
    "cash_grants": "#bcbd22",
    "livelihoods_support": "#8c564b",
    "housing_repairs_completed": "#e377c2",
    "hotspot": "#d62728",
    "method_change": "#7f7f7f",
}

DTM_CREDIT = "Source: International Organization for Migration (IOM), Displacement Tracking Matrix (DTM)"


# --------------------------------------------------------------------------- governorates
#: COD-AB governorates (edition 2019-06-03): p-code → (English name, Arabic name).
GOVERNORATES: dict[str, tuple[str, str]] = {
    "IQG01": ("Al-Anbar", "الانبار"),
    "IQG02": ("Al-Basrah", "البصرة"),
    "IQG03": ("Al-Muthanna", "المثنى"),
    "IQG04": ("Al-Najaf", "النجف"),
    "IQG05": ("Al-Qadissiya", "القادسية"),
    "IQG06": ("Al-Sulaymaniyah", "السليمانية"),
    "IQG07": ("Babil", "بابل"),
    "IQG08": ("Baghdad", "بغداد"),
    "IQG09": ("Duhok", "دهوك"),
    "IQG10": ("Diyala", "ديالى"),
    "IQG11": ("Erbil", "اربيل"),
    "IQG12": ("Kerbala", "كربلاء"),
    "IQG13": ("Kirkuk", "كركوك"),
    "IQG14": ("Maysan", "ميسان"),
    "IQG15": ("Ninewa", "نينوى"),
    "IQG16": ("Salah Al-Din", "صلاح الدين"),
    "IQG17": ("Thi Qar", "ذي قار"),
    "IQG18": ("Wassit", "واسط"),
}

#: Spellings met in DTM files and decks (after :func:`normalise_text`) → p-code.
GOVERNORATE_SYNONYMS: dict[str, str] = {
    "anbar": "IQG01", "al anbar": "IQG01", "al-anbar": "IQG01",
    "basrah": "IQG02", "basra": "IQG02", "al basrah": "IQG02", "al-basrah": "IQG02",
    "muthanna": "IQG03", "al muthanna": "IQG03", "al-muthanna": "IQG03",
    "najaf": "IQG04", "al najaf": "IQG04", "al-najaf": "IQG04",
    "qadissiya": "IQG05", "al qadissiya": "IQG05", "al-qadissiya": "IQG05", "al diwaniya": "IQG05",
    "al-diwaniya": "IQG05", "diwaniya": "IQG05", "qadisiyah": "IQG05", "al-qadisiyah": "IQG05",
    "sulaymaniyah": "IQG06", "al sulaymaniyah": "IQG06", "al-sulaymaniyah": "IQG06", "sulaimaniya": "IQG06",
    "sulaymaniya": "IQG06",
    "babil": "IQG07", "babylon": "IQG07",
    "baghdad": "IQG08",
    "duhok": "IQG09", "dahuk": "IQG09", "dohuk": "IQG09",
    "diyala": "IQG10",
    "erbil": "IQG11", "arbil": "IQG11",
    "kerbala": "IQG12", "karbala": "IQG12",
    "kirkuk": "IQG13",
    "maysan": "IQG14", "missan": "IQG14",
    "ninewa": "IQG15", "nineveh": "IQG15", "ninawa": "IQG15",
    "salah al-din": "IQG16", "salah al din": "IQG16", "salah aldin": "IQG16", "salahaddin": "IQG16",
    "salah ad din": "IQG16", "saladin": "IQG16",
    "thi qar": "IQG17", "thi-qar": "IQG17", "dhi qar": "IQG17", "thiqar": "IQG17",
    "wassit": "IQG18", "wasit": "IQG18",
}

#: Rough bounding box of Iraq (lon/lat), for "outside Iraq" and "swapped" checks.
IRAQ_BBOX = (38.7, 29.0, 48.9, 37.4)  # min_lon, min_lat, max_lon, max_lat


def normalise_text(s: object) -> str:
    """Lower-case, NFKC, collapsed whitespace, curly quotes straightened.

    Examples:
        >>> normalise_text("  Al-ANBAR ")
        'al-anbar'
        >>> normalise_text("Ka\u2019im")
        "ka'im"
    """
    t = unicodedata.normalize("NFKC", str(s)).replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", t).strip().lower()


def governorate_code(name_or_code: object) -> str | None:
    """COD-AB p-code of a governorate given by name (any common spelling) or p-code.

    Examples:
        >>> governorate_code("Anbar"), governorate_code("Babylon"), governorate_code("IQ-G11")
        ('IQG01', 'IQG07', 'IQG11')
        >>> governorate_code("Atlantis") is None
        True
    """
    if name_or_code is None:
        return None
    code = normalise_pcode(name_or_code)
    if code and code in GOVERNORATES:
        return code
    t = normalise_text(name_or_code)
    if t in GOVERNORATE_SYNONYMS:
        return GOVERNORATE_SYNONYMS[t]
    for pcode, (en, _ar) in GOVERNORATES.items():
        if t == normalise_text(en):
            return pcode
    return None


def governorate_name(pcode: str) -> str:
    return GOVERNORATES.get(pcode, (pcode, ""))[0]


_PCODE_RE = re.compile(r"^\s*IR?Q-?\s*G?(\d{1,2})(?:\s*-?\s*Q(\d{1,2}))?\s*$", re.IGNORECASE)


def normalise_pcode(value: object) -> str | None:
    """COD-AB form of a governorate or district p-code, or None if it is not one.

    Examples:
        >>> normalise_pcode("IRQ-G01Q01"), normalise_pcode("IQ-G11"), normalise_pcode("iqg1q4")
        ('IQG01Q01', 'IQG11', 'IQG01Q04')
        >>> normalise_pcode("Anbar") is None
        True
    """
    if value is None:
        return None
    m = _PCODE_RE.match(str(value))
    if not m:
        return None
    g = f"IQG{int(m.group(1)):02d}"
    return f"{g}Q{int(m.group(2)):02d}" if m.group(2) else g


# --------------------------------------------------------------------------- table specs
@dataclass(frozen=True)
class Column:
    """One column of a table: its name, kind and rules."""

    name: str
    kind: str  # "str", "int", "float", "date"
    required: bool = False  # the value may not be empty
    vocab: tuple[str, ...] | None = None
    min: float | None = None
    max: float | None = None
    hxl: str | None = None
    description: str = ""


@dataclass(frozen=True)
class TableSpec:
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _v(e: type[StrEnum]) -> tuple[str, ...]:
    return tuple(e.values())


SOURCE = Column("source", "str", required=True, hxl="#meta+source", description="where the row comes from")

SITES = TableSpec(
    "sites",
    "A location where displaced people live (camp, informal site, village, neighbourhood).",
    (
        Column("site_id", "str", required=True, hxl="#loc+code"),
        Column("site_name", "str", required=True, hxl="#loc+name"),
        Column("site_name_ar", "str", hxl="#loc+name+i_ar"),
        Column("admin1_code", "str", hxl="#adm1+code"),
        Column("admin1_name", "str", hxl="#adm1+name"),
        Column("admin2_code", "str", hxl="#adm2+code"),
        Column("admin2_name", "str", hxl="#adm2+name"),
        Column("admin3_name", "str", hxl="#adm3+name"),
        Column("latitude", "float", min=-90, max=90, hxl="#geo+lat"),
        Column("longitude", "float", min=-180, max=180, hxl="#geo+lon"),
        Column("site_type", "str", required=True, vocab=_v(SiteType), hxl="#loc+type"),
        Column("site_type_basis", "str", description="how the type was decided (stated / inferred …)"),
        Column("site_group", "str", hxl="#loc+group"),
        Column("coordination_area", "str", hxl="#group+coordination"),
        SOURCE,
    ),
    key=("site_id",),
)

POPULATION = TableSpec(
    "population",
    "A count of people at a site on a date.",
    (
        Column("site_id", "str", required=True, hxl="#loc+code"),
        Column("population_group", "str", required=True, vocab=_v(PopulationGroup), hxl="#population+type"),
        Column("households", "int", min=0, hxl="#population+hh"),
        Column("individuals", "int", min=0, hxl="#population+ind"),
        Column("individuals_method", "str", required=True, vocab=_v(IndividualsMethod), hxl="#meta+method"),
        Column("reference_date", "date", required=True, hxl="#date+reported"),
        Column("dtm_round", "int", min=1, hxl="#meta+round"),
        SOURCE,
    ),
    key=("site_id", "population_group", "reference_date"),
)

PRESENCE = TableSpec(
    "presence",
    "A partner delivering a service somewhere for a period. Empty end_date = ongoing; "
    "empty start_date = since before the source's records.",
    (
        Column("partner", "str", required=True, hxl="#org+name"),
        Column("partner_type", "str", required=True, vocab=_v(PartnerType), hxl="#org+type"),
        Column("funded_by", "str", hxl="#org+funder"),
        Column("scope", "str", required=True, vocab=_v(Scope), hxl="#meta+scope"),
        Column("scope_id", "str", required=True, hxl="#loc+code"),
        Column("service", "str", required=True, vocab=_v(Service), hxl="#sector"),
        Column("start_date", "date", hxl="#date+start"),
        Column("end_date", "date", hxl="#date+end"),
        Column("dates_as_stated", "str", description="the source's own words for the dates"),
        Column("status", "str", required=True, vocab=_v(PresenceStatus), hxl="#status"),
        Column("handover_to", "str", hxl="#org+handover"),
        Column("note", "str", hxl="#description"),
        SOURCE,
    ),
)

NEEDS = TableSpec(
    "needs",
    "A reported gap or need. scope/scope_id work as in presence (a need stated for all "
    "Anbar sites is one governorate row, spread to sites by dsdash.scope).",
    (
        Column("scope", "str", required=True, vocab=_v(Scope), hxl="#meta+scope"),
        Column("scope_id", "str", required=True, hxl="#loc+code"),
        Column("service", "str", required=True, vocab=_v(Service), hxl="#sector"),
        Column("severity", "str", required=True, vocab=_v(Severity), hxl="#severity"),
        Column("severity_basis", "str"),
        Column("note", "str", hxl="#description"),
        Column("reported_on", "date", required=True, hxl="#date+reported"),
        SOURCE,
    ),
)

FVM = TableSpec(
    "fvm",
    "A facilitated-voluntary-movement indicator for a period (and optionally an area).",
    (
        Column("period_start", "date", hxl="#date+start"),
        Column("period_end", "date", required=True, hxl="#date+end"),
        Column("period_label", "str", required=True, hxl="#date+label"),
        Column("indicator", "str", required=True, hxl="#indicator+name"),
        Column("value", "int", required=True, min=0, hxl="#indicator+value+num"),
        Column("unit", "str", required=True, hxl="#indicator+unit"),
        Column("admin1_code", "str", hxl="#adm1+code"),
        Column("note", "str", hxl="#description"),
        SOURCE,
    ),
)

#: The FVM table's indicators (seed 004), in funnel order, with labels.
FVM_INDICATORS: dict[str, str] = {
    "registered_help_desk": "HHs registered at help desks",
    "returned": "HHs who have returned",
    "relocated": "HHs who have relocated",
    "cash_grants": "Cash grants distributed",
    "livelihoods_support": "Livelihoods support",
    "housing_repairs_completed": "HHs with completed housing repair and reconstruction",
    "facilitated_total": "HHs facilitated to return or relocate (cumulative)",
}

#: Indicators dsdash derives from the FVM table (not in the source's table).
FVM_DERIVED_INDICATORS: dict[str, str] = {"returned_or_relocated": "HHs who have returned or relocated"}

MOVEMENTS = TableSpec(
    "movements",
    "Households moved from an origin to a destination.",
    (
        Column("origin_name", "str", required=True, hxl="#loc+name+origin"),
        Column("origin_admin1_code", "str", hxl="#adm1+code+origin"),
        Column("origin_latitude", "float", min=-90, max=90, hxl="#geo+lat+origin"),
        Column("origin_longitude", "float", min=-180, max=180, hxl="#geo+lon+origin"),
        Column("destination_name", "str", required=True, hxl="#loc+name+destination"),
        Column("destination_admin1_code", "str", hxl="#adm1+code+destination"),
        Column("destination_latitude", "float", min=-90, max=90, hxl="#geo+lat+destination"),
        Column("destination_longitude", "float", min=-180, max=180, hxl="#geo+lon+destination"),
        Column("households", "int", min=0, hxl="#population+hh"),
        Column("individuals", "int", min=0, hxl="#population+ind"),
        Column("period_start", "date", hxl="#date+start"),
        Column("period_end", "date", hxl="#date+end"),
        SOURCE,
    ),
)

INDEX_ROUNDS = TableSpec(
    "index_rounds",
    "One DTM Return Index or Displacement Index round. Unknown figures stay empty.",
    (
        Column("index", "str", required=True, vocab=_v(IndexName), hxl="#indicator+name"),
        Column("round", "int", min=1, hxl="#meta+round"),
        Column("period_start", "date", hxl="#date+start"),
        Column("period_end", "date", required=True, hxl="#date+end"),
        Column("publication", "str", hxl="#date+published"),
        Column("locations_assessed", "int", min=0, hxl="#loc+num"),
        Column("locations_severe", "int", min=0, hxl="#loc+severe+num"),
        Column("population_severe", "int", min=0, hxl="#population+severe"),
        Column("share_severe", "float", min=0, max=100, hxl="#population+severe+pct"),
        Column("note", "str", hxl="#description"),
        SOURCE,
    ),
)

NATIONAL_SERIES = TableSpec(
    "national_series",
    "One DTM round nationally: IDP or returnee individuals.",
    (
        Column("dtm_round", "int", required=True, min=1, hxl="#meta+round"),
        Column("reference_date", "date", required=True, hxl="#date+reported"),
        Column("population_group", "str", required=True, vocab=_v(PopulationGroup), hxl="#population+type"),
        Column("individuals", "int", required=True, min=0, hxl="#population+ind"),
        SOURCE,
    ),
    # Round numbers and dates disagree between sources for 2014-early 2016 (facts/README):
    # the date is the key, and one round number may appear on two dates.
    key=("reference_date", "population_group"),
)

HOTSPOTS = TableSpec(
    "hotspots",
    "DTM Return Index hotspot sub-districts (DSTWG meeting, 9 December 2020).",
    (
        Column("admin1_code", "str", required=True, hxl="#adm1+code"),
        Column("admin1_name", "str", required=True, hxl="#adm1+name"),
        Column("admin3_name", "str", required=True, hxl="#adm3+name"),
        Column("coordination_area", "str", hxl="#group+coordination"),
        Column("reference_year", "int", required=True, hxl="#date+year"),
        Column("note", "str", hxl="#description"),
        SOURCE,
    ),
)

HOTSPOT_TOTALS = TableSpec(
    "hotspot_totals",
    "Returnees living in hotspot sub-districts, per governorate.",
    (
        Column("admin1_code", "str", required=True, hxl="#adm1+code"),
        Column("admin1_name", "str", required=True, hxl="#adm1+name"),
        Column("returnees_in_hotspots", "int", required=True, min=0, hxl="#population+returnees"),
        Column("reference_year", "int", required=True, hxl="#date+year"),
        SOURCE,
    ),
)

#: Spellings of severity met in Return Index tables → the vocabulary.
SEVERITY_SYNONYMS = {
    "high": "high", "h": "high", "high severity": "high", "very high": "high", "severe": "high",
    "medium": "medium", "m": "medium", "med": "medium", "medium severity": "medium", "moderate": "medium",
    "low": "low", "l": "low", "low severity": "low",
}


def severity_word(value) -> str | None:
    """A severity as the vocabulary has it (``high``, ``medium``, ``low``); None when blank.
    Spellings not in :data:`SEVERITY_SYNONYMS` come back normalised, for the caller to reject.

    Examples:
        >>> severity_word("Medium severity"), severity_word(" H "), severity_word(None), severity_word("purple")
        ('medium', 'high', None, 'purple')
    """
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    t = normalise_text(value)
    return SEVERITY_SYNONYMS.get(t, t) or None


#: Sub-district Return Index scores a user loads to apply the DTM hotspot rule
#: (:func:`dsdash.trends.hotspots.apply_hotspot_rule`). Not a Dataset table: a one-off input.
SUBDISTRICT_SEVERITY = TableSpec(
    "subdistrict_severity",
    "Return Index severity of a sub-district on its two scales, with its returnees.",
    (
        Column("admin1_name", "str", hxl="#adm1+name"),
        Column("admin2_name", "str", hxl="#adm2+name"),
        Column("admin3_name", "str", required=True, hxl="#adm3+name"),
        Column("livelihoods_severity", "str", vocab=_v(Severity), hxl="#severity+livelihoods",
               description="severity on the livelihoods and basic services scale"),
        Column("safety_severity", "str", vocab=_v(Severity), hxl="#severity+safety",
               description="severity on the safety and social cohesion scale"),
        Column("returnees", "int", min=0, hxl="#population+returnees"),
    ),
)

CASELOAD = TableSpec(
    "caseload",
    "Priority caseload sizes of the FVM programme (IOM, 18 May 2023).",
    (
        Column("group", "str", required=True, hxl="#population+type"),
        Column("population", "str", required=True, vocab=_v(PopulationGroup)),
        Column("individuals", "int", required=True, min=0, hxl="#population+ind"),
        Column("share_pct", "float", min=0, max=100),
        Column("note", "str"),
        SOURCE,
    ),
)

OBSTACLES = TableSpec(
    "return_obstacles",
    "The three categories of return obstacles (RWG Protracted Displacement Framework, in IOM's FVM brief of 18 May 2023).",
    (
        Column("category", "int", required=True, min=1, max=3),
        Column("category_name", "str", required=True),
        Column("obstacle", "str", required=True),
        Column("fvm_response", "str"),
        SOURCE,
    ),
)

class BreakdownDimension(StrEnum):
    """The wide breakdown columns of a DTM Master List, kept as a tidy table."""

    ORIGIN = "origin"  # governorate of origin (IDPs) or of last displacement (returnees)
    SHELTER = "shelter"  # shelter type (camp, host families, rented houses …)
    PERIOD = "period"  # period of displacement (Pre-June14, Post July 2017 …)


BREAKDOWNS = TableSpec(
    "breakdowns",
    "A DTM Master List's wide origin / shelter / period columns, one row per site and "
    "category (households, as the Master List counts them).",
    (
        Column("site_id", "str", required=True, hxl="#loc+code"),
        Column("population_group", "str", required=True, vocab=_v(PopulationGroup), hxl="#population+type"),
        Column("reference_date", "date", required=True, hxl="#date+reported"),
        Column("dimension", "str", required=True, vocab=_v(BreakdownDimension), hxl="#category+type"),
        Column("category", "str", required=True, hxl="#category+name"),
        Column("category_code", "str", hxl="#category+code", description="a governorate p-code for 'origin'"),
        Column("households", "int", required=True, min=0, hxl="#population+hh"),
        SOURCE,
    ),
)

#: ABC/JCF catchments: coordination areas as sets of COD-AB districts, one row per catchment and
#: district (:mod:`dsdash.catchments`; bundled ``data/catchments.csv``, or a user's table read by
#: :mod:`dsdash.importers.catchments`, which then replaces the bundled one).
CATCHMENTS = TableSpec(
    "catchments",
    "ABC/JCF catchments: coordination areas as sets of districts, each row stated by a source or assumed.",
    (
        Column("catchment", "str", required=True, hxl="#region+name"),
        Column("kind", "str", required=True, vocab=("abc", "local", "jcf"), hxl="#region+type"),
        Column("replaces", "str", hxl="#region+replaced"),
        Column("admin1_code", "str", hxl="#adm1+code"),
        Column("admin2_code", "str", required=True, hxl="#adm2+code"),
        Column("admin2_name", "str", hxl="#adm2+name"),
        Column("basis", "str", required=True, vocab=("stated", "assumed"), hxl="#status+basis"),
        Column("reasoning", "str", hxl="#description+reasoning"),
        SOURCE,
        Column("file", "str", hxl="#meta+file", description="the table this row came from"),
    ),
)

#: Every table of a Dataset, by name.
TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in (
        SITES, POPULATION, PRESENCE, NEEDS, FVM, MOVEMENTS, INDEX_ROUNDS, NATIONAL_SERIES,
        HOTSPOTS, HOTSPOT_TOTALS, CASELOAD, OBSTACLES, BREAKDOWNS, CATCHMENTS,
    )
}


# --------------------------------------------------------------------------- problems
#: Problem levels: an ``error`` rejects its row (or, without a row, the file); a ``warning``
#: keeps the row (the cell is left empty or read as the reason says); a ``question`` is about
#: the whole file: its rows are readable, but the file cannot be used until the user answers
#: it (a Master List's reference date: the Upload page's date, or ``--date``).
LEVELS = ("error", "question", "warning")
#: How many row numbers a grouped problem keeps.
FIRST_ROWS = 5


@dataclass
class Problem:
    """One thing wrong (or worth a warning) in an input, located precisely.

    ``row`` is the 1-based row number as the user sees it in the file (spreadsheet
    row, counting the header and any title rows), or None for file-level problems.
    A problem may stand for several cells (a column-level problem, or a group made by
    :func:`group_problems`): ``count`` cells, the first of them on ``rows``.
    """

    file: str
    reason: str
    row: int | None = None
    column: str | None = None
    sheet: str | None = None
    level: str = "error"  # see LEVELS
    count: int = 1
    rows: tuple[int, ...] = ()

    def where(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.count > 1 and self.rows:
            more = " …" if self.count > len(self.rows) else ""
            parts.append(f"rows {', '.join(str(r) for r in self.rows)}{more} ({self.count:,} in all)")
        elif self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.level.upper()}: {self.where()}: {self.reason}"

    def as_dict(self) -> dict:
        return {
            "level": self.level, "file": self.file, "sheet": self.sheet, "row": self.row,
            "column": self.column, "count": self.count,
            "rows": list(self.rows) if self.rows else ([self.row] if self.row is not None else []),
            "reason": self.reason,
        }


_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_BRACKETS = re.compile(r"\([^()]*\)")
_NUMBER = re.compile(r"[0-9][0-9,.]*")


def reason_pattern(reason: str) -> str:
    """A reason without its cell values (quoted text, brackets, numbers): the key problems are grouped by.

    Examples:
        >>> reason_pattern("'ten' is not a number") == reason_pattern("'x' is not a number")
        True
        >>> reason_pattern("95 is above the maximum 90; left empty")
        '# is above the maximum #; left empty'
    """
    return _NUMBER.sub("#", _BRACKETS.sub("(…)", _QUOTED.sub("'…'", reason)))


def group_problems(problems: list[Problem], first: int = FIRST_ROWS) -> list[Problem]:
    """Problems grouped by (level, file, sheet, column, reason without its values), in order of
    first appearance, errors and questions before warnings.

    A group of one is the problem itself; a larger group is one problem with ``count`` cells,
    the first ``first`` row numbers in ``rows`` and the first reason as the example
    ("e.g. …"). A problem that already stands for several cells (a column-level problem)
    keeps its own reason.
    """
    groups: dict[tuple, list[Problem]] = {}
    for p in problems:
        groups.setdefault((p.level, p.file, p.sheet, p.column, reason_pattern(p.reason)), []).append(p)
    out = []
    for (level, file, sheet, column, _), ps in groups.items():
        if len(ps) == 1:
            out.append(ps[0])
            continue
        rows: list[int] = []
        for p in ps:
            for r in (p.rows or ((p.row,) if p.row is not None else ())):
                if len(rows) < first and r not in rows:
                    rows.append(r)
        count = sum(p.count for p in ps)
        out.append(Problem(file, f"e.g. {ps[0].reason}", rows[0] if rows else None, column, sheet, level, count,
                           tuple(rows)))
    order = {lv: k for k, lv in enumerate(LEVELS)}
    return sorted(out, key=lambda p: order.get(p.level, len(LEVELS)))


@dataclass
class LoadReport:
    """What happened to one file (or table) at the boundary.

    Invariant: ``rows_in == rows_accepted + rows_rejected``. ``problems`` holds one
    problem per cell (or one per column, when a column was ignored); the lists users see
    are :meth:`grouped`.
    """

    file: str
    kind: str
    rows_in: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
    encoding: str | None = None
    sheet: str | None = None
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]

    @property
    def questions(self) -> list[Problem]:
        """What the file does not say and the user must give before it can be used."""
        return [p for p in self.problems if p.level == "question"]

    @property
    def usable(self) -> bool:
        """True when the accepted rows can go into a dataset (no open question)."""
        return not self.questions

    @property
    def ok(self) -> bool:
        """True when the file loaded, no row was rejected and nothing is left to answer."""
        return not self.errors and self.rows_rejected == 0 and not self.questions

    @property
    def counts_text(self) -> str:
        """'scores.csv: 3 rows in, 3 accepted, 0 rejected'."""
        return f"{self.file}: {self.rows_in} rows in, {self.rows_accepted} accepted, {self.rows_rejected} rejected"

    def grouped(self, first: int = FIRST_ROWS) -> list[Problem]:
        """The problems grouped by (column, reason), with counts and the first rows (:func:`group_problems`)."""
        return group_problems(self.problems, first)

    def check(self) -> None:
        if self.rows_in != self.rows_accepted + self.rows_rejected:
            raise AssertionError(
                f"{self.file}: rows in {self.rows_in} != accepted {self.rows_accepted} "
                f"+ rejected {self.rows_rejected}"
            )

    def as_dict(self) -> dict:
        """JSON-ready; problems grouped (:meth:`grouped`)."""
        return {
            "file": self.file, "kind": self.kind, "encoding": self.encoding, "sheet": self.sheet,
            "rows_in": self.rows_in, "rows_accepted": self.rows_accepted,
            "rows_rejected": self.rows_rejected, "usable": self.usable, "notes": list(self.notes),
            "problems": [p.as_dict() for p in self.grouped()],
        }


#: Columns that hold counts of people, sites or locations in the tables the pages show:
#: shown with thousands separators on screen (``ui.downloads.show_table``).
COUNT_COLUMNS = frozenset({
    "idp", "returnee", "latest", "previous", "change", "households", "individuals", "population_severe",
    "locations_assessed", "locations_severe", "value", "cumulative", "returnees_in_hotspots", "returnees",
    "before", "after",
})


# --------------------------------------------------------------------------- words for people
#: What a table of ours is called on screen.
TABLE_LABELS: dict[str, str] = {
    "sites": "Sites", "population": "Population counts", "presence": "Partner presence", "needs": "Reported needs",
    "fvm": "Facilitated voluntary movements", "movements": "Movements", "index_rounds": "Index rounds",
    "national_series": "National series (IOM DTM)", "hotspots": "Hotspot sub-districts",
    "hotspot_totals": "Hotspot totals by governorate", "subdistrict_severity": "Sub-district severity",
    "caseload": "FVM priority caseload", "return_obstacles": "Return obstacles", "breakdowns": "Population breakdowns",
    "catchments": "ABC/JCF catchments",
}

#: The display label of every column a page, a slide or a download shows (the one place;
#: ``ui.downloads.show_table`` and the exports rename with :func:`column_label`). Column
#: names stay the machine names in the data, the CLI's JSON and the HXL row of a download.
COLUMN_LABELS: dict[str, str] = {
    # sites and places
    "site_id": "Site ID", "site_name": "Site", "site_name_ar": "Site (Arabic)", "site_type": "Site type",
    "site_type_basis": "Site type basis", "site_group": "Site group", "coordination_area": "Coordination area",
    "admin1_code": "Governorate p-code", "admin1_name": "Governorate", "admin2_code": "District p-code",
    "admin2_name": "District", "admin3_name": "Sub-district", "latitude": "Latitude", "longitude": "Longitude",
    "distance_km": "Distance (km)", "subdistrict_names": "Sub-districts",
    # population
    "population_group": "Population group", "households": "Households", "individuals": "Individuals",
    "individuals_method": "How individuals were counted", "method": "Method", "reference_date": "Count date",
    "dtm_round": "DTM round", "idp": "IDPs", "returnee": "Returnees", "returnees": "Returnees",
    "population": "Population", "group": "Group", "dimension": "Breakdown", "category": "Category",
    "category_code": "Category code", "category_name": "Category name",
    # presence and needs
    "partner": "Partner", "partner_type": "Partner type", "funded_by": "Funded by", "scope": "Applies to",
    "scope_id": "Area or site", "service": "Service", "service_label": "Service (in words)", "start_date": "Start",
    "end_date": "End", "dates_as_stated": "Dates as stated", "status": "Status", "handover_to": "Handed over to",
    "note": "Note", "severity": "Severity", "severity_basis": "Severity basis", "reported_on": "Reported on",
    "reaches_via": "Reaches the site via", "on_as_of": "On the as-of date", "need_severity": "Need severity",
    "need_note": "Need", "needs_text": "Reported needs", "government_body": "Government body",
    # the gap matrix and exits
    "state": "State", "state_label": "State (in words)", "worst_state": "Worst state", "state_before": "State before",
    "state_after": "State after", "at_risk": "At risk", "lost": "Lost", "served": "Served",
    "never_served": "Never served", "handed_over": "Handed over", "handed_over_by": "Handed over by",
    "without_any": "Without any service", "without_assured": "Without assured service",
    "n_sites": "Sites", "n_lost": "Services lost", "n_at_risk": "Services at risk", "n_served": "Services served",
    "n_never_served": "Services never served", "n_handed_over": "Services handed over",
    "n_providers": "Number of providers", "providers": "Providers", "partners": "Partners", "since": "Since",
    "subdistricts": "Number of sub-districts", "providers_before": "Providers before", "lost_providers": "Providers lost",
    "n_sites_left_without": "Sites left without", "individuals_left_without": "Individuals left without",
    "ind_without": "Individuals without", "people_affected": "People affected", "people_in_cells": "People",
    "sites_unknown_people": "Sites without a count", "days_left": "Days left", "next_end": "Next end",
    "end_day": "End", "n_known": "Sites with a count", "n_known_without": "Sites with a count, without",
    # trends
    "index": "Index", "round": "Round", "round_label": "Round label", "publication": "Published",
    "period_start": "Period start", "period_end": "Period end", "period_label": "Period",
    "locations_assessed": "Locations assessed", "locations_severe": "Locations in severe conditions",
    "population_severe": "People in severe conditions", "share_severe": "Share in severe conditions (%)",
    "is_gap": "Gap in the series", "indicator": "Indicator", "indicator_label": "Indicator (in words)", "value": "Value",
    "unit": "Unit", "cumulative": "Cumulative", "rate_pct": "Rate (%)", "share_pct": "Share (%)",
    "returnees_in_hotspots": "Returnees in hotspots", "reference_year": "Year", "obstacle": "Obstacle",
    "fvm_response": "FVM response", "latest": "Latest", "previous": "Previous", "change": "Change",
    "change_pct": "Change (%)", "change_basis": "Change since", "latest_date": "Latest date",
    "latest_round": "Latest round", "previous_date": "Previous date", "previous_round": "Previous round",
    "before": "Before", "after": "After", "last_date": "Last count date", "last_round": "Last round",
    "last_households": "Households at the last count", "last_individuals": "Individuals at the last count",
    "change_households": "Change in households", "change_individuals": "Change in individuals",
    "change_sites": "Change in sites", "closed_sites": "Sites closed", "hotspot_reason": "Why a hotspot",
    "origin_name": "Origin", "origin_admin1_code": "Origin governorate p-code", "origin_latitude": "Origin latitude",
    "origin_longitude": "Origin longitude", "destination_name": "Destination",
    "destination_admin1_code": "Destination governorate p-code", "destination_latitude": "Destination latitude",
    "destination_longitude": "Destination longitude",
    # provenance, reports and key figures
    "source": "Source (as recorded)", "source_id": "Source ID", "citation": "Source", "pop_source": "Population source (as recorded)", "pop_source_id": "Population source ID",
    "pop_citation": "Population source", "example_source_id": "Example source ID", "example_citation": "Example source",
    "example_source": "Example source", "sources": "Documents cited", "documents": "Documents", "table": "Table", "rows": "Rows",
    "description": "What it holds", "figure": "Figure", "date": "Date", "file": "File", "kind": "Kind",
    "field": "Field",
}

#: Who does what where (dsdash/wwww.py) and catchments: labels of their columns.
COLUMN_LABELS.update({
    "area_code": "Area code", "area": "Area", "cells": "Cells (site × service)",
    "cells_served": "Cells served", "coverage_pct": "Coverage (% of cells served)",
    "cells_lost": "Cells lost", "cells_at_risk": "Cells at risk",
    "catchment": "Catchment", "catchment_kind": "Kind of catchment", "n_partners": "Number of partners",
    "partner_names": "Partners (names)", "sites_served": "Sites served", "individuals_served": "Individuals at served sites",
    "individuals_without": "Individuals without the service", "others": "Other partners there", "until": "Until",
    "basis": "Basis", "reasoning": "Reasoning", "replaces": "Replaces", "districts": "Districts",
    "kind_label": "Kind", "jcf": "JCF",
})
#: Planned and confirmed exits, the follow-up list, adequacy (issue 15): labels of their columns.
COLUMN_LABELS.update({
    "adequacy": "Adequacy", "end_unconfirmed": "End unconfirmed", "no_report": "No report",
    "n_end_unconfirmed": "Services with end unconfirmed", "n_no_report": "Services without a report",
    "followup_status": "Follow-up", "days_unconfirmed": "Days unconfirmed", "site_names": "Sites (names)",
    "n_sites_without": "Sites left without", "kind_of_end": "Kind of end", "not_covered": "Not covered",
    "partially_covered": "Partially covered", "covered": "Covered", "share_covered": "Share covered",
    "total": "Total", "event": "Event", "recorded_at": "Recorded at", "recorded_by": "Recorded by",
})
#: HXL hashtags of columns that no table spec holds (dsdash.export.hxl_row adds them).
EXTRA_HXL: dict[str, str] = {
    "catchment": "#region+name", "catchment_kind": "#region+type", "jcf": "#region+jcf+name", "n_partners": "#org+num",
    "partner_names": "#org+name+list", "n_sites": "#loc+num", "sites_served": "#loc+num+served",
    "individuals_served": "#population+ind+served", "individuals_without": "#population+ind+unserved",
    "others": "#org+name+others", "until": "#date+end", "individuals_left_without": "#population+ind+left",
    "sites_unknown_people": "#loc+num+unknown",
}

#: Columns whose cells are codes of a vocabulary, and the labels shown for them.
VALUE_LABELS: dict[str, dict[str, str]] = {
    "service": SERVICE_LABELS, "site_type": SITE_TYPE_LABELS, "population_group": POPULATION_GROUP_LABELS,
    "individuals_method": INDIVIDUALS_METHOD_LABELS, "method": INDIVIDUALS_METHOD_LABELS,
    "state": COVERAGE_STATE_LABELS, "worst_state": COVERAGE_STATE_LABELS, "state_before": COVERAGE_STATE_LABELS,
    "state_after": COVERAGE_STATE_LABELS, "adequacy": ADEQUACY_LABELS, "kind_of_end": END_KIND_LABELS,
    "event": EXIT_EVENT_LABELS,
    "followup_status": {"passed": "Planned end passed, not confirmed", "due": "Planned end coming up"}, "indicator": {**FVM_INDICATORS, **FVM_DERIVED_INDICATORS}, "table": TABLE_LABELS, "kind": TABLE_LABELS,
    "index": {"return_index": "Return Index", "displacement_index": "Displacement Index"},
    "status": {"active": "Active", "scheduled_end": "Scheduled to end", "ended": "Ended"},
    "scope": {"site": "Site", "site_group": "Site group", "district": "District", "governorate": "Governorate"},
    "severity": {"high": "High", "medium": "Medium", "low": "Low"},
    "need_severity": {"high": "High", "medium": "Medium", "low": "Low"},
    "partner_type": {"government": "Government", "other": "Other"},
}

_MACHINE_NAME = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")


def column_label(name: object) -> str:
    """The display label of a column: :data:`COLUMN_LABELS`, else a machine name
    (snake_case, lower case) in words, else the name as it is (a label already).

    Examples:
        >>> column_label("without_assured"), column_label("n_widgets_seen"), column_label("stage"), column_label("Service")
        ('Without assured service', 'N widgets seen', 'Stage', 'Service')
    """
    n = str(name)
    if n in COLUMN_LABELS:
        return COLUMN_LABELS[n]
    if _MACHINE_NAME.match(n):
        return n.replace("_", " ").capitalize()
    return n


#: A label back to its column name (the tidy importer reads our labelled downloads back).
LABEL_TO_COLUMN: dict[str, str] = {}
for _name, _label in COLUMN_LABELS.items():
    LABEL_TO_COLUMN.setdefault(_label, _name)


def value_label(column: object, value: object) -> object:
    """The label of a code in a vocabulary column ('sanitation_waste' → 'Sanitation and
    solid waste'); any other value unchanged.

    Examples:
        >>> value_label("service", "sanitation_waste"), value_label("site_type", "small_informal"), value_label("note", "x")
        ('Sanitation and solid waste', 'Small informal site', 'x')
    """
    labels = VALUE_LABELS.get(str(column))
    if labels and isinstance(value, str):
        return labels.get(value, value)
    return value

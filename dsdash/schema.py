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

from dsdash.i18n import N_, _, iso, local_digits


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
    "water": N_("Water"),
    "sanitation_waste": N_("Sanitation and solid waste"),
    "electricity": N_("Electricity"),
    "shelter_nfi": N_("Shelter and NFI"),
    "health": N_("Health"),
    "protection_legal": N_("Protection and legal aid"),
    "civil_documentation": N_("Civil documentation"),
    "gbv": N_("GBV"),
    "child_protection": N_("Child protection"),
    "education": N_("Education"),
    "livelihoods": N_("Livelihoods"),
    "site_management": N_("Site management (CCCM)"),
    "mhpss": N_("MHPSS"),
    "return_support": N_("Return support"),
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


POPULATION_GROUP_LABELS = {"idp": N_("IDPs"), "returnee": N_("Returnees")}


class IndividualsMethod(StrEnum):
    """How a count of individuals was obtained (DTM: households × 6, × 5 in camps from R117)."""

    REPORTED = "reported"
    HH_X6 = "hh_x6"
    HH_X5 = "hh_x5"
    MIXED = "hh_x6_x5"  # × 6 out of camp, × 5 in camps (DTM from round 117)


INDIVIDUALS_METHOD_LABELS = {
    "reported": N_("individuals as reported"),
    "hh_x6": N_("individuals = households × 6 (DTM)"),
    "hh_x5": N_("individuals = households × 5 (DTM, in camps from round 117)"),
    "hh_x6_x5": N_("individuals = households × 6, × 5 in camps (DTM from round 117)"),
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
    "former_camp": N_("Former camp (reclassified)"),
    "large_informal": N_("Large informal site"),
    "small_informal": N_("Small informal site"),
    "ds_housing": N_("DS housing complex"),
    "camp": N_("Formal camp"),
    "location": N_("DTM location"),
    "unspecified": N_("Not stated"),
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
    give: such a row never counts as serving. ``end_unknown`` with an empty ``end_date``: an
    end was written but could not be read (the words stay in ``dates_as_stated``): the row
    never counts as serving after its start, nor as lost; its cell is "end unconfirmed"
    until someone corrects the date. ``planned`` with an empty ``start_date``: not started as
    far as the source says: it never counts as serving. Otherwise the dates decide.
    """

    ACTIVE = "active"
    SCHEDULED_END = "scheduled_end"  # an end date is planned; extension possible
    ENDED = "ended"
    END_UNKNOWN = "end_unknown"  # an end date was written but not read: when it ends is not known
    PLANNED = "planned"  # not started yet (the source says "planned", "pipeline"): serves only from a start date


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
    "lost": N_("Lost (partner exit)"),
    "end_unconfirmed": N_("End unconfirmed (planned end passed)"),
    "at_risk": N_("At risk (all providers end soon)"),
    "handed_over": N_("Handed over (government only)"),
    "no_report": N_("No report (no presence reported for the site)"),
    "never_served": N_("Never served"),
    "served": N_("Served"),
}


class Adequacy(StrEnum):
    """Graded coverage of a cell (rule: dsdash.coverage.engine), worst first."""

    NOT_COVERED = "not_covered"
    PARTIAL = "partially_covered"
    COVERED = "covered"


ADEQUACY_LABELS = {"not_covered": N_("Not covered"), "partially_covered": N_("Partially covered"), "covered": N_("Covered")}


class ExitEventKind(StrEnum):
    """What an editor records about a partner's planned end (dsdash.coverage.presence.apply_exit_events)."""

    CONFIRMED = "confirmed"  # the exit happened: end_date is the actual last day
    EXTENDED = "extended"  # the planned end moved: end_date is the new planned end
    HANDED_OVER = "handed_over"  # the service went to another body after end_date


EXIT_EVENT_LABELS = {"confirmed": N_("Exit confirmed"), "extended": N_("End extended"), "handed_over": N_("Handed over")}

#: Whether a presence row's end is planned or confirmed (dsdash.coverage.presence.end_kind).
END_KIND_LABELS = {"planned": N_("Planned end"), "confirmed": N_("Confirmed end"), "open": N_("No end date"),
                   "unknown": N_("End date not read")}

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

DTM_CREDIT = N_("Source: International Organization for Migration (IOM), Displacement Tracking Matrix (DTM)")


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
        >>> normalise_text("Ka\u2019im"), normalise_text("IRC\u200f"), normalise_text("\u2068Anbar\u2069")
        ("ka'im", 'irc', 'anbar')
    """
    t = unicodedata.normalize("NFKC", str(s)).replace("\u2019", "'").replace("\u2018", "'").translate(_INVISIBLE)
    return re.sub(r"\s+", " ", t).strip().lower()


#: Invisible format characters a name may carry from its file (a right-to-left mark after a name in a
#: Windows-1256 CSV, a zero-width space, a byte-order mark, bidirectional isolates): not part of it.
_INVISIBLE = dict.fromkeys([0x061C, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, *range(0x202A, 0x202F),
                            *range(0x2060, 0x206A), 0xFEFF])


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
    """The governorate's COD-AB name in the reader's language (Arabic: its Arabic name)."""
    from dsdash.i18n import name

    return name(*GOVERNORATES.get(pcode, (pcode, "")))


def district_name(pcode: object, english: object = None) -> str:
    """A district's name in the reader's language: in Arabic, COD-AB's Arabic name of the
    p-code where the bundled layer has it; else the English name given (the data's), else COD-AB's."""
    from dsdash.i18n import current, name

    en, ar = _district_names().get(str(pcode), (None, None))
    if current() == "ar":
        return name(english or en, ar)
    return name(english if english is not None and str(english) else en, ar) or str(pcode)


def _district_names() -> dict[str, tuple[str, str]]:
    """p-code → (English, Arabic) name of COD-AB's districts (the bundled layer; read once)."""
    global _DISTRICTS
    if _DISTRICTS is None:
        import json
        from pathlib import Path

        path = Path(__file__).resolve().parents[1] / "data" / "boundaries" / "irq_adm2_codab_2019.geojson"
        try:
            feats = json.loads(path.read_text(encoding="utf-8"))["features"]
            _DISTRICTS = {f["properties"]["pcode"]: (f["properties"].get("name"), f["properties"].get("name_ar"))
                          for f in feats}
        except (OSError, ValueError, KeyError):
            _DISTRICTS = {}
    return _DISTRICTS


_DISTRICTS: dict[str, tuple[str, str]] | None = None


def localised_names(df: pd.DataFrame) -> pd.DataFrame:
    """The table with its place names in the reader's language, for display only: in Arabic,
    ``site_name`` from ``site_name_ar`` and governorate and district names from COD-AB by
    p-code, each falling back to the English name; in English the table itself.

    Examples:
        >>> from dsdash.i18n import language
        >>> t = pd.DataFrame({"site_name": ["Kilo 18", "Amiriyat"], "site_name_ar": [None, "العامرية"],
        ...                   "admin1_code": ["IQG01", "IQG01"], "admin1_name": ["Al-Anbar", "Al-Anbar"]})
        >>> with language("ar"):
        ...     localised_names(t)[["site_name", "admin1_name"]].values.tolist()
        [['Kilo 18', 'الانبار'], ['العامرية', 'الانبار']]
        >>> localised_names(t) is t
        True
    """
    from dsdash.i18n import current, name

    if current() != "ar" or df is None or df.empty:
        return df
    out = df.copy()
    if "site_name" in out.columns and "site_name_ar" in out.columns:
        out["site_name"] = [name(e, a) for e, a in zip(out["site_name"], out["site_name_ar"])]
    for code, col, fn in (("admin1_code", "admin1_name", lambda c, e: governorate_name(c) if c in GOVERNORATES else e),
                          ("admin2_code", "admin2_name", district_name)):
        if code in out.columns and col in out.columns:
            out[col] = [fn(c, e) if isinstance(c, str) else e for c, e in zip(out[code], out[col])]
    return out


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
    N_("A location where displaced people live (camp, informal site, village, neighbourhood)."),
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
    N_("A count of people at a site on a date."),
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
    N_("A partner delivering a service somewhere for a period. Empty end_date = ongoing; "
    "empty start_date = since before the source's records."),
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
    N_("A reported gap or need. scope/scope_id work as in presence (a need stated for all "
    "Anbar sites is one governorate row, spread to sites by dsdash.scope)."),
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
    N_("A facilitated-voluntary-movement indicator for a period (and optionally an area)."),
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
    "registered_help_desk": N_("HHs registered at help desks"),
    "returned": N_("HHs who have returned"),
    "relocated": N_("HHs who have relocated"),
    "cash_grants": N_("Cash grants distributed"),
    "livelihoods_support": N_("Livelihoods support"),
    "housing_repairs_completed": N_("HHs with completed housing repair and reconstruction"),
    "facilitated_total": N_("HHs facilitated to return or relocate (cumulative)"),
}

#: Indicators dsdash derives from the FVM table (not in the source's table).
FVM_DERIVED_INDICATORS: dict[str, str] = {"returned_or_relocated": N_("HHs who have returned or relocated")}

MOVEMENTS = TableSpec(
    "movements",
    N_("Households moved from an origin to a destination."),
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
    N_("One DTM Return Index or Displacement Index round. Unknown figures stay empty."),
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
    N_("One DTM round nationally: IDP or returnee individuals."),
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
    N_("DTM Return Index hotspot sub-districts (DSTWG meeting, 9 December 2020)."),
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
    N_("Returnees living in hotspot sub-districts, per governorate."),
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
    N_("Return Index severity of a sub-district on its two scales, with its returnees."),
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
    N_("Priority caseload sizes of the FVM programme (IOM, 18 May 2023)."),
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
    N_("The three categories of return obstacles (RWG Protracted Displacement Framework, in IOM's FVM brief of 18 May 2023)."),
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


#: Each breakdown dimension in words (the importer's note on a Master List's wide columns).
BREAKDOWN_DIMENSION_LABELS = {BreakdownDimension.ORIGIN.value: N_("origin"),
                              BreakdownDimension.SHELTER.value: N_("shelter"),
                              BreakdownDimension.PERIOD.value: N_("period of displacement")}


BREAKDOWNS = TableSpec(
    "breakdowns",
    N_("A DTM Master List's wide origin / shelter / period columns, one row per site and "
    "category (households, as the Master List counts them)."),
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
    N_("ABC/JCF catchments: coordination areas as sets of districts, each row stated by a source or assumed."),
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
#: it (a Master List's reference date or population group: the Upload page's fields, or ``--date``
#: and ``--group``; :mod:`dsdash.importers.questions`).
LEVELS = ("error", "question", "warning")
#: How a problem's level is written before it in text (the command line's lines): "ERROR: …".
LEVEL_WORDS = {"error": N_("ERROR"), "question": N_("QUESTION"), "warning": N_("WARNING")}
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
        """Where the problem is, in the reader's language: "a.csv, sheet 'S', row 7, column 'HH'".
        The file, sheet and column are the data's own words (isolated in an Arabic sentence)."""
        parts = [iso(self.file)]
        if self.sheet:
            parts.append(_("sheet '{sheet}'").format(sheet=iso(self.sheet)))
        if self.count > 1 and self.rows:
            more = " …" if self.count > len(self.rows) else ""
            parts.append(_("rows {rows}{more} ({count} in all)").format(
                rows=local_digits(_(", ").join(str(r) for r in self.rows)), more=more,
                count=local_digits(f"{self.count:,}")))
        elif self.row is not None:
            parts.append(_("row {row}").format(row=local_digits(str(self.row))))
        if self.column:
            parts.append(_("column '{column}'").format(column=iso(self.column)))
        return _(", ").join(parts)

    def __str__(self) -> str:
        return _("{level}: {where}: {reason}").format(level=_(LEVEL_WORDS.get(self.level, self.level.upper())),
                                                      where=self.where(), reason=self.reason)

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
    for (level, file, sheet, column, _pattern), ps in groups.items():
        if len(ps) == 1:
            out.append(ps[0])
            continue
        rows: list[int] = []
        for p in ps:
            for r in (p.rows or ((p.row,) if p.row is not None else ())):
                if len(rows) < first and r not in rows:
                    rows.append(r)
        count = sum(p.count for p in ps)
        out.append(Problem(file, _("e.g. {reason}").format(reason=ps[0].reason), rows[0] if rows else None, column, sheet, level, count,
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
    "sites": N_("Sites"), "population": N_("Population counts"), "presence": N_("Partner presence"), "needs": N_("Reported needs"),
    "fvm": N_("Facilitated voluntary movements"), "movements": N_("Movements"), "index_rounds": N_("Index rounds"),
    "national_series": N_("National series (IOM DTM)"), "hotspots": N_("Hotspot sub-districts"),
    "hotspot_totals": N_("Hotspot totals by governorate"), "subdistrict_severity": N_("Sub-district severity"),
    "caseload": N_("FVM priority caseload"), "return_obstacles": N_("Return obstacles"), "breakdowns": N_("Population breakdowns"),
    "catchments": N_("ABC/JCF catchments"),
}

#: The display label of every column a page, a slide or a download shows (the one place;
#: ``ui.downloads.show_table`` and the exports rename with :func:`column_label`). Column
#: names stay the machine names in the data, the CLI's JSON and the HXL row of a download.
COLUMN_LABELS: dict[str, str] = {
    # sites and places
    "site_id": N_("Site ID"), "site_name": N_("Site"), "site_name_ar": N_("Site (Arabic)"), "site_type": N_("Site type"),
    "site_type_basis": N_("Site type basis"), "site_group": N_("Site group"), "coordination_area": N_("Coordination area"),
    "admin1_code": N_("Governorate p-code"), "admin1_name": N_("Governorate"), "admin2_code": N_("District p-code"),
    "admin2_name": N_("District"), "admin3_name": N_("Sub-district"), "latitude": N_("Latitude"), "longitude": N_("Longitude"),
    "distance_km": N_("Distance (km)"), "subdistrict_names": N_("Sub-districts"),
    # population
    "population_group": N_("Population group"), "households": N_("Households"), "individuals": N_("Individuals"),
    "individuals_method": N_("How individuals were counted"), "method": N_("Method"), "reference_date": N_("Count date"),
    "dtm_round": N_("DTM round"), "idp": N_("IDPs"), "returnee": N_("Returnees"), "returnees": N_("Returnees"),
    "population": N_("Population"), "group": N_("Group"), "dimension": N_("Breakdown"), "category": N_("Category"),
    "category_code": N_("Category code"), "category_name": N_("Category name"),
    # presence and needs
    "partner": N_("Partner"), "partner_type": N_("Partner type"), "funded_by": N_("Funded by"), "scope": N_("Applies to"),
    "scope_id": N_("Area or site"), "service": N_("Service"), "service_label": N_("Service (in words)"), "start_date": N_("Start"),
    "end_date": N_("End"), "dates_as_stated": N_("Dates as stated"), "status": N_("Status"), "handover_to": N_("Handed over to"),
    "note": N_("Note"), "severity": N_("Severity"), "severity_basis": N_("Severity basis"), "reported_on": N_("Reported on"),
    "reaches_via": N_("Reaches the site via"), "on_as_of": N_("On the as-of date"), "need_severity": N_("Need severity"),
    "need_note": N_("Need"), "needs_text": N_("Reported needs"), "government_body": N_("Government body"),
    # the gap matrix and exits
    "state": N_("State"), "state_label": N_("State (in words)"), "worst_state": N_("Worst state"), "state_before": N_("State before"),
    "state_after": N_("State after"), "at_risk": N_("At risk"), "lost": N_("Lost"), "served": N_("Served"),
    "never_served": N_("Never served"), "handed_over": N_("Handed over"), "handed_over_by": N_("Handed over by"),
    "without_any": N_("Without any service"), "without_assured": N_("Without assured service"),
    "n_sites": N_("Sites"), "n_lost": N_("Services lost"), "n_at_risk": N_("Services at risk"), "n_served": N_("Services served"),
    "n_never_served": N_("Services never served"), "n_handed_over": N_("Services handed over"),
    "n_providers": N_("Number of providers"), "providers": N_("Providers"), "partners": N_("Partners"), "since": N_("Since"),
    "subdistricts": N_("Number of sub-districts"), "providers_before": N_("Providers before"), "lost_providers": N_("Providers lost"),
    "n_sites_left_without": N_("Sites left without"), "individuals_left_without": N_("Individuals left without"),
    "ind_without": N_("Individuals without"), "people_affected": N_("People affected"), "people_in_cells": N_("People"),
    "sites_unknown_people": N_("Sites without a count"), "days_left": N_("Days left"), "next_end": N_("Next end"),
    "end_day": N_("End"), "n_known": N_("Sites with a count"), "n_known_without": N_("Sites with a count, without"),
    # trends
    "index": N_("Index"), "round": N_("Round"), "round_label": N_("Round label"), "publication": N_("Published"),
    "period_start": N_("Period start"), "period_end": N_("Period end"), "period_label": N_("Period"),
    "locations_assessed": N_("Locations assessed"), "locations_severe": N_("Locations in severe conditions"),
    "population_severe": N_("People in severe conditions"), "share_severe": N_("Share in severe conditions (%)"),
    "is_gap": N_("Gap in the series"), "indicator": N_("Indicator"), "indicator_label": N_("Indicator (in words)"), "value": N_("Value"),
    "unit": N_("Unit"), "cumulative": N_("Cumulative"), "rate_pct": N_("Rate (%)"), "share_pct": N_("Share (%)"),
    "returnees_in_hotspots": N_("Returnees in hotspots"), "reference_year": N_("Year"), "obstacle": N_("Obstacle"),
    "fvm_response": N_("FVM response"), "latest": N_("Latest"), "previous": N_("Previous"), "change": N_("Change"),
    "change_pct": N_("Change (%)"), "change_basis": N_("Change since"), "latest_date": N_("Latest date"),
    "latest_round": N_("Latest round"), "previous_date": N_("Previous date"), "previous_round": N_("Previous round"),
    "before": N_("Before"), "after": N_("After"), "last_date": N_("Last count date"), "last_round": N_("Last round"),
    "last_households": N_("Households at the last count"), "last_individuals": N_("Individuals at the last count"),
    "change_households": N_("Change in households"), "change_individuals": N_("Change in individuals"),
    "change_sites": N_("Change in sites"), "closed_sites": N_("Sites closed"), "hotspot_reason": N_("Why a hotspot"),
    "origin_name": N_("Origin"), "origin_admin1_code": N_("Origin governorate p-code"), "origin_latitude": N_("Origin latitude"),
    "origin_longitude": N_("Origin longitude"), "destination_name": N_("Destination"),
    "destination_admin1_code": N_("Destination governorate p-code"), "destination_latitude": N_("Destination latitude"),
    "destination_longitude": N_("Destination longitude"),
    # provenance, reports and key figures
    "source": N_("Source (as recorded)"), "source_id": N_("Source ID"), "citation": N_("Source"), "pop_source": N_("Population source (as recorded)"), "pop_source_id": N_("Population source ID"),
    "pop_citation": N_("Population source"), "example_source_id": N_("Example source ID"), "example_citation": N_("Example source"),
    "example_source": N_("Example source"), "sources": N_("Documents cited"), "documents": N_("Documents"), "table": N_("Table"), "rows": N_("Rows"),
    "description": N_("What it holds"), "figure": N_("Figure"), "date": N_("Date"), "file": N_("File"), "kind": N_("Kind"),
    "field": N_("Field"),
}

#: Who does what where (dsdash/wwww.py) and catchments: labels of their columns.
COLUMN_LABELS.update({
    "area_code": N_("Area code"), "area": N_("Area"), "cells": N_("Cells (site × service)"),
    "cells_served": N_("Cells served"), "coverage_pct": N_("Coverage (% of cells served)"),
    "cells_lost": N_("Cells lost"), "cells_at_risk": N_("Cells at risk"),
    "catchment": N_("Catchment"), "catchment_kind": N_("Kind of catchment"), "n_partners": N_("Number of partners"),
    "partner_names": N_("Partners (names)"), "sites_served": N_("Sites served"), "individuals_served": N_("Individuals at served sites"),
    "individuals_without": N_("Individuals without the service"), "others": N_("Other partners there"), "until": N_("Until"),
    "basis": N_("Basis"), "reasoning": N_("Reasoning"), "replaces": N_("Replaces"), "districts": N_("Districts"),
    "kind_label": N_("Kind"), "jcf": N_("JCF"),
})
#: Planned and confirmed exits, the follow-up list, adequacy (issue 15): labels of their columns.
COLUMN_LABELS.update({
    "adequacy": N_("Adequacy"), "end_unconfirmed": N_("End unconfirmed"), "no_report": N_("No report"),
    "n_end_unconfirmed": N_("Services with end unconfirmed"), "n_no_report": N_("Services without a report"),
    "followup_status": N_("Follow-up"), "days_unconfirmed": N_("Days unconfirmed"), "site_names": N_("Sites (names)"),
    "n_sites_without": N_("Sites left without"), "kind_of_end": N_("Kind of end"), "not_covered": N_("Not covered"),
    "partially_covered": N_("Partially covered"), "covered": N_("Covered"), "share_covered": N_("Share covered"),
    "total": N_("Total"), "event": N_("Event"), "recorded_at": N_("Recorded at"), "recorded_by": N_("Recorded by"),
})
#: Columns shown under their name in words (the load report, the history): labels for the catalogs.
COLUMN_LABELS.update({
    "accepted": N_("Accepted"), "rejected": N_("Rejected"), "warnings": N_("Warnings"), "errors": N_("Errors"),
    "where": N_("Where"), "individuals_before": N_("Individuals before"), "individuals_after": N_("Individuals after"),
    "sites_before": N_("Sites before"), "sites_after": N_("Sites after"),
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
    "followup_status": {"passed": N_("Planned end passed, not confirmed"), "unread": N_("End date not read"), "due": N_("Planned end coming up")}, "indicator": {**FVM_INDICATORS, **FVM_DERIVED_INDICATORS}, "table": TABLE_LABELS, "kind": TABLE_LABELS,
    "index": {"return_index": N_("Return Index"), "displacement_index": N_("Displacement Index")},
    "status": {"active": N_("Active"), "scheduled_end": N_("Scheduled to end"), "ended": N_("Ended"),
               "end_unknown": N_("End date not read"), "planned": N_("Planned (not started)")},
    "scope": {"site": N_("Site"), "site_group": N_("Site group"), "district": N_("District"), "governorate": N_("Governorate")},
    "severity": {"high": N_("High"), "medium": N_("Medium"), "low": N_("Low")},
    "need_severity": {"high": N_("High"), "medium": N_("Medium"), "low": N_("Low")},
    "partner_type": {"government": N_("Government"), "other": N_("Other")},
}

_MACHINE_NAME = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")


def translated(labels: dict) -> dict:
    """A vocabulary's labels in the reader's language (for ``Series.map`` and ``rename``).

    Examples:
        >>> translated(ADEQUACY_LABELS)["covered"]
        'Covered'
    """
    return {k: _(v) if isinstance(v, str) else v for k, v in labels.items()}


def column_label(name: object) -> str:
    """The display label of a column: :data:`COLUMN_LABELS`, else a machine name
    (snake_case, lower case) in words, else the name as it is (a label already).

    Examples:
        >>> column_label("without_assured"), column_label("n_widgets_seen"), column_label("stage"), column_label("Service")
        ('Without assured service', 'N widgets seen', 'Stage', 'Service')
    """
    n = str(name)
    if n in COLUMN_LABELS:
        return _(COLUMN_LABELS[n])  # in the reader's language (issue 18)
    if _MACHINE_NAME.match(n):
        return _(n.replace("_", " ").capitalize())
    return _(n)


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
        return _(labels[value]) if value in labels else value  # a label in the reader's language; data as it is
    return value

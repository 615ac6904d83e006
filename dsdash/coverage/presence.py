"""The presence model: where a presence or need row applies, and who serves on a date.

Every surface (the gap matrix, its tables, the site profile, the map, the deck) asks these
questions here, and nowhere else.

* **Spreading.** Presence and needs rows say where they apply with ``scope`` and
  ``scope_id``: a site (``site_id``), a site group (``site_group``, e.g. "Bzebiz"), a
  district (``admin2_code``) or a governorate (``admin1_code``). :func:`spread` turns
  them into (row position, site position) pairs; rows whose scope matches no site are
  marked, never dropped without a word (:attr:`Spread.matched`).
* **Serving on a date D.** A row serves on D when ``start_date ≤ D`` (empty start: since
  before the source's records) and (``end_date`` empty or ``D ≤ end_date``). The end date
  is the last day of service: a partner that ends *on* D still serves on D.
* **Never serving.** A row with status "ended" and no end date (ended on a day the source
  does not give) never serves; nor does a row whose start is after its end, nor a
  "planned" row with no start date (not started, as far as the source says).
* **End not known.** A row with status "end_unknown" and no end date (an end was written
  but could not be read) is never counted as serving, and never as ongoing: from its start
  it counts as having served with an end nobody confirmed, so its cell is *end unconfirmed*
  (not served, not lost) until the date is corrected; it is listed as "end date not known".
* **Planned and confirmed ends.** A row's end is *confirmed* when its status is "ended"
  (the source says the partner left: "concluded in October 2023 including Anbar office
  closure") and *planned* otherwise ("scheduled to conclude by April 2024, with the
  possibility of an extension": status "scheduled_end", or an "active" row with an end date).
  A planned end that passed is not an exit until someone confirms it (:func:`end_kind`).
* **Exit events** (recorded by an editor, kept in the workspace) change rows before any of
  this is asked (:func:`apply_exit_events`): *confirmed* sets the end to the actual last day
  and makes it confirmed; *extended* moves the planned end; *handed over to X* confirms the end
  and adds a row for X serving the same place and service from the next day (X's type is its
  type elsewhere in the data, else "government"). An event names a partner, and optionally
  a service and a scope id; it touches only rows not already confirmed. Events apply in the
  order they were recorded; a later one wins.
* **Needs.** The top reported need of a (site, service): the highest severity, then the
  most specific scope, then the latest report (:func:`top_needs`).

Dates are handled as int64 day numbers (days since 1970-01-01); an empty end is
:data:`OPEN` and an empty start :data:`NO_START`, so "serves on D" is two comparisons.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dsdash.i18n import _, language
from dsdash.schema import EXIT_EVENT_LABELS, ExitEventKind, PartnerType, PresenceStatus, Scope, Severity, normalise_text

#: Column of the sites table that each scope level matches against.
SCOPE_COLUMN = {
    Scope.SITE.value: "site_id",
    Scope.SITE_GROUP.value: "site_group",
    Scope.DISTRICT.value: "admin2_code",
    Scope.GOVERNORATE.value: "admin1_code",
}

OPEN = np.iinfo(np.int64).max  # an open (empty) end date
NO_START = np.iinfo(np.int64).min  # an empty start date
EPOCH = np.datetime64("1970-01-01", "D")

#: Need ranking: severity (high first) and scope (most specific first).
SEVERITY_RANK = {s: len(Severity.values()) - i for i, s in enumerate(Severity.values())}
SCOPE_RANK = {Scope.SITE.value: 4, Scope.SITE_GROUP.value: 3, Scope.DISTRICT.value: 2, Scope.GOVERNORATE.value: 1}


# --------------------------------------------------------------------------- partners
_DOTTED = re.compile(r"^(?:[^\W\d_]\.\s*)+[^\W\d_]\.?$")  # I.O.M. (or I.O.M: the last dot left out)


def partner_key(name: object) -> str:
    """What makes two partner names one partner: case, spaces around and inside, and the dots of
    an acronym written with dots ("I.O.M.") do not count. Everything else does ("IOM Iraq" is
    another name). Every count of partners (the gap matrix, exits, the importer's spellings)
    compares these keys and shows the name as first written.

    Examples:
        >>> partner_key(" iom "), partner_key("IOM"), partner_key("I.O.M."), partner_key("Harikar  NGO")
        ('iom', 'iom', 'iom', 'harikar ngo')
        >>> partner_key("I.R.C"), partner_key("U. N. H. C. R"), partner_key("IRC\u200f")  # a right-to-left mark
        ('irc', 'unhcr', 'irc')
        >>> partner_key("St. Mary's"), partner_key("U.N. Habitat")
        ("st. mary's", 'u.n. habitat')
    """
    k = normalise_text(name)
    if _DOTTED.match(k):
        k = k.replace(".", "").replace(" ", "")
    return k


def first_spellings(names) -> dict[str, str]:
    """Partner key → the name as first written (in the order of ``names``; blanks left out): how a
    partner written several ways is named, and what a name typed another way is matched to.

    Examples:
        >>> first_spellings(["IRC", " irc ", "I.R.C.", "NRC"])
        {'irc': 'IRC', 'nrc': 'NRC'}
    """
    out: dict[str, str] = {}
    for name in pd.Series(names, dtype=object).dropna().astype(str).unique():
        out.setdefault(partner_key(name), name)
    return out


def partner_keys(names: pd.Series) -> pd.Series:
    """:func:`partner_key` of a column of names (each distinct name computed once; missing stay missing)."""
    codes, uniques = pd.factorize(names.astype("string"))
    keys = np.array([partner_key(u) for u in uniques] + [None], dtype=object)
    return pd.Series(keys[codes], index=names.index, dtype="string")


# --------------------------------------------------------------------------- dates
def day(value: object) -> int:
    """Days since 1970-01-01 of a date (date, datetime, Timestamp or ISO string).

    Examples:
        >>> day("1970-01-02"), day(dt.date(2023, 12, 10))
        (1, 19701)
    """
    ts = pd.Timestamp(value)
    if pd.isna(ts):
        raise ValueError(f"not a date: {value!r}")
    return int((np.datetime64(ts.date(), "D") - EPOCH).astype(np.int64))


def days(series: pd.Series, empty: int) -> np.ndarray:
    """A datetime column as int64 days since 1970; empty cells become ``empty``."""
    arr = np.asarray(series.to_numpy(dtype="datetime64[s]", na_value=np.datetime64("NaT")), dtype="datetime64[D]")
    out = arr.astype(np.int64)
    out[np.isnat(arr)] = empty
    return out


def to_date(day_number: int) -> dt.date:
    """The date of a day number (the inverse of :func:`day`)."""
    return (EPOCH + np.timedelta64(int(day_number), "D")).astype(dt.date)


def to_datetimes(day_numbers: np.ndarray) -> np.ndarray:
    """Day numbers as ``datetime64[s]``; :data:`OPEN` and :data:`NO_START` become NaT."""
    d = np.asarray(day_numbers, dtype=np.int64)
    blank = (d == OPEN) | (d == NO_START)
    out = EPOCH + np.where(blank, 0, d).astype("timedelta64[D]")
    return np.where(blank, np.datetime64("NaT", "D"), out).astype("datetime64[s]")


# --------------------------------------------------------------------------- spreading
class SiteIndex:
    """For each scope level, the sites of each scope value (a CSR index), built once per
    sites table and shared by presence and needs."""

    def __init__(self, sites: pd.DataFrame) -> None:
        self.sites = sites
        self._levels: dict[str, tuple] = {}

    def level(self, col: str) -> tuple:
        if col not in self._levels:
            codes, uniques = pd.factorize(self.sites[col].astype("string"))
            have = np.flatnonzero(codes >= 0)
            order = have[np.argsort(codes[have], kind="stable")]
            counts = np.bincount(codes[have], minlength=len(uniques))
            offsets = np.concatenate([[0], np.cumsum(counts)])
            self._levels[col] = (pd.Index(uniques), order, counts, offsets)
        return self._levels[col]


@dataclass(frozen=True)
class Spread:
    """Where rows apply: one (row position, site position) pair per covered site, in no
    particular order, and which rows matched at least one site."""

    row: np.ndarray
    site: np.ndarray
    matched: np.ndarray  # per input row

    def unmatched(self, rows: pd.DataFrame) -> pd.DataFrame:
        """The input rows whose scope matches no site."""
        return rows[~self.matched]


def spread(rows: pd.DataFrame, sites: pd.DataFrame | SiteIndex) -> Spread:
    """Every (row, site) pair where a scoped row covers a site, on integer codes.

    Args:
        rows: a table with ``scope`` and ``scope_id`` columns (presence, needs).
        sites: the sites table, or a :class:`SiteIndex` of it (reuse one for several tables).

    Examples:
        >>> sites = pd.DataFrame({"site_id": ["a", "b"], "site_group": ["G", None],
        ...                       "admin2_code": ["D1", "D1"], "admin1_code": ["P", "P"]})
        >>> rows = pd.DataFrame({"scope": ["site_group", "governorate", "site"],
        ...                      "scope_id": ["G", "P", "zz"]})
        >>> s = spread(rows, sites)
        >>> sorted(zip(s.row.tolist(), s.site.tolist())), s.matched.tolist()
        ([(0, 0), (1, 0), (1, 1)], [True, True, False])
    """
    index = sites if isinstance(sites, SiteIndex) else SiteIndex(sites)
    empty = np.array([], dtype=np.int64)
    matched = np.zeros(len(rows), dtype=bool)
    if rows.empty or index.sites.empty:
        return Spread(empty, empty, matched)
    out_r: list[np.ndarray] = []
    out_s: list[np.ndarray] = []
    scope_codes, scope_values = pd.factorize(rows["scope"].astype("string"))
    scope_values = list(scope_values)
    id_codes, id_values = pd.factorize(rows["scope_id"].astype("string"))
    for scope_value, col in SCOPE_COLUMN.items():
        if scope_value not in scope_values or col not in index.sites.columns:
            continue
        sel = np.flatnonzero((scope_codes == scope_values.index(scope_value)) & (id_codes >= 0))
        uniques, order, counts, offsets = index.level(col)
        rc = uniques.get_indexer(id_values)[id_codes[sel]]
        ok = rc >= 0
        sel, rc = sel[ok], rc[ok]
        n = counts[rc]
        total = int(n.sum())
        within = np.arange(total) - np.repeat(np.cumsum(n) - n, n)
        out_r.append(np.repeat(sel, n))
        out_s.append(order[np.repeat(offsets[rc], n) + within])
    if not out_r:
        return Spread(empty, empty, matched)
    r, s = np.concatenate(out_r).astype(np.int64), np.concatenate(out_s).astype(np.int64)
    matched[r] = True
    return Spread(r, s, matched)


def expand_to_sites(rows: pd.DataFrame, sites: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`spread` as tables: one output row per (input row, covered site).

    Returns:
        ``(expanded, unmatched)``: ``expanded`` has every input column plus ``site_id``
        (an input ``site_id`` column is replaced) and ``row_index`` (the input row's
        index), ordered by input row then site; ``unmatched`` holds input rows that cover
        no site.

    Examples:
        >>> sites = pd.DataFrame({"site_id": ["a", "b"], "site_group": ["G", None],
        ...                       "admin2_code": ["D1", "D1"], "admin1_code": ["P", "P"]})
        >>> rows = pd.DataFrame({"scope": ["site_group", "governorate", "site"],
        ...                      "scope_id": ["G", "P", "zz"]})
        >>> ex, un = expand_to_sites(rows, sites)
        >>> ex[["row_index", "site_id"]].values.tolist(), un.index.tolist()
        ([[0, 'a'], [1, 'a'], [1, 'b']], [2])
    """
    sp = spread(rows, sites)
    order = np.lexsort((sp.site, sp.row))
    r, s = sp.row[order], sp.site[order]
    expanded = rows.drop(columns=["site_id"], errors="ignore").iloc[r].copy()
    expanded["row_index"] = rows.index[r]
    expanded["site_id"] = pd.array(sites["site_id"].to_numpy(dtype=object)[s], dtype="string")
    return expanded.reset_index(drop=True), sp.unmatched(rows)


# --------------------------------------------------------------------------- serving
@dataclass(frozen=True)
class PresenceDays:
    """Per presence row: start and end as day numbers, and whether the row never serves."""

    start: np.ndarray
    end: np.ndarray
    never: np.ndarray
    ended_undated: np.ndarray  # status "ended" without an end date

    confirmed: np.ndarray | None = None  # the end is confirmed (status "ended"), not planned
    #: status "end_unknown" without an end date: never serving, but served (from its start), end unconfirmed
    end_unknown: np.ndarray | None = None
    #: status "planned" without a start date: not started, never serving
    unstarted: np.ndarray | None = None

    @classmethod
    def of(cls, presence: pd.DataFrame) -> "PresenceDays":
        start = days(presence["start_date"], NO_START)
        end = days(presence["end_date"], OPEN)
        status = presence["status"]
        no_end = presence["end_date"].isna().to_numpy()
        ended = (status == PresenceStatus.ENDED.value).fillna(False).to_numpy(dtype=bool)
        undated = ended & no_end
        unknown = (status == PresenceStatus.END_UNKNOWN.value).fillna(False).to_numpy(dtype=bool) & no_end
        unstarted = ((status == PresenceStatus.PLANNED.value).fillna(False).to_numpy(dtype=bool)
                     & presence["start_date"].isna().to_numpy())
        return cls(start=start, end=end, never=undated | unknown | unstarted | (start > end), ended_undated=undated,
                   confirmed=ended, end_unknown=unknown, unstarted=unstarted)

    @property
    def never_before(self) -> np.ndarray:
        """Rows that never count as having served before a date: :attr:`never` except the rows
        whose end is not known (they served from their start; when they stop is unknown)."""
        return self.never if self.end_unknown is None else self.never & ~self.end_unknown


def end_kind(presence: pd.DataFrame) -> pd.Series:
    """Per presence row: "confirmed" (status "ended"), "planned" (an end date not confirmed),
    "unknown" (an end written but not read: status "end_unknown", no end date) or "open"
    (no end date, not ended).

    Examples:
        >>> df = pd.DataFrame({"status": ["ended", "scheduled_end", "active", "active", "end_unknown"],
        ...                    "end_date": pd.to_datetime(["2023-10-31", "2024-04-30", "2024-01-31", None, None])})
        >>> end_kind(df).tolist()
        ['confirmed', 'planned', 'planned', 'open', 'unknown']
    """
    ended = (presence["status"] == PresenceStatus.ENDED.value).fillna(False).to_numpy(dtype=bool)
    has_end = presence["end_date"].notna().to_numpy()
    unknown = (presence["status"] == PresenceStatus.END_UNKNOWN.value).fillna(False).to_numpy(dtype=bool) & ~has_end
    out = np.where(ended, "confirmed", np.where(has_end, "planned", np.where(unknown, "unknown", "open")))
    return pd.Series(out, index=presence.index, dtype="string")


# --------------------------------------------------------------------------- exit events
EVENT_COLUMNS = ["partner", "service", "scope_id", "kind", "end_date", "handover_to", "note"]


def check_exit_event(partner, kind, end_date, *, service=None, scope_id=None, handover_to=None, note="") -> dict:
    """One exit event as a clean dict; a missing partner, an unknown kind, an unreadable date or a
    hand-over without whom is a ValueError."""
    partner = (str(partner or "")).strip()
    if not partner:
        raise ValueError("an exit event needs a partner")
    kind = str(kind).strip().lower().replace("-", "_").replace(" ", "_")
    kind = {"handover": "handed_over", "hand_over": "handed_over", "confirm": "confirmed", "extend": "extended"}.get(kind, kind)
    if kind not in ExitEventKind.values():
        raise ValueError(f"unknown exit event {kind!r}: one of {', '.join(ExitEventKind.values())}")
    d = pd.Timestamp(end_date)
    if pd.isna(d):
        raise ValueError(f"not a date: {end_date!r}")
    handover_to = (str(handover_to).strip() or None) if handover_to else None
    if kind == ExitEventKind.HANDED_OVER.value and not handover_to:
        raise ValueError("a hand-over needs the body that took over")
    return {"partner": partner, "service": (str(service).strip() or None) if service else None,
            "scope_id": (str(scope_id).strip() or None) if scope_id else None, "kind": kind,
            "end_date": d.date(), "handover_to": handover_to, "note": str(note or "").strip()}


def exit_event_words(ev) -> str:
    """An event in words, in the reader's language: "Exit confirmed: IRC, civil documentation, last day
    1 May 2024". (What is stored with the data, a presence row's note or the audit log, is written in
    English: :func:`apply_exit_events`.)"""
    from dsdash.i18n import current, iso
    from dsdash.provenance import local_date
    from dsdash.schema import SERVICE_LABELS
    get = ev.get if isinstance(ev, dict) else (lambda k, d=None: getattr(ev, k, d))
    what = [iso(get("partner"))]
    if get("service") and not pd.isna(get("service")):
        label = _(SERVICE_LABELS.get(get("service"), str(get("service"))))
        what.append(label.lower() if current() == "en" and not label.isupper() else label)  # GBV stays GBV
    if get("scope_id") and not pd.isna(get("scope_id")):
        what.append(iso(get("scope_id")))
    d = local_date(pd.Timestamp(get("end_date")), "%d %b %Y")
    d = d.lstrip("0") if current() == "en" else d
    kind = get("kind")
    tail = {"confirmed": _("last day {date}"), "extended": _("planned end now {date}"),
            "handed_over": _("to {body} after {date}")}.get(kind, "{date}").format(
        date=d, body=iso(get("handover_to")))
    text = f"{_(EXIT_EVENT_LABELS.get(kind, kind))}: {_(', ').join(what)}{_(', ')}{tail}"
    note = get("note")
    return text + (f" ({iso(note)})" if note and not pd.isna(note) else "")


def _recorded(ev) -> str:
    who, at = getattr(ev, "recorded_by", None), getattr(ev, "recorded_at", None)
    bits = [b for b in (f"by {who}" if who and not pd.isna(who) else "",
                        pd.Timestamp(at).strftime("%d %b %Y") if at is not None and not pd.isna(at) else "") if b]
    return f" (recorded {' '.join(bits)})" if bits else ""


def apply_exit_events(presence: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Presence with recorded exit events applied (rules in the module docstring); a new frame.

    Examples:
        >>> p = pd.DataFrame({"partner": ["IRC"], "partner_type": ["INGO"], "scope": ["governorate"],
        ...     "scope_id": ["IQG01"], "service": ["civil_documentation"], "start_date": [pd.NaT],
        ...     "end_date": pd.to_datetime(["2024-04-30"]), "status": ["scheduled_end"],
        ...     "handover_to": [None], "note": [None]})
        >>> ev = pd.DataFrame([{"partner": "irc", "kind": "confirmed", "end_date": dt.date(2024, 5, 1)}])
        >>> out = apply_exit_events(p, ev)
        >>> out[["end_date", "status"]].astype(str).values.tolist()
        [['2024-05-01', 'ended']]
    """
    if events is None or not len(events) or presence.empty:
        return presence
    out = presence.copy()
    added: list[pd.DataFrame] = []
    partner_norm = partner_keys(out["partner"].astype("string")).fillna("")  # "IOM" and "I.O.M.": one partner
    types = dict(zip(partner_norm, out["partner_type"].astype("string")))
    for ev in events.itertuples(index=False):
        m = (partner_norm == partner_key(ev.partner)).to_numpy()
        svc = getattr(ev, "service", None)
        if svc is not None and not pd.isna(svc) and svc:
            m &= (out["service"] == svc).fillna(False).to_numpy(dtype=bool)
        sid = getattr(ev, "scope_id", None)
        if sid is not None and not pd.isna(sid) and sid:
            m &= (out["scope_id"].astype("string").str.casefold() == str(sid).casefold()).fillna(False).to_numpy(dtype=bool)
        m &= ~(out["status"] == PresenceStatus.ENDED.value).fillna(False).to_numpy(dtype=bool)
        if not m.any():
            continue
        end = pd.Timestamp(ev.end_date).as_unit("s")
        with language("en"):  # the data's own words (a note shared by every reader): English
            words = exit_event_words(ev) + _recorded(ev)
        note = out.loc[m, "note"].astype("string")
        out.loc[m, "note"] = (note.fillna("") + np.where(note.fillna("") == "", "", " ") + words).to_numpy()
        out.loc[m, "end_date"] = end
        if ev.kind == ExitEventKind.EXTENDED.value:
            out.loc[m, "status"] = PresenceStatus.SCHEDULED_END.value
            continue
        out.loc[m, "status"] = PresenceStatus.ENDED.value
        if ev.kind == ExitEventKind.HANDED_OVER.value:
            out.loc[m, "handover_to"] = ev.handover_to
            new = out[m].copy()
            new["partner"] = ev.handover_to
            new["partner_type"] = types.get(partner_key(ev.handover_to)) or PartnerType.GOVERNMENT.value
            if "funded_by" in new:
                new["funded_by"] = pd.NA
            new["start_date"] = end + pd.Timedelta(days=1)
            new["end_date"] = pd.NaT
            new["status"] = PresenceStatus.ACTIVE.value
            new["handover_to"] = pd.NA
            new["note"] = f"Took over from {ev.partner}: " + words
            added.append(new)
    if added:
        out = pd.concat([out, *added], ignore_index=True)
        for c in presence.columns:
            out[c] = out[c].astype(presence[c].dtype)
    return out


def serves_on(start: np.ndarray, end: np.ndarray, never: np.ndarray, d: int) -> np.ndarray:
    """Which rows serve on day ``d`` (arrays of day numbers, one value per row or pair)."""
    return ~never & (start <= d) & (d <= end)


def served_before(start: np.ndarray, end: np.ndarray, never: np.ndarray, d: int) -> np.ndarray:
    """Which rows served on some day before ``d`` (a row that could ever serve, started before d)."""
    return ~never & (start <= end) & (start < d)


#: What a presence row does on a date (:func:`row_states`).
ROW_SERVING, ROW_NOT_STARTED, ROW_ENDED, ROW_ENDED_UNDATED, ROW_INCONSISTENT, ROW_END_UNKNOWN, ROW_UNSTARTED = range(7)


def row_states(pdays: PresenceDays, d: int) -> np.ndarray:
    """Per row, one of the ROW_* codes on day ``d`` (ROW_END_UNKNOWN: started, its end not read;
    ROW_UNSTARTED: planned, no start date)."""
    n = len(pdays.start)
    unknown = pdays.end_unknown if pdays.end_unknown is not None else np.zeros(n, dtype=bool)
    unstarted = pdays.unstarted if pdays.unstarted is not None else np.zeros(n, dtype=bool)
    return np.select(
        [pdays.ended_undated, unstarted, pdays.start > pdays.end, pdays.start > d, unknown, pdays.end < d],
        [ROW_ENDED_UNDATED, ROW_UNSTARTED, ROW_INCONSISTENT, ROW_NOT_STARTED, ROW_END_UNKNOWN, ROW_ENDED], ROW_SERVING)


# --------------------------------------------------------------------------- needs
def need_ranks(needs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(severity rank, scope rank, reported day) per need row; larger ranks come first."""

    def ranks(col: str, table: dict) -> np.ndarray:
        codes, values = pd.factorize(needs[col].astype("string"))
        return np.append(np.array([table.get(v, 0) for v in values], dtype=np.int64), 0)[codes]

    return ranks("severity", SEVERITY_RANK), ranks("scope", SCOPE_RANK), days(needs["reported_on"], NO_START)


def top_needs(needs: pd.DataFrame, row: np.ndarray, cell: np.ndarray, d: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The top need of each cell: ``(cells, need row positions)``.

    Args:
        needs: the needs table.
        row, cell: one need row position and one cell code per (need, site, service) pair
            (cells are any integer key, e.g. site position × services + service position).
        d: only needs reported on or before this day count (None: all).

    The ranking: highest severity, then the most specific scope, then the latest report.
    """
    sev, scope, reported = need_ranks(needs)
    if d is not None:
        keep = reported[row] <= d
        row, cell = row[keep], cell[keep]
    if not len(row):
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    order = np.lexsort((-reported[row], -scope[row], -sev[row], cell))
    cs = cell[order]
    first = order[np.r_[True, cs[1:] != cs[:-1]]]
    return cell[first], row[first]

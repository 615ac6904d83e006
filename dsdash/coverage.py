"""Coverage of site × service cells on a date, partner exits, and who is left without.

The rules (DESIGN §4) — the gap matrix of dsdash:

* **Spreading.** A presence row applies to a site directly (``scope`` "site"), through
  its site group, district (``admin2_code``) or governorate (``admin1_code``), exactly as
  :func:`dsdash.scope.expand_to_sites` spreads it (a test pins the equality). Rows whose
  scope matches no site are not dropped silently: :func:`unmatched_presence` returns them
  and every matrix carries them in ``matrix.attrs["unmatched_presence"]`` (records).
* **Serving on a date D.** A row serves a cell on D when ``start_date ≤ D`` (empty start:
  since before the source's records) and (``end_date`` empty or ``D ≤ end_date``). The end
  date is the last day of service: a partner that ends *on* D still serves on D. A row
  with status "ended" and no end date (ended on a day the source does not give) never
  serves; nor does a row whose start is after its end.
* **States** of a cell on D, decided in this order (first match wins):

  1. ``handed_over`` — someone serves it on D and every active provider is a government
     body (``partner_type`` "government"). This wins over ``at_risk``: a donor reading
     the matrix wants to see that no humanitarian partner is left; if the government
     body itself has an end date, ``next_end`` still shows it.
  2. ``at_risk`` — someone serves it on D, at least one non-government body, and every
     active provider ends within the horizon: ``end_date ≤ D + horizon_days`` (default
     90). One open-ended or later-ending provider keeps the cell ``served``.
  3. ``served`` — served on D otherwise.
  4. ``lost`` — nobody serves it on D, but some row served it on a day before D (a
     partner exit).
  5. ``never_served`` — nobody serves it on D and no row served it before D (rows that
     start after D do not count).

  The five states partition every cell.
* **People.** Each cell carries the site's ``individuals`` and ``households``: the latest
  population row of each population group of the site, summed over groups (all groups,
  whatever the population filter). A site without a count has an empty value, never 0.
  It is the site's latest count, not the count on D (counts are rarer than presence
  changes).
* **Needs.** Reported needs (``needs`` table, spread to sites the same way) reported on
  or before D are attached to their cell: the highest severity, and the note of that
  need (ties: the most specific scope, then the latest report).
* **Exits.** :class:`Exit` ``(partner, exit_date)``: the exit date is the first day the
  partner no longer serves, so each of the partner's rows ends on
  ``min(end_date, exit_date − 1 day)``. "DRC leaves on 1 Nov 2023" equals DRC's recorded
  end of 31 Oct 2023. :func:`exit_scenario` compares that with the partners staying
  (their rows serving the day before the exit continue), so a scheduled end does not
  hide what its exit costs.

Everything is computed on integer codes with numpy and arrow (no Python loop over
cells). ``benchmarks/bench_coverage.py`` states the same rules as one DuckDB SQL query;
the benchmark and ``tests/test_coverage.py`` check that both give identical matrices
(states, provider lists, dates, people, needs) and time them side by side.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dsdash.dataset import Dataset
from dsdash.filters import Filters, filter_sites
from dsdash.schema import CoverageState, PartnerType, PresenceStatus, Scope, normalise_text
from dsdash.scope import SCOPE_COLUMN

#: Default horizon of the "at risk" state, in days.
DEFAULT_HORIZON_DAYS = 90

#: States, worst first (the order of :class:`dsdash.schema.CoverageState`).
STATE_ORDER: list[str] = CoverageState.values()
_LOST, _AT_RISK, _HANDED, _NEVER, _SERVED = (STATE_ORDER.index(s.value) for s in (
    CoverageState.LOST, CoverageState.AT_RISK, CoverageState.HANDED_OVER, CoverageState.NEVER, CoverageState.SERVED))

#: States in which a cell has no assured humanitarian service ("people without").
WITHOUT_STATES = (CoverageState.LOST.value, CoverageState.NEVER.value, CoverageState.HANDED_OVER.value,
                  CoverageState.AT_RISK.value)

#: One line for captions: how the matrix is computed.
METHOD = ("presence rows spread from site, site group, district and governorate to sites; a cell is served "
          "on the date when a row has started and not ended (a partner ending that day still serves); "
          "at risk: every provider ends within the horizon; handed over: only government bodies serve; "
          "lost: served before, not on the date; people = the site's latest DTM count (all groups)")

_SEVERITY_RANK = {"high": 3, "medium": 2, "low": 1}
_SCOPE_RANK = {Scope.SITE.value: 4, Scope.SITE_GROUP.value: 3, Scope.DISTRICT.value: 2, Scope.GOVERNORATE.value: 1}
_OPEN = np.iinfo(np.int64).max  # an open (empty) end date
_NO_START = np.iinfo(np.int64).min  # an empty start date
_EPOCH = np.datetime64("1970-01-01", "D")


@dataclass(frozen=True)
class Exit:
    """A partner leaving on ``exit_date`` (the first day it no longer serves)."""

    partner: str
    exit_date: dt.date


# --------------------------------------------------------------------------- helpers
def _day(value: object) -> int:
    """Days since 1970-01-01 of a date (date, datetime, Timestamp or ISO string)."""
    ts = pd.Timestamp(value)
    if pd.isna(ts):
        raise ValueError(f"not a date: {value!r}")
    return int((np.datetime64(ts.date(), "D") - _EPOCH).astype(np.int64))


def _days(series: pd.Series, empty: int) -> np.ndarray:
    """A datetime column as int64 days since 1970; empty cells become ``empty``."""
    arr = np.asarray(series.to_numpy(dtype="datetime64[s]", na_value=np.datetime64("NaT")), dtype="datetime64[D]")
    out = arr.astype(np.int64)
    out[np.isnat(arr)] = empty
    return out


_LABELS: dict[int, str] = {_OPEN: " (ongoing)"}


def _date_label(day: int) -> str:
    """' (to 30 Apr 2024)' for a day number, ' (ongoing)' for an open end (memoised)."""
    lab = _LABELS.get(day)
    if lab is None:
        lab = " (to " + (_EPOCH + np.timedelta64(int(day), "D")).astype(dt.date).strftime("%d %b %Y") + ")"
        if len(_LABELS) < 100_000:
            _LABELS[day] = lab
    return lab


def _text_column(values: pa.Array) -> pd.arrays.ArrowStringArray:
    """A pandas "string" column over an arrow string array (no copy through Python objects)."""
    if values.type != pa.large_string():
        values = values.cast(pa.large_string())
    return pd.arrays.ArrowStringArray(values)


def _arrow_strings(series: pd.Series) -> pa.Array:
    """A text column as an arrow large_string array (missing values stay missing)."""
    return pa.array(series.astype("string").array).cast(pa.large_string())


class _SiteIndex:
    """For each scope level, the sites of each scope value (a CSR index), built once per
    sites table and call, shared by presence and needs."""

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


def _expand_positions(rows: pd.DataFrame, sites: pd.DataFrame | _SiteIndex) -> tuple[np.ndarray, np.ndarray]:
    """Every (row position, site position) pair where a scoped row covers a site.

    The same pairs as :func:`dsdash.scope.expand_to_sites`, computed on integer codes
    (a CSR index of sites per scope value), in no particular order.
    """
    index = sites if isinstance(sites, _SiteIndex) else _SiteIndex(sites)
    out_r: list[np.ndarray] = []
    out_s: list[np.ndarray] = []
    if rows.empty or index.sites.empty:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
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
        rpos = np.repeat(sel, n)
        within = np.arange(total) - np.repeat(np.cumsum(n) - n, n)
        spos = order[np.repeat(offsets[rc], n) + within]
        out_r.append(rpos)
        out_s.append(spos)
    if not out_r:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    return np.concatenate(out_r).astype(np.int64), np.concatenate(out_s).astype(np.int64)


def unmatched_presence(ds: Dataset) -> pd.DataFrame:
    """Presence rows whose scope matches no site of the data (reported, never dropped)."""
    r, _ = _expand_positions(ds.presence, ds.sites)
    hit = np.zeros(len(ds.presence), dtype=bool)
    hit[r] = True
    return ds.presence[~hit]


class Records(tuple):
    """A read-only list of records for ``DataFrame.attrs``: pandas deep-copies ``attrs`` on
    every operation, and this one copies as itself (its dicts are not to be edited)."""

    def __deepcopy__(self, memo) -> "Records":
        return self


def _records(df: pd.DataFrame) -> Records:
    """JSON-friendly records: dates as ISO strings, missing values as None."""
    out = []
    for rec in df.to_dict(orient="records"):
        out.append({k: (None if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v)
                        else (v.date().isoformat() if isinstance(v, pd.Timestamp) else v))
                    for k, v in rec.items()})
    return Records(out)


def _match_partners(presence: pd.DataFrame, partners: Sequence[str]) -> dict[str, str]:
    """Chosen partner names → the data's spelling (case and spaces ignored); unknown → ValueError."""
    known = {normalise_text(p): p for p in presence["partner"].dropna().unique()}
    out, missing = {}, []
    for p in partners:
        k = normalise_text(p)
        if k in known:
            out[known[k]] = p
        else:
            missing.append(str(p))
    if missing:
        raise ValueError(f"unknown partner(s): {', '.join(missing)}; the data has: {', '.join(sorted(known.values()))}")
    return out


# --------------------------------------------------------------------------- the engine
@dataclass
class _Prepared:
    """The date-independent part: filtered sites, services, and expanded presence.

    Arrays named ``*_e`` have one value per expanded (presence row, site) pair."""

    sites: pd.DataFrame  # filtered sites, positional index
    services: list[str]
    row: np.ndarray  # presence row position of each pair
    cell: np.ndarray  # cell index = site position × n_services + service position
    start: np.ndarray  # per presence row: start day (or _NO_START)
    end: np.ndarray  # per presence row: end day (or _OPEN)
    never: np.ndarray  # per presence row: never serves (ended without date)
    start_e: np.ndarray
    never_e: np.ndarray
    gov_e: np.ndarray
    pc_e: np.ndarray  # partner code of each pair (codes in alphabetical order)
    partners: pa.Array  # partner names, alphabetical
    unmatched: pd.DataFrame
    site_index: _SiteIndex  # of all sites (presence and needs spread against it)
    site_map: np.ndarray  # all-sites position → filtered position (-1: filtered out)
    key_base: np.ndarray | None  # date-independent part of the (cell, partner) sort key
    key_pb: int  # bits of the partner part of that key

    @property
    def n_cells(self) -> int:
        return len(self.sites) * len(self.services)


def _prepare(ds: Dataset, filters: Filters | None) -> _Prepared:
    filters = filters or Filters()
    presence = ds.presence
    all_sites = ds.sites.reset_index(drop=True)
    services = filters.service_list()
    site_index = _SiteIndex(all_sites)
    rpos, spos_all = _expand_positions(presence, site_index)
    hit = np.zeros(len(presence), dtype=bool)
    hit[rpos] = True
    unmatched = presence[~hit]

    kept = filter_sites(all_sites, filters, ds.population)
    site_map = np.full(len(all_sites), -1, dtype=np.int64)
    site_map[kept.index.to_numpy()] = np.arange(len(kept))
    sites = kept.reset_index(drop=True)

    svc_codes, svc_values = pd.factorize(presence["service"].astype("string"))
    svc_of_row = np.append(pd.Index(services).get_indexer(svc_values), -1).astype(np.int64)[svc_codes]
    spos = site_map[spos_all]
    svc = svc_of_row[rpos]
    keep = (spos >= 0) & (svc >= 0)
    rpos, spos, svc = rpos[keep], spos[keep], svc[keep]

    pcodes, partners = pd.factorize(presence["partner"].astype("string").fillna(""))
    alpha = np.argsort(np.asarray(partners, dtype=object), kind="stable")  # codes in alphabetical order
    rank = np.empty(len(alpha), dtype=np.int64)
    rank[alpha] = np.arange(len(alpha))
    pcodes, partners = rank[pcodes], np.asarray(partners, dtype=object)[alpha]
    start = _days(presence["start_date"], _NO_START)
    end = _days(presence["end_date"], _OPEN)
    never = ((presence["status"] == PresenceStatus.ENDED.value).fillna(False).to_numpy(dtype=bool)
             & presence["end_date"].isna().to_numpy())
    gov = (presence["partner_type"] == PartnerType.GOVERNMENT.value).fillna(False).to_numpy(dtype=bool)
    cell = spos * len(services) + svc
    key_base, key_pb = _key_base(cell, pcodes[rpos], len(kept) * len(services), len(partners))
    return _Prepared(
        sites=sites, services=services, row=rpos, cell=cell,
        start=start, end=end, never=never, start_e=start[rpos], never_e=never[rpos], gov_e=gov[rpos],
        pc_e=pcodes[rpos], partners=pa.array(partners, type=pa.large_string()),
        unmatched=unmatched, site_index=site_index, site_map=site_map, key_base=key_base, key_pb=key_pb,
    )


def _exit_ends(prep: _Prepared, presence: pd.DataFrame, exits: Sequence[Exit]) -> np.ndarray:
    """End days per presence row with the exits applied (exit date − 1 day)."""
    end = prep.end.copy()
    if not exits:
        return end
    names = _match_partners(presence, [e.partner for e in exits])
    by_norm = {normalise_text(e.partner): _day(e.exit_date) - 1 for e in exits}
    lookup = {n: by_norm[normalise_text(asked)] for n, asked in names.items()}
    partner = presence["partner"].astype("string").fillna("").to_numpy(dtype=object)
    for name, last_day in lookup.items():
        m = partner == name
        end[m] = np.minimum(end[m], last_day)
    return end


_EB = 20  # bits of the end-date part of the packed key (2**20 days ≈ 2,870 years)


def _key_base(cell: np.ndarray, pc: np.ndarray, n_cells: int, n_partners: int) -> tuple[np.ndarray | None, int]:
    """The date-independent part of the packed (cell, partner) sort key, or None when
    it does not fit in 63 bits (then a lexsort is used)."""
    cb, pb = max(1, (n_cells - 1).bit_length()), max(1, (n_partners - 1).bit_length())
    if cb + pb + 1 + _EB > 62:  # pragma: no cover - needs ~10**8 cells × 10**4 partners
        return None, pb
    return (cell << (pb + 1 + _EB)) | (pc << (1 + _EB)), pb


def _partner_entries(prep: "_Prepared", rel: np.ndarray, act: np.ndarray, end: np.ndarray):
    """One entry per (cell, partner) among the pairs ``rel`` selects, sorted by cell then
    partner: (cell, partner code, active, end, end code, n end codes). An active
    partner's entry carries its latest active end, an inactive one its latest end.
    ``end`` is per presence row; the end code is the day counted from the earliest end
    (the last code is "open").

    One np.sort of a packed int64 key (cell | partner | inactive | reversed end): the
    first key of each (cell, partner) run is the entry wanted."""
    finite = end[end != _OPEN]
    lo = int(finite.min()) if len(finite) else 0
    span = (int(finite.max()) - lo + 2) if len(finite) else 2
    e_rel = np.where(end == _OPEN, span - 1, end - lo)  # per presence row; open end → largest
    if not rel.any():
        z = np.array([], dtype=np.int64)
        return z, z, np.array([], dtype=bool), z, z, span
    if prep.key_base is not None and span < (1 << _EB):
        pb = prep.key_pb
        key = prep.key_base | ((span - 1) - e_rel)[prep.row]  # latest end sorts first
        key |= (~act).astype(np.int64) << _EB
        np.putmask(key, ~rel, np.iinfo(np.int64).max)
        key.sort()
        key = key[: int(rel.sum())]
        g = key >> (1 + _EB)
        first = np.empty(len(g), dtype=bool)
        first[0] = True
        np.not_equal(g[1:], g[:-1], out=first[1:])
        k = key[first]
        g = g[first]
        c_s, p_s = g >> pb, g & ((1 << pb) - 1)
        a_s = ((k >> _EB) & 1) == 0
        e_s = (span - 1) - (k & ((1 << _EB) - 1))
    else:  # pragma: no cover - dates more than 2,870 years apart, or a huge key
        cell, pc, a, er = prep.cell[rel], prep.pc_e[rel], act[rel], e_rel[prep.row][rel]
        order = np.lexsort((-er, ~a, pc, cell))
        c_o, p_o = cell[order], pc[order]
        first = np.r_[True, (c_o[1:] != c_o[:-1]) | (p_o[1:] != p_o[:-1])]
        c_s, p_s, a_s, e_s = c_o[first], p_o[first], a[order][first], er[order][first]
    e_abs = np.where(e_s == span - 1, _OPEN, e_s + lo)
    return c_s, p_s, a_s, e_abs, e_s, span


def _first_of(values: np.ndarray, codes: np.ndarray, n: int) -> np.ndarray:
    """The value of each code (values equal within a code)."""
    out = np.zeros(n, dtype=values.dtype)
    out[codes] = values
    return out


def _dense_codes(values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """(codes, uniques) of non-negative ints below ``size``: a bitmap, no hashing or sort
    (pandas factorize when ``size`` is large)."""
    if size > 8_000_000:  # pragma: no cover - ~8 million distinct (partner, end date) pairs
        codes, uniques = pd.factorize(values)
        return codes, np.asarray(uniques, dtype=np.int64)
    present = np.zeros(size, dtype=bool)
    present[values] = True
    rank = np.cumsum(present) - 1
    return rank[values], np.flatnonzero(present)


def _joined(prep: _Prepared, c: np.ndarray, p: np.ndarray, e: np.ndarray, e_code: np.ndarray, n_codes: int,
            n_cells: int) -> pd.arrays.ArrowStringArray:
    """Per cell: "Partner (to 30 Apr 2024); Other (ongoing)" from entries sorted by cell
    then partner — labels built once per distinct (partner, end), then joined per cell in
    arrow (list offsets + binary_join): no Python loop over cells."""
    e_codes, e_uniq_codes = _dense_codes(e_code, n_codes)
    n_e = max(len(e_uniq_codes), 1)
    pair_codes, pairs = _dense_codes(p * n_e + e_codes, len(prep.partners) * n_e)
    e_uniq = _first_of(e, e_codes, n_e)
    dates = pa.array([_date_label(int(x)) for x in e_uniq], type=pa.large_string())
    names = pc.binary_join_element_wise(prep.partners.take(pa.array(pairs // n_e, type=pa.int64())),
                                        dates.take(pa.array(pairs % n_e, type=pa.int64())),
                                        pa.scalar("", pa.large_string()))
    text = names.take(pa.array(pair_codes, type=pa.int64()))
    counts = np.bincount(c, minlength=n_cells)
    offsets = pa.array(np.concatenate([[0], np.cumsum(counts)]), type=pa.int64())
    lists = pa.LargeListArray.from_arrays(offsets, text)
    return _text_column(pc.binary_join(lists, pa.scalar("; ", pa.large_string())))


def _needs_per_cell(ds: Dataset, prep: _Prepared, d: int) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """(cell indices, need row positions, the needs table) of the top reported need of each
    cell, reported by day d: highest severity, then most specific scope, then latest."""
    needs = ds.needs
    empty = (np.array([], dtype=np.int64), np.array([], dtype=np.int64), needs)
    if needs.empty or prep.sites.empty:
        return empty
    reported = _days(needs["reported_on"], _NO_START)
    keep = reported <= d
    if not keep.all():
        needs, reported = needs[keep].reset_index(drop=True), reported[keep]
    r, s_all = _expand_positions(needs, prep.site_index)
    s = prep.site_map[s_all]

    def ranks(col: str, table: dict) -> np.ndarray:
        codes, values = pd.factorize(needs[col].astype("string"))
        return np.append(np.array([table.get(v, 0) for v in values], dtype=np.int64), 0)[codes]

    svc_codes, svc_values = pd.factorize(needs["service"].astype("string"))
    svc = np.append(pd.Index(prep.services).get_indexer(svc_values), -1).astype(np.int64)[svc_codes]
    ok = (svc[r] >= 0) & (s >= 0) if len(r) else np.array([], dtype=bool)
    r, s = r[ok], s[ok]
    if not len(r):
        return empty
    cell = s * len(prep.services) + svc[r]
    sev = ranks("severity", _SEVERITY_RANK)[r]
    scope = ranks("scope", _SCOPE_RANK)[r]
    rep = reported[r]
    order = np.lexsort((-rep, -scope, -sev, cell))
    cs = cell[order]
    first = order[np.r_[True, cs[1:] != cs[:-1]]]
    return cell[first], r[first], needs


def _site_people(ds: Dataset, sites: pd.DataFrame) -> tuple[pd.arrays.IntegerArray, pd.arrays.IntegerArray]:
    """(individuals, households) per site position: latest row per population group, summed; NA if unknown."""
    n = len(sites)
    pop = ds.population
    pop = pop.sort_values("reference_date", kind="stable").drop_duplicates(["site_id", "population_group"], keep="last")
    pos = pd.Index(sites["site_id"]).get_indexer(pop["site_id"])
    ok = pos >= 0
    out = []
    for col in ("individuals", "households"):
        v = pop[col].to_numpy(dtype="float64", na_value=np.nan)
        have = ok & ~np.isnan(v)
        total = np.bincount(pos[have], weights=v[have], minlength=n)
        count = np.bincount(pos[have], minlength=n)
        out.append(pd.arrays.IntegerArray(np.round(total).astype(np.int64), count == 0))
    return out[0], out[1]


def _pick_text(column: pd.Series, rows: np.ndarray, cells: np.ndarray, n_cells: int) -> pd.arrays.ArrowStringArray:
    """A string column of n_cells: column[rows] at cells, empty (NA) elsewhere — via an arrow take."""
    idx = np.zeros(n_cells, dtype=np.int64)
    mask = np.ones(n_cells, dtype=bool)
    idx[cells] = rows
    mask[cells] = False
    return _text_column(_arrow_strings(column).take(pa.array(idx, mask=mask)))


def _matrix(ds: Dataset, prep: _Prepared, d: int, horizon_days: int, end: np.ndarray) -> pd.DataFrame:
    S, K = len(prep.sites), len(prep.services)
    N = S * K
    cell = prep.cell
    start_e, end_e = prep.start_e, end[prep.row]
    valid = ~prep.never_e & (start_e <= end_e)
    active = valid & (start_e <= d) & (d <= end_e)
    past = valid & (start_e < d)
    ca = cell[active]
    n_active = np.bincount(ca, minlength=N)
    n_gov = np.bincount(cell[active & prep.gov_e], minlength=N)
    n_long = np.bincount(cell[active & (end_e > d + int(horizon_days))], minlength=N)
    n_past = np.bincount(cell[past], minlength=N)
    state = np.where(
        n_active > 0,
        np.where(n_gov == n_active, _HANDED, np.where(n_long == 0, _AT_RISK, _SERVED)),
        np.where(n_past > 0, _LOST, _NEVER),
    ).astype(np.int64)

    # one entry per (cell, partner): active partners (providers) and partners gone (lost providers)
    rel = active | past
    c_s, p_s, a_s, e_s, k_s, n_codes = _partner_entries(prep, rel, active, end)
    ca_s, ea_s = c_s[a_s], e_s[a_s]
    n_providers = np.bincount(ca_s, minlength=N)
    providers = _joined(prep, ca_s, p_s[a_s], ea_s, k_s[a_s], n_codes, N)
    g_s = ~a_s
    lost = _joined(prep, c_s[g_s], p_s[g_s], e_s[g_s], k_s[g_s], n_codes, N)
    # earliest end among active providers (each provider's latest end)
    next_end = np.full(N, _OPEN, dtype=np.int64)
    if len(ca_s):  # entries are sorted by cell: one reduceat
        starts = np.flatnonzero(np.r_[True, ca_s[1:] != ca_s[:-1]])
        next_end[ca_s[starts]] = np.minimum.reduceat(ea_s, starts)
    next_end_dt = np.where(next_end == _OPEN, np.datetime64("NaT", "D"),
                           _EPOCH + np.where(next_end == _OPEN, 0, next_end).astype("timedelta64[D]"))

    need_cell, need_row, needs = _needs_per_cell(ds, prep, d)
    ind, hh = _site_people(ds, prep.sites)
    site_take = np.repeat(np.arange(S), K)
    svc_take = np.tile(np.arange(K), S)
    sites = prep.sites
    take = pa.array(site_take)

    def site_col(c: str):
        if c not in sites.columns:
            return pd.array([None] * N, dtype="string")
        return _text_column(_arrow_strings(sites[c]).take(take))

    return pd.DataFrame({
        "site_id": site_col("site_id"),
        "site_name": site_col("site_name"),
        "admin1_code": site_col("admin1_code"),
        "admin2_code": site_col("admin2_code"),
        "admin2_name": site_col("admin2_name"),
        "service": _text_column(pa.array(prep.services, type=pa.large_string()).take(pa.array(svc_take))),
        "state": _text_column(pa.array(STATE_ORDER, type=pa.large_string()).take(pa.array(state))),
        "individuals": ind.take(site_take),
        "households": hh.take(site_take),
        "providers": providers,
        "n_providers": n_providers.astype(np.int64),
        "next_end": next_end_dt.astype("datetime64[s]"),
        "lost_providers": lost,
        "need_severity": _pick_text(needs["severity"], need_row, need_cell, N),
        "need_note": _pick_text(needs["note"], need_row, need_cell, N),
    })


def _check_horizon(horizon_days: int) -> int:
    h = int(horizon_days)
    if h < 0:
        raise ValueError(f"horizon_days must be 0 or more, not {horizon_days}")
    return h


# --------------------------------------------------------------------------- public API
def coverage_matrix(ds: Dataset, as_of: dt.date, *, horizon_days: int = DEFAULT_HORIZON_DAYS,
                    filters: Filters | None = None, exits: Sequence[Exit] = ()) -> pd.DataFrame:
    """The site × service gap matrix on ``as_of``.

    Args:
        ds: the data.
        as_of: the date D (date, Timestamp or ISO string).
        horizon_days: a served cell whose every provider ends by D + horizon is "at risk".
        filters: which sites (area, type, group …) and services; default all.
        exits: partners assumed to leave early (see :class:`Exit`).

    Returns:
        One row per (filtered site, service in ``filters.service_list()``), sites in the
        order of the sites table, services in vocabulary order. Columns: site_id,
        site_name, admin1_code, admin2_code, admin2_name, service, state, individuals,
        households (Int64, empty when unknown), providers ("IRC (to 30 Apr 2024); UNHCR
        (ongoing)"), n_providers, next_end (earliest end among active providers, NaT if all
        are open-ended or none serves), lost_providers (who served before D and no longer
        does), need_severity, need_note. ``attrs``: as_of, horizon_days, exits,
        unmatched_presence (records of presence rows that match no site).

    Examples:
        >>> from dsdash.dataset import load_embedded
        >>> m = coverage_matrix(load_embedded(), dt.date(2023, 12, 10))
        >>> m.loc[(m.site_name == "9 Kilo") & (m.service == "water"), ["state", "lost_providers"]].values.tolist()
        [['lost', 'Mercy Corps (to 30 Sep 2023); UNICEF (to 31 Jan 2023)']]
    """
    h = _check_horizon(horizon_days)
    d = _day(as_of)
    prep = _prepare(ds, filters)
    end = _exit_ends(prep, ds.presence, exits)
    m = _matrix(ds, prep, d, h, end)
    m.attrs = {
        "as_of": pd.Timestamp(as_of).date().isoformat(),
        "horizon_days": h,
        "exits": [(e.partner, pd.Timestamp(e.exit_date).date().isoformat()) for e in exits],
        "unmatched_presence": _records(prep.unmatched),
    }
    return m


def site_states(matrix: pd.DataFrame) -> pd.DataFrame:
    """One row per site: its worst state, counts of cells per state, individuals and
    ``people_affected`` (the site's individuals when a service there is lost or at risk,
    else 0), ordered by people affected, lost cells, then individuals (largest first).

    Columns: site_id, site_name, admin2_name, worst_state, n_lost, n_at_risk,
    n_handed_over, n_never_served, n_served, individuals, people_affected.
    """
    cols = ["site_id", "site_name", "admin2_name", "worst_state", "n_lost", "n_at_risk", "n_handed_over",
            "n_never_served", "n_served", "individuals", "people_affected"]
    if matrix.empty:
        return pd.DataFrame(columns=cols)
    codes = pd.Index(STATE_ORDER).get_indexer(matrix["state"].astype("string"))
    site_codes, site_ids = pd.factorize(matrix["site_id"], sort=False)
    S = len(site_ids)
    counts = {s: np.bincount(site_codes[codes == i], minlength=S) for i, s in enumerate(STATE_ORDER)}
    worst = np.full(S, len(STATE_ORDER), dtype=np.int64)
    np.minimum.at(worst, site_codes, codes)
    firsts = np.zeros(S, dtype=np.int64)
    firsts[site_codes[::-1]] = np.arange(len(matrix))[::-1]  # first row of each site
    base = matrix.iloc[firsts]
    ind = base["individuals"].astype("Int64").to_numpy(dtype="float64", na_value=np.nan)
    hit = (counts[CoverageState.LOST.value] + counts[CoverageState.AT_RISK.value]) > 0
    affected = np.where(hit, np.nan_to_num(ind, nan=0.0), 0.0)
    out = pd.DataFrame({
        "site_id": base["site_id"].to_numpy(),
        "site_name": base["site_name"].to_numpy(),
        "admin2_name": base["admin2_name"].to_numpy(),
        "worst_state": np.array(STATE_ORDER, dtype=object)[worst],
        "n_lost": counts[CoverageState.LOST.value],
        "n_at_risk": counts[CoverageState.AT_RISK.value],
        "n_handed_over": counts[CoverageState.HANDED_OVER.value],
        "n_never_served": counts[CoverageState.NEVER.value],
        "n_served": counts[CoverageState.SERVED.value],
        "individuals": base["individuals"].astype("Int64").to_numpy(),
        "people_affected": affected.astype(np.int64),
    })
    out["individuals"] = out["individuals"].astype("Int64")
    for c in ("site_id", "site_name", "admin2_name", "worst_state"):
        out[c] = out[c].astype("string")
    return out.sort_values(["people_affected", "n_lost", "individuals"], ascending=False, kind="stable",
                           na_position="last").reset_index(drop=True)


def people_without_service(matrix: pd.DataFrame) -> pd.DataFrame:
    """Per service: individuals in each state's cells.

    Columns: service, lost, never_served, handed_over, at_risk, served (individuals in
    cells of that state), without_any (lost + never_served: no provider at all),
    without_assured (lost + never_served + handed_over + at_risk: no assured
    humanitarian service), total (all individuals; the five states add up to it),
    sites_unknown_people (sites without a count, not in any sum). Services in
    vocabulary order.
    """
    cols = ["service", *[s for s in STATE_ORDER], "without_any", "without_assured", "total", "sites_unknown_people"]
    if matrix.empty:
        return pd.DataFrame(columns=cols)
    svc_codes, services = pd.factorize(matrix["service"], sort=False)
    codes = pd.Index(STATE_ORDER).get_indexer(matrix["state"].astype("string"))
    ind = matrix["individuals"].astype("Int64").to_numpy(dtype="float64", na_value=np.nan)
    known = ~np.isnan(ind)
    K = len(services)
    data: dict[str, object] = {"service": pd.array(list(services), dtype="string")}
    for i, s in enumerate(STATE_ORDER):
        m = known & (codes == i)
        data[s] = np.round(np.bincount(svc_codes[m], weights=ind[m], minlength=K)).astype(np.int64)
    out = pd.DataFrame(data)
    out = out[["service", CoverageState.LOST.value, CoverageState.NEVER.value, CoverageState.HANDED_OVER.value,
               CoverageState.AT_RISK.value, CoverageState.SERVED.value]]
    out["without_any"] = out[CoverageState.LOST.value] + out[CoverageState.NEVER.value]
    out["without_assured"] = out[list(WITHOUT_STATES)].sum(axis=1)
    out["total"] = np.round(np.bincount(svc_codes[known], weights=ind[known], minlength=K)).astype(np.int64)
    out["sites_unknown_people"] = np.bincount(svc_codes[~known], minlength=K)
    return out


def exit_scenario(ds: Dataset, partners: Sequence[str], exit_date: dt.date, *, as_of: dt.date | None = None,
                  horizon_days: int = DEFAULT_HORIZON_DAYS, filters: Filters | None = None) -> pd.DataFrame:
    """"If partners P leave on ``exit_date``": the cells that turn lost, ranked by people.

    The exit date is the first day without the partners. Coverage is evaluated on
    ``exit_date``, or on ``as_of`` when that is later, twice:

    * *had they stayed*: the partners' rows that serve on the day before the exit keep
      serving, open-ended (a scheduled end on 30 Apr 2024 does not hide the consequence
      of leaving on 1 May 2024);
    * *with the exit*: their rows end on ``exit_date − 1 day`` (:class:`Exit`).

    A cell turns lost when it is served, at risk or handed over had they stayed, and lost
    with the exit.

    Returns:
        Columns: site_id, site_name, admin2_name, service, individuals, households,
        partners (the leaving partners that served the cell), state_before (had they
        stayed), state_after ("lost"), providers_before (as recorded, on the day before
        the exit), need_severity, need_note;
        largest individuals first (unknown counts last). ``attrs``: evaluated_on,
        partners, exit_date, and ``transitions`` (records state_before → state_after,
        cells, individuals summed over cells — for every cell the exit changes, e.g.
        served → handed_over).

    Raises:
        ValueError: a partner name the data does not know, or a negative horizon.

    Examples:
        >>> from dsdash.dataset import load_embedded
        >>> sc = exit_scenario(load_embedded(), ["IRC"], dt.date(2024, 5, 1))
        >>> sorted(set(sc["service"])), len(sc), int(sc["individuals"].sum())
        (['civil_documentation'], 28, 18882)
    """
    h = _check_horizon(horizon_days)
    names = _match_partners(ds.presence, partners)
    x = pd.Timestamp(exit_date).date()
    on = x if as_of is None else max(x, pd.Timestamp(as_of).date())
    prep = _prepare(ds, filters)
    d, xd = _day(on), _day(x)
    partner = ds.presence["partner"].astype("string").fillna("").to_numpy(dtype=object)
    leaving = np.isin(partner, np.array(list(names), dtype=object))
    stayed_end = prep.end.copy()
    extend = leaving & (prep.start <= xd - 1) & (prep.end >= xd - 1) & ~prep.never
    stayed_end[extend] = _OPEN
    before = _matrix(ds, prep, d, h, stayed_end)
    day_before = _matrix(ds, prep, xd - 1, h, prep.end)
    after = _matrix(ds, prep, d, h, _exit_ends(prep, ds.presence, [Exit(p, x) for p in names]))

    changed = (before["state"] != after["state"]).to_numpy(dtype=bool)
    ind = before["individuals"].to_numpy(dtype="float64", na_value=np.nan)
    trans = pd.DataFrame({"state_before": before["state"].to_numpy()[changed],
                          "state_after": after["state"].to_numpy()[changed],
                          "individuals": ind[changed]})
    trans = [{"state_before": str(k[0]), "state_after": str(k[1]), "cells": int(len(g)),
              "individuals": int(np.nansum(g["individuals"]))}
             for k, g in trans.groupby(["state_before", "state_after"], sort=True)]
    turned = changed & (after["state"] == CoverageState.LOST.value).to_numpy(dtype=bool)
    out = before.loc[turned, ["site_id", "site_name", "admin2_name", "service", "individuals", "households"]].copy()
    prov = day_before.loc[turned, "providers"].fillna("")
    # provider entries read "Name (to 30 Apr 2024)" / "Name (ongoing)": the name is before the last " ("
    served_by = [{e.rsplit(" (", 1)[0] for e in s.split("; ")} for s in prov]
    out["partners"] = pd.array(["; ".join(sorted(p for p in names if p in sb)) for sb in served_by], dtype="string")
    out["state_before"] = before.loc[turned, "state"]
    out["state_after"] = after.loc[turned, "state"]
    out["providers_before"] = prov.astype("string")
    out["need_severity"] = before.loc[turned, "need_severity"]
    out["need_note"] = before.loc[turned, "need_note"]
    out = out.sort_values("individuals", ascending=False, na_position="last", kind="stable").reset_index(drop=True)
    out.attrs = {"evaluated_on": on.isoformat(), "partners": sorted(names), "exit_date": x.isoformat(),
                 "transitions": trans}
    return out


def upcoming_exits(ds: Dataset, as_of: dt.date, *, horizon_days: int = 180,
                   filters: Filters | None = None) -> pd.DataFrame:
    """Partners serving on ``as_of`` whose end date falls within ``horizon_days`` (as_of
    itself included: they leave the next day).

    Returns:
        One row per (partner, partner_type, service, end_date, handover_to): n_sites,
        individuals (sum over those sites, known counts only), n_sites_left_without /
        individuals_left_without (sites where no provider active on as_of continues
        after that end date — government bodies count as providers), days_left. Sorted by
        end date, then individuals (largest first).
    """
    cols = ["partner", "partner_type", "service", "end_date", "n_sites", "individuals", "handover_to",
            "n_sites_left_without", "individuals_left_without", "days_left"]
    h = _check_horizon(horizon_days)
    d = _day(as_of)
    prep = _prepare(ds, filters)
    r, cell = prep.row, prep.cell
    start_e, end_e = prep.start[r], prep.end[r]
    valid = ~prep.never[r] & (start_e <= end_e)
    active = valid & (start_e <= d) & (d <= end_e)
    N = len(prep.sites) * len(prep.services)
    max_end = np.full(N, _NO_START, dtype=np.int64)
    if active.any():
        np.maximum.at(max_end, cell[active], end_e[active])
    ending = active & (end_e <= d + h)
    if not ending.any():
        return pd.DataFrame(columns=cols)
    idx = np.flatnonzero(ending)
    ind, _hh = _site_people(ds, prep.sites)
    ind_f = ind.to_numpy(dtype="float64", na_value=np.nan)
    p = ds.presence
    rows = pd.DataFrame({
        "partner": p["partner"].to_numpy()[r[idx]],
        "partner_type": p["partner_type"].to_numpy()[r[idx]],
        "service": p["service"].to_numpy()[r[idx]],
        "end_day": end_e[idx],
        "handover_to": p["handover_to"].fillna("").to_numpy()[r[idx]],
        "site": prep.cell[idx] // max(len(prep.services), 1),
        "without": max_end[cell[idx]] <= end_e[idx],
    })
    rows["ind"] = ind_f[rows["site"].to_numpy()]
    keys = ["partner", "partner_type", "service", "end_day", "handover_to"]
    rows = rows.sort_values("without", ascending=False).drop_duplicates(keys + ["site"])
    rows["ind_without"] = np.where(rows["without"], rows["ind"], 0.0)
    g = rows.groupby(keys, as_index=False, sort=False).agg(
        n_sites=("site", "size"), individuals=("ind", lambda s: s.sum(min_count=1)),
        n_sites_left_without=("without", "sum"), individuals_left_without=("ind_without", lambda s: s.sum(min_count=1)))
    g["end_date"] = (_EPOCH + g["end_day"].to_numpy().astype("timedelta64[D]")).astype("datetime64[s]")
    g["days_left"] = (g["end_day"] - d).astype(np.int64)
    g["handover_to"] = g["handover_to"].replace("", pd.NA).astype("string")
    for c in ("individuals", "individuals_left_without"):
        g[c] = g[c].round().astype("Int64")
    g["n_sites_left_without"] = g["n_sites_left_without"].astype(np.int64)
    for c in ("partner", "partner_type", "service"):
        g[c] = g[c].astype("string")
    g = g.sort_values(["end_day", "individuals"], ascending=[True, False], na_position="last", kind="stable")
    return g[cols].reset_index(drop=True)

"""The gap matrix: coverage of site × service cells on a date.

:func:`prepare` does the date-independent work once (filtered sites, presence spread to
sites, people per site, needs spread to cells); :meth:`Prepared.on` evaluates a date and
returns a :class:`Coverage`. A date change on the Gaps page reuses the prepared data.
Who serves on a date, and how rows spread, is :mod:`dsdash.coverage.presence`.

**States** of a cell on D, decided in this order (first match wins):

1. ``handed_over``: someone serves it on D and every active provider is a government body
   (``partner_type`` "government"). This wins over ``at_risk``: a donor reading the matrix
   wants to see that no humanitarian partner is left; if the government body itself has
   an end date, ``next_end`` still shows it.
2. ``at_risk``: someone serves it on D, at least one non-government body, and every active
   provider ends within the horizon: ``end_date ≤ D + horizon_days`` (default 90). One
   open-ended or later-ending provider keeps the cell ``served``.
3. ``served``: served on D otherwise.
4. ``lost``: nobody serves it on D, some row served it on a day before D, and at least one
   of those rows has a *confirmed* end (status "ended": the source or an editor says the
   partner left; :func:`dsdash.coverage.presence.end_kind`). In an exit scenario the leaving
   partners' ends count as confirmed (that is the scenario's assumption).
5. ``end_unconfirmed``: nobody serves it on D, some row served it before D, and every such
   row's end is only *planned* ("scheduled to conclude by April 2024, with the possibility of
   an extension"): the planned end passed and nobody has confirmed the exit. Not a loss yet;
   it is on the follow-up list (:mod:`dsdash.coverage.followup`). A row whose end was written
   but not read (status "end_unknown") is never counted as serving: after its start it makes
   its cell ``end_unconfirmed``, listed among the lost providers as "(end date not known)".
6. ``no_report``: nobody serves it on D, no row served it before, and no presence row of any
   partner or service reaches the site and has started by D: the site is outside every
   presence report of the period. "We don't know", not "never served".
7. ``never_served``: nobody serves it on D and no row served it before D (rows that start
   after D do not count), though presence is reported for the site.

The seven states partition every cell. :func:`reported_sites` gives the completeness line
("presence reported for 22 of 28 sites").

**Adequacy** (graded coverage, next to the state; like the CCCM cluster's "fully / partially /
not covered" grid, and summed by people in :func:`dsdash.coverage.summary.people_by_adequacy`):

* ``not_covered``: nobody serves the cell on D (lost, end unconfirmed, no report, never served).
* ``partially_covered``: someone serves it, but every provider ends within the horizon
  (at risk); or a need of *high* severity is reported for the cell and fewer than two
  providers serve it; or only government bodies serve it (handed over) and a need of any
  severity is reported (their capacity is the seed's recurring doubt).
* ``covered``: served otherwise.

**People.** Each cell carries the site's ``individuals`` and ``households``: the site's row
in the latest round of each population group, summed over groups (all groups, whatever the
population filter): the current picture of :mod:`dsdash.figures`. A site closed in the
latest round of every group it has rows in (:attr:`dsdash.figures.CurrentPicture.closed_site_ids`)
is not in the matrix. A site without a count has an empty value, never 0. It is the latest
round's count, not the count on D (counts are rarer than presence changes).

**Needs.** Reported needs reported on or before D are attached to their cell: the top need
by :func:`dsdash.coverage.presence.top_needs`.

**Exits.** :class:`Exit` ``(partner, exit_date)``: the exit date is the first day the
partner no longer serves, so each of the partner's rows ends on
``min(end_date, exit_date − 1 day)``. "DRC leaves on 1 Nov 2023" equals DRC's recorded
end of 31 Oct 2023.

Everything is computed on integer codes with numpy and arrow (no Python loop over cells).
``tests/support/oracle.py`` states the same rules as one DuckDB SQL query; the tests and
``benchmarks/bench_coverage.py`` check that both give identical matrices.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dsdash.i18n import N_, _, current, iso, list_sep
from dsdash.coverage.presence import (
    EPOCH,
    NO_START,
    OPEN,
    PresenceDays,
    SiteIndex,
    day,
    first_spellings,
    partner_key,
    partner_keys,
    served_before,
    serves_on,
    spread,
    to_date,
    to_datetimes,
    top_needs,
)
from dsdash.dataset import Dataset
from dsdash.figures import current_picture, latest_population
from dsdash.filters import Filters, filter_sites
from dsdash.schema import DEFAULT_HORIZON_DAYS, Adequacy, CoverageState, PartnerType, Severity

#: States, worst first (the order of :class:`dsdash.schema.CoverageState`).
STATE_ORDER: list[str] = CoverageState.values()
_LOST, _UNCONF, _AT_RISK, _HANDED, _NOREP, _NEVER, _SERVED = (STATE_ORDER.index(s.value) for s in (
    CoverageState.LOST, CoverageState.END_UNCONFIRMED, CoverageState.AT_RISK, CoverageState.HANDED_OVER,
    CoverageState.NO_REPORT, CoverageState.NEVER, CoverageState.SERVED))
#: Adequacy grades, worst first (:class:`dsdash.schema.Adequacy`).
ADEQUACY_ORDER: list[str] = Adequacy.values()

#: One line for captions: how the matrix is computed.
METHOD = N_("presence rows spread from site, site group, district and governorate to sites; a cell is served "
          "on the date when a row has started and not ended (a partner ending that day still serves); "
          "at risk: every provider ends within the horizon; handed over: only government bodies serve; "
          "lost: served before, not on the date, an exit confirmed; end unconfirmed: only planned ends passed; "
          "no report: no presence reported for the site; people = the site's count in the latest DTM round of each group "
          "(closed sites left out)")


@dataclass(frozen=True)
class Exit:
    """A partner leaving on ``exit_date`` (the first day it no longer serves)."""

    partner: str
    exit_date: dt.date


# --------------------------------------------------------------------------- helpers
_LABELS: dict[int, str] = {OPEN: " (ongoing)"}
#: The label of a partner that served and is not serving, with no end date: its end was written but not read
#: (status "end_unknown"). Never " (ongoing)".
END_NOT_KNOWN = " (end date not known)"


def _date_label(d: int) -> str:
    """' (to 30 Apr 2024)' for a day number, ' (ongoing)' for an open end (memoised)."""
    lab = _LABELS.get(d)
    if lab is None:
        lab = " (to " + to_date(d).strftime("%d %b %Y") + ")"
        if len(_LABELS) < 100_000:
            _LABELS[d] = lab
    return lab


#: one provider as this module writes it (_date_label, END_NOT_KNOWN): "IRC (to 30 Apr 2024)", "UNHCR (ongoing)", "UIMS (end date not known)"
_PROVIDER_WORDS = re.compile(r"^(?P<name>.*?) \((?:to (?P<date>\d{1,2} [A-Z][a-z]{2} \d{4})|(?P<open>ongoing)|end date not known)\)$")


def providers_words(text: str) -> str:
    """A cell's providers (or partners gone) as :class:`Coverage` writes them, for a reader: as they are
    in English; in another language, with the end in words and the names set apart (the command line).

    Examples:
        >>> from dsdash.i18n import language
        >>> providers_words("IRC (to 30 Apr 2024); UNHCR (ongoing)")
        'IRC (to 30 Apr 2024); UNHCR (ongoing)'
        >>> with language("ar"):
        ...     "to" in providers_words("IRC (to 30 Apr 2024); UIMS (end date not known)")
        False
    """
    if current() == "en" or not text:
        return text
    out = []
    for item in text.split("; "):
        m = _PROVIDER_WORDS.match(item)
        if m is None:
            out.append(iso(item))
            continue
        if m["date"]:
            from dsdash.provenance import local_date  # (provenance is imported after this module in places)
            tail = _("to {date}").format(date=local_date(dt.datetime.strptime(m["date"], "%d %b %Y").date()))
        else:
            tail = _("ongoing") if m["open"] else _("end date not read")
        out.append(f"{iso(m['name'])} ({tail})")
    return list_sep().join(out)


def _text_column(values: pa.Array) -> pd.arrays.ArrowStringArray:
    """A pandas "string" column over an arrow string array (no copy through Python objects)."""
    if values.type != pa.large_string():
        values = values.cast(pa.large_string())
    return pd.arrays.ArrowStringArray(values)


def _arrow_strings(series: pd.Series) -> pa.Array:
    """A text column as an arrow large_string array (missing values stay missing)."""
    return pa.array(series.astype("string").array).cast(pa.large_string())


def check_horizon(horizon_days: int) -> int:
    """The horizon as an int; a negative one is a ValueError."""
    h = int(horizon_days)
    if h < 0:
        raise ValueError(f"horizon_days must be 0 or more, not {horizon_days}")
    return h


def match_partners(presence: pd.DataFrame, partners: Sequence[str]) -> dict[str, str]:
    """Chosen partner names → the data's spelling (case and spaces ignored); unknown → ValueError."""
    known = first_spellings(presence["partner"])
    out, missing = {}, []
    for p in partners:
        k = partner_key(p)
        if k in known:
            out[known[k]] = p
        else:
            missing.append(str(p))
    if missing:
        raise ValueError(f"unknown partner(s): {', '.join(missing)}; the data has: {', '.join(sorted(known.values()))}")
    return out


def _site_people(ds: Dataset, sites: pd.DataFrame) -> tuple[pd.arrays.IntegerArray, pd.arrays.IntegerArray]:
    """(individuals, households) per site position: the site's row in the latest round of each
    population group (:func:`dsdash.figures.latest_population`), summed; NA if unknown."""
    n = len(sites)
    pop = latest_population(ds)
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



# --------------------------------------------------------------------------- partner entries
_EB = 20  # bits of the end-date part of the packed key (2**20 days ≈ 2,870 years)


def _key_base(cell: np.ndarray, pc: np.ndarray, n_cells: int, n_partners: int) -> tuple[np.ndarray | None, int]:
    """The date-independent part of the packed (cell, partner) sort key, or None when
    it does not fit in 63 bits (then a lexsort is used)."""
    cb, pb = max(1, (n_cells - 1).bit_length()), max(1, (n_partners - 1).bit_length())
    if cb + pb + 1 + _EB > 62:  # pragma: no cover - needs ~10**8 cells × 10**4 partners
        return None, pb
    return (cell << (pb + 1 + _EB)) | (pc << (1 + _EB)), pb


def _partner_entries(prep: "Prepared", rel: np.ndarray, act: np.ndarray, end: np.ndarray):
    """One entry per (cell, partner) among the pairs ``rel`` selects, sorted by cell then
    partner: (cell, partner code, active, end, end code, n end codes). An active
    partner's entry carries its latest active end, an inactive one its latest end.
    ``end`` is per presence row; the end code is the day counted from the earliest end
    (the last code is "open").

    One np.sort of a packed int64 key (cell | partner | inactive | reversed end): the
    first key of each (cell, partner) run is the entry wanted."""
    finite = end[end != OPEN]
    lo = int(finite.min()) if len(finite) else 0
    span = (int(finite.max()) - lo + 2) if len(finite) else 2
    e_rel = np.where(end == OPEN, span - 1, end - lo)  # per presence row; open end → largest
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
    e_abs = np.where(e_s == span - 1, OPEN, e_s + lo)
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


def _joined(prep: "Prepared", c: np.ndarray, p: np.ndarray, e: np.ndarray, e_code: np.ndarray, n_codes: int,
            n_cells: int, open_label: str | None = None) -> pd.arrays.ArrowStringArray:
    """Per cell: "Partner (to 30 Apr 2024); Other (ongoing)" from entries sorted by cell
    then partner — labels built once per distinct (partner, end), then joined per cell in
    arrow (list offsets + binary_join): no Python loop over cells. ``open_label``: the label
    of an open end instead of " (ongoing)" (partners gone with no end: their end is not known)."""
    e_codes, e_uniq_codes = _dense_codes(e_code, n_codes)
    n_e = max(len(e_uniq_codes), 1)
    pair_codes, pairs = _dense_codes(p * n_e + e_codes, len(prep.partners) * n_e)
    e_uniq = _first_of(e, e_codes, n_e)
    dates = pa.array([open_label if open_label is not None and int(x) == OPEN else _date_label(int(x))
                      for x in e_uniq], type=pa.large_string())
    names = pc.binary_join_element_wise(prep.partners.take(pa.array(pairs // n_e, type=pa.int64())),
                                        dates.take(pa.array(pairs % n_e, type=pa.int64())),
                                        pa.scalar("", pa.large_string()))
    text = names.take(pa.array(pair_codes, type=pa.int64()))
    counts = np.bincount(c, minlength=n_cells)
    offsets = pa.array(np.concatenate([[0], np.cumsum(counts)]), type=pa.int64())
    lists = pa.LargeListArray.from_arrays(offsets, text)
    return _text_column(pc.binary_join(lists, pa.scalar("; ", pa.large_string())))



# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class Coverage:
    """The gap matrix on one date, with what it was computed from.

    ``matrix``: one row per (filtered site, service), sites in the order of the sites
    table, services in vocabulary order. Columns: site_id, site_name, admin1_code,
    admin2_code, admin2_name, service, state, adequacy, individuals, households (Int64, empty when
    unknown), providers ("IRC (to 30 Apr 2024); UNHCR (ongoing)"), n_providers, next_end
    (earliest end among active providers, NaT if all are open-ended or none serves),
    lost_providers (who served before D and no longer does), need_severity, need_note.
    """

    matrix: pd.DataFrame
    as_of: dt.date
    horizon_days: int
    exits: tuple[Exit, ...]
    unmatched: pd.DataFrame  # presence rows whose scope matches no site
    _entries: tuple  # (cell, partner code, active, end day) per (cell, partner); see providers
    prepared: "Prepared"

    @cached_property
    def providers(self) -> pd.DataFrame:
        """One row per (cell, partner) that serves on the date or served before it.

        Columns: site_id, service, partner, active (serves on the date), end_date (the
        partner's latest end in the cell among its active rows, or among all its rows when
        it is gone; NaT: open-ended). Ordered by cell, then partner.
        """
        c, p, a, e = self._entries
        prep = self.prepared
        K = max(len(prep.services), 1)
        return pd.DataFrame({
            "site_id": pd.array(prep.sites["site_id"].to_numpy(dtype=object)[c // K], dtype="string"),
            "service": pd.array(np.asarray(prep.services, dtype=object)[c % K], dtype="string"),
            "partner": _text_column(prep.partners.take(pa.array(p, type=pa.int64()))),
            "active": a.astype(bool),
            "end_date": to_datetimes(e),
        })


# --------------------------------------------------------------------------- the engine
class Prepared:
    """The date-independent part of the gap matrix for one data set and one filter.

    Arrays named ``*_e`` have one value per spread (presence row, site) pair in a chosen
    service and a filtered site."""

    def __init__(self, ds: Dataset, filters: Filters | None = None) -> None:
        filters = filters or Filters()
        self.ds, self.filters = ds, filters
        presence = ds.presence
        all_sites = ds.sites.reset_index(drop=True)
        self.services: list[str] = filters.service_list()
        K = len(self.services)
        index = SiteIndex(all_sites)
        sp = spread(presence, index)
        self.unmatched = sp.unmatched(presence)

        kept = filter_sites(all_sites, filters, ds.population)
        kept = kept[~kept["site_id"].isin(current_picture(ds, filters).closed_site_ids)]  # closed sites
        site_map = np.full(len(all_sites), -1, dtype=np.int64)
        site_map[kept.index.to_numpy()] = np.arange(len(kept))
        self.sites = kept.reset_index(drop=True)

        svc_of_row = self._service_codes(presence)
        rpos, spos = sp.row, site_map[sp.site]
        self.days = PresenceDays.of(presence)
        # the first day any presence row (any partner, any service) reports each site; OPEN: never
        self.site_first = np.full(len(kept), OPEN, dtype=np.int64)
        rep_ok = spos >= 0
        np.minimum.at(self.site_first, spos[rep_ok], self.days.start[rpos[rep_ok]])
        svc = svc_of_row[rpos]
        keep = (spos >= 0) & (svc >= 0)
        rpos, spos, svc = rpos[keep], spos[keep], svc[keep]

        # one partner per partner_key ("IOM", " iom ", "I.O.M."), shown as first written
        names = presence["partner"].astype("string").fillna("")
        pcodes, _keys = pd.factorize(partner_keys(names).fillna(""))
        partners = names.groupby(pcodes, sort=True).first().to_numpy(dtype=object) if len(names) else np.array([], dtype=object)
        alpha = np.argsort(np.asarray(partners, dtype=object), kind="stable")  # codes in alphabetical order
        rank = np.empty(len(alpha), dtype=np.int64)
        rank[alpha] = np.arange(len(alpha))
        pcodes, partners = rank[pcodes], np.asarray(partners, dtype=object)[alpha]
        gov = (presence["partner_type"] == PartnerType.GOVERNMENT.value).fillna(False).to_numpy(dtype=bool)

        self.row = rpos  # presence row position of each pair
        self.cell = spos * K + svc  # cell index = site position × n_services + service position
        self.start_e = self.days.start[rpos]
        self.never_e = self.days.never[rpos]
        self.never_before_e = self.days.never_before[rpos]  # rows whose end is not known did serve before
        self.gov_e = gov[rpos]
        self.pc_e = pcodes[rpos]  # partner code of each pair (codes in alphabetical order)
        self.partners = pa.array(partners, type=pa.large_string())  # partner names, alphabetical
        self.key_base, self.key_pb = _key_base(self.cell, self.pc_e, self.n_cells, len(partners))
        self.individuals, self.households = _site_people(ds, self.sites)

        # needs: spread once; the date only selects which reports count
        needs = ds.needs
        nsp = spread(needs, index)
        ns = site_map[nsp.site]
        nsvc = self._service_codes(needs)[nsp.row] if len(nsp.row) else np.array([], dtype=np.int64)
        ok = (ns >= 0) & (nsvc >= 0)
        self.need_row = nsp.row[ok]
        self.need_cell = ns[ok] * K + nsvc[ok]

    def _service_codes(self, table: pd.DataFrame) -> np.ndarray:
        """Per row of ``table``, the position of its service among the chosen services (-1: not chosen)."""
        codes, values = pd.factorize(table["service"].astype("string"))
        return np.append(pd.Index(self.services).get_indexer(values), -1).astype(np.int64)[codes]

    @property
    def n_cells(self) -> int:
        return len(self.sites) * len(self.services)

    # ----------------------------------------------------------------- evaluation
    def exit_ends(self, exits: Sequence[Exit]) -> np.ndarray:
        """End days per presence row with the exits applied (exit date − 1 day)."""
        end = self.days.end.copy()
        if not exits:
            return end
        presence = self.ds.presence
        match_partners(presence, [e.partner for e in exits])  # unknown partners: ValueError
        keys = partner_keys(presence["partner"]).fillna("").to_numpy(dtype=object)
        for e in exits:
            m = keys == partner_key(e.partner)
            end[m] = np.minimum(end[m], day(e.exit_date) - 1)
        return end

    def exit_confirmed(self, exits: Sequence[Exit]) -> np.ndarray:
        """Per presence row, whether its end is confirmed, with the exits' partners counted as
        confirmed (the scenario assumes they leave)."""
        conf = self.days.confirmed.copy()
        if not exits:
            return conf
        match_partners(self.ds.presence, [e.partner for e in exits])
        keys = partner_keys(self.ds.presence["partner"]).fillna("").to_numpy(dtype=object)
        conf |= np.isin(keys, np.array([partner_key(e.partner) for e in exits], dtype=object))
        return conf

    def reported(self, as_of) -> np.ndarray:
        """Per site position: whether some presence row reports the site by ``as_of``."""
        return self.site_first <= day(as_of)

    def on(self, as_of: dt.date, horizon_days: int = DEFAULT_HORIZON_DAYS, exits: Sequence[Exit] = ()) -> Coverage:
        """The gap matrix on ``as_of`` (date, Timestamp or ISO string), with partners in
        ``exits`` leaving early.

        Examples:
            >>> from dsdash.dataset import load_embedded
            >>> cov = prepare(load_embedded()).on(dt.date(2023, 12, 10))
            >>> m = cov.matrix
            >>> m.loc[(m.site_name == "9 Kilo") & (m.service == "water"), ["state", "lost_providers"]].values.tolist()
            [['lost', 'Mercy Corps (to 30 Sep 2023); UNICEF (to 31 Jan 2023)']]
        """
        exits = tuple(exits)
        return self.evaluate(day(as_of), check_horizon(horizon_days), self.exit_ends(exits), exits,
                             confirmed=self.exit_confirmed(exits))

    def evaluate(self, d: int, horizon_days: int, end: np.ndarray, exits: tuple[Exit, ...] = (),
                 confirmed: np.ndarray | None = None) -> Coverage:
        """The matrix on day number ``d`` with ``end`` (per presence row) as the end days and
        ``confirmed`` (per presence row; default: as recorded) saying whose end is confirmed."""
        S, K = len(self.sites), len(self.services)
        N = S * K
        cell = self.cell
        end_e = end[self.row]
        conf = self.days.confirmed if confirmed is None else confirmed
        active = serves_on(self.start_e, end_e, self.never_e, d)
        past = served_before(self.start_e, end_e, self.never_before_e, d)
        n_active = np.bincount(cell[active], minlength=N)
        n_gov = np.bincount(cell[active & self.gov_e], minlength=N)
        n_long = np.bincount(cell[active & (end_e > d + int(horizon_days))], minlength=N)
        n_past = np.bincount(cell[past], minlength=N)
        n_conf = np.bincount(cell[past & ~active & conf[self.row]], minlength=N)
        reported = np.repeat(self.site_first <= d, K)
        state = np.where(
            n_active > 0,
            np.where(n_gov == n_active, _HANDED, np.where(n_long == 0, _AT_RISK, _SERVED)),
            np.where(n_past > 0, np.where(n_conf > 0, _LOST, _UNCONF), np.where(reported, _NEVER, _NOREP)),
        ).astype(np.int64)

        # one entry per (cell, partner): active partners (providers) and partners gone (lost providers)
        c_s, p_s, a_s, e_s, k_s, n_codes = _partner_entries(self, active | past, active, end)
        ca_s, ea_s = c_s[a_s], e_s[a_s]
        n_providers = np.bincount(ca_s, minlength=N)
        providers = _joined(self, ca_s, p_s[a_s], ea_s, k_s[a_s], n_codes, N)
        g_s = ~a_s
        lost = _joined(self, c_s[g_s], p_s[g_s], e_s[g_s], k_s[g_s], n_codes, N, open_label=END_NOT_KNOWN)
        # earliest end among active providers (each provider's latest end)
        next_end = np.full(N, OPEN, dtype=np.int64)
        if len(ca_s):  # entries are sorted by cell: one reduceat
            starts = np.flatnonzero(np.r_[True, ca_s[1:] != ca_s[:-1]])
            next_end[ca_s[starts]] = np.minimum.reduceat(ea_s, starts)

        need_cell, need_row = top_needs(self.ds.needs, self.need_row, self.need_cell, d)
        needs = self.ds.needs
        adequacy = _adequacy(state, n_providers, needs["severity"].astype("string").to_numpy(dtype=object)[need_row],
                             need_cell, N)
        site_take = np.repeat(np.arange(S), K)
        take = pa.array(site_take)
        sites = self.sites

        def site_col(c: str):
            if c not in sites.columns:
                return pd.array([None] * N, dtype="string")
            return _text_column(_arrow_strings(sites[c]).take(take))

        matrix = pd.DataFrame({
            "site_id": site_col("site_id"),
            "site_name": site_col("site_name"),
            "admin1_code": site_col("admin1_code"),
            "admin2_code": site_col("admin2_code"),
            "admin2_name": site_col("admin2_name"),
            "service": _text_column(pa.array(self.services, type=pa.large_string()).take(pa.array(np.tile(np.arange(K), S)))),
            "state": _text_column(pa.array(STATE_ORDER, type=pa.large_string()).take(pa.array(state))),
            "adequacy": _text_column(pa.array(ADEQUACY_ORDER, type=pa.large_string()).take(pa.array(adequacy))),
            "individuals": self.individuals.take(site_take),
            "households": self.households.take(site_take),
            "providers": providers,
            "n_providers": n_providers.astype(np.int64),
            "next_end": to_datetimes(next_end),
            "lost_providers": lost,
            "need_severity": _pick_text(needs["severity"], need_row, need_cell, N),
            "need_note": _pick_text(needs["note"], need_row, need_cell, N),
        })
        return Coverage(matrix=matrix, as_of=to_date(d), horizon_days=int(horizon_days), exits=exits,
                        unmatched=self.unmatched, _entries=(c_s, p_s, a_s, e_s), prepared=self)


def _adequacy(state: np.ndarray, n_providers: np.ndarray, severity: np.ndarray, need_cell: np.ndarray,
              n_cells: int) -> np.ndarray:
    """Adequacy code per cell (index into :data:`ADEQUACY_ORDER`; rule in the module docstring)."""
    high = np.zeros(n_cells, dtype=bool)
    any_need = np.zeros(n_cells, dtype=bool)
    if len(need_cell):
        any_need[need_cell] = True
        high[need_cell] = severity == Severity.HIGH.value
    nc, pc_, cov = (ADEQUACY_ORDER.index(a.value) for a in (Adequacy.NOT_COVERED, Adequacy.PARTIAL, Adequacy.COVERED))
    serving = (state == _SERVED) | (state == _AT_RISK) | (state == _HANDED)
    partial = (state == _AT_RISK) | (high & (n_providers < 2)) | ((state == _HANDED) & any_need)
    return np.where(serving, np.where(partial, pc_, cov), nc).astype(np.int64)


def reported_sites(prep: Prepared, as_of) -> tuple[int, int]:
    """(sites with presence reported by ``as_of``, sites in the matrix): "presence reported for
    22 of 28 sites"."""
    rep = prep.reported(as_of)
    return int(rep.sum()), int(len(rep))


def prepare(ds: Dataset, filters: Filters | None = None) -> Prepared:
    """The date-independent part of the gap matrix: evaluate dates with ``.on(as_of, horizon)``."""
    return Prepared(ds, filters)


def coverage_matrix(ds: Dataset, as_of: dt.date, *, horizon_days: int = DEFAULT_HORIZON_DAYS,
                    filters: Filters | None = None, exits: Sequence[Exit] = ()) -> pd.DataFrame:
    """The site × service gap matrix on ``as_of``: ``prepare(ds, filters).on(as_of, …).matrix``.

    Examples:
        >>> from dsdash.dataset import load_embedded
        >>> m = coverage_matrix(load_embedded(), dt.date(2023, 12, 10))
        >>> m.loc[(m.site_name == "Kilo 18 / AL-Karama complex") & (m.service == "water"), "state"].tolist()
        ['handed_over']
    """
    return prepare(ds, filters).on(as_of, horizon_days, exits).matrix

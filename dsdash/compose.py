"""Composition: how several imported files (and the embedded seed) make one Dataset.

One pure function, :func:`compose`, turns an ordered list of :class:`Part` (the seed first,
then files oldest first) into the :class:`~dsdash.dataset.Dataset` every page reads. The
workspace store (:mod:`dsdash.store`) composes its *published* snapshots with it; the
session-only upload path (:func:`dsdash.importers.build_dataset`) composes the files of one
session with it. One set of rules, in one place:

1. **The seed is the first part.** The embedded data (``kind="embedded"``) gives every table
   to start with: the 28 Anbar informal sites, their population, the partners' presence and
   the reported needs (December 2023), the DTM national series, index rounds, FVM tables …
2. **Master Lists accumulate as rounds.** Every Master List (``dtm_master_list``) adds its
   population rows: one row per site, group and reference date, so the population table is
   the history of rounds; the latest round of each population group is the current picture
   (:mod:`dsdash.figures`). A site's attributes (name, place, type) come from its newest round.
   A later Master List of the same population group and reference date *corrects* that round:
   it supersedes the earlier file entirely.
3. **A Master List supersedes the seed's sites and population**, the 28 Anbar sites included,
   and the seed's presence and needs go with them (they are about those sites), unless the
   part says it adds a different set of locations (``adds_locations=True``): then the seed's
   sites, population, presence and needs stay beside it.
4. **The national DTM series and the index rounds stay** (and the other reference tables of the
   seed: hotspots, caseload, return obstacles), unless a table of ours of that name replaces them.
5. **Presence belongs to its period and its sites.** A newer presence sheet for the same
   partner (:func:`dsdash.coverage.presence.partner_key`: "IOM" and "I.O.M." are one) and area (the
   governorate a row's scope lies in) supersedes the older sheet's rows
   for that partner and area. With ``presence_mode="replace"`` (the default) the seed's
   presence is not used once any presence sheet is loaded or a Master List supersedes the seed's
   sites: seed presence is never applied to other sites unless asked. ``presence_mode="add"``
   asks: the seed's presence is kept beside the sheets. Site and district *names* in a sheet are
   resolved to ids against the composed sites (names that match nothing are kept, and listed).
6. **FVM tables, catchments and boundaries follow the same kind of rule:** the newest FVM table
   replaces the FVM table before it; the newest catchments table (:mod:`dsdash.catchments`) the
   one before it and the bundled one; boundaries, per admin level (adm1, adm2), the newest file of that level.
   Movements accumulate. A table of ours (``table:<name>``) replaces the table of that name (the
   newest such file wins); for sites, population and breakdowns only when no Master List is in.
7. **A correction supersedes what it corrects**: a part whose ``supersedes`` names another part's
   id removes that part from the composition.
8. **Nothing is deleted.** Composition only chooses: superseded parts stay where they are (in the
   store, in the history), and come back when what superseded them is withdrawn.

:func:`superseded_by` tells, for each part that no longer contributes anything, which part
superseded it (the store's ``store list`` shows it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from dsdash.coverage.presence import partner_keys
from dsdash.dataset import Dataset
from dsdash.i18n import N_
from dsdash.schema import TABLES, LoadReport, Problem
from dsdash.validate import coerce, empty_table

#: The app's words in the name of a session's uploads (stored in English; shown in the reader's
#: language by dsdash.provenance.dataset_name).
NAME_WORDS = (N_("Uploads: "), N_(" (with the embedded sites)"), N_("no file loaded"),
              N_("Anbar informal sites, Dec 2023; DTM national series"))  # the seed's name (dataset.load_embedded)

__all__ = ["Part", "compose", "superseded_by", "EMBEDDED", "MASTER_LIST", "PRESENCE_MODES"]

#: The kind of the seed's parts.
EMBEDDED = "embedded"
#: The kind of a DTM Master List.
MASTER_LIST = "dtm_master_list"
#: ``presence_mode`` values: "replace" (default: the seed's presence is not used once a sheet or a
#: Master List comes in) or "add" (the seed's presence is kept beside the sheets).
PRESENCE_MODES = ("replace", "add")
#: Tables that go with the seed's sites when a Master List supersedes them.
SITE_TABLES = ("sites", "population", "breakdowns", "needs")


@dataclass(frozen=True, eq=False)
class Part:
    """One imported file (a snapshot in the store, or a file of this session), or a table of the seed.

    Attributes:
        kind: the import kind (``dtm_master_list``, ``presence``, ``fvm``, ``movements``,
            ``boundaries``, ``table:<name>``) or ``embedded`` for the seed.
        tables: table name → rows (validated, as the importer gave them; presence may still carry
            the importer's ``resolve`` and ``row`` columns for name resolution).
        reports: the file's load reports.
        boundaries: a GeoDataFrame with a ``level`` column (boundaries files), else None.
        id: the snapshot id in the store (None for a session file: its position is used).
        label: the file name.
        adds_locations: a Master List of a different set of locations (does not supersede the seed's sites).
        supersedes: the id of the part this one corrects.
    """

    kind: str
    tables: Mapping[str, pd.DataFrame]
    reports: Sequence[LoadReport] = ()
    boundaries: object = None
    id: int | None = None
    label: str = ""
    adds_locations: bool = False
    supersedes: int | None = None

    @property
    def is_seed(self) -> bool:
        return self.kind == EMBEDDED


@dataclass
class _Plan:
    """Which parts contribute what (shared by :func:`compose` and :func:`superseded_by`)."""

    live: list[Part]
    corrected: dict[int, int] = field(default_factory=dict)  # key → corrector key
    seed_sites_by: object = None  # key of the first Master List that supersedes the seed's sites
    seed_presence_by: object = None  # key of what made the seed's presence unused
    ml_by: dict = field(default_factory=dict)  # Master List key → key of the later same-round list
    newest: dict = field(default_factory=dict)  # table or boundary level → key of the newest part


def _key(part: Part, position: int):
    return part.id if part.id is not None else position


def _plan(parts: Sequence[Part], presence_mode: str) -> _Plan:
    if presence_mode not in PRESENCE_MODES:
        raise ValueError(f"presence_mode is one of {', '.join(PRESENCE_MODES)}, not {presence_mode!r}")
    keyed = [(_key(p, i), p) for i, p in enumerate(parts)]
    corrected = {p.supersedes: k for k, p in keyed if p.supersedes is not None and not p.is_seed}
    live = [(k, p) for k, p in keyed if k not in corrected]
    plan = _Plan(live=[p for _, p in live], corrected=corrected)
    mls = [(k, p) for k, p in live if p.kind == MASTER_LIST]
    replacing = [k for k, p in mls if not p.adds_locations]
    if replacing:
        plan.seed_sites_by = replacing[0]
    sheets = [k for k, p in live if not p.is_seed and len(p.tables.get("presence", ())) > 0]
    if presence_mode == "replace":
        plan.seed_presence_by = plan.seed_sites_by if plan.seed_sites_by is not None else (
            sheets[0] if sheets else None)
    rounds: dict[tuple, object] = {}
    for k, p in reversed(mls):  # newest first: a later list of the same group and date corrects the round
        pop = p.tables.get("population")
        pairs = pop[["population_group", "reference_date"]].drop_duplicates() if pop is not None else None
        got = frozenset(zip(pairs["population_group"].astype(str), pairs["reference_date"])) if pairs is not None \
            else frozenset()
        for prev, key in rounds.items():
            if got and got <= prev:
                plan.ml_by[k] = key
                break
        else:
            rounds[got] = k
    for k, p in live:
        if p.is_seed:
            continue
        for t, df in p.tables.items():
            if t in ("fvm", "catchments") or (p.kind.startswith("table:") and t == p.kind.split(":", 1)[1]):
                if len(df):
                    plan.newest[t] = k
        if p.boundaries is not None and len(p.boundaries):
            for level in p.boundaries["level"].dropna().unique():
                plan.newest["boundaries:" + str(level)] = k
    return plan


def _concat(frames: list[pd.DataFrame], table: str) -> pd.DataFrame:
    frames = [f for f in frames if f is not None and len(f)]
    if not frames:
        return empty_table(TABLES[table])
    out = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    return out.reset_index(drop=True)


def _area(presence: pd.DataFrame, sites: pd.DataFrame) -> pd.Series:
    """The governorate each presence row's scope lies in (the scope id when it cannot be told)."""
    scope = presence["scope"].astype(str)
    sid = presence["scope_id"].astype("string").fillna("")
    site_gov = sites.set_index("site_id")["admin1_code"].astype("string")
    site_gov = site_gov[~site_gov.index.duplicated()]
    group_gov = sites.dropna(subset=["site_group"]).drop_duplicates("site_group").set_index("site_group")[
        "admin1_code"].astype("string")
    area = sid.str.slice(0, 5).where(scope.isin(["district", "governorate"]), sid)
    area = area.mask(scope.eq("site"), sid.map(site_gov)).fillna(sid)
    area = area.mask(scope.eq("site_group"), sid.map(group_gov)).fillna(sid)
    return area


def _presence(plan: _Plan, seed: list[Part], sites: pd.DataFrame, presence_mode: str,
              file_reports: dict[str, LoadReport]) -> pd.DataFrame:
    from dsdash.importers.presence import resolve_names  # importers import this module

    sheets = [p for p in plan.live if not p.is_seed and len(p.tables.get("presence", ())) > 0]
    frames = []
    claimed: set[tuple[str, str]] = set()
    for p in reversed(sheets):  # newest first: it claims its partners and areas
        rows = resolve_names(p.tables["presence"], sites, file_reports)
        keys = list(zip(partner_keys(rows["partner"]).fillna(""), _area(rows, sites)))
        keep = [k not in claimed for k in keys]
        claimed.update(keys)
        frames.append(rows[keep])
    frames.reverse()
    if plan.seed_presence_by is None or presence_mode == "add":
        frames = [p.tables["presence"] for p in seed if "presence" in p.tables] + frames
    return _concat(frames, "presence")


def compose(parts: Sequence[Part], *, presence_mode: str = "replace", name: str | None = None,
            origin: str | None = None) -> Dataset:
    """The Dataset of ``parts`` (the seed first, then files oldest first), by the rules of this module.

    Pure: the parts are not changed, except that name-resolution warnings and repeated-key warnings
    are added to the parts' own load reports (as :func:`~dsdash.importers.build_dataset` always did).
    """
    plan = _plan(parts, presence_mode)
    seed = [p for p in plan.live if p.is_seed]
    files = [p for p in plan.live if not p.is_seed]
    keyed = {id(p): _key(p, i) for i, p in enumerate(parts)}
    file_reports = {r.file: r for p in files for r in p.reports}
    seed_kept = plan.seed_sites_by is None

    def seed_frames(t: str) -> list[pd.DataFrame]:
        if t in SITE_TABLES and not seed_kept:
            return []
        return [p.tables[t] for p in seed if t in p.tables]

    tables: dict[str, pd.DataFrame] = {}
    for t in TABLES:
        tables[t] = _concat(seed_frames(t), t)
    mls = [p for p in files if p.kind == MASTER_LIST and keyed[id(p)] not in plan.ml_by]
    if mls:
        pop = _concat(seed_frames("population") + [p.tables.get("population") for p in mls], "population")
        pop = pop.sort_values("reference_date", kind="stable")
        dup = pop.duplicated(["site_id", "population_group", "reference_date"], keep="last")
        if dup.any():
            for src in pop.loc[dup, "source"].head(20):
                f = str(src).split(" (DTM")[0].split(" sheet ")[0]
                rep = file_reports.get(f)
                if rep is not None:
                    rep.problems.append(Problem(rep.file, f"the same site, group and date is in a later file: "
                                                          f"that one is used ({src})", level="warning"))
            pop = pop[~dup]
        tables["population"] = coerce(pop.reset_index(drop=True), TABLES["population"])
        sites = _concat(seed_frames("sites") + [p.tables.get("sites") for p in mls], "sites")
        newest = tables["population"].groupby("site_id")["reference_date"].max()
        sites = sites.assign(_d=sites["site_id"].map(newest)).sort_values("_d", kind="stable", na_position="first")
        sites = sites.drop_duplicates("site_id", keep="last").drop(columns="_d")
        tables["sites"] = coerce(sites.sort_values("site_id").reset_index(drop=True), TABLES["sites"])
        tables["breakdowns"] = coerce(
            _concat(seed_frames("breakdowns") + [p.tables.get("breakdowns") for p in mls], "breakdowns"),
            TABLES["breakdowns"])
    for t in TABLES:
        k = plan.newest.get(t)
        if k is None or (mls and t in ("sites", "population", "breakdowns")):
            continue
        part = next(p for p in files if keyed[id(p)] == k)
        tables[t] = coerce(part.tables[t].reset_index(drop=True), TABLES[t])
    movements = [p.tables["movements"] for p in files if len(p.tables.get("movements", ()))]
    if movements:
        tables["movements"] = coerce(_concat(seed_frames("movements") + movements, "movements"), TABLES["movements"])
    tables["presence"] = coerce(_presence(plan, seed, tables["sites"], presence_mode, file_reports),
                                TABLES["presence"])
    tables["presence"] = tables["presence"].drop(columns=["resolve", "row"], errors="ignore")
    boundaries: dict = {}
    for p in seed:
        if isinstance(p.boundaries, dict):
            boundaries.update(p.boundaries)
    for level_key, k in plan.newest.items():
        if level_key.startswith("boundaries:"):
            level = level_key.split(":", 1)[1]
            part = next(p for p in files if keyed[id(p)] == k)
            boundaries[level] = part.boundaries[part.boundaries["level"] == level].reset_index(drop=True)
    reports = [r for p in plan.live for r in p.reports]
    if name is None:
        labels = ", ".join(p.label for p in files if p.label) or NAME_WORDS[2]
        name = "Embedded seed data" if not files else f"{NAME_WORDS[0]}{labels}" + ("" if mls else NAME_WORDS[1])
    return Dataset(name=name, tables=tables, reports=reports,
                   origin=origin or ("upload" if files else "embedded"), boundaries=boundaries)


def superseded_by(parts: Sequence[Part], *, presence_mode: str = "replace") -> dict:
    """For each part that contributes nothing to :func:`compose` of ``parts``, the key (id, or
    position for a part without one) of a part that superseded it. Parts still contributing are
    not in the result."""
    plan = _plan(parts, presence_mode)
    out: dict = dict(plan.corrected)
    for i, p in enumerate(parts):
        k = _key(p, i)
        if k in out:
            continue
        if p.is_seed:
            tabs = [t for t, df in p.tables.items() if len(df)]
            if not tabs:
                continue
            site_tabs = all(t in SITE_TABLES for t in tabs)
            pres_tabs = all(t == "presence" for t in tabs)
            if site_tabs and plan.seed_sites_by is not None:
                out[k] = plan.seed_sites_by
            elif pres_tabs and plan.seed_presence_by is not None:
                out[k] = plan.seed_presence_by
            elif len(tabs) == 1 and tabs[0] in plan.newest:
                out[k] = plan.newest[tabs[0]]
            continue
        if k in plan.ml_by:
            out[k] = plan.ml_by[k]
        elif p.kind in ("fvm",) and plan.newest.get("fvm") not in (None, k) and not len(p.tables.get("movements", ())):
            out[k] = plan.newest["fvm"]
        elif p.kind == "catchments" and plan.newest.get("catchments") not in (None, k):
            out[k] = plan.newest["catchments"]  # a newer catchments table replaces it whole
        elif p.kind.startswith("table:"):
            t = p.kind.split(":", 1)[1]
            if plan.newest.get(t) not in (None, k):
                out[k] = plan.newest[t]
        elif p.boundaries is not None and len(p.boundaries):
            levels = [str(x) for x in p.boundaries["level"].dropna().unique()]
            later = {plan.newest.get("boundaries:" + lv) for lv in levels}
            if k not in later and len(later) == 1:
                out[k] = later.pop()
    out.update(_presence_superseded(plan, parts))
    return out


def _presence_superseded(plan: _Plan, parts: Sequence[Part]) -> dict:
    """Presence sheets all of whose partners and areas a newer sheet claims."""
    sites = None
    out = {}
    sheets = [(_key(p, i), p) for i, p in enumerate(parts)
              if p in plan.live and not p.is_seed and len(p.tables.get("presence", ()))]
    if len(sheets) < 2:
        return out
    seed_sites = [p.tables["sites"] for p in plan.live if p.is_seed and "sites" in p.tables]
    ml_sites = [p.tables["sites"] for p in plan.live if p.kind == MASTER_LIST and "sites" in p.tables]
    sites = _concat((seed_sites if plan.seed_sites_by is None else []) + ml_sites, "sites")
    claimed: dict[tuple, object] = {}
    for k, p in reversed(sheets):
        rows = p.tables["presence"]
        keys = set(zip(partner_keys(rows["partner"]).fillna(""), _area(rows, sites)))
        by = {claimed[x] for x in keys if x in claimed}
        if keys and all(x in claimed for x in keys):
            out[k] = max(by, key=lambda v: [kk for kk, _ in sheets].index(v))
        for x in keys:
            claimed.setdefault(x, k)
    return out

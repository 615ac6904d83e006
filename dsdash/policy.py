"""Data responsibility: what an audience may see of each table (the one place; thresholds in
``data/policy.toml``).

Every snapshot carries a sharing class (``public`` < ``restricted`` < ``confidential``; by
default the strictest of its tables' defaults). A table's class is the strictest class of the
published snapshots that hold rows of it (its default when none says). An audience is a class too:
a signed-out visitor is ``public``, viewers and editors ``restricted``, admins and local mode
``confidential`` (``[audience]`` in the config).

:func:`apply` turns a Dataset into what an audience may see; the app applies it to the session's
dataset (so every page, download and deck follows) and the CLI to what it reads:

1. A site-level table (sites, population, presence, needs, breakdowns) whose class is above the
   audience is aggregated to district: one row per district (households and individuals summed,
   the sites' mean position), and a district with a single site is left out altogether (its
   aggregate would disclose the site). Movements above the audience are left out (points of
   origin and destination). Tables that hold no site (FVM, caseload, national and index figures)
   are already aggregates and stay.
2. Below ``restricted``: site counts under ``min_households`` households are suppressed (households
   and individuals unknown, the site listed in :attr:`Shown.suppressed` and shown as "<5");
   protection, GBV, child-protection and MHPSS service rows at a site are moved to the site's
   district (never at site level); coordinates are rounded to ``decimals``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from dsdash.i18n import N_, _
import numpy as np
import pandas as pd

CONFIG = Path(__file__).resolve().parent.parent / "data" / "policy.toml"
CLASSES = ("public", "restricted", "confidential")
CLASS_WORDS = {
    "public": N_("public (anyone: aggregated views, small counts suppressed)"),
    "restricted": N_("restricted (coordination partners signed in)"),
    "confidential": N_("confidential (admins of this workspace)"),
}
#: The audiences' names in a sentence ("Made for a public audience").
AUDIENCE_WORDS = {"public": N_("public"), "restricted": N_("restricted"), "confidential": N_("confidential")}
SITE_TABLES = ("sites", "population", "presence", "needs", "breakdowns")
TABLE_WORDS = {"presence": N_("Partner presence rows"), "needs": N_("Reported needs")}

#: English note → (message, its values): a note is made in English (the policy's result is shared
#: by every session) and shown in each reader's language (:func:`notes_in_language`).
_NOTES: dict[str, tuple[str, dict]] = {}


def _note(shown, message: str, **values) -> None:
    english = message.format(**values)
    _NOTES[english] = (message, values)
    shown.notes.append(english)


def notes_in_language(notes: list[str]) -> list[str]:
    """The policy's notes in the reader's language (English: themselves).

    Examples:
        >>> from dsdash.i18n import language
        >>> shown = Shown("public")
        >>> _note(shown, N_("Coordinates are rounded to {n} decimals."), n=2)
        >>> notes_in_language(shown.notes)
        ['Coordinates are rounded to 2 decimals.']
    """
    out = []
    for n in notes:
        message, values = _NOTES.get(n, (None, {}))
        if message is None:
            out.append(_(n))
            continue
        values = {k: _(v) if isinstance(v, str) else v for k, v in values.items()}
        out.append(_(message).format(**values))
    return out


@dataclass(frozen=True)
class Policy:
    tables: dict
    audience: dict
    min_households: int = 5
    sensitive_services: tuple[str, ...] = ()
    decimals: int = 2

    def table_class(self, table: str) -> str:
        return self.tables.get(table, "restricted")

    def audience_of(self, role: str, local: bool = False) -> str:
        if local:
            return "confidential"
        return self.audience.get(role, "public")


def load(path: Path | None = None) -> Policy:
    """The policy from ``data/policy.toml`` (or ``$DSDASH_POLICY``)."""
    import os

    path = Path(path or os.environ.get("DSDASH_POLICY") or CONFIG)
    cfg = tomllib.loads(path.read_text(encoding="utf-8"))
    for t, c in {**cfg.get("tables", {}), **cfg.get("audience", {})}.items():
        if c not in CLASSES:
            raise ValueError(f"{path}: {t} = {c!r} is not one of {', '.join(CLASSES)}")
    return Policy(tables=dict(cfg.get("tables", {})), audience=dict(cfg.get("audience", {})),
                  min_households=int(cfg.get("small_counts", {}).get("min_households", 5)),
                  sensitive_services=tuple(cfg.get("sensitive_services", {}).get("services", ())),
                  decimals=int(cfg.get("coordinates", {}).get("decimals", 2)))


def rank(cls: str) -> int:
    return CLASSES.index(cls) if cls in CLASSES else len(CLASSES) - 1


def strictest(classes) -> str | None:
    classes = [c for c in classes if c]
    return max(classes, key=rank) if classes else None


def default_sharing(tables, policy: Policy | None = None) -> str:
    """A snapshot's default class: the strictest default of the tables it holds rows of."""
    policy = policy or load()
    return strictest(policy.table_class(t) for t in tables) or "restricted"


def table_classes(snapshot_classes: dict[str, list[str]] | None = None, policy: Policy | None = None) -> dict:
    """Table → class: the strictest of the published snapshots' classes for it, else its default."""
    policy = policy or load()
    from dsdash.schema import TABLES

    got = snapshot_classes or {}
    return {t: strictest(got.get(t, [])) or policy.table_class(t) for t in TABLES}


@dataclass
class Shown:
    """What :func:`apply` did: the audience, and notes in words for the page, download and deck."""

    audience: str
    aggregated: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    suppressed: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)

    @property
    def statement(self) -> str:
        """'Made for: …' — stated in every download and deck."""
        return _("Made for a {audience} audience: {words}.").format(audience=_(AUDIENCE_WORDS[self.audience]),
                                                                    words=_(CLASS_WORDS[self.audience]))


def _district_site_ar(code, english, n: int) -> str:
    """The Arabic name of a district's aggregate (its 'site_name_ar'): the policy's result is shared
    by every reader, so both names are made, and each reader sees the one of their language."""
    from dsdash.i18n import language, ngettext
    from dsdash.schema import district_name

    with language("ar"):
        return _("{district} district ({sites})").format(
            district=district_name(code, english), sites=ngettext("{n} site", "{n} sites", n).format(n=n))


def _districts(sites: pd.DataFrame) -> pd.Series:
    code = sites["admin2_code"].astype("string")
    return code.fillna("name:" + sites["admin2_name"].astype("string").fillna("unknown"))


def _aggregate_sites(ds_tables: dict, decimals: int) -> tuple[dict, dict, list[str]]:
    """Sites → one row per district with two sites or more; returns (tables, site → district id, left out)."""
    sites = ds_tables["sites"]
    if sites.empty:
        return ds_tables, {}, []
    d = _districts(sites)
    counts = d.value_counts()
    keep = d.map(counts) >= 2
    left = sorted(set(d[~keep].astype(str)))
    s = sites[keep].assign(_d=d[keep])
    site_to = dict(zip(s["site_id"], s["_d"]))

    def mode(x):
        m = x.dropna()
        return m.mode().iloc[0] if len(m) else None

    g = s.groupby("_d", sort=True)
    out = pd.DataFrame({
        "site_id": g.size().index.astype(str),
        "site_name": [f"{(mode(grp['admin2_name']) or k)} district ({len(grp)} sites)" for k, grp in g],
        "site_name_ar": [_district_site_ar(mode(grp["admin2_code"]), mode(grp["admin2_name"]) or k, len(grp))
                         for k, grp in g],
        "admin1_code": g["admin1_code"].agg(mode).to_numpy(), "admin1_name": g["admin1_name"].agg(mode).to_numpy(),
        "admin2_code": g["admin2_code"].agg(mode).to_numpy(), "admin2_name": g["admin2_name"].agg(mode).to_numpy(),
        "admin3_name": None,
        "latitude": g["latitude"].mean().round(decimals).to_numpy(),
        "longitude": g["longitude"].mean().round(decimals).to_numpy(),
        "site_type": g["site_type"].agg(mode).to_numpy(), "site_type_basis": "aggregated to district",
        "site_group": None, "coordination_area": g["coordination_area"].agg(mode).to_numpy(),
        "source": g["source"].agg(mode).to_numpy(),
    })
    tables = dict(ds_tables)
    tables["sites"] = out.reindex(columns=sites.columns).astype(sites.dtypes.to_dict(), errors="ignore")
    return tables, site_to, left


def _site_rows_to_district(df: pd.DataFrame, site_to: dict, drop_unmapped: bool, sites: pd.DataFrame,
                           admin2_of: dict | None = None) -> pd.DataFrame:
    """presence/needs: rows scoped to a site (or a site group) move to its district (scope 'district',
    scope_id the admin2 code; a group spanning districts goes to the district of most of its sites)."""
    if df.empty:
        return df
    groups = {}
    if "site_group" in sites and len(sites):
        g = sites.dropna(subset=["site_group"])
        groups = {k: v.mode().iloc[0] for k, v in g.groupby("site_group")["admin2_code"] if v.notna().any()}
    scope = df["scope"].astype(str)
    at_site, at_group = scope == "site", scope == "site_group"
    out = df.copy()
    target = pd.Series(None, index=df.index, dtype=object)
    target[at_site] = df.loc[at_site, "scope_id"].map(admin2_of or {})
    target[at_group] = df.loc[at_group, "scope_id"].map(groups)
    moved = at_site | at_group
    out.loc[moved, "scope"] = "district"
    out.loc[moved, "scope_id"] = target[moved]
    if drop_unmapped:
        out = out[~(moved & target.isna())]
    return out.drop_duplicates().reset_index(drop=True)


def apply(ds, audience: str, classes: dict | None = None, policy: Policy | None = None):
    """(Dataset as ``audience`` may see it, :class:`Shown`). ``classes``: table → class
    (:func:`table_classes`); the policy's defaults when None."""
    from dsdash.dataset import Dataset

    policy = policy or load()
    classes = classes or table_classes(policy=policy)
    shown = Shown(audience=audience)
    if audience == "confidential":
        return ds, shown
    t = {k: v.copy() for k, v in ds.tables.items()}
    low = rank(audience) < rank("restricted")
    sites0 = t["sites"]
    admin2_of = dict(zip(sites0["site_id"], sites0["admin2_code"]))
    above = {name for name in SITE_TABLES if rank(classes.get(name, "restricted")) > rank(audience)}

    if low and policy.sensitive_services:
        for name in ("presence", "needs"):
            df = t[name]
            sens = df["service"].isin(policy.sensitive_services) & df["scope"].astype(str).isin(["site", "site_group"])
            if sens.any():
                moved = _site_rows_to_district(df[sens], {}, True, sites0, admin2_of)
                t[name] = pd.concat([df[~sens], moved], ignore_index=True)
        _note(shown, N_("Protection, GBV, child-protection and MHPSS services are shown by district, "
                        "never at a site."))

    if {"sites", "population"} & above:
        t, site_to, left = _aggregate_sites(t, policy.decimals)
        pop = t["population"]
        if not pop.empty:
            pop = pop[pop["site_id"].isin(site_to)].assign(site_id=lambda x: x["site_id"].map(site_to))
            keys = ["site_id", "population_group", "reference_date", "dtm_round"]
            agg = pop.groupby(keys, dropna=False, sort=True).agg(
                households=("households", "sum"), individuals=("individuals", "sum"),
                individuals_method=("individuals_method", "first"), source=("source", "first")).reset_index()
            t["population"] = agg.reindex(columns=ds.population.columns).astype(
                ds.population.dtypes.to_dict(), errors="ignore")
        for name in ("presence", "needs"):
            t[name] = _site_rows_to_district(t[name], site_to, True, sites0, {
                s: site_to[s] for s in site_to})
        br = t["breakdowns"]
        t["breakdowns"] = br.iloc[0:0]
        shown.aggregated += ["sites", "population"]
        if left:
            _note(shown, N_("Sites are shown by district; {n} district(s) with a single site are "
                            "left out (their figures would disclose the site)."), n=len(left))
        else:
            _note(shown, N_("Sites are shown by district."))
    else:
        for name in ("presence", "needs"):
            if name in above:
                t[name] = _site_rows_to_district(t[name], {}, True, sites0, admin2_of)
                shown.aggregated.append(name)
                _note(shown, N_("{table} are shown by district, not by site."), table=TABLE_WORDS.get(name, name))
    if rank(classes.get("movements", "confidential")) > rank(audience) and not t["movements"].empty:
        t["movements"] = t["movements"].iloc[0:0]
        shown.left_out.append("movements")

    if low:
        pop = t["population"]
        small = pop["households"].notna() & (pop["households"].astype("Float64") < policy.min_households)
        if small.any():
            shown.suppressed = set(pop.loc[small, "site_id"].astype(str))
            pop = pop.copy()
            pop["households"] = pop["households"].astype("Int64").mask(small)
            pop["individuals"] = pop["individuals"].astype("Int64").mask(small)
            t["population"] = pop
            _note(shown, N_("Sites with fewer than {n} households are shown as \"<{n}\"."), n=policy.min_households)
        for name, cols in (("sites", ("latitude", "longitude")),
                           ("movements", ("origin_latitude", "origin_longitude", "destination_latitude",
                                          "destination_longitude"))):
            df = t[name]
            for c in cols:
                if c in df and len(df):
                    df[c] = df[c].astype(float).round(policy.decimals)
        _note(shown, N_("Coordinates are rounded to {n} decimals."), n=policy.decimals)
    out = Dataset(name=ds.name, tables=t, reports=ds.reports, origin=ds.origin, boundaries=ds.boundaries)
    return out, shown


def small_count_label(policy: Policy | None = None) -> str:
    return f"<{(policy or load()).min_households}"


def mark_small_counts(raw: pd.DataFrame, screen: pd.DataFrame, suppressed, labels: dict,
                      policy: Policy | None = None) -> pd.DataFrame:
    """A table on screen (``screen``, from ``raw`` row for row) with the suppressed sites' households and
    individuals shown as "<5" instead of unknown. ``labels``: column name → its heading in ``screen``."""
    if not suppressed or "site_id" not in raw.columns or len(raw) != len(screen):
        return screen
    rows = raw["site_id"].astype(str).isin(suppressed).to_numpy()
    if not rows.any():
        return screen
    out = screen.copy()
    for col in ("households", "individuals"):
        head = labels.get(col, col)
        if col in raw.columns and head in out.columns:
            blank = rows & raw[col].isna().to_numpy()
            if blank.any():
                out[head] = out[head].astype(object)
                out.loc[blank, head] = small_count_label(policy)
    return out


__all__ = ["Policy", "Shown", "load", "apply", "default_sharing", "table_classes", "CLASSES", "CLASS_WORDS",
           "strictest", "rank", "small_count_label"]
_keep = (np, replace)

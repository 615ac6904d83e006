"""Who does what where: partners per area and service on a date, and one partner's footprint.

Everything here reads the coverage engine's public result (:func:`dsdash.coverage.engine.prepare`
→ ``.on(as_of, horizon)``: the gap matrix and its ``providers``), so "who serves a site on a
date" is the one presence model's answer (:mod:`dsdash.coverage.presence`), and people are the
engine's (the latest round of each population group, as :func:`dsdash.figures.current_picture`
counts them; closed sites are not counted).

Rules:

* **Area.** A site's governorate and district are its stated p-codes (``admin1_code``,
  ``admin2_code``); its catchment is the catchment of the chosen kind (ABC, local body or
  JCF) whose districts hold its stated district (:mod:`dsdash.catchments`). Sites in no
  catchment of that kind are grouped as "Outside every catchment", so totals still add up.
* **Partners** of an area × service: the distinct partners serving at least one of the
  area's sites with that service on the date (government directorates included).
* **Served** site × service: at least one partner serves it on the date. People at served
  sites and people without the service add up to the area's people (sites without a count
  add nothing to either, and are counted in ``sites_unknown_people``).
* **A partner's footprint**: the sites and services it serves on the date, until when (its
  latest end there), the other partners serving the same site × service, and the people
  left without the service if it goes (sites where it is the only partner).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from dsdash.i18n import N_, _, current, iso, list_sep, ngettext
from dsdash.provenance import fmt_number, local_date
from dsdash.catchments import load_catchments, site_catchments
from dsdash.coverage.engine import prepare
from dsdash.coverage.presence import first_spellings, partner_key, partner_keys
from dsdash.dataset import Dataset
from dsdash.filters import Filters
from dsdash.schema import EXTRA_HXL, SERVICE_LABELS, translated

#: Aggregation levels, in words.
LEVELS = {"admin1": N_("Governorate"), "admin2": N_("District"), "catchment": N_("Catchment")}
OUTSIDE = N_("Outside every catchment")
#: Measures a choropleth can show.
MEASURES = {"n_partners": N_("Number of partners"), "individuals_without": N_("Individuals without the service"),
            "individuals_served": N_("Individuals at served sites")}
#: HXL hashtags of this module's columns: dsdash.schema.EXTRA_HXL (dsdash.export adds them to downloads).
HXL = EXTRA_HXL
AREA_COLUMNS = {"admin1": ["admin1_code", "admin1_name"], "admin2": ["admin2_code", "admin2_name"],
                "catchment": ["catchment"]}
TABLE_COLUMNS = ["service", "n_partners", "partner_names", "n_sites", "sites_served", "individuals",
                 "individuals_served", "individuals_without", "sites_unknown_people"]


@dataclass(frozen=True)
class WhoWhatWhere:
    """The tables of the page, the slide and the downloads for one view."""

    table: pd.DataFrame  # area columns + TABLE_COLUMNS, one row per area × service
    sites: pd.DataFrame  # site_id, site_name, area columns, individuals (people per site, engine's)
    cells: pd.DataFrame  # site_id, service, served (bool), individuals, partners (active, '; ')
    level: str
    kind: str
    as_of: dt.date

    @property
    def area_columns(self) -> list[str]:
        return AREA_COLUMNS[self.level]

    def counts(self) -> pd.DataFrame:
        """Partner counts as an area × service grid (areas as rows, service codes as columns)."""
        key = self.area_columns[0]
        return self.table.pivot_table(index=key, columns="service", values="n_partners", aggfunc="sum",
                                      sort=False).fillna(0).astype(int)

    def grid(self) -> pd.DataFrame:
        """:meth:`counts` for reading: areas by name (rows), services in words (columns)."""
        g = self.counts().rename(columns=translated(SERVICE_LABELS))
        names = self.table.drop_duplicates(self.area_columns[0]).set_index(self.area_columns[0], drop=False)
        if current() != "en" and self.level != "catchment":  # COD-AB's names in the reader's language
            from dsdash.map.layers import area_name

            g.index = [str(area_name(i, names[self.area_columns[-1]].get(i, i))) for i in g.index]
        else:
            g.index = [str(names[self.area_columns[-1]].get(i, i)) for i in g.index]
        g.index.name = _(LEVELS[self.level])
        g.columns.name = None
        return g


def _site_areas(sites: pd.DataFrame, level: str, kind: str) -> pd.DataFrame:
    out = sites[["site_id", "site_name", "admin1_code", "admin1_name", "admin2_code", "admin2_name"]].copy()
    if level == "catchment":
        c = site_catchments(sites, kind)
        out = out.merge(c, on="site_id", how="left")
        out["catchment"] = out["catchment"].fillna(OUTSIDE)
    return out


def who_does_what_where(ds: Dataset, filters: Filters | None = None, *, as_of: dt.date | None = None,
                        level: str = "admin2", kind: str = "abc", horizon_days: int = 90) -> WhoWhatWhere:
    """Per area (``level``: "admin1", "admin2" or "catchment" of ``kind``) × service on
    ``as_of``: partners (number and names), sites, people at served sites and without."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; choose one of {', '.join(LEVELS)}")
    filters = filters or Filters()
    as_of = as_of or ds.latest_date()
    cov = prepare(ds, filters).on(as_of, horizon_days)
    m, prov = cov.matrix, cov.providers
    active = prov[prov["active"]]
    names = (active.groupby(["site_id", "service"], sort=False)["partner"]
             .agg(lambda s: "; ".join(sorted(set(s)))).rename("partners").reset_index())
    cells = m[["site_id", "service", "individuals"]].merge(names, on=["site_id", "service"], how="left")
    cells["served"] = cells["partners"].notna()
    cells["partners"] = cells["partners"].fillna("")
    site_tab = _site_areas(cov.prepared.sites, level, kind)
    people = m.drop_duplicates("site_id")[["site_id", "individuals"]]
    site_tab = site_tab.merge(people, on="site_id", how="left")
    area = AREA_COLUMNS[level]
    key = area[0]
    c = cells.merge(site_tab[["site_id", *area]], on="site_id", how="left")
    a = active.merge(site_tab[["site_id", *area]], on="site_id", how="left")
    ind = c["individuals"].astype("Float64")
    c = c.assign(ind=ind.fillna(0), served_ind=ind.fillna(0).where(c["served"], 0),
                 without_ind=ind.fillna(0).where(~c["served"], 0), unknown=ind.isna())
    g = c.groupby([*area, "service"], sort=False, dropna=False).agg(
        n_sites=("site_id", "nunique"), sites_served=("served", "sum"), individuals=("ind", "sum"),
        individuals_served=("served_ind", "sum"), individuals_without=("without_ind", "sum"),
        sites_unknown_people=("unknown", "sum")).reset_index()
    pn = a.groupby([key, "service"], sort=False, dropna=False)["partner"].agg(
        n_partners="nunique", partner_names=lambda s: "; ".join(sorted(set(s)))).reset_index()
    t = g.merge(pn, on=[key, "service"], how="left")
    t["n_partners"] = t["n_partners"].fillna(0).astype(int)
    t["partner_names"] = t["partner_names"].fillna("")
    for col in ("individuals", "individuals_served", "individuals_without"):
        t[col] = t[col].astype(float).round().astype(int)
    for col in ("sites_served", "sites_unknown_people", "n_sites"):
        t[col] = t[col].astype(int)
    order = {s: i for i, s in enumerate(filters.service_list())}
    t = t.sort_values([key, "service"], key=lambda s: s.map(order) if s.name == "service" else s, kind="stable")
    t = t[[*area, *TABLE_COLUMNS]].reset_index(drop=True)
    if level == "catchment":
        t.insert(1, "catchment_kind", kind)
    return WhoWhatWhere(t, site_tab, cells[["site_id", "service", "served", "individuals", "partners"]],
                        level, kind, as_of)


def area_values(w: WhoWhatWhere, measure: str = "n_partners", service: str | None = None) -> pd.DataFrame:
    """One value per area for a choropleth: ``measure`` for one service, or over all services
    (partners: distinct partners in the area; people: summed over services). Columns: code, name, value."""
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    area = w.area_columns
    t = w.table if service is None else w.table[w.table["service"] == service]
    if measure == "n_partners":
        parts = t.groupby(area[0], sort=False)["partner_names"].agg(
            lambda s: len({p for x in s for p in x.split("; ") if p}))
        v = parts.rename("value").reset_index()
    else:
        v = t.groupby(area[0], sort=False)[measure].sum().rename("value").reset_index()
    v = v.rename(columns={area[0]: "code"})
    names = w.table.drop_duplicates(area[0]).set_index(area[0], drop=False)[area[-1]]
    v["name"] = v["code"].map(names)
    return v[["code", "name", "value"]]


def partners_on(w: WhoWhatWhere) -> list[str]:
    """Partners serving somewhere in the view on the date, alphabetical."""
    return sorted({p for x in w.cells["partners"] for p in x.split("; ") if p})


FOOTPRINT_COLUMNS = ["site_id", "site_name", "admin2_name", "service", "until", "others", "individuals",
                     "individuals_left_without"]


def partner_footprint(ds: Dataset, partner: str, filters: Filters | None = None, *, as_of: dt.date | None = None,
                      horizon_days: int = 90) -> pd.DataFrame:
    """Where ``partner`` serves on ``as_of``: one row per site × service, with ``until`` (its
    latest end there; NaT: open-ended), ``others`` (the other partners serving the same site ×
    service) and ``individuals_left_without`` (the site's individuals when no other partner
    serves it, else 0). ``attrs["partner"]``: the partner's name as first written in the data (the
    name as given when the data does not have it), for :func:`footprint_words`."""
    filters = filters or Filters()
    as_of = as_of or ds.latest_date()
    cov = prepare(ds, filters).on(as_of, horizon_days)
    prov = cov.providers
    active = prov[prov["active"]]
    # providers has one row per (cell, partner key), named as first written; ``partner`` may be another
    # spelling of it ("I.O.M." for "IOM": one partner)
    me = (partner_keys(active["partner"]).fillna("") == partner_key(partner)).to_numpy()
    mine = active[me][["site_id", "service", "end_date"]].rename(columns={"end_date": "until"})
    name = first_spellings(ds.presence["partner"]).get(partner_key(partner), partner)
    if mine.empty:
        empty = pd.DataFrame({c: pd.Series(dtype="object") for c in FOOTPRINT_COLUMNS})
        empty.attrs["partner"] = name
        return empty
    others = (active[~me].groupby(["site_id", "service"])["partner"]
              .agg(lambda s: "; ".join(sorted(set(s)))).rename("others").reset_index())
    m = cov.matrix[["site_id", "site_name", "admin2_name", "service", "individuals"]]
    out = mine.merge(m, on=["site_id", "service"], how="left").merge(others, on=["site_id", "service"], how="left")
    out["others"] = out["others"].fillna("")
    alone = out["others"] == ""
    out["individuals_left_without"] = out["individuals"].where(alone, 0)
    order = {s: i for i, s in enumerate(filters.service_list())}
    out = out.sort_values(["site_id", "service"], key=lambda s: s.map(order) if s.name == "service" else s,
                          kind="stable")
    out = out[FOOTPRINT_COLUMNS].reset_index(drop=True)
    out.attrs["partner"] = name
    return out


def footprint_summary(fp: pd.DataFrame) -> pd.DataFrame:
    """A footprint per service: sites, individuals there, the last 'until', and individuals left
    without the service if the partner goes."""
    if fp.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in
                             ["service", "n_sites", "individuals", "until", "individuals_left_without"]})
    g = fp.groupby("service", sort=False).agg(
        n_sites=("site_id", "nunique"), individuals=("individuals", "sum"), until=("until", "max"),
        individuals_left_without=("individuals_left_without", "sum")).reset_index()
    for col in ("individuals", "individuals_left_without"):
        g[col] = g[col].astype("Int64")
    return g


def footprint_words(partner: str, fp: pd.DataFrame, as_of: dt.date) -> str:
    """A partner's footprint in a sentence: where, until when, and who is left if it goes. The
    partner is named as the data first writes it (``fp.attrs["partner"]``, from
    :func:`partner_footprint`), not as typed or chosen ("irc", "I.R.C.")."""
    partner = fp.attrs.get("partner") or partner
    if fp.empty:
        return _("{partner} serves none of these sites on {date}.").format(partner=iso(partner), date=local_date(as_of))
    s = footprint_summary(fp)
    ends = fp["until"].dropna()
    until = (_("until {date} at the latest").format(date=local_date(pd.Timestamp(ends.max()))) if len(ends) == len(fp)
             else _("with no end date for some") if len(ends) else _("with no end date given"))
    left = []
    for r in s.itertuples(index=False):
        n = 0 if pd.isna(r.individuals_left_without) else int(r.individuals_left_without)
        left.append(f"{_(SERVICE_LABELS.get(r.service, r.service))}: "
                    + (_("{n} individuals left without").format(n=fmt_number(n)) if n else _("others continue everywhere")))
    return _("{partner} serves {sites} site(s) with {services} service(s) on {date}, {until}. If it goes: {left}.").format(
        partner=iso(partner), sites=fmt_number(fp["site_id"].nunique()), services=len(s), date=local_date(as_of), until=until,
        left=list_sep().join(left))


def catchment_table() -> pd.DataFrame:
    """The catchments table as shipped (for the page and its download)."""
    return load_catchments()

"""Filters shared by every page: which sites (and services) the user is looking at.

A :class:`Filters` is plain data (lists of strings), so it round-trips through the URL
query string (:meth:`Filters.to_query` / :meth:`Filters.from_query`) and can key a cache.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

import pandas as pd

from dsdash.i18n import N_, list_sep
from dsdash.schema import Service

#: Filter field → sites-table column it selects on (services and population groups
#: select on other tables).
SITE_FILTER_COLUMNS = {
    "admin1": "admin1_code",
    "admin2": "admin2_code",
    "site_type": "site_type",
    "site_group": "site_group",
    "coordination_area": "coordination_area",
}


@dataclass(frozen=True)
class Filters:
    """Empty list = no restriction on that field."""

    admin1: tuple[str, ...] = ()
    admin2: tuple[str, ...] = ()
    site_type: tuple[str, ...] = ()
    site_group: tuple[str, ...] = ()
    coordination_area: tuple[str, ...] = ()
    catchment: tuple[str, ...] = ()  # ABC/JCF catchments (data/catchments.csv): sites in their districts
    population_group: tuple[str, ...] = ()
    services: tuple[str, ...] = field(default=())

    @property
    def active(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def service_list(self) -> list[str]:
        """The chosen services, or every service when none is chosen."""
        return list(self.services) if self.services else Service.values()

    def to_query(self) -> dict[str, str]:
        """URL query parameters (comma-joined; empty fields omitted)."""
        return {k: ",".join(v) for k, v in asdict(self).items() if v}

    @classmethod
    def from_query(cls, query: dict) -> "Filters":
        """Read filters from URL query parameters; unknown keys are ignored."""
        kw = {}
        for f in fields(cls):
            v = query.get(f.name)
            if v is None:
                continue
            if isinstance(v, (list, tuple)):
                v = ",".join(v)
            # each value once, in the order first given (a link with services=water,water would
            # otherwise give a multiselect its value twice, which Streamlit refuses)
            items = tuple(dict.fromkeys(x for x in (s.strip() for s in str(v).split(",")) if x))
            if items:
                kw[f.name] = items
        return cls(**kw)

    def describe(self) -> str:
        """Words for a subtitle or a slide: 'all sites' or 'governorate IQG01; …'."""
        from dsdash.i18n import _

        parts = [f"{_(_FIELD_WORDS.get(k, k.replace('_', ' ')))}: {', '.join(_shown(k, x) for x in v)}"
                 for k, v in asdict(self).items() if v]
        return list_sep().join(parts) if parts else _("all sites, all services")


#: The words of each filter in :meth:`Filters.describe` (English: the field's name in words).
_FIELD_WORDS = {"admin1": N_("admin1"), "admin2": N_("admin2"), "site_type": N_("site type"),
                "site_group": N_("site group"), "coordination_area": N_("coordination area"),
                "catchment": N_("catchment"), "population_group": N_("population group"), "services": N_("services")}


def _shown(field: str, value: str) -> str:
    """A filter's value in words: as given in English (codes); in another language, a
    vocabulary code (service, site type, group) or a p-code as its name there."""
    from dsdash.i18n import _, current

    if current() == "en":
        return value
    from dsdash.schema import (GOVERNORATES, POPULATION_GROUP_LABELS, SERVICE_LABELS, SITE_TYPE_LABELS,
                               district_name, governorate_name)

    labels = {"services": SERVICE_LABELS, "site_type": SITE_TYPE_LABELS, "population_group": POPULATION_GROUP_LABELS}
    if field in labels and value in labels[field]:
        return _(labels[field][value])
    if field == "admin1" and value in GOVERNORATES:
        return governorate_name(value)
    if field == "admin2":
        return district_name(value)
    return value


def filter_sites(sites: pd.DataFrame, filters: Filters, population: pd.DataFrame | None = None) -> pd.DataFrame:
    """The sites that pass the filters (a population group filter keeps sites that have
    a population row of that group)."""
    mask = pd.Series(True, index=sites.index)
    for fname, col in SITE_FILTER_COLUMNS.items():
        chosen = getattr(filters, fname)
        if chosen and col in sites.columns:
            mask &= sites[col].isin(chosen).fillna(False).astype(bool)
    if filters.catchment and "admin2_code" in sites.columns:
        from dsdash.catchments import districts_of

        mask &= sites["admin2_code"].isin(districts_of(filters.catchment)).fillna(False).astype(bool)
    if filters.population_group and population is not None:
        ids = population.loc[population["population_group"].isin(filters.population_group), "site_id"]
        mask &= sites["site_id"].isin(set(ids))
    return sites[mask]

"""The shared sidebar: which data is active, and the filters every page uses.

Filters live in the URL query string, so a filtered view can be shared by link.
"""

from __future__ import annotations

import streamlit as st

from dsdash.dataset import Dataset
from dsdash.filters import Filters
from dsdash.schema import POPULATION_GROUP_LABELS, SERVICE_LABELS, SITE_TYPE_LABELS, governorate_name
from ui.state import active_dataset


def _options(ds: Dataset, column: str) -> list[str]:
    s = ds.sites[column].dropna() if column in ds.sites.columns else []
    return sorted({str(x) for x in s if str(x)})


def _multiselect(label: str, key: str, options: list[str], current: tuple[str, ...], fmt=str) -> tuple[str, ...]:
    default = [c for c in current if c in options]
    chosen = st.multiselect(label, options, default=default, key=f"flt_{key}", format_func=fmt)
    return tuple(chosen)


def sidebar(ds: Dataset | None = None, *, services: bool = True) -> tuple[Dataset, Filters]:
    """Draw the shared sidebar and return the active Dataset and Filters.

    Args:
        ds: the dataset (default: the session's active one).
        services: show the services filter (pages that have no service lens hide it).
    """
    ds = ds or active_dataset()
    current = Filters.from_query(st.query_params.to_dict())
    with st.sidebar:
        st.caption("Active data")
        st.text(ds.name)
        with st.expander("Filters", expanded=current.active):
            districts = {}
            for code, name in ds.sites[["admin2_code", "admin2_name"]].dropna().itertuples(index=False):
                districts[str(code)] = str(name)
            f = Filters(
                admin1=_multiselect("Governorate", "admin1", _options(ds, "admin1_code"), current.admin1, governorate_name),
                admin2=_multiselect("District", "admin2", sorted(districts), current.admin2,
                                    lambda c: districts.get(c, c)),
                site_type=_multiselect("Site type", "site_type", _options(ds, "site_type"), current.site_type,
                                       lambda c: SITE_TYPE_LABELS.get(c, c)),
                site_group=_multiselect("Site group", "site_group", _options(ds, "site_group"), current.site_group),
                coordination_area=_multiselect("Coordination area (ABC/JCF)", "coordination_area",
                                               _options(ds, "coordination_area"), current.coordination_area),
                population_group=_multiselect("Population group", "population_group",
                                              sorted(set(ds.population["population_group"].dropna())),
                                              current.population_group,
                                              lambda c: POPULATION_GROUP_LABELS.get(c, c)),
                services=_multiselect("Services", "services", list(SERVICE_LABELS), current.services,
                                      lambda c: SERVICE_LABELS.get(c, c)) if services else current.services,
            )
    query = f.to_query()
    if query != {k: v for k, v in st.query_params.to_dict().items() if k in Filters.__dataclass_fields__}:
        for k in Filters.__dataclass_fields__:
            if k in query:
                st.query_params[k] = query[k]
            elif k in st.query_params:
                del st.query_params[k]
    return ds, f

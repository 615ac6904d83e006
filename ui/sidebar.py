"""The shared sidebar: which data is active, the as-of date and horizon, and the filters.

It returns one :class:`dsdash.view.View`, and writes that view into the URL query string on
every page, so the date and filters carry from page to page and a view can be shared by link.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dsdash.dataset import Dataset
from dsdash.filters import Filters
from dsdash.schema import POPULATION_GROUP_LABELS, SERVICE_LABELS, SITE_TYPE_LABELS, governorate_name
from dsdash.view import MAX_HORIZON_DAYS, QUERY_KEYS, View, date_bounds
from ui.state import AS_OF_KEY, HORIZON_KEY, active_dataset


def _options(ds: Dataset, column: str) -> list[str]:
    s = ds.sites[column].dropna() if column in ds.sites.columns else []
    return sorted({str(x) for x in s if str(x)})


def _multiselect(label: str, key: str, options: list[str], current: tuple[str, ...], fmt=str) -> tuple[str, ...]:
    default = [c for c in current if c in options]
    chosen = st.multiselect(label, options, default=default, key=f"flt_{key}", format_func=fmt)
    return tuple(chosen)


def _as_of(ds: Dataset, chosen: dt.date | None, shown: bool) -> dt.date | None:
    """The as-of date: the widget's when it is shown (it starts at the URL's date, or the data's
    latest date), else the URL's. A date outside :func:`date_bounds` falls back to the latest."""
    lo, hi = date_bounds(ds)
    day = chosen if chosen is not None and lo <= chosen <= hi else ds.latest_date()
    if not shown:
        return day
    state = st.session_state.get(AS_OF_KEY)
    if not isinstance(state, dt.date) or not lo <= state <= hi:
        st.session_state[AS_OF_KEY] = min(max(day or dt.date.today(), lo), hi)
    return st.date_input("As-of date", min_value=lo, max_value=hi, key=AS_OF_KEY, format="YYYY-MM-DD",
                         help="Coverage on this day: gap matrix, exits, map and deck. "
                              "Default: the latest date in the data.")


def _horizon(chosen: int, shown: bool) -> int:
    """The at-risk horizon in days: the widget's when it is shown (it starts at the URL's), else the URL's."""
    if not shown:
        return chosen
    if not isinstance(st.session_state.get(HORIZON_KEY), int):
        st.session_state[HORIZON_KEY] = chosen
    return int(st.number_input("At-risk horizon (days)", min_value=0, max_value=MAX_HORIZON_DAYS, step=15,
                               key=HORIZON_KEY, help="A cell is at risk when every provider ends within it; "
                                                     "exits within it are listed."))


def sidebar(ds: Dataset | None = None, *, services: bool = True, as_of: bool = True,
            horizon: bool = True) -> tuple[Dataset, View]:
    """Draw the shared sidebar and return the active Dataset and the View.

    The view's date and horizon come from the URL (``?as_of=…&horizon=…``) or their widgets;
    its as-of date is the data's latest date when none is chosen. The pages that hide a
    control still carry its value.

    Args:
        ds: the dataset (default: the session's active one).
        services: show the services filter (pages that have no service lens hide it).
        as_of: show the as-of date.
        horizon: show the at-risk horizon.
    """
    ds = ds or active_dataset()
    current = View.from_query(st.query_params.to_dict())
    with st.sidebar:
        st.caption("Active data")
        st.text(ds.name)
        day = _as_of(ds, current.as_of, as_of)
        days = _horizon(current.horizon_days, horizon)
        with st.expander("Filters", expanded=current.filters.active):
            cf = current.filters
            districts = {}
            for code, name in ds.sites[["admin2_code", "admin2_name"]].dropna().itertuples(index=False):
                districts[str(code)] = str(name)
            f = Filters(
                admin1=_multiselect("Governorate", "admin1", _options(ds, "admin1_code"), cf.admin1, governorate_name),
                admin2=_multiselect("District", "admin2", sorted(districts), cf.admin2, lambda c: districts.get(c, c)),
                site_type=_multiselect("Site type", "site_type", _options(ds, "site_type"), cf.site_type,
                                       lambda c: SITE_TYPE_LABELS.get(c, c)),
                site_group=_multiselect("Site group", "site_group", _options(ds, "site_group"), cf.site_group),
                coordination_area=_multiselect("Coordination area (ABC/JCF)", "coordination_area",
                                               _options(ds, "coordination_area"), cf.coordination_area),
                population_group=_multiselect("Population group", "population_group",
                                              sorted(set(ds.population["population_group"].dropna())),
                                              cf.population_group, lambda c: POPULATION_GROUP_LABELS.get(c, c)),
                services=_multiselect("Services", "services", list(SERVICE_LABELS), cf.services,
                                      lambda c: SERVICE_LABELS.get(c, c)) if services else cf.services,
            )
    view = View(f, day, days)
    query = view.to_query()
    if query != {k: v for k, v in st.query_params.to_dict().items() if k in QUERY_KEYS}:
        for k in QUERY_KEYS:
            if k in query:
                st.query_params[k] = query[k]
            elif k in st.query_params:
                del st.query_params[k]
    return ds, view

"""The active Dataset of a session, and cached loaders."""

from __future__ import annotations

import streamlit as st

import os
from pathlib import Path

from dsdash.coverage.engine import Prepared, prepare
from dsdash.dataset import Dataset, load_embedded
from dsdash.filters import Filters
from dsdash.view import AS_OF_PARAM

ACTIVE_KEY = "dsdash_active_dataset"
#: Widget keys of the sidebar's as-of date and at-risk horizon (one pair for every page).
AS_OF_KEY = "view_as_of"
HORIZON_KEY = "view_horizon"


@st.cache_resource(show_spinner=False)
def embedded_dataset() -> Dataset:
    """The embedded default data, loaded once per process (treat it as read-only).

    ``DSDASH_DATA_DIR`` points at another folder of the same CSV files (tests use it to
    start the app on crafted data, e.g. a site named like an HTML tag)."""
    alt = os.environ.get("DSDASH_DATA_DIR")
    return load_embedded(Path(alt)) if alt else load_embedded()


def active_dataset() -> Dataset:
    """The session's active Dataset: the user's uploads if they made them active,
    otherwise the embedded data."""
    ds = st.session_state.get(ACTIVE_KEY)
    return ds if ds is not None else embedded_dataset()


def set_active_dataset(ds: Dataset | None) -> None:
    """Make ``ds`` the session's active data (None: back to the embedded data). The as-of
    date goes back to the new data's latest date."""
    st.session_state.pop(AS_OF_KEY, None)
    if AS_OF_PARAM in st.query_params:
        del st.query_params[AS_OF_PARAM]
    if ds is None:
        st.session_state.pop(ACTIVE_KEY, None)
    else:
        st.session_state[ACTIVE_KEY] = ds


PREPARED_KEY = "dsdash_prepared_coverage"


def prepared_coverage(ds: Dataset, filters: Filters) -> Prepared:
    """The gap matrix's date-independent part for this data and filter, kept for the session:
    a change of date or horizon on a page evaluates it again without preparing anew.

    Datasets are never changed in place (loading data makes a new one), so the object
    itself and the filters are the key."""
    hit = st.session_state.get(PREPARED_KEY)
    if hit is not None and hit[0] is ds and hit[1] == filters:
        return hit[2]
    prep = prepare(ds, filters)
    st.session_state[PREPARED_KEY] = (ds, filters, prep)
    return prep

"""The active Dataset of a session, and cached loaders."""

from __future__ import annotations

import streamlit as st

import os
from pathlib import Path

from dsdash.dataset import Dataset, load_embedded

ACTIVE_KEY = "dsdash_active_dataset"


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
    """Make ``ds`` the session's active data (None: back to the embedded data)."""
    if ds is None:
        st.session_state.pop(ACTIVE_KEY, None)
    else:
        st.session_state[ACTIVE_KEY] = ds

"""What ui/state.py shares between sessions holds the reader's language in its key (issue 18): a
reader in Arabic after one in English (same workspace version, same filters) gets "What changed" in
Arabic, and one with Arabic-Indic digits gets those digits, not the words cached for the first.
Each run is a session of its own in one process, as on the server."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _app():
    import pandas as pd
    import streamlit as st

    from dsdash.dataset import load_embedded
    from dsdash.i18n import set_language
    from ui import state

    set_language(st.query_params.get("lang", "en"), digits=st.query_params.get("digits", "latn"))
    ds = load_embedded()
    earlier = ds.population.assign(reference_date=pd.Timestamp("2023-09-30"))
    two_rounds = ds.with_tables(population=pd.concat([earlier, ds.population], ignore_index=True))
    state._remember_published(two_rounds, ("test-cached-words|confidential", 1))  # as published_dataset() does
    st.session_state["lines"] = state.round_changes(two_rounds, None).lines()


def _lines(**query) -> list[str]:
    at = AppTest.from_function(_app, default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at.session_state["lines"]


def test_round_changes_are_cached_per_language_and_digits():
    en = _lines(lang="en")
    assert en[0] == "From IDPs 30 Sep 2023 to IDPs 10 Dec 2023."
    ar = _lines(lang="ar")
    assert ar[0] == "من 30 أيلول 2023 (النازحون) إلى 10 كانون الأول 2023 (النازحون).", ar[0]
    arab = _lines(lang="ar", digits="arab")
    assert arab[0] == "من ٣٠ أيلول ٢٠٢٣ (النازحون) إلى ١٠ كانون الأول ٢٠٢٣ (النازحون).", arab[0]
    assert _lines(lang="en") == en

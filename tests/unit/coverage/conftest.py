"""Coverage fixtures: a tiny dataset every rule is computed on by hand, and the seed's coverage on
10 Dec 2023 (its latest date)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dsdash.coverage.engine import prepare
from dsdash.dataset import Dataset


def _typed(df: pd.DataFrame, dates=()) -> pd.DataFrame:
    df = df.copy()
    for c in df.columns:
        df[c] = pd.to_datetime(df[c]).astype("datetime64[s]") if c in dates else df[c].astype("string")
    return df


@pytest.fixture(scope="module")
def tiny() -> Dataset:
    """Four sites, five services, every scope level (see the table in test_engine.py, test_hand_computed_matrix)."""
    sites = _typed(pd.DataFrame({
        "site_id": ["A", "B", "C", "E"],
        "site_name": ["Alpha", "Bravo", "Charlie", "Echo"],
        "admin1_code": ["P1", "P1", "P1", "P2"],
        "admin2_code": ["D1", "D1", "D2", "D3"],
        "admin2_name": ["One", "One", "Two", "Three"],
        "site_type": ["camp"] * 4,
        "site_group": ["G", "G", None, None],
        "source": ["test"] * 4,
    }))
    pop = pd.DataFrame({
        "site_id": ["A", "A", "A", "B", "E"],
        "population_group": ["idp", "idp", "returnee", "idp", "idp"],
        "households": [999, 10, 7, 8, 2],
        "individuals": [999, 60, 40, 50, 10],  # A: the older idp row (999) is not the latest
        "individuals_method": ["reported"] * 5,
        "reference_date": ["2023-01-01", "2024-01-31", "2024-01-31", "2024-01-31", "2024-01-31"],
        "source": ["test"] * 5,
    })
    pop = _typed(pop.drop(columns=["households", "individuals"]), dates=("reference_date",)).assign(
        households=pd.array(pop["households"], dtype="Int64"), individuals=pd.array(pop["individuals"], dtype="Int64"))
    P = [  # partner, type, scope, scope_id, service, start, end, status
        ("X", "INGO", "site", "A", "water", "2023-01-01", "2024-03-31", "scheduled_end"),  # ends ON D
        ("Y", "NNGO", "site_group", "G", "water", None, "2024-02-29", "ended"),
        ("X", "INGO", "governorate", "P1", "water", None, "2023-12-31", "ended"),  # same partner twice at A
        ("Dir", "government", "district", "D1", "sanitation_waste", "2023-06-01", None, "active"),
        ("U", "UN", "governorate", "P1", "health", None, "2024-05-15", "scheduled_end"),  # within 90 days
        ("Z", "INGO", "district", "D2", "health", "2024-04-15", None, "active"),  # starts after D
        ("W", "INGO", "site", "C", "education", None, None, "ended"),  # ended, date unknown: never serves
        ("V", "INGO", "site", "B", "sanitation_waste", None, None, "active"),
        ("Dir2", "government", "site", "A", "shelter_nfi", None, "2024-04-30", "scheduled_end"),
        ("Q", "INGO", "site", "nope", "water", None, None, "active"),  # matches no site
        ("T", "INGO", "site", "C", "shelter_nfi", None, "2024-01-31", "scheduled_end"),  # planned end passed
    ]
    presence = _typed(pd.DataFrame(P, columns=["partner", "partner_type", "scope", "scope_id", "service",
                                               "start_date", "end_date", "status"]),
                      dates=("start_date", "end_date")).assign(source="test", handover_to=pd.NA, note=pd.NA)
    for c in ("source", "handover_to", "note"):
        presence[c] = presence[c].astype("string")
    needs = _typed(pd.DataFrame({
        "scope": ["governorate", "site", "site"], "scope_id": ["P1", "B", "A"],
        "service": ["water", "water", "education"], "severity": ["medium", "high", "low"],
        "note": ["all P1 water", "Bravo has no water", "reported after D"],
        "reported_on": ["2024-01-01", "2024-02-01", "2024-06-01"], "source": ["test"] * 3,
    }), dates=("reported_on",))
    return Dataset("tiny", {"sites": sites, "population": pop, "presence": presence, "needs": needs})


@pytest.fixture(scope="module")
def cov(ds):
    return prepare(ds).on(dt.date(2023, 12, 10))  # the seed's latest date


@pytest.fixture(scope="module")
def matrix(cov):
    return cov.matrix

"""Summaries of a gap matrix: per site (worst state, people affected) and per service
(people in each state, people without)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dsdash.coverage.engine import STATE_ORDER
from dsdash.schema import CoverageState

#: States in which a cell has no assured humanitarian service ("people without").
WITHOUT_STATES = (CoverageState.LOST.value, CoverageState.END_UNCONFIRMED.value, CoverageState.NEVER.value,
                  CoverageState.HANDED_OVER.value, CoverageState.AT_RISK.value)


def site_states(matrix: pd.DataFrame) -> pd.DataFrame:
    """One row per site: its worst state, counts of cells per state, individuals and
    ``people_affected`` (the site's individuals when a service there is lost, unconfirmed or
    at risk, else 0), ordered by people affected, lost cells, then individuals (largest first).

    Columns: site_id, site_name, admin2_name, worst_state, one ``n_<state>`` per state
    (n_lost, n_end_unconfirmed, n_at_risk, n_handed_over, n_no_report, n_never_served,
    n_served), individuals, people_affected.
    """
    cols = ["site_id", "site_name", "admin2_name", "worst_state", *["n_" + s for s in STATE_ORDER],
            "individuals", "people_affected"]
    if matrix.empty:
        return pd.DataFrame(columns=cols)
    codes = pd.Index(STATE_ORDER).get_indexer(matrix["state"].astype("string"))
    site_codes, site_ids = pd.factorize(matrix["site_id"], sort=False)
    S = len(site_ids)
    counts = {s: np.bincount(site_codes[codes == i], minlength=S) for i, s in enumerate(STATE_ORDER)}
    worst = np.full(S, len(STATE_ORDER), dtype=np.int64)
    np.minimum.at(worst, site_codes, codes)
    firsts = np.zeros(S, dtype=np.int64)
    firsts[site_codes[::-1]] = np.arange(len(matrix))[::-1]  # first row of each site
    base = matrix.iloc[firsts]
    ind = base["individuals"].astype("Int64").to_numpy(dtype="float64", na_value=np.nan)
    hit = (counts[CoverageState.LOST.value] + counts[CoverageState.END_UNCONFIRMED.value]
           + counts[CoverageState.AT_RISK.value]) > 0
    affected = np.where(hit, np.nan_to_num(ind, nan=0.0), 0.0)
    out = pd.DataFrame({
        "site_id": base["site_id"].to_numpy(),
        "site_name": base["site_name"].to_numpy(),
        "admin2_name": base["admin2_name"].to_numpy(),
        "worst_state": np.array(STATE_ORDER, dtype=object)[worst],
        **{"n_" + s: counts[s] for s in STATE_ORDER},
        "individuals": base["individuals"].astype("Int64").to_numpy(),
        "people_affected": affected.astype(np.int64),
    })
    out["individuals"] = out["individuals"].astype("Int64")
    for c in ("site_id", "site_name", "admin2_name", "worst_state"):
        out[c] = out[c].astype("string")
    return out.sort_values(["people_affected", "n_lost", "individuals"], ascending=False, kind="stable",
                           na_position="last").reset_index(drop=True)


def people_without_service(matrix: pd.DataFrame) -> pd.DataFrame:
    """Per service: individuals in each state's cells.

    Columns: service, lost, end_unconfirmed, never_served, no_report, handed_over, at_risk,
    served (individuals in cells of that state), without_any (lost + never_served: no
    provider at all, known; end unconfirmed and no report are shown apart), without_assured
    (lost + end_unconfirmed + never_served + handed_over + at_risk: no assured humanitarian
    service), total (all individuals; the seven states add up to it),
    sites_unknown_people (sites without a count, not in any sum). Services in
    vocabulary order.
    """
    cols = ["service", *[s for s in STATE_ORDER], "without_any", "without_assured", "total", "sites_unknown_people"]
    if matrix.empty:
        return pd.DataFrame(columns=cols)
    svc_codes, services = pd.factorize(matrix["service"], sort=False)
    codes = pd.Index(STATE_ORDER).get_indexer(matrix["state"].astype("string"))
    ind = matrix["individuals"].astype("Int64").to_numpy(dtype="float64", na_value=np.nan)
    known = ~np.isnan(ind)
    K = len(services)
    data: dict[str, object] = {"service": pd.array(list(services), dtype="string")}
    for i, s in enumerate(STATE_ORDER):
        m = known & (codes == i)
        data[s] = np.round(np.bincount(svc_codes[m], weights=ind[m], minlength=K)).astype(np.int64)
    out = pd.DataFrame(data)
    out = out[["service", CoverageState.LOST.value, CoverageState.END_UNCONFIRMED.value, CoverageState.NEVER.value,
               CoverageState.NO_REPORT.value, CoverageState.HANDED_OVER.value, CoverageState.AT_RISK.value,
               CoverageState.SERVED.value]]
    out["without_any"] = out[CoverageState.LOST.value] + out[CoverageState.NEVER.value]
    out["without_assured"] = out[list(WITHOUT_STATES)].sum(axis=1)
    out["total"] = np.round(np.bincount(svc_codes[known], weights=ind[known], minlength=K)).astype(np.int64)
    out["sites_unknown_people"] = np.bincount(svc_codes[~known], minlength=K)
    return out


def people_by_adequacy(matrix: pd.DataFrame) -> pd.DataFrame:
    """Per service: individuals in covered, partially covered and not covered cells (the grade
    rule: :mod:`dsdash.coverage.engine`), their total, and the share covered (0–1; empty when
    no site has a count), services in vocabulary order: the CCCM-style grid weighted by people.
    """
    from dsdash.coverage.engine import ADEQUACY_ORDER
    cols = ["service", *ADEQUACY_ORDER, "total", "share_covered"]
    if matrix.empty:
        return pd.DataFrame(columns=cols)
    svc_codes, services = pd.factorize(matrix["service"], sort=False)
    codes = pd.Index(ADEQUACY_ORDER).get_indexer(matrix["adequacy"].astype("string"))
    ind = matrix["individuals"].astype("Int64").to_numpy(dtype="float64", na_value=np.nan)
    known = ~np.isnan(ind)
    K = len(services)
    out = pd.DataFrame({"service": pd.array(list(services), dtype="string")})
    for i, a in enumerate(ADEQUACY_ORDER):
        m = known & (codes == i)
        out[a] = np.round(np.bincount(svc_codes[m], weights=ind[m], minlength=K)).astype(np.int64)
    out["total"] = out[ADEQUACY_ORDER].sum(axis=1)
    out["share_covered"] = (out["covered"] / out["total"].where(out["total"] > 0)).astype("float64")
    return out[cols]

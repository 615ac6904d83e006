"""Synthetic data sets for scale tests and benchmarks (seeded, so every run sees the same data)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dsdash.dataset import Dataset, load_embedded
from dsdash.schema import Service


def _locations(rng: np.random.Generator, n_sites: int, name: str) -> tuple[dict, np.ndarray]:
    """Site ids, names and p-codes over 18 governorates and ~100 districts (and the
    governorate numbers drawn)."""
    gov = rng.integers(1, 19, n_sites)
    dist = rng.integers(1, 7, n_sites)
    return {
        "site_id": [f"S{i:05d}" for i in range(n_sites)],
        "site_name": [f"{name} {i}" for i in range(n_sites)],
        "admin1_code": [f"IQG{g:02d}" for g in gov],
        "admin2_code": [f"IQG{g:02d}Q{q:02d}" for g, q in zip(gov, dist)],
        "admin2_name": [f"District {g}-{q}" for g, q in zip(gov, dist)],
    }, gov


def synthetic_dataset(n_sites: int = 5000, n_rows: int = 50_000, n_needs: int = 2000, seed: int = 0) -> Dataset:
    """A national-scale data set with every scope level, for benchmarks and scale tests."""
    rng = np.random.default_rng(seed)
    places, _gov = _locations(rng, n_sites, "Site")
    sites = pd.DataFrame({
        **places,
        "site_type": "location",
        "site_group": [f"G{g:03d}" if g < 400 else None for g in rng.integers(0, 500, n_sites)],
        "source": "synthetic",
    }).astype({"site_id": "string", "site_name": "string", "admin1_code": "string", "admin2_code": "string",
               "admin2_name": "string", "site_type": "string", "site_group": "string", "source": "string"})
    pop = pd.DataFrame({
        "site_id": sites["site_id"],
        "population_group": "idp",
        "households": rng.integers(5, 2000, n_sites),
        "individuals_method": "hh_x6",
        "reference_date": pd.Timestamp("2024-01-31"),
        "source": "synthetic",
    })
    pop["individuals"] = pop["households"] * 6
    pop = pop.astype({"site_id": "string", "population_group": "string", "households": "Int64",
                      "individuals": "Int64", "individuals_method": "string", "source": "string"})
    pop["reference_date"] = pop["reference_date"].astype("datetime64[s]")

    scope = rng.choice(["site", "site_group", "district", "governorate"], n_rows, p=[0.9, 0.06, 0.035, 0.005])
    scope_id = np.where(
        scope == "site", sites["site_id"].to_numpy(dtype=object)[rng.integers(0, n_sites, n_rows)],
        np.where(scope == "site_group", np.array([f"G{g:03d}" for g in rng.integers(0, 420, n_rows)], dtype=object),
                 np.where(scope == "district",
                          np.array([f"IQG{g:02d}Q{q:02d}" for g, q in
                                    zip(rng.integers(1, 19, n_rows), rng.integers(1, 7, n_rows))], dtype=object),
                          np.array([f"IQG{g:02d}" for g in rng.integers(1, 19, n_rows)], dtype=object))))
    services = np.array(Service.values(), dtype=object)
    partners = np.array([f"Partner {i:03d}" for i in range(300)], dtype=object)
    pidx = rng.integers(0, 300, n_rows)
    ptype = np.where(pidx < 15, "government", np.where(pidx < 60, "UN", np.where(pidx < 180, "INGO", "NNGO")))
    base = np.datetime64("2022-01-01")
    start = base + rng.integers(0, 900, n_rows).astype("timedelta64[D]")
    end = start + rng.integers(30, 1000, n_rows).astype("timedelta64[D]")
    open_start = rng.random(n_rows) < 0.2
    open_end = rng.random(n_rows) < 0.25
    ended_no_date = rng.random(n_rows) < 0.02
    presence = pd.DataFrame({
        "partner": partners[pidx], "partner_type": ptype, "scope": scope, "scope_id": scope_id,
        "service": services[rng.integers(0, len(services), n_rows)],
        "start_date": np.where(open_start, np.datetime64("NaT"), start).astype("datetime64[s]"),
        "end_date": np.where(open_end | ended_no_date, np.datetime64("NaT"), end).astype("datetime64[s]"),
        "status": np.where(ended_no_date, "ended", "active"),
        "handover_to": None, "note": None, "source": "synthetic",
    })
    # issue 15: half the dated ends are confirmed ("ended"), half only planned ("scheduled_end"); and a few
    # sites in a governorate no presence row reaches ("no report"). A second generator, so the draws
    # above (and the benchmarks' data) stay as they were.
    rng2 = np.random.default_rng(seed + 10_000)
    dated = ~(open_end | ended_no_date)
    presence["status"] = np.where(ended_no_date, "ended",
                                  np.where(dated, np.where(rng2.random(n_rows) < 0.5, "ended", "scheduled_end"),
                                           "active"))
    unreported = rng2.random(n_sites) < 0.03
    sites.loc[unreported, ["admin1_code", "admin2_code", "site_group"]] = ["IQG99", "IQG99Q01", None]
    gone = presence["scope"].eq("site") & presence["scope_id"].isin(sites.loc[unreported, "site_id"])
    presence = presence[~gone].reset_index(drop=True)
    for c in ("partner", "partner_type", "scope", "scope_id", "service", "status", "handover_to", "note", "source"):
        presence[c] = presence[c].astype("string")

    nscope = rng.choice(["site", "district"], n_needs, p=[0.9, 0.1])
    needs = pd.DataFrame({
        "scope": nscope,
        "scope_id": np.where(nscope == "site", sites["site_id"].to_numpy(dtype=object)[rng.integers(0, n_sites, n_needs)],
                             sites["admin2_code"].to_numpy(dtype=object)[rng.integers(0, n_sites, n_needs)]),
        "service": services[rng.integers(0, len(services), n_needs)],
        "severity": rng.choice(["high", "medium", "low"], n_needs),
        "note": [f"need {i}" for i in range(n_needs)],
        "reported_on": (base + rng.integers(0, 900, n_needs).astype("timedelta64[D]")).astype("datetime64[s]"),
        "source": "synthetic",
    })
    for c in ("scope", "scope_id", "service", "severity", "note", "source"):
        needs[c] = needs[c].astype("string")
    return Dataset(name="synthetic", tables={"sites": sites, "population": pop, "presence": presence, "needs": needs},
                   origin="synthetic")


def national_dataset(n_rounds: int, n_sites: int = 5_800, seed: int = 1) -> Dataset:
    """The embedded data with a synthetic population table: n_sites locations over 18
    governorates / ~100 districts, n_rounds Master List rounds, ~2 % of sites closing
    and appearing per round."""
    ds = load_embedded()
    rng = np.random.default_rng(seed)
    places, gov = _locations(rng, n_sites, "Location")
    sites = pd.DataFrame({
        **places, "admin1_name": [f"Gov {g}" for g in gov], "site_type": "location", "source": "synthetic",
    }).astype({"site_id": "string", "admin1_code": "string", "admin2_code": "string"})
    dates = pd.date_range("2014-04-30", periods=n_rounds, freq="ME")
    frames = []
    base = rng.integers(6, 3_000, n_sites)
    for k, d in enumerate(dates):
        live = rng.random(n_sites) > 0.02
        ind = (base * (1 - 0.004 * k)).clip(6).astype("int64")
        frames.append(pd.DataFrame({
            "site_id": sites["site_id"][live].to_numpy(), "population_group": "idp",
            "households": ind[live] // 6, "individuals": ind[live], "individuals_method": "hh_x6",
            "reference_date": d, "dtm_round": k + 1, "source": "synthetic"}))
    pop = pd.concat(frames, ignore_index=True)
    pop = pop.astype({"site_id": "string", "population_group": "string", "individuals": "Int64",
                      "households": "Int64", "dtm_round": "Int64", "reference_date": "datetime64[s]"})
    return ds.with_tables(population=pop, sites=sites)

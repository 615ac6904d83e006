"""Trends at national scale (~5,800 DTM locations per round, 24 and 120 Master List rounds)
and the embedded figure builders, against the bare pandas operations underneath."""

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from benchmarks.run import best_of
from dsdash.trends import hotspots as H
from dsdash.dataset import load_embedded
from dsdash.trends.fvm import fvm_funnel_figure, fvm_period_figure
from dsdash.trends.index import index_severity_figure
from dsdash.trends.national import national_trend_figure
from dsdash.trends.rounds import admin_trend_figure, population_by_admin, round_change_table


def national_dataset(n_rounds: int, n_sites: int = 5_800, seed: int = 1):
    """The embedded data with a synthetic population table: n_sites locations over 18
    governorates / ~100 districts, n_rounds Master List rounds, ~2 % of sites closing
    and appearing per round."""
    ds = load_embedded()
    rng = np.random.default_rng(seed)
    gov = rng.integers(1, 19, n_sites)
    dist = rng.integers(1, 7, n_sites)
    sites = pd.DataFrame({
        "site_id": [f"S{i:05d}" for i in range(n_sites)],
        "site_name": [f"Location {i}" for i in range(n_sites)],
        "admin1_code": [f"IQG{g:02d}" for g in gov],
        "admin1_name": [f"Gov {g}" for g in gov],
        "admin2_code": [f"IQG{g:02d}Q{d:02d}" for g, d in zip(gov, dist)],
        "admin2_name": [f"District {g}-{d}" for g, d in zip(gov, dist)],
        "site_type": "location", "source": "synthetic",
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


def _floor_by_admin(ds):
    m = ds.population.merge(ds.sites[["site_id", "admin2_code"]], on="site_id", how="left")
    return m.groupby(["reference_date", "admin2_code"])["individuals"].sum()


def _floor_change(ds):
    pop = ds.population
    d = sorted(pop["reference_date"].unique())[-2:]
    a = pop[pop["reference_date"] == d[0]].groupby("site_id")["individuals"].sum()
    b = pop[pop["reference_date"] == d[1]].groupby("site_id")["individuals"].sum()
    return pd.concat([a, b], axis=1, join="outer")


def run():
    out = []
    for n_rounds in (24, 120):
        ds = national_dataset(n_rounds)
        rows = len(ds.population)
        out.append({"name": f"population_by_admin admin2 ({rows:,} rows)",
                    "value": best_of(lambda: population_by_admin(ds, "admin2"), 3), "unit": "ms",
                    "floor": best_of(lambda: _floor_by_admin(ds), 3),
                    "floor_name": "merge + groupby sum"})
        out.append({"name": f"round_change_table last 2 rounds ({rows:,} rows)",
                    "value": best_of(lambda: round_change_table(ds), 3), "unit": "ms",
                    "floor": best_of(lambda: _floor_change(ds), 3),
                    "floor_name": "2 filters + groupby + outer concat"})
        out.append({"name": f"admin_trend_figure admin1 ({rows:,} rows)",
                    "value": best_of(lambda: admin_trend_figure(ds, "admin1"), 3), "unit": "ms",
                    "floor": best_of(lambda: _floor_by_admin(ds), 3), "floor_name": "merge + groupby sum"})
    emb = load_embedded()
    out.append({"name": "6 figure builders on the embedded data",
                "value": best_of(lambda: [national_trend_figure(emb), index_severity_figure(emb, "return_index"),
                                          index_severity_figure(emb, "displacement_index"),
                                          fvm_funnel_figure(emb), fvm_period_figure(emb),
                                          H.hotspot_figure(emb)], 5),
                "unit": "ms", "floor": best_of(lambda: [go.Figure(go.Scatter(x=[1, 2], y=[1, 2])) for _ in range(6)], 5),
                "floor_name": "6 trivial go.Figure"})
    return out

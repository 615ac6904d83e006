"""Trends at national scale (~5,800 DTM locations per round, 24 and 120 Master List rounds)
and the embedded figure builders, against the bare pandas operations underneath."""

import pandas as pd
import plotly.graph_objects as go

from benchmarks.run import best_of
from dsdash.trends import hotspots as H
from dsdash.dataset import load_embedded
from dsdash.trends.fvm import fvm_funnel_figure, fvm_period_figure
from dsdash.trends.index import index_severity_figure
from dsdash.trends.national import national_trend_figure
from dsdash.trends.rounds import admin_trend_figure, population_by_admin, round_change_table
from tests.support.synthetic import national_dataset


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

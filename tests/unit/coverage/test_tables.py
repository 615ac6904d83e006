"""Table and key-figure builders of the Gaps page (timeline, handover list, matrix, caption,
scenario, partner names), inspected without Streamlit."""

from __future__ import annotations

import datetime as dt

from dsdash.coverage import plots as P
from dsdash.coverage import tables as T
from dsdash.coverage.engine import prepare
from dsdash.coverage.exits import exit_scenario
from dsdash.filters import Filters
from dsdash.schema import COVERAGE_STATE_LABELS
from dsdash.view import date_bounds

D = dt.date(2023, 12, 10)


def test_timeline_respects_filters(ds):
    t = T.timeline_table(prepare(ds, Filters(site_group=("Rutba",), services=("water",))), D).table
    assert t["partner"].tolist() == ["UNICEF"]  # only UNICEF's governorate-wide water reached Rutba


def test_handover_list_has_the_seed_capacity_notes(ds, cov, matrix):
    h = T.handover_table(ds, cov)
    k18 = h[(h["site_name"] == "Kilo 18 / AL-Karama complex") & (h["service"] == "Water")].iloc[0]
    assert k18["state"] == COVERAGE_STATE_LABELS["handed_over"]
    assert k18["government_body"] == "Directorate of Water Resources"
    assert "Capacity limited" in k18["note"] and "Mercy Corps" in k18["handed_over_by"]
    k9 = h[(h["site_name"] == "9 Kilo") & (h["service"] == "Water")].iloc[0]
    assert k9["state"] == COVERAGE_STATE_LABELS["lost"]
    assert k9["government_body"].startswith("Directorate of Water Resources (asked")
    bz = h[(h["site_name"] == "Bzebiz - sector 1") & (h["service"] == "Water")].iloc[0]
    assert bz["government_body"] == "MoMD" and bz["handed_over_by"] == "DRC"
    assert "usually cut due to delays" in bz["note"]
    # every handed-over cell of the matrix is in the list
    n_handed = int((matrix["state"] == "handed_over").sum())
    assert int((h["state"] == COVERAGE_STATE_LABELS["handed_over"]).sum()) == n_handed == 47
    assert h["individuals"].is_monotonic_decreasing


def test_matrix_table_and_key_figures(ds, cov, matrix):
    t = T.matrix_table(matrix)
    assert len(t) == 392 and t.iloc[0]["Site"] == "7 Killo-al-mojamaa al-sakany"
    # on 10 Dec 2023 no planned end has passed unconfirmed and every site is reported
    assert set(t["State"]) == set(COVERAGE_STATE_LABELS.values()) - {COVERAGE_STATE_LABELS["end_unconfirmed"],
                                                                       COVERAGE_STATE_LABELS["no_report"]}
    figs = {k.label: k for k in T.gap_figures(cov, ds)}
    assert figs["Services lost (site × service)"].value == 69
    assert figs["Handed over to government"].value == 47
    assert figs["At risk (site × service)"].value == 34
    for k in figs.values():
        assert k.source.startswith("DSTWG monthly meeting, 13 December 2023") and "10 Dec 2023" in k.date and k.method
    counts = T.state_counts(matrix)
    assert counts["cells"].sum() == 392


def test_caption_names_source_date_and_method(ds, cov):
    c = T.caption(ds, cov, "Heatmap")
    assert "Source: DSTWG monthly meeting, 13 December 2023" in c and "coverage on 10 Dec 2023" in c and "horizon 90 days" in c
    assert "households × 6" in c and "a partner ending that day still serves" in c


def test_scenario_builders(ds):
    sc = exit_scenario(prepare(ds), ["IRC", "NRC"], dt.date(2024, 5, 1))
    fig = P.scenario_figure(sc)
    assert list(fig.data[0].y) == ["Civil documentation"] and fig.data[0].x[0] == 18882
    figs = {k.label: k.value for k in T.scenario_figures(sc, ds)}
    assert figs == {"Services that turn lost (site × service)": 28, "Sites affected": 28,
                    "People at those sites": 18882}
    t = T.scenario_table(sc)
    assert set(t["state_after"]) == {COVERAGE_STATE_LABELS["lost"]}
    empty = exit_scenario(prepare(ds), ["SSORD"], dt.date(2024, 1, 1))  # UNICEF and NRC still teach in Bzebiz
    assert empty.cells.empty and P.scenario_figure(empty).layout.title.text == "No cell turns lost in this scenario"


def test_partner_names_and_date_bounds(ds):
    names = T.partner_names(ds)
    assert names[0] == "Baghdad Women Association" and "Mercy Corps" in names and len(names) == 14
    lo, hi = date_bounds(ds)
    assert lo < dt.date(2023, 1, 1) and hi > dt.date(2024, 12, 31)

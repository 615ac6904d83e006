"""Figure builders of the Gaps page (heatmap, people without a service, timeline, scenario),
inspected without Streamlit."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from dsdash.coverage import plots as P
from dsdash.coverage import tables as T
from dsdash.coverage.engine import STATE_ORDER, prepare
from dsdash.filters import Filters
from dsdash.schema import COLOURS, COVERAGE_STATE_LABELS

D = dt.date(2023, 12, 10)


def test_heatmap_one_colour_per_state_sites_by_people_affected(cov):
    fig = P.heatmap_figure(cov)
    hm = fig.data[0]
    assert hm.type == "heatmap" and len(hm.y) == 28 and len(hm.x) == 14
    # the largest site with a lost service comes first: Kilo 7 (3,300)
    assert hm.y[0] == "7 Killo-al-mojamaa al-sakany (3,300)"
    # colours: state k sits at the centre of band k of the scale (zmin -0.5, zmax n - 0.5), in its schema colour
    n = len(STATE_ORDER)
    assert (hm.zmin, hm.zmax) == (-0.5, n - 0.5)
    scale = [tuple(c) for c in hm.colorscale]
    for k, s in enumerate(STATE_ORDER):
        assert scale[2 * k] == (pytest.approx(k / n), COLOURS[s]) and scale[2 * k + 1] == (pytest.approx((k + 1) / n), COLOURS[s])
    assert list(hm.colorbar.ticktext) == [COVERAGE_STATE_LABELS[s] for s in STATE_ORDER]
    # a cell: Kilo 9 water is lost; the hover lists who left and when
    i = next(k for k, y in enumerate(hm.y) if y.startswith("9 Kilo"))
    j = list(hm.x).index("Water")
    assert hm.z[i][j] == STATE_ORDER.index("lost")
    assert hm.customdata[i][j][3] == "Mercy Corps (to 30 Sep 2023); UNICEF (to 31 Jan 2023)"
    assert hm.customdata[i][j][5].startswith("high: ")
    k18 = next(k for k, y in enumerate(hm.y) if y.startswith("Kilo 18"))
    assert hm.customdata[k18][j][1] == "Directorate of Water Resources (ongoing)"
    assert "Providers" in hm.hovertemplate and "Next end" in hm.hovertemplate


def test_heatmap_limits_rows_and_escapes_names(ds):
    sites = ds.sites.copy()
    sites.loc[sites["site_id"] == "ANB-27", "site_name"] = '<a href="http://x">9 Kilo</a>'
    m = prepare(ds.with_tables(sites=sites)).on(D)
    fig = P.heatmap_figure(m, max_sites=5)
    assert len(fig.data[0].y) == 5 and "of 28" in fig.layout.title.text
    full = P.heatmap_figure(m)
    assert any(y.startswith('&lt;a href="http://x"&gt;9 Kilo&lt;/a&gt;') for y in full.data[0].y)
    assert not any("<a" in y for y in full.data[0].y)


def test_heatmap_keeps_same_named_sites_apart(ds):
    sites = ds.sites.copy()
    sites.loc[sites["site_id"].isin(["ANB-04", "ANB-27"]), "site_name"] = "Hay Al Askari"  # both 384 people
    fig = P.heatmap_figure(prepare(ds.with_tables(sites=sites)).on(D))
    y = list(fig.data[0].y)
    assert len(set(y)) == 28
    assert "Hay Al Askari · ANB-04 (384)" in y and "Hay Al Askari · ANB-27 (384)" in y


def test_people_without_bar_adds_up(cov):
    fig = P.people_without_figure(cov)
    shown = ("lost", "end_unconfirmed", "never_served", "handed_over", "at_risk")
    assert [t.name for t in fig.data] == [COVERAGE_STATE_LABELS[s] for s in shown]
    assert [t.marker.color for t in fig.data] == [COLOURS[s] for s in shown]
    water = {t.name: dict(zip(t.y, t.x))["Water"] for t in fig.data}
    assert water[COVERAGE_STATE_LABELS["lost"]] == 8520
    assert water[COVERAGE_STATE_LABELS["handed_over"]] == 18882 - 8520
    # each service's stack is at most everybody
    totals = np.sum([np.asarray(t.x) for t in fig.data], axis=0)
    assert totals.max() <= 18882


def test_timeline_colours_by_partner_type_and_marks_the_date(ds):
    fig = P.timeline_figure(T.timeline_table(prepare(ds), D), D)
    names = {t.name for t in fig.data}
    assert names == {"UN", "INGO", "NNGO", "government"}
    for t in fig.data:
        assert t.marker.color == COLOURS[t.name]
    assert fig.layout.shapes[0].x0 == pd.Timestamp(D)
    assert fig.layout.annotations[0].text == "as of 10 Dec 2023"
    tl = T.timeline_table(prepare(ds), D)
    assert tl.left_out == 2  # IOM shelter rows "ended" with no date
    t = tl.table
    drc = t[(t["partner"] == "DRC") & (t["service"] == "water") & (t["area"] == "site group Bzebiz")].iloc[0]
    assert drc["end"] == pd.Timestamp("2023-11-01") and drc["n_sites"] == 15 and not drc["start_known"]
    unhcr = t[(t["partner"] == "UNHCR") & (t["service"] == "protection_legal")].iloc[0]
    assert not unhcr["end_known"] and unhcr["end"] > pd.Timestamp(D)


def test_timeline_keeps_the_rows_covering_most_sites(ds):
    fig = P.timeline_figure(T.timeline_table(prepare(ds), D), D, max_rows=3)
    labels = {y for t in fig.data for y in t.y}
    assert len(labels) == 3 and "of 33" in fig.layout.title.text
    # governorate-wide rows cover all 28 sites: they stay
    assert all(("UNHCR" in y or "UNICEF" in y or "IOM" in y or "IRC" in y or "NRC" in y) for y in labels)


def test_builders_survive_an_empty_selection(ds):
    c = prepare(ds, Filters(site_group=("Nowhere",))).on(D)
    assert c.matrix.empty
    assert P.heatmap_figure(c).layout.title.text.startswith("No sites")
    assert P.people_without_figure(c).layout.title.text.startswith("No sites")
    assert T.handover_table(ds, c).empty and T.unmatched_table(c).empty



def test_heatmap_switches_to_adequacy(ds):
    cov = prepare(ds).on(dt.date(2024, 5, 15))
    fig = P.heatmap_figure(cov, lens="adequacy")
    hm = fig.data[0]
    assert list(hm.colorbar.ticktext) == ["Not covered", "Partially covered", "Covered"]
    assert fig.layout.title.text.startswith("Adequacy of coverage on 15 May 2024")
    services = list(hm.x)
    civ = services.index("Civil documentation")
    assert {row[civ] for row in hm.z} == {0.0}  # nobody serves civil documentation: not covered


def test_the_timeline_says_why_each_row_is_left_out(ds):
    """The caption counted every row left out as 'ended on a date the source does not give'; a row
    planned with no start, or starting after its end, is left out for its own reason."""
    from dsdash.i18n import language

    assert T.timeline_table(prepare(ds), D).left_out_text() == (
        "2 rows left out: 2 ended on a date the source does not give")
    pres = ds.presence.copy()
    irc = pres.index[pres["partner"] == "IRC"]
    pres.loc[irc[0], ["status", "start_date", "end_date"]] = ["planned", pd.NaT, pd.NaT]
    pres.loc[irc[1], ["start_date", "end_date"]] = [pd.Timestamp("2024-06-01"), pd.Timestamp("2024-01-31")]
    tl = T.timeline_table(prepare(ds.with_tables(presence=pres)), D)
    assert tl.left_out == 4 and dict(tl.left_out_by) == {"undated": 2, "unstarted": 1, "inverted": 1}
    assert tl.left_out_text() == ("4 rows left out: 2 ended on a date the source does not give; 1 planned with no "
                                  "start date; 1 starting after their end")
    assert set(tl.table["partner"]) == set(T.timeline_table(prepare(ds), D).table["partner"]) - {"IRC"}
    with language("ar"):
        assert tl.left_out_text() == ("4 صفوف مستبعدة: 2 انتهى في تاريخ لا يذكره المصدر؛ 1 مخطَّط بلا تاريخ بدء؛ "
                                      "1 يبدأ بعد نهايته")  # each agreeing with صف (fixer W1)


def test_the_sources_line_joins_its_documents_in_the_readers_way(ds):
    """Two documents under a figure: '; ' in English, '؛ ' in Arabic, each set apart (it was one isolate
    joined with an English ';', review walk B1)."""
    from dsdash.i18n import language

    pres = ds.presence.copy()
    pres.loc[pres.index[0], "source"] = "anbar_4w.csv, row 2"
    two = ds.with_tables(presence=pres)
    en = T.sources_text(two)
    assert en.startswith("Source: ") and "; " in en and "\u2068" not in en
    assert en == ("Source: uploaded file 'anbar_4w.csv'; DSTWG monthly meeting, 13 December 2023, 'Anbar Informal "
                  "IDP Sites' (IOM DTM figures of 10 December 2023)")
    with language("ar"):
        ar = T.sources_text(two)
    assert ar == ("المصدر: \u2068ملف مرفوع '\u2068anbar_4w.csv\u2069'\u2069؛ \u2068DSTWG monthly meeting, 13 December "
                  "2023, 'Anbar Informal IDP Sites' (IOM DTM figures of 10 December 2023)\u2069")

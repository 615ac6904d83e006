"""The deck's national trend: a real date axis (each round at its date) and the dashed marker
of the round-117 method change, placed at its date."""

import io

import pandas as pd
from pptx import Presentation
from pptx.oxml.ns import qn

from dsdash.deck.build import render_deck
from dsdash.deck.content import deck_content
from dsdash.deck.draw import PLOT_INNER, excel_day


def test_trend_chart_has_a_date_axis_and_the_round_117_marker(ds):
    c = deck_content(ds, with_map=False)
    prs = Presentation(io.BytesIO(render_deck(c)))
    slide = next(s for s in prs.slides if s.shapes.title is not None
                 and s.shapes.title.text.startswith("IDPs and returnees in Iraq"))
    frame = next(sh for sh in slide.shapes if sh.has_chart)
    ax = frame.chart._chartSpace.find(".//" + qn("c:dateAx"))
    assert ax is not None and frame.chart._chartSpace.find(".//" + qn("c:catAx")) is None
    first, last = c.national["reference_date"].iloc[0], c.national["reference_date"].iloc[-1]
    scaling = ax.find(qn("c:scaling"))
    assert scaling.find(qn("c:min")).get("val") == str(excel_day(first)) == str(excel_day("2014-04-01"))
    assert scaling.find(qn("c:max")).get("val") == str(excel_day(last)) == str(excel_day("2024-04-30"))
    assert ax.find(qn("c:baseTimeUnit")).get("val") == "days"
    assert excel_day("2020-08-31") == 44074  # spreadsheet day numbers, as the chart counts
    # the marker: a vertical line at 31 Aug 2020 (round 117), labelled
    line = next(sh for sh in slide.shapes if sh.name == "date marker")
    label = next(sh for sh in slide.shapes if sh.name == "date marker label")
    assert label.text_frame.text == "Round 117 (Aug 2020): × 5 per household in camps"
    assert line.width == 0 and line.height > 0
    x0, _, w, _ = PLOT_INNER
    frac = (excel_day("2020-08-31") - excel_day(first)) / (excel_day(last) - excel_day(first))
    assert abs(line.left - (frame.left + frame.width * (x0 + w * frac))) <= 1
    assert 0.6 < frac < 0.7  # Aug 2020 lies about two thirds along Apr 2014 – Apr 2024
    row = c.national[c.national["dtm_round"] == 117].iloc[0]
    assert pd.Timestamp(row["reference_date"]) == pd.Timestamp("2020-08-31")

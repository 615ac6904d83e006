"""The pages' charts in Arabic (issue 18): titles, axis names, legends and hovers from the catalog,
the y axes, title, legend and source line on the right; the same numbers as in English; English
unchanged."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from dsdash.coverage import plots as P
from dsdash.coverage.engine import prepare
from dsdash.filters import Filters
from dsdash.i18n import language
from dsdash.trends import fvm, hotspots, index, national, rounds

ARABIC = re.compile("[\u0600-\u06ff]")
D = dt.date(2023, 12, 10)


def figures(ds):
    cov = prepare(ds, Filters()).on(D, 90)
    return {
        "national": national.national_trend_figure(ds),
        "return index": index.index_severity_figure(ds, "return_index"),
        "funnel": fvm.fvm_funnel_figure(ds),
        "fvm periods": fvm.fvm_period_figure(ds),
        "hotspots": hotspots.hotspot_figure(ds),
        "rounds": rounds.admin_trend_figure(ds, "admin1", "idp"),
        "heatmap": P.heatmap_figure(cov),
        "people without": P.people_without_figure(cov),
    }


@pytest.fixture(scope="module")
def both(ds):
    english = figures(ds)
    with language("ar"):
        arabic = figures(ds)
    return english, arabic


def title(fig) -> str:
    t = fig.layout.title
    return (t.text if t is not None else "") or ""


def test_titles_axes_legends_and_hovers_are_arabic(both):
    english, arabic = both
    for name, fig in arabic.items():
        assert ARABIC.search(title(fig)), name
        assert not ARABIC.search(title(english[name])), name
        for en, ar in zip(english[name].data, fig.data):
            words = re.sub(r"%\{[^}]*\}|<[^>]*>", "", en.hovertemplate or "")
            if re.search("[A-Za-z]{3,}", words):  # the English hover has words: the Arabic one has them in Arabic
                assert ARABIC.search(ar.hovertemplate), (name, ar.hovertemplate)
    nat = arabic["national"]
    assert nat.layout.yaxis.title.text == "الأفراد"
    assert [t.name for t in nat.data] == ["النازحون", "العائدون"]
    assert "الجولة" in nat.data[0].hovertemplate and "%{y:,}" in nat.data[0].hovertemplate
    assert arabic["funnel"].data[0].y[0] == "المسجَّلون في مكاتب المساعدة"
    assert ARABIC.search(arabic["people without"].layout.xaxis.title.text)
    # data names: the governorates' COD-AB Arabic names in Arabic, the data's own in English
    assert "الانبار" in [a.text for a in arabic["rounds"].layout.annotations]
    assert "Al-Anbar" in [a.text for a in english["rounds"].layout.annotations]


def test_right_to_left_sides(both):
    english, arabic = both
    for name in ("national", "return index", "funnel", "rounds"):
        fig, en = arabic[name], english[name]
        assert fig.layout.yaxis.side == "right" and en.layout.yaxis.side in (None, "left"), name
        assert fig.layout.title.xanchor == "right" and en.layout.title.xanchor == "left", name
        assert fig.layout.legend.xanchor == "right", name
        source = fig.layout.annotations[-1]
        assert (source.xanchor, source.align) == ("right", "right"), name
        assert fig.layout.margin.r == en.layout.margin.l and fig.layout.margin.l == en.layout.margin.r
    # horizontal bars grow from their names on the right
    assert list(arabic["funnel"].layout.xaxis.range) == list(english["funnel"].layout.xaxis.range)[::-1]
    assert arabic["people without"].layout.xaxis.autorange == "reversed"


def test_the_numbers_are_the_same_in_both_languages(both):
    import numpy as np

    english, arabic = both
    for name in english:
        assert len(english[name].data) == len(arabic[name].data), name
        for en, ar in zip(english[name].data, arabic[name].data):
            if en.type == "heatmap":
                assert np.array_equal(np.asarray(en.z, dtype=float), np.asarray(ar.z, dtype=float), equal_nan=True)
            else:
                values = "x" if getattr(en, "orientation", None) == "h" else "y"
                assert list(getattr(en, values)) == list(getattr(ar, values)), name


def test_captions_in_arabic(ds):
    with language("ar"):
        caps = [national.national_caption(ds), index.index_caption(ds, "return_index"),
                fvm.fvm_funnel_caption(ds), fvm.fvm_period_caption(ds), rounds.admin_caption(ds)]
    for c in caps:
        assert c.startswith("المصدر"), c
    assert "كانون الأول 2023" in caps[-1]  # the Master List's date, Iraqi month names
    assert national.national_caption(ds).startswith("Source: IOM DTM, Iraq national series (")  # English unchanged


def test_the_hotspot_rule_says_why_in_arabic_and_decides_the_same():
    import pandas as pd

    rows = pd.DataFrame({"admin3_name": ["A", "B", "C"], "livelihoods_severity": ["medium", "high", "low"],
                         "safety_severity": ["low", None, "low"], "returnees": [59_999, 5, 100_000]})
    english = hotspots.apply_hotspot_rule(rows)
    with language("ar"):
        arabic = hotspots.apply_hotspot_rule(rows)
    assert list(arabic["admin3_name"]) == list(english["admin3_name"]) == ["B", "C", "A"]  # hotspots, then returnees
    assert list(arabic["hotspot"]) == list(english["hotspot"]) == [True, False, False]
    assert list(arabic["hotspot_reason"]) == ["شدة عالية على مقياس سبل العيش والخدمات الأساسية",
                                              "ليست منطقة ساخنة: شدة منخفضة",
                                              "ليست منطقة ساخنة: شدة متوسطة، والعائدون 59,999 (أقل من 60,000)"]

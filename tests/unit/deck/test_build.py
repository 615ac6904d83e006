"""The meeting deck, read back with python-pptx: slides, titles, native chart types, and
chart/table values equal to what dsdash computes for the same filters and date."""

import datetime as dt
import io
import shutil
import subprocess

import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_SHAPE_TYPE

from dsdash.coverage.engine import coverage_matrix, prepare
from dsdash.coverage.exits import upcoming_exits
from dsdash.coverage.summary import people_without_service
from dsdash.deck.build import build_deck, deck_outline, render_deck
from dsdash.deck.content import GAP_STATES, deck_content
from dsdash.deck.slides import SLIDE_TITLES
from dsdash.filters import Filters
from dsdash.schema import COLOURS, SERVICE_LABELS
from dsdash.trends.fvm import fvm_funnel
from dsdash.trends.index import index_table
from dsdash.trends.national import national_series_table

# the seed holds one round: no "What changed" slide (tests/unit/deck/test_changes_slide.py)
TITLES = ["DSTWG meeting pack", *[t for t in SLIDE_TITLES.values() if t and t != SLIDE_TITLES["changes"]]]


@pytest.fixture(scope="module")
def deck(ds):
    return Presentation(io.BytesIO(build_deck(ds)))


def slide(prs, title):
    for s in prs.slides:
        if s.shapes.title is not None and s.shapes.title.text == title:
            return s
    raise AssertionError(f"no slide titled {title!r}")


def charts(s):
    return [sh.chart for sh in s.shapes if sh.has_chart]


def tables(s):
    return [sh.table for sh in s.shapes if sh.has_table]


def table_rows(t):
    return [[t.cell(i, j).text for j in range(len(t.columns))] for i in range(len(t.rows))]


def all_text(s):
    out = []
    for sh in s.shapes:
        if sh.has_text_frame:
            out.append(sh.text_frame.text)
        if sh.has_table:
            out += [c for row in table_rows(sh.table) for c in row]
    return "\n".join(out)


def test_slides_and_titles(deck):
    assert [s.shapes.title.text for s in deck.slides] == TITLES
    assert len(deck.slides) == 11  # the seed: every slide but "What changed"
    assert deck.slide_width / deck.slide_height == pytest.approx(16 / 9, rel=0.01)


def test_title_slide_names_forum_date_and_area(ds):
    prs = Presentation(io.BytesIO(build_deck(ds, forum="RWG", area="West Anbar", as_of=dt.date(2024, 3, 1))))
    text = all_text(prs.slides[0])
    assert prs.slides[0].shapes.title.text == "RWG meeting pack"
    assert "Returns Working Group" in text and "West Anbar" in text and "1 March 2024" in text
    assert "coordination area: West Anbar" in text  # the filters as applied


def test_key_figures_with_change_and_sources(deck):
    text = all_text(slide(deck, "Key figures"))
    for s in ("28", "3,147", "18,882", "1,098,913", "-24,750 since round 131", "4,871,916", "12 %",
              "households × 6", "round 132", "DSTWG monthly meeting, 13 December 2023"):
        assert s in text, s


def test_national_trend_is_a_native_line_chart_with_dsdash_values(ds, deck):
    (chart,) = charts(slide(deck, SLIDE_TITLES["national"]))
    assert chart.chart_type in (XL_CHART_TYPE.LINE, XL_CHART_TYPE.LINE_MARKERS)
    t = national_series_table(ds)
    idp, ret = chart.plots[0].series
    assert len(idp.values) == len(t)
    assert idp.values[-1] == 1_098_913 and ret.values[-1] == 4_871_916
    expect = [None if pd.isna(v) else int(v) for v in t["idp"]]
    assert list(idp.values) == expect
    assert [None if pd.isna(v) else int(v) for v in t["returnee"]] == list(ret.values)
    assert sum(v is None for v in ret.values) > 0  # unpublished rounds are gaps, never zeros
    assert str(idp.format.line.color.rgb) == COLOURS["idp"].lstrip("#").upper()


def test_index_severity_is_a_native_chart_with_dsdash_values(ds, deck):
    (chart,) = charts(slide(deck, SLIDE_TITLES["index"]))
    assert chart.chart_type == XL_CHART_TYPE.LINE_MARKERS
    ret, disp = chart.plots[0].series
    for series, idx in ((ret, "return_index"), (disp, "displacement_index")):
        t = index_table(ds, idx, gaps=False)
        shares = [float(v) for v in t["share_severe"].dropna()]
        assert [v for v in series.values if v is not None] == shares
    assert [v for v in ret.values if v is not None][-1] == 12
    assert [v for v in disp.values if v is not None] == [6, 5]


def test_fvm_funnel_is_a_native_bar_chart_with_dsdash_values(ds, deck):
    (chart,) = charts(slide(deck, SLIDE_TITLES["fvm"]))
    assert chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    f = fvm_funnel(ds)
    assert list(chart.plots[0].categories) == list(f["stage"])
    assert list(chart.plots[0].series[0].values) == [int(v) for v in f["households"]]
    assert chart.plots[0].series[0].values[0] == 8_598  # registered at help desks, seed 004


def test_map_is_an_image(deck):
    pics = [sh for sh in slide(deck, SLIDE_TITLES["map"]).shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pics) == 1 and pics[0].image.content_type == "image/png"
    assert pics[0].left + pics[0].width <= 13.34 * 914400 and pics[0].top + pics[0].height <= 7.0 * 914400


def _gap_numbers(t):
    rows = table_rows(t)[1:]
    return {r[0]: [int(x.replace(",", "")) for x in r[1:]] for r in rows}


def test_gap_table_equals_coverage_people_without_service(ds, deck):
    (t,) = tables(slide(deck, SLIDE_TITLES["gaps"]))
    header = table_rows(t)[0]
    assert header[0] == "Service" and header[-1] == "Without assured service"
    got = _gap_numbers(t)
    pws = people_without_service(coverage_matrix(ds, ds.latest_date())).set_index("service")
    assert len(got) == 14
    for service, nums in got.items():
        key = {v: k for k, v in SERVICE_LABELS.items()}[service]
        n = len(GAP_STATES)
        assert nums[:n] == [int(pws.at[key, s]) for s in GAP_STATES]
        assert nums[n] == int(pws.at[key, "without_any"]) and nums[n + 1] == int(pws.at[key, "without_assured"])
        assert sum(nums[:n]) == 18_882  # the seven states partition every site's people
    assert got["Water"][-1] == 18_882


def test_gap_table_is_coloured_by_state(deck):
    (t,) = tables(slide(deck, SLIDE_TITLES["gaps"]))
    for j, state in enumerate(GAP_STATES, start=1):
        assert str(t.cell(0, j).fill.fore_color.rgb) == COLOURS[state].lstrip("#").upper()
    water = [i for i in range(1, len(t.rows)) if t.cell(i, 0).text == "Water"][0]
    lost_fill = str(t.cell(water, 1).fill.fore_color.rgb)
    assert lost_fill != "FFFFFF"  # 8,520 people lost water: the cell is tinted red
    served_col = 1 + GAP_STATES.index("served")
    assert str(t.cell(water, served_col).fill.fore_color.rgb) in ("FFFFFF", "F3F3F3")  # nobody served: not tinted


def test_exits_table_equals_upcoming_exits(ds, deck):
    (t,) = tables(slide(deck, SLIDE_TITLES["exits"]))
    rows = table_rows(t)[1:]
    e = upcoming_exits(prepare(ds), ds.latest_date(), horizon_days=90)
    assert [r[0] for r in rows] == list(e["partner"]) == ["Dary", "UIMS"]
    assert rows[0][3] == "31 Dec 2023" and rows[0][6] == "15,942"


def test_sources_slide_lists_every_source(deck):
    text = all_text(slide(deck, SLIDE_TITLES["sources"]))
    for s in ("DSTWG monthly meeting, 13 December 2023, 'Anbar Informal IDP Sites'",
              "IOM, 'Supporting durable solutions to displacement: facilitated voluntary movements', 18 May 2023",
              "Returns Working Group Iraq, meeting minutes, 25 February 2025",
              "IOM DTM Master List Report, rounds 117, 118, 122–126", "IOM DTM Return Index, rounds 1–4, 6–16",
              "households × 6", "Displacement Tracking Matrix"):
        assert s in text, s


def test_filters_and_area_carry_into_the_deck(ds):
    f = Filters(services=("water", "health"))
    prs = Presentation(io.BytesIO(build_deck(ds, filters=f, area="Rutba")))
    figs = all_text(slide(prs, "Key figures"))
    assert "6" in figs and "1,944" in figs  # Rutba's six sites
    (t,) = tables(slide(prs, SLIDE_TITLES["gaps"]))
    got = _gap_numbers(t)
    assert list(got) == ["Water", "Health"]
    rutba = Filters(site_group=("Rutba",), services=("water", "health"))
    pws = people_without_service(coverage_matrix(ds, ds.latest_date(), filters=rutba)).set_index("service")
    assert got["Water"][-1] == int(pws.at["water", "without_assured"])
    assert got["Health"][-1] == int(pws.at["health", "without_assured"])
    assert sum(got["Water"][:5]) == 1_944
    assert "site group: Rutba" in all_text(prs.slides[1])  # footer on every slide


def test_as_of_date_carries_into_coverage_and_exits(ds):
    d = dt.date(2024, 3, 1)
    c = deck_content(ds, as_of=d, horizon_days=90, with_map=False)
    pws = people_without_service(coverage_matrix(ds, d, horizon_days=90)).set_index("service")
    assert c.gaps.set_index("service")["without_assured"].to_dict() == pws["without_assured"].astype(int).to_dict()
    assert set(c.exits["partner"]) >= {"IRC", "NRC"}  # both end 30 Apr 2024, within 90 days of 1 Mar 2024
    prs = Presentation(io.BytesIO(render_deck(c)))
    assert "as of 01 Mar 2024" in all_text(prs.slides[2])


def test_outline_previews_every_slide(ds):
    c = deck_content(ds, with_map=False)
    outline = deck_outline(c)
    assert [t for t, _ in outline] == TITLES
    national = dict(outline)[SLIDE_TITLES["national"]]
    assert any("1,098,913" in line for line in national)
    assert c.map_png is None


def test_untrusted_names_and_control_characters_do_not_break_the_deck(ds):
    pres = ds.presence.copy()
    pres["partner"] = pres["partner"].replace({"Dary": "=cmd|' /C calc'!A0\x07 <b>Dary</b>"})
    prs = Presentation(io.BytesIO(build_deck(ds.with_tables(presence=pres), forum="JCF\x00")))
    rows = table_rows(tables(slide(prs, SLIDE_TITLES["exits"]))[0])
    assert rows[1][0] == "=cmd|' /C calc'!A0\ufffd <b>Dary</b>"  # shown as text, never markup
    assert prs.slides[0].shapes.title.text == "JCF\ufffd meeting pack"


def test_empty_selection_still_builds(ds):
    empty = ds.with_tables(national_series=ds.national_series.iloc[0:0], index_rounds=ds.index_rounds.iloc[0:0],
                           fvm=ds.fvm.iloc[0:0])
    prs = Presentation(io.BytesIO(build_deck(empty, filters=Filters(site_type=("camp",)))))
    assert len(prs.slides) == 10
    assert "No national series" in all_text(slide(prs, SLIDE_TITLES["national"]))


@pytest.mark.skipif(shutil.which("libreoffice") is None or shutil.which("pdftoppm") is None,
                    reason="libreoffice/pdftoppm not on PATH (CI does not install them)")
def test_libreoffice_renders_every_slide(ds, tmp_path):
    pptx = tmp_path / "deck.pptx"
    pptx.write_bytes(build_deck(ds))
    subprocess.run(["libreoffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(pptx)], check=True, capture_output=True, timeout=240)
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(tmp_path / "deck.pdf"), str(tmp_path / "p")], check=True,
                   timeout=120)
    pngs = sorted(tmp_path.glob("p-*.png"))
    assert len(pngs) == len(Presentation(io.BytesIO(pptx.read_bytes())).slides) == 11
    assert all(p.stat().st_size > 2_000 for p in pngs)


def test_many_long_exits_are_cut_to_fit_the_slide(ds):
    p = ds.presence
    extra = p.iloc[[0] * 20].copy().reset_index(drop=True)
    extra["partner"] = [f"Very Long Partner Organisation Name Number {i} for Durable Solutions" for i in range(20)]
    extra["partner_type"], extra["scope"], extra["scope_id"], extra["service"] = "NNGO", "governorate", "IQG01", "water"
    extra["status"] = "scheduled_end"
    extra["start_date"] = pd.Timestamp("2023-01-01")
    extra["end_date"] = [pd.Timestamp("2024-01-15") + pd.Timedelta(days=i) for i in range(20)]
    pres = pd.concat([p, extra.astype(p.dtypes.to_dict())], ignore_index=True)
    prs = Presentation(io.BytesIO(build_deck(ds.with_tables(presence=pres))))
    s = slide(prs, SLIDE_TITLES["exits"])
    (t,) = tables(s)
    shown = len(t.rows) - 1
    assert 4 <= shown < 22
    assert f"… and {22 - shown} more exit(s)" in all_text(s)


def test_charts_carry_their_data_workbook_so_they_stay_editable(deck):
    for title in (SLIDE_TITLES["national"], SLIDE_TITLES["index"], SLIDE_TITLES["fvm"]):
        (chart,) = charts(slide(deck, title))
        wb = chart.part.chart_workbook.xlsx_part
        assert wb is not None and len(wb.blob) > 1_000  # PowerPoint's "Edit Data" opens this workbook


def test_many_sources_continue_on_another_slide_and_none_is_dropped(ds):
    pres = ds.presence.copy()
    pres["source"] = [f"partner report {i:03d}: 4W upload of {'a long file name ' * 4}" for i in range(len(pres))]
    prs = Presentation(io.BytesIO(build_deck(ds.with_tables(presence=pres))))
    titles = [s.shapes.title.text for s in prs.slides]
    first = titles.index("Sources and methods")
    assert titles[first + 1] == "Sources and methods (continued)" and first == len(titles) - 2
    text = "\n".join(all_text(s) for s in list(prs.slides)[first:])
    assert all(f"partner report {i:03d}" in text for i in range(len(pres)))


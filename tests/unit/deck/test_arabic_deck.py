"""The meeting deck in Arabic (issue 18), read back with python-pptx: Arabic slide titles,
right-to-left right-aligned paragraphs with an Arabic (complex-script) font, tables and native
charts read from the right with Arabic series and category names, and the same figures as the
English deck; rendered by LibreOffice when it is installed."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn

from dsdash.__main__ import main
from dsdash.deck.build import build_deck
from dsdash.deck.rtl import COMPLEX_FONT, RLM
from dsdash.deck.slides import SLIDES
from dsdash.i18n import _, language

ARABIC = re.compile("[\u0600-\u06ff]")


@pytest.fixture(scope="module")
def decks(ds):
    english = Presentation(io.BytesIO(build_deck(ds)))
    with language("ar"):
        arabic_bytes = build_deck(ds)
        titles = [_(s.TITLE) for s in SLIDES if s.TITLE]
    return english, Presentation(io.BytesIO(arabic_bytes)), arabic_bytes, titles


def title_of(slide) -> str:
    return slide.shapes.title.text if slide.shapes.title is not None else ""


def charts(prs):
    return [sh.chart for s in prs.slides for sh in s.shapes if sh.has_chart]


def tables(prs):
    return [sh.table for s in prs.slides for sh in s.shapes if sh.has_table]


def test_every_slide_title_is_arabic(decks):
    english, arabic, _bytes, titles = decks
    got = [title_of(s) for s in arabic.slides]
    assert len(got) == len(english.slides) == 11
    assert got[0] == "حزمة اجتماع DSTWG"
    assert all(ARABIC.search(t) for t in got), got
    assert set(got[1:]) <= set(titles)
    assert "الأرقام الرئيسية" in got and "مصفوفة الفجوات: الأشخاص حسب الخدمة وحالة التغطية" in got
    # the English deck is untouched by the Arabic one
    assert title_of(english.slides[0]) == "DSTWG meeting pack"


def test_arabic_paragraphs_are_right_to_left_and_right_aligned_with_an_arabic_font(decks):
    _en, arabic, _bytes, _t = decks
    n_arabic = 0
    for slide in arabic.slides:
        for p in slide._element.iter(qn("a:p")):
            text = "".join(t.text or "" for t in p.iter(qn("a:t")))
            if not ARABIC.search(text):
                continue
            n_arabic += 1
            ppr = p.find(qn("a:pPr"))
            assert ppr.get("rtl") == "1", text
            assert ppr.get("algn") in ("r", "ctr"), text
            for r in p.iter(qn("a:r")):
                rpr = r.find(qn("a:rPr"))
                assert rpr.get("lang") == "ar-IQ"
                assert rpr.find(qn("a:cs")).get("typeface") == COMPLEX_FONT
    assert n_arabic > 100
    # the slide titles themselves
    for slide in list(arabic.slides)[1:]:
        ppr = slide.shapes.title.text_frame.paragraphs[0]._p.find(qn("a:pPr"))
        assert (ppr.get("rtl"), ppr.get("algn")) == ("1", "r")


def test_shapes_are_mirrored_title_on_the_right(decks):
    english, arabic, _bytes, _t = decks
    width = int(arabic.slide_width)
    for en, ar in zip(list(english.slides)[1:], list(arabic.slides)[1:]):
        t_en, t_ar = en.shapes.title, ar.shapes.title
        assert t_ar.left == width - t_en.left - t_en.width
        assert t_ar.width == t_en.width


def test_native_charts_have_arabic_series_and_categories_and_read_from_the_right(decks):
    english, arabic, _bytes, _t = decks
    ch_en, ch_ar = charts(english), charts(arabic)
    assert len(ch_ar) == len(ch_en) == 3  # national trend, index severity, FVM funnel
    for c in ch_ar:
        assert all(ARABIC.search(s.name) for s in c.plots[0].series)
        assert ARABIC.search(c.chart_title.text_frame.text)
    national, index, fvm = ch_ar
    # categories: Arabic month names of the index rounds, Arabic FVM stages
    assert all(ARABIC.search(str(cat)) for cat in index.plots[0].categories)
    assert [str(x).rstrip(RLM) for x in fvm.plots[0].categories][:3] == [
        "المسجَّلون في مكاتب المساعدة", "العائدون أو المنقولون", "العائدون"]
    # right to left: time and categories run from the right (value axis on the right); bars grow leftwards
    assert national.category_axis.reverse_order and index.category_axis.reverse_order
    assert not ch_en[0].category_axis.reverse_order
    assert fvm.value_axis.reverse_order and not ch_en[2].value_axis.reverse_order
    assert fvm.category_axis.reverse_order  # first stage still on top, as in English


def test_the_arabic_deck_shows_the_figures_of_the_english_deck(decks):
    english, arabic, _bytes, _t = decks
    for en, ar in zip(charts(english), charts(arabic)):
        assert [list(s.values) for s in en.plots[0].series] == [list(s.values) for s in ar.plots[0].series]
        assert len(list(en.plots[0].categories)) == len(list(ar.plots[0].categories))
    t_en, t_ar = tables(english), tables(arabic)
    assert len(t_en) == len(t_ar) == 4  # gaps, who does what where, exits, follow-up
    numeric = re.compile(r"^[\d,]+$")
    for en, ar in zip(t_en, t_ar):
        rows_en = [[en.cell(i, j).text for j in range(len(en.columns))] for i in range(len(en.rows))]
        rows_ar = [[ar.cell(i, j).text for j in range(len(ar.columns))] for i in range(len(ar.rows))]
        assert len(rows_en) == len(rows_ar)
        for r_en, r_ar in zip(rows_en[1:], rows_ar[1:]):
            r_ar = r_ar[::-1]  # the Arabic table's first column is on the right
            nums_en = [v for v in r_en if numeric.match(v)]
            assert nums_en and nums_en == [v for v in r_ar if numeric.match(v)]
        assert ARABIC.search(rows_ar[0][-1])  # the first header (Service / Partner), in Arabic, on the right
    # the key figures
    figs_en = [sh.text_frame.text for sh in english.slides[1].shapes if sh.has_text_frame]
    figs_ar = [sh.text_frame.text for sh in arabic.slides[1].shapes if sh.has_text_frame]
    assert "18,882" in figs_en and "18,882" in figs_ar and "4,871,916" in figs_ar


def test_pack_lang_ar_writes_the_arabic_deck(tmp_path):
    out = tmp_path / "jcf.pptx"
    assert main(["--lang", "ar", "pack", "--out", str(out), "--forum", "JCF"]) == 0
    prs = Presentation(io.BytesIO(out.read_bytes()))
    first = "\n".join(sh.text_frame.text for sh in prs.slides[0].shapes if sh.has_text_frame)
    assert "حزمة اجتماع JCF" in first and "منتدى التنسيق المشترك" in first
    assert title_of(prs.slides[1]) == "الأرقام الرئيسية"


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
                    reason="LibreOffice (soffice) / pdftoppm not on PATH")
def test_libreoffice_renders_every_arabic_slide(decks, tmp_path):
    """Every slide renders (the images were looked at: shaped Arabic, right to left, nothing
    clipped); the Arabic text reaches the PDF as Arabic."""
    _en, arabic, data, _t = decks
    pptx = tmp_path / "ar.pptx"
    pptx.write_bytes(data)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(pptx)], check=True, capture_output=True, timeout=240)
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(tmp_path / "ar.pdf"), str(tmp_path / "p")], check=True,
                   timeout=120)
    pngs = sorted(tmp_path.glob("p-*.png"))
    assert len(pngs) == len(arabic.slides) == 11
    assert all(p.stat().st_size > 2_000 for p in pngs)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(tmp_path / "ar.pdf"), "-"], capture_output=True, text=True,
                              timeout=60).stdout
        assert re.search("[\u0600-\u06ff\ufe70-\ufeff]", text)  # Arabic letters (or their shaped forms)


def test_a_deferred_download_builds_the_deck_in_the_language_of_the_page(ds):
    """Streamlit runs a deferred download's callable on another thread, where the page's language
    is not set: deck_builder carries it."""
    import threading

    from dsdash.deck.build import deck_builder

    with language("ar"):
        build = deck_builder(ds, forum="RWG")
    out = {}
    worker = threading.Thread(target=lambda: out.update(data=build()))
    worker.start()
    worker.join()
    prs = Presentation(io.BytesIO(out["data"]))
    assert title_of(prs.slides[0]) == "حزمة اجتماع RWG"


def test_arabic_indic_digits_when_chosen(ds):
    """Western digits are the default; with Arabic-Indic digits chosen the text's digits follow
    (the charts keep their number formats)."""
    with language("ar", digits="arab"):
        prs = Presentation(io.BytesIO(build_deck(ds)))
    cards = "\n".join(sh.text_frame.text for sh in prs.slides[1].shapes if sh.has_text_frame)
    assert "١٨٬٨٨٢" in cards and "18,882" not in cards
    assert [list(s.values) for s in charts(prs)[2].plots[0].series][0][0] == 8598  # FVM: registered


def test_what_changed_in_arabic_names_sites_by_their_arabic_names(request):
    """Two Master List rounds (tests/unit/test_history.py): the Arabic slide's table gives a site its
    Arabic name where the data has one, the same numbers as in English."""
    from dsdash.deck.build import render_deck
    from dsdash.deck.content import deck_content

    new = request.getfixturevalue("new")
    sites = new.sites.copy()
    sites["site_name_ar"] = sites["site_name_ar"].astype("object") if "site_name_ar" in sites else None
    sites.loc[sites["site_name"] == "Hay Khadra Shuhada 5", "site_name_ar"] = "حي الخضراء شهداء 5"
    data = new.with_tables(sites=sites)
    with language("ar"):
        prs = Presentation(io.BytesIO(render_deck(deck_content(data, with_map=False))))
    s = next(s for s in prs.slides if title_of(s) == "ما الذي تغيّر")
    t = next(sh.table for sh in s.shapes if sh.has_table)
    rows = [[t.cell(i, j).text for j in range(len(t.columns))][::-1] for i in range(len(t.rows))]
    assert rows[0][:4] == ["الموقع", "المكان", "الفئة", "الحالة"]
    assert rows[1][0] == "حي الخضراء شهداء 5" and rows[1][3] == "فُتح"
    assert [r[6] for r in rows[1:]] == ["+30", "-180", "-60", "+30"]  # as in the English slide


from tests.unit.test_history import files, new, old  # noqa: E402,F401 - fixtures

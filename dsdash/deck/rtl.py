"""The deck right to left (issue 18): a drawn deck mirrored for a right-to-left language.

The slides are drawn once, the same way in every language (:mod:`dsdash.deck.slides`, their
words through :func:`dsdash.i18n._`); when the language is written right to left,
:func:`mirror_deck` turns the drawn presentation around:

- every shape moves to its mirror place (x → slide width − x − width): the titles, the text
  columns and the links start on the right;
- every paragraph is right to left and right-aligned (``<a:pPr algn="r" rtl="1">``; centred
  text stays centred; a paragraph with no right-to-left letter, a name or a source's words
  from the data or a signed number, keeps ``rtl="0"`` as ``dir="auto"`` would), every run carries the language (``lang="ar-IQ"``) and a complex-script
  font (``<a:cs typeface="…">``: :data:`COMPLEX_FONT`, which every Office and LibreOffice
  install can shape);
- tables read from the right: their columns are put in the mirror order (the first column on
  the right), so any renderer shows them so;
- native charts read from the right: a line or column chart's category (or date) axis runs
  right to left, its value axis on the right; a horizontal bar chart's bars grow to the left,
  their names on the right; a fixed plot area is mirrored; chart text is right to left, each
  right-to-left name closed by a right-to-left mark (:data:`RLM`) for renderers that lay chart
  text out left to right.
- with Arabic-Indic digits chosen (:func:`dsdash.i18n.digits`), the text's digits are written
  so (the charts' numbers keep the number formats of the chart).

The numbers are those of the left-to-right deck: nothing is recomputed.
"""

from __future__ import annotations

import re

from lxml import etree
from pptx.oxml.ns import qn

from dsdash.i18n import current, digits, local_digits

#: The complex-script (Arabic) font of the deck's text: Arial ships with every Windows,
#: macOS and Office install and shapes Arabic; LibreOffice substitutes a metric twin and
#: falls back to an installed Arabic face (Noto Sans Arabic here) for the letters.
COMPLEX_FONT = "Arial"
#: The language tag written on every run, per language code.
LANG_TAGS = {"ar": "ar-IQ", "ckb": "ckb-IQ"}

# children of a:rPr / a:defRPr / a:endParaRPr that come after a:cs (the schema's order)
_AFTER_CS = tuple(qn(t) for t in ("a:sym", "a:hlinkClick", "a:hlinkMouseOver", "a:rtl", "a:extLst"))
_BEFORE_P = tuple(qn(t) for t in ("a:r", "a:br", "a:fld", "a:endParaRPr"))
_RUN_PROPS = (qn("a:rPr"), qn("a:defRPr"), qn("a:endParaRPr"))
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")  # Hebrew, Arabic (Sorani too) letters
RLM = "\u200f"  # RIGHT-TO-LEFT MARK


def mirror_deck(prs) -> None:
    """Turn a drawn presentation right to left, in place (see the module's description)."""
    width = int(prs.slide_width)
    lang = LANG_TAGS.get(current(), current())
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.left is not None and shape.width is not None:
                shape.left = width - int(shape.left) - int(shape.width)
            if getattr(shape, "has_table", False) and shape.has_table:
                _mirror_table(shape._element)
            if getattr(shape, "has_chart", False) and shape.has_chart:
                _mirror_chart(shape.chart, lang)
        _rtl_text(slide._element, lang, align=True)


def _rtl_text(root, lang: str, *, align: bool) -> None:
    """Every paragraph under ``root`` right to left (and right-aligned unless centred, with
    ``align``), every run in ``lang`` with the complex-script font."""
    for p in root.iter(qn("a:p")):
        ppr = p.find(qn("a:pPr"))
        if ppr is None:
            ppr = etree.Element(qn("a:pPr"))
            p.insert(0, ppr)
        words = "".join(t.text or "" for t in p.iter(qn("a:t")))
        # like dir="auto": a paragraph with no right-to-left letter (an English name or a source's
        # words from the data, a number such as "+30") keeps its own direction, so its punctuation and
        # signs stay where they were written
        ppr.set("rtl", "1" if _RTL.search(words) or not words.strip() else "0")
        if align and ppr.get("algn") not in ("ctr", "just", "dist"):
            ppr.set("algn", "r")
        for r in p.iter(qn("a:r"), qn("a:fld")):
            if r.find(qn("a:rPr")) is None:
                r.insert(0, etree.Element(qn("a:rPr")))
        if p.find(qn("a:endParaRPr")) is None and next(p.iter(qn("a:r")), None) is None:
            p.append(etree.Element(qn("a:endParaRPr")))
    for tag in _RUN_PROPS:
        for rpr in root.iter(tag):
            _complex_script(rpr, lang)
    if digits() == "arab":
        for t in root.iter(qn("a:t")):
            if t.text:
                t.text = local_digits(t.text)


def _complex_script(rpr, lang: str) -> None:
    rpr.set("lang", lang)
    cs = rpr.find(qn("a:cs"))
    if cs is None:
        cs = etree.Element(qn("a:cs"))
        after = next((c for c in rpr if c.tag in _AFTER_CS), None)
        if after is None:
            rpr.append(cs)
        else:
            after.addprevious(cs)
    cs.set("typeface", COMPLEX_FONT)


def _mirror_table(frame) -> None:
    """The table's columns in mirror order (first column on the right)."""
    tbl = frame.find(".//" + qn("a:tbl"))
    if tbl is None:
        return
    grid = tbl.find(qn("a:tblGrid"))
    for parent, tag in [(grid, qn("a:gridCol"))] + [(tr, qn("a:tc")) for tr in tbl.iter(qn("a:tr"))]:
        cells = [c for c in parent if c.tag == tag]
        if not cells:
            continue
        anchor = cells[-1].getnext()
        for c in cells:
            parent.remove(c)
        for c in reversed(cells):
            if anchor is None:
                parent.append(c)
            else:
                anchor.addprevious(c)


def _mirror_chart(chart, lang: str) -> None:
    """A native chart read from the right: categories right to left (value axis on the
    right), or for horizontal bars, bars growing to the left (names on the right)."""
    space = chart._chartSpace
    horizontal = any(b.get("val") == "bar" for b in space.iter(qn("c:barDir")))
    if horizontal:
        chart.value_axis.reverse_order = not chart.value_axis.reverse_order
    else:
        chart.category_axis.reverse_order = not chart.category_axis.reverse_order
    ml = space.find(".//" + qn("c:plotArea") + "/" + qn("c:layout") + "/" + qn("c:manualLayout"))
    if ml is not None:
        x, w = ml.find(qn("c:x")), ml.find(qn("c:w"))
        if x is not None and w is not None:
            x.set("val", str(round(1 - float(x.get("val")) - float(w.get("val")), 6)))
    chart.font  # noqa: B018  (creates the chart-wide text properties the chart's text inherits)
    _rtl_text(space, lang, align=False)
    # Chart text is laid out left to right by some renderers (LibreOffice) whatever its paragraph
    # says: a right-to-left mark closing each right-to-left name keeps its closing punctuation
    # ("… (%)") at its left end; the mark is invisible.
    for v in list(space.iter(qn("c:v"))) + list(space.iter(qn("a:t"))):
        if v.text and _RTL.search(v.text) and not v.text.endswith(RLM):
            v.text += RLM

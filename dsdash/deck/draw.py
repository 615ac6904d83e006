"""python-pptx drawing primitives shared by the slides: colours, text boxes, the titled
slide with its footer and source line, native tables and native line charts.

Positions and sizes are in inches on a 13.333 × 7.5 in (16:9) slide.
"""

from __future__ import annotations

import math

import pandas as pd
from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Inches, Pt

from dsdash.deck.content import DeckContent
from dsdash.export import xml_safe
from dsdash.i18n import _


def rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def tint(hex_colour: str, amount: float = 0.75) -> str:
    """``hex_colour`` mixed with white (amount 0 = colour, 1 = white).

    Examples:
        >>> tint("#000000", 0.5), tint("#1F3B5C", 0)
        ('#808080', '#1F3B5C')
    """
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    mix = [round(v + (255 - v) * amount) for v in (r, g, b)]
    return "#" + "".join(f"{v:02X}" for v in mix)


def text(slide, x, y, w, h, value: str, size: int = 12, *, bold: bool = False, colour: str = "#222222"):
    """A wrapping text box; each line of ``value`` is a paragraph."""
    return lines(slide, x, y, w, h, [(line, bold) for line in str(value).split("\n")], size, colour, spaced=False)


def lines(slide, x, y, w, h, rows: list[tuple[str, bool]], size: int, colour: str = "#333333", *,
          spaced: bool = True):
    """A wrapping text box of (text, bold) lines, one paragraph each; with ``spaced``, a bold
    line after the first (a heading) gets space above it."""
    box = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
    tf = box.text_frame
    tf.word_wrap = True
    for i, (line, bold) in enumerate(rows):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        run = p.add_run()
        run.text = xml_safe(line)
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = rgb(colour)
        if spaced and bold and i:
            p.space_before = Pt(size * 0.6)
    return box


def titled_slide(prs, title: str, c: DeckContent, source: str | None = None, page: str | None = None):
    """A 'Title Only' slide, its title placed for 16:9, with the footer and a source line; with
    ``page``, a link back to that app page with the deck's view (top right)."""
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    if page is not None:
        link_box(slide, c.link(page))
    t = slide.shapes.title
    t.left, t.top, t.width, t.height = Inches(0.5), Inches(0.25), Inches(12.3), Inches(0.8)
    t.text = title
    p = t.text_frame.paragraphs[0]
    p.runs[0].font.size = Pt(28)
    p.runs[0].font.bold = True
    p.alignment = 1  # left
    text(slide, 0.5, 7.05, 12.3, 0.35, c.footer, 9, colour="#777777")
    if source:
        text(slide, 0.5, 6.45, 12.3, 0.6, source, 9, colour="#555555")
    return slide


def link_box(slide, url: str, label: str | None = None) -> None:
    """A small hyperlinked line at the top right of the slide."""
    label = label or _("Open this view in dsdash")
    box = slide.shapes.add_textbox(Inches(9.3), Inches(0.02), Inches(3.9), Inches(0.25))
    p = box.text_frame.paragraphs[0]
    p.alignment = 3  # right
    run = p.add_run()
    run.text = label
    run.font.size = Pt(9)
    run.font.color.rgb = rgb("#1F5FA8")
    run.hyperlink.address = url


def style_chart(chart, title: str, *, legend: bool = True, number_format: str = "#,##0") -> None:
    chart.has_title = True
    chart.chart_title.text_frame.text = title
    chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(14)
    chart.has_legend = legend
    if legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(11)
    va = chart.value_axis
    va.tick_labels.number_format = number_format
    va.tick_labels.number_format_is_linked = False
    va.tick_labels.font.size = Pt(10)
    va.has_major_gridlines = True
    va.major_gridlines.format.line.color.rgb = rgb("#DDDDDD")
    chart.category_axis.tick_labels.font.size = Pt(10)


def _blanks_as_gaps(chart) -> None:
    """Blank points (unpublished rounds) are drawn as gaps, never as zeros."""
    el = chart._chartSpace.chart.find(qn("c:dispBlanksAs"))
    if el is not None:
        el.set("val", "gap")


def line_chart(slide, categories, series: list[tuple[str, list, str]], title: str, x, y, w, h,
               number_format="#,##0", markers: bool | int = False):
    """A native line chart of (name, values, colour) series; blank values are gaps."""
    cd = CategoryChartData(number_format=number_format)
    cd.categories = categories
    for name, values, _colour in series:
        cd.add_series(name, values)
    kind = XL_CHART_TYPE.LINE_MARKERS if markers else XL_CHART_TYPE.LINE
    chart = slide.shapes.add_chart(kind, Inches(x), Inches(y), Inches(w), Inches(h), cd).chart
    style_chart(chart, title, number_format=number_format)
    for s, (_name, _values, colour) in zip(chart.plots[0].series, series):
        s.smooth = False
        s.format.line.color.rgb = rgb(colour)
        s.format.line.width = Pt(2.25)
        if markers:
            s.marker.style = XL_MARKER_STYLE.CIRCLE
            s.marker.size = markers if isinstance(markers, int) and markers > 1 else 7
            s.marker.format.fill.solid()
            s.marker.format.fill.fore_color.rgb = rgb(colour)
    _blanks_as_gaps(chart)
    return chart


def chart_values(values) -> list:
    """Chart values: ints where whole, None (a gap) where missing.

    Examples:
        >>> chart_values([1.0, float("nan"), 2.5])
        [1, None, 2.5]
    """
    return [None if pd.isna(v) else (int(v) if float(v).is_integer() else float(v)) for v in values]


def cell_text(cell, value: str, size: int, *, bold: bool = False, colour: str = "#222222",
              fill: str | None = None, align=None) -> None:
    cell.text = xml_safe(value)
    para = cell.text_frame.paragraphs[0]
    for run in para.runs:
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = rgb(colour)
    if align is not None:
        para.alignment = align
    cell.margin_top = cell.margin_bottom = Inches(0.03)
    cell.margin_left = cell.margin_right = Inches(0.06)
    if fill:
        cell.fill.solid()
        cell.fill.fore_color.rgb = rgb(fill)


def table(slide, rows: list[list[str]], headers: list[str], x: float, y: float, widths: list[float], *,
          size: int = 11, row_h: float = 0.32, header_fill: list[str] | None = None,
          right_from: int | None = None):
    """A native table: a dark header row (or one fill per column), zebra rows; columns
    from ``right_from`` on are right-aligned (numbers)."""
    n_rows, n_cols = len(rows) + 1, len(headers)
    shape = slide.shapes.add_table(n_rows, n_cols, Inches(x), Inches(y), Inches(sum(widths)),
                                   Inches(row_h * (n_rows + 0.6)))
    tbl = shape.table
    for j, wj in enumerate(widths):
        tbl.columns[j].width = Inches(wj)
    for i in range(n_rows):
        tbl.rows[i].height = Inches(row_h * 1.6 if i == 0 else row_h)
    for j, h in enumerate(headers):
        fill = header_fill[j] if header_fill else "#1F3B5C"
        cell_text(tbl.cell(0, j), h, size - 1, bold=True, colour="#FFFFFF", fill=fill,
                  align=PP_ALIGN.RIGHT if right_from is not None and j >= right_from else None)
    for i, row in enumerate(rows, start=1):
        for j, v in enumerate(row):
            cell_text(tbl.cell(i, j), v, size, fill="#FFFFFF" if i % 2 else "#F3F3F3",
                      align=PP_ALIGN.RIGHT if right_from is not None and j >= right_from else None)
    return tbl


def row_height(row: list[str], widths: list[float], size: int, row_h: float) -> float:
    """Estimated height (inches) of a table row once its cells wrap: average glyph width
    ~0.55 em, line height 1.2 em, plus the cell margins."""
    em = size / 72
    n_lines = max((math.ceil(len(t) * 0.55 * em / max(w - 0.12, 0.1)) or 1) for t, w in zip(row, widths))
    return max(row_h, n_lines * 1.2 * em + 0.08)


def rows_that_fit(rows: list[list[str]], widths: list[float], size: int, row_h: float, avail: float) -> int:
    """How many of ``rows`` fit in ``avail`` inches under a header row of 1.6 × ``row_h``."""
    used, n = row_h * 1.6, 0
    for r in rows:
        used += row_height(r, widths, size, row_h)
        if used > avail:
            break
        n += 1
    return n


#: Where the plot area sits inside a chart drawn with :func:`date_axis` (fractions of the
#: chart frame): fixed, so a marker can be placed at a date.
PLOT_INNER = (0.08, 0.1, 0.9, 0.66)
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")


def excel_day(value) -> int:
    """The spreadsheet serial number of a date (what a chart's date axis counts in).

    Examples:
        >>> excel_day("2020-08-31")
        44074
    """
    return int((pd.Timestamp(value).normalize() - _EXCEL_EPOCH).days)


def date_axis(chart, first, last, number_format: str = "mmm yyyy") -> None:
    """Make the category axis of a line chart a real date axis from ``first`` to ``last``:
    points sit at their dates (rounds two months apart are twice as far as one), ticks
    read ``number_format``, and the plot area has the fixed place :data:`PLOT_INNER`."""
    ax = chart.category_axis
    ax.tick_labels.number_format = number_format
    ax.tick_labels.number_format_is_linked = False
    el = ax._element
    if el.tag != qn("c:dateAx"):
        raise ValueError("the chart's categories are not dates")
    scaling = el.find(qn("c:scaling"))
    for tag in ("c:max", "c:min"):
        for old in scaling.findall(qn(tag)):
            scaling.remove(old)
    hi = etree.SubElement(scaling, qn("c:max"))
    hi.set("val", str(excel_day(last)))
    lo = etree.SubElement(scaling, qn("c:min"))
    lo.set("val", str(excel_day(first)))
    auto = el.find(qn("c:auto"))
    if auto is not None:
        auto.set("val", "0")  # a date axis even if every date were a month start
    # schema order: … baseTimeUnit, majorUnit, majorTimeUnit …: one tick a year
    for tag in ("c:baseTimeUnit", "c:majorUnit", "c:majorTimeUnit"):
        for old in el.findall(qn(tag)):
            el.remove(old)
    after = el.find(qn("c:lblOffset"))
    for tag, val in (("c:baseTimeUnit", "days"), ("c:majorUnit", "1"), ("c:majorTimeUnit", "years")):
        new = etree.Element(qn(tag))
        new.set("val", val)
        after.addnext(new)
        after = new
    plot = chart._chartSpace.chart.plotArea
    layout = plot.find(qn("c:layout"))
    if layout is None:
        layout = etree.Element(qn("c:layout"))
        plot.insert(0, layout)
    for child in list(layout):
        layout.remove(child)
    ml = etree.SubElement(layout, qn("c:manualLayout"))
    x, y, w, h = PLOT_INNER
    for tag, val in (("c:layoutTarget", "inner"), ("c:xMode", "edge"), ("c:yMode", "edge"),
                     ("c:x", x), ("c:y", y), ("c:w", w), ("c:h", h)):
        etree.SubElement(ml, qn(tag)).set("val", str(val))


def date_marker(slide, frame, first, last, when, label: str, *, colour: str = "#555555") -> None:
    """A dashed vertical line at date ``when`` over a chart drawn with :func:`date_axis`
    (``frame``: the chart's graphic frame), with ``label`` beside its top."""
    span = excel_day(last) - excel_day(first)
    if span <= 0:
        return
    x0, y0, w, h = PLOT_INNER
    frac = (excel_day(when) - excel_day(first)) / span
    if not 0 <= frac <= 1:
        return
    left = frame.left + int(frame.width * (x0 + w * frac))
    top = frame.top + int(frame.height * y0)
    bottom = frame.top + int(frame.height * (y0 + h))
    line = slide.shapes.add_connector(1, left, top, left, bottom)  # straight
    line.line.color.rgb = rgb(colour)
    line.line.width = Pt(1.25)
    line.line.dash_style = 4  # MSO_LINE_DASH_STYLE.DASH
    line.name = "date marker"
    # the label at the foot of the line, where the national lines rarely run
    box = text(slide, left / 914400 + 0.05, bottom / 914400 - 0.45, 3.2, 0.4, label, 9, colour=colour)
    box.name = "date marker label"

"""The FVM funnel (registration to support, cumulative households) as a native bar chart."""

from __future__ import annotations

from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.util import Inches, Pt

from dsdash.deck.content import DeckContent
from dsdash.deck.draw import rgb, style_chart, text, titled_slide
from dsdash.i18n import N_, _, is_rtl
from dsdash.schema import COLOURS

NAME = "fvm"
TITLE = N_("Facilitated voluntary movements (FVM): the funnel")


def outline(c: DeckContent) -> list[str]:
    return [_("{stage}: {n} households").format(stage=_(r.stage), n=f"{int(r.households):,}")
            for r in c.funnel.itertuples()] or [_("no FVM data")]


def draw(prs, c: DeckContent) -> None:
    fun = c.funnel
    # each stage's notes ('; '-joined: its footnotes, then the figures of other units left out), without the
    # returned-or-relocated stage's own marker; each once, in the funnel's order
    notes = list(dict.fromkeys(part for n in fun["note"] if n for part in str(n).split("; ")
                               if part and part != "returned + relocated")) if len(fun) else []
    src = "; ".join(c.sources[3][1])
    source = _("Source: {source}. Cumulative households over all periods; rates compare totals, not cohorts. ").format(
        source=src)
    if is_rtl() and notes:  # the source's own (English) footnotes in a paragraph of their own direction
        source = source.rstrip() + "\n"
    # (each note a sentence: one that does not end like one gets its full stop)
    slide = titled_slide(prs, _(TITLE), c, source + " ".join(
        n if n.rstrip().endswith((".", "!", "?", "؟", ")")) else n.rstrip() + "." for n in notes))
    if fun.empty:
        text(slide, 0.5, 3, 12, 1, _("No FVM data in the active data."), 18)
        return
    cd = CategoryChartData(number_format="#,##0")
    cd.categories = [_(v) for v in fun["stage"]]
    cd.add_series(_("Households (cumulative)"), [int(v) for v in fun["households"]])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, Inches(0.5), Inches(1.1), Inches(12.3), Inches(5.2),
                                   cd).chart
    style_chart(chart, _("FVM: households from registration to support (cumulative)"), legend=False)
    chart.category_axis.reverse_order = True  # first stage on top
    plot = chart.plots[0]
    plot.gap_width = 60
    plot.has_data_labels = True
    dl = plot.data_labels
    dl.number_format = "#,##0"
    dl.number_format_is_linked = False
    dl.position = XL_LABEL_POSITION.OUTSIDE_END
    dl.font.size = Pt(11)
    s = plot.series[0]
    s.format.fill.solid()
    s.format.fill.fore_color.rgb = rgb(COLOURS["returnee"])
    chart.category_axis.tick_labels.font.size = Pt(11)

"""Shared styling of plotly figures: one layout for title, legend and source line, line
wrapping for annotations, the empty figure that says why nothing is drawn, and the side
things sit on in a right-to-left language (:func:`directional`: title, legend, source line
and y axes on the right; plotly draws no right-to-left text frame, the browser shapes the
Arabic of the labels).

The words of every figure go through :func:`dsdash.i18n._` when the figure is built, in the
run's language (the pages build figures per run, so a cache of figures must hold
:func:`dsdash.i18n.current` in its key)."""

from __future__ import annotations

import plotly.graph_objects as go

from dsdash.i18n import is_rtl

#: Margins of a figure without data.
MARGIN = dict(l=70, r=30, t=80, b=120)


def finish_figure(fig: go.Figure, source: str, *, plot_px: int = 380, top_px: int = 110, below_px: int = 60,
                  left_px: int = 80, right_px: int = 40, legend: bool = True) -> go.Figure:
    """Lay out a figure the same way everywhere: title and legend above the plot, the
    source line (wrapped, plain text) under the x axis, placed in pixels so it never
    overlaps the axis or legend whatever the figure's height."""
    lines = source.count("<br>") + 1
    bottom = below_px + 15 * lines + 15
    if is_rtl():  # the page reads from the right: the y axes' side swaps with the other margin
        left_px, right_px = right_px, left_px
        fig.add_annotation(text=source, xref="paper", yref="paper", x=1, y=0, yshift=-below_px, xanchor="right",
                           xshift=right_px - 10, yanchor="top", showarrow=False, align="right",
                           font=dict(size=11, color="#555555"))
    else:
        fig.add_annotation(text=source, xref="paper", yref="paper", x=0, y=0, yshift=-below_px, xanchor="left",
                           xshift=-(left_px - 10),
                           yanchor="top", showarrow=False, align="left", font=dict(size=11, color="#555555"))
    fig.update_layout(
        height=plot_px + top_px + bottom, margin=dict(l=left_px, r=right_px, t=top_px, b=bottom),
        template="plotly_white", showlegend=legend,
        legend=dict(orientation="h", x=0, y=1.0, yanchor="bottom", xanchor="left"),
        title=dict(y=1, yanchor="top", yref="container", x=0.01, xanchor="left", pad=dict(t=14)),
    )
    return directional(fig)


def bar_range(top: float) -> list[float]:
    """The value range of horizontal bars: from 0 on the left, or, right to left, from 0 on the
    right (the bars grow towards the left from their names on the right)."""
    return [top, 0] if is_rtl() else [0, top]


def directional(fig: go.Figure) -> go.Figure:
    """In a right-to-left language, the figure's title, legend and y axes on the right (what
    a reader of Arabic looks at first); unchanged in a left-to-right one. The x axes keep
    their direction: time runs left to right, as in the tables' dates.

    Examples:
        >>> from dsdash.i18n import language
        >>> with language("ar"):
        ...     f = directional(go.Figure(go.Scatter(x=[1, 2], y=[3, 4])))
        >>> f.layout.yaxis.side, f.layout.legend.xanchor, f.layout.title.xanchor
        ('right', 'right', 'right')
    """
    if not is_rtl():
        return fig
    fig.update_yaxes(side="right")
    legend_x = fig.layout.legend.x
    fig.update_layout(legend=dict(x=1 - (legend_x if legend_x is not None else 0), xanchor="right"),
                      title=dict(x=0.99, xanchor="right"))
    return fig


def wrap(text: str, width: int = 150) -> str:
    """Break a long line for a plotly annotation (plotly does not wrap)."""
    words, lines, cur = text.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    if cur:
        lines.append(cur)
    return "<br>".join(lines)


def empty_figure(title: str, message: str) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(title=title, xaxis=dict(visible=False), yaxis=dict(visible=False), margin=MARGIN,
                      template="plotly_white")
    fig.add_annotation(text=message, xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False)
    return directional(fig)


_DATE_FIELDS = {"d": "d", "b": "MMM", "B": "MMMM", "Y": "y", "m": "MM", "y": "yy"}


def local_date(value, fmt: str = "%d %b %Y") -> str:
    """A date as ``fmt`` (strftime) writes it in English, or with the month names and the
    digits of the reader's language (Babel/CLDR: ``كانون الأول 2023`` for ``%B %Y`` in Arabic).

    Examples:
        >>> import datetime as dt
        >>> local_date(dt.date(2023, 12, 5)), local_date(dt.date(2023, 12, 5), "%b %Y")
        ('05 Dec 2023', 'Dec 2023')
        >>> from dsdash.i18n import language
        >>> with language("ar"):
        ...     local_date(dt.date(2023, 12, 5)), local_date(dt.date(2024, 4, 30), "%b %Y")
        ('5 كانون الأول 2023', 'نيسان 2024')
    """
    import pandas as pd

    from dsdash.i18n import DEFAULT, current, info, local_digits

    d = pd.Timestamp(value)
    if current() == DEFAULT:
        return f"{d:{fmt}}"
    from babel.dates import format_date

    out, i = [], 0
    while i < len(fmt):
        if fmt[i] == "%" and i + 1 < len(fmt) and fmt[i + 1] in _DATE_FIELDS:
            out.append(format_date(d.date(), _DATE_FIELDS[fmt[i + 1]], locale=info().babel))
            i += 2
        else:
            out.append(fmt[i])
            i += 1
    return local_digits("".join(out))

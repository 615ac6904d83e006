"""Shared styling of plotly figures: one layout for title, legend and source line, line
wrapping for annotations, and the empty figure that says why nothing is drawn."""

from __future__ import annotations

import plotly.graph_objects as go

#: Margins of a figure without data.
MARGIN = dict(l=70, r=30, t=80, b=120)


def finish_figure(fig: go.Figure, source: str, *, plot_px: int = 380, top_px: int = 110, below_px: int = 60,
                  left_px: int = 80, right_px: int = 40, legend: bool = True) -> go.Figure:
    """Lay out a figure the same way everywhere: title and legend above the plot, the
    source line (wrapped, plain text) under the x axis, placed in pixels so it never
    overlaps the axis or legend whatever the figure's height."""
    lines = source.count("<br>") + 1
    bottom = below_px + 15 * lines + 15
    fig.add_annotation(text=source, xref="paper", yref="paper", x=0, y=0, yshift=-below_px, xanchor="left",
                       xshift=-(left_px - 10),
                       yanchor="top", showarrow=False, align="left", font=dict(size=11, color="#555555"))
    fig.update_layout(
        height=plot_px + top_px + bottom, margin=dict(l=left_px, r=right_px, t=top_px, b=bottom),
        template="plotly_white", showlegend=legend,
        legend=dict(orientation="h", x=0, y=1.0, yanchor="bottom", xanchor="left"),
        title=dict(y=1, yanchor="top", yref="container", x=0.01, xanchor="left", pad=dict(t=14)),
    )
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
    return fig

"""Checks on plotly figures shared by the figure tests: gaps and the text under a chart."""

from __future__ import annotations

import math

import plotly.graph_objects as go


def is_gap(v) -> bool:
    """A point a line does not draw: None or NaN (never a zero)."""
    return v is None or (isinstance(v, float) and math.isnan(v))


def annotations_text(fig: go.Figure) -> str:
    """Every annotation of a figure (source line, notes, labels) as one line of text."""
    return " ".join((a.text or "").replace("<br>", " ") for a in fig.layout.annotations)

"""Wide content that scrolls sideways on a phone instead of squeezing (issue 16): the Gaps heatmap.

``with wide("heatmap"): st.plotly_chart(...)`` draws the chart in a container whose key starts with
``wide-``; the app-owned style ``ui/wide.css`` gives what it holds a minimum width of 960 px and lets
the container scroll horizontally when the screen is narrower. On a desktop nothing changes."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

WIDE_CSS = Path(__file__).resolve().parent / "wide.css"
#: The minimum width of wide content, px (ui/wide.css): 14 service columns of about 28 px, the sites'
#: names and the legend.
MIN_WIDTH_PX = 960


def wide(name: str):
    """A container for wide content (see the module); its style is added once per run."""
    st.html(f"<style>{WIDE_CSS.read_text(encoding='utf-8')}</style>")
    return st.container(key=f"wide-{name}")

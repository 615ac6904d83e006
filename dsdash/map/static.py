"""The site map and its legends drawn offline with matplotlib (Agg), as PNG bytes.

The same points, lens colours, labels and caption as the pydeck deck
(:mod:`dsdash.map.layers`); the meeting deck and the map page's download use it.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import textwrap

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from dsdash.dataset import Dataset
from dsdash.filters import Filters
from dsdash.map.layers import LABEL_TOP, label_sites, view_for
from dsdash.map.legend import Legend, nice_values
from dsdash.map.points import lens_colours, map_caption, site_points
from dsdash.spatial import normalise_areas


def legend_png(legends: list[Legend], *, width_px: int = 1100, dpi: int = 100) -> bytes:
    """The legends drawn as a small PNG (matplotlib, offline): colour swatches, circles
    at their on-screen size, arc widths."""
    matplotlib.use("Agg")
    rows = sum(1 + max(1, math.ceil(len(lg.items) / 3)) for lg in legends) or 1
    fig = Figure(figsize=(width_px / dpi, (rows * 26 + 14) / dpi), dpi=dpi)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width_px)
    ax.set_ylim(rows * 26 + 14, 0)
    ax.axis("off")
    y = 16
    for lg in legends:
        ax.text(6, y, lg.title + (f" ({lg.note})" if lg.note else ""), fontsize=9, fontweight="bold", va="center")
        y += 24
        for i, it in enumerate(lg.items):
            col, x = i % 3, 12 + (i % 3) * (width_px / 3)
            if it.kind == "size":
                ax.scatter([x + 10], [y], s=(2 * it.size * 72 / dpi) ** 2 * 0.9, c=it.colour, alpha=0.6,
                           edgecolors="white", clip_on=False)
            elif it.kind == "width":
                ax.plot([x, x + 28], [y, y], color=it.colour, linewidth=it.size * 72 / dpi, solid_capstyle="butt")
            else:
                ax.add_patch(Rectangle((x, y - 7), 18, 14, color=it.colour))
            ax.text(x + 38, y, it.label, fontsize=9, va="center")
            if col == 2 and i < len(lg.items) - 1:
                y += 26
        y += 28
    fig.set_size_inches(width_px / dpi, max(y, 30) / dpi)
    ax.set_ylim(max(y, 30), 0)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def static_map_png(
    ds: Dataset,
    filters: Filters | None = None,
    *,
    as_of: dt.date | None = None,
    width_px: int = 1600,
    height_px: int = 1000,
    lens: str = "coverage",
    label_top: int = LABEL_TOP,
) -> bytes:
    """A static PNG of the site map, rendered offline with matplotlib (Agg): circles with
    area ∝ individuals coloured by ``lens``, over the loaded boundaries (if any), the
    largest sites labelled, a legend, and a source line. The meeting deck reuses it."""
    matplotlib.use("Agg")
    filters = filters or Filters()
    as_of = as_of or ds.latest_date()
    allpts = site_points(ds, filters, as_of=as_of)
    points = allpts.dropna(subset=["latitude", "longitude"]).reset_index(drop=True)
    hexes, legend = lens_colours(points, lens)
    dpi = 100
    fig = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi)
    ax = fig.add_axes((0.05, 0.13, 0.66, 0.79))
    lon, lat = points["longitude"].astype(float), points["latitude"].astype(float)
    if len(points):
        pad_x = max((lon.max() - lon.min()) * 0.08, 0.05)
        pad_y = max((lat.max() - lat.min()) * 0.08, 0.05)
        x0, x1, y0, y1 = lon.min() - pad_x, lon.max() + pad_x, lat.min() - pad_y, lat.max() + pad_y
    else:
        x0, y0, x1, y1 = 38.7, 29.0, 48.9, 37.4
    # widen the shorter side so the map fills its box (x scaled by cos(latitude))
    k = math.cos(math.radians((y0 + y1) / 2))
    box = (0.66 * width_px) / (0.79 * height_px)
    w, h = (x1 - x0) * k, (y1 - y0)
    if w / h < box:
        extra = (h * box / k - (x1 - x0)) / 2
        x0, x1 = x0 - extra, x1 + extra
    else:
        extra = (w / box - h) / 2
        y0, y1 = y0 - extra, y1 + extra
    for level, lw in (("adm2", 0.4), ("adm1", 1.0)):
        gdf = (ds.boundaries or {}).get(level)
        if gdf is not None and len(gdf):
            areas = normalise_areas(gdf).cx[x0:x1, y0:y1]
            if len(areas):
                areas.boundary.plot(ax=ax, color="#777777", linewidth=lw, zorder=1)
    ind = points["individuals"].astype("Float64").fillna(0).astype(float)
    # matplotlib's s is an area (points²): proportional to individuals, with a floor.
    smax = 2200.0 * (width_px / 1600) ** 2  # the largest circle keeps its share of the figure
    s = np.maximum(smax * ind / ind.max(), 12.0) if len(ind) and ind.max() > 0 else np.full(len(ind), 12.0)
    order = np.argsort(-s)  # big first, small on top
    ax.scatter(lon.iloc[order], lat.iloc[order], s=s[order], c=list(hexes.iloc[order]), alpha=0.8,
               edgecolors="white", linewidths=0.8, zorder=3)
    top = label_sites(points, view_for(points["longitude"], points["latitude"], int(0.66 * width_px),
                                       int(0.79 * height_px)), label_top) if len(points) else points
    for _, r in top.iterrows():
        ax.annotate(str(r["site_name"]), (float(r["longitude"]), float(r["latitude"])), xytext=(6, 6),
                    textcoords="offset points", fontsize=9, zorder=4,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7})
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1 / k)
    ax.tick_params(labelsize=8)
    total = ind.sum()
    fig.suptitle(f"Sites: {len(points):,} · {total:,.0f} individuals · {filters.describe()}", fontsize=14,
                 x=0.03, ha="left")
    handles = [Line2D([], [], marker="o", linestyle="", markersize=10, markerfacecolor=it.colour,
                      markeredgecolor="white", label=it.label) for it in legend.items]
    sizes = nice_values(float(ind.max()) if len(ind) else 0)
    handles += [Line2D([], [], marker="o", linestyle="", color="#888888", alpha=0.6,
                       markersize=math.sqrt(max(smax * v / ind.max(), 12.0)), label=f"{v:,} individuals")
                for v in sizes]
    lax = fig.add_axes((0.73, 0.13, 0.26, 0.79))
    lax.axis("off")
    lax.legend(handles=handles, loc="upper left", fontsize=9,
               title=_wrap(legend.title + "; circle area = individuals", 40),
               title_fontsize=9, frameon=False, labelspacing=1.4)
    fig.text(0.03, 0.015, _wrap(map_caption(points, as_of), int(190 * width_px / 1600)), fontsize=8,
             va="bottom")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width))

"""The site map and its legends drawn offline with matplotlib (Agg), as PNG bytes.

The same points, lens colours, labels and caption as the pydeck deck
(:mod:`dsdash.map.layers`); the meeting deck and the map page's download use it.

Arabic (issue 18): matplotlib neither joins Arabic letters nor lays them out right to left, so
every string drawn passes through :func:`arabic_display` (arabic-reshaper's presentation forms,
python-bidi's visual order), and any text holding Arabic is drawn with the bundled Noto Sans
Arabic (``static/fonts``, registered with matplotlib's font manager: no system font assumed),
Latin letters falling back to DejaVu Sans. In a right-to-left language the title and caption
sit on the right.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import textwrap
from functools import lru_cache
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from dsdash.dataset import Dataset
from dsdash.filters import Filters
from dsdash.i18n import _, is_rtl, local_digits
from dsdash.map.layers import LABEL_TOP, boundary_credit, label_sites, view_for
from dsdash.map.legend import Legend, nice_values
from dsdash.map.points import lens_colours, map_caption, site_points
from dsdash.spatial import boundaries_for, boundaries_origin, normalise_areas

_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
#: Arabic letters, in their base or presentation forms (text already shaped included).
_ARABIC_DRAWN = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
FONTS_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"
#: The font family of any drawn text holding Arabic: the bundled Noto Sans Arabic, Latin letters
#: (which it lacks) from DejaVu Sans, matplotlib's own font.
ARABIC_FAMILY = ["Noto Sans Arabic", "DejaVu Sans"]


@lru_cache(maxsize=None)
def register_fonts() -> tuple[str, ...]:
    """Register the bundled fonts (``static/fonts/*.ttf``) with matplotlib's font manager, once;
    returns their family names."""
    names = []
    for path in sorted(FONTS_DIR.glob("*.ttf")):
        font_manager.fontManager.addfont(str(path))
        names.append(font_manager.FontProperties(fname=str(path)).get_name())
    return tuple(dict.fromkeys(names))


def _shaped(text: str) -> str:
    """Each line of ``text`` as matplotlib must draw it (:func:`arabic_display`), digits as
    the reader chose them."""
    return "\n".join(arabic_display(local_digits(line)) for line in str(text).split("\n"))


def _arabic_fonts(fig) -> None:
    """Every text of ``fig`` that holds Arabic drawn with :data:`ARABIC_FAMILY`."""
    from matplotlib.text import Text

    for t in fig.findobj(Text):
        if _ARABIC_DRAWN.search(t.get_text() or ""):
            t.set_fontfamily(ARABIC_FAMILY)


def arabic_display(text: str) -> str:
    """Text as matplotlib must be given it: Arabic letters joined in their contextual
    (presentation) forms by arabic-reshaper; other text unchanged. Laid out right to left by
    python-bidi only where matplotlib cannot: built with libraqm (the pinned 3.11 wheels are),
    matplotlib orders a line itself, and text ordered twice would read backwards.

    Examples:
        >>> arabic_display("Kilo 18")
        'Kilo 18'
        >>> shaped = arabic_display("الانبار")
        >>> all(0xFE70 <= ord(c) <= 0xFEFF for c in shaped), shaped == arabic_display(shaped)
        (True, True)
    """
    if not text or not _ARABIC.search(text):
        return text
    import arabic_reshaper

    shaped = arabic_reshaper.reshape(text)
    if _orders_text():
        return shaped
    from bidi import get_display

    return get_display(shaped)


@lru_cache(maxsize=None)
def _orders_text() -> bool:
    """True when matplotlib lays text out itself (bidirectional order, with libraqm)."""
    from matplotlib import ft2font

    return bool(getattr(ft2font, "__libraqm_version__", ""))


def legend_png(legends: list[Legend], *, width_px: int = 1100, dpi: int = 100) -> bytes:
    """The legends drawn as a small PNG (matplotlib, offline): colour swatches, circles
    at their on-screen size, arc widths."""
    matplotlib.use("Agg")
    register_fonts()
    rows = sum(1 + max(1, math.ceil(len(lg.items) / 3)) for lg in legends) or 1
    fig = Figure(figsize=(width_px / dpi, (rows * 26 + 14) / dpi), dpi=dpi)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width_px)
    ax.set_ylim(rows * 26 + 14, 0)
    ax.axis("off")
    y = 16
    for lg in legends:
        ax.text(6, y, _shaped(lg.title + (f" ({lg.note})" if lg.note else "")), fontsize=9, fontweight="bold",
                va="center")
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
            ax.text(x + 38, y, _shaped(it.label), fontsize=9, va="center")
            if col == 2 and i < len(lg.items) - 1:
                y += 26
        y += 28
    fig.set_size_inches(width_px / dpi, max(y, 30) / dpi)
    ax.set_ylim(max(y, 30), 0)
    _arabic_fonts(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def static_map_png(ds: Dataset, filters: Filters | None = None, *, as_of: dt.date | None = None,
                   width_px: int = 1600, height_px: int = 1000, lens: str = "coverage",
                   label_top: int = LABEL_TOP) -> bytes:
    """The site map (:func:`static_map_figure`) as PNG bytes."""
    fig = static_map_figure(ds, filters, as_of=as_of, width_px=width_px, height_px=height_px, lens=lens,
                            label_top=label_top)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi)
    return buf.getvalue()


def static_map_figure(
    ds: Dataset,
    filters: Filters | None = None,
    *,
    as_of: dt.date | None = None,
    width_px: int = 1600,
    height_px: int = 1000,
    lens: str = "coverage",
    label_top: int = LABEL_TOP,
) -> Figure:
    """A static figure of the site map, rendered offline with matplotlib (Agg): circles with
    area ∝ individuals coloured by ``lens``, over the loaded boundaries (if any, with the
    governorates named), the largest sites labelled where their names overlap no other,
    a scale bar, a legend, and a source line; no degree axes (a map, not a chart). The
    meeting deck reuses it."""
    matplotlib.use("Agg")
    register_fonts()
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
    bounds = boundaries_for(ds)  # the bundled COD-AB outlines unless the user loaded a file
    for level, lw in (("adm2", 0.4), ("adm1", 1.0)):
        gdf = bounds.get(level)
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
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1 / k)
    _map_frame(ax)
    outlined = _area_names(ax, ds, x0, x1, y0, y1)
    _scale_bar(ax, x0, x1, y0, y1, k)
    top = label_sites(points, view_for(points["longitude"], points["latitude"], int(0.66 * width_px),
                                       int(0.79 * height_px)), label_top) if len(points) else points
    _place_labels(fig, ax, top, np.sqrt(s) / 2, lon.to_numpy(), lat.to_numpy())
    if outlined:
        kinds = set(boundaries_origin(ds).values())
        ax.text(0.01, 0.01, _shaped(boundary_credit() if kinds == {"bundled"}
                                    else _("Boundaries: COD-AB file loaded by the user")),
                transform=ax.transAxes, fontsize=6.5, color="#777777", va="bottom", zorder=7)
    total = ind.sum()
    rtl = is_rtl()
    fig.suptitle(_shaped(_("Sites: {n} · {total} individuals · {filters}").format(
        n=f"{len(points):,}", total=f"{total:,.0f}", filters=filters.describe())), fontsize=14,
                 x=0.97 if rtl else 0.03, ha="right" if rtl else "left")
    handles = [Line2D([], [], marker="o", linestyle="", markersize=10, markerfacecolor=it.colour,
                      markeredgecolor="white", label=_shaped(it.label)) for it in legend.items]
    sizes = nice_values(float(ind.max()) if len(ind) else 0)
    handles += [Line2D([], [], marker="o", linestyle="", color="#888888", alpha=0.6,
                       markersize=math.sqrt(max(smax * v / ind.max(), 12.0)),
                       label=_shaped(_("{n} individuals").format(n=f"{v:,}")))
                for v in sizes]
    lax = fig.add_axes((0.73, 0.13, 0.26, 0.79))
    lax.axis("off")
    lax.legend(handles=handles, loc="upper right" if rtl else "upper left", fontsize=9,
               title=_shaped(_wrap(_("{legend}; circle area = individuals").format(legend=legend.title), 40)),
               title_fontsize=9, frameon=False, labelspacing=1.4,
               **({"markerfirst": False, "alignment": "right"} if rtl else {}))
    fig.text(0.97 if rtl else 0.03, 0.015, _shaped(_wrap(map_caption(points, as_of), int(190 * width_px / 1600))),
             fontsize=8, va="bottom", ha="right" if rtl else "left")
    _arabic_fonts(fig)
    return fig


def _map_frame(ax) -> None:
    """A map, not a chart: no degree ticks or numbers, a light frame."""
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")  # geopandas names the axes "Geodetic longitude [degree]" when it draws outlines
    ax.set_ylabel("")
    for side in ax.spines.values():
        side.set_edgecolor("#bbbbbb")
        side.set_linewidth(0.8)
    ax.set_facecolor("#fbfbf8")


def _area_names(ax, ds: Dataset, x0: float, x1: float, y0: float, y1: float) -> bool:
    """Governorate names at a point inside each loaded governorate polygon in view, grey
    and behind the sites; True when any outline is drawn."""
    drawn = False
    bounds = boundaries_for(ds)
    for level in ("adm2", "adm1"):
        gdf = bounds.get(level)
        if gdf is None or not len(gdf):
            continue
        drawn = True
        if level != "adm1":
            continue
        areas = gdf.cx[x0:x1, y0:y1]
        arabic = areas["name_ar"] if "name_ar" in areas.columns else None
        areas = normalise_areas(areas)
        for i, (_row, a) in enumerate(areas.iterrows()):
            p = a.geometry.representative_point()
            if x0 < p.x < x1 and y0 < p.y < y1 and a.get("name"):
                ax.text(p.x, p.y, _shaped(str(a["name"]).upper()), fontsize=8, color="#8a8a8a", ha="center",
                        va="bottom", zorder=2, fontweight="bold", alpha=0.8)
                ar = arabic.iloc[i] if arabic is not None else None
                if isinstance(ar, str) and ar.strip():
                    ax.text(p.x, p.y, arabic_display(ar.strip()), fontsize=8, color="#8a8a8a", ha="center",
                            va="top", zorder=2, alpha=0.8)
    return drawn


def _scale_bar(ax, x0: float, x1: float, y0: float, y1: float, k: float) -> None:
    """A scale bar of a round number of kilometres, about a fifth of the map's width,
    in its lower right corner (111.32 km per degree of longitude × cos(latitude))."""
    km_per_deg = 111.32 * k
    target = (x1 - x0) * km_per_deg / 5
    km = next((v for v in (1000, 500, 200, 100, 50, 20, 10, 5, 2, 1) if v <= target), 1)
    length = km / km_per_deg
    xe = x1 - (x1 - x0) * 0.03
    yb = y0 + (y1 - y0) * 0.04
    ax.add_patch(Rectangle((xe - length - (x1 - x0) * 0.01, yb - (y1 - y0) * 0.015), length + (x1 - x0) * 0.02,
                           (y1 - y0) * 0.065, facecolor="white", edgecolor="none", alpha=0.85, zorder=4))
    ax.plot([xe - length, xe], [yb, yb], color="#333333", linewidth=3, solid_capstyle="butt", zorder=5)
    ax.text(xe - length / 2, yb + (y1 - y0) * 0.012, _shaped(_("{n} km").format(n=f"{km:,}")), ha="center",
            va="bottom", fontsize=8,
            color="#333333", zorder=5)


#: Where a label may sit around its site, in points from the centre (tried in order).
_LABEL_SPOTS = ((1, 0), (-1, 0), (1, 1), (1, -1), (-1, 1), (-1, -1), (0, 1), (0, -1))


def _place_labels(fig, ax, top, radii: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> None:
    """Site names beside their circles, each where it overlaps no other label and no
    other site's circle (tried at eight spots around its own circle); a name that fits
    nowhere is left out rather than printed over another. White halo for contrast.

    ``radii`` are the circles' radii in points, in the order of ``lon``/``lat`` (all sites
    drawn); ``top`` the sites to label (its index: positions in those arrays)."""
    import matplotlib.patheffects as pe
    from matplotlib.transforms import Bbox

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()
    placed = []
    frame = ax.get_window_extent(renderer)
    px = fig.dpi / 72
    centres = ax.transData.transform(np.column_stack([lon, lat])) if len(lon) else np.empty((0, 2))
    circles = [Bbox.from_extents(x - r * px, y - r * px, x + r * px, y + r * px)
               for (x, y), r in zip(centres, radii)]
    for i, r in top.iterrows():
        rad = float(radii[i])
        xy = (float(r["longitude"]), float(r["latitude"]))
        others = [c for j, c in enumerate(circles) if j != i]
        for dx, dy in _LABEL_SPOTS:
            reach = rad * (0.72 if dx and dy else 1) + 3  # on the circle's edge, diagonals included
            off = (dx * reach, dy * reach)
            label = _site_label(r)
            t = ax.annotate(label, xy, xytext=off, textcoords="offset points", fontsize=10, zorder=6,
                            **({"fontfamily": ARABIC_FAMILY} if _ARABIC_DRAWN.search(label) else {}),
                            ha="left" if dx > 0 else "right" if dx < 0 else "center",
                            va="bottom" if dy > 0 else "top" if dy < 0 else "center",
                            path_effects=[pe.withStroke(linewidth=3, foreground="white")])
            box = t.get_window_extent(renderer)
            inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
            if inside and not any(box.overlaps(b) for b in placed) and not any(box.overlaps(c) for c in others):
                placed.append(box)
                break
            t.remove()


def _site_label(r) -> str:
    """A site's label: its name, and its Arabic name (shaped) when it has one."""
    name = arabic_display(str(r["site_name"]))
    ar = r.get("site_name_ar")
    if isinstance(ar, str) and ar.strip() and ar.strip() != str(r["site_name"]):
        name += "  " + arabic_display(ar.strip())
    return name


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width))

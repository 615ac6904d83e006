"""The site map drawn offline: the static PNG and the legend PNG."""

from __future__ import annotations

import io

from PIL import Image

from dsdash.filters import Filters
from dsdash.map.layers import build_site_map
from dsdash.map.static import legend_png, static_map_png
from tests.support.map_helpers import with_boundaries


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return Image.open(io.BytesIO(data)).size


def test_static_png_offline(ds):
    png = static_map_png(ds)
    assert png_size(png) == (1600, 1000)
    import numpy as np

    a = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    reds = int(((a[..., 0] > 180) & (a[..., 1] < 120) & (a[..., 2] < 120)).sum())
    assert reds > 2000  # the circles are drawn
    assert png_size(static_map_png(ds, Filters(site_group=("Rutba",)), width_px=800, height_px=500)) == (800, 500)


def test_static_png_over_boundaries(ds, boundaries_dir):
    png = static_map_png(with_boundaries(ds, boundaries_dir))
    assert png_size(png) == (1600, 1000)


def test_legend_png(ds):
    m = build_site_map(ds)
    w, h = png_size(legend_png(m.legends))
    assert w == 1100 and 60 < h < 400


def _site_labels(fig):
    ax = fig.axes[0]
    return ax, [t for t in ax.texts if t.get_fontsize() == 10]


def test_the_map_is_a_map_not_a_chart(ds, boundaries_dir):
    """No degree ticks or 'Geodetic latitude' axis names (geopandas adds them with the
    outlines), a scale bar, governorate names over the outlines, site names that overlap
    neither each other nor another site's circle."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from dsdash.map.static import static_map_figure

    for d, outlined in ((ds, True), (with_boundaries(ds, boundaries_dir), True)):  # bundled, then the user's
        fig = static_map_figure(d, width_px=1200, height_px=675, lens="site_type")
        ax, names = _site_labels(fig)
        assert list(ax.get_xticks()) == [] and list(ax.get_yticks()) == []
        assert ax.get_xlabel() == "" and ax.get_ylabel() == ""
        texts = [t.get_text() for t in ax.texts]
        assert "50 km" in texts
        assert ("AL-ANBAR" in texts) is outlined
        assert not any(t.startswith("No boundaries loaded") for t in texts)
        assert any("OCHA COD-AB Iraq" in t for t in texts) is (d is ds)  # attribution of the bundled layers
        r = FigureCanvasAgg(fig).get_renderer()
        boxes = [t.get_window_extent(r) for t in names]
        assert len(boxes) >= 5 and "7 Killo-al-mojamaa al-sakany" in [t.get_text() for t in names]
        assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_static_map_draws_bundled_outlines_and_shapes_arabic(ds):
    """No upload: governorate names in English and Arabic, the Arabic joined (presentation forms, as
    arabic-reshaper gives them), and an Arabic site name too."""
    from dsdash.map.static import arabic_display, static_map_figure

    shaped = arabic_display("الانبار")
    assert shaped != "الانبار" and all(0xFE70 <= ord(c) <= 0xFEFF for c in shaped)
    # logical order, the first letter (ا) first: matplotlib 3.11 (libraqm) lays the line out right to left
    # itself; ordered by python-bidi as well, it read backwards (issue 18)
    assert shaped[0] == "\ufe8d"
    sites = ds.sites.copy()
    sites.loc[sites["site_id"] == "ANB-26", "site_name_ar"] = "كيلو 7"
    fig = static_map_figure(ds.with_tables(sites=sites), width_px=1200, height_px=675, lens="site_type")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "AL-ANBAR" in texts and shaped in texts
    assert any(arabic_display("كيلو 7") in t for t in texts)
    assert not any("\u0600" <= ch <= "\u06ff" for t in texts for ch in t)  # nothing unshaped

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

    for d, outlined in ((ds, False), (with_boundaries(ds, boundaries_dir), True)):
        fig = static_map_figure(d, width_px=1200, height_px=675, lens="site_type")
        ax, names = _site_labels(fig)
        assert list(ax.get_xticks()) == [] and list(ax.get_yticks()) == []
        assert ax.get_xlabel() == "" and ax.get_ylabel() == ""
        texts = [t.get_text() for t in ax.texts]
        assert "50 km" in texts
        assert ("AL-ANBAR" in texts) is outlined
        assert any(t.startswith("No boundaries loaded") for t in texts) is not outlined
        r = FigureCanvasAgg(fig).get_renderer()
        boxes = [t.get_window_extent(r) for t in names]
        assert len(boxes) >= 5 and "7 Killo-al-mojamaa al-sakany" in [t.get_text() for t in names]
        assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])

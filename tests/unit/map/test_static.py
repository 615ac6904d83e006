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

"""Hexagons at national scale that lead to their sites (issue 16).

deck.gl's own HexagonLayer aggregates in the browser, and its tooltip cannot list what a hexagon
holds (pydeck's templated tooltip shows no aggregated values: visgl/deck.gl#8697). So the bins are
made here: each hexagon knows its sites, and its tooltip names them (the most people first). The
map draws them as polygons, and draws the sites too, sized in metres: invisible at national scale,
they take over from about :data:`SITES_FROM_ZOOM` on, where a site can be clicked.
"""

from __future__ import annotations

import math

import pandas as pd

from dsdash.i18n import _
from dsdash.map.points import fmt_int

#: Hexagon radius (centre to corner), metres: about 35 km across, a few pixels wide at national scale.
RADIUS_M = 20_000
#: Radius of a site in the hexagon view, metres: under a pixel at national scale (zoom 5), about
#: 6 px from zoom 9, where the sites take over from the hexagons.
SITE_RADIUS_M = 1_500
SITES_FROM_ZOOM = 9
#: Sites named in a hexagon's tooltip (the rest counted).
TIP_SITES = 6
_M_PER_DEG = 111_320.0


def _axial_round(q: float, r: float) -> tuple[int, int]:
    x, z = q, r
    y = -x - z
    rx, ry, rz = round(x), round(y), round(z)
    dx, dy, dz = abs(rx - x), abs(ry - y), abs(rz - z)
    if dx > dy and dx > dz:
        rx = -ry - rz
    elif dy > dz:
        ry = -rx - rz
    else:
        rz = -rx - ry
    return int(rx), int(rz)


def hex_bins(points: pd.DataFrame, radius_m: float = RADIUS_M) -> pd.DataFrame:
    """One row per hexagon holding sites: ``q``, ``r`` (axial), ``poly`` (its corners, lon/lat),
    ``n_sites``, ``individuals``, ``site_ids`` (most people first) and ``tip`` (the hexagon in words,
    naming its sites). Points need site_id, site_name, latitude, longitude, individuals.

    Examples:
        >>> pts = pd.DataFrame({"site_id": ["a", "b", "c"], "site_name": ["A", "B", "C"],
        ...                     "latitude": [33.0, 33.01, 36.0], "longitude": [43.0, 43.01, 43.0],
        ...                     "individuals": [60, 600, 6]})
        >>> h = hex_bins(pts)
        >>> h[["n_sites", "individuals"]].values.tolist(), h["site_ids"].tolist()
        ([[2, 660], [1, 6]], [['b', 'a'], ['c']])
    """
    cols = ["q", "r", "poly", "n_sites", "individuals", "site_ids", "tip"]
    pts = points.dropna(subset=["latitude", "longitude"])
    if pts.empty:
        return pd.DataFrame(columns=cols)
    lat0 = float(pts["latitude"].mean())
    kx = _M_PER_DEG * math.cos(math.radians(lat0))
    ky = _M_PER_DEG
    x = pts["longitude"].astype(float) * kx
    y = pts["latitude"].astype(float) * ky
    q = (math.sqrt(3) / 3 * x - y / 3) / radius_m
    r = (2 / 3 * y) / radius_m
    keys = [_axial_round(a, b) for a, b in zip(q, r)]
    df = pts.assign(_q=[k[0] for k in keys], _r=[k[1] for k in keys],
                    _ind=pd.to_numeric(pts["individuals"], errors="coerce"))
    rows = []
    for (hq, hr), g in df.groupby(["_q", "_r"], sort=False):
        g = g.sort_values(["_ind", "site_name"], ascending=[False, True], na_position="last", kind="stable")
        cx = radius_m * math.sqrt(3) * (hq + hr / 2)
        cy = radius_m * 1.5 * hr
        poly = [[round((cx + radius_m * math.cos(math.radians(60 * k - 30))) / kx, 4),
                 round((cy + radius_m * math.sin(math.radians(60 * k - 30))) / ky, 4)] for k in range(6)]
        ind = int(g["_ind"].fillna(0).sum())
        named = [f"{n} ({fmt_int(i) if pd.notna(i) else '?'})" for n, i in zip(g["site_name"].head(TIP_SITES),
                                                                               g["_ind"].head(TIP_SITES))]
        more = len(g) - len(named)
        tip = _("{n} site(s), {p} individuals:").format(n=len(g), p=fmt_int(ind)) + "\n" + "\n".join(named)
        if more:
            tip += "\n" + _("… and {n} more: zoom in to see them").format(n=more)
        tip += "\n" + _("Zoom in (about zoom {z}) to click a site.").format(z=SITES_FROM_ZOOM)
        rows.append({"q": hq, "r": hr, "poly": poly, "n_sites": len(g), "individuals": ind,
                     "site_ids": list(g["site_id"]), "tip": tip})
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values("individuals", ascending=False, kind="stable").reset_index(drop=True)

"""How data/boundaries/ was made: a small copy of each OCHA COD-AB Iraq layer (maintainer tool).

    .venv/bin/python scripts/simplify_cod_ab.py irq_admbnda_adm1_cso_20190603.shp data/boundaries/irq_adm1_codab_2019.geojson adm1
    .venv/bin/python scripts/simplify_cod_ab.py irq_admbnda_adm2_cso_20190603.shp data/boundaries/irq_adm2_codab_2019.geojson adm2

It reads the HDX files on the maintainer's machine; the app never runs it (users' boundary files
enter through the importers, dsdash/importers/boundaries.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

import geopandas as gpd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from dsdash.spatial import BUNDLED_GRID_DEG, BUNDLED_TOLERANCE_DEG  # noqa: E402


def simplify_cod_ab(src: str | Path, dst: str | Path, level: str, *,
                    tolerance: float = BUNDLED_TOLERANCE_DEG, grid: float = BUNDLED_GRID_DEG) -> int:
    """Write a small copy of a COD-AB layer (``level`` "adm1" or "adm2"): p-code, English and
    Arabic names, governorate code, geometry simplified (topology kept) and snapped to ``grid``.
    Returns the bytes written. How data/boundaries/ was made (README, "Data")."""
    import shapely

    n = level[-1]
    g = gpd.read_file(src)
    out = g.assign(admin1_code=g["ADM1_PCODE"]).rename(
        columns={f"ADM{n}_PCODE": "pcode", f"ADM{n}_EN": "name", f"ADM{n}_AR": "name_ar"})
    out = out[["pcode", "name", "name_ar", "admin1_code", "geometry"]].sort_values("pcode").reset_index(drop=True)
    geom = out.geometry.simplify(tolerance, preserve_topology=True)
    out = out.set_geometry(shapely.set_precision(geom.values, grid))
    text = out.to_json(drop_id=True, ensure_ascii=False)
    Path(dst).write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


if __name__ == "__main__":
    src, dst, level = sys.argv[1:4]
    print(f"{dst}: {simplify_cod_ab(src, dst, level):,} bytes")

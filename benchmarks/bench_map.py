"""Site map: page script time and deck JSON bytes per site, seed size and ~4,000 sites, vs a bare deck.

Figures: build + to_json time and JSON bytes per site of the site map's deck (circles, and
hexagon aggregation), next to a bare one-layer pydeck Deck of the same points; the page's
script time under AppTest next to AppTest of a one-line page (the harness's own cost)."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pydeck as pdk

from benchmarks.run import ROOT, best_of
from dsdash.dataset import DATA_DIR, load_embedded
from dsdash.map.layers import build_site_map

N_NATIONAL = 4000


def synthetic(n: int = N_NATIONAL, seed: int = 7):
    """The seed data with n synthetic DTM-like locations across Iraq instead of the 28 sites
    (presence and needs stay the seed's; they reach sites through IQG01 rows)."""
    ds = load_embedded()
    rng = np.random.default_rng(seed)
    gov = rng.choice(["IQG01", "IQG15", "IQG16", "IQG10", "IQG13", "IQG08"], n)
    sites = pd.DataFrame({
        "site_id": [f"IRQ-{i:05d}" for i in range(n)], "site_name": [f"Location {i}" for i in range(n)],
        "site_name_ar": "موقع", "admin1_code": gov, "admin1_name": "", "admin2_code": [g + "Q01" for g in gov],
        "admin2_name": "", "admin3_name": "", "latitude": rng.uniform(31.0, 36.8, n).round(6),
        "longitude": rng.uniform(40.0, 46.5, n).round(6), "site_type": "location", "site_type_basis": "",
        "site_group": "", "coordination_area": "", "source": "synthetic DTM Master List (benchmark)",
    })
    hh = rng.integers(1, 800, n)
    pop = pd.DataFrame({
        "site_id": sites["site_id"], "population_group": rng.choice(["idp", "returnee"], n), "households": hh,
        "individuals": hh * 6, "individuals_method": "hh_x6", "reference_date": "2024-06-30", "dtm_round": 133,
        "source": "synthetic DTM Master List (benchmark)",
    })
    return sites, pop


def bare_deck(points: pd.DataFrame) -> pdk.Deck:
    data = [{"p": [round(x, 5), round(y, 5)]} for x, y in zip(points["longitude"], points["latitude"])]
    return pdk.Deck(layers=[pdk.Layer("ScatterplotLayer", id="bare", data=data, get_position="p",
                                      get_radius=500)], map_provider=None)


def page_time(data_dir: Path | None, repeat: int = 3) -> float:
    from streamlit.testing.v1 import AppTest

    import streamlit as st

    old = os.environ.get("DSDASH_DATA_DIR")
    if data_dir is not None:
        os.environ["DSDASH_DATA_DIR"] = str(data_dir)
    try:
        st.cache_resource.clear()
        st.cache_data.clear()

        def once():
            at = AppTest.from_file(str(ROOT / "pages" / "map.py"), default_timeout=300)
            at.run()
            assert not at.exception, [e.value for e in at.exception]

        once()  # warm the loader cache, as a running app would have it
        return best_of(once, repeat)
    finally:
        if old is None:
            os.environ.pop("DSDASH_DATA_DIR", None)
        else:
            os.environ["DSDASH_DATA_DIR"] = old
        st.cache_resource.clear()


def empty_page_time(repeat: int = 3) -> float:
    """The AppTest harness's own cost (a page that only draws a title)."""
    from streamlit.testing.v1 import AppTest

    return best_of(lambda: AppTest.from_string("import streamlit as st\nst.title('x')").run(), repeat)


def run():
    out = []
    seed = load_embedded()
    sites, pop = synthetic()
    tmp = Path(tempfile.mkdtemp(prefix="dsdash_bench_map_"))
    try:
        for f in DATA_DIR.glob("*.csv"):
            shutil.copy(f, tmp / f.name)
        sites.to_csv(tmp / "sites.csv", index=False)
        pop.to_csv(tmp / "population.csv", index=False)
        national = load_embedded(tmp)
        for label, ds in (("seed, 28 sites", seed), (f"synthetic, {N_NATIONAL:,} sites", national)):
            n = len(ds.sites)
            for agg in ("points", "auto"):
                m = build_site_map(ds, aggregation=agg)
                js = m.deck.to_json()
                bare = bare_deck(m.points)
                bare_js = bare.to_json()
                kind = "hexagons" if m.aggregated else "circles"
                t = best_of(lambda: build_site_map(ds, aggregation=agg).deck.to_json(), 3)
                tb = best_of(lambda: bare_deck(m.points).to_json(), 3)
                out.append({"name": f"build + to_json, {label}, {kind}", "value": t, "unit": "ms", "floor": tb,
                            "floor_name": "bare one-layer deck"})
                out.append({"name": f"deck JSON per site, {label}, {kind}", "value": len(js) / n, "unit": "bytes",
                            "floor": len(bare_js) / n, "floor_name": "bare one-layer deck",
                            "note": f"total {len(js) / 1024:,.0f} KiB"})
                if agg == "points" and n < 100:
                    break  # auto = points at seed size
        harness = empty_page_time()
        out.append({"name": "page script (AppTest run), seed", "value": page_time(None), "unit": "ms",
                    "floor": harness, "floor_name": "AppTest of a one-line page",
                    "note": f"deck builder alone {best_of(lambda: build_site_map(seed).deck.to_json(), 3):,.0f} ms"})
        builder = best_of(lambda: build_site_map(national).deck.to_json(), 2)
        out.append({"name": f"page script (AppTest run), {N_NATIONAL:,} sites", "value": page_time(tmp, 2),
                    "unit": "ms", "floor": harness, "floor_name": "AppTest of a one-line page",
                    "note": f"deck builder alone {builder:,.0f} ms"})
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


if __name__ == "__main__":  # pragma: no cover
    for r in run():
        print(json.dumps(r))

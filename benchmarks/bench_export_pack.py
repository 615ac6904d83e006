"""50,000-row CSV/XLSX exports vs plain pandas/openpyxl; the meeting pack (target < 10 s).

The export rows hold formula-like text, Arabic and bare CRs (what the exporters guard
against); the pack is built on the embedded data, map included.
"""

import io

import numpy as np
import pandas as pd

from benchmarks.run import best_of
from dsdash.dataset import load_embedded
from dsdash.deck.build import build_deck, render_deck
from dsdash.deck.content import deck_content
from dsdash.export import to_csv_bytes, to_xlsx_bytes

N = 50_000


def frame(n: int = N) -> pd.DataFrame:
    """Site-like rows: names with formula-like text, Arabic and bare CRs; counts; dates."""
    rng = np.random.default_rng(1)
    kinds = np.array(["=HYPERLINK(\"http://x\",\"x\")", "+1", "-1", "@SUM(A1)", "Bzebiz sector 3", "الكرامة\r2"])
    return pd.DataFrame({
        "site_name": pd.array(kinds[np.arange(n) % len(kinds)], dtype="string"),
        "partner": pd.array(np.where(np.arange(n) % 2, "NRC", "-cmd"), dtype="string"),
        "individuals": pd.array(rng.integers(0, 5000, n), dtype="Int64"),
        "share": rng.random(n),
        "reference_date": pd.Series(pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D"))
        .astype("datetime64[s]"),
    })


def _openpyxl_floor(df: pd.DataFrame) -> bytes:
    """The least any XLSX writer of these rows does: openpyxl write-only, values as they are."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(list(df.columns))
    for row in zip(*(df[c].astype(object).where(df[c].notna(), None).tolist() for c in df.columns)):
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def run():
    df = frame()
    out = []
    floor = best_of(lambda: df.to_csv(io.StringIO(), index=False), 5)
    ours = best_of(lambda: to_csv_bytes(df, hxl=True), 5)
    out.append({"name": f"to_csv_bytes, {N:,} rows (neutralised, HXL row)", "value": ours, "unit": "ms",
                "floor": floor, "floor_name": "DataFrame.to_csv"})
    floor = best_of(lambda: _openpyxl_floor(df), 2)
    ours = best_of(lambda: to_xlsx_bytes(df, hxl=True), 2)
    out.append({"name": f"to_xlsx_bytes, {N:,} rows (neutralised, HXL row)", "value": ours, "unit": "ms",
                "floor": floor, "floor_name": "openpyxl write-only, raw values"})
    ds = load_embedded()
    content = deck_content(ds)
    out.append({"name": "deck_content (numbers + map PNG, embedded data)",
                "value": best_of(lambda: deck_content(ds), 3),
                "unit": "ms", "floor": best_of(lambda: deck_content(ds, with_map=False), 3),
                "floor_name": "deck_content without the map"})
    out.append({"name": "render_deck (9 slides, 3 native charts)", "value": best_of(lambda: render_deck(content), 3),
                "unit": "ms"})
    total = best_of(lambda: build_deck(ds), 3)
    out.append({"name": "build_deck (the whole pack, embedded data)", "value": total, "unit": "ms",
                "note": f"target < 10,000 ms: {'met' if total < 10_000 else 'NOT MET'}"})
    return out

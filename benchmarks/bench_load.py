"""Loading the embedded data (validate every row) against plain pandas.read_csv of the same files."""

import pandas as pd

from benchmarks.run import best_of
from dsdash.dataset import DATA_DIR, EMBEDDED_FILES, load_embedded


def run():
    floor = best_of(lambda: [pd.read_csv(DATA_DIR / f, dtype=str) for f in EMBEDDED_FILES.values()], 10)
    ours = best_of(load_embedded, 10)
    return [{"name": "load_embedded() (11 files, validated)", "value": ours, "unit": "ms",
             "floor": floor, "floor_name": "pandas.read_csv of the same files"}]

"""Run every benchmarks/bench_*.py and print its figures next to the floor measured in the
same run. Usage: ``python benchmarks/run.py [NAME ...]`` (``make bench``).

Each module defines ``run() -> list[dict]``; each dict has ``name``, ``value``, ``unit``
and optionally ``floor`` (its value, same unit), ``floor_name`` and ``note``.
"""

from __future__ import annotations

import importlib.util
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))


def best_of(fn, repeat: int = 5) -> float:
    """Best wall time of ``repeat`` calls, in milliseconds."""
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, (time.perf_counter() - t) * 1000)
    return best


def main(names: list[str]) -> int:
    print(f"dsdash benchmarks · Python {platform.python_version()} · {platform.machine()}")
    for path in sorted(HERE.glob("bench_*.py")):
        if names and not any(n in path.stem for n in names):
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        print(f"\n## {path.stem}: {(mod.__doc__ or '').strip().splitlines()[0]}")
        for r in mod.run():
            line = f"  {r['name']:<52} {r['value']:>12,.2f} {r['unit']}"
            if r.get("floor") is not None:
                ratio = r["value"] / r["floor"] if r["floor"] else float("nan")
                line += f"   floor {r.get('floor_name', '')}: {r['floor']:,.2f} {r['unit']} (× {ratio:.2f})"
            if r.get("note"):
                line += f"   {r['note']}"
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

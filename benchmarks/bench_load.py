"""Loading the embedded data (validate every row) against plain pandas.read_csv of the same files; run as a
script, N concurrent browser sessions on the Gaps page (first load, as-of date change to settled)."""

import pandas as pd

from benchmarks.run import best_of
from dsdash.dataset import DATA_DIR, EMBEDDED_FILES, load_embedded


def run():
    floor = best_of(lambda: [pd.read_csv(DATA_DIR / f, dtype=str) for f in EMBEDDED_FILES.values()], 10)
    ours = best_of(load_embedded, 10)
    return [{"name": "load_embedded() (11 files, validated)", "value": ours, "unit": "ms",
             "floor": floor, "floor_name": "pandas.read_csv of the same files"}]


# --------------------------------------------------------------------------- many sessions at once
# ``python benchmarks/bench_load.py [--url http://host:8501] [--sessions 1 8 16] [--changes 3]``:
# N browser sessions (one headless Chromium, a context each: separate Streamlit sessions) open the
# Gaps page at once, then each types as-of dates (a new date, Enter) in turn. Prints the median and
# p95 of "first load" (navigation to the script settled) and "date change to settled" (Enter to the
# script settled with the new date in the URL), and the errors (exceptions on screen, timeouts).
# Without --url it starts the app itself on a free port (a fresh workspace in a temporary DSDASH_HOME).

DATES = ["2023-09-30", "2023-06-30", "2024-03-31", "2023-12-01", "2024-01-15", "2023-10-31"]
SETTLED_JS = """(want) => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app && app.getAttribute('data-test-script-state') === 'notRunning' && document.querySelector('h1')
         && (!want || location.search.includes('as_of=' + want));
}"""


async def _settled(page, want: str | None, timeout_s: float) -> None:
    """The script has run and stays idle (two checks 150 ms apart), with ``want`` in the URL."""
    import asyncio

    await page.wait_for_function(SETTLED_JS, arg=want, timeout=timeout_s * 1000, polling=50)
    await asyncio.sleep(0.15)
    await page.wait_for_function(SETTLED_JS, arg=want, timeout=timeout_s * 1000, polling=50)


async def _session(browser, url: str, k: int, changes: int, timeout_s: float, out: dict) -> None:
    import time

    ctx = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await ctx.new_page()
    try:
        t = time.perf_counter()
        await page.goto(f"{url}/gaps", timeout=timeout_s * 1000)
        await _settled(page, None, timeout_s)
        out["first"].append(time.perf_counter() - t)
        box = page.locator('[data-testid="stSidebar"] [data-testid="stTextInput"]').filter(
            has_text="As-of date").first.locator("input")
        for i in range(changes):
            day = DATES[(k + i) % len(DATES)]
            await box.click()
            await box.press("Control+a")
            await box.fill(day)
            t = time.perf_counter()
            await box.press("Enter")
            await _settled(page, day, timeout_s)
            out["change"].append(time.perf_counter() - t)
        if await page.locator('[data-testid="stException"]').count():
            out["errors"].append(f"session {k}: exception on screen")
    except Exception as exc:  # noqa: BLE001 - a timeout is a result here
        out["errors"].append(f"session {k}: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
    finally:
        await ctx.close()


async def _round(url: str, n: int, changes: int, timeout_s: float) -> dict:
    import asyncio

    from playwright.async_api import async_playwright

    from tests.browser.helpers import CHROMIUM_ARGS, chromium_path

    out: dict = {"first": [], "change": [], "errors": []}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        await asyncio.gather(*(_session(browser, url, k, changes, timeout_s, out) for k in range(n)))
        await browser.close()
    return out


def _pct(values: list[float], q: float) -> float:
    import numpy as np

    return float(np.percentile(values, q)) if values else float("nan")


def sessions_main(argv: list[str] | None = None) -> int:
    import argparse
    import asyncio
    import os
    import statistics
    import tempfile

    p = argparse.ArgumentParser(description="N concurrent browser sessions on the Gaps page")
    p.add_argument("--url", help="a running app (default: start one)")
    p.add_argument("--sessions", type=int, nargs="+", default=[1, 8, 16])
    p.add_argument("--changes", type=int, default=3, help="as-of date changes per session")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds a load or change may take")
    a = p.parse_args(argv)
    server = None
    url = a.url
    if not url:
        from tests.browser.helpers import AppServer

        server = AppServer(env={"DSDASH_HOME": tempfile.mkdtemp(prefix="dsdash-bench-")})
        server.start()
        url = server.url
    try:
        asyncio.run(_round(url, 1, 1, 120))  # warm: the router has run, the workspace is open and cached
        print(f"{'N':>3} | {'first load median':>17} | {'p95':>6} | {'date change median':>18} | {'p95':>6} | "
              f"{'max':>6} | errors")
        for n in a.sessions:
            r = _run_round(url, n, a.changes, a.timeout)
            med = statistics.median
            print(f"{n:>3} | {med(r['first']) if r['first'] else float('nan'):>16.2f}s | {_pct(r['first'], 95):>5.2f}s | "
                  f"{med(r['change']) if r['change'] else float('nan'):>17.2f}s | {_pct(r['change'], 95):>5.2f}s | "
                  f"{max(r['change'], default=float('nan')):>5.2f}s | {len(r['errors'])}"
                  + (f" ({'; '.join(r['errors'][:3])})" if r["errors"] else ""), flush=True)
    finally:
        if server is not None:
            server.stop()
    return 0


def _run_round(url, n, changes, timeout_s):
    import asyncio

    return asyncio.run(_round(url, n, changes, timeout_s))


if __name__ == "__main__":
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    raise SystemExit(sessions_main())

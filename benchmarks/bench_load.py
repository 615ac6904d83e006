"""Loading the embedded data (validate every row) against plain pandas.read_csv of the same files; run as a
script, N concurrent browser sessions on the Gaps page (first load, as-of date change to settled)."""

import sys
from pathlib import Path

if __name__ == "__main__" and not __package__:  # ``python benchmarks/bench_load.py``: the repository on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402

from benchmarks.run import best_of  # noqa: E402
from dsdash.dataset import DATA_DIR, EMBEDDED_FILES, load_embedded


def run():
    floor = best_of(lambda: [pd.read_csv(DATA_DIR / f, dtype=str) for f in EMBEDDED_FILES.values()], 10)
    ours = best_of(load_embedded, 10)
    return [{"name": "load_embedded() (11 files, validated)", "value": ours, "unit": "ms",
             "floor": floor, "floor_name": "pandas.read_csv of the same files"}]


# --------------------------------------------------------------------------- many sessions at once
# ``python benchmarks/bench_load.py [--url http://host:8501] [--sessions 1 8 16] [--changes 3] [--driver ws]``:
# N sessions open the Gaps page at once, then each sets as-of dates in turn. Prints the median and p95
# of "first load" (the first script run to settled) and "date change to settled" (a new as-of date to
# the last script run it starts having finished, the date in the URL), and the errors (exceptions,
# timeouts). The default driver speaks Streamlit's websocket protocol (the server's own figures); with
# ``--driver browser`` each session is a headless Chromium context, whose rendering then competes with
# the server for the same cores. Without --url it starts the app itself on a free port (a fresh
# workspace in a temporary DSDASH_HOME).

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


async def _round(url: str, n: int, changes: int, timeout_s: float, driver: str = "ws") -> dict:
    import asyncio

    out: dict = {"first": [], "change": [], "errors": []}
    if driver == "ws":
        await asyncio.gather(*(_ws_session(url, k, changes, timeout_s, out) for k in range(n)))
        return out
    from playwright.async_api import async_playwright

    from tests.browser.helpers import CHROMIUM_ARGS, chromium_path

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        await asyncio.gather(*(_session(browser, url, k, changes, timeout_s, out) for k in range(n)))
        await browser.close()
    return out


async def _ws_session(url: str, k: int, changes: int, timeout_s: float, out: dict) -> None:
    """One session over Streamlit's own websocket protocol (what the browser sends: a BackMsg
    ``rerun_script`` with the URL query and the widget values; what it waits for: ForwardMsgs up to
    ``script_finished``), so the figures are the server's, not N browsers rendering on the same cores.
    A date change sets the as-of text field's value as Enter does; settled = the last script run it
    starts has finished (a run that follows within 0.3 s, such as an ``st.rerun``, is waited for)."""
    import asyncio
    import time

    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    ids: dict[str, str] = {}
    query = {"q": ""}

    async def run(ws, widgets: dict | None = None) -> None:
        m = BackMsg()
        cs = m.rerun_script
        cs.query_string = query["q"]
        cs.page_name = "gaps"
        for wid, val in (widgets or {}).items():
            w = cs.widget_states.widgets.add()
            w.id = wid
            w.string_value = val
        await ws.send(m.SerializeToString())
        deadline = time.monotonic() + timeout_s
        finished = False
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no script_finished in {timeout_s:g} s")
            try:
                raw = await asyncio.wait_for(ws.recv(), timeout=min(left, 0.3) if finished else left)
            except asyncio.TimeoutError:
                if finished:
                    return  # idle for 0.3 s after a finished run: settled
                raise
            f = ForwardMsg()
            f.ParseFromString(raw)
            kind = f.WhichOneof("type")
            if kind == "delta" and f.delta.WhichOneof("type") == "new_element":
                el = f.delta.new_element
                if el.WhichOneof("type") == "text_input":
                    ids[el.text_input.label] = el.text_input.id
                elif el.WhichOneof("type") == "exception":
                    out["errors"].append(f"session {k}: exception: {el.exception.message[:100]}")
            elif kind == "page_info_changed":
                query["q"] = f.page_info_changed.query_string
            elif kind == "script_finished":
                finished = True
            elif kind == "session_status_changed" and f.session_status_changed.script_is_running:
                finished = False

    try:
        async with websockets.connect(url.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"],
                                      max_size=None, open_timeout=timeout_s) as ws:
            t = time.perf_counter()
            await run(ws)
            out["first"].append(time.perf_counter() - t - 0.3)
            for i in range(changes):
                day = DATES[(k + i) % len(DATES)]
                t = time.perf_counter()
                await run(ws, {ids["As-of date"]: day})
                out["change"].append(time.perf_counter() - t - 0.3)
                if f"as_of={day}" not in query["q"]:
                    out["errors"].append(f"session {k}: the URL did not take {day} ({query['q'][:80]})")
    except Exception as exc:  # noqa: BLE001 - a timeout is a result here
        out["errors"].append(f"session {k}: {type(exc).__name__}: {str(exc).splitlines()[0][:120] if str(exc) else ''}")


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
    p.add_argument("--driver", choices=["ws", "browser"], default="ws",
                   help="Streamlit's websocket protocol (the server's figures; default) or headless Chromium "
                        "(the browsers render on the same cores)")
    a = p.parse_args(argv)
    server = None
    url = a.url
    if not url:
        from tests.browser.helpers import AppServer

        server = AppServer(env={"DSDASH_HOME": tempfile.mkdtemp(prefix="dsdash-bench-")})
        server.start()
        url = server.url
    try:
        asyncio.run(_round(url, 1, 1, 120, a.driver))  # warm: the router has run, the workspace is open and cached
        print(f"{'N':>3} | {'first load median':>17} | {'p95':>6} | {'date change median':>18} | {'p95':>6} | "
              f"{'max':>6} | errors")
        for n in a.sessions:
            r = _run_round(url, n, a.changes, a.timeout, a.driver)
            med = statistics.median
            print(f"{n:>3} | {med(r['first']) if r['first'] else float('nan'):>16.2f}s | {_pct(r['first'], 95):>5.2f}s | "
                  f"{med(r['change']) if r['change'] else float('nan'):>17.2f}s | {_pct(r['change'], 95):>5.2f}s | "
                  f"{max(r['change'], default=float('nan')):>5.2f}s | {len(r['errors'])}"
                  + (f" ({'; '.join(r['errors'][:3])})" if r["errors"] else ""), flush=True)
    finally:
        if server is not None:
            server.stop()
    return 0


def _run_round(url, n, changes, timeout_s, driver="ws"):
    import asyncio

    return asyncio.run(_round(url, n, changes, timeout_s, driver))


if __name__ == "__main__":
    raise SystemExit(sessions_main())

"""Browser-test plumbing: start the real app on a free port, drive Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support.paths import ROOT, SCREENSHOTS

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-quic", "--no-first-run", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        p = shutil.which(name)
        if p:
            return p
    return None


def require_chromium() -> str:
    path = chromium_path()
    if path:
        return path
    msg = "Debian's chromium is not installed (apt-get install -y chromium); .ci/run installs it"
    if os.environ.get("DSDASH_REQUIRE_BROWSER"):
        pytest.fail(msg)
    pytest.skip(msg)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    def __init__(self, env: dict | None = None) -> None:
        self.extra_env = dict(env or {})
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = SCREENSHOTS / f"server-{self.port}.log"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 90) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, PYTHONPATH=str(ROOT), **self.extra_env)
        self._logf = open(self.log, "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=self._logf, stderr=subprocess.STDOUT,
        )
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited: {self.log.read_text()}")
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError("streamlit did not become healthy in time")

    def warm_up(self, browser) -> None:
        """Run app.py once. Until the router has run in some session, Streamlit serves a
        direct visit to /<page> in its legacy pages/ mode (no st.navigation)."""
        pg = browser.new_page()
        pg.goto(self.url)
        wait_for_app(pg)
        pg.close()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        if getattr(self, "_logf", None):
            self._logf.close()


def wait_for_app(page, timeout_ms: int = 60_000) -> None:
    """Wait until the script has run: a heading is visible and Streamlit reports the
    script as not running (``stApp[data-test-script-state]``), twice in a row."""
    page.wait_for_selector("h1", timeout=timeout_ms)
    deadline = time.time() + timeout_ms / 1000
    idle = 0
    while time.time() < deadline and idle < 2:
        state = page.get_attribute('[data-testid="stApp"]', "data-test-script-state")
        idle = idle + 1 if state == "notRunning" else 0
        page.wait_for_timeout(300)
    page.wait_for_timeout(300)


def assert_no_errors(page, name: str) -> None:
    exc = page.locator('[data-testid="stException"]')
    assert exc.count() == 0, f"{name}: exception on screen: {exc.first.inner_text()[:500]}"
    body = page.inner_text("body")
    assert "Traceback (most recent call last)" not in body, f"{name}: traceback on screen"
    assert "Page not found" not in body, f"{name}: Streamlit did not find the page"


def screenshot(page, name: str) -> Path:
    """Save a PNG of the whole page. Streamlit scrolls an inner container, so
    ``full_page`` alone captures one window: grow the viewport to the content first."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    size = page.viewport_size
    height = page.evaluate(
        """() => Math.max(...['[data-testid="stMain"]', '[data-testid="stAppViewContainer"]', 'section.main']
              .map(s => document.querySelector(s)).filter(Boolean).map(e => e.scrollHeight), 0)"""
    )
    if size and height and height > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 12000)})
        page.wait_for_timeout(400)
    page.screenshot(path=str(path), full_page=True)
    if size:
        page.set_viewport_size(size)
    return path


#: A focal point's phone: 400 px wide (issue 16); the ``phone`` fixture's viewport.
PHONE = {"width": 400, "height": 860}

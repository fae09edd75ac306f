"""Load benchmark pages in Debian's Chromium and measure when the map is drawn.

Pages are served by :mod:`bench.serve` (a ``http.server`` bound to 127.0.0.1) from a
scratch directory holding the HTML files and a ``vendor`` symlink to
``static/vendor``. Tile URLs are pointed at the server's blank ``/tiles/`` (see
:func:`offline_page`), so tile loading stays in the picture at the same cost for
every variant. Every other host (folium's CDN assets) fails to resolve at once
(``--host-resolver-rules``), as at a venue with no network. The browser is never
downloaded (``executable_path``).
"""

from __future__ import annotations

import contextlib
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, sync_playwright

REPO_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # performance.memory with exact (not bucketed) values, and window.gc().
    "--enable-precise-memory-info",
    "--js-flags=--expose-gc",
    # Offline without request interception (which would slow every request down): any
    # host but the loopback server fails to resolve at once.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
VIEWPORT = {"width": 1280, "height": 800}
_TILE_URL = re.compile(r"https://(\{s\}\.)?tile\.openstreetmap\.org/")

#: Drawn once the page has loaded and the overlay + marker panes hold every object.
_DRAWN_JS = """
(expected) => document.readyState === "complete" &&
    document.querySelectorAll(
        ".leaflet-overlay-pane path, .leaflet-marker-pane .leaflet-marker-icon"
    ).length >= expected
"""
#: After two animation frames the browser has painted what the scripts built.
_AFTER_PAINT_JS = """
() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    resolve({
        ready_ms: performance.now(),
        load_ms: nav ? nav.loadEventEnd : null,
        heap: performance.memory.usedJSHeapSize,
        drawn: document.querySelectorAll(
            ".leaflet-overlay-pane path, .leaflet-marker-pane .leaflet-marker-icon").length,
        ours: document.querySelectorAll(".lsz-f").length,
    });
})))
"""
_HEAP_AFTER_GC_JS = """
() => { if (window.gc) { window.gc(); window.gc(); } return performance.memory.usedJSHeapSize; }
"""


@dataclass
class PageResult:
    """One page load: times in seconds since navigation start, heap in bytes."""

    ready_s: float | None
    load_s: float | None
    heap_bytes: int | None
    heap_after_gc_bytes: int | None
    drawn: int
    ours_drawn: int
    js_errors: int
    failed_requests: int
    error: str | None = None
    #: Main-thread busy time (CDP ``Performance.getMetrics`` ``TaskDuration``), seconds.
    task_s: float | None = None
    #: Of which running JavaScript (``ScriptDuration``), seconds.
    script_s: float | None = None
    #: 1-minute load average of the machine right after the load (set by the caller).
    load_avg: float | None = None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def http_server(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 from a child process; yield its base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.serve", str(port), str(directory)],
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                urllib.request.urlopen(url + "/", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"http.server on {url} did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def offline_page(html: str, tile_base: str = "tiles/") -> str:
    """Point OSM tile URLs at a benchmark server's blank ``tiles/`` (default: the page's own).

    ``tile_base`` of another origin (``http://127.0.0.1:<other port>/tiles/``) keeps the
    basemap's requests off the page's own connections, as tile.openstreetmap.org is off
    the app's: Chromium opens at most 6 connections per origin, and ~40 basemap tiles on
    the page's origin queue a tiled layer's archive reads behind them.
    """
    return _TILE_URL.sub(tile_base, html)


def stage_dir(directory: Path) -> Path:
    """Prepare ``directory`` for serving: a ``vendor`` link to the repo's vendored assets."""
    directory.mkdir(parents=True, exist_ok=True)
    link = directory / "vendor"
    if not link.exists():
        link.symlink_to(REPO_ROOT / "static" / "vendor", target_is_directory=True)
    return directory


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    """Launch the system Chromium headless with the benchmark's flags."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: install Debian's chromium (apt) first")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def browser_version(browser: Browser) -> str:
    """Return Chromium's version string."""
    return browser.version


def load_page(browser: Browser, url: str, expected: int, timeout_s: float) -> PageResult:
    """Open ``url`` in a fresh context and measure until ``expected`` objects are drawn.

    Parameters
    ----------
    browser : Browser
        A launched Chromium.
    url : str
        Page to open.
    expected : int
        Paths (overlay pane) + icons (marker pane) the page draws when complete.
    timeout_s : float
        Bound of the whole measurement; a slower page gives a result with ``error``.
    """
    context = browser.new_context(viewport=VIEWPORT, service_workers="block")
    failed: list[str] = []
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("requestfailed", lambda request: failed.append(request.url))
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    timeout_ms = timeout_s * 1000
    page.set_default_timeout(timeout_ms)
    try:
        page.goto(url, wait_until="commit", timeout=timeout_ms)
        page.wait_for_function(_DRAWN_JS, arg=expected, polling="raf", timeout=timeout_ms)
        measured: dict[str, Any] = page.evaluate(_AFTER_PAINT_JS)
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        heap_gc = page.evaluate(_HEAP_AFTER_GC_JS)
        return PageResult(
            ready_s=measured["ready_ms"] / 1000,
            load_s=(measured["load_ms"] or 0) / 1000 or None,
            heap_bytes=int(measured["heap"]),
            heap_after_gc_bytes=int(heap_gc),
            drawn=int(measured["drawn"]),
            ours_drawn=int(measured["ours"]),
            js_errors=len(errors),
            failed_requests=len(failed),
            task_s=metrics.get("TaskDuration"),
            script_s=metrics.get("ScriptDuration"),
        )
    except Exception as exc:  # a timeout or a crashed page is a result, not a stop
        return PageResult(None, None, None, None, 0, 0, len(errors), len(failed), repr(exc)[:300])
    finally:
        context.close()


def smoke(path: Path, expected: int) -> PageResult:
    """Load one local HTML file (its directory is served) and return the measurement."""
    with http_server(stage_dir(path.parent)) as url, chromium() as browser:
        return load_page(browser, f"{url}/{path.name}", expected, timeout_s=120)


def js_errors(browser: Browser, url: str) -> list[str]:
    """Return the page errors of ``url`` (diagnostics only)."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url, wait_until="load")
    page.wait_for_timeout(500)
    context.close()
    return errors

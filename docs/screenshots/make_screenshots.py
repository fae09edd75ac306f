"""Take the README screenshots: 1920×1080, headless Debian Chromium, offline basemaps only.

Run from the repository root: ``.venv/bin/python docs/screenshots/make_screenshots.py
[NAME.png ...]`` (every shot, or only those named). It starts ``app.py`` on a free port
(``tests/e2e/server.py``), so nothing leaves the machine, and overwrites the PNG files
next to this script.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from playwright.sync_api import sync_playwright  # noqa: E402
from server import find_free_port, start_streamlit, stop_streamlit, wait_until_healthy  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1920, "height": 1080}
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
#: File name, query string, whether the page has a map.
SHOTS = [
    ("map.png", "basemap=none&lang=vi&feature=zone-cargo-transit", True),
    ("map-zh-2025.png", "basemap=none&lang=zh&date=2025-06-01", True),
    ("dashboard.png", "basemap=none&lang=en&page=dashboard", False),
    ("lots.png", "basemap=none&lang=en&page=investor&lot=lot-ktc-b01", True),
    # The default basemap, drawn from the bundled vector data (geo.vector_basemap).
    ("offline-map.png", "lang=en", True),
    ("tour.png", "basemap=none&lang=en&page=tour&stop=3", True),
]
#: The investor page's lot map has no legend on it (its key is a caption below).
NO_MAP_LEGEND = {"lots.png"}
#: Scrolled down this far (px) before the shot: the notice, table and map at the top.
SCROLL_PX = {"lots.png": 200}
#: The exported A4 page (landscape, 150 dpi), made by the command line itself.
PRINT_SHOT = ("print-a4.png", ["--format", "png", "--tour", "--stop", "3", "--lang", "en"])


def main(names: list[str]) -> None:
    """Start the app, take the shots of :data:`SHOTS` named in ``names`` (all if empty)."""
    unknown = set(names) - {name for name, _, _ in SHOTS}
    if unknown:
        sys.exit(f"unknown shot(s) {', '.join(sorted(unknown))}; known: {[s[0] for s in SHOTS]}")
    proc = start_streamlit("app.py", find_free_port())
    try:
        url = wait_until_healthy(proc)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            for name, query, has_map in SHOTS:
                if names and name not in names:
                    continue
                page = browser.new_page(viewport=VIEWPORT, locale="en-US")
                page.goto(f"{url}/?{query}")
                if has_map:
                    frame = page.frame_locator(MAP_FRAME).first
                    frame.locator("path.lsz-f").first.wait_for(timeout=90_000)
                    if name not in NO_MAP_LEGEND:
                        frame.locator(".lsz-legend").wait_for(timeout=90_000)
                else:
                    page.get_by_test_id("stVegaLiteChart").first.wait_for(timeout=90_000)
                if "page=tour" in query:  # the stop's panel, after the map
                    page.locator(".lsz-tour-panel h1").wait_for(timeout=90_000)
                    page.wait_for_timeout(5_000)
                page.wait_for_timeout(2_500)  # last re-run, labels and declutter
                if name in SCROLL_PX:
                    page.mouse.move(VIEWPORT["width"] / 2, 300)
                    page.mouse.wheel(0, SCROLL_PX[name])
                    page.mouse.move(VIEWPORT["width"] - 10, VIEWPORT["height"] - 10)
                    page.wait_for_timeout(500)
                page.screenshot(path=str(HERE / name))
                page.close()
                print(f"wrote {HERE / name}")
            browser.close()
    finally:
        stop_streamlit(proc)
    name, args = PRINT_SHOT
    subprocess.run([sys.executable, "-m", "geo", "export", *args, str(HERE / name)], check=True)


if __name__ == "__main__":
    main(sys.argv[1:])

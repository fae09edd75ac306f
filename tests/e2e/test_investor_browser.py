"""The investor page in headless Chromium: a click on a lot or on a row selects it.

What only a browser can show: that a click on a lot drawn on the map reaches the app
(``st_folium``'s value and its callback), and that a click on a row of the results table
(a canvas grid) does. Lot ids and codes come from the shipped lot layer, never typed here;
``basemap=none`` keeps every request on this machine.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Frame, Page, expect

from geo.catalog import load_catalog
from geo.i18n import t
from geo.registry import load_registry

pytestmark = pytest.mark.e2e

MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
WAIT_MS = 90_000


@pytest.fixture(scope="module")
def lots():
    """The shipped lots (every layer of schema ``lot``), in table order."""
    registry = load_registry()
    catalog = load_catalog(registry)
    (layer_id,) = [spec.id for spec in registry.layers if spec.schema == "lot"]
    return catalog.layers[layer_id]


def lot_map(page: Page) -> Frame:
    """Return the lot map's frame (the first map of the page) once its lots are drawn."""
    page.frame_locator(MAP_FRAME).first.locator("path.lsz-f").first.wait_for(timeout=WAIT_MS)
    frame = next(f for f in page.frames if "st_folium" in f.url)
    frame.wait_for_function("() => window.map", timeout=WAIT_MS)
    return frame


def panel_title(code: str) -> str:
    return t("investor.lot.panel_title", "en", code=code)


def test_a_lot_clicked_on_the_map_opens_its_panel_and_goes_into_the_link(page: Page, app_url, lots):
    page.goto(f"{app_url}/?basemap=none&lang=en&page=investor")
    frame = lot_map(page)
    page.locator(MAP_FRAME).first.scroll_into_view_if_needed()
    # A lot whose middle (of its box on screen) lies on the lot itself, nothing drawn over it.
    found = frame.evaluate(
        """(ids) => {
            for (const id of ids) {
                const el = document.querySelector("path.lsz-f-" + CSS.escape(id));
                if (!el) continue;
                const r = el.getBoundingClientRect();
                const x = r.left + r.width / 2, y = r.top + r.height / 2;
                const top = document.elementFromPoint(x, y);
                if (top && (top.getAttribute("class") || "").includes("lsz-f-" + id)) {
                    return {id, x, y};
                }
            }
            return null;
        }""",
        [str(i) for i in lots.index[2:]],  # not the first rows: the selection must change
    )
    assert found, "no lot of the map can be clicked in its middle"
    lot_id = found["id"]
    box = page.locator(MAP_FRAME).first.bounding_box()
    page.mouse.click(box["x"] + found["x"], box["y"] + found["y"])
    code = str(lots.at[lot_id, "code"])
    expect(page.get_by_role("heading", name=panel_title(code))).to_be_visible(timeout=WAIT_MS)
    page.wait_for_url(f"**lot={lot_id}**", timeout=WAIT_MS)
    assert page.console_errors == [] and page.external_requests == []


def test_a_row_clicked_in_the_table_selects_its_lot(page: Page, app_url, lots):
    page.goto(f"{app_url}/?basemap=none&lang=en&page=investor")
    lot_map(page)
    grid = page.get_by_test_id("stDataFrame").first
    grid.wait_for(timeout=WAIT_MS)
    box = grid.bounding_box()
    # The grid is a canvas: the second data row's selection box, below the header row.
    row_px = 35
    page.mouse.click(box["x"] + 12, box["y"] + row_px + row_px * 1.5)
    lot_id = str(lots.index[1])
    code = str(lots.at[lot_id, "code"])
    expect(page.get_by_role("heading", name=panel_title(code))).to_be_visible(timeout=WAIT_MS)
    page.wait_for_url(f"**lot={lot_id}**", timeout=WAIT_MS)
    assert page.console_errors == [] and page.external_requests == []

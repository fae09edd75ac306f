"""A planner reshapes a project on the Edit panel's map, in the real app and real Chromium.

The app runs on a store in a temporary folder with one planner. After the login, the Edit
panel's map must load leaflet-draw from the repository (every request off the loopback is
blocked and counted, 0 expected), show the stored shape's geodesic area, and, after a vertex
is dragged and *Done* clicked, put the reshaped shape in the *New shape* field, whose
measure (drawn by the server with geo.measure) is the one the map showed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from network import block_external
from playwright.sync_api import Frame, Page, expect
from server import app_on_store
from shapely.geometry import shape
from test_measure_browser import area_text

from geo.i18n import t
from geo.measure import area_ha
from geo.store import open_store, store_url
from geo.store.accounts import add_account
from geo.text import format_number

pytestmark = pytest.mark.e2e

WAIT_MS = 90_000
PASSWORD = "correcthorsebattery"
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"


@pytest.fixture(scope="module")
def planner_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, object]]:
    """Serve the app on a fresh store with a planner; yield URL, a feature and its shape."""
    folder = tmp_path_factory.mktemp("edit_draw")
    env = {"LSZ_DATA_DIR": str(folder / "data")}
    with open_store(store_url(env)) as store:
        add_account(store, "lan", PASSWORD, "planner")
        layer_id = next(e["id"] for e in store.entries() if e["schema"] == "project")
        assert next(e for e in store.entries() if e["id"] == layer_id)["geometry_kind"] == (
            "polygon"
        )
        feature = store.features(layer_id)[0]
    with app_on_store(env["LSZ_DATA_DIR"], folder / "app.log") as url:
        yield url, feature.id, feature.geometry


def _edit_map(page: Page) -> Frame:
    """The frame of the Edit panel's map, once leaflet-draw holds the shape."""
    page.frame_locator(MAP_FRAME).nth(1).locator(".leaflet-draw-edit-edit").wait_for(
        timeout=WAIT_MS
    )
    for frame in page.frames:
        if "st_folium" in frame.url and frame.evaluate("() => !!(window.map && map.lszDraw)"):
            return frame
    raise AssertionError("no frame holds the drawing map")


def test_a_planner_drags_a_vertex_and_the_shape_field_gets_the_reshaped_area(
    page: Page, planner_app
) -> None:
    url, feature_id, stored = planner_app
    blocked = block_external(page)
    page.goto(f"{url}/?lang=en&basemap=none&feature={feature_id}")
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("textbox", name=t("login.name", "en")).fill("lan")
    sidebar.get_by_role("textbox", name=t("login.password", "en")).fill(PASSWORD)
    sidebar.get_by_role("button", name=t("login.submit", "en")).click()
    frame = _edit_map(page)
    assert frame.evaluate("() => typeof L.Control.Draw") == "function"
    assert frame.evaluate("() => map.lszDraw.text()") == area_text(area_ha(stored) * 10_000, "en")

    edit_map = page.frame_locator(MAP_FRAME).nth(1)
    page.locator(MAP_FRAME).nth(1).scroll_into_view_if_needed()
    edit_map.locator(".leaflet-draw-edit-edit").click()
    handle = edit_map.locator(".leaflet-editing-icon").first.bounding_box()
    x, y = handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 25, y - 20, steps=6)
    page.mouse.up()
    (held,) = [
        shape(f["geometry"]) for f in frame.evaluate("() => map.lszDraw.group.toGeoJSON().features")
    ]
    assert not held.equals(stored)
    assert frame.evaluate("() => map.lszDraw.text()") == area_text(area_ha(held) * 10_000, "en")
    edit_map.get_by_role("link", name=t("draw.edit.toolbar.actions.save.text", "en")).click()

    measured = t("edit.shape_area", "en", area=format_number(area_ha(held), lang="en"))
    expect(page.get_by_text(measured, exact=True)).to_be_visible(timeout=WAIT_MS)
    field = page.get_by_role("textbox", name=t("edit.shape", "en"))
    # The box is filled by the same re-run; under load the browser may draw it a moment later.
    expect(field).to_have_value(re.compile(r"^\s*\{"), timeout=WAIT_MS)
    assert shape(json.loads(field.input_value())).equals_exact(held, 1e-9)
    assert blocked == [], blocked
    assert page.console_errors == [], page.console_errors

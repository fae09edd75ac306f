"""The planners' drawing map in real Chromium: leaflet-draw offline, live geodesic area.

The fixture page (``draw_fixture_app.py``) shows ``geo.draw_map`` with a fixture area. The
plugin must come from the repository (every request off the loopback is blocked and
counted, 0 expected); an area drawn with mouse clicks, and a vertex dragged, must show the
area :mod:`geo.measure` computes for the shape the map holds, and the app must receive
that shape (what the Edit panel puts in its shape field).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from network import block_external
from playwright.sync_api import Frame, Page, expect
from server import REPO_ROOT, find_free_port, start_streamlit, stop_streamlit, wait_until_healthy
from shapely import box
from shapely.geometry import shape
from test_accessibility import check_page
from test_measure_browser import area_text

from geo.measure import area_ha

pytestmark = pytest.mark.e2e

FIXTURE = REPO_ROOT / "tests" / "e2e" / "draw_fixture_app.py"
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
WAIT_MS = 90_000
FIXTURE_SHAPE = box(106.690, 21.935, 106.700, 21.945)
#: A new area, clicked corner by corner (lat, lng), then closed on its first corner.
CORNERS = [(21.9370, 106.6920), (21.9375, 106.6985), (21.9430, 106.6990), (21.9425, 106.6925)]


@pytest.fixture(scope="module")
def draw_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("draw") / "draw_fixture.log"
    proc = start_streamlit(FIXTURE, find_free_port(), static_dir=REPO_ROOT / "static", log_path=log)
    try:
        yield wait_until_healthy(proc)
    finally:
        stop_streamlit(proc)


def _open(page: Page, url: str) -> tuple[Frame, list[str], list[str]]:
    """Open the page, blocking what leaves the machine; return frame, blocked, requested."""
    requested: list[str] = []
    blocked = block_external(page, requested)
    page.goto(url)
    page.get_by_text("draw fixture ready").wait_for(timeout=WAIT_MS)
    page.frame_locator(MAP_FRAME).locator(".leaflet-draw-draw-polygon").wait_for(timeout=WAIT_MS)
    (frame,) = [f for f in page.frames if "st_folium" in f.url]
    frame.wait_for_function("() => window.map && window.map.lszDraw", timeout=WAIT_MS)
    return frame, blocked, requested


def _xy(page: Page, frame: Frame, lat: float, lng: float) -> tuple[float, float]:
    """The page position where ``(lat, lng)`` is drawn."""
    x, y = frame.evaluate(
        """([lat, lng]) => {
            const p = map.latLngToContainerPoint([lat, lng]);
            const box = map.getContainer().getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""",
        [lat, lng],
    )
    frame_box = page.locator(MAP_FRAME).bounding_box()
    return frame_box["x"] + x, frame_box["y"] + y


def _click(page: Page, frame: Frame, lat: float, lng: float) -> None:
    """Click the map at ``(lat, lng)``, as a person does: leaflet-draw ignores a second
    click within 50 ms of a vertex (its double-click guard)."""
    page.mouse.click(*_xy(page, frame, lat, lng))
    page.wait_for_timeout(150)


def _held(frame: Frame):
    """The shape the map holds now (what it returns to the app), as shapely."""
    (feature,) = frame.evaluate("() => map.lszDraw.group.toGeoJSON().features")
    return shape(feature["geometry"])


def _shown(frame: Frame) -> str:
    return frame.evaluate("() => map.lszDraw.text()")


def _received(page: Page):
    """The shape the app received, once it has."""
    locator = page.get_by_text("drawn: {")
    locator.wait_for(timeout=WAIT_MS)
    return shape(json.loads(locator.inner_text().removeprefix("drawn: ")))


def test_the_plugin_loads_offline_and_a_clicked_area_shows_geo_measure_s_area(
    draw_app: str, page: Page
) -> None:
    frame, blocked, requested = _open(page, draw_app)
    assert blocked == [], blocked
    assert any(u.endswith("/app/static/vendor/leaflet-draw/leaflet.draw.js") for u in requested)
    assert any(u.endswith("/app/static/vendor/leaflet-draw/leaflet.draw.css") for u in requested)
    assert _shown(frame) == area_text(area_ha(FIXTURE_SHAPE) * 10_000, "en")  # the shape now
    problems, _ = check_page(page)
    assert not problems, problems

    page.frame_locator(MAP_FRAME).locator(".leaflet-draw-draw-polygon").click()
    for lat, lng in CORNERS[:3]:
        _click(page, frame, lat, lng)
    # Live, before the area is closed: the area of the three corners clicked.
    corners = frame.evaluate(
        """() => { const held = [];
                   map.eachLayer(l => { if (l instanceof L.Marker && l.options.icon
                       && l.options.icon.options.className
                       && l.options.icon.options.className.includes('leaflet-editing-icon'))
                       { held.push(l.getLatLng()); } });
                   return held.map(p => [p.lng, p.lat]); }"""
    )
    assert len(corners) == 3
    open_area = area_ha(shape({"type": "Polygon", "coordinates": [[*corners, corners[0]]]}))
    expect(page.frame_locator(MAP_FRAME).locator(".lsz-draw-measure")).to_have_text(
        area_text(open_area * 10_000, "en")
    )
    _click(page, frame, *CORNERS[3])
    _click(page, frame, *CORNERS[0])  # the first corner closes the area

    held = _held(frame)
    assert len(held.exterior.coords) == 5 and not held.equals(FIXTURE_SHAPE)  # replaced
    assert _shown(frame) == area_text(area_ha(held) * 10_000, "en")
    received = _received(page)
    assert received.equals_exact(held, 1e-9)
    assert abs(area_ha(received) - area_ha(held)) < 1e-6
    assert page.console_errors == [], page.console_errors


def test_dragging_a_vertex_reshapes_the_area_and_its_measure_follows(
    draw_app: str, page: Page
) -> None:
    frame, blocked, _ = _open(page, draw_app)
    page.frame_locator(MAP_FRAME).locator(".leaflet-draw-edit-edit").click()
    _, _, east, north = FIXTURE_SHAPE.bounds
    x, y = _xy(page, frame, north, east)  # the north-east corner's handle
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 40, y - 30, steps=6)
    page.mouse.up()
    held = _held(frame)
    assert area_ha(held) > area_ha(FIXTURE_SHAPE) * 1.02  # pulled outwards
    assert _shown(frame) == area_text(area_ha(held) * 10_000, "en")
    page.frame_locator(MAP_FRAME).get_by_role("link", name="Done").click()  # keep the shape
    assert _received(page).equals_exact(held, 1e-9)
    assert blocked == [], blocked
    assert page.console_errors == [], page.console_errors

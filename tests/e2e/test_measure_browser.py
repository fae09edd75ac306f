"""The measuring tool in real Chromium: clicked points near Đồng Đăng, measured as geo.measure does.

The fixture page (``measure_fixture_app.py``) draws the map page's base map with the tool
(``geo.measure_control``). Points are clicked with the mouse on the map; the distance and
area the tool shows must be what :mod:`geo.measure` (pyproj) computes for the points the
map took, written as :func:`geo.text.format_number` writes them, and the browser's raw
values must agree with pyproj to the millimetre (the same Karney algorithms). Every
request to a host other than the loopback is blocked and counted (0 expected). On the
app's own map, a click on a gate while measuring adds a point and selects nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from network import block_external
from playwright.sync_api import Frame, Page, expect
from server import REPO_ROOT, find_free_port, start_streamlit, stop_streamlit, wait_until_healthy
from shapely import LineString, Polygon
from test_accessibility import check_page
from test_map_browser import map_frame, name_of, project_ids

from geo.catalog import load_catalog
from geo.i18n import t
from geo.measure import area_ha, length_km
from geo.measure_control import UNIT_DECIMALS
from geo.registry import load_registry
from geo.text import format_number

pytestmark = pytest.mark.e2e

FIXTURE = REPO_ROOT / "tests" / "e2e" / "measure_fixture_app.py"
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
WAIT_MS = 90_000
#: Points near Đồng Đăng (lat, lng), all on the fixture's zone.
CLICKED = [(21.9365, 106.6870), (21.9500, 106.7020), (21.9390, 106.7180)]


@pytest.fixture(scope="module")
def measure_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("measure") / "measure_fixture.log"
    proc = start_streamlit(FIXTURE, find_free_port(), static_dir=REPO_ROOT / "static", log_path=log)
    try:
        yield wait_until_healthy(proc)
    finally:
        stop_streamlit(proc)


def _open(page: Page, url: str) -> tuple[Frame, list[str]]:
    """Open the page with every non-loopback request blocked; return the map's frame."""
    blocked = block_external(page)
    page.goto(url)
    page.get_by_text("measure fixture ready").wait_for(timeout=WAIT_MS)
    page.frame_locator(MAP_FRAME).locator(".lsz-measure").wait_for(timeout=WAIT_MS)
    (frame,) = [f for f in page.frames if "st_folium" in f.url]
    frame.wait_for_function("() => window.map && window.map.lszMeasure", timeout=WAIT_MS)
    return frame, blocked


def _click(page: Page, frame: Frame, lat: float, lng: float) -> None:
    """Click the map with the mouse where ``(lat, lng)`` is drawn, once nothing moves.

    The position is read until two readings 100 ms apart agree: a layout shift of the page
    or a map animation between reading it and clicking would move the click.
    """
    seen = None
    for _ in range(100):
        (x, y) = frame.evaluate(
            """([lat, lng]) => {
                const p = map.latLngToContainerPoint([lat, lng]);
                const box = map.getContainer().getBoundingClientRect();
                return [box.left + p.x, box.top + p.y];
            }""",
            [lat, lng],
        )
        box = page.locator(MAP_FRAME).bounding_box()
        if (x, y, box) == seen:
            break
        seen = (x, y, box)
        page.wait_for_timeout(100)
    else:
        raise AssertionError(f"the map kept moving for 10 s: last at {seen}")
    page.mouse.click(box["x"] + x, box["y"] + y)


def _shown(frame: Frame) -> str:
    return frame.locator(".lsz-measure-result").inner_text()


def _points(frame: Frame) -> list[tuple[float, float]]:
    return [tuple(p) for p in frame.evaluate("() => map.lszMeasure.points()")]


def distance_text(metres: float, lang: str) -> str:
    """What the tool must show for ``metres``, written by the server's formatter."""
    if metres < 1000:
        value = t("measure.unit_m", lang, value=_fmt(metres, "m", lang))
    else:
        value = t("measure.unit_km", lang, value=_fmt(metres / 1000, "km", lang))
    return t("measure.distance", lang, value=value)


def area_text(m2: float, lang: str) -> str:
    if m2 < 10_000:
        value = t("measure.unit_m2", lang, value=_fmt(m2, "m2", lang))
    else:
        value = t("measure.unit_ha", lang, value=_fmt(m2 / 10_000, "ha", lang))
    return t("measure.area", lang, value=value)


def _fmt(value: float, unit: str, lang: str) -> str:
    return format_number(value, UNIT_DECIMALS[unit], grouping=True, lang=lang)


def _line_m(points: list[tuple[float, float]]) -> float:
    return length_km(LineString([(lng, lat) for lat, lng in points])) * 1000


def _area_m2(points: list[tuple[float, float]]) -> float:
    return area_ha(Polygon([(lng, lat) for lat, lng in points])) * 10_000


def test_clicked_distance_and_area_are_geo_measure_s_and_clicks_reach_nothing_else(
    measure_app: str, page: Page
) -> None:
    frame, blocked = _open(page, measure_app)
    tool = page.frame_locator(MAP_FRAME).locator(".lsz-measure")
    distance = tool.get_by_role("button", name=t("measure.distance_button", "en"))
    expect(distance).to_be_hidden()  # folded until opened: one button on the map
    toggle = tool.get_by_role("button", name=t("measure.toggle", "en"), exact=True)
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    distance.click()
    for lat, lng in CLICKED:
        _click(page, frame, lat, lng)
    points = _points(frame)
    assert len(points) == 3
    for (lat, lng), (want_lat, want_lng) in zip(points, CLICKED, strict=True):
        assert abs(lat - want_lat) < 2e-4 and abs(lng - want_lng) < 2e-4  # the pixel clicked
    metres = _line_m(points)
    assert 2_000 < metres < 5_000
    assert _shown(frame) == distance_text(metres, "en")  # e.g. "Distance: 3.456 km"
    raw = frame.evaluate("() => lszMeasures.lengthM(map.lszMeasure.points().map(p => L.latLng(p)))")
    assert abs(raw - metres) < 1e-3  # the same algorithm: to the millimetre

    tool.get_by_role("button", name=t("measure.area_button", "en")).click()
    for lat, lng in CLICKED:
        _click(page, frame, lat, lng)
    points = _points(frame)
    m2 = _area_m2(points)
    assert 1_000_000 < m2 < 5_000_000  # about 200 ha
    assert _shown(frame) == area_text(m2, "en")
    raw = frame.evaluate("() => lszMeasures.areaM2(map.lszMeasure.points().map(p => L.latLng(p)))")
    assert abs(raw - m2) < 1e-2  # a hundredth of a m² on about 200 ha

    # The clicks landed on the zone and the map, yet neither reached the app.
    page.wait_for_timeout(1_000)  # streamlit-folium sends its value 250 ms after a click
    expect(page.get_by_text("clicked: None")).to_be_visible()
    expect(page.get_by_text("selected: None")).to_be_visible()

    tool.get_by_role("button", name=t("measure.finish", "en")).click()
    assert _shown(frame) == area_text(m2, "en")  # finished: the measure stays
    _click(page, frame, *CLICKED[0])  # no longer measuring: the click selects the zone
    expect(page.get_by_text("selected: {'id': 'fixture-zone'}")).to_be_visible(timeout=WAIT_MS)
    assert len(_points(frame)) == 3

    drawn = "() => document.querySelectorAll('.leaflet-lsz-measure-pane path').length"
    assert frame.evaluate(drawn) == 4  # the polygon and its three points
    tool.get_by_role("button", name=t("measure.clear", "en")).click()
    assert _points(frame) == [] and not frame.locator(".lsz-measure-result").is_visible()
    assert frame.evaluate(drawn) == 0
    toggle.click()  # folded again
    expect(distance).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    assert blocked == [], blocked
    assert page.console_errors == [], page.console_errors


def test_the_keyboard_measures_from_the_map_centre_in_vietnamese(
    measure_app: str, page: Page
) -> None:
    frame, blocked = _open(page, f"{measure_app}/?lang=vi")
    tool = page.frame_locator(MAP_FRAME).locator(".lsz-measure")
    tool.get_by_role("button", name=t("measure.toggle", "vi"), exact=True).focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # the next button: measure distance
    page.keyboard.press("Enter")
    expect(tool.get_by_role("button", name=t("measure.distance_button", "vi"))).to_have_attribute(
        "aria-pressed", "true"
    )
    add = tool.get_by_role("button", name=t("measure.add_centre", "vi"))
    add.focus()
    page.keyboard.press("Enter")
    frame.evaluate("() => map.panBy([120, 80], {animate: false})")
    page.keyboard.press("Enter")
    points = _points(frame)
    assert len(points) == 2
    metres = _line_m(points)
    assert 100 < metres < 1_000  # under a kilometre: in metres, "," before the decimals
    assert _shown(frame) == distance_text(metres, "vi")
    page.keyboard.press("Escape")
    expect(add).to_be_hidden()

    # A square of about 0.1 ha at known coordinates, through the control's API.
    frame.evaluate(
        """() => { map.lszMeasure.start("area");
                   [[21.94, 106.70], [21.94, 106.7003], [21.9403, 106.7003], [21.9403, 106.70]]
                       .forEach(p => map.lszMeasure.add(p)); }"""
    )
    square = [(21.94, 106.70), (21.94, 106.7003), (21.9403, 106.7003), (21.9403, 106.70)]
    assert _shown(frame) == area_text(_area_m2(square), "vi")  # "Diện tích: 1.072 m²"
    problems, _ = check_page(page)  # the open tool, with a result, read by axe
    assert not problems, problems
    assert blocked == [], blocked
    assert page.console_errors == [], page.console_errors


def test_on_the_app_s_map_a_click_while_measuring_measures_and_selects_nothing(
    page: Page, app_url: str
) -> None:
    registry = load_registry()
    shipped = registry, load_catalog(registry)
    page.goto(f"{app_url}/?basemap=none&lang=en")
    frame = map_frame(page)
    tool = page.frame_locator(MAP_FRAME).locator(".lsz-measure")
    tool.get_by_role("button", name=t("measure.toggle", "en"), exact=True).click()
    tool.get_by_role("button", name=t("measure.distance_button", "en")).click()
    target = None
    for fid in project_ids(shipped, "point"):
        box = page.frame_locator(MAP_FRAME).locator(f"path.lsz-f-{fid}").first.bounding_box()
        if box and 200 < box["x"] < 1100 and 200 < box["y"] < 800:
            target, target_box = fid, box
            break
    assert target is not None, "no gate marker in view to click"
    centre = (target_box["x"] + target_box["width"] / 2, target_box["y"] + target_box["height"] / 2)
    page.mouse.click(*centre)  # on the gate
    page.mouse.click(centre[0] + 150, centre[1] + 40)
    points = _points(frame)
    assert len(points) == 2
    assert _shown(frame) == distance_text(_line_m(points), "en")
    page.wait_for_timeout(1_500)
    assert "feature=" not in page.url  # the click on the gate selected nothing
    tool.get_by_role("button", name=t("measure.finish", "en")).click()
    page.mouse.click(*centre)  # done measuring: the same click selects the gate
    page.wait_for_url(f"**feature={target}**", timeout=WAIT_MS)
    expect(page.locator("h3", has_text=name_of(shipped, target, "en"))).to_be_visible(
        timeout=WAIT_MS
    )
    assert page.console_errors == [], page.console_errors

"""A tiled lot layer in real Chromium: drawn from the PMTiles archive, selected by a click.

The fixture page (``tiles_fixture_app.py``) builds a few hundred synthetic lots into a
PMTiles archive under ``static/tiles`` and draws them with the vendored protomaps-leaflet.
Every request to a host other than the loopback is blocked and counted (0 expected); the
tiles must put the lots' status colours (fills) and availability colours (outlines) on
the canvas; a click on a lot must select it; a hover shows the lot's tooltip as text.
Also: Streamlit's static route answers the byte-range requests PMTiles makes.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator

import pytest
from network import block_external
from playwright.sync_api import Page, expect
from server import REPO_ROOT, find_free_port, start_streamlit, stop_streamlit, wait_until_healthy

from geo import style
from geo.i18n import t
from geo.measure import area_ha
from geo.tiles import TILES_DIR, TILES_URL_PREFIX, archive_name
from tests.e2e.tiles_fixture_app import HOSTILE_CODE, HOSTILE_LOT, INLINE_BOX, INLINE_ID
from tests.lot_grid import lot_grid

pytestmark = pytest.mark.e2e

FIXTURE = REPO_ROOT / "tests" / "e2e" / "tiles_fixture_app.py"
LOTS = 300
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
WAIT_MS = 120_000
ARCHIVE = archive_name("e2e_lots", ("e2e-fixture", LOTS))


@pytest.fixture(scope="module")
def tiles_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the fixture page (repository static/ at /app/static); remove its archive after."""
    log = tmp_path_factory.mktemp("tiles") / "tiles_fixture.log"
    mp = pytest.MonkeyPatch()
    mp.setenv("LSZ_TILES_FIXTURE_LOTS", str(LOTS))
    proc = start_streamlit(FIXTURE, find_free_port(), static_dir=REPO_ROOT / "static", log_path=log)
    mp.undo()
    try:
        yield wait_until_healthy(proc)
    finally:
        stop_streamlit(proc)
        (TILES_DIR / ARCHIVE).unlink(missing_ok=True)


def _open(page: Page, url: str) -> list[str]:
    """Open the page with every non-loopback request blocked; return the list of them."""
    blocked = block_external(page)
    page.goto(url)
    page.get_by_text("tiles fixture ready").wait_for(timeout=WAIT_MS)
    return blocked


_PIXELS_JS = """(body, colours) => {
    const found = new Set();
    for (const canvas of document.querySelectorAll('.lsz-tiled canvas')) {
        if (!canvas.width) { continue; }
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 0; i < data.length; i += 16) {
            if (data[i + 3] < 64) { continue; }  // faint edges round badly
            for (const [name, rgb] of Object.entries(colours)) {
                if (Math.abs(data[i] - rgb[0]) + Math.abs(data[i + 1] - rgb[1])
                    + Math.abs(data[i + 2] - rgb[2]) <= 9) { found.add(name); }
            }
        }
    }
    return [...found].sort();
}"""


def _rgb(hex_colour: str) -> list[int]:
    return [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]


def _drawn_colours(page: Page, table: dict[str, str]) -> list[str]:
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".lsz-tiled canvas").first.wait_for(timeout=WAIT_MS)
    colours = {name: _rgb(c) for name, c in table.items()}
    return frame.locator("body").evaluate(_PIXELS_JS, colours)


def _drawn_statuses(page: Page) -> list[str]:
    return _drawn_colours(page, style.STATUS_COLOURS)


def _page_xy(page: Page, lng: float, lat: float) -> tuple[float, float]:
    """Return the page position of a map coordinate (the map is in the component's iframe)."""
    xy = (
        page.frame_locator(MAP_FRAME)
        .locator("body")
        .evaluate(
            """(body, [lat, lng]) => {
            const map = Object.values(window).find(v => v instanceof L.Map);
            const p = map.latLngToContainerPoint([lat, lng]);
            const box = map.getContainer().getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""",
            [lat, lng],
        )
    )
    iframe_box = page.locator(MAP_FRAME).bounding_box()
    return iframe_box["x"] + xy[0], iframe_box["y"] + xy[1]


def test_the_static_route_answers_byte_ranges(tiles_app: str, page: Page) -> None:
    _open(page, tiles_app)  # the page builds the archive on its first run
    request = urllib.request.Request(
        f"{tiles_app}{TILES_URL_PREFIX}/{ARCHIVE}", headers={"Range": "bytes=0-99"}
    )
    with urllib.request.urlopen(request, timeout=30) as resp:
        assert resp.status == 206
        body = resp.read()
        assert resp.headers["Content-Range"].startswith("bytes 0-99/")
    assert len(body) == 100 and body[:7] == b"PMTiles"
    assert body == (TILES_DIR / ARCHIVE).read_bytes()[:100]


def test_tiled_lots_draw_with_no_request_leaving_the_machine_and_a_click_selects_one(
    tiles_app: str, page: Page
) -> None:
    blocked = _open(page, tiles_app)
    drawn: list[str] = []
    for _ in range(60):
        drawn = _drawn_statuses(page)
        if len(drawn) == len(style.STATUS_COLOURS):
            break
        page.wait_for_timeout(500)
    assert drawn == sorted(style.STATUS_COLOURS), drawn  # every status of the grid is painted

    lots = lot_grid(LOTS)
    target = "lot-00123"
    point = lots.loc[target].geometry.centroid
    page.mouse.click(*_page_xy(page, point.x, point.y))
    expect(page.get_by_text(f"selected: {target}")).to_be_visible(timeout=WAIT_MS)

    # A filter is applied in the browser: the planned lots' colour leaves the canvas.
    page.get_by_text("hide planned").click()
    for _ in range(60):
        drawn = _drawn_statuses(page)
        if "planned" not in drawn:
            break
        page.wait_for_timeout(500)
    assert drawn == sorted(set(style.STATUS_COLOURS) - {"planned"}), drawn
    expect(page.get_by_text(f"selected: {target}")).to_be_visible()

    assert blocked == []
    assert page.external_requests == []
    assert page.console_errors == []


def _tooltip_text(props: dict, code: str) -> str:
    area = f"{round(area_ha(props['geometry']), 2):.2f}".rstrip("0").rstrip(".")
    availability = t(f"investor.lot.availability.{props['availability']}", "en")
    return " · ".join([code, f"{area} ha", props["land_use"], availability])


def test_tiled_lots_are_outlined_by_availability_and_a_hover_shows_the_tooltip_as_text(
    tiles_app: str, page: Page
) -> None:
    _open(page, tiles_app)
    drawn: list[str] = []
    for _ in range(60):
        drawn = _drawn_colours(page, style.AVAILABILITY_COLOURS)
        if len(drawn) == len(style.AVAILABILITY_COLOURS):
            break
        page.wait_for_timeout(500)
    assert drawn == sorted(style.AVAILABILITY_COLOURS), drawn

    lots = lot_grid(LOTS)
    frame = page.frame_locator(MAP_FRAME)
    tip = frame.locator(".lsz-tiled-tip")
    for fid, code in (("lot-00031", "G-00031"), (HOSTILE_LOT, HOSTILE_CODE)):
        point = lots.loc[fid].geometry.centroid
        x, y = _page_xy(page, point.x, point.y)
        page.mouse.move(x - 3, y - 3)
        page.mouse.move(x, y)
        expected = _tooltip_text(lots.loc[fid].to_dict(), code)
        expect(tip).to_have_text(expected, timeout=WAIT_MS)
    assert tip.locator("b, img").count() == 0  # the markup is text, not elements

    # Into the gap between two lots (inside the map, outside every lot): the tooltip closes.
    gap_lng = (
        lots.loc["lot-00000"].geometry.bounds[2] + lots.loc["lot-00001"].geometry.bounds[0]
    ) / 2
    page.mouse.move(*_page_xy(page, gap_lng, lots.loc["lot-00000"].geometry.centroid.y))
    expect(tip).to_have_count(0, timeout=10_000)
    assert page.console_errors == []


def test_a_click_on_empty_map_does_not_reselect_the_inline_feature_clicked_before(
    tiles_app: str, page: Page
) -> None:
    _open(page, tiles_app)
    page.frame_locator(MAP_FRAME).locator(".lsz-tiled canvas").first.wait_for(timeout=WAIT_MS)
    lots = lot_grid(LOTS)
    west, south, east, north = INLINE_BOX
    steps = [
        (((west + east) / 2, (south + north) / 2), INLINE_ID),  # the inline feature
        (tuple(lots.loc["lot-00123"].geometry.centroid.coords[0]), "lot-00123"),  # a tile
    ]
    gap_lng = (
        lots.loc["lot-00000"].geometry.bounds[2] + lots.loc["lot-00001"].geometry.bounds[0]
    ) / 2
    empty = (gap_lng, lots.loc["lot-00000"].geometry.centroid.y)
    steps += [(empty, "lot-00123"), (((west + east) / 2, (south + north) / 2), INLINE_ID)]
    steps += [(empty, INLINE_ID)]  # an empty click keeps what is selected, whatever it is
    for clicks, ((lng, lat), selected) in enumerate(steps, start=1):
        page.mouse.click(*_page_xy(page, lng, lat))
        expect(page.get_by_text(f"clicks: {clicks}")).to_be_visible(timeout=WAIT_MS)
        expect(page.get_by_text(f"selected: {selected}")).to_be_visible()
    assert page.console_errors == []

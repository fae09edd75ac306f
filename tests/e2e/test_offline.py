"""With no network: the app makes no request off this machine, and its map still looks like a map.

Every request the browser makes (the page, its frames, the map's frame) goes through a route
that lets only this machine through and *counts and blocks* everything else, so a CDN script, a
font service, a tile server or telemetry would both show in the count and break the page as it
would at a conference with no network. The app runs as shipped: no ``basemap`` in the link, so
the default basemap is the one drawn (the bundled vector data).

Also here: the phone layout (390×844) and the map filling the window on a laptop and a
projector (1280×720, 1920×1080) with the default basemap.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Frame, Page, expect
from test_accessibility import check_page, wait_until_settled

from geo import style
from geo.catalog import load_catalog
from geo.i18n import feature_name, t
from geo.registry import load_registry
from geo.vector_basemap import load_basemap

pytestmark = pytest.mark.e2e

MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
WAIT_MS = 90_000
PHONE = {"width": 390, "height": 844}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}

#: The basemap's labels that are drawn, not hidden by the declutter, and inside the map.
SHOWN_BASE_LABELS = """
role => {
    const view = map.getContainer().getBoundingClientRect();
    return [...document.querySelectorAll(
            ".leaflet-lsz-basemap-labels-pane .lsz-base-label.lsz-base-" + role)]
        .filter(el => getComputedStyle(el).visibility !== "hidden")
        .filter(el => { const r = el.getBoundingClientRect();
                        return r.right > view.left && r.left < view.right
                            && r.bottom > view.top && r.top < view.bottom; })
        .map(el => el.textContent);
}
"""


class Offline:
    """A browser context whose every request off this machine is blocked and counted."""

    def __init__(self, browser: Browser, viewport: dict[str, int], locale: str = "en-US") -> None:
        self.blocked: list[str] = []
        self.local = 0
        self.context: BrowserContext = browser.new_context(viewport=viewport, locale=locale)
        self.context.route("**/*", self._route)
        self.page: Page = self.context.new_page()
        # WebSockets are not routed: Streamlit's own must go to this machine.
        self.page.on("websocket", self._websocket)

    def _route(self, route) -> None:
        parts = urlsplit(route.request.url)
        if parts.scheme in {"data", "blob", "about"} or parts.hostname in LOCAL_HOSTS:
            self.local += 1
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort("internetdisconnected")

    def _websocket(self, ws) -> None:
        if urlsplit(ws.url).hostname not in LOCAL_HOSTS:
            self.blocked.append(ws.url)


@pytest.fixture
def offline(browser: Browser) -> Iterator[Offline]:
    session = Offline(browser, {"width": 1400, "height": 900})
    try:
        yield session
    finally:
        session.context.close()


@pytest.fixture(scope="module")
def shipped():
    registry = load_registry()
    return registry, load_catalog(registry)


def map_frame(page: Page) -> Frame:
    """Return the map's frame once the basemap's labels and the project shapes are drawn."""
    frame_locator = page.frame_locator(MAP_FRAME)
    frame_locator.locator(".lsz-base-label").first.wait_for(state="attached", timeout=WAIT_MS)
    frame_locator.locator("path.lsz-f").first.wait_for(timeout=WAIT_MS)
    (frame,) = [f for f in page.frames if "st_folium" in f.url]
    frame.wait_for_function("() => window.map && window.lszView", timeout=WAIT_MS)
    frame.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    return frame


def first_zone(shipped) -> tuple[str, dict]:
    registry, catalog = shipped
    spec = next(
        s for s in registry.layers if s.schema == "project" and s.geometry_kind == "polygon"
    )
    data = catalog.layers[spec.id]
    fid = data.index[0]
    return fid, {**data.loc[fid].drop(labels="geometry").to_dict(), "id": fid}


def test_the_app_needs_nothing_from_outside_and_its_map_has_names(
    offline: Offline, app_url, shipped
):
    page = offline.page
    page.goto(f"{app_url}/?lang=en")
    frame = map_frame(page)

    # Place names in the basemap's own pane: towns (from layers/towns.geojson) and road numbers.
    basemap = load_basemap()
    towns = frame.evaluate(SHOWN_BASE_LABELS, "town")
    assert set(towns) and set(towns) <= {
        lb.texts["en"] for lb in basemap.labels if lb.role == "town"
    }
    roads = frame.evaluate(SHOWN_BASE_LABELS, "road") + frame.evaluate(
        SHOWN_BASE_LABELS, "provincial_road"
    )
    assert roads and all(r.startswith(("QL", "ĐT")) for r in roads), roads
    assert frame.evaluate(SHOWN_BASE_LABELS, "country")  # "VIETNAM" / "CHINA" in the view

    # Vietnam's and China's land are drawn in two tones, those of the style table.
    fills = frame.evaluate(
        """() => Object.fromEntries(["vietnam", "china"].map(kind => {
            const el = document.querySelector(
                ".leaflet-lsz-basemap-pane path.lsz-base-shape-" + kind);
            return [kind, el && el.getAttribute("fill")];
        }))"""
    )
    assert fills["vietnam"] == style.BASEMAP_COLOURS["vietnam"]
    assert fills["china"] == style.BASEMAP_COLOURS["china"]
    assert fills["vietnam"] != fills["china"]
    sea = frame.evaluate("() => getComputedStyle(map.getContainer()).backgroundColor")
    assert sea == "rgb({}, {}, {})".format(
        *(int(style.BASEMAP_COLOURS["sea"][i : i + 2], 16) for i in (1, 3, 5))
    )
    # The basemap takes no click: what is under the pointer is a project or nothing.
    assert (
        frame.evaluate(
            "() => getComputedStyle(document.querySelector('.leaflet-lsz-basemap-pane path'))"
            ".pointerEvents"
        )
        == "none"
    )
    # Every text of the page and the map is in the vendored fonts.
    families = page.evaluate("() => getComputedStyle(document.querySelector('h1')).fontFamily")
    assert families.startswith('"Noto Sans"'), families
    assert frame.evaluate("() => document.fonts.check('600 15px \"Noto Sans\"')")

    # A selection: a click on a zone opens its panel.
    fid, props = first_zone(shipped)
    frame.locator(f"path.lsz-f-{fid}").first.click(timeout=WAIT_MS)
    expect(page.locator("h3", has_text=feature_name(props, "en"))).to_be_visible(timeout=WAIT_MS)

    # The dashboard, from the sidebar.
    page.get_by_test_id("stSidebar").get_by_text(t("nav.dashboard", "en"), exact=True).click()
    expect(page.get_by_role("heading", name=t("dashboard.title", "en"))).to_be_visible(
        timeout=WAIT_MS
    )
    page.locator("canvas, svg.marks").first.wait_for(timeout=WAIT_MS)  # a chart is drawn

    # In Chinese too (the CJK font is the app's own).
    page.goto(f"{app_url}/?lang=zh")
    frame = map_frame(page)
    assert {lb.texts["zh"] for lb in basemap.labels if lb.role == "country"} & set(
        frame.evaluate(SHOWN_BASE_LABELS, "country")
    )

    assert offline.local > 0
    assert offline.blocked == [], offline.blocked


def test_on_a_phone_the_map_is_in_the_first_screen_and_the_panel_just_below(
    browser: Browser, app_url, shipped
):
    session = Offline(browser, PHONE, locale="vi-VN")
    try:
        page = session.page
        page.goto(f"{app_url}/?lang=vi")
        frame = map_frame(page)
        title = page.locator("h1").bounding_box()
        assert title["height"] <= 2.2 * style.NARROW_TITLE_FONT_REM * 16 * 1.2 + 8, title
        top = page.locator(MAP_FRAME).bounding_box()["y"]
        assert 0 < top < PHONE["height"] / 2, top
        height = frame.evaluate("() => map.getSize().y")
        assert height == int(PHONE["height"] * style.MAP_NARROW_HEIGHT_SHARE), height

        fid, props = first_zone(shipped)
        frame.locator(f"path.lsz-f-{fid}").first.click(timeout=WAIT_MS)
        name = page.locator("h3", has_text=feature_name(props, "vi"))
        expect(name).to_be_attached(timeout=WAIT_MS)
        heading = page.get_by_role("heading", name=t("panel.title", "vi"))
        # Its top in the page (however the page has scrolled since): within 1.5 screens.
        top_in_page = page.evaluate(
            """el => { let top = el.getBoundingClientRect().top + window.scrollY;
                       for (let p = el.parentElement; p; p = p.parentElement) {
                           top += p.scrollTop; }
                       return top; }""",
            heading.element_handle(),
        )
        assert top_in_page <= 1.5 * PHONE["height"], top_in_page
        assert session.blocked == []
    finally:
        session.context.close()


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_with_the_offline_basemap_the_map_fills_the_window(browser: Browser, app_url, size):
    width, height = size
    session = Offline(browser, {"width": width, "height": height})
    try:
        page = session.page
        page.goto(f"{app_url}/?lang=en")
        frame = map_frame(page)
        box = page.locator(MAP_FRAME).bounding_box()
        bottom = box["y"] + frame.evaluate("() => map.getSize().y")
        assert height - style.MAP_BOTTOM_MARGIN_PX - 4 <= bottom <= height, (bottom, height)
        assert box["y"] < height / 2
        assert session.blocked == []
    finally:
        session.context.close()


def test_the_offline_basemap_keeps_the_page_accessible(offline: Offline, app_url, shipped):
    """axe-core (as in ``test_accessibility.py``) over the page with the default basemap."""
    fid, _ = first_zone(shipped)
    page = offline.page
    page.goto(f"{app_url}/?lang=vi&feature={fid}")
    map_frame(page)
    wait_until_settled(page)
    problems, _ = check_page(page)
    assert not problems, "\n".join(problems)
    assert offline.blocked == []

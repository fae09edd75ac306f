"""The map as a person uses it, in headless Chromium: first click, z-order, fit, size.

What only a browser can show: which shape a click lands on, whether the first
click after a load reaches the app, where the map is after a filter, and how much
of the window it fills. ``basemap=none`` keeps every request on this machine.
Feature ids are not typed here: they come from the registry and the drawn page.
"""

from __future__ import annotations

import itertools
import re

import pytest
from playwright.sync_api import Browser, Frame, Page, expect

from geo import style
from geo.catalog import load_catalog
from geo.i18n import feature_name, t
from geo.registry import load_registry
from geo.sources import credits_for
from ui.sidebar import MAP_LAYER_SCHEMAS

pytestmark = pytest.mark.e2e

MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
WAIT_MS = 90_000


@pytest.fixture(scope="module")
def shipped():
    registry = load_registry()
    return registry, load_catalog(registry)


def map_frame(page: Page) -> Frame:
    """Return the map's frame once its project shapes are drawn."""
    page.frame_locator(MAP_FRAME).locator("path.lsz-f").first.wait_for(timeout=WAIT_MS)
    (frame,) = [f for f in page.frames if "st_folium" in f.url]
    frame.wait_for_function("() => window.map && window.lszView", timeout=WAIT_MS)
    return frame


def settle(frame: Frame) -> None:
    """Wait until two animation frames pass with no map movement pending."""
    frame.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def still(frame: Frame) -> list:
    """Return the map's view once it stops moving (a drag ends with inertia)."""
    view = None
    for _ in range(40):
        frame.wait_for_timeout(250)
        now = frame.evaluate(VIEW)
        if now == view:
            return now
        view = now
    raise AssertionError(f"the map kept moving: {view}")


def project_ids(shipped, kind: str | None = None) -> dict[str, str]:
    """Map each project feature id to its layer's geometry kind (only ``kind`` if given)."""
    registry, catalog = shipped
    return {
        fid: spec.geometry_kind
        for spec in registry.layers
        if spec.schema == "project" and (kind is None or spec.geometry_kind == kind)
        for fid in catalog.layers[spec.id].index
    }


def name_of(shipped, fid: str, lang: str) -> str:
    registry, catalog = shipped
    for spec in registry.layers:
        data = catalog.layers[spec.id]
        if fid in data.index:
            props = {**data.loc[fid].drop(labels="geometry").to_dict(), "id": fid}
            return feature_name(props, lang)
    raise KeyError(fid)


DRAWN_BOXES = """
(ids) => {
    const map = document.getElementById("map_div").getBoundingClientRect();
    const out = [];
    for (const id of ids) {
        for (const el of document.querySelectorAll("path.lsz-f-" + CSS.escape(id))) {
            const r = el.getBoundingClientRect();
            if (r.width || r.height) {
                out.push({id, left: r.left - map.left, top: r.top - map.top,
                          right: r.right - map.left, bottom: r.bottom - map.top});
            }
        }
    }
    return {width: map.width, height: map.height, boxes: out};
}
"""


def assert_fitted(frame: Frame, ids: list[str]) -> None:
    """The drawn shapes of ``ids`` lie inside the map and fill a good part of it."""
    drawn = frame.evaluate(DRAWN_BOXES, ids)
    boxes, width, height = drawn["boxes"], drawn["width"], drawn["height"]
    assert boxes, f"none of {ids} is drawn"
    slack = 2  # sub-pixel rounding of SVG boxes
    for box in boxes:
        assert box["left"] >= -slack and box["top"] >= -slack, box
        assert box["right"] <= width + slack and box["bottom"] <= height + slack, box
    span_x = max(b["right"] for b in boxes) - min(b["left"] for b in boxes)
    span_y = max(b["bottom"] for b in boxes) - min(b["top"] for b in boxes)
    # fitBounds makes the matches span the map on at least one axis (less padding).
    assert max(span_x / width, span_y / height) >= 0.6, (span_x, span_y, width, height)


VIEW = "() => [map.getCenter().lat.toFixed(6), map.getCenter().lng.toFixed(6), map.getZoom()]"


def drawn_project_ids(frame: Frame, shipped) -> list[str]:
    classes = frame.evaluate(
        "() => [...document.querySelectorAll('path.lsz-f')].map(p => p.getAttribute('class'))"
    )
    drawn = {m for c in classes for m in re.findall(r"lsz-f-([\w-]+)", c)}
    return sorted(drawn & set(project_ids(shipped)))


def test_first_click_after_a_fresh_load_selects_even_when_the_map_is_partly_scrolled_away(
    page: Page, app_url: str, shipped
):
    # Root cause of the lost first click: Leaflet focuses the map on mousedown, the
    # browser scrolled the page to show the whole frame, the shape moved from
    # under the pointer before mouseup, and no click happened. Scroll the page so
    # that the frame's top is cut off, as on a small screen, then click once. A road
    # is selected so that its panel makes the page long enough to scroll, and the
    # map fits the road, with gates along it.
    road = next(iter(project_ids(shipped, "line")))
    page.goto(f"{app_url}/?basemap=none&lang=en&feature={road}")
    map_frame(page)
    expect(page.locator("h3", has_text=name_of(shipped, road, "en"))).to_be_visible(timeout=WAIT_MS)
    top = page.locator(MAP_FRAME).bounding_box()["y"]
    page.get_by_test_id("stMain").evaluate(f"el => el.scrollBy(0, {int(top) + 60})")
    gates = project_ids(shipped, "point")
    frame_box = page.locator(MAP_FRAME).bounding_box()
    assert frame_box["y"] < 0, "the frame should be partly above the window"
    target = None
    for fid in gates:
        marker = page.frame_locator(MAP_FRAME).locator(f"path.lsz-f-{fid}").first
        box = marker.bounding_box()
        if box and box["y"] > 40 and box["y"] + box["height"] < page.viewport_size["height"]:
            target, target_box = fid, box
            break
    assert target is not None, "no gate marker in view to click"
    page.mouse.click(
        target_box["x"] + target_box["width"] / 2, target_box["y"] + target_box["height"] / 2
    )
    heading = page.locator("h3", has_text=name_of(shipped, target, "en"))
    expect(heading).to_be_visible(timeout=20_000)
    page.wait_for_url(f"**feature={target}**", timeout=WAIT_MS)
    assert page.console_errors == []


def test_a_click_on_a_gate_lying_over_a_road_selects_the_gate(page: Page, app_url: str, shipped):
    page.goto(f"{app_url}/?basemap=none&lang=en")
    frame = map_frame(page)
    settle(frame)
    roads = set(project_ids(shipped, "line"))
    # Find a gate whose marker centre also lies on a road (the road is drawn there).
    found = frame.evaluate(
        """([gates, roads]) => {
            for (const g of gates) {
                const el = document.querySelector("path.lsz-f-" + CSS.escape(g));
                if (!el) continue;
                const r = el.getBoundingClientRect();
                const x = r.left + r.width / 2, y = r.top + r.height / 2;
                // What lies under the marker once the marker is out of the way.
                el.style.pointerEvents = "none";
                const under = document.elementsFromPoint(x, y)
                    .map(e => (e.getAttribute("class") || "").match(/lsz-f-([\\w-]+)/))
                    .filter(m => m && roads.includes(m[1])).map(m => m[1]);
                el.style.pointerEvents = "";
                const top = document.elementFromPoint(x, y);
                const cls = top.getAttribute("class");
                if (under.length) return {gate: g, road: under[0], x, y, top: cls};
            }
            return null;
        }""",
        [list(project_ids(shipped, "point")), sorted(roads)],
    )
    assert found, "no gate marker lies over a road at the home view"
    assert f"lsz-f-{found['gate']}" in found["top"]  # drawn on top: the marker
    frame_box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(frame_box["x"] + found["x"], frame_box["y"] + found["y"])
    expect(page.locator("h3", has_text=name_of(shipped, found["gate"], "en"))).to_be_visible(
        timeout=20_000
    )
    page.wait_for_url(f"**feature={found['gate']}**", timeout=WAIT_MS)
    assert page.console_errors == []


def test_a_status_filter_and_a_search_fit_the_map_to_what_matches(
    page: Page, app_url: str, shipped
):
    page.goto(f"{app_url}/?basemap=none&lang=en&status=under_construction")
    frame = map_frame(page)
    settle(frame)
    first = drawn_project_ids(frame, shipped)
    assert first, "something is under construction in the shipped data"
    assert_fitted(frame, first)
    # The person drags the map; switching a layer off changes the matches but not
    # what was asked for, so the map stays where the person put it.
    registry, catalog = shipped
    by_layer = {
        spec.id: set(first) & set(catalog.layers[spec.id].index)
        for spec in registry.layers
        if spec.schema == "project"
    }
    layer = next(lid for lid, ids in by_layer.items() if ids and ids != set(first))
    frame_box = page.locator(MAP_FRAME).bounding_box()
    x, y = frame_box["x"] + frame_box["width"] / 2, frame_box["y"] + frame_box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 120, y - 80, steps=8)
    page.mouse.up()
    dragged = still(frame)
    matches = frame.evaluate("() => window.lszView.matches")
    page.get_by_test_id("stSidebar").get_by_text(registry.get(layer).title["en"]).click()
    frame.wait_for_function(f"() => window.lszView.matches !== {matches!r}", timeout=WAIT_MS)
    settle(frame)
    assert frame.evaluate(VIEW) == dragged
    page.get_by_test_id("stSidebar").get_by_text(registry.get(layer).title["en"]).click()
    frame.wait_for_function(f"() => window.lszView.matches === {matches!r}", timeout=WAIT_MS)

    # Now a search on top, typed in the page: the map fits the new matches.
    search = page.get_by_test_id("stSidebar").get_by_label(t("sidebar.search", "en"))
    search.fill("dong dang")
    search.press("Enter")
    frame.wait_for_function(
        "() => (window.lszView.request || '').includes('dong dang')", timeout=WAIT_MS
    )
    settle(frame)
    second = drawn_project_ids(frame, shipped)
    assert second and second != first
    assert_fitted(frame, second)
    assert page.console_errors == []
    assert page.external_requests == []


@pytest.mark.parametrize("size", [(1280, 720), (1400, 900), (1920, 1080)])
def test_the_map_fills_the_window_with_its_legend_and_a_one_line_credit(
    browser: Browser, app_url: str, shipped, size
):
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-US")
    try:
        page = context.new_page()
        page.goto(f"{app_url}/?basemap=none&lang=en")
        frame = map_frame(page)
        settle(frame)
        box = page.locator(MAP_FRAME).bounding_box()
        map_height = frame.evaluate("() => map.getSize().y")
        # The map reaches the bottom of the window, less the margin, and no further.
        bottom = box["y"] + map_height
        assert height - style.MAP_BOTTOM_MARGIN_PX - 4 <= bottom <= height, (bottom, height)
        assert map_height >= min(style.MAP_MIN_HEIGHT_PX, height - box["y"])

        # The legend is a control on the map, with full labels, and it folds.
        legend = page.frame_locator(MAP_FRAME).locator(".lsz-legend")
        button = legend.get_by_role("button", name=t("legend.title", "en"))
        if button.get_attribute("aria-expanded") == "false":
            button.click()
        expect(legend).to_contain_text(t("legend.not_open", "en"))
        rows = legend.locator(".lsz-legend-row")
        assert rows.count() >= 5
        clipped = frame.evaluate(
            "() => [...document.querySelectorAll('.lsz-legend-row span')]"
            ".filter(s => s.scrollWidth > s.clientWidth + 1).length"
        )
        assert clipped == 0
        button.click()
        expect(legend.locator(".lsz-legend-body")).to_be_hidden()

        # Credits: one short line, a click shows them all, naming every visible source.
        credits = page.frame_locator(MAP_FRAME).locator(".leaflet-control-attribution")
        assert credits.bounding_box()["height"] <= 2 * style.CREDITS_FONT_PX
        credits.click()
        registry, catalog = shipped
        for spec in registry.layers:
            # The data sets the drawn layers' shapes derive from (registry `credits`); lots are
            # drawn on the Investors page, not here.
            if spec.visible and spec.schema in MAP_LAYER_SCHEMAS:
                for text in credits_for(spec.credits, catalog.sources):
                    expect(credits).to_contain_text(text)
        assert credits.bounding_box()["height"] > 2 * style.CREDITS_FONT_PX
    finally:
        context.close()


LABEL_BOXES = """
() => [...document.querySelectorAll(".lsz-label")]
    .filter(el => getComputedStyle(el).visibility !== "hidden")
    .map(el => { const r = el.getBoundingClientRect();
                 return {text: el.textContent, left: r.left, right: r.right, top: r.top,
                         bottom: r.bottom, px: parseFloat(getComputedStyle(el).fontSize)}; })
"""


def test_labels_do_not_overlap_and_are_sized_for_a_projector(page: Page, app_url: str):
    page.goto(f"{app_url}/?basemap=none&lang=en")
    frame = map_frame(page)
    for zoom in (12, 13, 14):
        frame.evaluate(f"() => map.setView({list(style.MAP_CENTRE)}, {zoom}, {{animate: false}})")
        settle(frame)
        settle(frame)
        labels = frame.evaluate(LABEL_BOXES)
        assert labels, f"no label shown at zoom {zoom}"
        assert all(label["px"] >= style.LABEL_FONT_PX for label in labels)
        for a, b in itertools.combinations(labels, 2):
            apart = (
                a["right"] <= b["left"]
                or b["right"] <= a["left"]
                or a["bottom"] <= b["top"]
                or b["bottom"] <= a["top"]
            )
            assert apart, (zoom, a["text"], b["text"])
    assert page.console_errors == []

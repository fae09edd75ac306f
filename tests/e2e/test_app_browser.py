"""The real app in headless Chromium: layers drawn, a click opens the panel, English labels.

Only what a browser alone can show is tested here; the rest is in AppTest and
map-builder tests. ``basemap=none`` keeps the page fully offline: every request
must stay on this machine.
"""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect
from shipped import shipped_props

from geo.catalog import load_catalog
from geo.feature_text import label_text, tooltip_text
from geo.i18n import LANGUAGE_NAMES, t
from geo.registry import load_registry
from ui.sidebar import MAP_LAYER_SCHEMAS

pytestmark = pytest.mark.e2e

MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
WAIT_MS = 90_000


def default_feature_ids() -> list[str]:
    """Ids of every feature of the map page's layers switched on by default (not the lots)."""
    registry = load_registry()
    catalog = load_catalog(registry)
    return [
        fid
        for spec in registry.layers
        if spec.visible and spec.schema in MAP_LAYER_SCHEMAS
        for fid in catalog.layers[spec.id].index
    ]


def test_map_draws_layers_opens_panel_on_click_and_speaks_english(page: Page, app_url: str):
    page.goto(f"{app_url}/?basemap=none")
    frame = page.frame_locator(MAP_FRAME)

    # Every feature of every default layer is drawn (SVG paths carry their id).
    frame.locator("path.lsz-f").first.wait_for(timeout=WAIT_MS)
    for fid in default_feature_ids():
        expect(frame.locator(f"path.lsz-f-{fid}").first).to_be_attached(timeout=WAIT_MS)

    # A click on the cargo transit zone opens its panel.
    frame.locator("path.lsz-f-zone-cargo-transit").first.click(timeout=WAIT_MS)
    heading = page.locator("h3", has_text="Khu trung chuyển hàng hóa")
    expect(heading).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_text(t("panel.measured_area", "vi"))).to_be_visible()
    page.wait_for_url("**feature=zone-cargo-transit**", timeout=WAIT_MS)  # shareable link

    # Switching to English relabels the page and keeps the selection.
    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name=LANGUAGE_NAMES["en"]).click()
    expect(page.get_by_role("heading", name=t("app.title", "en"))).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_test_id("stSidebar").get_by_text(t("sidebar.layers", "en"))).to_be_visible()
    expect(page.locator("h3", has_text="Cargo transit zone")).to_be_visible(timeout=WAIT_MS)
    # The re-labelled map replaces the old one (it is not stacked under it).
    expect(page.locator(MAP_FRAME)).to_have_count(1, timeout=WAIT_MS)
    frame.locator("path.lsz-f-zone-cargo-transit").first.wait_for(timeout=WAIT_MS)

    assert page.console_errors == []
    assert page.external_requests == []


def test_labels_from_the_label_zoom_and_tooltips_on_hover(page: Page, app_url: str):
    page.goto(f"{app_url}/?basemap=none&lang=en")
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.lsz-f").first.wait_for(timeout=WAIT_MS)
    # Province scale: no permanent labels (they would overlap).
    expect(frame.locator(".lsz-label")).to_have_count(0)

    # Hovering a zone makes its tooltip, as text (a line's box centre is off the line,
    # so a zone is hovered).
    # The browser shows the text the map builder made (dated status, progress), as text.
    today = date.today()
    frame.locator("path.lsz-f-zone-cargo-transit").first.hover()
    expect(frame.locator(".lsz-tip")).to_have_text(
        tooltip_text(shipped_props("zone-cargo-transit"), "project", "en", today), timeout=WAIT_MS
    )

    # Selecting a gate zooms to it: labels appear, marked as not surveyed, with the date.
    page.goto(f"{app_url}/?basemap=none&lang=en&feature=gate-huu-nghi")
    label = frame.locator(".lsz-label", has_text="Hữu Nghị")
    wanted = label_text(shipped_props("gate-huu-nghi"), "en", today)
    assert wanted.startswith("≈ ") and " · " in wanted
    expect(label).to_have_text(wanted, timeout=WAIT_MS)
    assert page.console_errors == []

"""Switching language again and again in real Chromium keeps the whole view.

Streamlit keeps a select widget's value as its formatted label: a design that
held one language's labels across a switch broke on the *second* switch
(``KeyError`` on the basemap, emptied filters, a lost selection). One switch is
not enough to see it, so each test switches at least three times in a row and
checks the page after every switch.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Frame, Page, expect
from shipped import shipped_props

from geo.i18n import LANGUAGE_NAMES, feature_name, status_label, t

pytestmark = pytest.mark.e2e

MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
WAIT_MS = 90_000
TOUR = ("zh", "vi", "en", "zh")
SELECTED = "gate-huu-nghi"
START = "basemap=none&groups=zones,gates&status=operational,partly_open,under_construction"


def query_of(page: Page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(page.url).query).items()}


def map_frame(page: Page) -> Frame:
    handle = page.locator(MAP_FRAME).element_handle(timeout=WAIT_MS)
    frame = handle.content_frame()
    assert frame is not None
    return frame


def drawn_ids(page: Page) -> set[str]:
    """Ids of the project features the map draws (each SVG path carries ``lsz-f-<id>``)."""
    frame = map_frame(page)
    frame.locator("path.lsz-f").first.wait_for(timeout=WAIT_MS)
    classes = frame.eval_on_selector_all(
        "path.lsz-f", "els => els.map(e => e.getAttribute('class'))"
    )
    return {m.group(1) for c in classes for m in re.finditer(r"lsz-f-(\S+)", c or "")}


def wait_for_drawn(page: Page, expected: set[str]) -> None:
    """Poll until the map draws exactly ``expected`` (it is re-made after a switch)."""
    seen: set[str] = set()
    for _ in range(60):
        try:
            seen = drawn_ids(page)
        except Exception:  # the frame was replaced while being read: read the new one
            seen = set()
        if seen == expected:
            return
        page.wait_for_timeout(1000)
    assert seen == expected


def switch_language(page: Page, lang: str) -> None:
    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name=LANGUAGE_NAMES[lang]).click()
    expect(page.get_by_role("heading", name=t("app.title", lang))).to_be_visible(timeout=WAIT_MS)
    # The view goes to the address bar before the page is drawn: a link copied as
    # soon as the new title shows already holds the new language.
    assert query_of(page)["lang"] == lang


def assert_no_exception(page: Page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_map_with_a_selection_survives_repeated_language_switches(page: Page, app_url: str):
    page.goto(f"{app_url}/?lang=vi&feature={SELECTED}&{START}")
    props = shipped_props(SELECTED)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text(feature_name(props, "vi")).first).to_be_visible(timeout=WAIT_MS)
    before_ids = drawn_ids(page)
    before_query = query_of(page)
    assert SELECTED in before_ids and before_query["feature"] == SELECTED

    for lang in TOUR:
        switch_language(page, lang)
        assert_no_exception(page)
        # The selection: the picker and the panel name it in the new language.
        expect(main.get_by_text(feature_name(props, lang)).first).to_be_visible(timeout=WAIT_MS)
        # Filters, basemap and selection kept in the address bar, with the new language.
        assert query_of(page) == {**before_query, "lang": lang}
        # The sidebar's filters show the same choices, in the new language.
        sidebar = page.get_by_test_id("stSidebar")
        for chip in (
            t("group.zones", lang),
            t("group.gates", lang),
            *(status_label(s, lang) for s in ("operational", "partly_open", "under_construction")),
        ):  # a multiselect's chosen values are chips titled with their label
            expect(sidebar.get_by_title(chip, exact=True)).to_be_visible()
        expect(sidebar.get_by_title(t("group.roads", lang), exact=True)).to_have_count(0)
        basemap = sidebar.get_by_role("combobox", name=t("sidebar.basemap", lang))
        expect(basemap).to_have_value(t("basemap.none", lang))
        wait_for_drawn(page, before_ids)
        assert_no_exception(page)

    assert page.console_errors == []
    assert page.external_requests == []


def test_dashboard_survives_repeated_language_switches_and_returns_to_the_same_map(
    page: Page, app_url: str
):
    page.goto(f"{app_url}/?lang=vi&{START}")
    map_ids = drawn_ids(page)
    page.goto(f"{app_url}/?lang=vi&page=dashboard&{START}")
    expect(page.get_by_role("heading", name=t("dashboard.title", "vi"))).to_be_visible(
        timeout=WAIT_MS
    )
    before_query = query_of(page)

    for lang in TOUR:
        switch_language(page, lang)
        assert_no_exception(page)
        expect(page.get_by_role("heading", name=t("dashboard.title", lang))).to_be_visible(
            timeout=WAIT_MS
        )
        assert query_of(page) == {**before_query, "lang": lang}

    # Back on the map: the same features as before the switches, not an empty map.
    page.get_by_test_id("stSidebar").get_by_text(t("nav.map", TOUR[-1]), exact=True).click()
    wait_for_drawn(page, map_ids)
    assert_no_exception(page)
    assert page.console_errors == []
    assert page.external_requests == []

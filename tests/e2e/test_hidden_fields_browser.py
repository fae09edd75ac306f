"""Internal fields never reach a public browser: HTML of every frame and every websocket frame.

A store in a temporary folder gets an edit whose reason, source and editor are marker values
(letters and digits only, so no escaping can hide them); the real app serves it to headless
Chromium. Everything the public page receives (the DOM of the page and of the map's iframe,
every websocket message) is searched for the markers; then the same capture, after a
planner's login, finds them in the History (so the search can fail).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from server import app_on_store

from geo.i18n import t
from geo.store import open_store, store_url
from geo.store.accounts import add_account
from geo.store.audit import EditSource
from geo.store.edits import edit_feature

pytestmark = pytest.mark.e2e

WAIT_MS = 90_000
PASSWORD = "correcthorsebattery"
MARKERS = ("MRKREASON5e1c", "MRKSOURCE0d77", "mrkuser9b2f")
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"


@pytest.fixture(scope="module")
def marked_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """Serve the app on a store with a marker edit; yield its URL and the edited feature."""
    folder = tmp_path_factory.mktemp("marked")
    env = {"LSZ_DATA_DIR": str(folder / "data")}
    reason, source, user = MARKERS
    with open_store(store_url(env)) as store:
        add_account(store, "lan", PASSWORD, "planner")
        add_account(store, user, PASSWORD, "planner")
        layer_id = next(e["id"] for e in store.entries() if e["schema"] == "project")
        feature_id = store.features(layer_id)[0].id
        edit_feature(
            store,
            layer_id,
            feature_id,
            {"note_en": "Public note", "note_vi": "Ghi chú", "note_zh": "备注"},
            user=user,
            reason=reason,
            source=EditSource("document", source),
            expected_version=store.versions()[layer_id],
        )
    with app_on_store(env["LSZ_DATA_DIR"], folder / "app.log") as url:
        yield url, feature_id


def capture(page: Page) -> list[bytes]:
    """Record every websocket message the page receives."""
    received: list[bytes] = []

    def on_socket(socket) -> None:
        def on_frame(payload) -> None:
            received.append(payload if isinstance(payload, bytes) else payload.encode())

        socket.on("framereceived", on_frame)

    page.on("websocket", on_socket)
    return received


def everything(page: Page, received: list[bytes]) -> bytes:
    html = [frame.content() for frame in page.frames]
    return b"\n".join([*(h.encode() for h in html), *received])


def test_a_public_browser_never_receives_internal_fields(page: Page, marked_app):
    url, feature_id = marked_app
    received = capture(page)
    page.goto(f"{url}/?lang=en&basemap=none&feature={feature_id}&role=admin")
    expect(page.get_by_text("Public note")).to_be_visible(timeout=WAIT_MS)
    page.frame_locator(MAP_FRAME).locator("path.lsz-f").first.wait_for(timeout=WAIT_MS)
    sent = everything(page, received)
    assert b"Public note" in sent  # the capture holds the page's data
    for marker in (*MARKERS, PASSWORD):
        assert marker.encode() not in sent, marker
    expect(page.get_by_text(t("history.title", "en"), exact=True)).to_have_count(0)

    # The same capture finds them once a planner sees the History.
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("textbox", name=t("login.name", "en")).fill("lan")
    sidebar.get_by_role("textbox", name=t("login.password", "en")).fill(PASSWORD)
    sidebar.get_by_role("button", name=t("login.submit", "en")).click()
    expect(page.get_by_text(t("history.title", "en"), exact=True)).to_be_visible(timeout=WAIT_MS)
    page.wait_for_timeout(2000)  # let the History's dataframe arrive
    sent = everything(page, received)
    for marker in MARKERS:
        assert marker.encode() in sent, marker
    assert PASSWORD.encode() not in b"\n".join(received)

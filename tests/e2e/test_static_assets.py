"""Self-test of the e2e infrastructure: static serving of the vendored assets,
the server helper, and headless Chromium loading the vendored Leaflet."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from server import REPO_ROOT, find_free_port, start_streamlit, stop_streamlit, wait_until_healthy

pytestmark = pytest.mark.e2e

FIXTURE_APP = REPO_ROOT / "tests" / "e2e" / "fixture_app.py"
LEAFLET = "/app/static/vendor/leaflet"


@pytest.fixture(scope="module")
def fixture_app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture app, served with the repository's static/ at /app/static."""
    log = tmp_path_factory.mktemp("streamlit") / "fixture_app.log"
    proc = start_streamlit(
        FIXTURE_APP, find_free_port(), static_dir=REPO_ROOT / "static", log_path=log
    )
    try:
        yield wait_until_healthy(proc)
    finally:
        stop_streamlit(proc)


def _get(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=30) as resp:
        return resp.status, resp.headers.get("Content-Type", ""), resp.read()


@pytest.mark.parametrize("server", ["app_url", "fixture_app_url"])
def test_vendored_leaflet_is_served(server: str, request: pytest.FixtureRequest) -> None:
    base = request.getfixturevalue(server)

    status, ctype, body = _get(f"{base}{LEAFLET}/leaflet.js")
    assert status == 200
    assert "javascript" in ctype, ctype
    assert b"Leaflet 1.9.4" in body[:200]
    assert body == (REPO_ROOT / "static/vendor/leaflet/leaflet.js").read_bytes()

    status, ctype, _ = _get(f"{base}{LEAFLET}/leaflet.css")
    assert (status, ctype.split(";")[0]) == (200, "text/css")
    status, ctype, _ = _get(f"{base}{LEAFLET}/images/marker-icon.png")
    assert (status, ctype) == (200, "image/png")


def test_vendored_leaflet_renders_in_chromium(page, fixture_app_url: str) -> None:
    page.goto(fixture_app_url)
    page.get_by_text("fixture ready").wait_for(timeout=60_000)

    frame = page.frame_locator("iframe").first
    container = frame.locator(".leaflet-container")
    container.wait_for(timeout=60_000)
    frame.locator("path.leaflet-interactive").first.wait_for()  # the GeoJSON polygon
    marker = frame.locator("img.leaflet-marker-icon").first
    marker.wait_for()
    # the default marker image comes from the vendored images/ folder and loaded
    expect(marker).to_have_js_property("complete", True)
    expect(marker).not_to_have_js_property("naturalWidth", 0)
    assert f"{LEAFLET}/images/marker-icon" in marker.get_attribute("src")

    assert container.evaluate("() => window.L && window.L.version") == "1.9.4"
    scripts = container.evaluate("() => [...document.scripts].map(s => s.src)")
    assert any(src.endswith(f"{LEAFLET}/leaflet.js") for src in scripts), scripts

    assert page.console_errors == []
    assert page.external_requests == []

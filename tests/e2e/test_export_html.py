"""The exported tour HTML in a real browser, opened from file:// with no network at all.

The file is made by the real command line (``python -m geo export --format html --tour``)
from the shipped layers, copied to a folder of its own (as onto a USB stick), and opened
with every request that is not the file itself blocked and counted. The count must be zero,
the map must draw its shapes and labels, and the keys presentation clickers send must move
from stop to stop.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def exported_tour(tmp_path_factory: pytest.TempPathFactory) -> Path:
    stick = tmp_path_factory.mktemp("usb-stick")
    out = stick / "tour.html"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "geo",
            "export",
            "--format",
            "html",
            "--tour",
            "--lang",
            "en",
            str(out),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def test_the_exported_tour_opens_from_file_with_no_request_and_moves_by_keyboard(
    browser, exported_tour
):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    blocked: list[str] = []
    errors: list[str] = []

    def route(request_route) -> None:
        url = request_route.request.url
        if url == exported_tour.as_uri() or url.startswith("data:"):
            request_route.continue_()
        else:
            blocked.append(url)
            request_route.abort()

    context.route("**/*", route)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        page.goto(exported_tour.as_uri())
        page.wait_for_function("document.body.getAttribute('data-stop') === '1'")
        # The map draws: shapes in the panes and labels, with the tour's first stop.
        page.wait_for_function("document.querySelectorAll('.leaflet-pane path').length > 5")
        assert page.locator(".lsz-legend").count() == 1
        first = page.text_content("#lsz-title")
        assert first and page.text_content("#lsz-counter") == "Stop 1 / 7"
        for key, number in (
            ("ArrowRight", 2),
            ("Space", 3),
            ("PageDown", 4),
            ("PageUp", 3),
            ("ArrowLeft", 2),
            ("End", 7),
            ("Home", 1),
        ):
            page.keyboard.press(key)
            page.wait_for_function(f"document.body.getAttribute('data-stop') === '{number}'")
            assert page.text_content("#lsz-counter") == f"Stop {number} / 7"
        page.click("#lsz-next")
        page.wait_for_function("document.body.getAttribute('data-stop') === '2'")
        assert page.text_content("#lsz-title") != first
        assert page.evaluate("location.hash") == "#stop=2"
        # Reopening the address shows the same stop.
        page.reload()
        page.wait_for_function("document.body.getAttribute('data-stop') === '2'")
        assert page.locator("#lsz-qr-img").get_attribute("src").startswith("data:image/svg+xml")
        fonts = page.evaluate("document.fonts.check('16px \"LSZ Noto Sans\"', 'Đồng Đăng')")
        assert fonts
        assert errors == []
        assert blocked == [], f"{len(blocked)} request(s) left the file: {blocked}"
    finally:
        context.close()

"""Fixtures for real-browser end-to-end tests (Streamlit server + headless Chromium).

Fixtures
--------
``app_url`` (session)
    Base URL (``http://127.0.0.1:<port>``, no trailing slash) of ``app.py`` run by
    ``.venv/bin/python -m streamlit run`` on a free port; healthy before it is
    handed out, stopped at the end of the session.
``browser`` (session)
    A Playwright sync-API ``Browser``: Debian's ``/usr/bin/chromium``, headless.
    Fails (never skips) when Chromium is missing: run ``make browser``.
``browser_locale`` (function)
    Locale of the page's browser context, ``"en-US"``; override per test with
    ``@pytest.mark.parametrize("browser_locale", ["vi-VN"])``.
``page`` (function)
    A fresh ``Page`` in a new context (viewport 1400x900, ``browser_locale``) with

    * ``page.console_errors``: list of ``str``, every ``console.error`` / failed
      resource load message and every uncaught page exception, in order;
    * ``page.external_requests``: list of ``str``, every http(s)/ws(s) URL the page
      requested from a host other than 127.0.0.1/localhost (a CDN would show here).

    When the test fails, a full-page screenshot is saved to
    ``tests/e2e/artifacts/<test name>.png`` (plus ``<test name>.console.txt``).

Mark e2e tests with ``@pytest.mark.e2e``. To start another app, use
``server.start_streamlit`` (see ``tests/e2e/server.py``).
"""

from __future__ import annotations

import os
import re
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

E2E_DIR = Path(__file__).resolve().parent
if str(E2E_DIR) not in sys.path:  # make `import server` work in any import mode
    sys.path.insert(0, str(E2E_DIR))

from network import LOCAL_HOSTS  # noqa: E402
from server import (  # noqa: E402
    REPO_ROOT,
    StreamlitStartupError,
    find_free_port,
    start_streamlit,
    stop_streamlit,
    wait_until_healthy,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # containers often have a tiny /dev/shm; Chromium then crashes on big pages
    "--disable-dev-shm-usage",
]
ARTIFACTS = E2E_DIR / "artifacts"
VIEWPORT = {"width": 1400, "height": 900}


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """Expose each phase's report as ``item.rep_setup`` / ``rep_call`` / ``rep_teardown``."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the real ``app.py`` for the whole session; yield its base URL."""
    app = REPO_ROOT / "app.py"
    if not app.is_file():
        pytest.fail(f"app_url: {app} does not exist", pytrace=False)
    log = tmp_path_factory.mktemp("streamlit") / "app.log"
    proc = start_streamlit(app, find_free_port(), log_path=log)
    try:
        try:
            url = wait_until_healthy(proc)
        except StreamlitStartupError as exc:
            pytest.fail(f"app_url: could not start app.py\n{exc}", pytrace=False)
        yield url
    finally:
        stop_streamlit(proc)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium driven by Playwright (no `playwright install`)."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} is missing: e2e tests need Debian's Chromium. Run `make browser` "
            "(apt-get install chromium chromium-driver fonts-noto-cjk). They never skip.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_locale() -> str:
    """Locale of the ``page`` fixture's context (override by parametrizing)."""
    return "en-US"


def _artifact_name(nodename: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.\-\[\]]+", "_", nodename)[:150]


@pytest.fixture
def page(browser: Browser, browser_locale: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A new page; records console errors / external requests; screenshot on failure."""
    context = browser.new_context(viewport=VIEWPORT, locale=browser_locale)
    pg = context.new_page()
    console_errors: list[str] = []
    external_requests: list[str] = []
    pg.console_errors = console_errors  # type: ignore[attr-defined]
    pg.external_requests = external_requests  # type: ignore[attr-defined]

    def on_console(msg) -> None:
        if msg.type == "error":
            where = msg.location.get("url") if msg.location else ""
            console_errors.append(f"{msg.text} [{where}]" if where else msg.text)

    def on_pageerror(exc) -> None:
        console_errors.append(f"Uncaught {exc}")

    def on_request(req) -> None:
        parts = urlsplit(req.url)
        if parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname not in LOCAL_HOSTS:
            external_requests.append(req.url)

    pg.on("console", on_console)
    pg.on("pageerror", on_pageerror)
    pg.on("request", on_request)
    try:
        yield pg
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            name = _artifact_name(request.node.name)
            try:
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
                (ARTIFACTS / f"{name}.console.txt").write_text(
                    "console errors:\n"
                    + "\n".join(console_errors)
                    + "\n\nexternal requests:\n"
                    + "\n".join(external_requests)
                    + "\n",
                    encoding="utf-8",
                )
            except Exception as exc:
                warnings.warn(
                    f"could not save e2e failure artifacts for {name}: {exc}", stacklevel=1
                )
        context.close()

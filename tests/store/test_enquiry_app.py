"""An enquiry sent from the investor page is found after a restart, by a logged-in planner.

On both back ends (``store_env``: a GeoPackage in a temporary folder, or a fresh PostGIS
database), the app on its store (seeded from ``layers/`` on first use, as in production):
a visitor sends an enquiry about a lot; the app restarts; the planners' page shows nothing
until a planner logs in, who then finds it and marks it answered. The lot is the first of the
stored lot layer, not a typed id.
"""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo.i18n import t
from geo.store import open_store, store_url
from geo.store.accounts import add_account
from tests.app_fixtures import APP, plain, run
from tests.test_investor_app import ENQUIRY, TIMEOUT, fill_enquiry, select
from ui import state as ui_state
from ui.data import REGISTRY_ENV

PASSWORD = "correcthorsebattery"


@pytest.fixture
def app_env(store_env, monkeypatch):
    """The app on the store of ``store_env``, with one planner account; the first lot's id."""
    monkeypatch.delenv(REGISTRY_ENV, raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    for name, value in store_env.items():
        monkeypatch.setenv(name, value)
    st.cache_resource.clear()  # no store of another test
    with open_store(store_url(store_env)) as store:
        add_account(store, "lan", PASSWORD, "planner")
        lot_layer = next(e["id"] for e in store.entries() if e["schema"] == "lot")
        first_lot = store.features(lot_layer)[0].id
    yield store_env, first_lot
    st.cache_resource.clear()


def page(name: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(page=name, lang="en")
    return run(at)


def log_in(at: AppTest) -> AppTest:
    at.sidebar.text_input(key=ui_state.LOGIN_NAME_KEY).input("lan")
    at.sidebar.text_input(key=ui_state.LOGIN_PASSWORD_KEY).input(PASSWORD)
    next(b for b in at.button if b.label == t("login.submit", "en")).click()
    return run(at)


def test_an_enquiry_is_found_by_a_planner_after_a_restart_and_marked_answered(app_env):
    env, lot_id = app_env
    visitor = select(page("investor"), lot_id)
    fill_enquiry(visitor, ENQUIRY)
    (confirmation,) = [plain(s.value) for s in visitor.success]
    reference = confirmation.rsplit(" ", 1)[1]
    st.cache_resource.clear()  # the app restarts: its store connection is dropped
    st.cache_data.clear()
    planner = page("enquiries")
    assert t("enquiry.planners_only", "en") in [i.value for i in planner.info]
    assert not planner.dataframe
    log_in(planner)
    column = t("enquiry.col.reference", "en")
    (listing,) = [d.value for d in planner.dataframe if column in d.value.columns]
    row = listing.set_index(column).loc[reference]
    assert row[t("enquiry.field.name", "en")] == ENQUIRY["name"]
    assert row[t("enquiry.field.message", "en")] == ENQUIRY["message"]
    assert row[t("enquiry.col.answered", "en")] == ""
    planner.selectbox(key=ui_state.widget_key("enquiry.mark_reference", "en")).set_value(reference)
    next(b for b in planner.button if b.label == t("enquiry.mark_answered", "en")).click()
    run(planner)
    assert t("enquiry.none", "en") in [i.value for i in planner.info]
    with open_store(store_url(env), seed=None) as store:
        stored = store.enquiry(reference)
    assert stored is not None and stored.answered and stored.lot_id == lot_id

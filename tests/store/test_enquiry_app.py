"""An enquiry sent from the investor page survives a restart of the app, on both back ends.

The app reads the invented layers of ``tests/test_investor_app.py`` (``$LSZ_REGISTRY``);
its enquiries go to the store of ``store_env``: a GeoPackage in a temporary folder, or a
fresh PostGIS database (``DATABASE_URL``).
"""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo.i18n import t
from geo.store import open_store, store_url
from tests.test_investor_app import (
    APP,
    ENQUIRY,
    TIMEOUT,
    default_layers,
    fill_enquiry,
    plain,
    run,
    select,
    start,
    write_lot_layers,
)
from ui.data import REGISTRY_ENV


@pytest.fixture
def app_env(store_env, tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    for name, value in store_env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv(REGISTRY_ENV, str(write_lot_layers(tmp_path / "layers", default_layers())))
    st.cache_resource.clear()  # the store of another test must not be reused
    yield store_env
    st.cache_resource.clear()


def test_an_enquiry_sent_from_the_page_is_found_after_a_restart(app_env):
    at = select(start(), "lot-f-a1")
    fill_enquiry(at, ENQUIRY)
    (confirmation,) = [plain(s.value) for s in at.success]
    reference = confirmation.rsplit(" ", 1)[1]
    st.cache_resource.clear()  # the app restarts: its store connection is dropped
    st.cache_data.clear()
    planner = AppTest.from_file(APP, default_timeout=TIMEOUT)
    planner.query_params.update(page="enquiries", lang="en")
    run(planner)
    (listing,) = [d.value for d in planner.dataframe]
    assert listing[t("enquiry.col.reference", "en")].tolist() == [reference]
    with open_store(store_url(app_env), seed=None) as store:
        stored = store.enquiry(reference)
    assert stored is not None and stored.lot_id == "lot-f-a1" and stored.name == ENQUIRY["name"]

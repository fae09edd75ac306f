"""The planners' milestones form through AppTest, on both back ends.

The app runs on the store of ``store_env`` (a GeoPackage in a temporary folder, or a fresh
PostGIS database), seeded from ``layers/`` on first use as in production. The project edited
is the first feature of the first project layer the store holds, whatever it is: no shipped
id or figure is named. A planner adds a milestone (logged, in History, reverted), a bad one
is refused naming the feature and field with nothing written, and a stale form is a conflict.
"""

from __future__ import annotations

from datetime import date

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo.feature_edits import milestone_changes, milestone_entry
from geo.i18n import t
from geo.store import open_store, store_url
from geo.store.accounts import add_account
from geo.store.audit import EditSource
from geo.store.edits import edit_feature, history
from tests.store.edit_fixtures import SOURCE, everything
from tests.test_planner_app import APP, everything_sent, subheaders, unescaped
from ui import state as ui_state
from ui.data import REGISTRY_ENV

PASSWORD = "correcthorsebattery"
TIMEOUT = 120
REFERENCE = "MRKMSREF5e1d"
LABELS = {"vi": "Kiểm tra hiện trường", "en": "Site check", "zh": "现场检查"}


@pytest.fixture
def app_env(store_env, monkeypatch):
    """The app on the store of ``store_env`` with one planner; the feature to edit."""
    monkeypatch.delenv(REGISTRY_ENV, raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    for name, value in store_env.items():
        monkeypatch.setenv(name, value)
    st.cache_resource.clear()  # no store of another test
    st.cache_data.clear()
    with open_store(store_url(store_env)) as store:
        add_account(store, "lan", PASSWORD, "planner")
        layer_id = next(e["id"] for e in store.entries() if e["schema"] == "project")
        feature_id = store.features(layer_id)[0].id
    yield store_env, layer_id, feature_id
    st.cache_resource.clear()
    st.cache_data.clear()


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def planner_on(feature_id: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(lang="en", feature=feature_id)
    run(at)
    at.sidebar.text_input(key=ui_state.LOGIN_NAME_KEY).input("lan")
    at.sidebar.text_input(key=ui_state.LOGIN_PASSWORD_KEY).input(PASSWORD)
    button(at, t("login.submit", "en")).click()
    return run(at)


def stored(env, layer_id: str, feature_id: str) -> dict:
    with open_store(store_url(env), seed=None) as store:
        return next(f.properties for f in store.features(layer_id) if f.id == feature_id)


def fill_new_milestone(at: AppTest, feature_id: str, labels=LABELS) -> None:
    """Fill the form for a new milestone dated today: a report (no status), sourced."""
    base = at.session_state[ui_state.edit_key(feature_id, "base_version")]
    key = lambda name: ui_state.milestone_key(feature_id, base, f"None.{name}")  # noqa: E731
    at.date_input(key=key("date")).set_value(date.today())
    at.selectbox(key=key("precision")).set_value("day")
    at.selectbox(key=key("kind")).set_value("other")
    for lang, text in labels.items():
        at.text_input(key=key(f"label_{lang}")).input(text)
    at.selectbox(key=key("status")).set_value(None)
    at.selectbox(key=key("source")).set_value(SOURCE)
    at.selectbox(key=key("source_kind")).set_value("site_visit")
    at.text_input(key=key("source_ref")).input(REFERENCE)
    at.text_input(key=key("reason")).input("checked on site")


def test_a_public_session_has_no_milestones_form(app_env):
    _, _, feature_id = app_env
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(lang="en", feature=feature_id)
    run(at)
    assert t("milestones.title", "en") not in subheaders(at)
    assert t("milestones.save", "en") not in [b.label for b in at.button]
    assert ".milestones." not in everything_sent(at)


def test_a_planner_adds_a_milestone_sees_it_in_history_and_reverts_it(app_env):
    env, layer_id, feature_id = app_env
    before = stored(env, layer_id, feature_id)
    at = planner_on(feature_id)
    assert t("milestones.title", "en") in subheaders(at)
    fill_new_milestone(at, feature_id)
    button(at, t("milestones.save", "en")).click()
    run(at)
    assert unescaped(next(s.value for s in at.success)).startswith("Saved (layer version ")
    after = stored(env, layer_id, feature_id)
    added = [m for m in after["milestones"] if m not in before["milestones"]]
    assert added == [
        {
            "date": date.today().isoformat(),
            "date_precision": "day",
            "kind": "other",
            "label_vi": LABELS["vi"],
            "label_en": LABELS["en"],
            "label_zh": LABELS["zh"],
            "status": None,
            "source": SOURCE,
        }
    ]
    assert after["status"] == before["status"]  # a report sets no status
    with open_store(store_url(env), seed=None) as store:
        (row,) = history(store, layer_id, feature_id)
    assert (row.field, row.user, row.reason) == ("milestones", "lan", "checked on site")
    assert row.source == EditSource("site_visit", REFERENCE)
    shown = [d.value for d in at.dataframe if t("history.who", "en") in d.value.columns]
    assert shown and "milestones" in list(shown[0][t("edit.field", "en")])
    listed = [d.value for d in at.dataframe if t("panel.event", "en") in d.value.columns]
    assert LABELS["en"] in list(listed[0][t("panel.event", "en")])

    at.selectbox(key=ui_state.edit_key(feature_id, "revert_entry")).set_value(row.entry_id)
    at.text_input(key=ui_state.edit_key(feature_id, "revert_reason")).input("wrong project")
    button(at, t("history.revert", "en")).click()
    run(at)
    assert stored(env, layer_id, feature_id)["milestones"] == before["milestones"]


def test_a_bad_milestone_is_refused_naming_feature_and_field_and_nothing_is_written(app_env):
    env, _, feature_id = app_env
    at = planner_on(feature_id)
    fill_new_milestone(at, feature_id, {**LABELS, "zh": ""})
    with open_store(store_url(env), seed=None) as store:
        before = everything(store)
    button(at, t("milestones.save", "en")).click()
    run(at)
    (error,) = [unescaped(e.value) for e in at.error]
    assert f"feature '{feature_id}', field 'milestones[" in error
    assert "].label_zh'" in error and "nothing was written" in error
    with open_store(store_url(env), seed=None) as store:
        assert everything(store) == before


def test_a_milestone_saved_over_a_newer_edit_is_a_conflict(app_env):
    env, layer_id, feature_id = app_env
    at = planner_on(feature_id)
    fill_new_milestone(at, feature_id)
    with open_store(store_url(env), seed=None) as store:
        edit_feature(
            store,
            layer_id,
            feature_id,
            {"note_en": "Changed meanwhile", "note_vi": "Đã đổi", "note_zh": "已更改"},
            user="minh",
            reason="board report",
            source=EditSource("document", "report"),
            expected_version=store.versions()[layer_id],
        )
        before = everything(store)
    button(at, t("milestones.save", "en")).click()
    run(at)
    warning = unescaped(at.warning[-1].value)
    assert warning == t("edit.conflict", "en", by="minh")
    with open_store(store_url(env), seed=None) as store:
        assert everything(store) == before
    button(at, t("edit.keep_mine", "en")).click()
    run(at)
    after = stored(env, layer_id, feature_id)
    assert after["note_en"] == "Changed meanwhile"
    assert any(m.get("label_en") == LABELS["en"] for m in after["milestones"])


def test_a_planner_changes_then_removes_a_milestone(app_env):
    env, layer_id, feature_id = app_env
    with open_store(store_url(env), seed=None) as store:
        props = next(f.properties for f in store.features(layer_id) if f.id == feature_id)
        report = milestone_entry(
            day=date.today(),
            precision="day",
            kind="other",
            labels=LABELS,
            status=None,
            source_id=SOURCE,
        )
        edit_feature(
            store,
            layer_id,
            feature_id,
            milestone_changes(props, add=report),
            user="minh",
            reason="board report",
            source=EditSource("document", "report"),
            expected_version=store.versions()[layer_id],
        )
    index = stored(env, layer_id, feature_id)["milestones"].index(report)
    at = planner_on(feature_id)

    def key(name: str) -> str:
        base = at.session_state[ui_state.edit_key(feature_id, "base_version")]
        return ui_state.milestone_key(feature_id, base, name)

    at.selectbox(key=key("which")).set_value(index)
    run(at)
    assert at.text_input(key=key(f"{index}.label_en")).value == LABELS["en"]
    at.text_input(key=key(f"{index}.label_en")).input("Site check, corrected")
    at.text_input(key=key(f"{index}.source_ref")).input(REFERENCE)
    at.text_input(key=key(f"{index}.reason")).input("typo")
    button(at, t("milestones.save", "en")).click()
    run(at)
    milestones = stored(env, layer_id, feature_id)["milestones"]
    assert milestones[index] == {**report, "label_en": "Site check, corrected"}

    at.selectbox(key=key("which")).set_value(index)
    run(at)
    at.text_input(key=key(f"{index}.source_ref")).input(REFERENCE)
    at.text_input(key=key(f"{index}.reason")).input("reported twice")
    button(at, t("milestones.remove", "en")).click()
    run(at)
    assert stored(env, layer_id, feature_id)["milestones"] == props["milestones"]
    with open_store(store_url(env), seed=None) as store:
        rows = history(store, layer_id, feature_id)
    assert [(r.user, r.reason) for r in rows] == [
        ("minh", "board report"),
        ("lan", "typo"),
        ("lan", "reported twice"),
    ]

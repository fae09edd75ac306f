"""The planners' side of the app through AppTest: login, roles, edit, history, revert, stale list.

The app runs on a GeoPackage store in a temporary folder (seeded from ``layers/``); the
project edited is the first feature of the first project layer the store holds, whatever it
is, so no shipped id or figure is named here.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from shapely import Polygon, to_geojson
from shapely.affinity import translate
from shapely.geometry import shape
from streamlit.testing.v1 import AppTest

from geo.freshness import source_ages
from geo.i18n import feature_name
from geo.measure import area_ha
from geo.store import open_store, store_url
from geo.store.accounts import add_account
from geo.store.audit import EditSource
from geo.store.edits import edit_feature, history
from geo.text import format_number
from ui import state as ui_state
from ui.data import REGISTRY_ENV

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PASSWORD = "correcthorsebattery"
#: Internal values: they must never reach a public page. Letters and digits only, so that
#: no escaping (Markdown, HTML, JSON) can hide one from the search.
MARKER_REASON = "MRKREASON7f3a"
MARKER_SOURCE = "MRKSOURCE91bc"
MARKER_USER = "mrkuser42d0"


@pytest.fixture
def store_dir(tmp_path, monkeypatch):
    monkeypatch.delenv(REGISTRY_ENV, raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("LSZ_DATA_DIR", str(tmp_path / "data"))
    env = {"LSZ_DATA_DIR": str(tmp_path / "data")}
    with open_store(store_url(env)) as store:
        add_account(store, "lan", PASSWORD, "planner")
        add_account(store, MARKER_USER, PASSWORD, "planner")
        layer_id = next(e["id"] for e in store.entries() if e["schema"] == "project")
        feature_id = store.features(layer_id)[0].id
    return env, layer_id, feature_id


def run_app(feature_id: str | None = None, page: str = "map", **state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = "en"
    at.query_params["page"] = page
    if feature_id:
        at.query_params["feature"] = feature_id
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def log_in(at: AppTest, name: str, password: str) -> AppTest:
    at.sidebar.text_input(key=ui_state.LOGIN_NAME_KEY).input(name)
    at.sidebar.text_input(key=ui_state.LOGIN_PASSWORD_KEY).input(password)
    button(at, "Log in").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def unescaped(markdown: object) -> str:
    """The text an escaped Markdown message shows."""
    return re.sub(r"\\(.)", r"\1", str(markdown))


def subheaders(at: AppTest) -> list[str]:
    return [str(s.value) for s in at.subheader]


def everything_sent(at: AppTest) -> str:
    """Every element the page sends, as protobuf text (values, markdown, dataframes' Arrow
    bytes, the map component's HTML and arguments)."""
    parts: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


def test_a_public_session_cannot_craft_its_way_to_the_planner_tools(store_dir):
    _, _, feature_id = store_dir
    crafted = {
        ui_state.AUTH_TOKEN_KEY: "forged-token",
        "role": "planner",
        "account": "lan",
        ui_state.edit_key(feature_id, "base_version"): 1,
    }
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in {"lang": "en", "feature": feature_id, "role": "admin"}.items():
        at.query_params[key] = value
    for key, value in crafted.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Edit" not in subheaders(at) and "History" not in subheaders(at)
    assert "Stale figures" not in subheaders(at) and "Milestones" not in subheaders(at)
    assert not [t for t in at.text if "Logged in" in str(t.value)]
    assert button(at, "Log in")  # still the public login form


def test_a_wrong_password_is_refused(store_dir):
    at = log_in(run_app(), "lan", PASSWORD + "x")
    assert [str(e.value) for e in at.sidebar.error] == ["Wrong name or password."]
    assert "Edit" not in subheaders(at)


def test_a_planner_logs_in_edits_sees_the_history_reverts_and_logs_out(store_dir):
    env, layer_id, feature_id = store_dir
    at = log_in(run_app(feature_id), "lan", PASSWORD)
    assert [str(t.value) for t in at.sidebar.text] == ["Logged in: lan (planner)"]
    assert {"Edit", "History", "Stale figures"} <= set(subheaders(at))

    at.text_area(key=ui_state.edit_key(feature_id, "note_en")).input("Checked on site")
    at.text_area(key=ui_state.edit_key(feature_id, "note_vi")).input("Đã kiểm tra")
    at.text_area(key=ui_state.edit_key(feature_id, "note_zh")).input("已现场核实")
    at.selectbox(key=ui_state.edit_key(feature_id, "source_kind")).set_value("site_visit")
    at.text_input(key=ui_state.edit_key(feature_id, "source_ref")).input("Visit of 2 March")
    at.text_input(key=ui_state.edit_key(feature_id, "reason")).input("site check")
    button(at, "Save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("Saved" in str(s.value) for s in at.success)
    with open_store(store_url(env)) as store:
        rows = history(store, layer_id, feature_id)
        assert {r.field for r in rows} >= {"note_en", "note_vi", "note_zh"}
        assert {r.user for r in rows} == {"lan"} and rows[0].reason == "site check"
        stored = next(f for f in store.features(layer_id) if f.id == feature_id)
        assert stored.properties["note_en"] == "Checked on site"
    [frame] = [d.value for d in at.dataframe if "Old value" in d.value.columns]
    assert "Checked on site" in set(frame["New value"])

    note_row = next(r for r in rows if r.field == "note_en")
    at.selectbox(key=ui_state.edit_key(feature_id, "revert_entry")).set_value(note_row.entry_id)
    at.text_input(key=ui_state.edit_key(feature_id, "revert_reason")).input("wrong feature")
    button(at, "Revert").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    with open_store(store_url(env)) as store:
        stored = next(f for f in store.features(layer_id) if f.id == feature_id)
        assert stored.properties["note_en"] == note_row.old
        assert history(store, layer_id, feature_id)[-1].action == "revert"

    button(at, "Log out").click().run()
    assert "Edit" not in subheaders(at)


def test_a_refused_edit_shows_the_rule_and_writes_nothing(store_dir):
    env, layer_id, feature_id = store_dir
    at = log_in(run_app(feature_id), "lan", PASSWORD)
    at.number_input(key=ui_state.edit_key(feature_id, "progress")).set_value(140.0)
    at.text_input(key=ui_state.edit_key(feature_id, "source_ref")).input("Board report")
    at.text_input(key=ui_state.edit_key(feature_id, "reason")).input("monthly update")
    button(at, "Save").click().run()
    errors = [unescaped(e.value) for e in at.error]
    assert any("field 'progress_pct'" in e and "0 to 100" in e for e in errors), errors
    with open_store(store_url(env)) as store:
        assert history(store, layer_id, feature_id) == []


def test_a_stale_save_shows_both_values_and_keeps_mine_on_request(store_dir):
    env, layer_id, feature_id = store_dir
    at = log_in(run_app(feature_id), "lan", PASSWORD)  # the form is based on this version
    with open_store(store_url(env)) as store:  # meanwhile, another planner saves
        edit_feature(
            store,
            layer_id,
            feature_id,
            {"note_en": "Theirs", "note_vi": "Theirs", "note_zh": "Theirs"},
            user=MARKER_USER,
            reason="r",
            source=EditSource("decision", "d"),
            expected_version=store.versions()[layer_id],
        )
    for field in ("note_en", "note_vi", "note_zh"):
        at.text_area(key=ui_state.edit_key(feature_id, field)).input("Mine")
    at.text_input(key=ui_state.edit_key(feature_id, "source_ref")).input("Board report")
    at.text_input(key=ui_state.edit_key(feature_id, "reason")).input("update")
    button(at, "Save").click().run()
    assert any(MARKER_USER in str(w.value) for w in at.warning)
    [frame] = [d.value for d in at.dataframe if "Theirs (stored)" in d.value.columns]
    assert set(frame["Theirs (stored)"]) == {"Theirs"} and set(frame["Yours"]) == {"Mine"}
    with open_store(store_url(env)) as store:
        stored = next(f for f in store.features(layer_id) if f.id == feature_id)
        assert stored.properties["note_en"] == "Theirs"  # nothing overwritten
    button(at, "Keep mine").click().run()
    with open_store(store_url(env)) as store:
        stored = next(f for f in store.features(layer_id) if f.id == feature_id)
        assert stored.properties["note_en"] == "Mine"


def test_internal_fields_never_reach_a_public_page(store_dir):
    env, layer_id, feature_id = store_dir
    with open_store(store_url(env)) as store:
        edit_feature(
            store,
            layer_id,
            feature_id,
            {"name_en": "Renamed for the marker test"},
            user=MARKER_USER,
            reason=MARKER_REASON,
            source=EditSource("document", MARKER_SOURCE),
            expected_version=store.versions()[layer_id],
        )
    markers = (MARKER_REASON, MARKER_SOURCE, MARKER_USER, PASSWORD)
    for page in ("map", "dashboard"):
        sent = everything_sent(run_app(feature_id, page=page))
        assert "Renamed for the marker test" in sent or page == "dashboard"  # the edit is public
        for marker in markers:
            assert marker not in sent, (page, marker)
    # Crafted state changes nothing.
    crafted = run_app(feature_id, **{ui_state.AUTH_TOKEN_KEY: "x", "role": "admin"})
    for marker in markers:
        assert marker not in everything_sent(crafted)
    # The search finds them where they are shown: a planner's History.
    planner = log_in(run_app(feature_id), "lan", PASSWORD)
    sent = everything_sent(planner)
    assert MARKER_REASON in sent and MARKER_SOURCE in sent and MARKER_USER in sent
    assert PASSWORD not in sent


def test_a_shape_is_measured_as_typed_and_checked_on_save(store_dir):
    env, layer_id, feature_id = store_dir
    with open_store(store_url(env)) as store:
        kind = next(e for e in store.entries() if e["id"] == layer_id)["geometry_kind"]
    assert kind == "polygon"  # the first project layer holds areas
    square = Polygon([(106.70, 21.90), (106.71, 21.90), (106.71, 21.91), (106.70, 21.91)])
    at = log_in(run_app(feature_id), "lan", PASSWORD)
    at.text_area(key=ui_state.edit_key(feature_id, "geometry")).input(square.wkt).run()
    expected = f"Geodesic area: {format_number(area_ha(square), lang='en')} ha"
    assert expected in [str(x.value) for x in at.text]
    at.text_input(key=ui_state.edit_key(feature_id, "source_ref")).input("Survey 2026")
    at.text_input(key=ui_state.edit_key(feature_id, "reason")).input("new outline")
    button(at, "Save").click().run()
    errors = [unescaped(e.value) for e in at.error]
    assert any("field 'geometry': expected a geodesic area" in e for e in errors), errors
    with open_store(store_url(env)) as store:
        assert history(store, layer_id, feature_id) == []


def test_the_dashboard_shows_how_old_each_projects_latest_source_is(store_dir):
    env, _, _ = store_dir
    day = date(2026, 6, 1)
    with open_store(store_url(env)) as store:
        projects = {
            f.id: dict(f.properties)
            for e in store.entries()
            if e["schema"] == "project"
            for f in store.features(e["id"])
        }
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in {"lang": "en", "page": "dashboard", "date": day.isoformat()}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    [frame] = [d.value for d in at.dataframe if "Age (days)" in d.value.columns]
    expected = source_ages(projects, day)
    assert list(frame["Project"]) == [feature_name(projects[a.feature_id], "en") for a in expected]
    ages = [None if pd.isna(v) else int(v) for v in frame["Age (days)"]]
    assert ages == [a.age_days for a in expected]
    assert any(a is not None for a in ages)


def drawing(geometry) -> dict:
    """What the drawing map returns (streamlit-folium's ``all_drawings``) for one shape."""
    return {
        "all_drawings": [
            {"type": "Feature", "properties": {}, "geometry": json.loads(to_geojson(geometry))}
        ]
    }


def test_a_shape_drawn_on_the_map_fills_the_field_and_saves_with_an_audit_row(store_dir):
    env, layer_id, feature_id = store_dir
    with open_store(store_url(env)) as store:
        before = next(f for f in store.features(layer_id) if f.id == feature_id).geometry
    moved = translate(before, xoff=0.0002, yoff=0.0001)  # reshaped: same area, moved ~20 m
    at = log_in(run_app(feature_id), "lan", PASSWORD)
    assert "/app/static/vendor/leaflet-draw/leaflet.draw.js" in everything_sent(at)
    at.session_state[ui_state.edit_key(feature_id, "draw_map")] = drawing(moved)
    at.run()
    field = at.text_area(key=ui_state.edit_key(feature_id, "geometry"))
    assert shape(json.loads(field.value)).equals_exact(moved, 1e-12)
    expected = f"Geodesic area: {format_number(area_ha(moved), lang='en')} ha"
    assert expected in [str(x.value) for x in at.text]
    at.selectbox(key=ui_state.edit_key(feature_id, "source_kind")).set_value("site_visit")
    at.text_input(key=ui_state.edit_key(feature_id, "source_ref")).input("Survey 2026-11")
    at.text_input(key=ui_state.edit_key(feature_id, "reason")).input("outline moved")
    button(at, "Save").click().run()
    assert not at.error, [unescaped(e.value) for e in at.error]
    with open_store(store_url(env)) as store:
        after = next(f for f in store.features(layer_id) if f.id == feature_id).geometry
        rows = history(store, layer_id, feature_id)
    assert after.equals_exact(moved, 1e-9)
    assert [(r.field, r.user, r.reason) for r in rows] == [("geometry", "lan", "outline moved")]
    assert rows[0].source == EditSource("site_visit", "Survey 2026-11")
    # The same drawing is not taken again: the planner's own text stays.
    at.text_area(key=ui_state.edit_key(feature_id, "geometry")).input("").run()
    assert at.text_area(key=ui_state.edit_key(feature_id, "geometry")).value == ""


def test_a_self_intersecting_drawing_is_refused_naming_the_feature_and_field(store_dir):
    env, layer_id, feature_id = store_dir
    with open_store(store_url(env)) as store:
        before = next(f for f in store.features(layer_id) if f.id == feature_id).geometry
        versions = store.versions()
    x, y = before.representative_point().coords[0]
    bowtie = Polygon([(x, y), (x + 0.01, y + 0.01), (x + 0.01, y), (x, y + 0.01)])
    assert not bowtie.is_valid
    at = log_in(run_app(feature_id), "lan", PASSWORD)
    at.session_state[ui_state.edit_key(feature_id, "draw_map")] = drawing(bowtie)
    at.run()
    at.text_input(key=ui_state.edit_key(feature_id, "source_ref")).input("Survey 2026-11")
    at.text_input(key=ui_state.edit_key(feature_id, "reason")).input("outline")
    button(at, "Save").click().run()
    errors = [unescaped(e.value) for e in at.error]
    assert any(f"feature '{feature_id}', field 'geometry'" in e for e in errors), errors
    with open_store(store_url(env)) as store:
        assert history(store, layer_id, feature_id) == []
        assert store.versions() == versions
        now = next(f for f in store.features(layer_id) if f.id == feature_id).geometry
        assert now.equals(before)


def test_a_public_session_gets_no_drawing_tools(store_dir):
    _, _, feature_id = store_dir
    sent = everything_sent(run_app(feature_id))
    assert "leaflet-draw" not in sent and "L.Control.Draw" not in sent
    assert "geographiclib-geodesic.min.js" in sent  # the measuring tool is for everyone

"""The Import page through AppTest: upload → report → answer → confirm → layer in the store.

The app runs on a fresh GeoPackage store in ``tmp_path`` (``$LSZ_DATA_DIR``, seeded from
``layers/`` on first use) with one planner account, who logs in first; the uploaded files
are tiny invented surveys. A public session sees only that the page is for planners, and
nothing it puts in the session state reaches the store.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from shapely.geometry import mapping
from streamlit.testing.v1 import AppTest

from geo.crs import transform_geometry
from geo.i18n import t
from geo.importing.model import ImportOptions
from geo.importing.pipeline import analyse
from geo.measure import GEOD
from geo.store import open_store, store_url
from geo.store.accounts import add_account
from geo.text import escape_markdown
from ui import state as ui_state
from ui.data import REGISTRY_ENV

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
TIMEOUT = 180
GATE_LONLAT = (106.71222, 21.97639)
GATE_TM3 = (444268.4, 2431151.1)
#: A name that would be a link and an image if it were rendered as Markdown.
HOSTILE = "Mốc [x](javascript:alert(1)) ![i](http://example.org/i.png) <b>đậm</b>"
PASSWORD = "correcthorsebattery"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A fresh store (seeded from ``layers/``) with the planner ``lan``; its environment."""
    monkeypatch.delenv(REGISTRY_ENV, raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("LSZ_DATA_DIR", str(tmp_path / "data"))
    env = {"LSZ_DATA_DIR": str(tmp_path / "data")}
    with open_store(store_url(env)) as store:
        add_account(store, "lan", PASSWORD, "planner")
    return env


def import_app(lang: str = "en", **session) -> AppTest:
    """The app on ``?page=import`` (a public session, with ``session`` in its state), run."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["page"] = "import"
    at.query_params["lang"] = lang
    for name, value in session.items():
        at.session_state[name] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def log_in(at: AppTest, lang: str = "en") -> AppTest:
    at.sidebar.text_input(key=ui_state.LOGIN_NAME_KEY).input("lan")
    at.sidebar.text_input(key=ui_state.LOGIN_PASSWORD_KEY).input(PASSWORD)
    next(b for b in at.button if b.label == t("login.submit", lang)).click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def app(env: dict[str, str]) -> AppTest:
    """The Import page, a planner logged in."""
    return log_in(import_app())


def key(name: str, lang: str = "en") -> str:
    return ui_state.widget_key(f"import.{name}", lang)


def problem_tables(at: AppTest) -> list:
    """The page's problem tables (the planners' stale list below the page is a table too)."""
    column = t("import.col.rule", "en")
    return [d for d in at.dataframe if column in d.value.columns]


def markdown_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown) + "\n".join(c.value for c in at.caption)


def test_upload_report_answer_confirm_puts_the_layer_in_the_store(app: AppTest, tmp_path) -> None:
    east, north = GATE_TM3
    csv = f"ID,ten,X,Y\nM-1,{HOSTILE},{north},{east}\n".encode()
    app.file_uploader(key=ui_state.IMPORT_UPLOAD_KEY).set_value(("moc.csv", csv, "text/csv"))
    app.run()
    assert not app.exception
    # No CRS: a question, no confirm button, nothing written.
    texts = [x.value for x in app.text]
    assert any("declares no CRS" in x and "EPSG:9215" in x for x in texts)
    assert not [b for b in app.button if b.key == ui_state.IMPORT_CONFIRM_KEY]
    assert [w.value for w in app.warning] == [escape_markdown(t("import.not_ok", "en"))]
    # The planner answers with the suggested CRS: the report is clean.
    app.selectbox(key=key("crs")).set_value("EPSG:9215")
    app.run()
    assert not app.exception
    assert any("0 problem(s), 0 question(s)" in x.value for x in app.text)
    assert t("import.new_layer", "en", layer="moc") in [x.value for x in app.text]
    app.button(key=ui_state.IMPORT_CONFIRM_KEY).click()
    app.run()
    assert not app.exception
    done = escape_markdown(t("import.done", "en", layer="moc", version=1))
    assert done in [s.value for s in app.success]
    with open_store(store_url({"LSZ_DATA_DIR": str(tmp_path / "data")})) as store:
        [feature] = store.features("moc")
    assert feature.properties["ten"] == HOSTILE
    assert GEOD.inv(feature.geometry.x, feature.geometry.y, *GATE_LONLAT)[2] < 1.0
    # The layer is in the layer tree and switched on; the map draws it.
    assert app.sidebar.checkbox(key=ui_state.widget_key("layer.moc", "en")).value is True
    assert HOSTILE not in markdown_text(app)
    app.query_params["page"] = "map"
    app.sidebar.radio(key=ui_state.widget_key("page", "en")).set_value("map")
    app.run()
    assert not app.exception


def test_problems_are_a_table_with_file_feature_and_field(app: AppTest, tmp_path) -> None:
    lon, lat = GATE_LONLAT
    csv = f"ID,status,lat,lon\nKTC-01,{HOSTILE},{lat},{lon}\nKTC-01,planned,{lat},{lon}\n".encode()
    app.file_uploader(key=ui_state.IMPORT_UPLOAD_KEY).set_value(("lo.csv", csv, "text/csv"))
    app.run()
    assert not app.exception
    [table] = problem_tables(app)
    frame = table.value
    columns = [t(f"import.col.{c}", "en") for c in ("file", "feature", "field", "rule")]
    assert frame[columns].values.tolist() == [
        ["lo.csv", "KTC-01", "status", "vocabulary"],
        ["lo.csv", "KTC-01", "ID", "duplicate-id"],
    ]
    assert HOSTILE not in markdown_text(app)  # the data text is in the table, never Markdown
    assert not [b for b in app.button if b.key == ui_state.IMPORT_CONFIRM_KEY]
    with open_store(store_url({"LSZ_DATA_DIR": str(tmp_path / "data")})) as store:
        assert "lo" not in store.versions()


def test_repair_offered_then_accepted_on_the_page(app: AppTest) -> None:
    lon, lat = GATE_LONLAT
    lon -= 0.01  # inside the province, away from the border
    lat -= 0.01
    d = 0.002
    ring = f"{lon} {lat}, {lon + d} {lat + d}, {lon + d} {lat}, {lon} {lat + d}, {lon} {lat}"
    csv = f'ID,wkt\nb-1,"POLYGON (({ring}))"\n'.encode()
    app.file_uploader(key=ui_state.IMPORT_UPLOAD_KEY).set_value(("no.csv", csv, "text/csv"))
    app.run()
    app.selectbox(key=key("crs")).set_value("EPSG:4326")
    app.run()
    assert not app.exception
    repair_texts = [
        x.value for x in app.text if x.value.startswith(t("import.question.repair", "en"))
    ]
    assert len(repair_texts) == 1 and " ha → " in repair_texts[0]
    app.multiselect(key=key("repairs")).set_value(["make-valid"])
    app.run()
    assert not app.exception
    assert app.button(key=ui_state.IMPORT_CONFIRM_KEY)


@pytest.mark.parametrize("lang", ["vi", "en", "zh"])
def test_import_page_in_every_language(env: dict[str, str], lang: str) -> None:
    at = log_in(import_app(lang), lang)
    assert at.header[0].value == t("import.title", lang)
    assert at.file_uploader(key=ui_state.IMPORT_UPLOAD_KEY).label == t("import.upload", lang)


def test_without_a_store_the_page_says_import_is_not_available(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv(REGISTRY_ENV, str(ROOT / "layers" / "registry.json"))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["page"] = "import"
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert [i.value for i in at.info] == [escape_markdown(t("import.no_store", "en"))]
    assert not at.file_uploader


def test_replacing_a_stored_project_layer_from_the_page_records_surveyed(
    app: AppTest, tmp_path: Path
) -> None:
    env = {"LSZ_DATA_DIR": str(tmp_path / "data")}
    with open_store(store_url(env)) as store:  # seeded by the app's first run
        stored = store.features("zones")
        version = store.versions()["zones"]
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::9215"}},
        "features": [
            {
                "type": "Feature",
                "properties": dict(f.properties),
                "geometry": mapping(transform_geometry(f.geometry, "EPSG:4326", "EPSG:9215")),
            }
            for f in stored
        ],
    }
    body = json.dumps(doc, ensure_ascii=False).encode()
    upload = app.file_uploader(key=ui_state.IMPORT_UPLOAD_KEY)
    upload.set_value(("do_dac.geojson", body, "application/geo+json"))
    app.run()
    app.text_input(key=key("layer")).set_value("zones")
    app.radio(key=key("accuracy")).set_value("surveyed")
    app.run()
    assert not app.exception
    assert t("import.replaces", "en", layer="zones", version=version) in [x.value for x in app.text]
    app.button(key=ui_state.IMPORT_CONFIRM_KEY).click()
    app.run()
    assert not app.exception
    with open_store(store_url(env)) as store:
        after = store.features("zones")
        assert store.versions()["zones"] == version + 1
    assert [f.id for f in after] == [f.id for f in stored]
    assert {f.properties["geometry_accuracy"] for f in after} == {"surveyed"}
    assert all("do_dac.geojson" in f.properties["accuracy_note_en"] for f in after)


def test_field_renames_from_the_page_apply_the_project_rule(app: AppTest) -> None:
    lon, lat = GATE_LONLAT
    csv = f"ID,progress_p,lat,lon\nKTC-01,140,{lat},{lon}\n".encode()
    app.file_uploader(key=ui_state.IMPORT_UPLOAD_KEY).set_value(("tien_do.csv", csv, "text/csv"))
    app.run()
    assert not problem_tables(app)  # progress_p is not a project field: kept, unchecked
    app.text_area(key=key("field_map")).set_value("progress_p=progress_pct\nnot a rename")
    app.run()
    assert not app.exception
    [table] = problem_tables(app)
    rule, field = t("import.col.rule", "en"), t("import.col.field", "en")
    assert table.value[[field, rule]].values.tolist() == [["progress_pct", "progress-range"]]
    assert "not a rename" in [x.value for x in app.text]  # the line that is not SRC=DST, as text


def test_a_public_link_to_the_import_page_asks_to_log_in(env: dict[str, str]) -> None:
    at = import_app()
    assert at.header[0].value == t("import.title", "en")
    assert [i.value for i in at.info] == [t("import.planners_only", "en")]
    assert not at.file_uploader
    assert t("import.intro", "en") not in [c.value for c in at.caption]


def test_forged_session_state_writes_nothing_to_the_store(
    env: dict[str, str], tmp_path: Path
) -> None:
    lon, lat = GATE_LONLAT
    survey = tmp_path / "gia.csv"
    survey.write_text(f"ID,ten,lat,lon\nG-1,gia,{lat},{lon}\n", encoding="utf-8")
    report = analyse(survey, ImportOptions(crs="EPSG:4326"))
    assert report.ok and report.layer_id == "gia"  # a report the confirm button would commit
    with open_store(store_url(env)) as store:
        before = store.versions()
    forged = {
        ui_state.IMPORT_ANALYSIS_KEY: (("gia.csv",), report),
        ui_state.IMPORT_FOLDER_KEY: str(tmp_path),
        ui_state.IMPORT_DONE_KEY: ("gia", 1),
        ui_state.IMPORT_CONFIRM_KEY: True,
    }
    at = import_app(**forged)
    at.run()  # a second run, as after a click
    assert not at.exception
    assert [i.value for i in at.info] == [t("import.planners_only", "en")]
    assert not at.file_uploader and not at.success and not at.text and not at.dataframe
    assert not [b for b in at.button if b.key == ui_state.IMPORT_CONFIRM_KEY]
    with open_store(store_url(env)) as store:
        assert store.versions() == before
        assert "gia" not in store.versions()


def test_answers_survive_a_language_switch_and_reset_for_another_file(app: AppTest) -> None:
    east, north = GATE_TM3
    csv = f"ID,ten,X,Y\nM-1,Mốc,{north},{east}\n".encode()
    app.file_uploader(key=ui_state.IMPORT_UPLOAD_KEY).set_value(("moc.csv", csv, "text/csv"))
    app.run()
    app.text_input(key=key("layer")).input("moc_survey")
    app.selectbox(key=key("crs")).set_value("EPSG:9215")
    app.text_area(key=key("field_map")).input("ten=name")
    app.run()
    assert not app.exception
    for lang in ("zh", "vi", "en"):
        app.selectbox(key=ui_state.LANGUAGE_WIDGET_KEY).set_value(lang).run()
        assert not app.exception, [e.value for e in app.exception]
        assert app.text_input(key=key("layer", lang)).value == "moc_survey"
        assert app.selectbox(key=key("crs", lang)).value == "EPSG:9215"
        assert app.text_area(key=key("field_map", lang)).value == "ten=name"
    # The report follows the kept answers: the CRS question is answered.
    assert not any("declares no CRS" in x.value for x in app.text)
    # Another file starts from its own defaults.
    app.file_uploader(key=ui_state.IMPORT_UPLOAD_KEY).set_value(("other.csv", csv, "text/csv"))
    app.run()
    assert app.text_input(key=key("layer")).value == "other"
    assert app.selectbox(key=key("crs")).value == ""

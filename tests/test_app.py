"""The Streamlit app through AppTest: every page and widget path, the link, bad input.

The map itself is a custom component that AppTest does not draw; what the map
shows is tested in ``test_mapview.py`` and in the browser in ``e2e/``.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.errors import LayerError
from geo.i18n import feature_name, t
from geo.vocabulary import STATUSES
from ui.data import REGISTRY_ENV, load_app_data
from ui.query import PROJECT_GROUPS
from ui.sidebar import MAP_LAYER_SCHEMAS
from ui.state import (
    LANGUAGE_WIDGET_KEY,
    PLAY_BUTTON_KEY,
    PLAY_KEY,
    TODAY_BUTTON_KEY,
    view_key,
    widget_key,
)

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
TIMEOUT = 120


def run_app(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    """Every text the page shows, joined (markdown, captions, alerts, titles)."""
    parts = [e.value for e in at.markdown]
    parts += [e.value for e in at.caption]
    parts += [e.value for e in at.title] + [e.value for e in at.header]
    parts += [e.value for e in at.subheader]
    parts += (
        [e.value for e in at.warning] + [e.value for e in at.error] + [e.value for e in at.info]
    )
    return "\n".join(str(p) for p in parts)


def wk(at: AppTest, name: str) -> str:
    """Return the key of widget ``name`` as drawn in the page's current language."""
    return widget_key(name, at.session_state[view_key("lang")])


def map_legend(at: AppTest) -> list[str]:
    """Return the labels of the legend drawn on the map (from the map component's script)."""
    (component,) = at.get("component_instance")
    script = json.loads(component.proto.json_args)["feature_group"]
    (options,) = re.findall(r"var opts = (\{.*?\});\n", script)
    return [entry["label"] for entry in json.loads(options)["legend"]["entries"]]


def picker_options(at: AppTest) -> list[str | None]:
    """Return the ids offered by the project picker (AppTest gives its shown labels)."""
    lang = at.session_state[view_key("lang")]
    by_label = {feature_name(p, lang): fid for fid, p in load_app_data().project_features().items()}
    by_label[t("map.no_selection", lang)] = None
    return [by_label[label] for label in at.selectbox(key=wk(at, "feature")).options]


@pytest.fixture(scope="module")
def app() -> AppTest:
    return run_app()


def alerts(elements) -> str:
    """Alert texts without Markdown escapes (the app escapes what it quotes)."""
    return " ".join(e.value.replace("\\", "") for e in elements)


def query(at: AppTest) -> dict[str, str]:
    return {key: at.query_params[key] for key in at.query_params}


# --------------------------------------------------------------------------- first view


def test_first_view_is_vietnamese_with_default_layers_on(app):
    assert app.title[0].value == t("app.title", "vi")
    assert app.checkbox(key=wk(app, "layer.zones")).value is True
    assert app.checkbox(key=wk(app, "layer.railways")).value is False
    assert not app.error
    assert query(app) == {"lang": "vi"}


def test_layer_tree_is_grouped_zones_gates_roads_context(app):
    captions = [c.value for c in app.sidebar.caption]
    order = [captions.index(t(f"group.{g}", "vi")) for g in ("zones", "gates", "roads", "context")]
    assert order == sorted(order)


def test_disclaimer_says_shapes_are_not_surveyed(app):
    assert t("app.disclaimer", "vi") in texts(app)


# --------------------------------------------------------------------------- toggles


def test_switching_a_layer_off_hides_its_projects_and_legend_and_updates_the_link():
    at = run_app()
    assert "zone-cargo-transit" in picker_options(at)
    at.checkbox(key=wk(at, "layer.zones")).uncheck().run()
    assert "zone-cargo-transit" not in picker_options(at)
    assert "gate-huu-nghi" in picker_options(at)
    assert "zones" not in query(at)["layers"].split(",")


def test_switching_a_context_layer_on_adds_it_to_the_legend():
    at = run_app()
    railway_title = at.checkbox(key=wk(at, "layer.railways")).label
    assert railway_title not in map_legend(at)
    at.checkbox(key=wk(at, "layer.railways")).check().run()
    assert railway_title in map_legend(at)
    assert "railways" in query(at)["layers"]


# --------------------------------------------------------------------------- filters, search


def test_status_filter_keeps_only_that_status():
    at = run_app()
    at.multiselect(key=wk(at, "statuses")).set_value(["under_construction"]).run()
    options = [o for o in picker_options(at) if o]
    assert options and set(options) <= {
        "expressway-dong-dang-tra-linh-2",
        "road-ql4b-km18-km80",
        "zone-export-processing-1",
        "zone-non-tariff",
    }
    assert query(at)["status"] == "under_construction"


def test_group_filter_keeps_only_that_group():
    at = run_app()
    at.multiselect(key=wk(at, "groups")).set_value(["gates"]).run()
    options = {o for o in picker_options(at) if o}
    assert options and all(o.startswith(("gate-", "cargo-road-")) for o in options)
    assert query(at)["groups"] == "gates"


def test_basemap_choice_goes_to_the_link():
    at = run_app()
    at.selectbox(key=wk(at, "basemap")).set_value("none").run()
    assert query(at)["basemap"] == "none"
    again = run_app(query(at))
    assert again.selectbox(key=wk(again, "basemap")).value == "none"


def test_the_offline_basemap_is_the_default_and_tiles_are_offered_only_online(monkeypatch):
    monkeypatch.delenv("LSZ_ONLINE_BASEMAPS", raising=False)
    at = run_app({"basemap": "osm"})
    picker = at.selectbox(key=wk(at, "basemap"))
    assert picker.value == "offline" and picker.options == [
        t("basemap.offline", "vi"),
        t("basemap.none", "vi"),
    ]
    assert "basemap" not in query(at)
    assert "osm" in texts(at)  # the ignored value is named on the page
    monkeypatch.setenv("LSZ_ONLINE_BASEMAPS", "1")
    at = run_app()
    picker = at.selectbox(key=wk(at, "basemap"))
    assert picker.value == "offline" and len(picker.options) == 4
    picker.set_value("osm").run()
    assert query(at)["basemap"] == "osm"


@pytest.mark.parametrize("search", ["dong dang", "Đồng Đăng", "ĐỒNG ĐĂNG", "Dong Dang"])
def test_search_with_or_without_diacritics(search):
    at = run_app()
    at.text_input(key=wk(at, "search")).input(search).run()
    options = [o for o in picker_options(at) if o]
    assert "gate-dong-dang-rail" in options
    assert "expressway-dong-dang-tra-linh-1" in options
    assert "zone-export-processing-1" not in options


def test_search_in_chinese():
    at = run_app()
    at.text_input(key=wk(at, "search")).input("友谊").run()
    assert "gate-huu-nghi" in picker_options(at)


def test_search_without_results_says_so():
    at = run_app()
    at.text_input(key=wk(at, "search")).input("zzzz").run()
    assert picker_options(at) == [None]
    assert t("map.no_results", "vi") in texts(at)


# --------------------------------------------------------------------------- selection, panel


def test_selecting_a_project_shows_its_panel_with_schematic_warning_and_measures():
    at = run_app({"lang": "en"})
    at.selectbox(key=wk(at, "feature")).set_value("zone-cargo-transit").run()
    shown = texts(at)
    assert "Cargo transit zone" in shown
    assert t("panel.measured_area", "en") in shown.replace("\\", "")
    assert "143\\.7 ha" in shown
    assert any(t("accuracy.schematic", "en") in w.value for w in at.warning)
    assert query(at)["feature"] == "zone-cargo-transit"


def test_project_without_published_figures_says_not_published():
    at = run_app({"lang": "en", "feature": "zone-export-processing-1"})
    shown = texts(at)
    assert t("panel.not_published", "en") in shown
    assert any(t("accuracy.illustrative", "en") in w.value for w in at.warning)


def test_road_panel_shows_open_length_and_progress_bar():
    at = run_app({"lang": "en", "feature": "expressway-huu-nghi-chi-lang"})
    assert t("panel.open_length", "en") in texts(at)
    assert at.get("progress")


# --------------------------------------------------------------------------- timeline


def test_date_slider_shows_the_past():
    at = run_app({"lang": "en"})
    road = "expressway-huu-nghi-chi-lang"
    assert road in picker_options(at)
    at.slider(key=wk(at, "as_of")).set_value(date(2024, 3, 1)).run()
    # Its first dated status is its approval in April 2024: before that it did not exist.
    assert road not in picker_options(at)
    assert query(at)["date"] == "2024-03-01"
    at.slider(key=wk(at, "as_of")).set_value(date(2024, 6, 1)).run()
    assert query(at)["date"] == "2024-06-01"
    at.selectbox(key=wk(at, "feature")).set_value("expressway-huu-nghi-chi-lang").run()
    assert t("status.under_construction", "en") in texts(at)


def test_play_button_starts_and_stops_the_animation():
    at = run_app({"lang": "en", "date": "2024-01-01"})
    at.button(key=PLAY_BUTTON_KEY).click().run()
    assert at.session_state[PLAY_KEY] is True
    assert at.button(key=PLAY_BUTTON_KEY).label == t("timeline.pause", "en")
    assert at.session_state[view_key("as_of")] > date(2024, 1, 1)
    at.button(key=PLAY_BUTTON_KEY).click().run()
    assert at.session_state[PLAY_KEY] is False


def test_today_button_returns_to_today():
    at = run_app({"date": "2020-01-01"})
    at.button(key=TODAY_BUTTON_KEY).click().run()
    assert at.session_state[view_key("as_of")] == date.today()
    assert "date" not in query(at)


# --------------------------------------------------------------------------- languages


@pytest.mark.parametrize("lang", ["vi", "en", "zh"])
def test_every_language_labels_title_layers_and_statuses(lang):
    at = run_app()
    at.selectbox(key=LANGUAGE_WIDGET_KEY).set_value(lang).run()
    assert at.title[0].value == t("app.title", lang)
    assert at.sidebar.subheader[0].value == t("sidebar.layers", lang)
    assert t("status.operational", lang) in map_legend(at)
    assert query(at)["lang"] == lang


@pytest.mark.parametrize("lang", ["vi", "en", "zh"])
def test_dashboard_in_every_language(lang):
    at = run_app({"lang": lang, "page": "dashboard"})
    assert at.header[0].value == t("dashboard.title", lang)
    assert {m.label for m in at.metric} >= {
        t("dashboard.projects", lang),
        t("dashboard.total_investment", lang),
        t("dashboard.expressway_open", lang),
        t("dashboard.zone_area", lang),
    }
    assert at.dataframe  # trade indicators with sources


def test_dashboard_counts_follow_the_date():
    at = run_app({"page": "dashboard", "date": "2010-07-08"})
    before = next(m for m in at.metric if m.label == t("dashboard.projects", "vi")).value
    at.slider(key=wk(at, "as_of")).set_value(date.today()).run()
    after = next(m for m in at.metric if m.label == t("dashboard.projects", "vi")).value
    assert int(after) > int(before)


def test_page_switch_goes_to_the_link():
    at = run_app()
    at.radio(key=wk(at, "page")).set_value("dashboard").run()
    assert query(at)["page"] == "dashboard"
    assert at.header[0].value == t("dashboard.title", "vi")


# --------------------------------------------------------------------------- the link


def test_link_round_trip_restores_the_view():
    at = run_app()
    at.selectbox(key=LANGUAGE_WIDGET_KEY).set_value("zh").run()
    at.checkbox(key=wk(at, "layer.railways")).check().run()
    at.slider(key=wk(at, "as_of")).set_value(date(2025, 3, 1)).run()
    at.selectbox(key=wk(at, "feature")).set_value("gate-tan-thanh").run()
    link = query(at)
    again = run_app(link)
    assert query(again) == link
    assert again.selectbox(key=LANGUAGE_WIDGET_KEY).value == "zh"
    assert again.checkbox(key=wk(again, "layer.railways")).value is True
    assert again.slider(key=wk(again, "as_of")).value == date(2025, 3, 1)
    assert again.selectbox(key=wk(again, "feature")).value == "gate-tan-thanh"


# --------------------------------------------------------------------------- bad input


def test_unknown_values_in_the_link_are_ignored_and_named():
    at = run_app(
        {
            "layers": "zones,ghost",
            "feature": "nope",
            "lang": "fr",
            "date": "yesterday",
            "page": "admin",
            "basemap": "satellite",
        }
    )
    warning = alerts(at.warning)
    for value in ("ghost", "nope", "fr", "yesterday", "admin", "satellite"):
        assert value in warning
    assert at.title[0].value == t("app.title", "vi")
    assert at.checkbox(key=wk(at, "layer.zones")).value is True
    assert at.checkbox(key=wk(at, "layer.gates")).value is False


def test_date_outside_the_data_is_clamped_and_said():
    at = run_app({"date": "1990-01-01", "lang": "en"})
    assert "1990-01-01" in alerts(at.warning)
    assert at.slider(key=wk(at, "as_of")).value > date(1990, 1, 1)


def edited_layers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file: str, edit: Callable[[dict], None]
) -> Path:
    """Copy layers/, apply ``edit`` to the GeoJSON of ``file``, and point the app at the copy."""
    copy = tmp_path / "layers"
    shutil.copytree(ROOT / "layers", copy)
    path = copy / file
    doc = json.loads(path.read_text(encoding="utf-8"))
    edit(doc)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv(REGISTRY_ENV, str(copy / "registry.json"))
    return copy


def feature(doc: dict, fid: str | None = None) -> dict:
    """Return the properties of feature ``fid`` (default: the first) of a FeatureCollection."""
    features = [f["properties"] for f in doc["features"]]
    return features[0] if fid is None else next(p for p in features if p["id"] == fid)


@pytest.fixture
def broken_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of layers/ whose gates file has an unknown status."""
    return edited_layers(
        tmp_path, monkeypatch, "gates.geojson", lambda doc: feature(doc).update(status="finished")
    )


def test_a_broken_layer_is_named_and_the_others_still_show(broken_registry):
    at = run_app()
    message = alerts(at.error)
    assert "gates" in message and "status" in message and "finished" in message
    assert at.checkbox(key=wk(at, "layer.gates")).disabled
    assert "zone-cargo-transit" in picker_options(at)
    assert "gate-huu-nghi" not in picker_options(at)


@pytest.fixture
def markup_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of layers/ whose cargo transit zone is named with HTML and a Markdown link."""
    name = "<img src=x onerror=alert(1)> [x](javascript:y)"
    return edited_layers(
        tmp_path,
        monkeypatch,
        "zones.geojson",
        lambda doc: feature(doc, "zone-cargo-transit").update(name_en=name),
    )


def test_markup_in_data_is_shown_as_text(markup_registry):
    at = run_app({"lang": "en", "feature": "zone-cargo-transit"})
    heading = next(m.value for m in at.markdown if m.value.startswith("### "))
    assert "\\<img" in heading and "\\[x\\]\\(javascript" in heading
    for element in at.markdown:
        if element.proto.allow_html:
            assert "<img" not in element.value


@pytest.fixture
def duplicate_id_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of layers/ where a gate reuses the id of the cargo transit zone."""
    return edited_layers(
        tmp_path,
        monkeypatch,
        "gates.geojson",
        lambda doc: feature(doc).update(id="zone-cargo-transit"),
    )


def test_an_id_used_in_two_layers_is_named_and_that_layer_withheld(duplicate_id_registry):
    at = run_app()
    message = alerts(at.error)
    assert "gates" in message and "zone-cargo-transit" in message
    assert at.checkbox(key=wk(at, "layer.gates")).disabled
    assert at.checkbox(key=wk(at, "layer.zones")).disabled is False


# --------------------------------------------------------------------------- language round trip

LANGUAGE_TOURS = [("zh", "vi", "en", "zh", "vi"), ("en", "zh", "en", "vi")]


def widget_values(at: AppTest) -> dict[str, object]:
    """What every view widget of the page shows, read through the current language's keys."""
    values: dict[str, object] = {
        "page": at.radio(key=wk(at, "page")).value,
        "statuses": tuple(at.multiselect(key=wk(at, "statuses")).value),
        "groups": tuple(at.multiselect(key=wk(at, "groups")).value),
        "search": at.text_input(key=wk(at, "search")).value,
        "as_of": at.slider(key=wk(at, "as_of")).value,
        "basemap": at.selectbox(key=wk(at, "basemap")).value,
        "layers": tuple(
            spec.id
            for spec in load_app_data().registry.layers
            if spec.schema in MAP_LAYER_SCHEMAS
            and at.checkbox(key=wk(at, f"layer.{spec.id}")).value
        ),
    }
    if values["page"] == "map":
        values["feature"] = at.selectbox(key=wk(at, "feature")).value
    return values


def set_every_widget(at: AppTest) -> None:
    """Move every view widget off its default (as a person would, one change per run)."""
    at.checkbox(key=wk(at, "layer.railways")).check().run()
    at.multiselect(key=wk(at, "statuses")).set_value(["operational", "partly_open"]).run()
    at.multiselect(key=wk(at, "groups")).set_value(["gates", "roads"]).run()
    at.text_input(key=wk(at, "search")).input("huu").run()
    at.slider(key=wk(at, "as_of")).set_value(date(2025, 6, 1)).run()
    at.selectbox(key=wk(at, "basemap")).set_value("none").run()


@pytest.mark.parametrize("tour", LANGUAGE_TOURS)
def test_every_widget_keeps_its_value_through_language_switches(tour):
    at = run_app()
    set_every_widget(at)
    at.selectbox(key=wk(at, "feature")).set_value("gate-huu-nghi").run()
    before = widget_values(at)
    assert before["feature"] == "gate-huu-nghi" and before["basemap"] == "none"
    picked = picker_options(at)
    for lang in tour:
        at.selectbox(key=LANGUAGE_WIDGET_KEY).set_value(lang).run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.title[0].value == t("app.title", lang)
        assert widget_values(at) == before
        assert picker_options(at) == picked
        assert query(at)["lang"] == lang
        assert query(at)["feature"] == "gate-huu-nghi"
        assert query(at)["basemap"] == "none"
        assert query(at)["status"] == "operational,partly_open"


def test_dashboard_keeps_the_view_through_language_switches():
    at = run_app({"page": "dashboard", "basemap": "none", "status": "operational"})
    for lang in ("zh", "vi", "en", "zh"):
        at.selectbox(key=LANGUAGE_WIDGET_KEY).set_value(lang).run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.header[0].value == t("dashboard.title", lang)
        assert at.radio(key=wk(at, "page")).value == "dashboard"
        assert query(at) == {
            "lang": lang,
            "page": "dashboard",
            "basemap": "none",
            "status": "operational",
        }
    at.radio(key=wk(at, "page")).set_value("map").run()
    assert at.multiselect(key=wk(at, "statuses")).value == ["operational"]
    assert [o for o in picker_options(at) if o]  # the map page still shows projects


def test_language_switch_without_selection_keeps_the_filters():
    at = run_app()
    for lang in ("en", "zh", "vi"):
        at.selectbox(key=LANGUAGE_WIDGET_KEY).set_value(lang).run()
        assert not at.exception
        assert tuple(at.multiselect(key=wk(at, "statuses")).value) == STATUSES
        assert tuple(at.multiselect(key=wk(at, "groups")).value) == PROJECT_GROUPS
        assert query(at) == {"lang": lang}
    assert t("map.no_results", "vi") not in texts(at)


@pytest.mark.parametrize("param", ["groups", "status", "layers"])
def test_a_link_naming_only_unknown_values_gets_the_default_view(param):
    at = run_app({param: "zzz", "lang": "en"})
    assert "zzz" in alerts(at.warning)
    assert param not in query(at)
    assert t("map.no_results", "en") not in texts(at)


def test_layer_errors_stay_structured_through_the_cache(broken_registry):
    data = load_app_data()
    error = data.errors["gates"]
    assert isinstance(error, LayerError)
    assert [(p.field, p.found) for p in error.problems] == [("status", "'finished'")]


def test_the_page_says_how_recent_its_newest_source_is_for_the_date():
    at = run_app({"lang": "en"})
    now = next(c.value for c in at.caption if c.value.startswith("Newest source"))
    at.slider(key=wk(at, "as_of")).set_value(date(2021, 1, 1)).run()
    then = next(c.value for c in at.caption if c.value.startswith("Newest source"))
    assert now != then
    assert not any(str(year) in then for year in range(2021, 2030))  # nothing newer than the date

"""The tour page and the export buttons through AppTest, on the tests/data layers with a
two-stop fixture tour (no shipped id or figure here)."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from geo.exports.view_html import external_urls
from geo.i18n import LANGUAGES, t
from ui import state as ui_state
from ui.data import REGISTRY_ENV

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
DATA = Path(__file__).resolve().parent / "data"
TIMEOUT = 120
TITLES = {"vi": "Điểm", "en": "Fixture stop", "zh": "测试站点"}


def stop_doc(stop_id: str, feature: str | None) -> dict:
    labels = {"vi": "Diện tích", "en": "Fixture area", "zh": "测试面积"}
    figures = [
        {
            "value": 4.58,
            "unit": "ha",
            "label": labels,
            "source": "fixture-src",
            "from": {"feature": "zone-valid", "field": "area_ha"},
        },
        {
            "value": 1.1,
            "unit": "km",
            "label": labels,
            "source": "fixture-src",
            "from": {"feature": "road-valid", "field": "length_km"},
        },
    ]
    return {
        "id": stop_id,
        **{f"title_{lang}": f"{TITLES[lang]} {stop_id}" for lang in LANGUAGES},
        **{f"text_{lang}": f"{TITLES[lang]} text {stop_id}" for lang in LANGUAGES},
        "feature": feature,
        "centre": None if feature else [21.95, 106.72],
        "zoom": None if feature else 12,
        "layers": ["valid_zone", "valid_road", "valid_points"],
        "as_of": "2025-06-30",
        "figures": figures,
    }


def write_tour(folder: Path, stops: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for path in DATA.iterdir():
        if path.is_file():
            shutil.copy(path, folder / path.name)
    doc = {"stops": stops}
    (folder / "tour.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return folder / "registry.json"


@pytest.fixture
def tour_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """Return ``run(query, stops=None)``: the app on the fixture layers with a tour."""

    def run(query: dict[str, str], stops: list[dict] | None = None) -> AppTest:
        default = [stop_doc("alpha", "zone-valid"), stop_doc("beta", None)]
        registry = write_tour(tmp_path / "layers", default if stops is None else stops)
        monkeypatch.setenv(REGISTRY_ENV, str(registry))
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        for key, value in query.items():
            at.query_params[key] = value
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return run


def page_html(at: AppTest) -> str:
    return "".join(str(element.proto.body) for element in at.get("html"))


def counter(at: AppTest) -> str:
    return next(text.value for text in at.text if "/" in text.value)


def query(at: AppTest) -> dict[str, str]:
    return {key: at.query_params[key] for key in at.query_params}


def test_next_and_previous_move_through_the_stops_and_the_link_follows(tour_app):
    at = tour_app({"page": "tour", "stop": "1", "lang": "en"})
    assert counter(at) == "1 / 2"
    assert "Fixture stop alpha" in page_html(at)
    assert t("tour.counter", "en", number=1, count=2) in page_html(at)
    assert at.button(key=ui_state.TOUR_PREVIOUS_KEY).disabled
    at.button(key=ui_state.TOUR_NEXT_KEY).click().run()
    assert counter(at) == "2 / 2"
    assert "Fixture stop beta" in page_html(at)
    assert query(at) == {"page": "tour", "stop": "2", "lang": "en"}
    assert at.button(key=ui_state.TOUR_NEXT_KEY).disabled
    at.button(key=ui_state.TOUR_PREVIOUS_KEY).click().run()
    assert counter(at) == "1 / 2"
    assert query(at)["stop"] == "1"


def test_the_clicker_keys_move_too(tour_app):
    at = tour_app({"page": "tour", "stop": "1", "lang": "en"})
    at.button(key=f"{ui_state.TOUR_KEYS_CONTAINER}.PageDown").click().run()
    assert counter(at) == "2 / 2"
    at.button(key=f"{ui_state.TOUR_KEYS_CONTAINER}.PageUp").click().run()
    assert counter(at) == "1 / 2"
    at.button(key=f"{ui_state.TOUR_KEYS_CONTAINER}.Space").click().run()
    assert counter(at) == "2 / 2"


def test_the_language_switch_keeps_the_stop(tour_app):
    at = tour_app({"page": "tour", "stop": "2", "lang": "en"})
    at.button_group(key=ui_state.TOUR_LANGUAGE_WIDGET_KEY).set_value("zh").run()
    assert counter(at) == "2 / 2"
    assert "测试站点 beta" in page_html(at)
    assert query(at) == {"page": "tour", "stop": "2", "lang": "zh"}
    at.button_group(key=ui_state.TOUR_LANGUAGE_WIDGET_KEY).set_value("vi").run()
    assert counter(at) == "2 / 2"
    assert "Điểm beta" in page_html(at)


def test_a_stop_beyond_the_tour_shows_the_last(tour_app):
    at = tour_app({"page": "tour", "stop": "9", "lang": "en"})
    assert counter(at) == "2 / 2"
    assert query(at)["stop"] == "2"


def test_a_stop_that_is_not_a_number_shows_the_first_and_says_so(tour_app):
    at = tour_app({"page": "tour", "stop": "two", "lang": "en"})
    assert counter(at) == "1 / 2"
    (warning,) = at.warning
    assert "tour stop 'two' is not a stop number" in warning.value.replace("\\", "")


def test_a_broken_stop_is_left_out_and_named_while_the_others_show(tour_app):
    broken = stop_doc("broken", "zone-valid")
    broken["layers"] = ["no_such_layer"]
    at = tour_app({"page": "tour", "lang": "en"}, [broken, stop_doc("beta", None)])
    assert counter(at) == "1 / 1"
    assert "Fixture stop beta" in page_html(at)
    (warning,) = at.warning
    assert "stop 'broken', field 'layers[0]'" in warning.value.replace("\\", "")


def test_leaving_the_tour_opens_the_map_page(tour_app):
    at = tour_app({"page": "tour", "stop": "2", "lang": "en"})
    at.button(key=ui_state.TOUR_EXIT_KEY).click().run()
    assert "page" not in query(at) and "stop" not in query(at)
    assert at.sidebar.radio  # the map page's sidebar is back


@pytest.fixture
def deferred(monkeypatch: pytest.MonkeyPatch) -> dict[str, Callable[[], bytes]]:
    """Record the data callable of every download button (by file name) as the app runs."""
    found: dict[str, Callable[[], bytes]] = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        found[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name=file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return found


def check_export(name: str, data: bytes) -> None:
    if name.endswith(".html"):
        html = data.decode("utf-8")
        assert "L.map(" in html
        assert external_urls(html) == []
    elif name.endswith(".png"):
        with Image.open(io.BytesIO(data)) as image:
            assert image.size == (1754, 1240)  # A4 landscape at 150 dpi
    else:
        reader = PdfReader(io.BytesIO(data))
        assert float(reader.pages[0].mediabox.width) == pytest.approx(841.89, abs=0.05)


def test_each_export_button_of_the_tour_page_yields_a_readable_file(tour_app, deferred):
    at = tour_app({"page": "tour", "stop": "1", "lang": "zh"})
    assert sorted(deferred) == [
        "lsz-alpha-zh-A4.pdf",
        "lsz-alpha-zh-A4.png",
        "lsz-alpha-zh.html",
        "lsz-tour-zh.html",
    ]
    assert len(at.get("download_button")) == 4
    for name, make in deferred.items():
        check_export(name, make())
    assert "测试站点 alpha" in deferred["lsz-tour-zh.html"]().decode("utf-8")


def test_each_export_button_of_the_map_page_yields_a_readable_file(tour_app, deferred):
    at = tour_app({"lang": "en", "layers": "valid_zone,valid_points", "date": "2025-06-30"})
    assert sorted(deferred) == ["lsz-map-en-A4.pdf", "lsz-map-en-A4.png", "lsz-map-en.html"]
    assert len(at.get("download_button")) == 3
    for name, make in deferred.items():
        check_export(name, make())
    pdf = PdfReader(io.BytesIO(deferred["lsz-map-en-A4.pdf"]()))
    assert t("app.title", "en").replace(" ", "") in pdf.pages[0].extract_text().replace(" ", "")

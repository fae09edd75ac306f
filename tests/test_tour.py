"""The tour file: loader and validator (geo.tour), the shipped tour, and `geo validate` on it."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from geo.catalog import load_catalog
from geo.cli import main
from geo.indicators import load_indicators
from geo.registry import load_registry
from geo.sources import load_sources
from geo.tour import features_by_id, load_tour, parse_tour, stop_index

REPO = Path(__file__).resolve().parents[1]
LAYERS = REPO / "layers"

FEATURES = {
    "zone-a": {"area_ha": 12.5, "area_source": "src-a", "length_km": None},
    "gate-b": {"area_ha": None},
}
INDICATORS = {"trade_2024": SimpleNamespace(value=70.0, unit="bn_usd", source="src-b")}
SOURCES = {"src-a", "src-b"}
LAYER_IDS = ("zones", "gates")


def good_stop(stop_id: str = "intro") -> dict:
    return {
        "id": stop_id,
        "title_vi": "Mở đầu",
        "title_en": "Intro",
        "title_zh": "开始",
        "text_vi": "Văn bản",
        "text_en": "Text",
        "text_zh": "文字",
        "feature": "zone-a",
        "centre": None,
        "zoom": None,
        "layers": ["zones"],
        "as_of": "2026-02-28",
        "figures": [
            {
                "value": 12.5,
                "unit": "ha",
                "label": {"vi": "Diện tích", "en": "Area", "zh": "面积"},
                "source": "src-a",
                "from": {"feature": "zone-a", "field": "area_ha"},
            },
            {
                "value": 70,
                "unit": "bn_usd",
                "label": {"vi": "Kim ngạch", "en": "Trade", "zh": "贸易"},
                "source": "src-b",
                "from": {"indicator": "trade_2024"},
            },
        ],
    }


def parse(stops: list[dict]) -> tuple[list, list[str]]:
    result, problems = parse_tour(
        {"stops": stops},
        layer_ids=LAYER_IDS,
        features=FEATURES,
        indicators=INDICATORS,
        source_ids=SOURCES,
    )
    return result, [str(p) for p in problems]


def broken(**changes: object) -> dict:
    stop = good_stop("broken")
    for path, value in changes.items():
        target = stop
        keys = path.split("__")
        for key in keys[:-1]:
            target = target[int(key)] if key.isdigit() else target[key]
        target[keys[-1]] = value
    return stop


def test_a_valid_stop_is_built_with_its_frame_layers_date_and_figures():
    stops, problems = parse([good_stop()])
    assert problems == []
    (stop,) = stops
    assert (stop.id, stop.number, stop.feature, stop.layers) == ("intro", 1, "zone-a", ("zones",))
    assert stop.title == {"vi": "Mở đầu", "en": "Intro", "zh": "开始"}
    assert stop.as_of.isoformat() == "2026-02-28"
    assert [(f.value, f.unit, f.source, f.origin) for f in stop.figures] == [
        (12.5, "ha", "src-a", "feature:zone-a.area_ha"),
        (70.0, "bn_usd", "src-b", "indicator:trade_2024"),
    ]


def test_a_stop_may_frame_a_centre_and_zoom_instead_of_a_feature():
    stop = good_stop()
    stop.update(feature=None, centre=[21.9, 106.7], zoom=10)
    (built,), problems = parse([stop])
    assert problems == []
    assert (built.centre, built.zoom) == ((21.9, 106.7), 10.0)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"layers": ["zones", "roads"]},
            "tour.json: stop 'broken', field 'layers[1]': expected a registry layer id "
            "(zones, gates); found 'roads'",
        ),
        (
            {"feature": "zone-x"},
            "tour.json: stop 'broken', field 'feature': expected the id of a loaded feature, "
            "or null with a centre and zoom; found 'zone-x'",
        ),
        (
            {"as_of": "2026-02-30"},
            "tour.json: stop 'broken', field 'as_of': expected an ISO date YYYY-MM-DD (the date "
            "the map is drawn as of); found '2026-02-30'",
        ),
        (
            {"text_zh": ""},
            "tour.json: stop 'broken', field 'text_zh': expected a non-empty string; found ''",
        ),
        (
            {"figures__0__label__zh": " "},
            "tour.json: stop 'broken', field 'figures[0].label.zh': expected a non-empty "
            "string; found ' '",
        ),
        (
            {"figures__1__source": "src-unknown"},
            "tour.json: stop 'broken', field 'figures[1].source': expected a source id listed "
            "in sources.json; found 'src-unknown'",
        ),
        (
            {"figures__0__value": 13},
            "tour.json: stop 'broken', field 'figures[0].value': expected 12.5, as the data it "
            "comes from says; found 13",
        ),
        (
            {"figures__1__from": {"indicator": "trade_2099"}},
            "tour.json: stop 'broken', field 'figures[1].from.indicator': expected an indicator "
            "id of indicators.json; found 'trade_2099'",
        ),
        (
            {"titel_en": "Intro"},
            "tour.json: stop 'broken', field 'titel_en': expected no such field in a tour stop "
            "(did you mean 'title_en'?); found 'Intro'",
        ),
    ],
)
def test_each_problem_names_the_stop_and_the_field(changes, message):
    stops, problems = parse([good_stop("first"), broken(**changes), good_stop("last")])
    assert problems == [message]
    # The valid stops are kept, in order, and numbered as shown.
    assert [(s.id, s.number) for s in stops] == [("first", 1), ("last", 2)]


def test_a_figure_whose_unit_or_source_differs_from_the_data_is_refused():
    stop = good_stop()
    stop["figures"][0]["unit"] = "km"
    stop["figures"][1]["source"] = "src-a"
    _, problems = parse([stop])
    assert problems == [
        "tour.json: stop 'intro', field 'figures[0].unit': expected 'ha', as the data it "
        "comes from says; found 'km'",
        "tour.json: stop 'intro', field 'figures[1].source': expected 'src-b', as the data it "
        "comes from says; found 'src-a'",
    ]


def test_a_stop_needs_two_or_three_figures_and_unique_id():
    stop = good_stop()
    stop["figures"] = stop["figures"][:1]
    stops, problems = parse([good_stop(), good_stop(), stop])
    assert [s.id for s in stops] == ["intro"]
    assert problems == [
        "tour.json: stop 'intro', field 'id': expected an id used once in the tour; found 'intro'",
        "tour.json: stop 'intro', field 'id': expected an id used once in the tour; found 'intro'",
        "tour.json: stop 'intro', field 'figures': expected a list of 2 to 3 key figures; "
        f"found {json.dumps(stop['figures'], ensure_ascii=False)[:79]}…",
    ]


def test_an_unreadable_tour_file_gives_no_stops_and_one_problem(tmp_path):
    path = tmp_path / "tour.json"
    path.write_text("{not json", encoding="utf-8")
    stops, problems = load_tour(
        path, layer_ids=LAYER_IDS, features=FEATURES, indicators=INDICATORS, source_ids=SOURCES
    )
    assert stops == []
    assert len(problems) == 1 and str(problems[0]).startswith("tour.json: ")


def test_stop_index_reads_a_link_number_and_clamps_it():
    assert [stop_index([1, 2, 3], n) for n in ("1", "3", "0", "7", "", None)] == [0, 2, 0, 2, 0, 0]


def test_the_shipped_tour_is_valid_with_every_stop_of_the_default_tour():
    registry = load_registry()
    catalog = load_catalog(registry)
    sources = load_sources(registry.sources_path)
    indicators = load_indicators(registry.indicators_path, source_ids=sources)
    stops, problems = load_tour(
        LAYERS / "tour.json",
        layer_ids=registry.ids,
        features=features_by_id(catalog.layers),
        indicators={i.id: i for i in indicators},
        source_ids=sources,
    )
    assert [str(p) for p in problems] == []
    assert len(stops) == 7
    assert all(2 <= len(s.figures) <= 3 for s in stops)


@pytest.fixture
def broken_layers(tmp_path) -> Path:
    copy_dir = tmp_path / "layers"
    shutil.copytree(LAYERS, copy_dir)
    doc = json.loads((copy_dir / "tour.json").read_text(encoding="utf-8"))
    bad = copy.deepcopy(doc)
    bad["stops"][1]["layers"].append("no_such_layer")
    bad["stops"][2]["figures"][0]["source"] = "no-such-source"
    (copy_dir / "tour.json").write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    return copy_dir


def test_geo_validate_reports_a_broken_tour_naming_stop_and_field(capsys, broken_layers):
    assert main(["validate", "--registry", str(broken_layers / "registry.json")]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("tour.json: stop 'huu-nghi-smart-gate', field 'layers[4]': ")
    assert lines[0].endswith("found 'no_such_layer'")
    assert lines[1] == (
        "tour.json: stop 'cargo-transit-zone', field 'figures[0].source': expected a source id "
        "listed in sources.json; found 'no-such-source'"
    )
    # As many files as a clean run of the shipped data checks (the tour among them).
    assert main(["validate"]) == 0
    checked = capsys.readouterr().out.strip().splitlines()[-1].split(" file(s)")[0]
    assert lines[-1] == f"2 problem(s) in 1 file(s); {checked.removeprefix('OK: ')} file(s) checked"


def test_geo_validate_passes_on_the_shipped_tour(capsys):
    assert main(["validate"]) == 0
    assert "no problems" in capsys.readouterr().out

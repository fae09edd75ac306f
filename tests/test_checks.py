"""Checks between files (geo.checks): every cross-file reference, with its exact message.

The fixture set tests/data/cross_refs/ breaks each reference once: a credit naming no source,
a distance target naming no feature, a gate outside the extent, unmapped items naming no
feature or reusing a feature's id, an indicator with an unknown unit, date and source.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from geo.catalog import load_catalog
from geo.checks import (
    AREA_TOLERANCE,
    LENGTH_TOLERANCE,
    UnmappedError,
    load_unmapped,
    parse_unmapped,
    size_problems,
)
from geo.cli import main
from geo.errors import LayerError
from geo.indicators import IndicatorsError, load_indicators, parse_indicators
from geo.io import read_layer_file
from geo.registry import load_registry

CROSS_REFS_PROBLEMS = [
    "gates.geojson: feature 'gate-far', field 'geometry': expected a geometry inside "
    "area-home (+ 500 m, the registry's extent); found 723 m outside",
    "registry.json: distance target 'gate-a', field 'distance_targets[0].feature': expected a "
    "feature id of layer 'gates'; found 'gate-missing'",
    "registry.json: layer 'zones', field 'credits[1]': expected a source id listed in "
    "sources.json; found 'no-such-source'",
    "unmapped.json: item 'plan-a', field 'related_features[1]': expected a feature id of a "
    "loaded layer; found 'gate-nowhere'",
    "unmapped.json: item 'zone-valid', field 'id': expected an id no layer feature uses; found "
    "'zone-valid', also a feature of layer 'zones'",
]
INDICATOR_PROBLEMS = [
    "indicators.json: indicator 'bad', field 'unit': expected one of bn_usd, bn_vnd, "
    "trucks_per_day, t_per_day, times_2024_capacity, times_2024_volume, count (units the UI "
    "labels); found 'usd'",
    "indicators.json: indicator 'bad', field 'date': expected the last day of the month (dates "
    "of month precision mark the end of the period); found '2024-10-15'",
    "indicators.json: indicator 'bad', field 'source': expected a source id listed in "
    "sources.json; found 'nowhere'",
]


@pytest.fixture
def cross_refs(data_dir) -> Path:
    return data_dir / "cross_refs"


def test_the_catalog_reports_every_broken_reference_between_files(cross_refs):
    catalog = load_catalog(load_registry(cross_refs / "registry.json"))
    assert catalog.errors == {}  # every file is valid on its own
    assert [str(p) for p in catalog.problems] == CROSS_REFS_PROBLEMS


def test_validate_prints_the_same_problems_as_the_catalog_and_the_indicators(capsys, cross_refs):
    assert main(["validate", "--registry", str(cross_refs / "registry.json")]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines == [
        *INDICATOR_PROBLEMS,
        *CROSS_REFS_PROBLEMS,
        "8 problem(s) in 4 file(s); 5 file(s) checked",
    ]


def test_the_same_set_with_every_reference_mended_is_clean(capsys, cross_refs, tmp_path):
    for path in cross_refs.iterdir():
        shutil.copy(path, tmp_path / path.name)
    registry = json.loads((tmp_path / "registry.json").read_text(encoding="utf-8"))
    registry["layers"][0]["credits"] = ["fixture-src"]
    registry["distance_targets"][0]["feature"] = "gate-far"
    registry["extent"]["point_tolerance_m"] = 800
    (tmp_path / "registry.json").write_text(json.dumps(registry), encoding="utf-8")
    (tmp_path / "unmapped.json").write_text('{"items": []}', encoding="utf-8")
    indicators = json.loads((tmp_path / "indicators.json").read_text(encoding="utf-8"))
    indicators["indicators"] = indicators["indicators"][:1]
    (tmp_path / "indicators.json").write_text(json.dumps(indicators), encoding="utf-8")
    assert main(["validate", "--registry", str(tmp_path / "registry.json")]) == 0
    assert capsys.readouterr().out.strip() == "OK: 5 file(s), 3 feature(s), no problems"


def test_a_feature_kind_outside_the_vocabulary_is_refused_when_the_layer_loads(data_dir):
    with pytest.raises(LayerError) as err:
        read_layer_file(
            data_dir / "unknown_kind.geojson",
            geometry_kind="polygon",
            schema="project",
            source_ids={"fixture-src"},
        )
    assert [p.field for p in err.value.problems] == ["kind"]
    assert str(err.value).startswith(
        "unknown_kind.geojson: feature 'zone-unknown-kind', field 'kind': expected one of "
        "cargo_transit_zone, export_processing_zone, non_tariff_zone, trade_industry_zone,"
    )
    assert str(err.value).endswith("; found 'logistics_park'")


def test_an_official_area_its_shape_does_not_have_is_reported(data_dir, tmp_path):
    doc = json.loads((data_dir / "valid_zone.geojson").read_text(encoding="utf-8"))
    doc["features"][0]["properties"]["area_ha"] = 4.6  # the shape has 4.575 ha: -0.5 %
    (tmp_path / "zones.geojson").write_text(json.dumps(doc), encoding="utf-8")
    registry = json.loads((data_dir / "cross_refs" / "registry.json").read_text("utf-8"))
    registry = {"layers": registry["layers"][:1]}
    (tmp_path / "registry.json").write_text(json.dumps(registry), encoding="utf-8")
    reg = load_registry(tmp_path / "registry.json")
    gdf = read_layer_file(
        tmp_path / "zones.geojson",
        geometry_kind="polygon",
        schema="project",
        source_ids={"fixture-src"},
    )
    assert [str(p) for p in size_problems({"zones": gdf}, reg)] == [
        "zones.geojson: feature 'zone-valid', field 'geometry': expected a geodesic area within "
        "0.5% of area_ha (4.6 ha); found 4.58 ha (-0.5%)"
    ]


def test_the_tolerances_are_the_documented_ones():
    assert (AREA_TOLERANCE, LENGTH_TOLERANCE) == (0.005, 0.10)


def test_load_indicators_raises_every_problem_at_once(cross_refs):
    with pytest.raises(IndicatorsError) as err:
        load_indicators(cross_refs / "indicators.json", source_ids={"fixture-src"})
    assert [str(p) for p in err.value.problems] == INDICATOR_PROBLEMS


def test_every_indicator_field_is_required_and_unknown_ones_are_refused():
    items, problems = parse_indicators({"indicators": [{"id": "x", "valeu": 1}]}, source_ids={"s"})
    assert items == []
    assert sorted(p.field for p in problems) == [
        "change_pct",
        "date",
        "date_precision",
        "label",
        "note_en",
        "note_vi",
        "note_zh",
        "period",
        "scope_en",
        "scope_vi",
        "scope_zh",
        "source",
        "target",
        "unit",
        "valeu",
        "value",
        "value_low",
    ]
    hint = next(p for p in problems if p.field == "valeu")
    assert hint.expected == "no such field in an indicator (did you mean 'value'?)"


def undated_indicator(**fields: Any) -> dict[str, Any]:
    """Return a valid indicator ``x`` of source ``s``: no date, scope or note; ``fields`` set."""
    indicator = {
        "id": "x",
        "label": {"vi": "x", "en": "x", "zh": "x"},
        "value": 1,
        "value_low": None,
        "unit": "count",
        "change_pct": None,
        "period": "2024",
        "date": None,
        "date_precision": None,
        "target": False,
        "scope_vi": None,
        "scope_en": None,
        "scope_zh": None,
        "source": "s",
        "note_vi": None,
        "note_en": None,
        "note_zh": None,
    }
    return {**indicator, **fields}


def test_an_indicator_without_a_date_has_no_precision_either():
    base = undated_indicator()
    items, problems = parse_indicators({"indicators": [base]}, source_ids={"s"})
    assert problems == [] and items[0].date is None
    _, problems = parse_indicators(
        {"indicators": [dict(base, date_precision="year")]}, source_ids={"s"}
    )
    assert [str(p) for p in problems] == [
        "indicators.json: indicator 'x', field 'date_precision': expected null (the date is "
        "null); found 'year'"
    ]


def test_every_indicator_unit_has_a_label_in_every_locale():
    from geo.i18n import LANGUAGES, t
    from geo.indicators import UNITS

    for lang in LANGUAGES:
        for unit in UNITS:
            assert "7" in t(f"unit.{unit}", lang, value="7"), (lang, unit)


def test_unmapped_items_follow_the_feature_rules(cross_refs):
    items, problems = parse_unmapped(
        {
            "items": [
                {
                    "id": "Plan A",
                    "kind": "plan",
                    "name_vi": "",
                    "name_en": "x",
                    "name_zh": None,
                    "status": "planned",
                    "milestones": [
                        {
                            "date": "2024-04-21",
                            "date_precision": "day",
                            "kind": "groundbreaking",
                            "label_vi": "x",
                            "label_en": "x",
                            "label_zh": "x",
                            "status": "under_construction",
                            "source": "s",
                        }
                    ],
                    "location_note_vi": "chưa định vị",
                    "location_note_en": "not located",
                    "location_note_zh": "未定位",
                    "related_features": [],
                    "sources": ["s"],
                    "note_vi": None,
                    "note_en": None,
                    "note_zh": None,
                    "geometry": None,
                }
            ]
        },
        source_ids={"s"},
    )
    assert items == []
    assert [p.field for p in problems] == ["id", "kind", "name_vi", "status", "geometry"]
    status = next(p for p in problems if p.field == "status")
    assert str(status) == (
        "unmapped.json: item 'Plan A', field 'status': expected 'under_construction', the status "
        "of the latest milestone with a status (milestones[0], 2024-04-21); found 'planned'"
    )


def test_load_unmapped_raises_every_problem_and_a_missing_file_means_none(tmp_path):
    assert load_unmapped(tmp_path / "unmapped.json", source_ids=()) == []
    (tmp_path / "unmapped.json").write_text('{"items": [{"id": "x"}]}', encoding="utf-8")
    with pytest.raises(UnmappedError) as err:
        load_unmapped(tmp_path / "unmapped.json", source_ids=())
    assert len(err.value.problems) == 14  # every required field but the id (texts in 3 languages)


def test_distances_go_to_the_declared_targets_and_skip_a_feature_s_own_layer(cross_refs):
    from geo.distances import target_distances_km
    from geo.registry import distance_targets

    catalog = load_catalog(load_registry(cross_refs / "registry.json"))
    targets = distance_targets(catalog.registry)
    zone = catalog.layers["zones"].geometry["zone-valid"]
    gate = catalog.layers["gates"].geometry["gate-far"]
    # "gate-a" names a feature that is not there (reported by validate): no distance to it.
    from_zone = target_distances_km(
        "zone-valid", "zones", zone, "schematic", catalog.layers, targets
    )
    assert from_zone == []  # the zone is in the target layer "zones"
    # Both fixture shapes are illustrative: no distance, and the reason says whose position.
    from_gate = target_distances_km(
        "gate-far", "gates", gate, "illustrative", catalog.layers, targets
    )
    assert [(d.target.id, d.km, d.unknown) for d in from_gate] == [("all-zones", None, "self")]
    placed = target_distances_km("gate-far", "gates", gate, "digitised", catalog.layers, targets)
    assert [(d.target.id, d.km, d.unknown) for d in placed] == [("all-zones", None, "target")]


def test_the_shipped_panel_distances_are_measured_from_a_town_to_the_gate_and_expressways():
    from geo.distances import target_distances_km
    from geo.registry import distance_targets

    catalog = load_catalog(load_registry())
    town = catalog.layers["towns"].geometry["town-dong-dang"]
    accuracy = catalog.layers["towns"].loc["town-dong-dang", "geometry_accuracy"]
    found = target_distances_km(
        "town-dong-dang",
        "towns",
        town,
        accuracy,
        catalog.layers,
        distance_targets(catalog.registry),
    )
    assert [d.target.id for d in found] == ["huu-nghi-gate", "expressways"]
    assert 2.5 < found[0].km < 4.0  # Đồng Đăng town to the Hữu Nghị gate, straight line


def test_an_indicator_text_missing_in_one_language_is_reported_exactly():
    base = undated_indicator(scope_vi="chỉ hàng khai báo", scope_en="declared goods only")
    items, problems = parse_indicators({"indicators": [base]}, source_ids={"s"})
    assert items == []
    assert [str(p) for p in problems] == [
        "indicators.json: indicator 'x', field 'scope_zh': expected a non-empty string (a "
        "translation of scope_vi and scope_en), or null in all three; found null"
    ]
    items, problems = parse_indicators(
        {"indicators": [dict(base, scope_zh="仅申报货物")]}, source_ids={"s"}
    )
    assert problems == []
    assert items[0].texts["scope_zh"] == "仅申报货物" and items[0].scope == "declared goods only"

"""Registry construction validates every entry and lists every problem in one error."""

from __future__ import annotations

import doctest
import importlib
import json
from pathlib import Path

import pytest

from geo.errors import RegistryError
from geo.registry import (
    DEFAULT_REGISTRY_PATH,
    LAYER_FIELDS,
    Registry,
    distance_targets,
    load_registry,
)


def entry(**overrides):
    base = {
        "id": "zones",
        "title": {"vi": "Khu chức năng", "en": "Functional zones", "zh": "功能区"},
        "file": "zones.geojson",
        "geometry_kind": "polygon",
        "group": "zones",
        "style": "zone",
        "visible": True,
        "schema": "project",
        "source": "project",
        "licence": "CC BY-SA 4.0",
    }
    base.update(overrides)
    return base


def registry_error(doc) -> RegistryError:
    with pytest.raises(RegistryError) as err:
        Registry.from_dict(doc, base_dir=Path("/data/layers"))
    return err.value


def test_a_valid_entry_builds_a_spec_with_an_absolute_file():
    registry = Registry.from_dict({"layers": [entry()]}, base_dir=Path("/data/layers"))
    spec = registry.get("zones")
    assert spec.file == Path("/data/layers/zones.geojson")
    assert spec.title["zh"] == "功能区"
    assert (spec.geometry_kind, spec.group, spec.schema, spec.visible) == (
        "polygon",
        "zones",
        "project",
        True,
    )


def test_every_missing_field_is_listed_in_one_error():
    error = registry_error({"layers": [{"id": "zones"}]})
    missing = sorted(p.field for p in error.problems)
    # ``credits`` is optional (an empty list): every other field is required.
    assert missing == sorted(f for f in LAYER_FIELDS if f not in ("id", "credits"))
    assert all(p.feature_id == "zones" and p.item == "layer" for p in error.problems)
    assert len(str(error).splitlines()) == len(LAYER_FIELDS) - 2
    assert "registry.json: layer 'zones', field 'licence': expected a non-empty string" in str(
        error
    )


def test_problems_of_several_entries_are_all_listed():
    error = registry_error(
        {
            "layers": [
                entry(id="zones", group="parks"),
                entry(id="roads", file="../secret.geojson", visible="yes"),
                entry(id="Bad-Id", title={"vi": "x", "en": "y"}),
            ]
        }
    )
    assert [(p.feature_id, p.field) for p in error.problems] == [
        ("zones", "group"),
        ("roads", "file"),
        ("roads", "visible"),
        ("Bad-Id", "id"),
        ("Bad-Id", "title.zh"),
    ]


def test_a_misspelt_field_is_reported_with_a_hint():
    bad = entry()
    bad["license"] = bad.pop("licence")
    error = registry_error({"layers": [bad]})
    assert sorted(p.field for p in error.problems) == ["licence", "license"]
    hint = next(p for p in error.problems if p.field == "license")
    assert "did you mean 'licence'?" in hint.expected


def test_duplicate_layer_ids_are_refused():
    error = registry_error({"layers": [entry(), entry(file="other.geojson")]})
    (problem,) = error.problems
    assert (problem.feature_id, problem.field, problem.feature_index) == ("zones", "id", 1)


@pytest.mark.parametrize("doc", [{"layer": []}, [], {"layers": {"zones": {}}}])
def test_a_document_without_a_layers_list_is_refused(doc):
    (problem,) = registry_error(doc).problems
    assert problem.field == "layers"


def test_a_style_key_that_geo_style_does_not_define_is_refused_with_a_hint():
    assert Registry.from_dict({"layers": [entry(style="gate")]}, base_dir=Path("/d"))
    error = registry_error({"layers": [entry(style="zones")]})
    assert [str(p) for p in error.problems] == [
        "registry.json: layer 'zones', field 'style': expected a style key defined in "
        "geo/style.py LAYER_STYLES (did you mean 'zone'?); found 'zones'"
    ]
    assert registry_error({"layers": [entry(style="")]}).problems[0].field == "style"


def test_every_shipped_registry_style_key_is_defined_in_geo_style():
    from geo.style import LAYER_STYLES

    assert {spec.style for spec in load_registry()} <= set(LAYER_STYLES)


def test_credits_must_be_a_list_of_source_ids():
    assert Registry.from_dict({"layers": [entry(credits=["odv-2016"])]}, base_dir=Path("/d")).get(
        "zones"
    ).credits == ("odv-2016",)
    error = registry_error({"layers": [entry(credits="odv-2016")]})
    assert [str(p) for p in error.problems] == [
        "registry.json: layer 'zones', field 'credits': expected a list of source ids "
        "(sources.json); found 'odv-2016'"
    ]


def target(**overrides):
    base = {
        "id": "gate-a",
        "label": {"vi": "Đến A", "en": "To A", "zh": "至A"},
        "layer": "zones",
        "feature": "zone-a",
    }
    base.update(overrides)
    return base


def test_distance_targets_are_read_in_order_and_returned_by_distance_targets():
    registry = Registry.from_dict(
        {"layers": [entry()], "distance_targets": [target(), target(id="all", feature=None)]},
        base_dir=Path("/d"),
    )
    assert [(t.id, t.layer, t.feature) for t in distance_targets(registry)] == [
        ("gate-a", "zones", "zone-a"),
        ("all", "zones", None),
    ]
    assert distance_targets(registry)[0].label["zh"] == "至A"


def test_a_distance_target_naming_an_unknown_layer_is_refused_with_a_hint():
    error = registry_error({"layers": [entry()], "distance_targets": [target(layer="zone")]})
    assert [str(p) for p in error.problems] == [
        "registry.json: distance target 'gate-a', field 'distance_targets[0].layer': expected "
        "a layer id of the registry (did you mean 'zones'?); found 'zone'"
    ]


def test_every_problem_of_a_distance_target_is_listed():
    bad = {"id": "A B", "label": {"vi": "x"}, "layer": "zones", "feature": 3, "kind": "gate"}
    error = registry_error({"layers": [entry()], "distance_targets": [bad]})
    assert sorted(p.field for p in error.problems) == [
        "distance_targets[0].feature",
        "distance_targets[0].id",
        "distance_targets[0].kind",
        "distance_targets[0].label.en",
        "distance_targets[0].label.zh",
    ]


def test_an_unknown_top_level_member_is_refused_with_a_hint():
    error = registry_error({"layers": [entry()], "distance_target": []})
    assert [str(p) for p in error.problems] == [
        "registry.json: field 'distance_target': expected no such field in registry.json "
        "(did you mean 'distance_targets'?); found []"
    ]


def test_the_extent_must_name_a_registry_layer_features_and_tolerances():
    good = {
        "layer": "zones",
        "features": ["zone-a"],
        "point_tolerance_m": 500,
        "edge_tolerance_m": 50,
        "note": "why",
    }
    registry = Registry.from_dict({"layers": [entry()], "extent": good}, base_dir=Path("/d"))
    assert registry.extent is not None and registry.extent.point_tolerance_m == 500.0
    bad = dict(good, layer="province", features=[], edge_tolerance_m=-1)
    assert sorted(
        str(p) for p in registry_error({"layers": [entry()], "extent": bad}).problems
    ) == [
        "registry.json: field 'extent.edge_tolerance_m': expected a number of metres, 0 or "
        "more; found -1",
        "registry.json: field 'extent.features': expected a non-empty list of feature ids; "
        "found []",
        "registry.json: field 'extent.layer': expected a layer id of the registry; found "
        "'province'",
    ]


def test_get_unknown_id_names_the_known_ones():
    registry = Registry.from_dict({"layers": [entry()]}, base_dir=Path("/d"))
    with pytest.raises(KeyError, match="known: zones"):
        registry.get("roads")


def test_by_group_follows_the_layer_tree_order_and_skips_empty_groups():
    registry = Registry.from_dict(
        {
            "layers": [
                entry(id="provinces", group="context", schema="context"),
                entry(id="roads", group="roads", geometry_kind="line"),
                entry(id="zones"),
            ]
        },
        base_dir=Path("/d"),
    )
    grouped = registry.by_group()
    assert list(grouped) == ["zones", "roads", "context"]
    assert [s.id for s in grouped["context"]] == ["provinces"]


def test_load_registry_reads_a_file_and_keeps_its_path(tmp_path):
    path = tmp_path / "registry.json"
    path.write_text(json.dumps({"layers": [entry()]}), encoding="utf-8")
    registry = load_registry(path)
    assert registry.path == path
    assert registry.sources_path == tmp_path / "sources.json"
    assert registry.get("zones").file == tmp_path / "zones.geojson"


def test_load_registry_reports_a_missing_file_and_bad_json(tmp_path):
    with pytest.raises(RegistryError, match="expected an existing file"):
        load_registry(tmp_path / "registry.json")
    (tmp_path / "registry.json").write_text('{"layers": [', encoding="utf-8")
    with pytest.raises(RegistryError, match="line 1, column 13"):
        load_registry(tmp_path / "registry.json")


def test_the_default_registry_is_the_repository_one():
    assert DEFAULT_REGISTRY_PATH == Path(__file__).resolve().parents[1] / "layers" / "registry.json"


@pytest.mark.parametrize(
    "module",
    ["geo.registry", "geo.checks", "geo.indicators", "geo.sources", "geo.distances"],
)
def test_docstring_examples_hold(module):
    result = doctest.testmod(
        importlib.import_module(module), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    )
    assert result.attempted > 0
    assert result.failed == 0

"""Registry construction validates every entry and lists every problem in one error."""

from __future__ import annotations

import doctest
import importlib
import json
from pathlib import Path

import pytest

from geo.errors import RegistryError
from geo.registry import DEFAULT_REGISTRY_PATH, LAYER_FIELDS, Registry, load_registry


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
    assert missing == sorted(f for f in LAYER_FIELDS if f != "id")
    assert all(p.feature_id == "zones" and p.item == "layer" for p in error.problems)
    assert len(str(error).splitlines()) == len(LAYER_FIELDS) - 1
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


def test_style_is_only_required_to_be_a_non_empty_string():
    registry = Registry.from_dict(
        {"layers": [entry(style="anything-geo-style-knows")]}, base_dir=Path("/d")
    )
    assert registry.get("zones").style == "anything-geo-style-knows"
    assert registry_error({"layers": [entry(style="")]}).problems[0].field == "style"


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


@pytest.mark.parametrize("module", ["geo.registry"])
def test_docstring_examples_hold(module):
    result = doctest.testmod(
        importlib.import_module(module), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    )
    assert result.attempted > 0
    assert result.failed == 0

"""The layer-file rules: FeatureCollection structure, CRS, geometries and ids in a file."""

from __future__ import annotations

import copy
import doctest
import importlib

import pytest

from geo.collection_checks import validate_feature_collection
from geo.problems import Problem

CRS84 = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
EPSG9215 = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::9215"}}
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[106.70, 21.95], [106.71, 21.95], [106.71, 21.96], [106.70, 21.95]]],
}


def fields(problems: list[Problem]) -> list[str]:
    return [p.field for p in problems]


def collection(features, crs=CRS84):
    doc = {"type": "FeatureCollection", "features": features}
    if crs is not None:
        doc["crs"] = crs
    return doc


def feature(props, geometry=SQUARE):
    return {"type": "Feature", "properties": props, "geometry": geometry}


def check_collection(doc, kind="polygon", schema="project"):
    return validate_feature_collection(
        doc,
        file="zones.geojson",
        geometry_kind=kind,
        schema=schema,
        source_ids={"fixture-src"},
    )


# --- feature collections ------------------------------------------------------------------------


def test_a_valid_collection_has_no_problem(project_props):
    assert check_collection(collection([feature(project_props())])) == []


def test_a_collection_without_crs_is_refused_whatever_its_coordinates(project_props):
    problems = check_collection(collection([feature(project_props())], crs=None))
    assert fields(problems) == ["crs"]
    assert "zones.geojson" in str(problems[0])


def test_duplicate_ids_in_a_file_are_reported_on_the_second_use(project_props):
    doc = collection([feature(project_props()), feature(project_props())])
    (problem,) = check_collection(doc)
    assert (problem.feature_id, problem.field, problem.feature_index) == ("zone-x", "id", 1)
    assert "feature #0" in problem.found


def test_problems_of_several_features_are_all_reported(project_props):
    doc = collection(
        [
            feature(project_props(id="zone-a", status="finished")),
            feature(project_props(id="zone-b"), geometry=None),
        ]
    )
    problems = check_collection(doc)
    assert [(p.feature_id, p.field) for p in problems] == [
        ("zone-a", "status"),
        ("zone-b", "geometry"),
    ]


@pytest.mark.parametrize(
    ("geometry", "found"),
    [
        (None, "null"),
        ({"type": "Point", "coordinates": [106.7, 21.95]}, "'Point'"),
        ({"type": "Polygon", "coordinates": []}, "an empty Polygon"),
        ({"type": "Polygon", "coordinates": [[[106.7, 21.95], [106.71, 21.95]]]}, "coordinates"),
        (
            {
                "type": "Polygon",
                "coordinates": [
                    [
                        [106.70, 21.94],
                        [106.71, 21.95],
                        [106.71, 21.94],
                        [106.70, 21.95],
                        [106.70, 21.94],
                    ]
                ],
            },
            "Self-intersection[106.705 21.945]",
        ),
    ],
)
def test_geometry_problems_say_what_is_wrong(project_props, geometry, found):
    (problem,) = check_collection(collection([feature(project_props(), geometry)]))
    assert problem.field == "geometry"
    assert problem.feature_id == "zone-x"
    assert found in problem.found


def test_projected_numbers_in_a_lon_lat_file_are_refused(project_props):
    geometry = copy.deepcopy(SQUARE)
    geometry["coordinates"][0][1] = [444268.4, 2431151.1]
    (problem,) = check_collection(collection([feature(project_props(), geometry)]))
    assert problem.field == "geometry"
    assert "latitude" in problem.expected and "444268" in problem.found


def test_lon_lat_numbers_in_a_vn2000_file_are_refused(project_props):
    (problem,) = check_collection(collection([feature(project_props())], crs=EPSG9215))
    assert problem.field == "geometry"
    assert "EPSG:9215" in problem.expected and "(106.7, 21.95)" in problem.found


def test_a_document_that_is_not_a_feature_collection_is_one_problem():
    (problem,) = check_collection({"type": "Feature"})
    assert (problem.field, problem.found) == ("type", "'Feature'")


def test_geometry_kind_and_schema_must_be_known():
    with pytest.raises(ValueError, match="geometry_kind"):
        check_collection(collection([]), kind="polygons")


@pytest.mark.parametrize(
    "module",
    [
        "geo.problems",
        "geo.values",
        "geo.vocabulary",
        "geo.field_checks",
        "geo.collection_checks",
        "geo.jsonfile",
        "geo.errors",
    ],
)
def test_docstring_examples_hold(module):
    result = doctest.testmod(
        importlib.import_module(module), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    )
    assert result.attempted > 0
    assert result.failed == 0

import json
from pathlib import Path

import pytest
from builders import GATE_LONLAT, GATE_TM3, VIETNAMESE

from geo.importing.model import ImportFileError
from geo.importing.read import read_file

SQUARE = [[106.71, 21.97], [106.72, 21.97], [106.72, 21.98], [106.71, 21.98], [106.71, 21.97]]


def write(tmp_path: Path, doc: dict, name: str = "zones.geojson") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def collection(*features: dict, **extra: object) -> dict:
    return {"type": "FeatureCollection", **extra, "features": list(features)}


def feature(geometry: dict | None, fid: object = None, **props: object) -> dict:
    out = {"type": "Feature", "properties": props, "geometry": geometry}
    if fid is not None:
        out["id"] = fid
    return out


def test_geojson_without_crs_is_wgs84_and_coordinates_are_as_written(tmp_path):
    doc = collection(
        feature({"type": "Point", "coordinates": list(GATE_LONLAT)}, ID="KTC-01", Ten=VIETNAMESE),
        feature({"type": "Polygon", "coordinates": [SQUARE]}, ID="ktc-02", Ten="Tân Thanh"),
    )
    [layer] = read_file(write(tmp_path, doc))
    assert layer.file == "zones.geojson" and layer.name == "zones"
    assert layer.frame.crs.to_string() == "EPSG:4326" and layer.crs_text is None
    assert layer.frame.geometry.iloc[0].coords[0] == GATE_LONLAT
    assert [list(c) for c in layer.frame.geometry.iloc[1].exterior.coords] == SQUARE
    assert list(layer.frame["ID"]) == ["KTC-01", "ktc-02"]
    assert layer.frame["Ten"].iloc[0] == VIETNAMESE
    assert layer.problems == [] and layer.questions == []


def test_crs84_is_wgs84_and_the_member_is_kept_as_text(tmp_path):
    member = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    doc = collection(feature({"type": "Point", "coordinates": list(GATE_LONLAT)}), crs=member)
    [layer] = read_file(write(tmp_path, doc))
    assert layer.frame.crs.to_string() == "EPSG:4326"
    assert json.loads(layer.crs_text) == member


def test_a_legacy_epsg_9215_member_is_honoured_and_coordinates_untouched(tmp_path):
    member = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::9215"}}
    doc = collection(
        feature({"type": "Point", "coordinates": list(GATE_TM3)}, "KTC-01"), crs=member
    )
    [layer] = read_file(write(tmp_path, doc))
    assert layer.frame.crs.to_epsg() == 9215
    assert layer.frame.geometry.iloc[0].coords[0] == GATE_TM3
    assert layer.frame["id"].iloc[0] == "KTC-01"


def test_a_crs_member_not_understood_asks_instead_of_guessing(tmp_path):
    doc = collection(feature({"type": "Point", "coordinates": [1, 2]}), crs={"type": "link"})
    [layer] = read_file(write(tmp_path, doc))
    assert layer.frame.crs is None
    [question] = layer.questions
    assert question.kind == "crs" and "zones.geojson" in question.message


def test_an_unclosed_ring_is_reported_with_feature_ring_and_positions(tmp_path):
    ring = SQUARE[:-1]
    hole = [[106.712, 21.972], [106.713, 21.972], [106.713, 21.973], [106.712, 21.972]]
    doc = collection(feature({"type": "Polygon", "coordinates": [ring, hole]}, ID="KTC-01"))
    [layer] = read_file(write(tmp_path, doc))
    [problem] = layer.problems
    assert (problem.feature, problem.field, problem.rule) == ("KTC-01", "geometry", "unclosed-ring")
    assert "ring 1 " in problem.message and "[106.71, 21.98]" in problem.message
    assert str(problem).startswith("zones.geojson: feature 'KTC-01', field 'geometry': ring 1")


def test_unclosed_ring_in_a_multipolygon_names_the_polygon(tmp_path):
    polygons = [[SQUARE], [SQUARE[:-1]]]
    doc = collection(feature({"type": "MultiPolygon", "coordinates": polygons}))
    [layer] = read_file(write(tmp_path, doc))
    [problem] = layer.problems
    assert problem.feature == "#1" and "ring 1 of polygon 2" in problem.message


def test_null_and_collection_geometries_are_kept_for_the_pipeline(tmp_path):
    collection_geometry = {
        "type": "GeometryCollection",
        "geometries": [{"type": "Point", "coordinates": [1, 2]}],
    }
    doc = collection(feature(None, "a"), feature(collection_geometry, "b"))
    [layer] = read_file(write(tmp_path, doc))
    assert layer.frame.geometry.iloc[0] is None
    assert layer.frame.geometry.iloc[1].geom_type == "GeometryCollection"
    assert layer.problems == []


def test_an_unreadable_geometry_is_a_problem_and_the_row_is_kept(tmp_path):
    doc = collection(feature({"type": "LineString", "coordinates": [[0, 0]]}, "bad"))
    [layer] = read_file(write(tmp_path, doc))
    assert len(layer.frame) == 1 and layer.frame.geometry.iloc[0] is None
    [problem] = layer.problems
    assert (problem.feature, problem.rule) == ("bad", "unreadable-geometry")


def test_nested_properties_are_kept_and_text_is_nfc(tmp_path):
    decomposed = "Đo\u0302\u0300ng Đa\u0306ng"
    doc = collection(feature({"type": "Point", "coordinates": [1, 2]}, tags=[decomposed], n=3))
    [layer] = read_file(write(tmp_path, doc))
    assert layer.frame["tags"].iloc[0] == ["Đồng Đăng"] and layer.frame["n"].iloc[0] == 3


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{"type": "FeatureCollection", "features": [', "not valid JSON at line 1"),
        (b"\xff\xfe{}", "not UTF-8 text"),
        (b"[1, 2]", "not GeoJSON"),
        (b'{"type": "Topology"}', "'type' is 'Topology'"),
    ],
)
def test_unreadable_geojson_is_refused_naming_the_file(tmp_path, content, expected):
    path = tmp_path / "broken.geojson"
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=expected) as caught:
        read_file(path)
    assert str(caught.value).startswith("broken.geojson: ")


def test_a_legacy_epsg_4326_member_is_lon_lat(tmp_path):
    member = {"type": "name", "properties": {"name": "EPSG:4326"}}
    doc = collection(feature({"type": "Point", "coordinates": list(GATE_LONLAT)}), crs=member)
    [layer] = read_file(write(tmp_path, doc))
    assert layer.frame.crs.to_string() == "EPSG:4326"
    assert layer.frame.geometry.iloc[0].coords[0] == GATE_LONLAT

import json

import pytest
from builders import survey_frame

from geo.importing.limits import LIMITS, Limits
from geo.importing.model import ImportFileError
from geo.importing.read import SUPPORTED_EXTENSIONS, read_file


def geojson(tmp_path, features, name="zones.geojson"):
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def line(n, fid):
    coords = [[106.7 + i * 1e-5, 21.9] for i in range(n)]
    return {
        "type": "Feature",
        "properties": {"id": fid},
        "geometry": {"type": "LineString", "coordinates": coords},
    }


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "lots.zip"
    path.write_bytes(b"")
    with pytest.raises(ImportFileError, match=r"^lots\.zip: the file is empty \(0 bytes\)$"):
        read_file(path)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(ImportFileError, match=r"^nothing\.geojson: no such file"):
        read_file(tmp_path / "nothing.geojson")


def test_an_unknown_extension_is_refused_listing_the_formats(tmp_path):
    path = tmp_path / "plan.dwg"
    path.write_bytes(b"AC1032 binary")
    with pytest.raises(
        ImportFileError, match=r"^plan\.dwg: unknown format '\.dwg'; expected one of"
    ) as caught:
        read_file(path)
    assert all(ext in str(caught.value) for ext in SUPPORTED_EXTENSIONS)


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    path = geojson(tmp_path, [line(3, "a")] * 50)
    with pytest.raises(
        ImportFileError, match=r"^zones\.geojson: refused: the file is .* MB; at most 0\.001 MB"
    ):
        read_file(path, limits=Limits(max_file_mb=0.001))


def test_too_many_features_are_refused_quoting_the_limit(tmp_path):
    path = geojson(tmp_path, [line(2, str(i)) for i in range(4)])
    with pytest.raises(ImportFileError, match=r"^zones\.geojson: refused: 4 features; at most 3 "):
        read_file(path, limits=Limits(max_features=3))


def test_too_many_features_in_a_shapefile_or_geopackage(tmp_path):
    gpkg = tmp_path / "lots.gpkg"
    survey_frame("EPSG:9215").to_file(gpkg, layer="lots", engine="pyogrio")
    with pytest.raises(ImportFileError, match=r"^lots\.gpkg!lots: refused: 2 features; at most 1 "):
        read_file(gpkg, limits=Limits(max_features=1))


def test_a_feature_with_too_many_vertices_is_named(tmp_path):
    path = geojson(tmp_path, [line(3, "short"), line(12, "KTC-01")])
    with pytest.raises(
        ImportFileError,
        match=r"^zones\.geojson: feature 'KTC-01': refused: 12 vertices; at most 10 ",
    ):
        read_file(path, limits=Limits(max_vertices_per_feature=10))


def test_too_many_vertices_in_the_layer(tmp_path):
    path = geojson(tmp_path, [line(6, "a"), line(6, "b")])
    with pytest.raises(
        ImportFileError, match=r"^zones\.geojson: refused: 12 vertices in the layer; at most 11 "
    ):
        read_file(path, limits=Limits(max_vertices_total=11))


def test_the_shipped_limits_fit_a_200000_parcel_survey():
    assert LIMITS.max_features >= 200_000 and LIMITS.max_vertices_total >= 200_000 * 50

import pyogrio
import pytest
from builders import GATE_LONLAT, GATE_TM3, VIETNAMESE, square, survey_frame

from geo.importing.model import ImportFileError
from geo.importing.read import read_file


def two_layer_gpkg(tmp_path):
    path = tmp_path / "survey.gpkg"
    survey_frame("EPSG:9215").to_file(path, layer="lots", engine="pyogrio")
    survey_frame("EPSG:4326").to_file(path, layer="lots_wgs84", engine="pyogrio")
    return path


def test_every_layer_of_a_geopackage_is_read_with_its_srs(tmp_path):
    lots, wgs = read_file(two_layer_gpkg(tmp_path))
    assert (lots.name, lots.file, lots.crs_text) == ("lots", "survey.gpkg!lots", "EPSG:9215")
    assert (wgs.name, wgs.crs_text) == ("lots_wgs84", "EPSG:4326")
    assert lots.frame.crs.to_epsg() == 9215 and wgs.frame.crs.to_epsg() == 4326
    assert list(lots.frame.geometry.iloc[0].exterior.coords) == square(*GATE_TM3, 100.0)
    assert list(wgs.frame.geometry.iloc[1].exterior.coords) == square(
        GATE_LONLAT[0] + 0.001, GATE_LONLAT[1], 0.001
    )
    assert list(lots.frame.columns) == ["ID", "TEN_LO", "progress_p", "geometry"]
    assert list(lots.frame["ID"]) == ["KTC-01", "ktc-02"]
    assert lots.frame["TEN_LO"].iloc[1] == VIETNAMESE
    assert lots.encoding is None and lots.problems == []


def test_a_gpkg_by_content_whatever_its_name(tmp_path):
    path = two_layer_gpkg(tmp_path)
    renamed = path.rename(tmp_path / "survey.data")
    assert [x.name for x in read_file(renamed)] == ["lots", "lots_wgs84"]


def test_a_non_spatial_table_is_reported_not_dropped_silently(tmp_path):
    path = two_layer_gpkg(tmp_path)
    table = survey_frame("EPSG:4326").drop(columns="geometry")
    pyogrio.write_dataframe(table, path, layer="owners")
    layers = read_file(path)
    assert [x.name for x in layers] == ["lots", "lots_wgs84"]
    [problem] = layers[0].problems
    assert problem.rule == "non-spatial-table" and "'owners'" in problem.message


def test_a_truncated_geopackage_is_refused_naming_the_file(tmp_path):
    path = two_layer_gpkg(tmp_path)
    path.write_bytes(path.read_bytes()[:2000])
    with pytest.raises(ImportFileError, match=r"^survey\.gpkg"):
        read_file(path)


def test_a_gpkg_that_is_not_sqlite_is_refused(tmp_path):
    path = tmp_path / "fake.gpkg"
    path.write_text("hello")
    with pytest.raises(ImportFileError, match=r"^fake\.gpkg: not a GeoPackage"):
        read_file(path)

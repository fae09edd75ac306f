"""Reading layer files: the named fixtures in tests/data, sources and the catalog."""

from __future__ import annotations

import doctest
import importlib
import json

import geopandas
import pandas as pd
import pyproj
import pytest
from geopandas.testing import assert_geodataframe_equal
from shapely import Polygon

from geo.catalog import load_catalog
from geo.errors import LayerError, SourcesError
from geo.io import read_layer, read_layer_file
from geo.measure import area_ha
from geo.registry import load_registry
from geo.sources import Source, load_sources

GEOD = pyproj.Geod(ellps="WGS84")
PASS_LON, PASS_LAT = 106.71222, 21.97639  # facts.md §5 check point


def layer_error(spec, source_ids) -> LayerError:
    with pytest.raises(LayerError) as err:
        read_layer(spec, source_ids=source_ids)
    return err.value


# --- bad inputs: every message names the file, the feature id and the field ---------------


@pytest.mark.parametrize(
    ("name", "kind", "feature_id", "field", "found"),
    [
        (
            "bowtie_polygon.geojson",
            "polygon",
            "zone-bowtie",
            "geometry",
            "Self-intersection[106.705 21.945]",
        ),
        ("unknown_status.geojson", "polygon", "zone-unknown-status", "status", "'finished'"),
        ("progress_out_of_range.geojson", "polygon", "zone-progress-140", "progress_pct", "140"),
        ("duplicate_id.geojson", "polygon", "zone-dup", "id", "'zone-dup' again"),
        (
            "missing_required_field.geojson",
            "polygon",
            "zone-missing-name",
            "name_en",
            "nothing (the field is missing)",
        ),
        ("wrong_geometry_kind.geojson", "polygon", "zone-point", "geometry", "'Point'"),
    ],
)
def test_a_bad_feature_is_refused_naming_file_feature_and_field(
    spec_for, source_ids, name, kind, feature_id, field, found
):
    error = layer_error(spec_for(name, kind=kind), source_ids)
    assert error.path.name == name
    (problem,) = error.problems
    assert (problem.file, problem.feature_id, problem.field) == (name, feature_id, field)
    assert found in problem.found
    assert str(error).startswith(f"{name}: feature '{feature_id}', field '{field}': expected ")


def test_a_file_without_crs_is_refused_not_read_as_wgs84(spec_for, source_ids):
    error = layer_error(spec_for("no_crs.geojson"), source_ids)
    (problem,) = error.problems
    assert (problem.file, problem.field) == ("no_crs.geojson", "crs")
    assert "urn:ogc:def:crs:OGC:1.3:CRS84" in problem.expected
    assert str(error).startswith("no_crs.geojson: field 'crs': expected a 'crs' member")


def test_invalid_json_is_reported_with_line_and_column(spec_for, source_ids):
    error = layer_error(spec_for("not_json.geojson"), source_ids)
    assert str(error).startswith("not_json.geojson: expected valid JSON; found ")
    assert "line 6, column 1" in str(error)


def test_a_missing_file_is_a_layer_error(spec_for, source_ids):
    error = layer_error(spec_for("no_such_layer.geojson"), source_ids)
    assert "no_such_layer.geojson: expected an existing file" in str(error)


def test_an_unknown_source_id_is_refused(spec_for):
    error = layer_error(spec_for("valid_zone.geojson"), source_ids={"another-source"})
    fields = {p.field for p in error.problems}
    assert {"sources[0]", "area_source"} <= fields
    assert all(p.feature_id == "zone-valid" for p in error.problems)


def test_nothing_is_repaired_a_windows_1258_file_is_refused(tmp_path, source_ids):
    bad = tmp_path / "cp1258.geojson"
    bad.write_bytes('{"type": "FeatureCollection", "name": "Đăng"}'.encode("cp1258"))
    with pytest.raises(LayerError, match="expected UTF-8 text"):
        read_layer_file(bad, geometry_kind="polygon", schema="project", source_ids=source_ids)


# --- good inputs ----------------------------------------------------------------------------------


def test_a_valid_zone_reads_as_the_golden_frame(spec_for, source_ids, data_dir):
    gdf = read_layer(spec_for("valid_zone.geojson"), source_ids=source_ids)
    doc = json.loads((data_dir / "valid_zone.geojson").read_text(encoding="utf-8"))
    props = doc["features"][0]["properties"]
    expected = geopandas.GeoDataFrame(
        pd.DataFrame.from_records([props]).set_index("id"),
        geometry=[Polygon(doc["features"][0]["geometry"]["coordinates"][0])],
        crs="EPSG:4326",
    )
    assert_geodataframe_equal(gdf, expected, check_like=False)
    assert gdf.index.name == "id" and list(gdf.index) == ["zone-valid"]


def test_lists_stay_python_objects_not_strings(spec_for, source_ids):
    gdf = read_layer(spec_for("valid_road.geojson", kind="line"), source_ids=source_ids)
    row = gdf.loc["road-valid"]
    assert isinstance(row["milestones"], list) and row["milestones"][1]["status"] == "partly_open"
    assert isinstance(row["progress_history"], list) and len(row["progress_history"]) == 3
    assert row["sources"] == ["fixture-src"]


def test_attrs_record_layer_id_and_declared_crs(spec_for, source_ids):
    gdf = read_layer(spec_for("zone_in_vn2000.geojson"), source_ids=source_ids)
    assert gdf.attrs == {"layer_id": "zone_in_vn2000", "source_crs": "EPSG:9215"}
    wgs84 = read_layer(spec_for("valid_zone.geojson"), source_ids=source_ids)
    assert wgs84.attrs["source_crs"] == "EPSG:4326"


def test_a_zone_drawn_in_vn2000_lands_at_the_right_wgs84_place(spec_for, source_ids):
    gdf = read_layer(spec_for("zone_in_vn2000.geojson"), source_ids=source_ids)
    zone = gdf.geometry.loc["zone-vn2000"]
    assert gdf.crs.to_epsg() == 4326
    lon, lat = zone.exterior.coords[0]  # the south-west corner is the facts.md check point
    assert GEOD.inv(lon, lat, PASS_LON, PASS_LAT)[2] < 0.5
    # 200 m × 200 m on the TM-3 plane (scale ≈ 0.99994 here) is 4 ha on the ellipsoid.
    assert area_ha(zone) == pytest.approx(4.0, rel=1e-3)


def test_context_layers_keep_their_extra_fields(spec_for, source_ids):
    gdf = read_layer(
        spec_for("valid_points.geojson", kind="point", schema="context"), source_ids=source_ids
    )
    assert gdf.loc["point-valid", "osm_id"] == 123456
    assert gdf.loc["point-valid", "ref"] == "QL1A"


# --- sources --------------------------------------------------------------------------------------


def test_fixture_sources_load(data_dir):
    sources = load_sources(data_dir / "sources.json")
    assert set(sources) == {"fixture-src", "facts-md-s5"}
    assert sources["fixture-src"] == Source(
        "fixture-src", "Test fixture source (invented)", "tests/data", None, None
    )


def test_sources_list_every_problem(tmp_path):
    path = tmp_path / "sources.json"
    path.write_text(
        json.dumps(
            {
                "ok": {
                    "title": "T",
                    "publisher": "P",
                    "date": "2024-12-11",
                    "url": "https://x.vn/a",
                },
                "bad-url": {"title": "T", "publisher": "P", "date": None, "url": "javascript:1"},
                "bad-date": {"title": "T", "publisher": "P", "date": "11/12/2024", "url": None},
                "no-title": {"publisher": "P", "date": None, "url": None},
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(SourcesError) as err:
        load_sources(path)
    assert [(p.feature_id, p.field) for p in err.value.problems] == [
        ("bad-url", "url"),
        ("bad-date", "date"),
        ("no-title", "title"),
    ]
    assert str(err.value).splitlines()[0] == (
        "sources.json: source 'bad-url', field 'url': expected an http(s) address or null; "
        "found 'javascript:1'"
    )


# --- catalog -------------------------------------------------------------------------------------


def test_one_broken_layer_does_not_stop_the_others(data_dir):
    catalog = load_catalog(load_registry(data_dir / "registry.json"))
    assert list(catalog.layers) == ["valid_zone", "zone_in_vn2000", "valid_road", "valid_points"]
    assert list(catalog.errors) == ["bowtie"]
    assert isinstance(catalog.errors["bowtie"], LayerError)
    assert "zone-bowtie" in str(catalog.errors["bowtie"])
    assert set(catalog.sources) == {"fixture-src", "facts-md-s5"}


def test_catalog_reports_ids_shared_between_layers(data_dir, tmp_path):
    registry = json.loads((data_dir / "registry.json").read_text(encoding="utf-8"))
    twin = dict(registry["layers"][0], id="valid_zone_again")
    registry["layers"] = [registry["layers"][0], twin]
    for name in ("valid_zone.geojson", "sources.json"):
        (tmp_path / name).write_bytes((data_dir / name).read_bytes())
    (tmp_path / "registry.json").write_text(json.dumps(registry), encoding="utf-8")
    catalog = load_catalog(load_registry(tmp_path / "registry.json"))
    (problem,) = catalog.duplicate_id_problems()
    assert (problem.feature_id, problem.field) == ("zone-valid", "id")
    assert "valid_zone" in problem.found


def test_catalog_refuses_to_run_without_sources(data_dir, tmp_path):
    (tmp_path / "registry.json").write_bytes((data_dir / "registry.json").read_bytes())
    with pytest.raises(SourcesError, match=r"sources\.json: expected an existing file"):
        load_catalog(load_registry(tmp_path / "registry.json"))


@pytest.mark.parametrize("module", ["geo.jsonfile", "geo.sources"])
def test_docstring_examples_hold(module):
    result = doctest.testmod(
        importlib.import_module(module), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    )
    assert result.attempted > 0
    assert result.failed == 0


def test_a_translated_source_credit_needs_every_language_and_no_single_text():
    from geo.sources import credits_for, parse_sources

    entry = {"title": "T", "publisher": "P", "date": None, "url": None}
    sources, problems = parse_sources(
        {"s": {**entry, "credit_vi": "tệp mẫu", "credit_en": "seed file", "credit_zh": "种子文件"}}
    )
    assert problems == []
    assert credits_for(["s"], sources, "zh") == ("种子文件",)
    assert credits_for(["s"], sources) == ("seed file",) and sources["s"].credit == "seed file"
    _, problems = parse_sources({"s": {**entry, "credit": "x", "credit_en": "seed file"}})
    assert [str(p) for p in problems] == [
        "sources.json: source 's', field 'credit': expected absent when credit_vi, credit_en "
        "and credit_zh are given (one text for a proper name, or three translations); found 'x'",
        "sources.json: source 's', field 'credit_vi': expected a non-empty string (a "
        "translation of the credit); found null",
        "sources.json: source 's', field 'credit_zh': expected a non-empty string (a "
        "translation of the credit); found null",
    ]

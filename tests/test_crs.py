"""VN-2000 <-> WGS84 through EPSG:6960, and the legacy GeoJSON crs member."""

from __future__ import annotations

import doctest
import importlib
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import geopandas
import numpy as np
import pyproj
import pytest
from pyproj.transformer import TransformerGroup
from shapely import Point, Polygon

from geo import crs
from geo.crs import (
    VN2000_GEOGRAPHIC,
    VN2000_TM3_LANG_SON,
    VN2000_UTM_48N,
    WGS84,
    operation_name,
    parse_geojson_crs,
    to_wgs84,
    transform_geometry,
    transformer,
)
from geo.errors import CRSError

GEOD = pyproj.Geod(ellps="WGS84")
# facts.md §5: Friendship Pass, WGS84 lon/lat, and its EPSG:9215 check value.
PASS_LON, PASS_LAT = 106.71222, 21.97639
PASS_E, PASS_N = 444268.4, 2431151.1
# facts.md §5: the official 7 parameters written as a PROJ string (position-vector signs).
OFFICIAL_PROJ = (
    "+proj=tmerc +lat_0=0 +lon_0=107.25 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 "
    "+towgs84=-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,"
    "0.252906278 +units=m +no_defs"
)
# The same 7 parameters as PROJ writes them in a pipeline (coordinate-frame convention).
OFFICIAL_HELMERT = (
    "x=-191.90441429",
    "y=-39.30318279",
    "z=-111.45032835",
    "rx=-0.00928836",
    "ry=0.01975479",
    "rz=-0.00427372",
    "s=0.252906278",
    "convention=coordinate_frame",
)
NULL_SHIFT_PROJ = (
    "+proj=tmerc +lat_0=0 +lon_0=107.25 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 "
    "+towgs84=0,0,0,0,0,0,0 +units=m +no_defs"
)


def test_friendship_pass_wgs84_to_tm3_matches_the_check_value_within_half_a_metre():
    e, n = transformer(WGS84, VN2000_TM3_LANG_SON).transform(PASS_LON, PASS_LAT)
    assert np.hypot(e - PASS_E, n - PASS_N) < 0.5


def test_friendship_pass_tm3_to_wgs84_matches_the_check_value_within_half_a_metre():
    lon, lat = transformer(VN2000_TM3_LANG_SON, WGS84).transform(PASS_E, PASS_N)
    assert GEOD.inv(lon, lat, PASS_LON, PASS_LAT)[2] < 0.5


def test_transform_agrees_with_the_official_seven_parameters_written_out():
    independent = pyproj.Transformer.from_crs(WGS84, OFFICIAL_PROJ, always_xy=True)
    expected = independent.transform(PASS_LON, PASS_LAT)
    got = transformer(WGS84, VN2000_TM3_LANG_SON).transform(PASS_LON, PASS_LAT)
    assert np.hypot(got[0] - expected[0], got[1] - expected[1]) < 0.01


def test_datum_shift_is_applied_a_null_shift_lands_more_than_150_m_away():
    null_shift = pyproj.Transformer.from_crs(WGS84, NULL_SHIFT_PROJ, always_xy=True)
    e0, n0 = null_shift.transform(PASS_LON, PASS_LAT)
    e, n = transformer(WGS84, VN2000_TM3_LANG_SON).transform(PASS_LON, PASS_LAT)
    assert np.hypot(e - e0, n - n0) > 150


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (VN2000_TM3_LANG_SON, WGS84),
        (WGS84, VN2000_TM3_LANG_SON),
        (VN2000_GEOGRAPHIC, WGS84),
        (VN2000_UTM_48N, WGS84),
        (VN2000_TM3_LANG_SON, "EPSG:32648"),
    ],
)
def test_every_vn2000_to_wgs84_transform_goes_through_epsg_6960(source, target):
    assert "VN-2000 to WGS 84 (2)" in operation_name(source, target)  # EPSG:6960
    assert "VN-2000 to WGS 84 (1)" not in operation_name(source, target)  # EPSG:5194
    pipeline = transformer(source, target).definition
    for parameter in OFFICIAL_HELMERT:
        assert parameter in pipeline


def test_between_two_vn2000_crs_no_datum_shift_is_added():
    assert "helmert" not in transformer(VN2000_TM3_LANG_SON, VN2000_UTM_48N).definition
    direct = transformer(WGS84, VN2000_UTM_48N).transform(PASS_LON, PASS_LAT)
    via_tm3 = transformer(VN2000_TM3_LANG_SON, VN2000_UTM_48N).transform(PASS_E, PASS_N)
    assert np.hypot(direct[0] - via_tm3[0], direct[1] - via_tm3[1]) < 0.5


def test_a_cached_transformer_gives_the_same_answer_in_every_thread():
    shared = transformer(WGS84, VN2000_TM3_LANG_SON)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: shared.transform(PASS_LON, PASS_LAT), range(16)))
    assert len(set(results)) == 1
    e, n = results[0]
    assert np.hypot(e - PASS_E, n - PASS_N) < 0.5


def test_utm_48n_round_trip_returns_to_the_start_within_a_millimetre():
    x, y = transformer(WGS84, VN2000_UTM_48N).transform(PASS_LON, PASS_LAT)
    lon, lat = transformer(VN2000_UTM_48N, WGS84).transform(x, y)
    assert GEOD.inv(lon, lat, PASS_LON, PASS_LAT)[2] < 0.001
    assert 600_000 < x < 700_000  # UTM 48N easting near 106.7° E (central meridian 105° E)


def test_transformers_are_cached():
    assert transformer(WGS84, VN2000_TM3_LANG_SON) is transformer(WGS84, VN2000_TM3_LANG_SON)


def test_refuses_when_proj_offers_no_epsg_6960_operation(monkeypatch):
    only_mekong_set = [
        t
        for t in TransformerGroup(VN2000_GEOGRAPHIC, WGS84, always_xy=True).transformers
        if "(1)" in t.description  # EPSG:5194, the Mekong-delta set: must never be used
    ]
    assert only_mekong_set
    fake_group = SimpleNamespace(transformers=only_mekong_set, unavailable_operations=[])
    monkeypatch.setattr(crs, "TransformerGroup", lambda *a, **k: fake_group)
    transformer.cache_clear()
    crs._operation.cache_clear()
    try:
        with pytest.raises(CRSError, match="EPSG:6960"):
            transformer(VN2000_GEOGRAPHIC, WGS84)
    finally:
        transformer.cache_clear()
        crs._operation.cache_clear()


@pytest.mark.parametrize(
    ("member", "expected"),
    [
        ({"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}, WGS84),
        ({"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4326"}}, WGS84),
        ({"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::9215"}}, "EPSG:9215"),
        ({"type": "name", "properties": {"name": "EPSG:3405"}}, "EPSG:3405"),
        ("EPSG:4326", WGS84),
        ("urn:ogc:def:crs:EPSG:9.5.1:4756", "EPSG:4756"),
        ("http://www.opengis.net/def/crs/EPSG/0/9215", "EPSG:9215"),
    ],
)
def test_parse_geojson_crs_reads_legacy_members(member, expected):
    assert parse_geojson_crs({"crs": member}, "f.geojson") == expected


def test_parse_geojson_crs_refuses_a_missing_member_with_an_actionable_message():
    with pytest.raises(CRSError) as err:
        parse_geojson_crs({"type": "FeatureCollection"}, "zones.geojson")
    message = str(err.value)
    assert message.startswith("zones.geojson has no 'crs' member; GeoJSON here must declare")
    assert "urn:ogc:def:crs:OGC:1.3:CRS84" in message


@pytest.mark.parametrize(
    "member",
    [
        {"type": "link", "properties": {"href": "http://example.com/crs"}},
        {"type": "name", "properties": {"name": "EPSG:999999"}},
        {"type": "name", "properties": {"name": "VN-2000"}},
        {"type": "name", "properties": {"name": "EPSG:5717"}},  # a vertical CRS
        None,
    ],
)
def test_parse_geojson_crs_refuses_what_it_cannot_use(member):
    with pytest.raises(CRSError, match=r"roads\.geojson"):
        parse_geojson_crs({"crs": member}, "roads.geojson")


def test_to_wgs84_moves_a_tm3_frame_to_the_check_point_and_keeps_columns():
    gdf = geopandas.GeoDataFrame(
        {"name": ["pass"]}, geometry=[Point(PASS_E, PASS_N)], crs=VN2000_TM3_LANG_SON
    )
    out = to_wgs84(gdf)
    p = out.geometry.iloc[0]
    assert out.crs.to_epsg() == 4326
    assert GEOD.inv(p.x, p.y, PASS_LON, PASS_LAT)[2] < 0.5
    assert list(out["name"]) == ["pass"]
    assert gdf.geometry.iloc[0].x == PASS_E  # the input is not modified


def test_to_wgs84_refuses_naive_geometries():
    with pytest.raises(CRSError, match="naive"):
        to_wgs84(geopandas.GeoDataFrame(geometry=[Point(0, 0)]))


def test_to_wgs84_leaves_wgs84_coordinates_untouched():
    gdf = geopandas.GeoDataFrame(geometry=[Point(PASS_LON, PASS_LAT)], crs="OGC:CRS84")
    out = to_wgs84(gdf)
    assert out.crs.to_epsg() == 4326
    assert out.geometry.iloc[0].equals(Point(PASS_LON, PASS_LAT))


def test_transform_geometry_keeps_polygon_structure():
    square = Polygon([(PASS_E, PASS_N), (PASS_E + 100, PASS_N), (PASS_E + 100, PASS_N + 100)])
    out = transform_geometry(square, VN2000_TM3_LANG_SON, WGS84)
    assert out.geom_type == "Polygon"
    assert len(out.exterior.coords) == 4
    assert GEOD.inv(*out.exterior.coords[0], PASS_LON, PASS_LAT)[2] < 0.5


def test_valid_bounds_of_tm3_hold_lang_son_but_not_lon_lat_numbers():
    xmin, ymin, xmax, ymax = crs.valid_bounds(VN2000_TM3_LANG_SON)
    assert xmin < PASS_E < xmax and ymin < PASS_N < ymax
    assert not (xmin < PASS_LON < xmax and ymin < PASS_LAT < ymax)


@pytest.mark.parametrize("module", ["geo.crs"])
def test_docstring_examples_hold(module):
    result = doctest.testmod(
        importlib.import_module(module), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    )
    assert result.attempted > 0
    assert result.failed == 0

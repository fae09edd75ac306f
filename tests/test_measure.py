"""Geodesic measures against values computed independently of pyproj.Geod."""

from __future__ import annotations

import doctest
import importlib
import math

import pytest
from shapely import LineString, MultiPolygon, Point, Polygon, box
from shapely.geometry.polygon import orient

from geo.crs import VN2000_TM3_LANG_SON, WGS84, transform_geometry
from geo.measure import (
    PLACED_ACCURACIES,
    area_ha,
    distance_m,
    known_distance_m,
    length_km,
    position_known,
    utm_crs,
)
from geo.vocabulary import ACCURACY_LEVELS

A = 6_378_137.0  # WGS84 semi-major axis, m
F = 1 / 298.257223563
E2 = F * (2 - F)


def meridian_arc_m(lat1: float, lat2: float, steps: int = 2000) -> float:
    """Meridian arc length by Simpson integration of the meridional radius of curvature."""
    h = (math.radians(lat2) - math.radians(lat1)) / steps
    total = 0.0
    for i in range(steps + 1):
        phi = math.radians(lat1) + i * h
        m = A * (1 - E2) / (1 - E2 * math.sin(phi) ** 2) ** 1.5
        total += m * (1 if i in (0, steps) else 4 if i % 2 else 2)
    return total * h / 3


def parallel_radius_m(lat: float) -> float:
    phi = math.radians(lat)
    return A * math.cos(phi) / math.sqrt(1 - E2 * math.sin(phi) ** 2)


def square_km_in(crs: str, x0: float, y0: float) -> Polygon:
    return transform_geometry(box(x0, y0, x0 + 1000, y0 + 1000), crs, WGS84)


def test_a_1_km_square_built_in_utm_48n_is_about_100_ha():
    # Near Đồng Đăng, 176 km from UTM 48N's central meridian: grid scale ≈ 0.99998.
    assert area_ha(square_km_in("EPSG:32648", 676_000, 2_430_000)) == pytest.approx(100, rel=5e-4)


def test_a_1_km_square_built_in_vn2000_tm3_is_about_100_ha():
    # 56 km from the TM-3 107-15 central meridian, k0 0.9999: grid scale ≈ 0.99994.
    square = square_km_in(VN2000_TM3_LANG_SON, 444_000, 2_431_000)
    assert area_ha(square) == pytest.approx(100, rel=5e-4)


def test_one_degree_of_meridian_matches_the_meridian_arc_integral():
    expected_km = meridian_arc_m(21.0, 22.0) / 1000
    assert length_km(LineString([(106.0, 21.0), (106.0, 22.0)])) == pytest.approx(
        expected_km, abs=0.001
    )


def test_one_degree_along_the_equator_is_a_times_pi_over_180():
    assert length_km(LineString([(106.0, 0.0), (107.0, 0.0)])) == pytest.approx(
        A * math.pi / 180 / 1000, abs=1e-6
    )


def test_area_does_not_depend_on_ring_orientation():
    zone = box(106.70, 21.95, 106.71, 21.96)
    assert area_ha(orient(zone, -1.0)) == pytest.approx(area_ha(orient(zone, 1.0)), rel=1e-12)


def test_holes_are_subtracted_whatever_their_orientation():
    outer = box(106.70, 21.95, 106.72, 21.97)
    hole = box(106.705, 21.955, 106.715, 21.965)
    for ring in (hole.exterior.coords, hole.exterior.coords[::-1]):
        with_hole = Polygon(outer.exterior.coords, [ring])
        assert area_ha(with_hole) == pytest.approx(area_ha(outer) - area_ha(hole), rel=1e-9)


def test_multipolygon_area_is_the_sum_of_its_parts():
    a, b = box(106.70, 21.95, 106.71, 21.96), box(106.72, 21.95, 106.73, 21.96)
    assert area_ha(MultiPolygon([a, b])) == pytest.approx(area_ha(a) + area_ha(b), rel=1e-12)


def test_polygon_length_is_the_perimeter_of_all_rings():
    outer = box(106.70, 21.95, 106.72, 21.97)
    hole = box(106.705, 21.955, 106.715, 21.965)
    expected = length_km(outer.exterior) + length_km(hole.exterior)
    assert length_km(Polygon(outer.exterior.coords, [hole.exterior.coords])) == pytest.approx(
        expected, rel=1e-12
    )


def test_points_and_lines_have_no_area_and_points_no_length():
    assert area_ha(Point(106.7, 21.9)) == 0.0
    assert area_ha(LineString([(106.7, 21.9), (106.8, 21.9)])) == 0.0
    assert length_km(Point(106.7, 21.9)) == 0.0


@pytest.mark.parametrize("measure", [area_ha, length_km])
def test_empty_geometry_is_refused(measure):
    with pytest.raises(ValueError, match="empty"):
        measure(Polygon())


@pytest.mark.parametrize("measure", [area_ha, length_km])
def test_none_is_refused(measure):
    with pytest.raises(TypeError, match="shapely geometry"):
        measure(None)


@pytest.mark.parametrize("measure", [area_ha, length_km])
def test_projected_metres_are_refused_as_not_lon_lat(measure):
    with pytest.raises(ValueError, match="lon/lat"):
        measure(box(444_000, 2_431_000, 445_000, 2_432_000))


def test_distance_between_points_is_the_geodesic_along_a_meridian():
    expected = meridian_arc_m(21.95, 21.96)
    assert distance_m(Point(106.7, 21.95), Point(106.7, 21.96)) == pytest.approx(expected, abs=0.01)


def test_distance_from_a_point_to_a_meridian_line_is_along_the_parallel():
    line = LineString([(106.01, 20.9), (106.01, 21.1)])
    # Nearest point is due east on the same parallel; over 1 km the geodesic and the
    # parallel arc differ by millimetres.
    expected = parallel_radius_m(21.0) * math.radians(0.01)
    assert distance_m(Point(106.0, 21.0), line) == pytest.approx(expected, abs=0.05)


def test_distance_between_polygons_is_symmetric_and_uses_nearest_edges():
    a, b = box(106.70, 21.95, 106.71, 21.96), box(106.72, 21.95, 106.73, 21.96)
    expected = parallel_radius_m(21.96) * math.radians(0.01)  # the gap is widest at 21.95
    assert distance_m(a, b) == pytest.approx(distance_m(b, a), abs=1e-6)
    assert distance_m(a, b) == pytest.approx(expected, abs=0.05)


def test_touching_and_overlapping_geometries_are_0_m_apart():
    a = box(106.70, 21.95, 106.71, 21.96)
    assert distance_m(a, box(106.71, 21.95, 106.72, 21.96)) == 0.0
    assert distance_m(a, Point(106.705, 21.955)) == 0.0


def test_distance_refuses_empty_and_projected_inputs():
    with pytest.raises(ValueError, match="empty"):
        distance_m(Point(), Point(106.7, 21.9))
    with pytest.raises(ValueError, match="lon/lat"):
        distance_m(Point(106.7, 21.9), Point(444_268.4, 2_431_151.1))


@pytest.mark.parametrize(
    ("lon", "lat", "expected"),
    [(106.71, 21.97, "EPSG:32648"), (108.5, 21.5, "EPSG:32649"), (-0.1, 51.5, "EPSG:32630")],
)
def test_utm_crs_picks_the_zone_of_the_position(lon, lat, expected):
    assert utm_crs(lon, lat) == expected


@pytest.mark.parametrize("module", ["geo.measure"])
def test_docstring_examples_hold(module):
    result = doctest.testmod(
        importlib.import_module(module), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    )
    assert result.attempted > 0
    assert result.failed == 0


# --------------------------------------------------------------------------- known positions

GATE = Point(106.71112, 21.97062)
PASS = Point(106.71222, 21.97639)


def test_placed_accuracies_are_every_level_but_illustrative():
    assert set(ACCURACY_LEVELS) - PLACED_ACCURACIES == {"illustrative"}


@pytest.mark.parametrize("accuracy", [None, float("nan"), "", "Schematic", "surveyd"])
def test_a_missing_or_unknown_accuracy_is_not_a_known_position(accuracy):
    assert position_known(accuracy) is False


def test_known_distance_is_the_geodesic_distance_between_placed_shapes():
    assert known_distance_m(PASS, "schematic", [(GATE, "digitised")]) == distance_m(PASS, GATE)


def test_no_distance_from_an_illustrative_shape_even_one_that_touches_the_target():
    zone = box(106.70, 21.96, 106.72, 21.98)  # contains the gate: distance_m would say 0
    assert distance_m(zone, GATE) == 0.0
    assert known_distance_m(zone, "illustrative", [(GATE, "digitised")]) is None


def test_no_distance_to_an_illustrative_target():
    assert known_distance_m(PASS, "surveyed", [(GATE, "illustrative")]) is None


def test_nearest_is_not_known_when_any_candidate_is_not_placed():
    near_but_unplaced = (Point(106.7123, 21.9764), "illustrative")
    far = (Point(106.9, 21.8), "schematic")
    assert known_distance_m(PASS, "surveyed", [far]) == pytest.approx(distance_m(PASS, far[0]))
    assert known_distance_m(PASS, "surveyed", [far, near_but_unplaced]) is None


def test_nearest_of_several_placed_targets_and_no_target_at_all():
    far = Point(106.9, 21.8)
    assert known_distance_m(PASS, "schematic", [(far, "schematic"), (GATE, "digitised")]) == (
        pytest.approx(648.9, abs=0.1)
    )
    assert known_distance_m(PASS, "schematic", []) is None

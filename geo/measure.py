"""Geodesic measures on the WGS84 ellipsoid, for geometries in WGS84 lon/lat.

Areas in square degrees, or in Web Mercator (+17 % here), are a classic mistake; these
functions measure on the ellipsoid (``pyproj.Geod``) and refuse coordinates that cannot be
lon/lat. Units are in the names: hectares, kilometres, metres.

Examples
--------
>>> from shapely import LineString
>>> round(length_km(LineString([(106.0, 21.0), (106.0, 22.0)])), 3)  # 1° of meridian
110.724
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import pyproj
import shapely
from shapely.geometry import GeometryCollection, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from geo.crs import WGS84, transform_geometry

__all__ = [
    "GEOD",
    "PLACED_ACCURACIES",
    "area_ha",
    "distance_m",
    "known_distance_m",
    "length_km",
    "position_known",
    "utm_crs",
]

GEOD = pyproj.Geod(ellps="WGS84")
"""The WGS84 ellipsoid all measures are taken on."""

_M2_PER_HA = 10_000.0
_M_PER_KM = 1_000.0
_DENSIFY_DEG = 0.001  # ≈ 100 m


def _check_lonlat(geom: BaseGeometry, name: str = "geom") -> None:
    """Refuse what cannot be measured: None, non-geometries, empty and non-lon/lat geometries."""
    if not isinstance(geom, BaseGeometry):
        raise TypeError(f"{name} must be a shapely geometry; got {type(geom).__name__}")
    if geom.is_empty:
        raise ValueError(f"cannot measure an empty geometry ({name} is an empty {geom.geom_type})")
    xmin, ymin, xmax, ymax = geom.bounds
    if xmin < -180.0 or xmax > 180.0 or ymin < -90.0 or ymax > 90.0:
        raise ValueError(
            f"{name} has coordinates outside lon -180..180 / lat -90..90 (bounds {xmin:g}, "
            f"{ymin:g}, {xmax:g}, {ymax:g}): measures take WGS84 lon/lat; reproject projected "
            "data first with geo.crs.to_wgs84 or geo.crs.transform_geometry"
        )


def _polygons(geom: BaseGeometry) -> list[Polygon]:
    if isinstance(geom, Polygon):
        return [geom]
    if isinstance(geom, MultiPolygon | GeometryCollection):
        return [p for part in geom.geoms for p in _polygons(part)]
    return []


def area_ha(geom: BaseGeometry) -> float:
    """Return the geodesic area of a WGS84 lon/lat geometry, in hectares.

    Holes are subtracted; ring orientation in the input does not matter. Lines and points
    have no area (0.0), as in shapely.

    Parameters
    ----------
    geom : shapely geometry
        In WGS84 lon/lat (EPSG:4326).

    Returns
    -------
    float
        Area in hectares (1 ha = 10,000 m²), never negative.

    Raises
    ------
    ValueError
        If ``geom`` is empty or its coordinates cannot be lon/lat (projected metres).
    TypeError
        If ``geom`` is not a shapely geometry (e.g. None).

    Examples
    --------
    >>> from shapely import Point, Polygon, box
    >>> round(area_ha(box(106.70, 21.95, 106.71, 21.96)), 1)  # 0.01° × 0.01° near Đồng Đăng
    114.4
    >>> area_ha(Point(106.7, 21.9))
    0.0
    >>> area_ha(Polygon())
    Traceback (most recent call last):
    ...
    ValueError: cannot measure an empty geometry (geom is an empty Polygon)
    >>> area_ha(box(444000, 2431000, 445000, 2432000))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: geom has coordinates outside lon -180..180 / lat -90..90 ...
    """
    _check_lonlat(geom)
    total_m2 = sum(GEOD.geometry_area_perimeter(orient(p, 1.0))[0] for p in _polygons(geom))
    return abs(total_m2) / _M2_PER_HA


def length_km(geom: BaseGeometry) -> float:
    """Return the geodesic length of a WGS84 lon/lat geometry, in kilometres.

    For polygons this is the perimeter of every ring, holes included (as shapely's
    ``length``); points have no length (0.0).

    Parameters
    ----------
    geom : shapely geometry
        In WGS84 lon/lat (EPSG:4326).

    Returns
    -------
    float
        Length in kilometres.

    Raises
    ------
    ValueError
        If ``geom`` is empty or its coordinates cannot be lon/lat.
    TypeError
        If ``geom`` is not a shapely geometry (e.g. None).

    Examples
    --------
    >>> from shapely import LineString, MultiLineString, Point
    >>> round(length_km(LineString([(106.0, 21.0), (106.0, 22.0)])), 3)
    110.724
    >>> round(length_km(MultiLineString([[(106, 21), (106, 21.5)], [(106, 21.5), (106, 22)]])), 3)
    110.724
    >>> length_km(Point(106.7, 21.9))
    0.0
    >>> length_km(None)
    Traceback (most recent call last):
    ...
    TypeError: geom must be a shapely geometry; got NoneType
    """
    _check_lonlat(geom)
    # Geod.geometry_length counts only the exterior ring of a polygon; the boundary has all.
    linear = shapely.boundary(geom) if _polygons(geom) else geom
    return GEOD.geometry_length(linear) / _M_PER_KM


def utm_crs(lon: float, lat: float) -> str:
    """Return the WGS84 UTM zone CRS containing a lon/lat position.

    Examples
    --------
    >>> utm_crs(106.71, 21.97)
    'EPSG:32648'
    >>> utm_crs(108.5, -6.2)
    'EPSG:32749'
    """
    zone = min(int((lon + 180.0) // 6.0) + 1, 60)
    return f"EPSG:{32600 + zone if lat >= 0 else 32700 + zone}"


def distance_m(a: BaseGeometry, b: BaseGeometry) -> float:
    """Return the shortest geodesic distance between two WGS84 lon/lat geometries, in metres.

    Between two points this is the geodesic inverse problem. Otherwise the nearest pair of
    points is found in the WGS84 UTM zone of the pair (a conformal plane; edges are first
    densified to 0.001° so they follow their lon/lat course there), then the geodesic
    distance between that pair is returned: within centimetres of the true shortest
    distance over the tens of km of the zone. Touching or overlapping geometries are
    0 m apart.

    Parameters
    ----------
    a, b : shapely geometry
        In WGS84 lon/lat (EPSG:4326).

    Returns
    -------
    float
        Distance in metres.

    Raises
    ------
    ValueError
        If a geometry is empty or its coordinates cannot be lon/lat.
    TypeError
        If a geometry is not a shapely geometry (e.g. None).

    Examples
    --------
    >>> from shapely import LineString, Point
    >>> gate, pass_ = Point(106.71112, 21.97062), Point(106.71222, 21.97639)
    >>> round(distance_m(gate, pass_), 1)  # Hữu Nghị control complex to Friendship Pass
    648.9
    >>> distance_m(gate, LineString([(106.70, 21.97062), (106.72, 21.97062)]))
    0.0
    >>> round(distance_m(Point(106.0, 21.0), LineString([(106.01, 20.9), (106.01, 21.1)])))
    1040
    """
    _check_lonlat(a, "a")
    _check_lonlat(b, "b")
    if isinstance(a, Point) and isinstance(b, Point):
        return float(GEOD.inv(a.x, a.y, b.x, b.y)[2])
    if a.intersects(b):
        return 0.0
    centre = shapely.centroid(GeometryCollection([a.envelope, b.envelope]))
    metric = utm_crs(centre.x, centre.y)
    # Edges are straight in lon/lat (as in GeoJSON) but curve in the UTM plane: densify first
    # so that the straight UTM chords follow them (a 22 km meridian edge would be 0.16 m off).
    a_metric, b_metric = (
        transform_geometry(shapely.segmentize(g, _DENSIFY_DEG), WGS84, metric) for g in (a, b)
    )
    nearest = shapely.shortest_line(a_metric, b_metric)
    (lon_a, lat_a), (lon_b, lat_b) = transform_geometry(nearest, metric, WGS84).coords
    return float(GEOD.inv(lon_a, lat_a, lon_b, lat_b)[2])


#: ``geometry_accuracy`` levels whose shape stands where the thing is (schematic ones
#: roughly). Not "illustrative": such a shape only shows that a zone exists somewhere in
#: the area. A level missing here (a new one, a typo) counts as not placed.
PLACED_ACCURACIES: Final = frozenset({"surveyed", "digitised", "schematic"})


def position_known(accuracy: object) -> bool:
    """Return whether a shape of this ``geometry_accuracy`` stands where the thing is.

    Surveyed, digitised and schematic shapes are placed (schematic ones roughly);
    an illustrative shape is not, and neither is a shape whose accuracy is missing
    or not a known level: a distance from it would be a figure nobody published.

    Examples
    --------
    >>> position_known("schematic"), position_known("illustrative"), position_known(None)
    (True, False, False)
    """
    return isinstance(accuracy, str) and accuracy in PLACED_ACCURACIES


def known_distance_m(
    geom: BaseGeometry, accuracy: object, targets: Iterable[tuple[BaseGeometry, object]]
) -> float | None:
    """Return the geodesic distance to the nearest target, or None when it is not known.

    It is not known when ``geom``'s position is not known, when there is no target,
    or when any target's position is not known (that target could be the nearest).
    The rule does not care what the targets are (a gate, every expressway).

    Parameters
    ----------
    geom : shapely geometry
        In WGS84 lon/lat.
    accuracy : str or None
        ``geometry_accuracy`` of ``geom``.
    targets : iterable of (geometry, accuracy)
        The candidates, each with its own ``geometry_accuracy``.

    Returns
    -------
    float or None
        Metres to the nearest target (see :func:`distance_m`), or None.

    Examples
    --------
    >>> from shapely import Point
    >>> gate = (Point(106.71112, 21.97062), "digitised")
    >>> round(known_distance_m(Point(106.71222, 21.97639), "schematic", [gate]), 1)
    648.9
    >>> known_distance_m(Point(106.71222, 21.97639), "illustrative", [gate]) is None
    True
    >>> known_distance_m(Point(106.7, 21.9), "schematic", [(Point(106.7, 22.0), "illustrative")])
    >>> known_distance_m(Point(106.7, 21.9), "surveyed", []) is None
    True
    """
    if not position_known(accuracy):
        return None
    targets = list(targets)
    if not targets or not all(position_known(acc) for _, acc in targets):
        return None
    return min(distance_m(geom, target) for target, _ in targets)

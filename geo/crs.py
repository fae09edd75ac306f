"""Coordinate reference systems: VN-2000 and WGS84, and the one datum shift between them.

Vietnamese plans and surveys are drawn in VN-2000, whose datum differs from WGS84 by about
224 m at Hữu Nghị. The official 7-parameter shift (Decision 05/2007/QĐ-BTNMT) is the EPSG
operation 6960 "VN-2000 to WGS 84 (2)"; :func:`transformer` uses exactly that operation whenever
one side of a transformation is VN-2000 and the other is not, and refuses otherwise. PROJ's
other candidate (EPSG:5194, a Mekong-delta set) and ballpark (null) shifts are never used.

Examples
--------
>>> t = transformer(WGS84, VN2000_TM3_LANG_SON)
>>> e, n = t.transform(106.71222, 21.97639)  # Friendship Pass, lon/lat
>>> round(e, 1), round(n, 1)
(444268.4, 2431151.1)
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from typing import Any

import geopandas
import numpy as np
import pyproj
import shapely
from pyproj.exceptions import CRSError as ProjCRSError
from pyproj.exceptions import ProjError
from pyproj.transformer import TransformerGroup
from shapely.geometry.base import BaseGeometry

from geo.errors import CRSError

__all__ = [
    "VN2000_GEOGRAPHIC",
    "VN2000_TM3_LANG_SON",
    "VN2000_TO_WGS84",
    "VN2000_UTM_48N",
    "WGS84",
    "WGS84_UTM_48N",
    "describe",
    "is_geographic",
    "is_vn2000",
    "operation_name",
    "parse_geojson_crs",
    "to_wgs84",
    "transform_geometry",
    "transformer",
    "valid_bounds",
]

WGS84 = "EPSG:4326"
"""WGS 84 geographic; always used in lon/lat order here (``always_xy``)."""
WGS84_UTM_48N = "EPSG:32648"
"""WGS 84 / UTM zone 48N: a metric CRS for WGS84 work around Lạng Sơn (102°–108° E)."""
VN2000_GEOGRAPHIC = "EPSG:4756"
"""VN-2000 geographic."""
VN2000_UTM_48N = "EPSG:3405"
"""VN-2000 / UTM zone 48N."""
VN2000_TM3_LANG_SON = "EPSG:9215"
"""VN-2000 / TM-3 107-15: Lạng Sơn's provincial zone (central meridian 107°15′ E, k0 0.9999)."""
VN2000_TO_WGS84 = "EPSG:6960"
"""VN-2000 to WGS 84 (2): the 7 parameters of Decision 05/2007/QĐ-BTNMT."""

_VN2000_DATUM = {"authority": "EPSG", "code": 6756}
_VN2000_TO_WGS84_CODE = int(VN2000_TO_WGS84.split(":")[1])
_VN2000_TO_WGS84_AUTHORITIES = {"EPSG", "INVERSE(EPSG)"}
_EXAMPLE_CRS_MEMBER = (
    '"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}} '
    'for WGS84 lon/lat, or "urn:ogc:def:crs:EPSG::9215" for VN-2000 / TM-3 107-15 (Lạng Sơn)'
)
_CRS84_NAMES = {
    "urn:ogc:def:crs:ogc:1.3:crs84",
    "urn:ogc:def:crs:ogc::crs84",
    "http://www.opengis.net/def/crs/ogc/1.3/crs84",
    "ogc:crs84",
    "crs84",
}
_EPSG_NAME = re.compile(
    r"^(?:urn:ogc:def:crs:epsg:[0-9.]*:|http://www\.opengis\.net/def/crs/epsg/[0-9.]+/|epsg:)"
    r"(\d+)$"
)
# How far (degrees) coordinates may stray outside a CRS's published area of use before
# valid_bounds calls them wrong: generous, because the check hunts swapped or mislabelled
# coordinates (hundreds of km off), not features near a zone edge.
_AREA_OF_USE_MARGIN_DEG = 1.0


def parse_geojson_crs(doc: Mapping[str, Any], file: str) -> str:
    """Return the CRS declared by a GeoJSON document's legacy ``crs`` member.

    Parameters
    ----------
    doc : Mapping
        The parsed GeoJSON document.
    file : str
        The file name, used in error messages.

    Returns
    -------
    str
        ``"EPSG:<code>"``. ``CRS84`` and ``EPSG:4326`` both give ``"EPSG:4326"``: GeoJSON
        coordinates are lon/lat in either case and this package always works in lon/lat
        (``always_xy``).

    Raises
    ------
    CRSError
        When the member is missing (a VN-2000 file read as WGS84 is ~200 m off, so no default
        is assumed), malformed, or names a CRS PROJ does not know or that is neither
        geographic nor projected.

    Examples
    --------
    >>> parse_geojson_crs(
    ...     {"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::9215"}}}, "a"
    ... )
    'EPSG:9215'
    >>> parse_geojson_crs({"crs": "urn:ogc:def:crs:OGC:1.3:CRS84"}, "a")
    'EPSG:4326'
    >>> parse_geojson_crs({}, "zones.geojson")
    Traceback (most recent call last):
    ...
    geo.errors.CRSError: zones.geojson has no 'crs' member; GeoJSON here must declare its CRS, ...
    """
    if "crs" not in doc:
        raise CRSError(
            f"{file} has no 'crs' member; GeoJSON here must declare its CRS, "
            f"e.g. {_EXAMPLE_CRS_MEMBER}"
        )
    member = doc["crs"]
    name: object = member
    if isinstance(member, Mapping):
        properties = member.get("properties")
        name = properties.get("name") if isinstance(properties, Mapping) else None
        if member.get("type") != "name":
            name = None
    if not isinstance(name, str):
        shown = json.dumps(member, ensure_ascii=False)
        raise CRSError(
            f"{file}: the 'crs' member {shown} is not understood; expected a named CRS, "
            f"e.g. {_EXAMPLE_CRS_MEMBER}"
        )
    key = name.strip().lower()
    if key in _CRS84_NAMES:
        return WGS84
    match = _EPSG_NAME.match(key)
    if match is None:
        raise CRSError(
            f"{file}: the 'crs' member names {name!r}; expected an EPSG or OGC CRS84 name, "
            f"e.g. {_EXAMPLE_CRS_MEMBER}"
        )
    code = f"EPSG:{int(match.group(1))}"
    try:
        crs = pyproj.CRS.from_user_input(code)
    except ProjCRSError as exc:
        raise CRSError(f"{file}: the 'crs' member names {name!r}, unknown to PROJ ({exc})") from exc
    if not (crs.is_geographic or crs.is_projected) or len(crs.axis_info) != 2:
        raise CRSError(
            f"{file}: the 'crs' member names {name!r} ({crs.name}); expected a 2D geographic "
            "or projected CRS"
        )
    return code


def is_vn2000(crs: str) -> bool:
    """Tell whether a CRS is based on the VN-2000 datum.

    Examples
    --------
    >>> is_vn2000(VN2000_TM3_LANG_SON), is_vn2000(VN2000_UTM_48N), is_vn2000(WGS84)
    (True, True, False)
    """
    datum = pyproj.CRS.from_user_input(crs).datum
    return datum is not None and datum.to_json_dict().get("id") == _VN2000_DATUM


def is_geographic(crs: str) -> bool:
    """Tell whether a CRS is geographic (x is longitude, y latitude, in degrees).

    Examples
    --------
    >>> is_geographic(VN2000_GEOGRAPHIC), is_geographic(VN2000_TM3_LANG_SON)
    (True, False)
    """
    return bool(pyproj.CRS.from_user_input(crs).is_geographic)


def describe(crs: str) -> str:
    """Return a CRS code with its name, for messages.

    Examples
    --------
    >>> describe(VN2000_TM3_LANG_SON)
    'EPSG:9215 (VN-2000 / TM-3 107-15)'
    """
    return f"{crs} ({pyproj.CRS.from_user_input(crs).name})"


def _uses_vn2000_to_wgs84(node: object) -> bool:
    """Tell whether a PROJJSON operation tree contains EPSG:6960, forward or inverse.

    PROJ labels the reversed operation with the authority ``INVERSE(EPSG)``.
    """
    if isinstance(node, Mapping):
        ids = [node.get("id"), *node.get("ids", ())]
        if any(
            isinstance(i, Mapping)
            and i.get("authority") in _VN2000_TO_WGS84_AUTHORITIES
            and i.get("code") == _VN2000_TO_WGS84_CODE
            for i in ids
        ):
            return True
        return any(_uses_vn2000_to_wgs84(v) for v in node.values())
    if isinstance(node, list):
        return any(_uses_vn2000_to_wgs84(v) for v in node)
    return False


@functools.lru_cache(maxsize=64)
def _operation(source_crs: str, target_crs: str) -> tuple[str, str]:
    """Choose the operation between two CRSs; return its PROJ pipeline and its name."""
    try:
        src = pyproj.CRS.from_user_input(source_crs)
        dst = pyproj.CRS.from_user_input(target_crs)
    except ProjCRSError as exc:
        raise CRSError(f"unknown CRS in {source_crs!r} -> {target_crs!r}: {exc}") from exc
    group = TransformerGroup(src, dst, always_xy=True)
    candidates = list(group.transformers)
    if is_vn2000(source_crs) != is_vn2000(target_crs):
        candidates = [t for t in candidates if _uses_vn2000_to_wgs84(t.to_json_dict())]
        if not candidates:
            missing = [
                op.name
                for op in group.unavailable_operations
                if _uses_vn2000_to_wgs84(op.to_json_dict())
            ]
            offered = "; ".join(t.description for t in group.transformers) or "none"
            reason = (
                f"it is known but unavailable ({', '.join(missing)})"
                if missing
                else f"PROJ offers only: {offered}"
            )
            raise CRSError(
                f"cannot transform {describe(source_crs)} -> {describe(target_crs)} through "
                f"{VN2000_TO_WGS84} (VN-2000 to WGS 84, QĐ 05/2007/QĐ-BTNMT): {reason}"
            )
    candidates = [t for t in candidates if "ballpark" not in t.description.lower()]
    if not candidates:
        raise CRSError(
            f"PROJ has no usable (non-ballpark) operation for "
            f"{describe(source_crs)} -> {describe(target_crs)}"
        )
    return candidates[0].definition, candidates[0].description


def operation_name(source_crs: str, target_crs: str) -> str:
    """Return the name of the operation :func:`transformer` uses between two CRSs.

    Examples
    --------
    >>> operation_name(VN2000_TM3_LANG_SON, WGS84)
    'Inverse of Vietnam TM-3 107-15 + VN-2000 to WGS 84 (2) + axis order change (2D)'
    """
    return _operation(source_crs, target_crs)[1]


@functools.lru_cache(maxsize=64)
def transformer(source_crs: str, target_crs: str) -> pyproj.Transformer:
    """Return the transformer between two CRSs, in x/y (lon/lat) order.

    When exactly one side is VN-2000-based, the transformer goes through EPSG:6960 (the
    official 7 parameters) and nothing else. Between two VN-2000 CRSs no datum shift is
    needed and PROJ's best operation is used. Ballpark (null-shift) operations are refused.
    Transformers are cached by their CRS strings and are safe to share between threads
    (the app serves sessions from several): the operation chosen from PROJ's
    ``TransformerGroup`` is rebuilt from its PROJ pipeline, because the group's own
    transformers are not thread-safe. :func:`operation_name` gives the operation's name.

    Parameters
    ----------
    source_crs, target_crs : str
        Anything ``pyproj.CRS.from_user_input`` accepts, e.g. ``"EPSG:9215"``.

    Returns
    -------
    pyproj.Transformer
        Input and output in x/y order (longitude first), as ``always_xy=True``.

    Raises
    ------
    CRSError
        When a CRS is unknown, EPSG:6960 is not among the operations PROJ can use, or the
        only operation is a ballpark one.

    Examples
    --------
    >>> t = transformer(VN2000_TM3_LANG_SON, WGS84)
    >>> lon, lat = t.transform(444268.4, 2431151.1)
    >>> round(lon, 5), round(lat, 5)
    (106.71222, 21.97639)
    """
    # Not through PROJJSON: an inverse operation (WGS84 -> VN-2000) read back from its
    # PROJJSON runs forward, ~450 m off. The PROJ pipeline string keeps the direction.
    return pyproj.Transformer.from_pipeline(_operation(source_crs, target_crs)[0])


def transform_geometry(geom: BaseGeometry, source_crs: str, target_crs: str) -> BaseGeometry:
    """Transform one shapely geometry between CRSs through :func:`transformer`.

    Z coordinates are dropped (the result is 2D).

    Examples
    --------
    >>> from shapely import Point
    >>> p = transform_geometry(Point(106.71222, 21.97639), WGS84, VN2000_TM3_LANG_SON)
    >>> round(p.x, 1), round(p.y, 1)
    (444268.4, 2431151.1)
    >>> transform_geometry(Point(), WGS84, VN2000_TM3_LANG_SON).is_empty
    True
    """
    return _transform_array(np.asarray([geom], dtype=object), source_crs, target_crs)[0]


def _transform_array(geoms: np.ndarray, source_crs: str, target_crs: str) -> np.ndarray:
    """Transform an array of shapely geometries; PROJ failures become :class:`CRSError`."""
    t = transformer(source_crs, target_crs)

    def apply(xy: np.ndarray) -> np.ndarray:
        x, y = t.transform(xy[:, 0], xy[:, 1], errcheck=True)
        return np.column_stack([x, y])

    try:
        return shapely.transform(geoms, apply)
    except ProjError as exc:
        raise CRSError(f"transforming {source_crs} -> {target_crs} failed: {exc}") from exc


def to_wgs84(gdf: geopandas.GeoDataFrame) -> geopandas.GeoDataFrame:
    """Return a copy of ``gdf`` in WGS84 (EPSG:4326), transformed through :func:`transformer`.

    ``GeoDataFrame.to_crs`` is not used because it lets PROJ choose the operation; here a
    VN-2000 frame always goes through EPSG:6960.

    Raises
    ------
    CRSError
        When ``gdf`` has no CRS ("naive" geometries cannot be transformed) or the transform
        fails.

    Examples
    --------
    >>> from shapely import Point
    >>> gdf = geopandas.GeoDataFrame(geometry=[Point(444268.4, 2431151.1)], crs="EPSG:9215")
    >>> p = to_wgs84(gdf).geometry.iloc[0]
    >>> round(p.x, 5), round(p.y, 5)
    (106.71222, 21.97639)
    """
    if gdf.crs is None:
        raise CRSError(
            "Cannot transform naive geometries: the GeoDataFrame has no CRS. "
            "Set the CRS the coordinates are in with gdf.set_crs(...) first."
        )
    out = gdf.copy()
    if gdf.crs.equals(pyproj.CRS.from_user_input(WGS84), ignore_axis_order=True):
        return out.set_crs(WGS84, allow_override=True)
    source = gdf.crs.to_string()
    name = gdf.geometry.name
    moved = _transform_array(np.asarray(gdf.geometry.array, dtype=object), source, WGS84)
    out[name] = geopandas.GeoSeries(moved, index=gdf.index, crs=WGS84)
    return out.set_geometry(name, crs=WGS84)


def valid_bounds(crs: str) -> tuple[float, float, float, float]:
    """Return the box, in the CRS's own x/y, that coordinates declared in ``crs`` must lie in.

    It is the CRS's published area of use widened by one degree, so coordinates in the
    wrong units or order (lon/lat in a file declaring a projected CRS, northing/easting
    swapped) fall outside it. For a geographic CRS x is longitude.

    Examples
    --------
    >>> valid_bounds(WGS84)
    (-180.0, -90.0, 180.0, 90.0)
    >>> xmin, ymin, xmax, ymax = valid_bounds(VN2000_TM3_LANG_SON)
    >>> xmin < 444268.4 < xmax and ymin < 2431151.1 < ymax
    True
    >>> xmin < 106.7 < xmax
    False
    """
    return _valid_bounds(crs)


@functools.lru_cache(maxsize=64)
def _valid_bounds(crs: str) -> tuple[float, float, float, float]:
    area = pyproj.CRS.from_user_input(crs).area_of_use
    west, south, east, north = (-180.0, -90.0, 180.0, 90.0) if area is None else area.bounds
    m = _AREA_OF_USE_MARGIN_DEG
    west, south = max(west - m, -180.0), max(south - m, -90.0)
    east, north = min(east + m, 180.0), min(north + m, 90.0)
    if is_geographic(crs):
        return (float(west), float(south), float(east), float(north))
    # The edges are densified because they curve once projected.
    edges = shapely.segmentize(shapely.box(west, south, east, north), 0.05)
    xmin, ymin, xmax, ymax = transform_geometry(edges, WGS84, crs).bounds
    return (float(xmin), float(ymin), float(xmax), float(ymax))

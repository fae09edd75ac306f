"""The source CRS of a read layer, as ``EPSG:N``: declared, identified, or asked for.

A planner's file declares its CRS as an EPSG code, a ``.prj`` WKT (often ESRI's, without an
EPSG id), a GeoJSON ``crs`` member, or not at all. :func:`resolve_crs` turns that into one
EPSG code, because :func:`geo.crs.transformer` must see the datum to send VN-2000 through
EPSG:6960: a PROJ string or an unnamed datum would let PROJ drop the ~224 m shift. So:

- an EPSG-identified CRS is used as is (``EPSG:9215``, ``EPSG:4326``, ``EPSG:32648`` …);
- a WKT on the VN-2000 datum without an id is identified by its projection parameters among
  the VN-2000 CRSs (:data:`VN2000_CRSS`: geographic, UTM 48N/49N, every TM-3 zone);
- a transverse Mercator with VN-2000 TM-3 parameters (k 0.9999, x_0 500 000) on the WGS 84
  datum, or on no named datum, is *probably VN-2000*: a ``datum`` question, never imported;
- anything else without an EPSG code, and a file without any CRS, is a ``crs`` question that
  says what the numbers look like (:func:`describe_numbers`); nothing is guessed.

Examples
--------
>>> identify("+proj=tmerc +lon_0=107.25 +k=0.9999 +x_0=500000 +ellps=WGS84").kind
'datum'
>>> identify(pyproj.CRS.from_epsg(9215).to_wkt("WKT1_ESRI")).crs
'EPSG:9215'
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

import geopandas
import numpy as np
import pyproj
import shapely
from pyproj.exceptions import CRSError as ProjCRSError

from geo.crs import VN2000_TM3_LANG_SON, WGS84, describe, transformer
from geo.errors import CRSError
from geo.importing import area
from geo.importing.model import ImportOptions, ImportProblem, Question, RawLayer

__all__ = [
    "VN2000_CRSS",
    "CrsResolution",
    "Identified",
    "describe_numbers",
    "identify",
    "parse_option",
    "resolve_crs",
    "sample_xy",
]

#: Every VN-2000 CRS an import recognises without an EPSG id (geographic, UTM 48N/49N, the
#: TM-3 zones of QĐ 973/2001/TT-TCĐC and the provincial zones, Lạng Sơn's 9215 among them).
VN2000_CRSS: Final = (4756, 3405, 3406, *range(5896, 5900), *range(9205, 9219))
#: Coordinates sampled to describe a file's numbers or decide its axis order.
SAMPLE_POINTS: Final = 5000
_EPSG_OPTION = re.compile(r"^EPSG:(\d+)$", re.IGNORECASE)
_VN2000_DATUM_CODE = 6756
_WGS84_DATUM_CODE = 6326
# VN-2000 to WGS 84 (2), EPSG:6960, as PROJ writes it in +towgs84 (position vector).
_VN2000_TOWGS84 = (-191.90441429, -39.30318279, -111.45032835, -0.00928836, 0.01975479)
_TM3_SCALE = 0.9999
_PARAM_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Identified:
    """What a declared CRS turned out to be.

    Attributes
    ----------
    kind : {"epsg", "datum", "crs"}
        ``epsg``: usable as :attr:`crs`; ``datum``: VN-2000 parameters on the WGS 84 datum
        (ask); ``crs``: not identifiable (ask).
    crs : str or None
        ``EPSG:N`` when ``kind`` is ``epsg``; else the code to suggest, if any.
    name : str
        The declared CRS's own name, for messages.
    """

    kind: str
    crs: str | None
    name: str


@dataclass(frozen=True)
class CrsResolution:
    """The CRS to read a layer's coordinates in, or why it is not known yet.

    Attributes
    ----------
    crs : str or None
        ``EPSG:N``; None while a question is open or the planner's answer is unusable.
    questions, problems : list
        What the planner must answer, and what is wrong (an unusable ``--crs``).
    """

    crs: str | None
    questions: list[Question] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)


def parse_option(text: str) -> str:
    """Return a planner's ``--crs`` answer as ``EPSG:N``, refusing what cannot be used.

    Raises
    ------
    CRSError
        When it is not ``EPSG:N``, unknown to PROJ, or not a 2D geographic or projected CRS.

    Examples
    --------
    >>> parse_option("epsg:9215")
    'EPSG:9215'
    >>> parse_option("+proj=tmerc +lon_0=107.25")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    geo.errors.CRSError: expected a CRS as EPSG:N (e.g. EPSG:9215 ...); found '+proj=tmerc ...'
    """
    match = _EPSG_OPTION.match(text.strip())
    if match is None:
        raise CRSError(
            "expected a CRS as EPSG:N (e.g. EPSG:9215 for VN-2000 / TM-3 107-15, EPSG:4326 "
            f"for WGS 84 degrees); found {text!r}"
        )
    code = f"EPSG:{int(match.group(1))}"
    try:
        crs = pyproj.CRS.from_user_input(code)
    except ProjCRSError:
        raise CRSError(f"{code} is not a CRS PROJ knows") from None
    if not (crs.is_geographic or crs.is_projected) or len(crs.axis_info) != 2:
        raise CRSError(f"{code} ({crs.name}) is not a 2D geographic or projected CRS")
    return code


def _datum_of(crs: pyproj.CRS) -> str:
    """Return ``vn2000``, ``wgs84``, ``wgs84-ellipsoid`` (no datum named) or ``other``."""
    if crs.is_bound:
        params = _towgs84(crs)
        if params is not None and _close(params[:5], _VN2000_TOWGS84, 1e-4):
            return "vn2000"
        return "other"
    datum = crs.datum
    if datum is None:
        return "other"
    ident = datum.to_json_dict().get("id") or {}
    code = ident.get("code") if ident.get("authority") == "EPSG" else None
    name = re.sub(r"[^a-z0-9]", "", datum.name.lower())
    if code == _VN2000_DATUM_CODE or "vietnam2000" in name or "vn2000" in name:
        return "vn2000"
    if code == _WGS84_DATUM_CODE or name in ("dwgs1984", "wgs1984", "worldgeodeticsystem1984"):
        return "wgs84"
    ellipsoid = crs.ellipsoid
    if name.startswith("unknown") and ellipsoid is not None and "WGS 84" in ellipsoid.name:
        return "wgs84-ellipsoid"
    return "other"


def _towgs84(crs: pyproj.CRS) -> tuple[float, ...] | None:
    """Return a bound CRS's Helmert parameters (translations, rotations, scale), else None."""
    op = crs.coordinate_operation
    if op is None or "translation" not in " ".join(p.name.lower() for p in op.params):
        return None
    return tuple(float(p.value) for p in op.params)


def _close(a: Sequence[float], b: Sequence[float], tolerance: float) -> bool:
    return len(a) == len(b) and all(
        math.isclose(x, y, abs_tol=tolerance) for x, y in zip(a, b, strict=True)
    )


def _tmerc(crs: pyproj.CRS) -> tuple[float, float, float, float, float] | None:
    """Return (lat_0, lon_0, k, x_0, y_0) of a transverse Mercator CRS in metres, else None."""
    base = crs.source_crs if crs.is_bound and crs.source_crs is not None else crs
    op = base.coordinate_operation if base.is_projected else None
    if op is None or "transverse mercator" not in op.method_name.lower():
        return None
    if base.axis_info[0].unit_name not in ("metre", "meter"):
        return None
    values = {p.name.lower(): p.value for p in op.params}
    try:
        return (
            values["latitude of natural origin"],
            values["longitude of natural origin"],
            values["scale factor at natural origin"],
            values["false easting"],
            values["false northing"],
        )
    except KeyError:
        return None


def _vn2000_match(params: tuple[float, ...]) -> int | None:
    """Return the VN-2000 projected CRS with these transverse Mercator parameters."""
    for code in VN2000_CRSS:
        known = _tmerc(pyproj.CRS.from_epsg(code))
        if known is not None and _close(params, known, _PARAM_TOLERANCE):
            return code
    return None


def identify(declared: pyproj.CRS | str) -> Identified:
    """Tell what a declared CRS is: an EPSG code to use, or the question to ask.

    Examples
    --------
    >>> identify("EPSG:4326").crs
    'EPSG:4326'
    >>> identify("+proj=tmerc +lon_0=107.25 +k=0.9999 +x_0=500000 +datum=WGS84").crs
    'EPSG:9215'
    >>> identify("+proj=tmerc +lon_0=111.5 +k=0.99 +x_0=0 +ellps=intl").kind
    'crs'
    >>> identify("EPSG:9215+5773").crs  # VN-2000 / TM-3 107-15 + EGM96 height
    'EPSG:9215'
    """
    crs = declared if isinstance(declared, pyproj.CRS) else pyproj.CRS.from_user_input(declared)
    name = crs.name or "unnamed"
    if crs.is_compound and crs.sub_crs_list:
        crs = crs.sub_crs_list[0]  # the horizontal part; heights are dropped as Z
    datum = _datum_of(crs)
    params = _tmerc(crs)
    vn_code = _vn2000_match(params) if params is not None else None
    if vn_code is not None and datum == "vn2000":
        return Identified("epsg", f"EPSG:{vn_code}", name)
    if vn_code is not None and math.isclose(params[2], _TM3_SCALE) and datum != "vn2000":
        # TM-3 parameters are VN-2000's alone; on WGS 84 they are a mislabelled datum.
        return Identified("datum", f"EPSG:{vn_code}", name)
    if vn_code is not None and datum == "wgs84-ellipsoid":
        return Identified("datum", f"EPSG:{vn_code}", name)  # UTM with no datum named
    if crs.is_geographic and datum == "vn2000" and not crs.is_bound:
        return Identified("epsg", "EPSG:4756", name)
    if crs.is_geographic and crs.equals(pyproj.CRS.from_user_input(WGS84), ignore_axis_order=True):
        return Identified("epsg", WGS84, name)
    if datum in ("wgs84-ellipsoid", "other") and crs.is_bound:
        return Identified("crs", None, name)
    code = crs.to_epsg(min_confidence=70)
    if code is not None:
        found = pyproj.CRS.from_epsg(code)
        same_datum = _datum_of(found) == datum or (datum == "other" and crs.to_epsg() == code)
        if same_datum and (found.is_geographic or found.is_projected):
            return Identified("epsg", f"EPSG:{code}", name)
    return Identified("crs", None, name)


def sample_xy(frame: geopandas.GeoDataFrame, limit: int = SAMPLE_POINTS) -> np.ndarray:
    """Return up to ``limit`` finite (x, y) coordinates of a frame, spread over its features.

    Examples
    --------
    >>> from shapely import LineString, Point
    >>> gdf = geopandas.GeoDataFrame(geometry=[Point(1, 2), LineString([(3, 4), (5, 6)]), None])
    >>> sample_xy(gdf).tolist()
    [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
    """
    geoms = np.asarray(frame.geometry.array, dtype=object)
    if len(geoms) > limit:
        geoms = geoms[np.linspace(0, len(geoms) - 1, limit).astype(int)]
    xy = shapely.get_coordinates(geoms)
    xy = xy[np.isfinite(xy).all(axis=1)]
    if len(xy) > limit:
        xy = xy[np.linspace(0, len(xy) - 1, limit).astype(int)]
    return xy


def share_inside(xy: np.ndarray, crs: str) -> float:
    """Return the share of (x, y) points that land in the import area when read in ``crs``.

    Examples
    --------
    >>> share_inside(np.array([[444268.4, 2431151.1]]), "EPSG:9215")
    1.0
    >>> share_inside(np.array([[2431151.1, 444268.4]]), "EPSG:9215")
    0.0
    """
    if len(xy) == 0:
        return 0.0
    if crs == WGS84:
        lonlat = xy
    else:
        with np.errstate(all="ignore"):
            lon, lat = transformer(crs, WGS84).transform(xy[:, 0], xy[:, 1])
        lonlat = np.column_stack([lon, lat])
    return float(area.inside(lonlat).mean())


#: The CRSs a file without one is compared with, in order, and how its numbers then read.
_NUMBER_CANDIDATES: Final = (
    (WGS84, "degrees (longitude, latitude) that fall on Lạng Sơn"),
    (VN2000_TM3_LANG_SON, "metres that fit Lạng Sơn's VN-2000 TM-3 107°15′ zone"),
    ("EPSG:3405", "metres that fit UTM zone 48N (VN-2000 EPSG:3405, or WGS 84 EPSG:32648)"),
    ("EPSG:3857", "Web Mercator metres that fall on Lạng Sơn"),
)
_SHARE_FITS = 0.9


def describe_numbers(xy: np.ndarray) -> tuple[str, str | None]:
    """Say what coordinates without a CRS look like, and which CRS to suggest (or None).

    Both axis orders are tried (X = northing in Vietnamese surveys).

    Examples
    --------
    >>> describe_numbers(np.array([[2431151.1, 444268.4]]))[1]
    'EPSG:9215'
    >>> describe_numbers(np.array([[106.71, 21.97]]))
    ('degrees (longitude, latitude) that fall on Lạng Sơn', 'EPSG:4326')
    >>> describe_numbers(np.array([[5.0e6, 9.0e6]]))[1] is None
    True
    """
    for crs, what in _NUMBER_CANDIDATES:
        if share_inside(xy, crs) >= _SHARE_FITS:
            return what, crs
        if share_inside(xy[:, ::-1], crs) >= _SHARE_FITS:
            return f"{what}, written northing (latitude) first", crs
    if len(xy) == 0:
        return "no coordinates at all", None
    (xmin, ymin), (xmax, ymax) = xy.min(axis=0), xy.max(axis=0)
    return (
        f"numbers from {xmin:.6g}, {ymin:.6g} to {xmax:.6g}, {ymax:.6g}, which fit none of "
        "WGS 84 degrees, VN-2000 TM-3 107°15′ or UTM 48N metres, or Web Mercator on Lạng Sơn",
        None,
    )


def resolve_crs(layer: RawLayer, options: ImportOptions) -> CrsResolution:
    """Return the CRS of a layer's coordinates, from the planner's answer or the file.

    Parameters
    ----------
    layer : RawLayer
        The layer as read (``frame.crs``, else ``crs_text``, is what the file declared).
    options : ImportOptions
        ``options.crs`` (``--crs``) overrides whatever the file declares.
    """
    if options.crs:
        try:
            return CrsResolution(parse_option(options.crs))
        except CRSError as exc:
            return CrsResolution(
                None, problems=[ImportProblem(layer.file, None, None, "crs", str(exc))]
            )
    declared = layer.frame.crs
    if declared is None and layer.crs_text:
        try:
            declared = pyproj.CRS.from_user_input(layer.crs_text)
        except ProjCRSError as exc:
            message = (
                f"the declared CRS is not understood ({exc}); choose the CRS with --crs EPSG:N"
            )
            return CrsResolution(None, [Question("crs", f"{layer.file}: {message}", None)])
    if declared is None:
        what, suggestion = describe_numbers(sample_xy(layer.frame))
        message = f"{layer.file} declares no CRS; its coordinates look like {what}."
        return CrsResolution(None, [Question("crs", message, suggestion)])
    found = identify(declared)
    if found.kind == "epsg" and found.crs is not None:
        return CrsResolution(found.crs)
    if found.kind == "datum":
        message = (
            f"{layer.file}: the declared CRS {found.name!r} has the projection parameters of "
            f"{describe(found.crs or VN2000_TM3_LANG_SON)} but no VN-2000 datum (WGS 84 or "
            "none named): probably VN-2000 mislabelled; read as declared it would be ~200 m "
            f"off. Answer --crs {found.crs} if the survey is VN-2000."
        )
        return CrsResolution(None, [Question("datum", message, found.crs)])
    what, suggestion = describe_numbers(sample_xy(layer.frame))
    message = (
        f"{layer.file}: the declared CRS {found.name!r} has no EPSG code this import can use "
        f"safely (a datum PROJ could not name would be ignored); its coordinates look like "
        f"{what}. Choose the CRS with --crs EPSG:N."
    )
    return CrsResolution(None, [Question("crs", message, suggestion)])

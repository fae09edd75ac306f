"""Cutting lines by length, in metres, for drawing the open part of a road.

Lengths are measured in UTM zone 48N on WGS84 (EPSG:32648), a metric CRS whose
scale error over Lạng Sơn is below 0.1 %: well within what a schematic
alignment can claim, and never in degrees.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, MultiLineString
from shapely.geometry.base import BaseGeometry
from shapely.ops import substring

METRIC_CRS = "EPSG:32648"


@cache
def _to_metric() -> Transformer:
    return Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)


@cache
def _to_wgs84() -> Transformer:
    return Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)


def _project(geom: BaseGeometry, transformer: Transformer) -> BaseGeometry:
    return shapely.transform(
        geom, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
    )


def _parts(geom: BaseGeometry) -> list[LineString]:
    if isinstance(geom, LineString):
        return [geom]
    if isinstance(geom, MultiLineString):
        return list(geom.geoms)
    raise TypeError(f"expected a LineString or MultiLineString, got {geom.geom_type}")


def split_by_fraction(
    line: BaseGeometry, fraction: float
) -> tuple[MultiLineString | None, MultiLineString | None]:
    """Split a WGS84 line into its first ``fraction`` of length and the rest.

    The parts of a MultiLineString are taken in their stored order, as one
    chain: 50 km open of a 43 km main line plus a 16 km branch is the whole
    main line and the first 7 km of the branch.

    Parameters
    ----------
    line : LineString or MultiLineString
        A line in WGS84 lon/lat.
    fraction : float
        Share of the length, 0–1, of the first part.

    Returns
    -------
    tuple of (MultiLineString or None, MultiLineString or None)
        The first part and the rest; ``None`` for a part of zero length.

    Raises
    ------
    ValueError
        If ``fraction`` is outside 0–1 or the line is empty.

    Examples
    --------
    >>> first, rest = split_by_fraction(LineString([(106.7, 21.9), (106.8, 21.9)]), 0.0)
    >>> first is None, rest.geom_type
    (True, 'MultiLineString')
    """
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"fraction must be within 0–1, got {fraction}")
    if line.is_empty:
        raise ValueError("cannot split an empty line")
    metric = [_project(part, _to_metric()) for part in _parts(line)]
    total_m = sum(part.length for part in metric)
    cut_m = total_m * fraction
    first: list[LineString] = []
    rest: list[LineString] = []
    walked_m = 0.0
    for part in metric:
        start, end = walked_m, walked_m + part.length
        if end <= cut_m:
            first.append(part)
        elif start >= cut_m:
            rest.append(part)
        else:
            first.append(substring(part, 0.0, cut_m - start))
            rest.append(substring(part, cut_m - start, part.length))
        walked_m = end

    def _collect(parts: list[LineString]) -> MultiLineString | None:
        kept = [_project(p, _to_wgs84()) for p in parts if p.length > 0.0]
        return MultiLineString(kept) if kept else None

    return _collect(first), _collect(rest)


def simplify_m(geom: BaseGeometry, tolerance_m: float) -> BaseGeometry:
    """Simplify a WGS84 geometry with a tolerance in metres (topology preserved).

    For display only: the outline moves by at most ``tolerance_m``. Use a tolerance
    well below the data's own accuracy.

    Parameters
    ----------
    geom : BaseGeometry
        A geometry in WGS84 lon/lat.
    tolerance_m : float
        Largest distance, in metres, a vertex may be moved by.

    Returns
    -------
    BaseGeometry
        The simplified geometry, in WGS84; points come back unchanged.

    Examples
    --------
    >>> line = LineString([(106.70, 21.90), (106.75, 21.90001), (106.80, 21.90)])
    >>> len(simplify_m(line, 5.0).coords)
    2
    """
    if geom.geom_type in ("Point", "MultiPoint") or geom.is_empty:
        return geom
    metric = _project(geom, _to_metric())
    return _project(shapely.simplify(metric, tolerance_m, preserve_topology=True), _to_wgs84())

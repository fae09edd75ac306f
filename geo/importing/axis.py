"""The axis order of a layer's coordinates: easting first (``en``) or northing first (``ne``).

Vietnamese surveys write X = northing, Y = easting (in EPSG:9215 the first number is then
≈ 2.4 million and the second ≈ 0.45 million; in degrees the first is a latitude 20–24 and the
second a longitude 104–108). :func:`decide_axis` reads a sample of the coordinates both ways
in the source CRS. Swapped (``ne``) is applied only when it is certain: (nearly) all of them
land on the import area (:mod:`geo.importing.area`) swapped and (nearly) none as written.
When (nearly) none land there swapped, the file is read as written, and validation reports
each feature outside. Anything between (a file mixing both orders) is a question. The
planner's ``--axis`` always wins.

Examples
--------
>>> import numpy as np
>>> decide_axis(np.array([[2431151.1, 444268.4]]), "EPSG:9215", None, "f.shp").order
'ne'
>>> decide_axis(np.array([[106.71, 21.97]]), "EPSG:4326", None, "f.shp").order
'en'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.crs import describe
from geo.importing.crs_resolve import share_inside
from geo.importing.model import AxisOrder, Question

__all__ = ["AxisDecision", "decide_axis", "swap_axes"]

#: The share of sampled coordinates one order must put on the area, and the other at most,
#: for the order to count as certain.
CERTAIN_SHARE: Final = 0.9
UNLIKELY_SHARE: Final = 0.1


@dataclass(frozen=True)
class AxisDecision:
    """The axis order to read coordinates in, and the question when it is not certain.

    Attributes
    ----------
    order : {"en", "ne"}
        The order to convert with (``en`` while a question is open: the file as written).
    question : Question or None
        Set when the order is ambiguous.
    """

    order: AxisOrder
    question: Question | None = None


def decide_axis(xy: np.ndarray, crs: str, answer: AxisOrder | None, file: str) -> AxisDecision:
    """Decide the axis order of sampled (x, y) coordinates read in ``crs``.

    Parameters
    ----------
    xy : numpy.ndarray
        Sampled coordinates, as written in the file (``crs_resolve.sample_xy``).
    crs : str
        The source CRS, ``EPSG:N``.
    answer : {"en", "ne"} or None
        The planner's ``--axis``; None to detect.
    file : str
        The file's name, for the question.

    Examples
    --------
    >>> mixed = np.array([[444268.4, 2431151.1], [2431151.1, 444268.4]])
    >>> decision = decide_axis(mixed, "EPSG:9215", None, "lots.shp")
    >>> decision.order, decision.question.kind
    ('en', 'axis')
    >>> decide_axis(mixed, "EPSG:9215", "ne", "lots.shp").question is None
    True
    """
    if answer is not None:
        return AxisDecision(answer)
    as_written = share_inside(xy, crs)
    swapped = share_inside(xy[:, ::-1], crs) if len(xy) else 0.0
    if swapped <= UNLIKELY_SHARE:
        return AxisDecision("en")  # features outside on both readings: validation reports them
    if as_written <= UNLIKELY_SHARE and swapped >= CERTAIN_SHARE:
        return AxisDecision("ne")
    suggestion: AxisOrder = "ne" if swapped > as_written else "en"
    message = (
        f"{file}: read in {describe(crs)}, {as_written:.0%} of the sampled coordinates fall on "
        f"Lạng Sơn as written (easting/longitude first) and {swapped:.0%} with the two numbers "
        "swapped (northing/latitude first, as Vietnamese surveys write X = northing): answer "
        "--axis en or --axis ne."
    )
    return AxisDecision("en", Question("axis", message, suggestion))


def swap_axes(geoms: np.ndarray) -> np.ndarray:
    """Return geometries with x and y swapped (Z, if any, kept).

    Examples
    --------
    >>> from shapely import Point
    >>> swap_axes(np.array([Point(2431151.1, 444268.4)], dtype=object))[0].coords[0]
    (444268.4, 2431151.1)
    """

    def flip(coords: np.ndarray) -> np.ndarray:
        out = coords.copy()
        out[:, [0, 1]] = coords[:, [1, 0]]
        return out

    has_z = shapely.has_z(geoms)
    out = np.asarray(geoms, dtype=object).copy()
    for flag in (False, True):
        chosen = (has_z == flag) & ~shapely.is_missing(geoms)
        if chosen.any():
            out[chosen] = shapely.transform(geoms[chosen], flip, include_z=flag)
    return out


def swapped_geometry(geom: BaseGeometry) -> BaseGeometry:
    """Return one geometry with x and y swapped."""
    return swap_axes(np.asarray([geom], dtype=object))[0]

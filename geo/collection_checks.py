"""Checks of a whole layer file: the FeatureCollection, its CRS, each geometry and its bounds.

Each feature's properties are checked by :mod:`geo.field_checks`; this module adds the
structure of the document, the declared CRS, geometries of the layer's kind that are valid
and inside the CRS's area of use, and ids used once in the file.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.errors import ShapelyError
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo import crs as crs_mod
from geo.errors import CRSError
from geo.field_checks import feature_id_of, validate_properties
from geo.problems import MISSING, Problem, show
from geo.vocabulary import GEOMETRY_KINDS, SCHEMAS

__all__ = ["CheckedCollection", "check_feature_collection", "validate_feature_collection"]


@dataclass(frozen=True)
class CheckedCollection:
    """A FeatureCollection after validation, with what loading needs from it.

    Attributes
    ----------
    crs : str or None
        The declared CRS (``"EPSG:<code>"``), None when missing or not understood.
    geometries : tuple
        One shapely geometry per feature (None where it could not be built).
    properties : tuple
        One properties dict per feature (an empty dict where it was not an object).
    problems : tuple[Problem, ...]
        Every problem found; the collection is valid when this is empty.
    """

    crs: str | None
    geometries: tuple[BaseGeometry | None, ...]
    properties: tuple[dict[str, Any], ...]
    problems: tuple[Problem, ...]


def validate_feature_collection(
    doc: object,
    *,
    file: str,
    geometry_kind: str,
    schema: str,
    source_ids: Collection[str],
) -> list[Problem]:
    """Return every problem of a parsed GeoJSON layer document.

    Checks the FeatureCollection structure, the ``crs`` member, each feature's geometry
    (present, non-empty, of the layer's kind, valid, inside the CRS's area of use), its
    properties (:func:`validate_properties`) and that ids are unique in the file.

    Parameters
    ----------
    doc : object
        The parsed JSON document.
    file : str
        File name for the messages.
    geometry_kind : {"polygon", "line", "point"}
        The layer's geometry kind (registry).
    schema : {"project", "context"}
        The layer's schema (registry).
    source_ids : Collection[str]
        The ids of ``sources.json``.

    Returns
    -------
    list[Problem]
        Empty when the document is a valid layer.

    Examples
    --------
    >>> problems = validate_feature_collection(
    ...     {"type": "FeatureCollection", "features": []},
    ...     file="x.geojson", geometry_kind="point", schema="context", source_ids=())
    >>> print(problems[0])  # doctest: +ELLIPSIS
    x.geojson: field 'crs': expected a 'crs' member declaring the CRS, ...; found nothing (the...
    """
    return list(
        check_feature_collection(
            doc, file=file, geometry_kind=geometry_kind, schema=schema, source_ids=source_ids
        ).problems
    )


def check_feature_collection(
    doc: object,
    *,
    file: str,
    geometry_kind: str,
    schema: str,
    source_ids: Collection[str],
) -> CheckedCollection:
    """Validate a parsed GeoJSON layer and keep the geometries built on the way.

    Same checks and arguments as :func:`validate_feature_collection`, which returns only the
    problems; :func:`geo.io.read_layer` uses the geometries too, so they are built once.

    Raises
    ------
    ValueError
        When ``geometry_kind`` or ``schema`` is not a known value (a caller's bug).
    """
    if geometry_kind not in GEOMETRY_KINDS:
        raise ValueError(
            f"geometry_kind must be one of {', '.join(GEOMETRY_KINDS)}; got {geometry_kind!r}"
        )
    if schema not in SCHEMAS:
        raise ValueError(f"schema must be one of {', '.join(SCHEMAS)}; got {schema!r}")
    problems: list[Problem] = []
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        found = doc.get("type", MISSING) if isinstance(doc, dict) else doc
        problems.append(Problem(file, None, "type", "'FeatureCollection'", show(found)))
        return CheckedCollection(None, (), (), tuple(problems))
    declared = _check_crs(doc, file, problems)
    features = doc.get("features", MISSING)
    if not isinstance(features, list):
        problems.append(Problem(file, None, "features", "a list of features", show(features)))
        return CheckedCollection(declared, (), (), tuple(problems))
    bounds = crs_mod.valid_bounds(declared) if declared is not None else None
    geometries: list[BaseGeometry | None] = []
    properties: list[dict[str, Any]] = []
    first_seen: dict[str, int] = {}
    for index, feature in enumerate(features):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            found = feature.get("type", MISSING) if isinstance(feature, dict) else feature
            problems.append(Problem(file, None, "type", "'Feature'", show(found), index))
            geometries.append(None)
            properties.append({})
            continue
        props = feature.get("properties", MISSING)
        fid = feature_id_of(props)
        problems.extend(
            validate_properties(
                props, schema=schema, file=file, feature_index=index, source_ids=source_ids
            )
        )
        geom, geom_problems = _check_geometry(
            feature.get("geometry", MISSING),
            file=file,
            feature_id=fid,
            feature_index=index,
            geometry_kind=geometry_kind,
            crs=declared,
            bounds=bounds,
        )
        problems.extend(geom_problems)
        geometries.append(geom)
        properties.append(props if isinstance(props, dict) else {})
        if fid is not None:
            if fid in first_seen:
                problems.append(
                    Problem(
                        file,
                        fid,
                        "id",
                        "an id used once in the file",
                        f"{fid!r} again (first used by feature #{first_seen[fid]})",
                        index,
                    )
                )
            else:
                first_seen[fid] = index
    return CheckedCollection(declared, tuple(geometries), tuple(properties), tuple(problems))


def _check_crs(doc: Mapping[str, Any], file: str, problems: list[Problem]) -> str | None:
    try:
        return crs_mod.parse_geojson_crs(doc, file)
    except CRSError as exc:
        expected = (
            'a \'crs\' member declaring the CRS, e.g. {"type": "name", "properties": '
            '{"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}} (a file without one is refused: '
            "VN-2000 read as WGS84 is ~200 m off)"
        )
        found = show(doc.get("crs", MISSING))
        if "crs" in doc:
            found += f" ({exc})"
        problems.append(Problem(file, None, "crs", expected, found))
        return None


def _check_geometry(
    geometry: object,
    *,
    file: str,
    feature_id: str | None,
    feature_index: int,
    geometry_kind: str,
    crs: str | None,
    bounds: tuple[float, float, float, float] | None,
) -> tuple[BaseGeometry | None, list[Problem]]:
    """Build one feature's geometry and return it with its problems (geometry None if unusable)."""
    allowed = GEOMETRY_KINDS[geometry_kind]
    expected_type = f"a {' or '.join(allowed)} (the layer's geometry_kind is {geometry_kind!r})"

    def problem(expected: str, found: str) -> Problem:
        return Problem(file, feature_id, "geometry", expected, found, feature_index)

    if not isinstance(geometry, dict):
        return None, [problem(expected_type, show(geometry))]
    gtype = geometry.get("type", MISSING)
    if gtype not in allowed:
        return None, [problem(expected_type, show(gtype))]
    try:
        geom = shape(geometry)
    except (ShapelyError, ValueError, TypeError, IndexError, KeyError, AttributeError) as exc:
        coords = show(geometry.get("coordinates", MISSING))
        return None, [problem(f"well-formed {gtype} coordinates", f"{coords} ({exc})")]
    if geom.is_empty:
        return None, [problem(f"a non-empty {gtype}", f"an empty {gtype}")]
    problems: list[Problem] = []
    if not geom.is_valid:
        problems.append(problem("a valid geometry", shapely.is_valid_reason(geom)))
    if bounds is not None and crs is not None:
        problems.extend(_check_bounds(geom, crs, bounds, problem))
    return (None if problems else geom), problems


def _check_bounds(
    geom: BaseGeometry,
    crs: str,
    bounds: tuple[float, float, float, float],
    problem: Callable[[str, str], Problem],
) -> list[Problem]:
    xmin, ymin, xmax, ymax = bounds
    coords = shapely.get_coordinates(geom)
    outside = (
        (coords[:, 0] < xmin)
        | (coords[:, 0] > xmax)
        | (coords[:, 1] < ymin)
        | (coords[:, 1] > ymax)
    )
    if not outside.any():
        return []
    x, y = coords[outside.argmax()]
    if crs_mod.is_geographic(crs):
        expected = (
            f"longitude {xmin:g} to {xmax:g} and latitude {ymin:g} to {ymax:g} "
            f"(the area of use of {crs_mod.describe(crs)}, widened by 1°)"
        )
    else:
        expected = (
            f"x {xmin:.0f} to {xmax:.0f} and y {ymin:.0f} to {ymax:.0f} "
            f"(the area of use of {crs_mod.describe(crs)}, widened by 1°)"
        )
    found = f"{int(outside.sum())} coordinate(s) outside it, first ({x:g}, {y:g})"
    return [problem(expected, found)]

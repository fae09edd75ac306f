"""Reading GeoJSON: RFC 7946 (WGS 84 by definition) and the legacy ``crs`` member.

Parsed with :mod:`json` and shapely, not GDAL, as :mod:`geo.io` does: GDAL closes unclosed
rings without a word and turns nested properties into strings. A FeatureCollection, a
single Feature or a bare geometry are read; every feature becomes one row, in file order.

- CRS: without a ``crs`` member the coordinates are WGS 84 lon/lat (RFC 7946) and
  ``frame.crs`` is EPSG:4326 with ``crs_text`` None; ``CRS84`` also gives EPSG:4326; a legacy
  member naming an EPSG code (``urn:ogc:def:crs:EPSG::9215``) gives that CRS
  (:func:`geo.crs.parse_geojson_crs`), and ``crs_text`` is the member as JSON text. A member
  that cannot be understood leaves ``frame.crs`` None and asks a ``crs`` question.
- Attributes: every property, names and case as written, nested lists and objects kept;
  the feature's top-level ``id`` becomes an ``id`` column when the properties have none.
- Problems reported here (only the raw file shows them): ``unclosed-ring`` (ring, feature,
  first and last positions), ``unreadable-geometry`` (a geometry shapely cannot build; the
  row keeps a null geometry), ``unreadable-feature`` (an item that is not a Feature
  object, or properties that are not an object).
- Left to the pipeline, which checks them for every format from the frame: null and empty
  geometries, GeometryCollections, Z values, invalid geometries.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

import shapely
import shapely.errors
import shapely.geometry
from shapely.geometry.base import BaseGeometry

from geo.crs import WGS84, parse_geojson_crs
from geo.errors import CRSError
from geo.importing.limits import LIMITS, Limits
from geo.importing.model import ImportFileError, ImportProblem, Question, RawLayer, display_name
from geo.importing.normalise import feature_label, make_frame, nfc
from geo.importing.read_rules import UNCLOSED_RING, UNREADABLE_FEATURE, UNREADABLE_GEOMETRY
from geo.importing.rings import unclosed_rings

__all__ = ["read_geojson"]

_GEOMETRY_TYPES: Final = frozenset(
    {
        "Point",
        "MultiPoint",
        "LineString",
        "MultiLineString",
        "Polygon",
        "MultiPolygon",
        "GeometryCollection",
    }
)


def read_geojson(path: Path, data: bytes, limits: Limits = LIMITS) -> list[RawLayer]:
    r"""Read a GeoJSON file's bytes into one :class:`RawLayer`.

    Parameters
    ----------
    path : Path
        The file (for its name in messages and the layer name).
    data : bytes
        Its content.
    limits : Limits
        ``max_features`` is checked before any geometry is built.

    Raises
    ------
    ImportFileError
        When the file is not UTF-8, not JSON (e.g. truncated), not GeoJSON, or has more
        features than the limit.

    Examples
    --------
    >>> doc = b'{"type": "Feature", "id": "KTC-01", "properties": {"Ten": "T\xc3\xa2n"},'
    >>> doc += b' "geometry": {"type": "Point", "coordinates": [106.71222, 21.97639]}}'
    >>> [layer] = read_geojson(Path("gate.geojson"), doc)
    >>> layer.frame.crs.to_string(), layer.crs_text, list(layer.frame.columns)
    ('EPSG:4326', None, ['Ten', 'id', 'geometry'])
    >>> layer.frame.geometry.iloc[0].coords[0]
    (106.71222, 21.97639)
    """
    file = display_name(path)
    doc = _parse(data, file)
    items = _feature_items(doc, file)
    if len(items) > limits.max_features:
        raise ImportFileError(
            f"{file}: refused: {len(items)} features; at most {limits.max_features} are "
            "accepted in one layer"
        )
    problems: list[ImportProblem] = []
    questions: list[Question] = []
    crs: str | None = WGS84
    crs_text = None
    if "crs" in doc:
        crs_text = json.dumps(doc["crs"], ensure_ascii=False)
        try:
            crs = parse_geojson_crs(doc, file)
        except CRSError as exc:
            crs = None
            questions.append(Question("crs", f"{exc}; which CRS are the coordinates in?"))
    records: list[dict[str, Any]] = []
    geometries: list[BaseGeometry | None] = []
    for position, item in enumerate(items):
        record, geometry = _feature(item, position, file, problems)
        records.append(record)
        geometries.append(geometry)
    frame = make_frame(records, geometries, crs)
    return [
        RawLayer(
            file=file,
            name=path.stem,
            frame=frame,
            crs_text=crs_text,
            problems=problems,
            questions=questions,
        )
    ]


def _parse(data: bytes, file: str) -> dict[str, Any]:
    """Parse the JSON text; refuse what is not a GeoJSON object."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"{file}: not UTF-8 text (byte {exc.start}); GeoJSON is UTF-8 by definition (RFC 7946)"
        ) from exc
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            f"{file}: not valid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg}); "
            "is the file complete?"
        ) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("type"), str):
        raise ImportFileError(
            f"{file}: not GeoJSON: expected an object with a 'type' (FeatureCollection, "
            f"Feature or a geometry); found {type(doc).__name__}"
        )
    return doc


def _feature_items(doc: dict[str, Any], file: str) -> list[Any]:
    """Return the feature objects of a FeatureCollection, Feature or bare geometry."""
    kind = doc["type"]
    if kind == "FeatureCollection":
        features = doc.get("features")
        if not isinstance(features, list):
            raise ImportFileError(
                f"{file}: the FeatureCollection has no 'features' list; found "
                f"{type(features).__name__}"
            )
        return features
    if kind == "Feature":
        return [doc]
    if kind in _GEOMETRY_TYPES:
        return [{"type": "Feature", "properties": {}, "geometry": doc}]
    raise ImportFileError(
        f"{file}: not GeoJSON: 'type' is {kind!r}; expected FeatureCollection, Feature or a "
        "geometry type"
    )


def _feature(
    item: Any, position: int, file: str, problems: list[ImportProblem]
) -> tuple[dict[str, Any], BaseGeometry | None]:
    """Return one feature's attributes and geometry, reporting what is wrong with them."""
    if not isinstance(item, dict) or item.get("type") != "Feature":
        found = item.get("type") if isinstance(item, dict) else type(item).__name__
        problems.append(
            ImportProblem(
                file,
                f"#{position + 1}",
                None,
                UNREADABLE_FEATURE,
                f"expected a Feature object; found {found!r}",
            )
        )
        return {}, None
    properties = item.get("properties")
    record: dict[str, Any] = {}
    if isinstance(properties, dict):
        record = nfc(properties)
    elif properties is not None:
        problems.append(
            ImportProblem(
                file,
                f"#{position + 1}",
                None,
                UNREADABLE_FEATURE,
                f"'properties' must be an object or null; found {type(properties).__name__}",
            )
        )
    if "id" in item and "id" not in record:
        record["id"] = nfc(item["id"])
    label = feature_label(record, position)
    return record, _geometry(item.get("geometry"), label, file, problems)


def _geometry(
    obj: Any, label: str, file: str, problems: list[ImportProblem]
) -> BaseGeometry | None:
    """Build a shapely geometry from a GeoJSON geometry object, or None."""
    if obj is None:
        return None
    if isinstance(obj, dict):
        for where, first, last in _open_rings(obj):
            problems.append(
                ImportProblem(
                    file,
                    label,
                    "geometry",
                    UNCLOSED_RING,
                    f"{where} is not closed: it starts at {first} and ends at {last}",
                )
            )
    try:
        if not isinstance(obj, dict):
            raise TypeError(f"expected a geometry object; found {type(obj).__name__}")
        return shapely.geometry.shape(obj)
    except (KeyError, IndexError, TypeError, ValueError, shapely.errors.ShapelyError) as exc:
        problems.append(
            ImportProblem(
                file,
                label,
                "geometry",
                UNREADABLE_GEOMETRY,
                f"the {obj.get('type', 'geometry') if isinstance(obj, dict) else 'geometry'}"
                f" cannot be read: {exc}",
            )
        )
        return None


def _open_rings(obj: dict[str, Any], prefix: str = "") -> list[tuple[str, Any, Any]]:
    """Return ``(where, first, last)`` for every unclosed ring in a geometry object."""
    kind = obj.get("type")
    coordinates = obj.get("coordinates")
    found: list[tuple[str, Any, Any]] = []
    try:
        if kind == "Polygon" and isinstance(coordinates, list):
            found = [(f"{prefix}ring {n}", a, b) for n, a, b in unclosed_rings(coordinates)]
        elif kind == "MultiPolygon" and isinstance(coordinates, list):
            for p, polygon in enumerate(coordinates, start=1):
                found += [
                    (f"{prefix}ring {n} of polygon {p}", a, b)
                    for n, a, b in unclosed_rings(polygon)
                ]
        elif kind == "GeometryCollection" and isinstance(obj.get("geometries"), list):
            for g, member in enumerate(obj["geometries"], start=1):
                if isinstance(member, dict):
                    found += _open_rings(member, f"{prefix}geometry {g}: ")
    except TypeError:
        # Positions that are not lists: shapely reports the geometry as unreadable.
        return []
    return found

"""Reading KML and KMZ: Placemarks with their geometry, name, description and ExtendedData.

The XML is parsed with :mod:`defusedxml`, which refuses a DTD, entity declarations (the
"billion laughs") and external entities (``SYSTEM "file:///etc/passwd"``) before expanding
anything; such a file is refused with an :class:`~geo.importing.model.ImportFileError`.
KML is WGS 84 lon,lat[,alt] by definition: ``frame.crs`` is EPSG:4326, ``crs_text`` None.
A KMZ is opened through :mod:`geo.importing.archive`; its ``doc.kml`` (or else its first
``.kml`` member) is read.

Every Placemark, in document order (Folders included), is one row: ``name``,
``description``, every ``ExtendedData`` ``Data`` (its ``value``) and ``SchemaData``
``SimpleData``, by their own names and case, as text, and the Placemark's ``id`` attribute
as ``id`` when no field has that name. Geometries: Point, LineString, LinearRing, Polygon
(outer and inner boundaries), MultiGeometry (nested; a mixed one becomes a
GeometryCollection, which the pipeline reports).

Problems reported here: ``unclosed-ring``, ``unreadable-geometry`` (coordinates that are
not numbers), ``unsupported-geometry`` (gx:Track, Model …; the row keeps a null geometry),
``duplicate-field`` (an ExtendedData field with the name of one already read; the first
is kept).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Final

import defusedxml
import defusedxml.ElementTree
import shapely
import shapely.errors
from shapely.geometry.base import BaseGeometry

from geo.crs import WGS84
from geo.importing.archive import extracted, member_names
from geo.importing.limits import LIMITS, Limits
from geo.importing.model import (
    ImportFileError,
    ImportOptions,
    ImportProblem,
    RawLayer,
    display_name,
)
from geo.importing.normalise import feature_label, make_frame, nfc
from geo.importing.read_rules import (
    DUPLICATE_FIELD,
    UNCLOSED_RING,
    UNREADABLE_GEOMETRY,
    UNSUPPORTED_GEOMETRY,
)
from geo.importing.rings import unclosed_rings

__all__ = ["parse_kml", "read_kml", "read_kmz"]

_GEOMETRIES: Final = frozenset({"Point", "LineString", "LinearRing", "Polygon", "MultiGeometry"})
_OTHER_GEOMETRIES: Final = frozenset({"Track", "MultiTrack", "Model"})
_COMMA_SPACES = re.compile(r"\s*,\s*")


class _Unreadable(ValueError):
    """Coordinates that cannot be read; the message says why."""


def read_kml(path: Path, options: ImportOptions, limits: Limits = LIMITS) -> list[RawLayer]:
    """Read a KML file into one :class:`RawLayer`.

    Raises
    ------
    ImportFileError
        When the XML is malformed or truncated, declares a DTD or entities, is not KML, or
        has more Placemarks than the limit.
    """
    return [parse_kml(path.read_bytes(), display_name(path), path.stem, limits)]


def read_kmz(path: Path, options: ImportOptions, limits: Limits = LIMITS) -> list[RawLayer]:
    """Read a KMZ's ``doc.kml`` (or its first ``.kml``) into one :class:`RawLayer`.

    Raises
    ------
    ImportFileError
        When the archive is refused, holds no ``.kml``, or the KML cannot be read.
    """
    with extracted(path, limits) as folder:
        # member_names keeps the archive's order: "the first .kml" is the first written.
        kmls = [m for m in member_names(path, limits) if m.lower().endswith(".kml")]
        if not kmls:
            raise ImportFileError(f"{display_name(path)}: the KMZ holds no .kml file")
        member = next((m for m in kmls if m.lower() == "doc.kml"), kmls[0])
        data = folder.joinpath(*member.replace("\\", "/").split("/")).read_bytes()
    return [parse_kml(data, display_name(path, member), path.stem, limits)]


def parse_kml(data: bytes, file: str, name: str, limits: Limits = LIMITS) -> RawLayer:
    r"""Parse KML bytes into a :class:`RawLayer` named ``name``.

    Examples
    --------
    >>> kml = b'''<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark id="KTC-01">
    ...   <name>T\xc3\xa2n Thanh</name>
    ...   <ExtendedData><Data name="Status"><value>planned</value></Data></ExtendedData>
    ...   <Point><coordinates>106.71222,21.97639</coordinates></Point>
    ... </Placemark></kml>'''
    >>> layer = parse_kml(kml, "gates.kml", "gates")
    >>> layer.frame.drop(columns="geometry").to_dict("records")
    [{'name': 'Tân Thanh', 'Status': 'planned', 'id': 'KTC-01'}]
    >>> layer.frame.geometry.iloc[0].coords[0], layer.frame.crs.to_string()
    ((106.71222, 21.97639), 'EPSG:4326')
    """
    root = _parse_xml(data, file)
    if _local(root.tag) != "kml":
        raise ImportFileError(f"{file}: not KML: the root element is <{_local(root.tag)}>")
    placemarks = [e for e in root.iter() if _local(e.tag) == "Placemark"]
    if len(placemarks) > limits.max_features:
        raise ImportFileError(
            f"{file}: refused: {len(placemarks)} Placemarks; at most {limits.max_features} are "
            "accepted in one layer"
        )
    problems: list[ImportProblem] = []
    records: list[dict[str, Any]] = []
    geometries: list[BaseGeometry | None] = []
    for position, placemark in enumerate(placemarks):
        record = _attributes(placemark, file, position, problems)
        records.append(record)
        geometries.append(_geometry(placemark, file, feature_label(record, position), problems))
    return RawLayer(
        file=file,
        name=name,
        frame=make_frame(records, geometries, WGS84),
        crs_text=None,
        problems=problems,
    )


def _parse_xml(data: bytes, file: str) -> ET.Element:
    """Parse with defusedxml: no DTD, no entities, nothing external."""
    try:
        return defusedxml.ElementTree.fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except defusedxml.DTDForbidden as exc:
        raise ImportFileError(
            f"{file}: refused: the XML declares a DTD (<!DOCTYPE>), which KML never needs and "
            "which can hide entity attacks"
        ) from exc
    except defusedxml.EntitiesForbidden as exc:
        raise ImportFileError(
            f"{file}: refused: the XML declares entities ({exc.name!r}), an entity-expansion "
            "or external-entity attack"
        ) from exc
    except defusedxml.DefusedXmlException as exc:
        raise ImportFileError(f"{file}: refused: unsafe XML ({exc})") from exc
    except ET.ParseError as exc:
        line, column = exc.position
        raise ImportFileError(
            f"{file}: not well-formed XML at line {line}, column {column + 1}; is the file "
            "complete?"
        ) from exc


def _local(tag: Any) -> str:
    """Return an element's tag without its namespace (KML 2.0–2.2, gx: and kml: alike)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in element if _local(c.tag) == name]


def _text(element: ET.Element | None) -> str | None:
    if element is None:
        return None
    return nfc("".join(element.itertext()).strip())


def _attributes(
    placemark: ET.Element, file: str, position: int, problems: list[ImportProblem]
) -> dict[str, Any]:
    """Return a Placemark's name, description, ExtendedData fields and id."""
    record: dict[str, Any] = {}
    fields: list[tuple[str, str | None]] = []
    for key in ("name", "description"):
        found = _children(placemark, key)
        if found:
            fields.append((key, _text(found[0])))
    for extended in _children(placemark, "ExtendedData"):
        for data in extended.iter():
            kind = _local(data.tag)
            if kind == "Data":
                values = _children(data, "value")
                fields.append((nfc(data.get("name", "")), _text(values[0]) if values else None))
            elif kind == "SimpleData":
                fields.append((nfc(data.get("name", "")), _text(data)))
    for key, value in fields:
        if key in record:
            problems.append(
                ImportProblem(
                    file,
                    f"#{position + 1}",
                    key,
                    DUPLICATE_FIELD,
                    f"the field appears twice; the first value {record[key]!r} is kept, "
                    f"{value!r} is not",
                )
            )
            continue
        record[key] = value
    if placemark.get("id") is not None and "id" not in record:
        record["id"] = nfc(placemark.get("id"))
    return record


def _geometry(
    placemark: ET.Element, file: str, label: str, problems: list[ImportProblem]
) -> BaseGeometry | None:
    """Build the Placemark's geometry, or None when it has none or it cannot be read."""
    for child in placemark:
        kind = _local(child.tag)
        if kind in _OTHER_GEOMETRIES:
            problems.append(
                ImportProblem(
                    file,
                    label,
                    "geometry",
                    UNSUPPORTED_GEOMETRY,
                    f"a {kind} geometry cannot be imported (expected Point, LineString, "
                    "Polygon or MultiGeometry)",
                )
            )
            return None
        if kind in _GEOMETRIES:
            try:
                return _build(child, file, label, problems)
            except _Unreadable as exc:
                problems.append(
                    ImportProblem(file, label, "geometry", UNREADABLE_GEOMETRY, f"the {kind} {exc}")
                )
                return None
    return None


def _build(
    element: ET.Element, file: str, label: str, problems: list[ImportProblem]
) -> BaseGeometry:
    """Build one KML geometry element."""
    kind = _local(element.tag)
    try:
        if kind == "Point":
            return shapely.Point(_coordinates(element)[0])
        if kind == "LineString":
            return shapely.LineString(_coordinates(element))
        if kind == "LinearRing":
            ring = _coordinates(element)
            _report_rings([ring], file, label, problems)
            return shapely.Polygon(ring)
        if kind == "Polygon":
            rings = [
                _coordinates(ring)
                for side in ("outerBoundaryIs", "innerBoundaryIs")
                for boundary in _children(element, side)
                for ring in _children(boundary, "LinearRing")
            ]
            if not _children(element, "outerBoundaryIs"):
                raise _Unreadable("has no outerBoundaryIs")
            _report_rings(rings, file, label, problems)
            return shapely.Polygon(rings[0], rings[1:])
    except (ValueError, shapely.errors.ShapelyError) as exc:
        if isinstance(exc, _Unreadable):
            raise
        raise _Unreadable(f"cannot be built: {exc}") from exc
    parts = [
        _build(child, file, label, problems)
        for child in element
        if _local(child.tag) in _GEOMETRIES
    ]
    kinds = {p.geom_type for p in parts}
    if kinds == {"Point"}:
        return shapely.MultiPoint(parts)
    if kinds == {"LineString"}:
        return shapely.MultiLineString(parts)
    if kinds == {"Polygon"}:
        return shapely.MultiPolygon(parts)
    return shapely.GeometryCollection(parts)


def _report_rings(
    rings: list[list[tuple[float, ...]]],
    file: str,
    label: str,
    problems: list[ImportProblem],
) -> None:
    for number, first, last in unclosed_rings(rings):
        problems.append(
            ImportProblem(
                file,
                label,
                "geometry",
                UNCLOSED_RING,
                f"ring {number} is not closed: it starts at {list(first)} and ends at {list(last)}",
            )
        )


def _coordinates(element: ET.Element) -> list[tuple[float, ...]]:
    """Return the positions of an element's ``coordinates`` (lon,lat[,alt] tuples)."""
    found = [c for c in element if _local(c.tag) == "coordinates"]
    text = _text(found[0]) if found else None
    if not text:
        raise _Unreadable("has no coordinates")
    positions = []
    # Some tools write "lon, lat": a comma with spaces still separates one position's values.
    for item in _COMMA_SPACES.sub(",", text).split():
        try:
            position = tuple(float(v) for v in item.split(","))
        except ValueError:
            raise _Unreadable(f"has coordinates that are not numbers: {item!r}") from None
        if len(position) not in (2, 3):
            raise _Unreadable(f"has a position with {len(position)} values: {item!r}")
        positions.append(position)
    return positions

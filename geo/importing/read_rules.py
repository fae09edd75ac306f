"""The rules reading can report (:attr:`ImportProblem.rule <geo.importing.model.ImportProblem>`).

One constant per rule, so tools and the docs (``docs/importing.md``, checked by a test
against :data:`READ_RULES`) name them the same way. The pipeline adds its own rules
(invalid geometry, vocabulary, duplicate ids …); null and empty geometries and
GeometryCollections are left to it, since the frame shows them for every format.

Examples
--------
>>> UNCLOSED_RING, READ_RULES[UNCLOSED_RING][:28]
('unclosed-ring', 'a ring whose first and last ')
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "BAD_NUMBER",
    "DECIMAL_COMMA",
    "DUPLICATE_FIELD",
    "NON_SPATIAL_TABLE",
    "READ_RULES",
    "ROW_LENGTH",
    "UNCLOSED_RING",
    "UNDECODABLE_TEXT",
    "UNREADABLE_FEATURE",
    "UNREADABLE_GEOMETRY",
    "UNSUPPORTED_GEOMETRY",
]

UNCLOSED_RING: Final = "unclosed-ring"
UNREADABLE_GEOMETRY: Final = "unreadable-geometry"
UNREADABLE_FEATURE: Final = "unreadable-feature"
UNSUPPORTED_GEOMETRY: Final = "unsupported-geometry"
DUPLICATE_FIELD: Final = "duplicate-field"
UNDECODABLE_TEXT: Final = "undecodable-text"
NON_SPATIAL_TABLE: Final = "non-spatial-table"
DECIMAL_COMMA: Final = "decimal-comma"
BAD_NUMBER: Final = "bad-number"
ROW_LENGTH: Final = "row-length"

READ_RULES: Final = {
    UNCLOSED_RING: "a ring whose first and last positions differ (GeoJSON, KML)",
    UNREADABLE_GEOMETRY: "a geometry that cannot be built; the row keeps a null geometry",
    UNREADABLE_FEATURE: "a GeoJSON item that is not a Feature, or properties not an object",
    UNSUPPORTED_GEOMETRY: "a KML geometry other than Point, LineString, Polygon, MultiGeometry",
    DUPLICATE_FIELD: "a KML ExtendedData field repeating a name (the first value is kept)",
    UNDECODABLE_TEXT: "DBF bytes the encoding cannot decode",
    NON_SPATIAL_TABLE: "a GeoPackage table without geometry, not imported",
    DECIMAL_COMMA: "a CSV number written with a decimal comma, never guessed",
    BAD_NUMBER: "a CSV coordinate that is not a number",
    ROW_LENGTH: "a CSV row with more or fewer cells than the header",
}
"""Every rule reading reports, with what it means."""

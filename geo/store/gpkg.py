"""The GeoPackage side of the store: geometry blobs and the tables a GeoPackage must have.

The embedded store is a SQLite file laid out as an OGC GeoPackage 1.4 (``application_id``
``GPKG``, ``gpkg_spatial_ref_sys``, ``gpkg_contents``, ``gpkg_geometry_columns``), so a
planner can open it in QGIS. It is written through SQLAlchemy like the PostGIS store, not
through GDAL, so both back ends share one code path, one transaction model and one test
suite; the only GeoPackage-specific pieces are the geometry encoding (a small header in front
of ISO WKB, spec clause 2.1.3) and the system tables, both here.

Examples
--------
>>> from shapely import Point
>>> blob = encode(Point(106.7, 21.9))
>>> blob[:2], decode(blob).equals(Point(106.7, 21.9))
(b'GP', True)
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from typing import Any, Final

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import (
    Column,
    Connection,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    insert,
    select,
    text,
)
from sqlalchemy.types import UserDefinedType

__all__ = [
    "APPLICATION_ID",
    "USER_VERSION",
    "GpkgGeometry",
    "decode",
    "decode_many",
    "encode",
    "encode_many",
    "register_feature_table",
    "system_tables",
]

#: ``PRAGMA application_id`` of a GeoPackage: the ASCII bytes "GPKG".
APPLICATION_ID: Final = 0x47504B47
#: ``PRAGMA user_version`` of GeoPackage 1.4.0.
USER_VERSION: Final = 10400
_SRS_ID: Final = 4326
_WGS84_WKT: Final = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,'
    'AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,'
    'AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],'
    'AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]'
)
# Envelope sizes in bytes by the header's "envelope contents indicator" (spec table 6).
_ENVELOPE_BYTES: Final = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def encode(geom: BaseGeometry, srs_id: int = _SRS_ID) -> bytes:
    """Return the GeoPackage binary of a geometry: header, XY envelope, little-endian WKB.

    Parameters
    ----------
    geom : BaseGeometry
        A 2D geometry; an empty one gets the header's empty flag and no envelope.
    srs_id : int
        The ``gpkg_spatial_ref_sys`` id of its CRS (4326 in this store).

    Examples
    --------
    >>> from shapely import LineString, Polygon
    >>> len(encode(LineString([(0, 0), (1, 1)]))) - len(LineString([(0, 0), (1, 1)]).wkb)
    40
    >>> encode(Polygon())[3]  # flags: little endian, no envelope, empty
    17
    """
    empty = geom.is_empty
    flags = 0b1 | (0 if empty else 0b10) | (0b10000 if empty else 0)
    header = struct.pack("<2sBBi", b"GP", 0, flags, srs_id)
    if not empty:
        minx, miny, maxx, maxy = geom.bounds
        header += struct.pack("<4d", minx, maxx, miny, maxy)
    return header + shapely.to_wkb(geom, byte_order=1, flavor="iso")


def decode(blob: bytes) -> BaseGeometry:
    """Return the geometry of a GeoPackage binary blob.

    Raises
    ------
    ValueError
        When the blob does not start with a GeoPackage header.

    Examples
    --------
    >>> decode(b"not a geometry")
    Traceback (most recent call last):
    ...
    ValueError: expected a GeoPackage geometry (magic 'GP', version 0); found b'no' version 116
    """
    blob = bytes(blob)
    if len(blob) < 8 or blob[:2] != b"GP" or blob[2] != 0:
        version = blob[2] if len(blob) > 2 else None
        raise ValueError(
            f"expected a GeoPackage geometry (magic 'GP', version 0); found {blob[:2]!r} "
            f"version {version}"
        )
    indicator = (blob[3] >> 1) & 0b111
    if indicator not in _ENVELOPE_BYTES:
        raise ValueError(f"expected an envelope indicator 0-4; found {indicator}")
    return shapely.from_wkb(blob[8 + _ENVELOPE_BYTES[indicator] :])


def encode_many(geoms: np.ndarray, srs_id: int = _SRS_ID) -> list[bytes]:
    """Return :func:`encode` of every geometry of an array of non-empty 2D geometries.

    The WKB and envelopes are computed for the whole array at once (what makes writing a
    200,000-parcel layer fast).

    Examples
    --------
    >>> from shapely import Point, box
    >>> geoms = np.array([Point(1, 2), box(0, 0, 1, 1)])
    >>> encode_many(geoms) == [encode(g) for g in geoms]
    True
    """
    wkbs = shapely.to_wkb(geoms, byte_order=1, flavor="iso")
    bounds = shapely.bounds(geoms)
    pack = struct.Struct("<2sBBi4d").pack
    return [
        pack(b"GP", 0, 0b11, srs_id, b[0], b[2], b[1], b[3]) + wkb
        for wkb, b in zip(wkbs, bounds.tolist(), strict=True)
    ]


def decode_many(blobs: Sequence[bytes]) -> np.ndarray:
    """Return the geometries of GeoPackage blobs, as :func:`decode` does, in one pass.

    Examples
    --------
    >>> from shapely import Point, Polygon
    >>> [g.wkt for g in decode_many([encode(Point(1, 2)), encode(Polygon())])]
    ['POINT (1 2)', 'POLYGON EMPTY']
    """
    wkbs = []
    for blob in blobs:
        blob = bytes(blob)
        if len(blob) < 8 or blob[:2] != b"GP" or blob[2] != 0:
            decode(blob)  # raises the message
        wkbs.append(blob[8 + _ENVELOPE_BYTES[(blob[3] >> 1) & 0b111] :])
    return shapely.from_wkb(np.array(wkbs, dtype=object))


class GpkgGeometry(UserDefinedType[bytes]):
    """A ``GEOMETRY`` column holding GeoPackage blobs (bytes in, bytes out).

    The store encodes and decodes whole arrays with :func:`encode_many` and
    :func:`decode_many`; a shapely geometry bound directly is encoded with :func:`encode`.
    """

    cache_ok = True

    def get_col_spec(self, **_kw: Any) -> str:
        """Return the declared column type GeoPackage readers look for."""
        return "GEOMETRY"

    def bind_processor(self, dialect: Any) -> Any:
        """Pass blobs through; encode a shapely geometry."""
        return lambda value: encode(value) if isinstance(value, BaseGeometry) else value


def system_tables(metadata: MetaData) -> tuple[Table, Table, Table]:
    """Add the three GeoPackage system tables to ``metadata``; return them.

    Returns
    -------
    tuple[Table, Table, Table]
        ``gpkg_spatial_ref_sys``, ``gpkg_contents``, ``gpkg_geometry_columns``.
    """
    srs = Table(
        "gpkg_spatial_ref_sys",
        metadata,
        Column("srs_name", Text, nullable=False),
        Column("srs_id", Integer, primary_key=True, autoincrement=False),
        Column("organization", Text, nullable=False),
        Column("organization_coordsys_id", Integer, nullable=False),
        Column("definition", Text, nullable=False),
        Column("description", Text),
    )
    contents = Table(
        "gpkg_contents",
        metadata,
        Column("table_name", Text, primary_key=True),
        Column("data_type", Text, nullable=False),
        Column("identifier", Text, unique=True),
        Column("description", Text, server_default=""),
        Column(
            "last_change",
            Text,
            nullable=False,
            server_default=text("(strftime('%Y-%m-%dT%H:%M:%fZ','now'))"),
        ),
        Column("min_x", Float),
        Column("min_y", Float),
        Column("max_x", Float),
        Column("max_y", Float),
        Column("srs_id", Integer, ForeignKey("gpkg_spatial_ref_sys.srs_id")),
    )
    columns = Table(
        "gpkg_geometry_columns",
        metadata,
        Column("table_name", Text, ForeignKey("gpkg_contents.table_name"), nullable=False),
        Column("column_name", Text, nullable=False),
        Column("geometry_type_name", Text, nullable=False),
        Column("srs_id", Integer, ForeignKey("gpkg_spatial_ref_sys.srs_id"), nullable=False),
        Column("z", Integer, nullable=False),
        Column("m", Integer, nullable=False),
        PrimaryKeyConstraint("table_name", "column_name"),
    )
    return srs, contents, columns


def register_feature_table(
    conn: Connection,
    tables: tuple[Table, Table, Table],
    *,
    table_name: str,
    column_name: str,
    description: str,
) -> None:
    """Write the GeoPackage header and system rows for one WGS 84 feature table, once.

    Called inside the transaction that creates the store: the PRAGMAs set constants of this
    module, never input.
    """
    srs, contents, columns = tables
    conn.execute(text(f"PRAGMA application_id = {APPLICATION_ID:d}"))
    conn.execute(text(f"PRAGMA user_version = {USER_VERSION:d}"))
    if conn.execute(select(srs.c.srs_id).limit(1)).first() is None:
        conn.execute(
            insert(srs),
            [
                {
                    "srs_name": "WGS 84 geodetic",
                    "srs_id": _SRS_ID,
                    "organization": "EPSG",
                    "organization_coordsys_id": _SRS_ID,
                    "definition": _WGS84_WKT,
                    "description": "longitude/latitude coordinates in decimal degrees",
                },
                {
                    "srs_name": "Undefined cartesian SRS",
                    "srs_id": -1,
                    "organization": "NONE",
                    "organization_coordsys_id": -1,
                    "definition": "undefined",
                    "description": "undefined cartesian coordinate reference system",
                },
                {
                    "srs_name": "Undefined geographic SRS",
                    "srs_id": 0,
                    "organization": "NONE",
                    "organization_coordsys_id": 0,
                    "definition": "undefined",
                    "description": "undefined geographic coordinate reference system",
                },
            ],
        )
    if conn.execute(select(contents).where(contents.c.table_name == table_name)).first() is None:
        conn.execute(
            insert(contents).values(
                table_name=table_name,
                data_type="features",
                identifier=table_name,
                description=description,
                min_x=-180.0,
                min_y=-90.0,
                max_x=180.0,
                max_y=90.0,
                srs_id=_SRS_ID,
            )
        )
        conn.execute(
            insert(columns).values(
                table_name=table_name,
                column_name=column_name,
                geometry_type_name="GEOMETRY",
                srs_id=_SRS_ID,
                z=0,
                m=0,
            )
        )

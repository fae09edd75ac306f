"""Writing stored layers out as RFC 7946 GeoJSON.

RFC 7946 GeoJSON is WGS 84 lon/lat by definition and has no ``crs`` member; polygon exterior
rings run counter-clockwise and holes clockwise (the right-hand rule, clause 3.1.6). Every
property is written as stored, nested lists included; the feature id is also the Feature's
``id`` member.

Examples
--------
>>> from shapely import Polygon
>>> from geo.store.core import Feature
>>> clockwise = Polygon([(0, 0), (0, 1), (1, 1), (0, 0)])
>>> doc = feature_collection([Feature({"id": "a", "tags": ["x"]}, clockwise)])
>>> doc["features"][0]["geometry"]["coordinates"][0]
[[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]
>>> "crs" in doc
False
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping

from geo.errors import StoreError
from geo.store.core import Feature

__all__ = ["feature_collection", "write_geojson"]


def _geometry(geom: shapely.Geometry) -> dict[str, Any]:
    oriented = shapely.orient_polygons(geom, exterior_cw=False)
    # Through JSON so that tuples become lists: the document is plain JSON values.
    return json.loads(json.dumps(mapping(oriented)))


def feature_collection(features: Iterable[Feature]) -> dict[str, Any]:
    """Return an RFC 7946 FeatureCollection of stored features (WGS 84, no ``crs``)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": f.id,
                "properties": dict(f.properties),
                "geometry": _geometry(f.geometry),
            }
            for f in features
        ],
    }


def write_geojson(path: Path, features: Iterable[Feature]) -> int:
    """Write features to ``path`` as RFC 7946 GeoJSON (UTF-8, one feature per line).

    The file is written beside its target and renamed into place, so a reader never sees
    half a file and a failed export leaves an existing file as it was.

    Returns
    -------
    int
        The number of features written.

    Raises
    ------
    StoreError
        When the folder does not exist or the file cannot be written.
    """
    path = Path(path)
    doc = feature_collection(features)
    lines = [json.dumps(f, ensure_ascii=False, allow_nan=False) for f in doc["features"]]
    text = '{"type": "FeatureCollection", "features": [\n' + ",\n".join(lines) + "\n]}\n"
    if not path.parent.is_dir():
        raise StoreError(f"{path}: expected an existing folder; found no folder {path.parent}")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        raise StoreError(f"{path}: cannot write the file: {exc.strerror or exc}") from exc
    return len(lines)

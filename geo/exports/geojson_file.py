"""A selection as RFC 7946 GeoJSON, with its notice, labels and sources as foreign members.

Every property is kept as it is (lists such as ``sources`` and ``illustrative_fields`` stay
lists); the top level carries ``notice``, ``labels`` and ``sources`` (the full citations),
which RFC 7946 allows as foreign members. WGS 84 lon/lat, no ``crs`` member.

Examples
--------
>>> import geopandas
>>> from shapely import Point
>>> gdf = geopandas.GeoDataFrame({"id": ["a"], "sources": [["s"]]},
...                              geometry=[Point(106.7, 21.9)], crs=4326)
>>> doc = json.loads(geojson_bytes(gdf, title="T", sources={}, lang="vi"))
>>> doc["notice"], doc["features"][0]["properties"]["sources"]
('Thông tin chỉ có giá trị tham khảo', ['s'])
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import geopandas

from geo.exports.notes import export_notes, rows, selection_frame
from geo.sources import Source
from geo.store.core import Feature
from geo.store.export import feature_collection

__all__ = ["geojson_bytes"]


def geojson_bytes(
    gdf: geopandas.GeoDataFrame, *, title: str, sources: Mapping[str, Source], lang: str
) -> bytes:
    """Return the selection as UTF-8 RFC 7946 GeoJSON (one feature per line)."""
    frame = selection_frame(gdf)
    notes = export_notes(frame, title=title, sources=sources, lang=lang)
    features = [
        Feature(props, geom) for props, geom in zip(rows(frame), frame.geometry, strict=True)
    ]
    doc = feature_collection(features)
    head = {
        "type": "FeatureCollection",
        "notice": notes.notice,
        "labels": list(notes.labels),
        "sources": list(notes.cited),
    }
    lines = [json.dumps(f, ensure_ascii=False, allow_nan=False) for f in doc["features"]]
    text = json.dumps(head, ensure_ascii=False)[:-1] + ', "features": [\n'
    return (text + ",\n".join(lines) + "\n]}\n").encode("utf-8")

"""A selection as a GeoPackage (pyogrio / GDAL): one layer, its notes in the metadata.

Every property becomes a column (lists joined with ``"; "``, so ``illustrative_fields`` and
``sources`` stay readable in QGIS); the layer's description and its GDAL metadata carry the
"for reference only" notice, the labels and every cited source. EPSG:4326.

Examples
--------
>>> import geopandas, pyogrio, tempfile
>>> from pathlib import Path
>>> from shapely import Point
>>> gdf = geopandas.GeoDataFrame({"id": ["a"]}, geometry=[Point(106.7, 21.9)], crs=4326)
>>> path = Path(tempfile.mkdtemp()) / "a.gpkg"
>>> write_gpkg(path, gdf, title="T", sources={}, lang="en", layer="sel")
>>> info = pyogrio.read_info(path, layer="sel")
>>> info["crs"], info["layer_metadata"]["notice"]
('EPSG:4326', 'For reference only')
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path

import geopandas
import pyogrio

from geo.exports.notes import export_notes, flat_table
from geo.sources import Source

__all__ = ["gpkg_bytes", "write_gpkg"]


def write_gpkg(
    path: Path,
    gdf: geopandas.GeoDataFrame,
    *,
    title: str,
    sources: Mapping[str, Source],
    lang: str,
    layer: str = "selection",
) -> None:
    """Write the selection to a new GeoPackage at ``path`` (replacing any file there)."""
    table = flat_table(gdf)
    notes = export_notes(table, title=title, sources=sources, lang=lang)
    metadata = {
        "notice": notes.notice,
        "labels": "\n".join(notes.labels),
        "sources": "\n".join(notes.cited),
    }
    path = Path(path)
    if path.exists():
        path.unlink()
    pyogrio.write_dataframe(
        table,
        path,
        layer=layer,
        driver="GPKG",
        layer_metadata=metadata,
        layer_options={"IDENTIFIER": title, "DESCRIPTION": notes.summary()},
    )


def gpkg_bytes(
    gdf: geopandas.GeoDataFrame,
    *,
    title: str,
    sources: Mapping[str, Source],
    lang: str,
    layer: str = "selection",
) -> bytes:
    """Return the selection as the bytes of a GeoPackage file (see :func:`write_gpkg`)."""
    with tempfile.TemporaryDirectory(prefix="lsz-gpkg-") as folder:
        path = Path(folder) / "selection.gpkg"
        write_gpkg(path, gdf, title=title, sources=sources, lang=lang, layer=layer)
        return path.read_bytes()

"""Exports of a selection (a frame of lots, or of any layer) and the one-page lot sheet.

One module per format: :mod:`~geo.exports.geojson_file`, :mod:`~geo.exports.csv_file`,
:mod:`~geo.exports.xlsx_file`, :mod:`~geo.exports.gpkg_file`, and :mod:`~geo.exports.lot_sheet`
(the A4 PDF of one lot); views of the map (standalone HTML, PNG/PDF prints) are in
:mod:`~geo.exports.view_html` and :mod:`~geo.exports.view_print`. Every file carries the "for
reference only" notice, what is illustrative (the ``illustrative_fields`` and
``geometry_accuracy`` columns, and a notes sheet, metadata or column) and the full citation of
every source it cites (:mod:`~geo.exports.notes`). :func:`export_bytes` picks the format by
name, for the UI's download buttons; :func:`write_export` writes a file atomically, for the
command line.

Examples
--------
>>> import geopandas
>>> from shapely import Point
>>> gdf = geopandas.GeoDataFrame({"id": ["a"]}, geometry=[Point(106.7, 21.9)], crs=4326)
>>> sorted(FORMATS), MEDIA_TYPES["csv"]
(['csv', 'geojson', 'gpkg', 'xlsx'], 'text/csv')
>>> import codecs
>>> export_bytes(gdf, "csv", title="T", sources={}, lang="vi").startswith(codecs.BOM_UTF8)
True
>>> export_bytes(gdf, "shp", title="T", sources={}, lang="vi")
Traceback (most recent call last):
...
geo.errors.ExportError: unknown export format 'shp'; expected one of geojson, csv, xlsx, gpkg
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Final

import geopandas

from geo.errors import ExportError, StoreError
from geo.exports.csv_file import csv_bytes
from geo.exports.geojson_file import geojson_bytes
from geo.exports.gpkg_file import gpkg_bytes
from geo.exports.xlsx_file import xlsx_bytes
from geo.sources import Source

__all__ = ["EXTENSIONS", "FORMATS", "MEDIA_TYPES", "export_bytes", "write_bytes", "write_export"]

FORMATS: Final[Mapping[str, Callable[..., bytes]]] = {
    "geojson": geojson_bytes,
    "csv": csv_bytes,
    "xlsx": xlsx_bytes,
    "gpkg": gpkg_bytes,
}
MEDIA_TYPES: Final = {
    "geojson": "application/geo+json",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "gpkg": "application/geopackage+sqlite3",
    "pdf": "application/pdf",
}
EXTENSIONS: Final = {
    "geojson": ".geojson",
    "csv": ".csv",
    "xlsx": ".xlsx",
    "gpkg": ".gpkg",
    "pdf": ".pdf",
}


def export_bytes(
    gdf: geopandas.GeoDataFrame,
    fmt: str,
    *,
    title: str,
    sources: Mapping[str, Source],
    lang: str,
) -> bytes:
    """Return a selection in one of :data:`FORMATS`.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The selection: lots, or the features of any layer (any CRS; written as WGS 84).
    fmt : {"geojson", "csv", "xlsx", "gpkg"}
    title : str
        The layer's or selection's title in ``lang`` (in the notes).
    sources : Mapping[str, Source]
        ``geo.sources.load_sources`` of ``layers/sources.json``: the citations.
    lang : {"vi", "en", "zh"}
        Language of the notes.

    Raises
    ------
    ExportError
        When ``fmt`` is not a known format, or the selection has no CRS.
    """
    try:
        build = FORMATS[fmt]
    except KeyError:
        raise ExportError(
            f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}"
        ) from None
    return build(gdf, title=title, sources=sources, lang=lang)


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (beside it, then renamed), readable by all.

    Raises
    ------
    StoreError
        When the folder does not exist or the file cannot be written; an existing file is
        then left as it was.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise StoreError(f"{path}: expected an existing folder; found no folder {path.parent}")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        raise StoreError(f"{path}: cannot write the file: {exc.strerror or exc}") from exc


def write_export(
    path: Path,
    gdf: geopandas.GeoDataFrame,
    fmt: str,
    *,
    title: str,
    sources: Mapping[str, Source],
    lang: str,
) -> int:
    """Write a selection to ``path`` in ``fmt`` (see :func:`export_bytes`); return the count."""
    write_bytes(path, export_bytes(gdf, fmt, title=title, sources=sources, lang=lang))
    return len(gdf)

"""Reading a planner's file: choose the format, enforce the limits, return its layers.

:func:`read_file` is the import's first step (see :mod:`geo.importing.model`). It tells the
format from the content first (a zip, a SQLite/GeoPackage header) and from the extension
otherwise, and hands the file to one reader per format:

============================  =========================================  ===============
Format                        Reader                                     Extensions
============================  =========================================  ===============
GeoJSON                       :mod:`geo.importing.read_geojson`          .geojson .json
Zipped Shapefile(s)           :mod:`geo.importing.read_shapefile`        .zip
Shapefile with its sidecars   :mod:`geo.importing.read_shapefile`        .shp
GeoPackage                    :mod:`geo.importing.read_gpkg`             .gpkg
KML, KMZ                      :mod:`geo.importing.read_kml`              .kml .kmz
CSV                           :mod:`geo.importing.read_csv`              .csv
============================  =========================================  ===============

A zip (by its first bytes, whatever its name) is a KMZ when its name ends in ``.kmz`` or
it holds a ``.kml`` and no ``.shp``; otherwise a zipped Shapefile. A file starting with the
SQLite header is a GeoPackage. A ``.zip`` or ``.gpkg`` whose content says otherwise is
refused, as is any other extension.

Coordinates come through as the file holds them (no reprojection, no axis swap): the
pipeline does that. The limits of :mod:`geo.importing.limits` are checked in this order:
file size first (an empty file is refused too), then, in the readers, archive members and
the number of features, and here, after reading, vertices per feature and in total.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     empty = Path(folder, "empty.geojson")
...     _ = empty.write_bytes(b"")
...     read_file(empty)
Traceback (most recent call last):
...
geo.importing.model.ImportFileError: empty.geojson: the file is empty (0 bytes)
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Final

import numpy as np
import shapely

from geo.importing.archive import member_names
from geo.importing.limits import LIMITS, MB, Limits, megabytes
from geo.importing.model import ImportFileError, ImportOptions, RawLayer, display_name
from geo.importing.normalise import feature_label
from geo.importing.read_csv import read_csv
from geo.importing.read_geojson import read_geojson
from geo.importing.read_gpkg import read_gpkg
from geo.importing.read_kml import read_kml, read_kmz
from geo.importing.read_shapefile import read_shapefile, read_shapefile_zip

__all__ = ["DEFAULT_OPTIONS", "SUPPORTED_EXTENSIONS", "read_file"]

DEFAULT_OPTIONS: Final = ImportOptions()
"""No answers from the planner yet: everything from the file."""

_ZIP_MAGIC: Final = (b"PK\x03\x04", b"PK\x05\x06")
_SQLITE_MAGIC: Final = b"SQLite format 3\x00"
_MAGIC_BYTES: Final = 16

Reader = Callable[[Path, ImportOptions, Limits], list[RawLayer]]


def _geojson(path: Path, options: ImportOptions, limits: Limits) -> list[RawLayer]:
    return read_geojson(path, path.read_bytes(), limits)


def _shp(path: Path, options: ImportOptions, limits: Limits) -> list[RawLayer]:
    return [read_shapefile(path, display_name(path), options, limits)]


def _zip(path: Path, options: ImportOptions, limits: Limits) -> list[RawLayer]:
    names = [n.lower() for n in member_names(path, limits)]
    has_shp = any(n.endswith(".shp") for n in names)
    if path.suffix.lower() == ".kmz" or (not has_shp and any(n.endswith(".kml") for n in names)):
        return read_kmz(path, options, limits)
    return read_shapefile_zip(path, options, limits)


_BY_EXTENSION: Final[dict[str, Reader]] = {
    ".geojson": _geojson,
    ".json": _geojson,
    ".zip": _zip,
    ".shp": _shp,
    ".gpkg": read_gpkg,
    ".kml": read_kml,
    ".kmz": _zip,
    ".csv": read_csv,
}
SUPPORTED_EXTENSIONS: Final = tuple(_BY_EXTENSION)
"""The file name endings :func:`read_file` accepts."""


def read_file(
    path: Path, options: ImportOptions = DEFAULT_OPTIONS, *, limits: Limits = LIMITS
) -> list[RawLayer]:
    """Read every layer of a planner's file, coordinates and attributes as in the file.

    Parameters
    ----------
    path : Path
        The file (uploads are saved under their original name first: the name is shown
        in messages and gives the layer name).
    options : ImportOptions
        The planner's answers; only ``encoding`` matters when reading.
    limits : Limits
        The numbers to enforce (tests pass small ones).

    Returns
    -------
    list of RawLayer
        One per layer in the file, in file order (at least one).

    Raises
    ------
    ImportFileError
        When the file cannot be read at all: missing, empty, over a limit, truncated or
        damaged, a hostile archive, an unknown format. The message names the file (and the
        archive member, feature or field where there is one) and quotes any limit.
    """
    path = Path(path)
    file = display_name(path)
    head = _check_size(path, file, limits)
    reader = _reader(path, file, head)
    layers = reader(path, options, limits)
    for layer in layers:
        _check_vertices(layer, limits)
    return layers


def _check_size(path: Path, file: str, limits: Limits) -> bytes:
    """Refuse a missing, empty or oversized file; return its first bytes."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise ImportFileError(f"{file}: not a file")
        with path.open("rb") as handle:
            head = handle.read(_MAGIC_BYTES)
    except FileNotFoundError as exc:
        raise ImportFileError(f"{file}: no such file ({path})") from exc
    except OSError as exc:
        raise ImportFileError(f"{file}: cannot be opened ({exc.strerror})") from exc
    if size == 0:
        raise ImportFileError(f"{file}: the file is empty (0 bytes)")
    if size > limits.max_file_mb * MB:
        raise ImportFileError(
            f"{file}: refused: the file is {megabytes(size)}; at most {limits.max_file_mb:g} MB "
            "is accepted"
        )
    return head


def _reader(path: Path, file: str, head: bytes) -> Reader:
    """Choose the reader from the content's first bytes, then from the extension."""
    suffix = path.suffix.lower()
    if head.startswith(_ZIP_MAGIC):
        return _zip
    if head.startswith(_SQLITE_MAGIC):
        return read_gpkg
    if suffix in (".zip", ".kmz"):
        raise ImportFileError(f"{file}: not a zip archive (it does not start with 'PK')")
    if suffix == ".gpkg":
        raise ImportFileError(
            f"{file}: not a GeoPackage (it does not start with the SQLite header)"
        )
    reader = _BY_EXTENSION.get(suffix)
    if reader is None:
        raise ImportFileError(
            f"{file}: unknown format {suffix or '(no extension)'!r}; expected one of "
            f"{', '.join(SUPPORTED_EXTENSIONS)}"
        )
    return reader


def _check_vertices(layer: RawLayer, limits: Limits) -> None:
    """Refuse a layer with a feature, or a total, over the vertex limits."""
    counts = shapely.get_num_coordinates(np.asarray(layer.frame.geometry.values, dtype=object))
    if len(counts) == 0:
        return
    worst = int(np.argmax(counts))
    if counts[worst] > limits.max_vertices_per_feature:
        label = feature_label(layer.frame.iloc[worst].to_dict(), worst)
        raise ImportFileError(
            f"{layer.file}: feature {label!r}: refused: {int(counts[worst])} vertices; at most "
            f"{limits.max_vertices_per_feature} are accepted in one feature"
        )
    total = int(counts.sum())
    if total > limits.max_vertices_total:
        raise ImportFileError(
            f"{layer.file}: refused: {total} vertices in the layer; at most "
            f"{limits.max_vertices_total} are accepted"
        )

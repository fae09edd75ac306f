"""Reading GeoPackages: every feature table is one layer, its SRS as ``EPSG:N``.

Each layer's ``file`` is ``survey.gpkg!lots`` (the table after ``!``), so problems name it.
GeoPackage text is UTF-8 by definition (``encoding`` is None); it is NFC-normalised. The
feature count of each table is checked against the limit before it is read. Tables without
a geometry column (attribute tables) are not layers: each is reported on the first layer
with the rule ``non-spatial-table``, so nothing in the file is passed over silently.
"""

from __future__ import annotations

from pathlib import Path

import pyogrio
import pyogrio.errors

from geo.importing.limits import LIMITS, Limits
from geo.importing.model import (
    ImportFileError,
    ImportOptions,
    ImportProblem,
    RawLayer,
    display_name,
)
from geo.importing.normalise import nfc_frame
from geo.importing.read_rules import NON_SPATIAL_TABLE

__all__ = ["read_gpkg"]


def read_gpkg(path: Path, options: ImportOptions, limits: Limits = LIMITS) -> list[RawLayer]:
    """Read every feature table of a GeoPackage, in the file's order.

    Raises
    ------
    ImportFileError
        When the file cannot be opened (damaged, truncated), holds no feature table, or a
        table has more features than the limit.
    """
    file = display_name(path)
    try:
        tables = [(str(name), kind) for name, kind in pyogrio.list_layers(path)]
        layers: list[RawLayer] = []
        skipped = []
        for name, kind in tables:
            if kind is None:
                skipped.append(name)
                continue
            layers.append(_read_table(path, name, limits))
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise ImportFileError(f"{file}: cannot be read as a GeoPackage ({exc})") from exc
    if not layers:
        raise ImportFileError(
            f"{file}: the GeoPackage holds no feature table (tables: "
            f"{', '.join(skipped) or 'none'})"
        )
    for name in skipped:
        layers[0].problems.append(
            ImportProblem(
                file,
                None,
                None,
                NON_SPATIAL_TABLE,
                f"the table {name!r} has no geometry column and is not imported",
            )
        )
    return layers


def _read_table(path: Path, name: str, limits: Limits) -> RawLayer:
    """Read one feature table."""
    where = display_name(path, name)
    info = pyogrio.read_info(path, layer=name)
    if info["features"] > limits.max_features:
        raise ImportFileError(
            f"{where}: refused: {info['features']} features; at most {limits.max_features} "
            "are accepted in one layer"
        )
    frame = pyogrio.read_dataframe(path, layer=name)
    return RawLayer(
        file=where,
        name=name,
        frame=nfc_frame(frame),
        crs_text=info["crs"],
    )

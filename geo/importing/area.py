"""Where imported features must lie: the registry's extent (Lạng Sơn ∪ Cao Bằng), shipped.

The area is the union of the registry ``extent`` features (``layers/registry.json``: the
provinces of Lạng Sơn and Cao Bằng from the ODV outline, good to ±100–300 m), read from the
reviewed seed files, never from a planner's store. Distances are metres in EPSG:9215
(VN-2000 / TM-3 107-15, through EPSG:6960); the tolerances are the registry's
(``point_tolerance_m``, ``edge_tolerance_m``).

Examples
--------
>>> import numpy as np
>>> inside(np.array([[106.71222, 21.97639], [105.85, 21.03]]))  # Friendship Pass, Hà Nội
array([ True, False])
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.crs import VN2000_TM3_LANG_SON, WGS84, transform_geometry
from geo.io import read_layer
from geo.registry import DEFAULT_REGISTRY_PATH, load_registry
from geo.sources import load_sources

__all__ = ["ImportArea", "import_area", "inside"]


@dataclass(frozen=True)
class ImportArea:
    """The extent in lon/lat, widened by the registry's tolerances (prepared for tests).

    Attributes
    ----------
    name : str
        The extent's feature ids joined with ``∪``, for messages.
    points : BaseGeometry
        The area plus ``point_tolerance_m`` (what a point must lie in), EPSG:4326.
    edges : BaseGeometry
        The area plus ``edge_tolerance_m`` (what a line or polygon must lie in), EPSG:4326.
    point_tolerance_m, edge_tolerance_m : float
        The registry's tolerances, in metres.
    """

    name: str
    points: BaseGeometry
    edges: BaseGeometry
    point_tolerance_m: float
    edge_tolerance_m: float


@functools.lru_cache(maxsize=4)
def import_area(registry_path: Path = DEFAULT_REGISTRY_PATH) -> ImportArea:
    """Return the shipped extent, widened in EPSG:9215 metres and brought back to lon/lat.

    Raises
    ------
    geo.errors.GeoError
        When the seed registry has no extent or its layer does not load (a broken checkout).
    """
    registry = load_registry(registry_path)
    extent = registry.extent
    if extent is None:
        raise ValueError(f"{registry_path}: no 'extent' to check imported features against")
    sources = load_sources(registry.sources_path) if registry.sources_path else {}
    layer = read_layer(registry.get(extent.layer), source_ids=set(sources))
    area = shapely.union_all([layer.geometry.loc[f] for f in extent.features])
    metric = transform_geometry(area, WGS84, VN2000_TM3_LANG_SON)

    def widened(tolerance_m: float) -> BaseGeometry:
        # Densified first: straight edges in metres are not straight in degrees.
        grown = shapely.segmentize(metric.buffer(tolerance_m), 500.0)
        back = transform_geometry(grown, VN2000_TM3_LANG_SON, WGS84)
        shapely.prepare(back)
        return back

    return ImportArea(
        name=" ∪ ".join(extent.features),
        points=widened(extent.point_tolerance_m),
        edges=widened(extent.edge_tolerance_m),
        point_tolerance_m=extent.point_tolerance_m,
        edge_tolerance_m=extent.edge_tolerance_m,
    )


def inside(lonlat: np.ndarray) -> np.ndarray:
    """Tell, per (lon, lat) row, whether a point lies in the area (point tolerance).

    Non-finite rows are outside.
    """
    xy = np.asarray(lonlat, dtype=float).reshape(-1, 2)
    finite = np.isfinite(xy).all(axis=1)
    out = np.zeros(len(xy), dtype=bool)
    if finite.any():
        out[finite] = shapely.contains_xy(import_area().points, xy[finite, 0], xy[finite, 1])
    return out

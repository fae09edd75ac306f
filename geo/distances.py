"""Distances from a feature to the targets the registry declares (``distance_targets``).

The detail panel shows "distance to the Hữu Nghị gate" and "to the nearest expressway"; which
targets exist is data (``registry.json``), so the UI never types a domain id.

Examples
--------
>>> import geopandas
>>> from shapely.geometry import Point
>>> from geo.registry import DistanceTarget
>>> gates = geopandas.GeoDataFrame(
...     {"geometry": [Point(106.71112, 21.97062)]}, index=["gate-huu-nghi"], crs="EPSG:4326")
>>> target = DistanceTarget("huu-nghi-gate", {"en": "To Hữu Nghị"}, "gates", "gate-huu-nghi")
>>> [(t.id, round(km, 1)) for t, km in target_distances_km(
...     "town-dong-dang", "towns", Point(106.69667, 21.94583), {"gates": gates}, [target])]
[('huu-nghi-gate', 3.1)]
>>> target_distances_km("gate-huu-nghi", "gates", Point(106.71112, 21.97062),
...                     {"gates": gates}, [target])
[]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import geopandas
from shapely.geometry.base import BaseGeometry

from geo.measure import distance_m
from geo.registry import DistanceTarget

__all__ = ["target_distances_km"]


def target_distances_km(
    feature_id: str,
    layer_id: str,
    geom: BaseGeometry,
    layers: Mapping[str, geopandas.GeoDataFrame],
    targets: Iterable[DistanceTarget],
) -> list[tuple[DistanceTarget, float]]:
    """Return (target, geodesic distance in km) for every target that applies to a feature.

    Parameters
    ----------
    feature_id, layer_id : str
        The feature and the layer it belongs to.
    geom : BaseGeometry
        Its geometry, lon/lat (EPSG:4326).
    layers : Mapping[str, geopandas.GeoDataFrame]
        Loaded layers by id (EPSG:4326, indexed by feature id).
    targets : Iterable[DistanceTarget]
        ``geo.registry.distance_targets(registry)``.

    Returns
    -------
    list of (DistanceTarget, float)
        In target order. A target is skipped when it is the feature itself, when the feature
        belongs to the target's layer (a distance to the nearest expressway means nothing for
        an expressway), or when its layer or feature did not load.
    """
    result: list[tuple[DistanceTarget, float]] = []
    for target in targets:
        gdf = layers.get(target.layer)
        if gdf is None or len(gdf) == 0 or layer_id == target.layer:
            continue
        if target.feature is None:
            km = min(distance_m(geom, other) for other in gdf.geometry) / 1000.0
        elif target.feature == feature_id or target.feature not in gdf.index:
            continue
        else:
            km = distance_m(geom, gdf.geometry[target.feature]) / 1000.0
        result.append((target, km))
    return result

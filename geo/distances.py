"""Distances from a feature to the targets the registry declares (``distance_targets``).

The detail panel shows "distance to the Hữu Nghị gate" and "to the nearest expressway"; which
targets exist is data (``registry.json``), so the UI never types a domain id. A distance is
never given for a shape whose position is not known, nor to one
(:func:`geo.measure.known_distance_m`): it is then ``None``, with the reason.

Examples
--------
>>> import geopandas
>>> from shapely.geometry import Point
>>> from geo.registry import DistanceTarget
>>> gates = geopandas.GeoDataFrame(
...     {"geometry_accuracy": ["digitised"], "geometry": [Point(106.71112, 21.97062)]},
...     index=["gate-huu-nghi"], crs="EPSG:4326")
>>> target = DistanceTarget("huu-nghi-gate", {"en": "To Hữu Nghị"}, "gates", "gate-huu-nghi")
>>> [(d.target.id, round(d.km, 1)) for d in target_distances_km(
...     "town-dong-dang", "towns", Point(106.69667, 21.94583), "digitised",
...     {"gates": gates}, [target])]
[('huu-nghi-gate', 3.1)]
>>> [(d.km, d.unknown) for d in target_distances_km(
...     "zone-x", "zones", Point(106.7, 21.9), "illustrative", {"gates": gates}, [target])]
[(None, 'self')]
>>> target_distances_km("gate-huu-nghi", "gates", Point(106.71112, 21.97062), "digitised",
...                     {"gates": gates}, [target])
[]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import geopandas
from shapely.geometry.base import BaseGeometry

from geo.measure import known_distance_m, position_known
from geo.registry import DistanceTarget

__all__ = ["TargetDistance", "target_distances_km"]


@dataclass(frozen=True)
class TargetDistance:
    """The straight-line distance to one declared target, or why it is not known.

    Parameters
    ----------
    target : DistanceTarget
        The registry's target.
    km : float or None
        Geodesic distance in km; ``None`` when it is not known.
    unknown : {"self", "target"} or None
        Why it is not known: this shape's position, or the target's.
    """

    target: DistanceTarget
    km: float | None
    unknown: str | None = None


def target_distances_km(
    feature_id: str,
    layer_id: str,
    geom: BaseGeometry,
    accuracy: object,
    layers: Mapping[str, geopandas.GeoDataFrame],
    targets: Iterable[DistanceTarget],
) -> list[TargetDistance]:
    """Return the distance to every target that applies to a feature.

    Parameters
    ----------
    feature_id, layer_id : str
        The feature and the layer it belongs to.
    geom : BaseGeometry
        Its geometry, lon/lat (EPSG:4326).
    accuracy : str or None
        Its ``geometry_accuracy``: an illustrative shape has no distance.
    layers : Mapping[str, geopandas.GeoDataFrame]
        Loaded layers by id (EPSG:4326, indexed by feature id).
    targets : Iterable[DistanceTarget]
        ``geo.registry.distance_targets(registry)``.

    Returns
    -------
    list of TargetDistance
        In target order. A target is skipped when it is the feature itself, when the feature
        belongs to the target's layer (a distance to the nearest expressway means nothing for
        an expressway), or when its layer or feature did not load.
    """
    result: list[TargetDistance] = []
    for target in targets:
        gdf = layers.get(target.layer)
        if gdf is None or len(gdf) == 0 or layer_id == target.layer:
            continue
        if target.feature is not None:
            if target.feature == feature_id or target.feature not in gdf.index:
                continue
            gdf = gdf.loc[[target.feature]]
        accuracies = gdf["geometry_accuracy"] if "geometry_accuracy" in gdf else [None] * len(gdf)
        metres = known_distance_m(geom, accuracy, zip(gdf.geometry, accuracies, strict=True))
        if metres is not None:
            result.append(TargetDistance(target, metres / 1000.0))
        else:
            why = "target" if position_known(accuracy) else "self"
            result.append(TargetDistance(target, None, why))
    return result

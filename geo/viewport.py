"""Where the map looks: the bounds to fit a set of features, the view of one feature.

Pure geometry on EPSG:4326 coordinates; the browser does the fitting itself, since
only it knows the map's size in pixels (see :class:`geo.map_overlay.MapOverlay`).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable

import numpy as np
from shapely.geometry.base import BaseGeometry

from geo import style as st
from geo.map_data import MapLayer


def fit_bounds(layers: Iterable[MapLayer], ids: Collection[str]) -> list[list[float]] | None:
    """Return ``[[south, west], [north, east]]`` of the features ``ids``, or ``None``.

    One vectorised bounds call per layer (no loop over features in Python).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> from geo.map_data import MapLayer
    >>> gdf = gpd.GeoDataFrame(geometry=[Point(106.7, 21.9), Point(106.8, 22.0)],
    ...                        index=["a", "b"], crs=4326)
    >>> fit_bounds([MapLayer(None, gdf)], {"a", "b"})
    [[21.9, 106.7], [22.0, 106.8]]
    >>> fit_bounds([MapLayer(None, gdf)], set()) is None
    True
    """
    wanted = set(ids)
    boxes = []
    for layer in layers:
        index = layer.data.index
        hits = layer.data.geometry[index.isin(list(wanted))]
        if len(hits):
            boxes.append(hits.total_bounds)
    if not boxes:
        return None
    stacked = np.vstack(boxes)
    west, south = stacked[:, 0].min(), stacked[:, 1].min()
    east, north = stacked[:, 2].max(), stacked[:, 3].max()
    return [
        [round(float(south), 6), round(float(west), 6)],
        [round(float(north), 6), round(float(east), 6)],
    ]


def focus_view(geom: BaseGeometry) -> tuple[tuple[float, float], int]:
    """Return the ``(lat, lon)`` centre and zoom that show a selected feature whole.

    The zoom is the largest (at most 14: closer, a schematic shape would look
    more exact than it is) at which the feature's bounding box fits in
    about 600 × 600 px of Web Mercator tiles; a point gets zoom 14.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> focus_view(Point(106.71, 21.97))
    ((21.97, 106.71), 14)
    """
    if geom.geom_type == "Point":
        return (round(geom.y, 6), round(geom.x, 6)), 14
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    centre = (round((min_lat + max_lat) / 2, 6), round((min_lon + max_lon) / 2, 6))
    span_deg = max(max_lon - min_lon, (max_lat - min_lat) / math.cos(math.radians(centre[0])))
    # At zoom z the world is 256 * 2**z px wide: fit the span in ~600 px.
    zoom = math.floor(math.log2(600 * 360 / (256 * max(span_deg, 1e-6))))
    return centre, max(st.MAP_MIN_ZOOM, min(14, zoom))


__all__ = ["fit_bounds", "focus_view"]

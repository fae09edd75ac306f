"""Which feature of a layer is at a clicked position: a shapely STRtree over the layer.

A tiled layer (:mod:`geo.tiles`) has no per-feature script in the page, so a click
comes back as a position (``st_folium``'s ``last_clicked``) and the server finds the
feature here. Build a :class:`FeatureIndex` once per layer version (the app caches it
by the store's stamp); a query is a tree lookup, not a scan of the layer.

Pure: no Streamlit.
"""

from __future__ import annotations

from collections.abc import Collection

import geopandas as gpd
import numpy as np
import shapely

__all__ = ["FeatureIndex"]


class FeatureIndex:
    """An STRtree over a layer's geometries (EPSG:4326), answering "what is at this point".

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer, indexed by feature id, in EPSG:4326.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> lots = gpd.GeoDataFrame({"id": ["a", "b", "inner"]}, crs="EPSG:4326", geometry=[
    ...     box(106.70, 21.90, 106.71, 21.91), box(106.72, 21.90, 106.73, 21.91),
    ...     box(106.702, 21.902, 106.703, 21.903)]).set_index("id")
    >>> index = FeatureIndex(lots)
    >>> index.at(106.725, 21.905), index.at(106.715, 21.905)
    ('b', None)
    >>> index.at(106.7025, 21.9025)  # the smallest of the features under the point
    'inner'
    >>> index.at(106.7025, 21.9025, among={"a", "b"})  # only the features drawn
    'a'
    """

    def __init__(self, gdf: gpd.GeoDataFrame) -> None:
        if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
            raise ValueError(f"FeatureIndex needs EPSG:4326, found {gdf.crs}")
        self._ids = np.asarray(gdf.index, dtype=object)
        self._geoms = np.asarray(gdf.geometry.to_numpy())
        shapely.prepare(self._geoms)
        self._tree = shapely.STRtree(self._geoms)

    def __len__(self) -> int:
        """Return the number of features indexed."""
        return len(self._ids)

    def at(self, lng: float, lat: float, among: Collection[str] | None = None) -> str | None:
        """Return the id of the feature under ``(lng, lat)``, or ``None``.

        Where features overlap, the smallest (by area in degrees², enough to rank
        neighbours) wins: it is the one a person can otherwise not click.
        ``among`` restricts the answer to those ids (the features the map draws).
        """
        hits = self._tree.query(shapely.Point(lng, lat), predicate="intersects")
        if among is not None:
            hits = np.asarray([i for i in hits if self._ids[i] in among], dtype=int)
        if len(hits) == 0:
            return None
        areas = shapely.area(self._geoms[hits])
        return str(self._ids[hits[int(np.argmin(areas))]])

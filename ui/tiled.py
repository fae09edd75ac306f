"""Tiled layers on the map page: archives and click indexes cached per layer version.

A large project layer (:func:`geo.tiles.is_tiled`) is drawn from its PMTiles archive
(:class:`geo.tile_layer.TiledLayer`) instead of inline GeoJSON. Its archive and its
STRtree (:class:`geo.feature_index.FeatureIndex`) are built once per layer version
(:func:`layer_stamp`) and shared by every session (``st.cache_resource``); a re-run
only sends the style table and the filter. A click on the map comes back as a
position (``last_clicked``) and :func:`clicked_tiled_id` finds the feature under it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import folium
import geopandas as gpd
import streamlit as st

from geo import style
from geo.feature_index import FeatureIndex
from geo.map_data import MapLayer
from geo.tile_layer import TiledLayer, TileFilter, tile_style_table
from geo.tiles import TileArchive, ensure_archive, is_tiled
from geo.vocabulary import STATUSES

__all__ = [
    "clicked_position",
    "clicked_tiled_id",
    "feature_index",
    "layer_stamp",
    "split_tiled",
    "tile_archive",
    "tile_filter",
    "tiled_groups",
]


def layer_stamp(stamp: tuple, layer_id: str) -> tuple:
    """Return what identifies one layer's data within the app data's ``stamp``.

    A store stamp (``("store", label, (generation, ((id, version), ...)))``) gives the
    layer's own version, so changing another layer does not rebuild this one's tiles;
    any other stamp (file times of a registry read directly) is used whole.

    Examples
    --------
    >>> layer_stamp(("store", "gpkg", ("g1", (("lots", 4), ("zones", 9)))), "lots")
    ('store', 'gpkg', 'g1', 4)
    >>> layer_stamp(("layers/registry.json", (("a", 1.0),)), "lots")
    ('layers/registry.json', (('a', 1.0),))
    """
    if len(stamp) == 3 and stamp[0] == "store":
        _, label, (generation, versions) = stamp
        return ("store", label, generation, dict(versions).get(layer_id))
    return stamp


@st.cache_resource(show_spinner=False, max_entries=16)
def tile_archive(layer_id: str, stamp: tuple, _gdf: gpd.GeoDataFrame) -> TileArchive:
    """Return the layer's archive for ``stamp`` (built on first use, then shared)."""
    return ensure_archive(_gdf, layer_id, stamp)


@st.cache_resource(show_spinner=False, max_entries=16)
def feature_index(layer_id: str, stamp: tuple, _gdf: gpd.GeoDataFrame) -> FeatureIndex:
    """Return the layer's click index for ``stamp`` (built on first use, then shared)."""
    return FeatureIndex(_gdf)


def split_tiled(layers: Sequence[MapLayer]) -> tuple[list[MapLayer], list[MapLayer]]:
    """Split project layers into those drawn inline and those drawn as tiles."""
    inline, tiled = [], []
    for layer in layers:
        kind = layer.spec.geometry_kind
        (tiled if is_tiled(layer.spec.id, len(layer.data), kind) else inline).append(layer)
    return inline, tiled


def tile_filter(
    as_of: Any, statuses: Collection[str], selected: str | None, drawn: Collection[str] = ()
) -> TileFilter:
    """Return the browser filter of the map's state (``None`` statuses when all are on).

    ``selected`` is kept only when it is one of ``drawn`` (ids of a tiled layer).
    """
    every = set(statuses) >= set(STATUSES)
    return TileFilter(
        as_of,
        statuses=None if every else tuple(statuses),
        selected=selected if selected in drawn else None,
    )


def tiled_groups(
    layers: Sequence[MapLayer], stamp: tuple, *, lang: str, flt: TileFilter
) -> list[folium.FeatureGroup]:
    """Return one feature group per tiled layer, for ``st_folium``'s ``feature_group_to_add``."""
    groups = []
    for layer in layers:
        archive = tile_archive(layer.spec.id, layer_stamp(stamp, layer.spec.id), layer.data)
        group = folium.FeatureGroup(name=layer.spec.title[lang])
        TiledLayer(
            archive,
            tile_style_table(layer.spec),
            flt,
            name=layer.spec.title[lang],
            pane=style.pane_name(layer.spec.geometry_kind, "project"),
        ).add_to(group)
        groups.append(group)
    return groups


def clicked_position(value: Mapping[str, Any] | None) -> tuple[float, float] | None:
    """Return ``(lng, lat)`` of the map's last click, if any.

    Examples
    --------
    >>> clicked_position({"last_clicked": {"lat": 21.9, "lng": 106.7}})
    (106.7, 21.9)
    >>> clicked_position({"last_clicked": None}) is None
    True
    """
    click = (value or {}).get("last_clicked") or {}
    lat, lng = click.get("lat"), click.get("lng")
    if not isinstance(lat, int | float) or not isinstance(lng, int | float):
        return None
    return float(lng), float(lat)


def clicked_tiled_id(
    value: Mapping[str, Any] | None,
    layers: Sequence[MapLayer],
    stamp: tuple,
    among: Collection[str] | None = None,
) -> str | None:
    """Return the id of the tiled feature under the map's last click, if any.

    ``among``: the ids the map draws (a click on a filtered-out lot selects nothing).
    """
    position = clicked_position(value)
    if position is None:
        return None
    for layer in layers:
        index = feature_index(layer.spec.id, layer_stamp(stamp, layer.spec.id), layer.data)
        fid = index.at(*position, among=among)
        if fid is not None:
            return fid
    return None

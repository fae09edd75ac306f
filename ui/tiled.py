"""Tiled layers on the map page: archives and click indexes cached per layer version.

A large project layer (:func:`geo.tiles.is_tiled`) is drawn from its PMTiles archive
(:class:`geo.tile_layer.TiledLayer`) instead of inline GeoJSON. Its archive is built in
the background, once per layer version (:func:`layer_stamp`), by the process-wide
:class:`geo.tile_builds.TileBuilds` registry (:func:`tile_builds`): a re-run never waits
for it. While it runs the layer is left off the map and :func:`build_notices` says so
(and re-runs the page once it is ready, through a cheap fragment that only reads the
registry); a failed build shows its error and a retry button. Its STRtree
(:class:`geo.feature_index.FeatureIndex`) is built once per version and shared by every
session (``st.cache_resource``); a re-run only sends the style table and the filter. A
click on the map comes back as a position (``last_clicked``) and
:func:`clicked_tiled_id` finds the feature under it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import folium
import geopandas as gpd
import streamlit as st

from geo import style
from geo.feature_index import FeatureIndex
from geo.i18n import t
from geo.limits import TILED_LAYER_MIN_FEATURES
from geo.map_data import MapLayer
from geo.text import escape_markdown
from geo.tile_builds import BuildState, TileBuilds
from geo.tile_layer import TiledLayer, TileFilter, tile_style_table
from geo.tiles import ensure_archive, existing_archive, is_tiled
from geo.vocabulary import STATUSES
from ui import state as ui_state

__all__ = [
    "build_notices",
    "clicked_position",
    "clicked_tiled_id",
    "feature_index",
    "layer_stamp",
    "split_tiled",
    "start_build",
    "tile_builds",
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


#: Seconds between two looks at the registry while a build runs (a fragment re-run that
#: reads a dict under a lock; the page itself re-runs only when a build is over).
BUILD_POLL_S = 2.0


@st.cache_resource(show_spinner=False)
def tile_builds() -> TileBuilds:
    """Return the process's tile build registry (one for every session and re-run)."""
    return TileBuilds(ensure_archive, existing_archive)


@st.cache_resource(show_spinner=False, max_entries=16)
def feature_index(layer_id: str, stamp: tuple, _gdf: gpd.GeoDataFrame) -> FeatureIndex:
    """Return the layer's click index for ``stamp`` (built on first use, then shared)."""
    return FeatureIndex(_gdf)


def split_tiled(
    layers: Sequence[MapLayer], min_features: int = TILED_LAYER_MIN_FEATURES
) -> tuple[list[MapLayer], list[MapLayer]]:
    """Split layers (project or context) into those drawn inline and those drawn as tiles.

    ``min_features``: see :func:`geo.tiles.is_tiled`.
    """
    inline, tiled = [], []
    for layer in layers:
        kind, count = layer.spec.geometry_kind, len(layer.data)
        big = is_tiled(layer.spec.id, count, kind, min_features=min_features)
        (tiled if big else inline).append(layer)
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


def start_build(layer: MapLayer, stamp: tuple, builds: TileBuilds | None = None) -> bool:
    """Start the tiles of ``layer`` at the app data's ``stamp`` if it is tiled; say whether.

    Called right after an import commit, so the map page finds the archive built or
    building; a build already known for that version is not started again.
    """
    spec = layer.spec
    if not is_tiled(spec.id, len(layer.data), spec.geometry_kind):
        return False
    (builds or tile_builds()).request(spec.id, layer_stamp(stamp, spec.id), layer.data)
    return True


def tiled_groups(
    layers: Sequence[MapLayer],
    stamp: tuple,
    *,
    lang: str,
    flt: TileFilter,
    builds: TileBuilds | None = None,
) -> tuple[list[folium.FeatureGroup], list[BuildState]]:
    """Return the feature groups of the tiled layers whose archive is ready, and the others.

    The groups are for ``st_folium``'s ``feature_group_to_add``; the states of the layers
    still building or failed are for :func:`build_notices`. Asking starts a build that is
    not known yet (``builds``: the registry, default :func:`tile_builds`); nothing waits.
    A context layer (an imported parcel plan) is drawn whole in the context pane: the
    filter's statuses and selection are the project layers'.
    """
    builds = builds or tile_builds()
    groups, pending = [], []
    for layer in layers:
        state = builds.request(layer.spec.id, layer_stamp(stamp, layer.spec.id), layer.data)
        if state.archive is None:
            pending.append(state)
            continue
        context = layer.spec.schema == "context"
        group = folium.FeatureGroup(name=layer.spec.title[lang])
        TiledLayer(
            state.archive,
            tile_style_table(layer.spec, lang),
            TileFilter(flt.as_of) if context else flt,
            name=layer.spec.title[lang],
            pane=style.pane_name(layer.spec.geometry_kind, "context" if context else "project"),
        ).add_to(group)
        groups.append(group)
    return groups, pending


def build_notices(
    pending: Sequence[BuildState],
    titles: Mapping[str, str],
    lang: str,
    builds: TileBuilds | None = None,
) -> None:
    """Say which tiled layers are being built or failed; re-run the page when a build ends.

    ``titles``: each layer's title in ``lang``, by id (registry text, escaped). A failed
    build shows its error and a button that starts it again. While a build runs, a
    fragment looks at the registry every :data:`BUILD_POLL_S` seconds (a dict read) and
    re-runs the whole page once no build of ``pending`` is still running.
    """
    builds = builds or tile_builds()
    running = [s for s in pending if s.state == "building"]
    for state in pending:
        title = titles.get(state.layer_id, state.layer_id)
        if state.state == "building":
            text = t("tiles.building", lang, layer=title, count=state.features)
            st.info(escape_markdown(text), icon=":material/hourglass_top:")
        else:
            text = t("tiles.failed", lang, layer=title, error=state.error or "")
            st.error(escape_markdown(text))
            st.button(
                t("tiles.retry", lang),
                key=ui_state.tiles_retry_key(state.layer_id),
                on_click=builds.retry,
                args=(state.layer_id, state.stamp),
            )
    if running:
        _wait_for_builds(running, builds)


def _wait_for_builds(running: Sequence[BuildState], builds: TileBuilds) -> None:
    keys = [(s.layer_id, s.stamp) for s in running]

    @st.fragment(run_every=BUILD_POLL_S)
    def _poll() -> None:
        states = [builds.state(layer_id, stamp) for layer_id, stamp in keys]
        if all(s is None or s.state != "building" for s in states):
            st.rerun(scope="app")

    _poll()


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

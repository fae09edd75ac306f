"""The map page: the folium map (with its legend on it) and the project picker."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import streamlit as st
from streamlit_folium import st_folium

from geo import style
from geo.i18n import feature_name, t
from geo.limits import TILED_LAYER_MIN_FEATURES
from geo.map_data import LayerData, MapLayer
from geo.mapview import (
    DEFAULT_ASSET_BASE_URL,
    base_map,
    context_layer_data,
    overlay_group,
    project_groups,
)
from geo.measure_control import add_measure_control
from geo.summary import matching_ids, not_yet_started
from geo.tile_builds import TileBuilds
from geo.tile_layer import add_tile_script
from ui import state as ui_state
from ui.data import AppData, load_app_data
from ui.detail import source_label
from ui.query import ViewState
from ui.tiled import build_notices, clicked_tiled_id, split_tiled, tile_filter, tiled_groups

#: The only value the app reads from the map: pan and zoom do not re-run the app.
RETURNED_OBJECTS = ["last_active_drawing"]
#: With a tiled layer on the map (ui.tiled), a click is also read as a position, and where
#: the last click on an inline feature was (``inline_click`` tells the two apart).
RETURNED_OBJECTS_TILED = [*RETURNED_OBJECTS, "last_clicked", "last_object_clicked"]


def clicked_feature_id(value: Mapping[str, Any] | None, known: Collection[str]) -> str | None:
    """Turn the map's return value into the id of the clicked project, if any.

    Examples
    --------
    >>> clicked_feature_id({"last_active_drawing": {"properties": {"id": "gate-x"}}}, {"gate-x"})
    'gate-x'
    >>> clicked_feature_id({"last_active_drawing": None}, {"gate-x"}) is None
    True
    """
    drawing = (value or {}).get("last_active_drawing") or {}
    fid = (drawing.get("properties") or {}).get("id")
    return fid if isinstance(fid, str) and fid in known else None


def inline_click(value: Mapping[str, Any] | None) -> bool:
    """Whether the map's last click was on an inline feature (not on a tile or empty map).

    ``st_folium`` reports every click's position as ``last_clicked``, and a click on an
    inline feature's also as ``last_object_clicked`` (with the feature as
    ``last_active_drawing``). After a click elsewhere the two differ, while
    ``last_active_drawing`` still holds the earlier feature.

    Examples
    --------
    >>> here = {"lat": 21.9, "lng": 106.7}
    >>> inline_click({"last_clicked": here, "last_object_clicked": dict(here)})
    True
    >>> inline_click({"last_clicked": {"lat": 21.8, "lng": 106.7}, "last_object_clicked": here})
    False
    >>> inline_click({"last_clicked": None, "last_object_clicked": None})
    False
    """
    value = value or {}
    on_object = value.get("last_object_clicked")
    return on_object is not None and on_object == value.get("last_clicked")


def map_click_id(
    value: Mapping[str, Any] | None,
    known: Collection[str],
    tiled: Sequence[MapLayer] = (),
    stamp: tuple = (),
    shown: Collection[str] | None = None,
) -> str | None:
    """Return the id of the feature the map's last click selects, if any.

    Without tiled layers: the inline feature clicked (:func:`clicked_feature_id`). With
    them: the inline feature only if the last click was on it (:func:`inline_click`),
    else the tiled feature under the click's position (among ``shown``), else nothing:
    a click on empty map never selects the inline feature clicked before.
    """
    if not tiled or inline_click(value):
        return clicked_feature_id(value, known)
    # A tiled layer's features have no script in the page: the click's position finds them.
    return clicked_tiled_id(value, tiled, stamp, among=shown)


def _on_map_change(
    known: Collection[str],
    tiled: list[MapLayer] | None = None,
    stamp: tuple = (),
    shown: Collection[str] | None = None,
) -> None:
    value = st.session_state.get(ui_state.MAP_KEY)
    fid = map_click_id(value, known, tiled or (), stamp, shown)
    if fid is not None:
        ui_state.set_view("feature", fid)


@st.cache_data(show_spinner=False, max_entries=64)
def prepared_context(layer_id: str, lang: str, stamp: tuple) -> LayerData:
    """Return a context layer ready for the map, once per layer, language and data version.

    ``stamp`` (:attr:`ui.data.AppData.stamp`: the store's layer versions, or the file
    times of a registry read directly) is the cache key: changed data is prepared again.
    """
    return context_layer_data(load_app_data().map_layer(layer_id), lang=lang)


def visible_project_ids(data: AppData, state: ViewState) -> list[str]:
    """Return the projects drawn for ``state``: visible layer, group, status, search."""
    layers = [
        layer_id for layer_id in state.layers if data.registry.get(layer_id).group in state.groups
    ]
    return matching_ids(
        data.project_features(),
        as_of=state.as_of,
        statuses=state.statuses,
        search=state.search,
        layers=layers,
    )


def fit_request(state: ViewState) -> str:
    """Return what the person asked the map to show, as a string: when it changes, the map fits.

    Filters, search and selection; not the layers, the date, the language or the
    basemap (switching a layer, a play step or a language switch must not undo the
    person's own view: they refit only while the person has not moved the map).

    Examples
    --------
    >>> from datetime import date
    >>> a = fit_request(ViewState(search="dong dang", as_of=date(2025, 1, 1)))
    >>> a == fit_request(ViewState(search="dong dang", as_of=date(2026, 1, 1), lang="en"))
    True
    >>> a == fit_request(ViewState(search="dong"))
    False
    """
    parts = {
        "statuses": sorted(state.statuses),
        "groups": sorted(state.groups),
        "search": state.search,
        "feature": state.feature,
    }
    return repr(sorted(parts.items()))


def narrows(state: ViewState) -> bool:
    """Whether a filter or a search narrows what the map shows (the layers do not).

    With nothing narrowing it, the map shows its home view (the zone's core),
    not every project down to the far end of the longest road.

    Examples
    --------
    >>> narrows(ViewState())
    False
    >>> narrows(ViewState(search="dong dang")), narrows(ViewState(statuses=("planned",)))
    (True, True)
    """
    default = ViewState()
    return (
        bool(state.search.strip())
        or set(state.statuses) != set(default.statuses)
        or set(state.groups) != set(default.groups)
    )


def map_view(
    data: AppData,
    state: ViewState,
    shown: list[str],
    *,
    tiled_min_features: int = TILED_LAYER_MIN_FEATURES,
    builds: TileBuilds | None = None,
) -> None:
    """Draw the map for ``state``; a click selects a project (see ``_on_map_change``).

    Polygon layers of more than ``tiled_min_features`` features (project layers, and
    context layers such as an imported parcel plan) and the lot layers are drawn as
    vector tiles (:mod:`ui.tiled`), built in the background by ``builds`` (default: the
    process's registry, :func:`ui.tiled.tile_builds`). Tiled context features are not
    selectable (they are not projects).

    The map fits the selected project, else the projects in ``shown``, whenever the
    filters, search, layers or selection change (in the browser, which knows the
    map's size; see ``geo.map_overlay.MapOverlay``). Its legend and credits are on it.
    """
    context = [
        data.map_layer(layer_id)
        for layer_id in state.layers
        if data.registry.get(layer_id).schema == "context" and layer_id in data.layers
    ]
    # Large polygon layers (an imported parcel plan is a context layer) leave the page.
    context, tiled_context = split_tiled(context, tiled_min_features)
    projects = [layer for layer in data.project_layers() if layer.spec.id in state.layers]
    projects, tiled = split_tiled(projects, tiled_min_features)
    prepared = {
        layer.spec.id: prepared_context(layer.spec.id, state.lang, data.stamp) for layer in context
    }
    fmap = base_map(context, lang=state.lang, basemap=state.basemap, prepared=prepared)
    add_measure_control(fmap, state.lang, DEFAULT_ASSET_BASE_URL)  # for everyone, not planners only
    groups = project_groups(
        projects,
        lang=state.lang,
        as_of=state.as_of,
        feature_ids=set(shown),
        selected=state.feature,
        colour_by=state.colour_by,
        source_names={sid: source_label(data, sid) or sid for sid in data.sources},
    )
    if tiled or tiled_context:
        add_tile_script(fmap, DEFAULT_ASSET_BASE_URL)
        drawn = {fid for layer in tiled for fid in layer.data.index}
        flt = tile_filter(state.as_of, state.statuses, state.feature, drawn)
        tiled_drawn, pending = tiled_groups(
            [*tiled_context, *tiled], data.stamp, lang=state.lang, flt=flt, builds=builds
        )
        groups[:0] = tiled_drawn
        building = {s.layer_id for s in pending}
        tiled = [layer for layer in tiled if layer.spec.id not in building]  # clicks: drawn only
        titles = {spec.id: spec.title[state.lang] for spec in data.registry.layers}
        build_notices(pending, titles, state.lang, builds=builds)
    known = set(data.project_features())
    selected = state.feature in known
    groups.append(
        overlay_group(
            [data.map_layer(i) for i in state.layers if i in data.layers],
            lang=state.lang,
            as_of=state.as_of,
            request=fit_request(state),
            fit_ids={state.feature} if selected else set(shown),
            home=not selected and not narrows(state),
            colour_by=state.colour_by,
        )
    )
    st_folium(
        fmap,
        key=ui_state.MAP_KEY,
        height=style.MAP_HEIGHT_PX,
        use_container_width=True,
        returned_objects=RETURNED_OBJECTS_TILED if tiled else RETURNED_OBJECTS,
        feature_group_to_add=groups,
        on_change=lambda: _on_map_change(known, tiled, data.stamp, set(shown)),
    )


def feature_picker(data: AppData, state: ViewState, shown: list[str]) -> str | None:
    """Draw the project selector (mirrors map clicks); return the selected id."""
    features = data.project_features()
    options: list[str | None] = [None, *shown]
    if state.feature and state.feature not in options:
        options.append(state.feature)
    return st.selectbox(
        t("map.select_feature", state.lang),
        options,
        format_func=lambda fid: (
            t("map.no_selection", state.lang)
            if fid is None
            else feature_name(features[fid], state.lang)
        ),
        placeholder=t("map.no_selection", state.lang),
        help=t("map.click_hint", state.lang),
        **ui_state.bind_field("feature", state.lang),
    )


def result_counts(data: AppData, state: ViewState, shown: list[str]) -> None:
    """Say how many projects are drawn, and how many the date hides."""
    if not shown:
        st.info(t("map.no_results", state.lang))
    else:
        st.caption(t("map.results", state.lang, count=len(shown)))
    hidden = not_yet_started(data.project_features(), state.as_of)
    if hidden:
        st.caption(t("map.hidden_by_date", state.lang, count=len(hidden)))

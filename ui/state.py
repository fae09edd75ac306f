"""The bridge between the URL, the widgets and the view state.

On a session's first run the query string seeds the widget keys; on every run
the view state is read back from the widgets and written to the query string,
so the address bar always holds the current view.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from ui.data import AppData
from ui.query import Ignored, ViewState, parse_query, to_query

INIT_KEY = "_view_initialised"
IGNORED_KEY = "_view_ignored"


def layer_key(layer_id: str) -> str:
    """Return the session key of a layer's on/off checkbox."""
    return f"layer:{layer_id}"


def default_layers(data: AppData) -> list[str]:
    """Return the layers on by default (registry ``visible``)."""
    return [spec.id for spec in data.registry.layers if spec.visible]


def seed_from_query(data: AppData, today: date) -> list[Ignored]:
    """On the first run of a session, set the widget keys from the query string.

    Returns
    -------
    list of Ignored
        What the link held that could not be used (kept for the session's first run).
    """
    if st.session_state.get(INIT_KEY):
        return st.session_state.get(IGNORED_KEY, [])
    params = {key: st.query_params[key] for key in st.query_params}
    state, ignored = parse_query(
        params,
        layer_ids=[spec.id for spec in data.registry.layers],
        default_layers=default_layers(data),
        feature_ids=data.project_features().keys(),
        date_bounds=data.date_bounds(today),
        today=today,
    )
    st.session_state["page"] = state.page
    st.session_state["lang"] = state.lang
    for spec in data.registry.layers:
        st.session_state[layer_key(spec.id)] = spec.id in state.layers
    st.session_state["feature"] = state.feature
    st.session_state["as_of"] = state.as_of
    st.session_state["statuses"] = list(state.statuses)
    st.session_state["groups"] = list(state.groups)
    st.session_state["search"] = state.search
    st.session_state["basemap"] = state.basemap
    st.session_state[INIT_KEY] = True
    st.session_state[IGNORED_KEY] = ignored
    return ignored


def current_state(data: AppData) -> ViewState:
    """Return the view state held by the widgets."""
    return ViewState(
        page=st.session_state["page"],
        lang=st.session_state["lang"],
        layers=tuple(
            spec.id for spec in data.registry.layers if st.session_state.get(layer_key(spec.id))
        ),
        feature=st.session_state.get("feature"),
        as_of=st.session_state["as_of"],
        statuses=tuple(st.session_state["statuses"]),
        groups=tuple(st.session_state["groups"]),
        search=st.session_state.get("search", ""),
        basemap=st.session_state.get("basemap", "osm"),
    )


def write_query(data: AppData, state: ViewState, today: date) -> None:
    """Put ``state`` in the address bar (only when it changed, to avoid needless reruns)."""
    wanted = to_query(state, default_layers=default_layers(data), today=today)
    current = {key: st.query_params[key] for key in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)

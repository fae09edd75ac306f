"""Every session-state key of the app, and the bridge between the URL, the view and the widgets.

The *view* (what the person looks at: page, language, layers, selection, date,
filters, search, basemap) is held under language-independent keys
``view.<field>``, always as stable ids: a layer id, a status code, a basemap key,
a feature id, a page key. A widget only shows it:

* each widget whose labels depend on the language is keyed per language
  (:func:`widget_key`), so a language change makes a new widget instead of
  handing the old one a value it cannot name (Streamlit keeps a select widget's
  value as its *formatted label*: after a switch that label names nothing, which
  raised ``KeyError`` on the second switch);
* before it is drawn, the widget is given the view's value (:func:`bind`), and
  its ``on_change`` callback copies the person's choice back into the view
  (callbacks run before the script, so the whole run sees one view).

On a session's first run the query string seeds the view; every run then writes
the view back to the query string *before* the page is drawn, so a link copied
while the map is still drawing already holds the current view.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import fields
from datetime import date
from typing import Any, Final

import streamlit as st

from ui.data import AppData
from ui.query import Ignored, ViewState, parse_query, to_query

#: The fields of :class:`ui.query.ViewState`, each held under :func:`view_key`.
VIEW_FIELDS: Final[tuple[str, ...]] = tuple(f.name for f in fields(ViewState))

#: Set once the query string has seeded the view (first run of a session).
INIT_KEY: Final = "_view_initialised"
#: What the first link held that could not be used (shown on the first run).
IGNORED_KEY: Final = "_view_ignored"
#: The map component (``st_folium``) and the value it returns.
MAP_KEY: Final = "map"
#: Whether the timeline animation is running, and when its last frame was shown.
PLAY_KEY: Final = "playing"
LAST_FRAME_KEY: Final = "_play_last_frame_at"
#: Buttons (their values are not part of the view).
PLAY_BUTTON_KEY: Final = "play_button"
TODAY_BUTTON_KEY: Final = "today_button"
#: The language selector: its labels are the same in every language.
LANGUAGE_WIDGET_KEY: Final = "w.lang"
#: The Import page: the upload, the session's folder for it, the last analysis (its key and
#: report), the last import (layer id, version), the confirm button and the preview map.
IMPORT_UPLOAD_KEY: Final = "import.upload"
IMPORT_FOLDER_KEY: Final = "_import_folder"
IMPORT_ANALYSIS_KEY: Final = "_import_analysis"
IMPORT_DONE_KEY: Final = "_import_done"
IMPORT_CONFIRM_KEY: Final = "import.confirm"
IMPORT_MAP_KEY: Final = "import.map"
#: The answers given for the uploaded file (``{"file": name, "values": {answer: value}}``),
#: kept under a language-independent key so a language switch keeps them; a new file starts
#: from its defaults.
IMPORT_ANSWERS_KEY: Final = "_import_answers"
#: The tour page: its map, its language selector, and its buttons (previous/next and the
#: hidden ones that take the other keys presentation clickers send).
TOUR_MAP_KEY: Final = "tour_map"
TOUR_LANGUAGE_WIDGET_KEY: Final = "w.tour.lang"
TOUR_PREVIOUS_KEY: Final = "tour_previous"
TOUR_NEXT_KEY: Final = "tour_next"
TOUR_EXIT_KEY: Final = "tour_exit"
#: Key prefix of the hidden buttons (their container is ``st-key-tour_keys``, hidden by CSS).
TOUR_KEYS_CONTAINER: Final = "tour_keys"
#: Export widgets, per page (``map`` or ``tour``): paper, orientation and download buttons.
EXPORT_KEY_PREFIX: Final = "export"


def tiles_retry_key(layer_id: str) -> str:
    """Return the key of the button that builds a layer's tiles again after a failure.

    Examples
    --------
    >>> tiles_retry_key("lots")
    'lsz-tiles-retry-lots'
    """
    return f"lsz-tiles-retry-{layer_id}"


def export_key(page: str, name: str) -> str:
    """Return the key of an export widget on ``page``.

    Examples
    --------
    >>> export_key("tour", "pdf")
    'export.tour.pdf'
    """
    return f"{EXPORT_KEY_PREFIX}.{page}.{name}"


def view_key(field: str) -> str:
    """Return the session key that holds one field of the view.

    Examples
    --------
    >>> view_key("basemap")
    'view.basemap'
    """
    if field not in VIEW_FIELDS:
        raise KeyError(f"unknown view field {field!r}; expected one of {', '.join(VIEW_FIELDS)}")
    return f"view.{field}"


def widget_key(name: str, lang: str) -> str:
    """Return the key of the widget ``name`` drawn in language ``lang``.

    Examples
    --------
    >>> widget_key("basemap", "zh")
    'w.zh.basemap'
    >>> widget_key(layer_widget_name("zones"), "en")
    'w.en.layer.zones'
    """
    return f"w.{lang}.{name}"


def layer_widget_name(layer_id: str) -> str:
    """Return the widget name of a layer's on/off checkbox (see :func:`widget_key`)."""
    return f"layer.{layer_id}"


def default_layers(data: AppData) -> list[str]:
    """Return the layers on by default (registry ``visible``)."""
    return [spec.id for spec in data.registry.layers if spec.visible]


def seed_from_query(data: AppData, today: date) -> list[Ignored]:
    """On the first run of a session, set the view from the query string.

    Returns
    -------
    list of Ignored
        What the link held that could not be used (kept for the session).
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
        lot_ids=lot_ids(data),
    )
    for name in VIEW_FIELDS:
        st.session_state[view_key(name)] = getattr(state, name)
    st.session_state[INIT_KEY] = True
    st.session_state[IGNORED_KEY] = ignored
    return ignored


def lot_ids(data: AppData) -> list[str]:
    """Return the id of every lot (features of the layers of schema ``lot``)."""
    return [
        str(fid)
        for spec in data.registry.layers
        if spec.schema == "lot" and spec.id in data.layers
        for fid in data.layers[spec.id].index
    ]


def view_value(field: str) -> Any:
    """Return one field of the current view."""
    return st.session_state[view_key(field)]


def set_view(field: str, value: Any) -> None:
    """Change one field of the view (for callbacks: the next widgets drawn show it)."""
    st.session_state[view_key(field)] = value


def bind(
    name: str,
    lang: str,
    value: Any,
    store: Callable[[Any], None],
) -> dict[str, Any]:
    """Prepare a widget that shows ``value``; return its ``key``/``on_change`` arguments.

    Parameters
    ----------
    name : str
        Widget name (a view field, or :func:`layer_widget_name`).
    lang : str
        The language its labels are drawn in (part of the key).
    value : Any
        What the widget must show on this run (from the view).
    store : callable
        Called with the widget's new value when the person changes it.

    Returns
    -------
    dict
        ``{"key": ..., "on_change": ...}``, to pass to the widget.
    """
    key = widget_key(name, lang)
    st.session_state[key] = list(value) if isinstance(value, tuple) else value
    return {"key": key, "on_change": lambda: store(st.session_state[key])}


def bind_field(field: str, lang: str, convert: Callable[[Any], Any] = lambda v: v) -> dict:
    """:func:`bind` a widget to one field of the view (``convert`` maps its value back)."""
    return bind(field, lang, view_value(field), lambda value: set_view(field, convert(value)))


def toggle_layer(layer_id: str, on: bool, order: Sequence[str]) -> None:
    """Switch one layer on or off in the view, keeping ``order`` (the registry's)."""
    wanted = set(view_value("layers")) - {layer_id} | ({layer_id} if on else set())
    set_view("layers", tuple(i for i in order if i in wanted))


def write_query(data: AppData, state: ViewState, today: date) -> None:
    """Put ``state`` in the address bar (only when it changed, to avoid needless reruns)."""
    wanted = to_query(state, default_layers=default_layers(data), today=today)
    current = {key: st.query_params[key] for key in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)


# ---------------------------------------------------------------------- the investor view

#: The investor view keeps its filters, the selected lot and the lots to compare under
#: language-independent keys ``investor.<name>``, as the view does; its widgets are keyed
#: per language (:func:`widget_key` of ``investor.<name>``), so a language switch keeps them.
INVESTOR_PREFIX: Final = "investor."
#: The results table (its selection state) and the lot map (the value ``st_folium`` returns).
LOT_TABLE_KEY: Final = "lot_table"
LOT_MAP_KEY: Final = "lot_map"
LOT_LOCATOR_KEY: Final = "lot_locator"
#: What the page last wrote into the table's selection, and the lot ids of its rows.
LOT_TABLE_WRITTEN_KEY: Final = "_lot_table_written"
LOT_TABLE_IDS_KEY: Final = "_lot_table_ids"
#: The last lot clicked on the map that the page acted on (cleared by every map event).
LOT_MAP_SEEN_KEY: Final = "_lot_map_seen"
#: The enquiry form, and the reference numbers of the enquiries sent in this session
#: (the only enquiries the public view ever shows: the person's own).
ENQUIRY_FORM_KEY: Final = "enquiry_form"
#: The selected lot (and language) the form's lot was last set to.
ENQUIRY_LOT_SYNCED_KEY: Final = "_enquiry_lot_synced"
ENQUIRIES_SENT_KEY: Final = "_enquiries_sent"
#: The planners' enquiries list: whether it shows answered enquiries too.
ENQUIRY_SHOW_ANSWERED_KEY: Final = "enquiries_show_answered"


def investor_key(name: str) -> str:
    """Return the session key of one value of the investor view.

    Examples
    --------
    >>> investor_key("lot")
    'investor.lot'
    """
    return f"{INVESTOR_PREFIX}{name}"


def investor_value(name: str, default: Any = None) -> Any:
    """Return one value of the investor view (``default`` until it is set)."""
    return st.session_state.get(investor_key(name), default)


def set_investor(name: str, value: Any) -> None:
    """Change one value of the investor view."""
    st.session_state[investor_key(name)] = value


def bind_investor(
    name: str, lang: str, value: Any, convert: Callable[[Any], Any] = lambda v: v
) -> dict:
    """:func:`bind` a widget of the investor view to its value (``convert`` maps it back)."""
    set_investor(name, value)
    return bind(investor_key(name), lang, value, lambda new: set_investor(name, convert(new)))


# ------------------------------------------------ planners (ui.auth, ui.planner)

#: The opaque token of a planner's login; the account behind it lives only in the server's
#: session table (:class:`ui.auth.Sessions`), never in the session state or the URL.
AUTH_TOKEN_KEY: Final = "_auth_token"
LOGIN_NAME_KEY: Final = "login.name"
LOGIN_PASSWORD_KEY: Final = "login.password"
LOGIN_FORM_KEY: Final = "login.form"
LOGOUT_BUTTON_KEY: Final = "login.logout"
#: The message key of the last failed login (shown under the form).
LOGIN_ERROR_KEY: Final = "_login_error"
#: A message to show once after a save (it survives the rerun that shows the saved data).
EDIT_FLASH_KEY: Final = "_edit_flash"
#: The last conflict of a save, kept until the planner chooses.
EDIT_CONFLICT_KEY: Final = "_edit_conflict"
STALE_AGE_KEY: Final = "stale.max_age_days"


def edit_key(feature_id: str, name: str) -> str:
    """Return the key of an edit widget (or value) of one feature.

    Examples
    --------
    >>> edit_key("zone-a", "reason")
    'edit.zone-a.reason'
    """
    return f"edit.{feature_id}.{name}"


def milestone_key(feature_id: str, base_version: int, name: str) -> str:
    """Return the key of a widget of a feature's milestone form, made from ``base_version``.

    The layer version the form was opened on is part of the key, so that after a save (or
    *Keep theirs*) the form starts afresh on what is stored.

    Examples
    --------
    >>> milestone_key("road-a", 7, "which")
    'edit.road-a.milestones.7.which'
    """
    return edit_key(feature_id, f"milestones.{base_version}.{name}")

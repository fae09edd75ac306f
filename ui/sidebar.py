"""The sidebar: language, page, layer tree, filters, timeline and basemap."""

from __future__ import annotations

import time
from datetime import date, timedelta

import streamlit as st

from geo.i18n import LANGUAGE_NAMES, LANGUAGES, status_label, t
from geo.mapview import BASEMAPS
from geo.schema import GROUPS, STATUSES
from geo.timeline import clamp, dates_of
from ui.data import AppData
from ui.query import PAGES, PROJECT_GROUPS
from ui.state import layer_key

PLAY_KEY = "playing"
PLAY_STEP = timedelta(days=30)
PLAY_INTERVAL_S = 1.2
# The next frame is parked here and applied before the slider is drawn: a widget's
# value cannot change after the widget is on the page in the same run.
PENDING_KEY = "_play_pending_as_of"
LAST_FRAME_KEY = "_play_last_frame_at"


def language_and_page() -> tuple[str, str]:
    """Draw the language and page selectors; return ``(lang, page)``."""
    lang = st.sidebar.selectbox(
        "Ngôn ngữ · Language · 语言",
        LANGUAGES,
        format_func=LANGUAGE_NAMES.__getitem__,
        key="lang",
    )
    page = st.sidebar.radio(
        t("nav.page", lang),
        PAGES,
        format_func=lambda p: t(f"nav.{p}", lang),
        key="page",
        horizontal=True,
    )
    return lang, page


def layer_tree(data: AppData, lang: str) -> list[str]:
    """Draw one checkbox per registry layer, grouped; return the ids switched on."""
    st.sidebar.subheader(t("sidebar.layers", lang))
    groups = data.registry.by_group()
    on: list[str] = []
    for group in GROUPS:
        specs = groups.get(group, ())
        if not specs:
            continue
        st.sidebar.caption(t(f"group.{group}", lang))
        for spec in specs:
            broken = spec.id in data.errors
            checked = st.sidebar.checkbox(
                spec.title[lang] + (" ⚠" if broken else ""),
                key=layer_key(spec.id),
                disabled=broken,
            )
            if checked and not broken:
                on.append(spec.id)
    return on


def filters(lang: str) -> tuple[list[str], list[str], str]:
    """Draw the status and group filters and the search box; return them."""
    st.sidebar.subheader(t("sidebar.filters", lang))
    groups = st.sidebar.multiselect(
        t("sidebar.group_filter", lang),
        PROJECT_GROUPS,
        format_func=lambda g: t(f"group.{g}", lang),
        key="groups",
    )
    statuses = st.sidebar.multiselect(
        t("sidebar.status_filter", lang),
        STATUSES,
        format_func=lambda s: status_label(s, lang),
        key="statuses",
    )
    search = st.sidebar.text_input(t("sidebar.search", lang), key="search", max_chars=200)
    return statuses, groups, search


def next_play_date(current: date, milestone_days: list[date], bounds: tuple[date, date]) -> date:
    """Return the next frame of the timeline animation.

    The animation steps to the next milestone date, but never by more than
    ``PLAY_STEP``, so quiet years pass quickly and busy ones show each event;
    after the last date it starts again from the first.
    """
    if current >= bounds[1]:
        return bounds[0]
    later = [d for d in milestone_days if d > current]
    step = min([current + PLAY_STEP, *later[:1]])
    return clamp(step, bounds)


def timeline(data: AppData, lang: str, today: date) -> date:
    """Draw the "as of" slider with play/pause; return the chosen date."""
    bounds = data.date_bounds(today)
    st.sidebar.subheader(t("timeline.as_of", lang))
    pending = st.session_state.pop(PENDING_KEY, None)
    if pending is not None:
        st.session_state["as_of"] = pending
    if st.session_state.get("as_of") is not None:
        st.session_state["as_of"] = clamp(st.session_state["as_of"], bounds)
    as_of = st.sidebar.slider(
        t("timeline.as_of", lang),
        min_value=bounds[0],
        max_value=bounds[1],
        step=timedelta(days=1),
        format="YYYY-MM-DD",
        key="as_of",
        label_visibility="collapsed",
    )
    play_col, today_col = st.sidebar.columns(2)
    playing = st.session_state.get(PLAY_KEY, False)
    # Callbacks run before the next run draws the slider, so they may set its value.
    play_col.button(
        t("timeline.pause" if playing else "timeline.play", lang),
        key="play_button",
        on_click=_toggle_play,
    )
    today_col.button(
        t("timeline.today", lang), key="today_button", on_click=_go_to, args=(clamp(today, bounds),)
    )
    st.sidebar.caption(t("timeline.caption", lang))
    if st.session_state.get(PLAY_KEY):
        _play(data, bounds)
    return as_of


def _toggle_play() -> None:
    st.session_state[PLAY_KEY] = not st.session_state.get(PLAY_KEY, False)
    st.session_state[LAST_FRAME_KEY] = 0.0


def _go_to(day: date) -> None:
    st.session_state[PLAY_KEY] = False
    st.session_state["as_of"] = day


def _play(data: AppData, bounds: tuple[date, date]) -> None:
    days = dates_of(data.project_features().values())

    @st.fragment(run_every=PLAY_INTERVAL_S)
    def _tick() -> None:
        now = time.monotonic()
        if not st.session_state.get(PLAY_KEY):
            return
        if now - st.session_state.get(LAST_FRAME_KEY, 0.0) < PLAY_INTERVAL_S * 0.8:
            return  # the full run that follows a frame must not advance again
        st.session_state[LAST_FRAME_KEY] = now
        st.session_state[PENDING_KEY] = next_play_date(st.session_state["as_of"], days, bounds)
        st.rerun(scope="app")

    _tick()


def basemap(lang: str) -> str:
    """Draw the basemap selector; return a key of ``geo.mapview.BASEMAPS``."""
    return st.sidebar.selectbox(
        t("sidebar.basemap", lang),
        list(BASEMAPS),
        format_func=lambda b: t(f"basemap.{b}", lang),
        key="basemap",
    )

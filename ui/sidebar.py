"""The sidebar: language, page, layer tree, filters, timeline and basemap.

Each function draws its widgets, bound to the view held in :mod:`ui.state` (values
are stable ids; labels are only ``format_func``), and returns what they show.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

import streamlit as st

from geo import style
from geo.basemaps import offered_basemaps
from geo.i18n import LANGUAGE_NAMES, LANGUAGES, status_label, t
from geo.text import escape_markdown
from geo.timeline import clamp, dates_of
from geo.vocabulary import GROUPS, STATUSES
from ui import state as ui_state
from ui.data import AppData
from ui.query import PAGES, PLANNER_PAGES, PROJECT_GROUPS

#: The layer schemas each page's layer tree lists: the map page draws project and context
#: layers (lots are drawn on the Investors page); the Investors page draws context layers
#: under its lots.
MAP_LAYER_SCHEMAS: tuple[str, ...] = ("project", "context")
INVESTOR_LAYER_SCHEMAS: tuple[str, ...] = ("context",)


def language() -> str:
    """Draw the language selector; return the language code."""
    st.session_state[ui_state.LANGUAGE_WIDGET_KEY] = ui_state.view_value("lang")
    return st.sidebar.selectbox(
        "Ngôn ngữ · Language · 语言",
        LANGUAGES,
        format_func=LANGUAGE_NAMES.__getitem__,
        key=ui_state.LANGUAGE_WIDGET_KEY,
        on_change=lambda: ui_state.set_view("lang", st.session_state[ui_state.LANGUAGE_WIDGET_KEY]),
    )


def offered_pages(planner: bool, current: str) -> tuple[str, ...]:
    """Return the pages the selector offers: the planners' pages only to a planner.

    A public session that follows a link to a planners' page (``current``) keeps it, so
    the page says that it is for planners instead of the link failing.

    Examples
    --------
    >>> offered_pages(False, "map")
    ('map', 'dashboard', 'investor', 'tour')
    >>> offered_pages(False, "import")
    ('map', 'dashboard', 'investor', 'import', 'tour')
    >>> offered_pages(True, "map") == PAGES
    True
    """
    return tuple(p for p in PAGES if planner or p not in PLANNER_PAGES or p == current)


def page(lang: str, planner: bool) -> str:
    """Draw the page selector; return the page key (one of :func:`offered_pages`)."""
    return st.sidebar.radio(
        t("nav.page", lang),
        offered_pages(planner, ui_state.view_value("page")),
        format_func=lambda p: t(f"nav.{p}", lang),
        horizontal=True,
        **ui_state.bind_field("page", lang),
    )


def layer_tree(
    data: AppData, lang: str, schemas: tuple[str, ...] = MAP_LAYER_SCHEMAS
) -> tuple[str, ...]:
    """Draw one checkbox per registry layer of ``schemas``, grouped; return the ids switched on.

    The ids returned are the view's, whatever the page lists (a layer not listed stays as
    the link says).
    """
    st.sidebar.subheader(t("sidebar.layers", lang))
    order = [spec.id for spec in data.registry.layers]
    shown = set(ui_state.view_value("layers"))
    groups = data.registry.by_group()
    for group in GROUPS:
        specs = tuple(s for s in groups.get(group, ()) if s.schema in schemas)
        if not specs:
            continue
        st.sidebar.caption(t(f"group.{group}", lang))
        for spec in specs:
            broken = spec.id in data.errors
            st.sidebar.checkbox(
                escape_markdown(spec.title[lang]) + (" ⚠" if broken else ""),
                disabled=broken,
                **ui_state.bind(
                    ui_state.layer_widget_name(spec.id),
                    lang,
                    spec.id in shown,
                    lambda on, layer_id=spec.id: ui_state.toggle_layer(layer_id, on, order),
                ),
            )
    return tuple(ui_state.view_value("layers"))


def lots_pointer(data: AppData, lang: str) -> None:
    """Say, under the map page's layer tree, that lots are drawn on the Investors page."""
    if any(spec.schema == "lot" for spec in data.registry.layers):
        st.sidebar.caption(t("sidebar.lots_on_investor", lang))


def filters(lang: str) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """Draw the group and status filters and the search box; return ``(statuses, groups, q)``."""
    st.sidebar.subheader(t("sidebar.filters", lang))
    groups = st.sidebar.multiselect(
        t("sidebar.group_filter", lang),
        PROJECT_GROUPS,
        format_func=lambda g: t(f"group.{g}", lang),
        **ui_state.bind_field("groups", lang, tuple),
    )
    statuses = st.sidebar.multiselect(
        t("sidebar.status_filter", lang),
        STATUSES,
        format_func=lambda s: status_label(s, lang),
        **ui_state.bind_field("statuses", lang, tuple),
    )
    search = st.sidebar.text_input(
        t("sidebar.search", lang), max_chars=200, **ui_state.bind_field("search", lang)
    )
    return tuple(statuses), tuple(groups), search


def colour_by(lang: str) -> str:
    """Draw the "Colour by" choice (status, or age of the latest figure); return its key."""
    return st.sidebar.radio(
        t("sidebar.colour_by", lang),
        style.COLOUR_BY,
        format_func=lambda key: t(f"colour_by.{key}", lang),
        **ui_state.bind_field("colour_by", lang),
    )


def next_play_date(current: date, event_days: list[date], bounds: tuple[date, date]) -> date:
    """Return the next frame of the timeline animation: the next dated event.

    Each frame is a day on which something was published, so a whole play takes
    one frame per event (about half a minute for the shipped data), then the last
    day of the timeline; after that it starts again from the first.

    Examples
    --------
    >>> bounds = (date(2010, 1, 1), date(2026, 12, 1))
    >>> days = [date(2010, 1, 1), date(2024, 12, 11), date(2025, 11, 27)]
    >>> next_play_date(date(2010, 1, 1), days, bounds)
    datetime.date(2024, 12, 11)
    >>> next_play_date(date(2025, 11, 27), days, bounds)
    datetime.date(2026, 12, 1)
    >>> next_play_date(date(2026, 12, 1), days, bounds)
    datetime.date(2010, 1, 1)
    """
    if current >= bounds[1]:
        return bounds[0]
    later = [d for d in event_days if current < d <= bounds[1]]
    return clamp(min(later, default=bounds[1]), bounds)


def timeline(data: AppData, lang: str, today: date) -> date:
    """Draw the "as of" slider with play/pause and *today*; return the chosen date."""
    bounds = data.date_bounds(today)
    st.sidebar.subheader(t("timeline.as_of", lang))
    ui_state.set_view("as_of", clamp(ui_state.view_value("as_of"), bounds))
    as_of = st.sidebar.slider(
        t("timeline.as_of", lang),
        min_value=bounds[0],
        max_value=bounds[1],
        step=timedelta(days=1),
        format="YYYY-MM-DD",
        label_visibility="collapsed",
        **ui_state.bind_field("as_of", lang),
    )
    play_col, today_col = st.sidebar.columns(2)
    playing = st.session_state.get(ui_state.PLAY_KEY, False)
    # Material icons ship with Streamlit's front end: no emoji font needed.
    play_col.button(
        t("timeline.pause" if playing else "timeline.play", lang),
        icon=style.PAUSE_ICON if playing else style.PLAY_ICON,
        key=ui_state.PLAY_BUTTON_KEY,
        on_click=_toggle_play,
    )
    today_col.button(
        t("timeline.today", lang),
        key=ui_state.TODAY_BUTTON_KEY,
        on_click=_go_to,
        args=(clamp(today, bounds),),
    )
    st.sidebar.caption(t("timeline.caption", lang))
    if playing:
        _play(data, bounds)
    return as_of


def _toggle_play() -> None:
    st.session_state[ui_state.PLAY_KEY] = not st.session_state.get(ui_state.PLAY_KEY, False)
    st.session_state[ui_state.LAST_FRAME_KEY] = 0.0


def _go_to(day: date) -> None:
    st.session_state[ui_state.PLAY_KEY] = False
    ui_state.set_view("as_of", day)


def _play(data: AppData, bounds: tuple[date, date]) -> None:
    days = dates_of(data.project_features().values())

    @st.fragment(run_every=style.PLAY_FRAME_S)
    def _tick() -> None:
        now = time.monotonic()
        if not st.session_state.get(ui_state.PLAY_KEY):
            return
        if now - st.session_state.get(ui_state.LAST_FRAME_KEY, 0.0) < style.PLAY_FRAME_S * 0.8:
            return  # the full run that follows a frame must not advance again
        st.session_state[ui_state.LAST_FRAME_KEY] = now
        ui_state.set_view("as_of", next_play_date(ui_state.view_value("as_of"), days, bounds))
        st.rerun(scope="app")

    _tick()


def basemap(lang: str) -> str:
    """Draw the basemap selector; return a key of ``geo.basemaps.BASEMAPS``.

    Online tile basemaps are offered only where ``LSZ_ONLINE_BASEMAPS=1`` says a network
    exists (``geo.basemaps.offered_basemaps``).
    """
    return st.sidebar.selectbox(
        t("sidebar.basemap", lang),
        list(offered_basemaps()),
        format_func=lambda b: t(f"basemap.{b}", lang),
        **ui_state.bind_field("basemap", lang),
    )

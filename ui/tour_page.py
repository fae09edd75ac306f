"""The presenting mode (``?page=tour&stop=N``): full screen, large type, one stop at a time.

The stop and the language are part of the view (:mod:`ui.state`), so the language switch
keeps the stop, and the address bar always links to the stop shown (its QR code too).
Previous/next are buttons with keyboard shortcuts: ← → (and ↑ ↓, Space, Page Up/Down,
what presentation clickers send, through hidden buttons).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

import streamlit as st

from geo.errors import GeoError
from geo.exports.view_spec import stop_query, stop_view
from geo.i18n import LANGUAGE_NAMES, LANGUAGES, t
from geo.problems import Problem
from geo.share_link import qr_png, view_link
from geo.text import escape_markdown, format_day, format_number
from geo.tour import Stop, features_by_id, load_tour, stop_index, tour_path
from ui import state as ui_state
from ui.data import AppData, load_app_data, registry_path
from ui.query import Ignored
from ui.tour_map import tour_map
from ui.tour_style import TOUR_CSS, TOUR_PANEL_CLASS
from ui.view_exports import export_buttons, material_of

__all__ = ["tour_page", "tour_stops"]

#: Extra keys of presentation clickers: (shortcut, step). ← and → are on the visible buttons.
EXTRA_KEYS: tuple[tuple[str, int], ...] = (
    ("Space", 1),
    ("PageDown", 1),
    ("Down", 1),
    ("PageUp", -1),
    ("Up", -1),
)


@st.cache_data(show_spinner=False, max_entries=8)
def _cached_stops(path: str, mtime: float, stamp: tuple) -> tuple[list[Stop], list[Problem]]:
    """Return the tour's valid stops and problems, once per tour file and data version."""
    data = load_app_data()
    return load_tour(
        Path(path),
        layer_ids=data.registry.ids,
        features=features_by_id(data.layers),
        indicators={item.id: item for item in data.indicators},
        source_ids=data.sources.keys(),
    )


def tour_stops(data: AppData) -> tuple[list[Stop], list[Problem]]:
    """Return the tour beside the registry: its valid stops and every problem."""
    path = tour_path(registry_path())
    mtime = path.stat().st_mtime if path.exists() else 0.0
    return _cached_stops(str(path), mtime, data.stamp)


def _go(step: int, count: int) -> None:
    current = int(ui_state.view_value("stop"))
    ui_state.set_view("stop", max(1, min(count, current + step)))


def _leave() -> None:
    ui_state.set_view("page", "map")


def _write_query(stop: Stop, lang: str) -> None:
    wanted = stop_query(stop, lang)
    current = {key: st.query_params[key] for key in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)


def tour_page(data: AppData, ignored: Sequence[Ignored] = ()) -> None:
    """Draw the tour page for the view's stop and language (and what the link held in vain)."""
    st.html(f"<style>{TOUR_CSS}</style>")
    lang = ui_state.view_value("lang")
    if ignored:
        items = "; ".join(t(item.key, lang, **item.values) for item in ignored)
        st.warning(escape_markdown(t("warning.ignored", lang, items=items)))
    try:
        stops, problems = tour_stops(data)
    except GeoError as exc:  # the tour cannot be read at all: say why, offer the way out
        stops, problems = [], [str(exc)]
    if not stops:
        st.error(escape_markdown(t("tour.none", lang)))
        _problems(problems, lang)
        st.button(t("tour.exit", lang), key=ui_state.TOUR_EXIT_KEY, on_click=_leave)
        return
    index = stop_index(stops, ui_state.view_value("stop"))
    stop = stops[index]
    ui_state.set_view("stop", index + 1)
    _write_query(stop, lang)
    link = view_link(stop_query(stop, lang))
    map_col, panel_col = st.columns([3, 2], gap="medium")
    with map_col:
        tour_map(data, stop, lang, ui_state.view_value("basemap"))
    with panel_col:
        _top_bar(lang)
        _stop_panel(data, stop, len(stops), lang)
        _navigation(index, len(stops), lang)
        st.image(qr_png(link), caption=t("tour.qr_caption", lang), width=150)
        material = material_of(data, stops)
        export_buttons(
            "tour", material, stop_view(stop, lang, count=len(stops), link=link), tour=True
        )
        _problems(problems, lang)


def _top_bar(lang: str) -> None:
    left, right = st.columns([3, 2])
    with left:
        st.session_state[ui_state.TOUR_LANGUAGE_WIDGET_KEY] = lang
        st.segmented_control(
            "Ngôn ngữ · Language · 语言",
            LANGUAGES,
            format_func=LANGUAGE_NAMES.__getitem__,
            key=ui_state.TOUR_LANGUAGE_WIDGET_KEY,
            on_change=_switch_language,
            label_visibility="collapsed",
        )
    with right:
        st.button(t("tour.exit", lang), key=ui_state.TOUR_EXIT_KEY, on_click=_leave)


def _switch_language() -> None:
    chosen = st.session_state.get(ui_state.TOUR_LANGUAGE_WIDGET_KEY)
    if chosen in LANGUAGES:  # a segmented control can be cleared: keep the language then
        ui_state.set_view("lang", chosen)


def _stop_panel(data: AppData, stop: Stop, count: int, lang: str) -> None:
    """The stop's counter, title, text and key figures, as escaped text in large type."""
    e = html.escape
    parts = [
        f'<div class="{TOUR_PANEL_CLASS}">',
        f'<p class="lsz-counter">{e(t("tour.counter", lang, number=stop.number, count=count))}</p>',
        f"<h1>{e(stop.title[lang])}</h1>",
        f"<p>{e(stop.text[lang])}</p>",
    ]
    for figure in stop.figures:
        value = t(
            f"unit.{figure.unit}",
            lang,
            value=format_number(figure.value, 2, grouping=True, lang=lang),
        )
        source = t("export.figure_source", lang, source=_source_label(data, figure.source))
        parts.append(
            f'<div class="lsz-figure"><span class="lsz-figure-value">{e(value)}</span>'
            f'{e(figure.label[lang])}<br><span class="lsz-small">{e(source)}</span></div>'
        )
    as_of = t("tour.as_of", lang, date=format_day(stop.as_of, lang))
    parts.append(f'<p class="lsz-small">{e(as_of)} · {e(t("app.disclaimer", lang))}</p>')
    credits = material_of(data).credits(stop_view(stop, lang, count=count))
    parts.append(
        f'<p class="lsz-small">{e(t("export.data_sources", lang))} {e(" · ".join(credits))}</p>'
    )
    parts.append("</div>")
    st.html("".join(parts))


def _source_label(data: AppData, source_id: str) -> str:
    source = data.sources.get(source_id)
    if source is None:
        return source_id
    return ", ".join(p for p in (source.publisher or source.title, source.date) if p)


def _navigation(index: int, count: int, lang: str) -> None:
    previous, counter, following = st.columns([2, 1, 2])
    with previous:
        st.button(
            t("tour.previous", lang),
            key=ui_state.TOUR_PREVIOUS_KEY,
            on_click=_go,
            args=(-1, count),
            disabled=index == 0,
            shortcut="Left",
            use_container_width=True,
        )
    with counter:
        st.text(f"{index + 1} / {count}")
    with following:
        st.button(
            t("tour.next", lang),
            key=ui_state.TOUR_NEXT_KEY,
            on_click=_go,
            args=(1, count),
            disabled=index == count - 1,
            shortcut="Right",
            use_container_width=True,
        )
    with st.container(key=ui_state.TOUR_KEYS_CONTAINER):
        for shortcut, step in EXTRA_KEYS:
            st.button(
                shortcut,
                key=f"{ui_state.TOUR_KEYS_CONTAINER}.{shortcut}",
                on_click=_go,
                args=(step, count),
                shortcut=shortcut,
            )
    st.caption(t("tour.keys", lang))


def _problems(problems: Sequence[object], lang: str) -> None:
    if problems:
        listed = "; ".join(str(p) for p in problems)
        st.warning(escape_markdown(t("tour.problems", lang, problems=listed)))

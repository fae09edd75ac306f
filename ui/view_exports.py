"""Export buttons (HTML, PNG, PDF) of the map page's view and of the tour, and their data.

The files are made only when a button is pressed (Streamlit's deferred downloads), from the
same :class:`geo.exports.view_spec.ViewMaterial` the command line uses.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import streamlit as st

from geo.exports.view_html import tour_html, view_html
from geo.exports.view_print import PAPERS, render_print
from geo.exports.view_spec import ExportView, ViewMaterial, stop_query
from geo.i18n import t
from geo.share_link import view_link
from geo.tour import Stop
from ui.data import AppData
from ui.query import ViewState
from ui.state import export_key

__all__ = ["export_buttons", "map_export_buttons", "material_of"]

MIME = {"html": "text/html", "png": "image/png", "pdf": "application/pdf"}


def material_of(data: AppData, stops: Sequence[Stop] = ()) -> ViewMaterial:
    """Return what the exports draw from the app's loaded data."""
    layers = {layer_id: data.map_layer(layer_id) for layer_id in data.layers}
    return ViewMaterial(data.registry, layers, data.sources, tuple(stops))


def export_buttons(page: str, material: ViewMaterial, view: ExportView, *, tour: bool) -> None:
    """Draw the download buttons of ``view`` (and of the whole tour when ``tour``)."""
    lang = view.lang
    with st.expander(t("export.heading", lang)):
        paper = st.radio(
            t("export.paper", lang), tuple(PAPERS), horizontal=True, key=export_key(page, "paper")
        )
        portrait = st.checkbox(t("export.portrait", lang), key=export_key(page, "portrait"))
        name = f"lsz-{view.stop.id if view.stop else 'map'}-{lang}"
        buttons: list[tuple[str, str, str, Callable[[], bytes]]] = [
            ("html", t("export.html", lang), f"{name}.html", lambda: _html(material, view)),
            (
                "png",
                t("export.png", lang),
                f"{name}-{paper}.png",
                _print(material, view, "png", paper, portrait),
            ),
            (
                "pdf",
                t("export.pdf", lang),
                f"{name}-{paper}.pdf",
                _print(material, view, "pdf", paper, portrait),
            ),
        ]
        if tour:
            buttons.insert(
                1,
                (
                    "tour_html",
                    t("export.html_tour", lang),
                    f"lsz-tour-{lang}.html",
                    lambda: _tour(material, lang),
                ),
            )
        for kind, label, file_name, make in buttons:
            st.download_button(
                label,
                data=make,
                file_name=file_name,
                mime=MIME[kind.removeprefix("tour_")],
                key=export_key(page, kind),
                on_click="ignore",
            )


def map_export_buttons(data: AppData, state: ViewState) -> None:
    """Draw the export buttons of the map page's view (its layers, date and selection)."""
    view = ExportView(
        lang=state.lang,
        layers=tuple(state.layers),
        as_of=state.as_of,
        feature=state.feature if state.feature in data.project_features() else None,
        colour_by=state.colour_by,
    )
    link = view_link(view.query())
    export_buttons("map", material_of(data), replace(view, link=link), tour=False)


def _html(material: ViewMaterial, view: ExportView) -> bytes:
    return view_html(view, material).encode("utf-8")


def _tour(material: ViewMaterial, lang: str) -> bytes:
    links = [view_link(stop_query(stop, lang)) for stop in material.stops]
    return tour_html(material, lang, links=links).encode("utf-8")


def _print(
    material: ViewMaterial, view: ExportView, fmt: str, paper: str, portrait: bool
) -> Callable[[], bytes]:
    return lambda: render_print(view, material, fmt=fmt, paper=paper, portrait=portrait)

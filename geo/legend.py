"""The map's legend: which colours, dashes and outlines the visible layers use.

:func:`legend_entries` reads the same style table as the map (:mod:`geo.style`),
so the legend cannot drift from what is drawn. The entries are plain data; the
legend control that shows them (text set with ``textContent``) is
:class:`geo.map_overlay.MapOverlay`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from geo import style as st
from geo.feature_state import state_on
from geo.feature_text import age_class_label
from geo.freshness import AGE_CLASSES, figure_age
from geo.i18n import status_label, t
from geo.map_data import MapLayer, iter_features
from geo.text import format_day


def legend_entries(
    layers: Iterable[MapLayer], *, lang: str, as_of: date, colour_by: str = "status"
) -> list[dict[str, str | None]]:
    """Return the legend of the visible layers, from the same style table as the map.

    Each entry: ``{"label", "colour", "dash", "kind"}`` where ``kind`` is
    ``polygon``, ``line``, ``point`` or ``text``. The project colours are listed once,
    for the statuses (or, with ``colour_by="age"``, after a line saying so, the age classes
    of the latest figure) present in the visible project layers on ``as_of``; then the line
    conventions (open / not open) when a road is visible, the accuracy outlines
    used, then one entry per visible context layer.
    """
    layers = list(layers)
    entries: list[dict[str, str | None]] = []
    statuses: set[str | None] = set()
    ages: set[str] = set()
    accuracies: set[str] = set()
    has_line = False
    for layer in layers:
        if layer.spec.schema != "project":
            continue
        has_line |= layer.spec.geometry_kind == "line"
        for _, props, _ in iter_features(layer.data):
            state = state_on(props, as_of)
            if state.exists:
                statuses.add(state.status)
                if colour_by == "age":
                    ages.add(figure_age(state, as_of).age_class)
                if layer.spec.geometry_kind != "line":
                    accuracies.add(str(props.get("geometry_accuracy")))
    if colour_by == "age":
        heading = t("legend.age_heading", lang, date=format_day(as_of, lang))
        entries.append({"label": heading, "colour": None, "dash": None, "kind": "text"})
        entries.extend(
            {
                "label": age_class_label(age_class, lang),
                "colour": st.age_colour(age_class),
                "dash": None,
                "kind": "polygon",
            }
            for age_class in AGE_CLASSES
            if age_class in ages
        )
    for status in st.STATUS_COLOURS if colour_by == "status" else ():
        if status in statuses:
            entries.append(
                {
                    "label": status_label(status, lang),
                    "colour": st.status_colour(status),
                    "dash": None,
                    "kind": "polygon",
                }
            )
    if has_line:
        entries.append(
            {
                "label": t("legend.open", lang),
                "colour": st.NEUTRAL_COLOUR,
                "dash": None,
                "kind": "line",
            }
        )
        entries.append(
            {
                "label": t("legend.not_open", lang),
                "colour": st.NEUTRAL_COLOUR,
                "dash": st.NOT_OPEN_DASH,
                "kind": "line",
            }
        )
    if accuracies - {"surveyed"}:
        entries.append(
            {
                "label": t("legend.not_surveyed_mark", lang),
                "colour": None,
                "dash": None,
                "kind": "text",
            }
        )
    for accuracy, dash in st.ACCURACY_DASH.items():
        if accuracy in accuracies and dash:
            entries.append(
                {
                    "label": t(f"legend.outline_{accuracy}", lang),
                    "colour": st.NEUTRAL_COLOUR,
                    "dash": dash,
                    "kind": "polygon",
                }
            )
    for layer in layers:
        if layer.spec.schema == "context":
            style = st.layer_style(layer.spec.style)
            entries.append(
                {
                    "label": layer.spec.title[lang],
                    "colour": style.colour,
                    "dash": style.dash,
                    "kind": layer.spec.geometry_kind,
                }
            )
    return entries


__all__ = ["legend_entries"]

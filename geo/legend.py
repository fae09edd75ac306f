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
from geo.i18n import status_label, t
from geo.map_data import MapLayer, iter_features
from geo.timeline import status_on


def legend_entries(
    layers: Iterable[MapLayer], *, lang: str, as_of: date
) -> list[dict[str, str | None]]:
    """Return the legend of the visible layers, from the same style table as the map.

    Each entry: ``{"label", "colour", "dash", "kind"}`` where ``kind`` is
    ``polygon``, ``line`` or ``point``. Status colours are listed once, for the
    statuses present in the visible project layers on ``as_of``; then the line
    conventions (open / not open) when a road is visible, the accuracy outlines
    used, then one entry per visible context layer.
    """
    layers = list(layers)
    entries: list[dict[str, str | None]] = []
    statuses: set[str | None] = set()
    accuracies: set[str] = set()
    has_line = False
    for layer in layers:
        if layer.spec.schema != "project":
            continue
        has_line |= layer.spec.geometry_kind == "line"
        for _, props, _ in iter_features(layer.data):
            status = status_on(props, as_of)
            if status is not None:
                statuses.add(status)
                if layer.spec.geometry_kind != "line":
                    accuracies.add(str(props.get("geometry_accuracy")))
    for status in st.STATUS_COLOURS:
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

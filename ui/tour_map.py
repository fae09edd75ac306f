"""The tour page's map: one map that moves from stop to stop without being re-mounted.

The base map holds no layer (it depends only on the language and basemap, so ``st_folium``
keeps it); every stop's layers come as feature groups, and the stop's centre and zoom go to
``st_folium``, which moves the map there (Leaflet animates the pan and zoom).
"""

from __future__ import annotations

import folium
from streamlit_folium import st_folium

from geo import style
from geo.map_elements import DataLayer
from geo.mapview import DEFAULT_ASSET_BASE_URL, base_map, overlay_group, project_groups
from geo.measure_control import add_measure_control
from geo.tour import Stop
from geo.view_frame import fit_view
from geo.viewport import fit_bounds
from ui import state as ui_state
from ui.data import AppData
from ui.map_panel import prepared_context
from ui.tour_style import TOUR_MAP_HEIGHT_PX, TOUR_MAP_WIDTH_PX

__all__ = ["stop_frame", "tour_map"]


def stop_frame(data: AppData, stop: Stop) -> tuple[tuple[float, float], float]:
    """Return the centre and zoom of a stop: its feature's box fitted, or its own centre."""
    if stop.feature is not None:
        layers = [data.map_layer(layer_id) for layer_id in data.layers]
        box = fit_bounds(layers, {stop.feature})
        if box is not None:
            return fit_view(
                box,
                width_px=TOUR_MAP_WIDTH_PX,
                height_px=TOUR_MAP_HEIGHT_PX,
                padding_px=style.FIT_PADDING_PX,
                max_zoom=style.FIT_MAX_ZOOM,
                min_zoom=style.MAP_MIN_ZOOM,
                snap=style.MAP_ZOOM_SNAP,
            )
    if stop.centre is not None and stop.zoom is not None:
        return stop.centre, stop.zoom
    return style.MAP_CENTRE, float(style.MAP_ZOOM)


def tour_map(data: AppData, stop: Stop, lang: str, basemap: str) -> None:
    """Draw the map of ``stop`` in ``lang``."""
    fmap = base_map([], lang=lang, basemap=basemap)
    add_measure_control(fmap, lang, DEFAULT_ASSET_BASE_URL)
    shown = [layer_id for layer_id in stop.layers if layer_id in data.layers]
    groups: list[folium.FeatureGroup] = []
    for layer_id in shown:
        layer = data.map_layer(layer_id)
        if layer.spec.schema != "context":
            continue
        group = folium.FeatureGroup(name=layer.spec.title[lang])
        DataLayer(
            prepared_context(layer_id, lang, data.stamp),
            name=layer.spec.title[lang],
            pane=style.pane_name(layer.spec.geometry_kind, "context"),
        ).add_to(group)
        groups.append(group)
    projects = [
        data.map_layer(layer_id)
        for layer_id in shown
        if data.registry.get(layer_id).schema == "project"
    ]
    selected = stop.feature if stop.feature in data.project_features() else None
    groups += project_groups(projects, lang=lang, as_of=stop.as_of, selected=selected)
    groups.append(
        overlay_group(
            [data.map_layer(layer_id) for layer_id in shown],
            lang=lang,
            as_of=stop.as_of,
            request=f"tour:{stop.id}",
            fit_ids=set(),
        )
    )
    centre, zoom = stop_frame(data, stop)
    st_folium(
        fmap,
        key=ui_state.TOUR_MAP_KEY,
        height=TOUR_MAP_HEIGHT_PX,
        use_container_width=True,
        returned_objects=[],
        feature_group_to_add=groups,
        center=centre,
        zoom=zoom,
    )

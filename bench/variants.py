"""The three ways of drawing the synthetic layers that the benchmark compares.

* ``folium``: the obvious path: a default ``folium.Map`` and one
  ``folium.GeoJson(gdf, style_function=…, tooltip=GeoJsonTooltip(…))`` per layer;
* ``explore``: ``gdf.explore()`` for the parcels, then ``explore(m=…)`` for roads and gates;
* ``ours``: ``geo.mapview.build_map`` with the three layers as project layers
  (parcels as ``zones``, roads as ``roads``, points as ``gates``).

Each builder returns the map and the number of Leaflet objects a browser must have
drawn once the map is ready (paths in the overlay pane + icons in the marker pane).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import folium
from streamlit_folium import _get_feature_group_string, _get_header, _get_html, _get_map_string

from bench.prototype import LAZY_DATA_LAYER_TEMPLATE
from bench.synthetic import SyntheticLayers
from geo import style as st
from geo.map_data import MapLayer
from geo.map_elements import DataLayer
from geo.mapview import base_map, build_map, project_groups
from geo.registry import LayerSpec

#: The date the timeline is drawn for (fixed: results must not depend on the day).
AS_OF = date(2026, 6, 30)
LANG = "vi"
#: Where the served benchmark pages find the vendored Leaflet (relative to the page).
ASSET_BASE_URL = "vendor"
VARIANTS = ("folium", "explore", "ours")
#: Diagnostic variants, run on request (``--variants``): not part of the default table.
DIAGNOSTICS = ("ours_nolabels", "ours_lazy")


def _spec(layer_id: str, kind: str, group: str, style: str) -> LayerSpec:
    return LayerSpec(
        id=layer_id,
        title={"vi": layer_id, "en": layer_id, "zh": layer_id},
        file=Path(f"/dev/null/{layer_id}.geojson"),
        geometry_kind=kind,
        group=group,
        style=style,
        visible=True,
        schema="project",
        source="bench synthetic",
        licence="CC0-1.0",
    )


SPECS = {
    "parcels": _spec("zones", "polygon", "zones", "zone"),
    "roads": _spec("roads", "line", "roads", "cargo_road"),
    "gates": _spec("gates", "point", "gates", "gate"),
}


#: Parcels drawn with a registry style that has no permanent labels (else the same).
_UNLABELLED_PARCELS = _spec("zones", "polygon", "zones", "road_upgrade")


def map_layers(data: SyntheticLayers, *, parcel_labels: bool = True) -> list[MapLayer]:
    """Return the synthetic layers as the app's ``MapLayer`` objects."""
    return [
        MapLayer(SPECS["parcels"] if parcel_labels else _UNLABELLED_PARCELS, data.parcels),
        MapLayer(SPECS["roads"], data.roads),
        MapLayer(SPECS["gates"], data.gates),
    ]


@dataclass
class Built:
    """A built map, its rendered HTML and what the browser must draw."""

    fmap: folium.Map
    html: str
    expected_drawn: int


def _style_by_status(feature: dict[str, Any]) -> dict[str, Any]:
    colour = st.STATUS_COLOURS.get(feature["properties"].get("status"), "#ced4da")
    return {"color": colour, "fillColor": colour, "weight": 2, "fillOpacity": 0.35}


def build_folium(data: SyntheticLayers) -> Built:
    """The obvious path: GeoJSON layers with a per-feature style function and tooltips."""
    fmap = folium.Map(location=list(st.MAP_CENTRE), zoom_start=st.MAP_ZOOM)
    for gdf in (data.parcels, data.roads, data.gates):
        folium.GeoJson(
            gdf,
            style_function=_style_by_status,
            tooltip=folium.GeoJsonTooltip(fields=["name_vi", "status"]),
        ).add_to(fmap)
    return Built(fmap, fmap.get_root().render(), data.all_features())


def build_explore(data: SyntheticLayers) -> Built:
    """``gdf.explore()`` with its defaults (tooltips of every column)."""
    fmap = data.parcels.explore()
    data.roads.explore(m=fmap)
    data.gates.explore(m=fmap)
    return Built(fmap, fmap.get_root().render(), data.all_features())


def _data_layers(fmap: folium.Map) -> list[DataLayer]:
    found, stack = [], [fmap]
    while stack:
        element = stack.pop()
        if isinstance(element, DataLayer):
            found.append(element)
        stack.extend(element._children.values())
    return found


def _drawn(fmap: folium.Map) -> int:
    """Count the features our DataLayers put on the map at load.

    Labels are left out: since commit 8e1599f they are made only from
    ``LABEL_MIN_ZOOM`` (the map opens below it); before, they were made at load by
    the same synchronous script as the features, so features drawn meant labels made.
    """
    return sum(len(layer.data["features"]) for layer in _data_layers(fmap))


def build_ours(data: SyntheticLayers) -> Built:
    """``geo.mapview.build_map`` with the OSM basemap, as the app draws it."""
    fmap = build_map(
        map_layers(data), lang=LANG, as_of=AS_OF, basemap="osm", asset_base_url=ASSET_BASE_URL
    )
    return Built(fmap, fmap.get_root().render(), _drawn(fmap))


def build_ours_nolabels(data: SyntheticLayers) -> Built:
    """Diagnostic: ``build_ours`` with parcels in a style without permanent labels.

    The ``zone`` style labels every polygon (one ``L.marker`` with a ``divIcon`` each);
    this variant shows what those labels cost at N parcels.
    """
    fmap = build_map(
        map_layers(data, parcel_labels=False),
        lang=LANG,
        as_of=AS_OF,
        basemap="osm",
        asset_base_url=ASSET_BASE_URL,
    )
    return Built(fmap, fmap.get_root().render(), _drawn(fmap))


def build_ours_lazy(data: SyntheticLayers) -> Built:
    """Diagnostic: ``build_ours`` with :data:`bench.prototype.LAZY_DATA_LAYER_TEMPLATE`.

    Same data and Python work; the page makes tooltip elements on hover and label
    markers only from ``LABEL_MIN_ZOOM`` (the map opens below it, so none at load).
    """
    fmap = build_map(
        map_layers(data), lang=LANG, as_of=AS_OF, basemap="osm", asset_base_url=ASSET_BASE_URL
    )
    layers = _data_layers(fmap)
    for layer in layers:
        layer._template = LAZY_DATA_LAYER_TEMPLATE
    labels_at_load = st.MAP_ZOOM >= st.LABEL_MIN_ZOOM
    expected = sum(
        len(x.data["features"]) + (len(x.labels) if labels_at_load else 0) for x in layers
    )
    return Built(fmap, fmap.get_root().render(), expected)


BUILDERS: dict[str, Callable[[SyntheticLayers], Built]] = {
    "folium": build_folium,
    "explore": build_explore,
    "ours": build_ours,
    "ours_nolabels": build_ours_nolabels,
    "ours_lazy": build_ours_lazy,
}


# ---------------------------------------------------------------------------
# What st_folium computes and sends


def st_folium_payload(
    fmap: folium.Map, groups: list[folium.FeatureGroup] | None = None
) -> dict[str, int]:
    """Return the byte sizes of the strings ``st_folium`` sends for ``fmap`` and ``groups``.

    Mirrors ``streamlit_folium.st_folium`` 0.27.4 (render, ``_get_html``, ``_get_header``,
    ``_get_map_string``, one ``_get_feature_group_string`` per group) without Streamlit.
    """
    fmap.get_root().render()
    fmap.render()
    html = _get_html(fmap)
    header = _get_header(fmap)
    script = _get_map_string(fmap)
    groups_js = "".join(
        _get_feature_group_string(group, map=fmap, idx=idx)
        for idx, group in enumerate(groups or [])
    )
    return {
        "script": len(script.encode()),
        "html_header": len(html.encode()) + len(header.encode()),
        "feature_group": len(groups_js.encode()),
    }


def ours_rerun_payload(data: SyntheticLayers) -> dict[str, int]:
    """What the app's map panel hands to st_folium: a base map and the project groups."""
    fmap = base_map([], lang=LANG, basemap="osm")
    groups = project_groups(map_layers(data), lang=LANG, as_of=AS_OF)
    return st_folium_payload(fmap, groups)


def ours_whole_payload(data: SyntheticLayers) -> dict[str, int]:
    """The same layers inside the map itself (no ``feature_group_to_add``)."""
    return st_folium_payload(build_ours(data).fmap)


def folium_payload(data: SyntheticLayers) -> dict[str, int]:
    """The obvious path through st_folium: everything in the map's own script."""
    return st_folium_payload(build_folium(data).fmap)


# ---------------------------------------------------------------------------
# Offline serving

_LEAFLET_CDN = re.compile(
    r"https://cdn\.jsdelivr\.net/npm/leaflet@[\d.]+/dist/(leaflet\.(?:js|css))"
)


def localise(html: str) -> str:
    """Point folium's Leaflet CDN tags at the vendored copy (``vendor/leaflet/``).

    Other CDN assets (jQuery, Bootstrap, Font Awesome, awesome-markers) are left in
    place: the browser harness aborts every non-loopback request, as a venue with no
    network would.
    """
    return _LEAFLET_CDN.sub(rf"{ASSET_BASE_URL}/leaflet/\1", html)

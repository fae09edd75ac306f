"""Bench-only Streamlit page: the synthetic layers through ``st_folium``, a filter and a toggle.

Started by ``bench.st_wire`` (not by the app). Environment: ``BENCH_N`` parcels,
``BENCH_MODE`` one of

* ``folium`` (the obvious path) and ``explore`` (``gdf.explore()``): the whole map
  rebuilt with the filtered frames on every run;
* ``ours``: ``base_map`` + ``project_groups`` as ``feature_group_to_add``, as
  ``ui/map_panel.py`` draws inline layers;
* ``tiled``: the lots from the PMTiles archive ``BENCH_ARCHIVE_URL`` (a
  ``geo.tile_layer.TiledLayer`` whose filter carries the statuses), roads and gates
  inline, as ``ui/map_panel.py`` draws tiled layers.

The checkbox "hide planned" hides the planned parcels (a filter change); "roads and
gates" shows or hides those two layers (a layer toggle). The caption says when the run
is done and in which state, which is what ``bench.st_wire`` waits for.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import folium
import streamlit as st
from streamlit_folium import st_folium

from bench.synthetic import SyntheticLayers, synthetic_layers
from bench.variants import AS_OF, LANG, SPECS, _style_by_status, map_layers
from geo import style
from geo.mapview import DEFAULT_ASSET_BASE_URL, base_map, project_groups
from geo.tile_layer import TiledLayer, TileFilter, add_tile_script, tile_style_table
from geo.tiles import TileArchive

N = int(os.environ.get("BENCH_N", "1000"))
MODE = os.environ.get("BENCH_MODE", "ours")
ARCHIVE_URL = os.environ.get("BENCH_ARCHIVE_URL", "")
#: Every status but "planned": what the tiled filter keeps when planned lots are hidden.
UNPLANNED = tuple(s for s in style.STATUS_COLOURS if s != "planned")


@st.cache_resource
def _data(n: int) -> SyntheticLayers:
    held = os.environ.get("BENCH_DATA")
    if held:  # made by bench.st_wire (a trusted file it wrote itself)
        return pickle.loads(Path(held).read_bytes())
    return synthetic_layers(n)


def _obvious(parcels, others) -> folium.Map:
    fmap = folium.Map(location=list(style.MAP_CENTRE), zoom_start=style.MAP_ZOOM)
    for gdf in (parcels, *others):
        folium.GeoJson(
            gdf,
            style_function=_style_by_status,
            tooltip=folium.GeoJsonTooltip(fields=["name_vi", "status"]),
        ).add_to(fmap)
    return fmap


def _explore(parcels, others) -> folium.Map:
    fmap = parcels.explore()
    for gdf in others:
        gdf.explore(m=fmap)
    return fmap


data = _data(N)
hide_planned = st.checkbox("hide planned", key="hide_planned")
show_roads = st.checkbox("roads and gates", value=True, key="show_roads")
parcels = data.parcels[data.parcels.status != "planned"] if hide_planned else data.parcels
others = (data.roads, data.gates) if show_roads else ()
if MODE in ("folium", "explore"):
    fmap = (_obvious if MODE == "folium" else _explore)(parcels, others)
    st_folium(fmap, key="map", height=500, returned_objects=[])
else:
    rest = map_layers(data)[1:] if show_roads else []
    fmap = base_map([], lang=LANG, basemap="osm")
    if MODE == "ours":
        shown = set(parcels.index) | set(data.roads.index) | set(data.gates.index)
        groups = project_groups(
            map_layers(data)[:1] + rest, lang=LANG, as_of=AS_OF, feature_ids=shown
        )
    else:
        add_tile_script(fmap, DEFAULT_ASSET_BASE_URL)
        archive = TileArchive(Path(ARCHIVE_URL), ARCHIVE_URL, "lots", (0, 0, 0, 0), N)
        lots = folium.FeatureGroup(name="lots")
        TiledLayer(
            archive,
            tile_style_table(SPECS["parcels"]),
            TileFilter(AS_OF, statuses=UNPLANNED if hide_planned else None),
            name="lots",
            pane=style.pane_name("polygon", "project"),
        ).add_to(lots)
        groups = [lots, *project_groups(rest, lang=LANG, as_of=AS_OF)]
    st_folium(fmap, key="map", height=500, returned_objects=[], feature_group_to_add=groups)
st.caption(f"done {N} {MODE} {len(parcels)} {'roads' if show_roads else 'noroads'}")

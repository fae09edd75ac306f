"""Streamlit page for tests/e2e/test_tiles_browser.py: a tiled synthetic lot layer.

The same pieces as the map page (``ui.map_panel``) for a tiled layer: the base map,
the tiled layer from ``ui.tiled`` (archive built into ``static/tiles`` and served by
Streamlit's static route), a click read as a position and looked up in the STRtree, and
one inline feature beside it (a click is told apart as the map page does,
``ui.map_panel.map_click_id``).
``LSZ_TILES_FIXTURE_LOTS`` lots (default 300) from ``tests.lot_grid``; a checkbox hides
planned lots (a filter sent to the browser); the selection is shown as text. The
archive is built in the background (``ui.tiled.tile_builds``), or by the registry a test
puts in the session state under ``BUILDS_KEY`` (tests/test_tiles_app.py: a gated build).
"""

from __future__ import annotations

import dataclasses
import os
import sys
from datetime import date

sys.path.insert(0, os.getcwd())  # the server runs from the repository root

import folium
import streamlit as st
from shapely.geometry import box
from streamlit_folium import st_folium

from geo import style
from geo.map_data import LayerData, MapLayer
from geo.map_elements import DataLayer
from geo.mapview import DEFAULT_ASSET_BASE_URL, base_map
from geo.registry import load_registry
from geo.tile_layer import add_tile_script
from geo.vocabulary import STATUSES
from tests.lot_grid import lot_grid
from ui.map_panel import RETURNED_OBJECTS_TILED, map_click_id
from ui.tiled import build_notices, tile_filter, tiled_groups

LAYER_ID = "e2e_lots"  # never "lots": the fixture must not replace a real archive
COUNT = int(os.environ.get("LSZ_TILES_FIXTURE_LOTS", "300"))
STAMP = ("e2e-fixture", COUNT)
AS_OF = date(2026, 6, 30)
#: A lot whose code is markup (the hover tooltip must show it as text).
HOSTILE_LOT = "lot-00124"
HOSTILE_CODE = "<b>G-124</b><img src=x onerror=alert(1)>"
#: An inline (GeoJSON) feature east of the grid, drawn beside the tiles as on the map page.
INLINE_ID = "inline-zone"
INLINE_BOX = (106.7255, 21.9045, 106.7295, 21.9085)
#: Session state key of a test's own tile build registry (default: the app's).
BUILDS_KEY = "lsz_test_tile_builds"


@st.cache_resource
def _layer() -> MapLayer:
    spec = dataclasses.replace(
        load_registry().get("zones"),
        id=LAYER_ID,
        title={"vi": "Lô", "en": "Lots", "zh": "地块"},
    )
    lots = lot_grid(COUNT)
    if HOSTILE_LOT in lots.index:
        lots.loc[HOSTILE_LOT, "code"] = HOSTILE_CODE  # must show as text in the tooltip
    return MapLayer(spec, lots)


st.set_page_config(page_title="tiles fixture", layout="wide")
layer = _layer()
hide_planned = st.checkbox("hide planned")
statuses = tuple(s for s in STATUSES if not (hide_planned and s == "planned"))
drawn = set(layer.data.index[layer.data["status"].isin(statuses)])


def _on_click() -> None:
    st.session_state["clicks"] = st.session_state.get("clicks", 0) + 1
    fid = map_click_id(st.session_state.get("map"), {INLINE_ID}, [layer], STAMP, drawn)
    if fid is not None:
        st.session_state["selected"] = fid


def _inline_group() -> folium.FeatureGroup:
    data = LayerData()
    options = {"color": "#000000", "weight": 2, "fillColor": "#ffffff", "fillOpacity": 0.5}
    data.add(box(*INLINE_BOX), {"id": INLINE_ID, "tip": "inline"}, options)
    group = folium.FeatureGroup(name="inline")
    DataLayer(data, name="inline", pane=style.pane_name("polygon", "project")).add_to(group)
    return group


fmap = base_map([], lang="en", basemap="none")
add_tile_script(fmap, DEFAULT_ASSET_BASE_URL)
west, south, east, north = layer.data.total_bounds
fmap.fit_bounds([[south, west], [max(north, INLINE_BOX[3]), max(east, INLINE_BOX[2])]])
flt = tile_filter(AS_OF, statuses, st.session_state.get("selected"), drawn)
builds = st.session_state.get(BUILDS_KEY)
groups, pending = tiled_groups([layer], STAMP, lang="en", flt=flt, builds=builds)
build_notices(
    pending, {LAYER_ID: "Lots"}, "en", builds=builds
)  # built in the background: the page re-runs
st_folium(
    fmap,
    key="map",
    height=600,
    use_container_width=True,
    returned_objects=RETURNED_OBJECTS_TILED,
    feature_group_to_add=[*groups, _inline_group()],
    on_change=_on_click,
)
st.text(f"selected: {st.session_state.get('selected') or '-'}")
st.text(f"clicks: {st.session_state.get('clicks', 0)}")
if not pending:
    st.text(f"tiles fixture ready: {', '.join(g.get_name() for g in groups)}")

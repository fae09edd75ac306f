"""Streamlit page for tests/e2e/test_measure_browser.py: the measuring tool on the app's map.

The base map of the map page (no basemap: nothing leaves the machine) with the measuring
tool as ``ui.map_panel`` adds it, in the language of ``?lang=``, and one clickable zone
near Đồng Đăng. What the map returns (a click on the zone, a click's position) is shown
as text, so a test sees whether a click while measuring reached the app.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.getcwd())  # the server runs from the repository root

import folium
import streamlit as st
from streamlit_folium import st_folium

from geo.mapview import DEFAULT_ASSET_BASE_URL, base_map
from geo.measure_control import add_measure_control

#: A zone under the measured points: a click on it while measuring must not select it.
ZONE = {
    "type": "Feature",
    "properties": {"id": "fixture-zone"},
    "geometry": {
        "type": "Polygon",
        "coordinates": [
            [[106.680, 21.930], [106.725, 21.930], [106.725, 21.955], [106.680, 21.955]]
        ],
    },
}

st.set_page_config(page_title="measure fixture", layout="wide")
lang = st.query_params.get("lang", "en")
st.session_state.setdefault("runs", 0)
st.session_state["runs"] += 1

fmap = base_map([], lang=lang, basemap="none")
add_measure_control(fmap, lang, DEFAULT_ASSET_BASE_URL)
folium.GeoJson(ZONE, name="zone").add_to(fmap)
fmap.fit_bounds([[21.930, 106.680], [21.955, 106.725]])
value = st_folium(
    fmap,
    key="map",
    height=600,
    use_container_width=True,
    returned_objects=["last_active_drawing", "last_clicked"],
)
st.text(f"clicked: {(value or {}).get('last_clicked')}")
st.text(f"selected: {((value or {}).get('last_active_drawing') or {}).get('properties')}")
st.text("measure fixture ready")

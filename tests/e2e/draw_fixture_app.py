"""Streamlit page for tests/e2e/test_draw_browser.py: the planners' drawing map on its own.

The Edit panel's map (``geo.draw_map``) with a fixture area near Đồng Đăng, no basemap
(nothing leaves the machine), and what it returns turned into the shape field's text by
:func:`geo.draw_map.drawn_geometry`, shown as text.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.getcwd())  # the server runs from the repository root

import streamlit as st
from shapely import box
from streamlit_folium import st_folium

from geo.draw_map import draw_map, drawn_geometry

#: About 1 km × 1.1 km, near Đồng Đăng.
SHAPE = box(106.690, 21.935, 106.700, 21.945)

st.set_page_config(page_title="draw fixture", layout="wide")
value = st_folium(
    draw_map(SHAPE, "polygon", lang="en", basemap="none"),
    key="draw_map",
    height=600,
    use_container_width=True,
    returned_objects=["all_drawings"],
)
st.text(f"drawn: {drawn_geometry(value)}")
st.text("draw fixture ready")

"""Tiny Streamlit app for the e2e infrastructure self-test (tests/e2e/test_static_assets.py).

A folium map rendered by streamlit-folium that loads Leaflet only from the
vendored copy served at /app/static/vendor/leaflet (no tiles, no CDN).
"""

import folium
import streamlit as st
from branca.element import MacroElement
from jinja2 import Template
from streamlit_folium import st_folium

LEAFLET = "/app/static/vendor/leaflet"


class LeafletImagePath(MacroElement):
    """Set ``L.Icon.Default.imagePath`` explicitly.

    streamlit-folium adds leaflet.css without waiting for it, so Leaflet's
    CSS-based detection of the marker image folder can run too early and its
    fallback yields ".../leafletmarker-icon.png" (404). Add this to the map
    before any default-icon ``folium.Marker``.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "L.Icon.Default.imagePath = {{ this.path|tojson }};"
        "{% endmacro %}"
    )

    def __init__(self, path: str) -> None:
        super().__init__()
        self._name = "LeafletImagePath"
        self.path = path


st.set_page_config(page_title="e2e fixture app", layout="wide")
st.title("e2e fixture app")

fmap = folium.Map(location=[21.97, 106.70], zoom_start=13, tiles=None)
fmap.default_js = [("leaflet", f"{LEAFLET}/leaflet.js")]
fmap.default_css = [("leaflet_css", f"{LEAFLET}/leaflet.css")]
LeafletImagePath(f"{LEAFLET}/images/").add_to(fmap)
folium.GeoJson(
    {
        "type": "Feature",
        "properties": {"name": "fixture zone"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [
                [
                    [106.69, 21.96],
                    [106.71, 21.96],
                    [106.71, 21.98],
                    [106.69, 21.98],
                    [106.69, 21.96],
                ]
            ],
        },
    },
    name="fixture zone",
).add_to(fmap)
folium.Marker([21.97, 106.70], tooltip="fixture marker").add_to(fmap)

st_folium(fmap, height=420, width=700, key="fixture_map", returned_objects=[])
st.write("fixture ready")

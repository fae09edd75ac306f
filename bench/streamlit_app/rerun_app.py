"""Bench-only Streamlit page: the synthetic layers through ``st_folium``, one filter.

Started by ``bench.st_wire`` (not by the app). Environment: ``BENCH_N`` parcels and
``BENCH_MODE`` = ``ours`` (``base_map`` + ``project_groups`` as
``feature_group_to_add``, as ``ui/map_panel.py``) or ``folium`` (the obvious path:
the whole map rebuilt with the filtered frame). The checkbox hides planned parcels.
"""

from __future__ import annotations

import os

import streamlit as st
from streamlit_folium import st_folium

from bench.synthetic import SyntheticLayers, synthetic_layers
from bench.variants import AS_OF, LANG, build_folium, map_layers
from geo.mapview import base_map, project_groups

N = int(os.environ.get("BENCH_N", "1000"))
MODE = os.environ.get("BENCH_MODE", "ours")


@st.cache_resource
def _data(n: int) -> SyntheticLayers:
    return synthetic_layers(n)


data = _data(N)
hide_planned = st.checkbox("hide planned", key="hide_planned")
parcels = data.parcels[data.parcels.status != "planned"] if hide_planned else data.parcels
if MODE == "ours":
    shown = set(parcels.index) | set(data.roads.index) | set(data.gates.index)
    fmap = base_map([], lang=LANG, basemap="osm")
    groups = project_groups(map_layers(data), lang=LANG, as_of=AS_OF, feature_ids=shown)
    st_folium(fmap, key="map", height=500, returned_objects=[], feature_group_to_add=groups)
else:
    fmap = build_folium(SyntheticLayers(parcels, data.roads, data.gates)).fmap
    st_folium(fmap, key="map", height=500, returned_objects=[])
st.caption(f"done {N} {MODE} {len(parcels)}")

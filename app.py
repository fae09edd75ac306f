"""Đồng Đăng – Lạng Sơn border-gate economic zone: the Streamlit entry point.

Thin on purpose: page set-up, then calls into ``ui``. Run with ``make run``.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from geo.errors import GeoError
from geo.i18n import DEFAULT_LANGUAGE, t
from geo.map_frame import document_script
from geo.text import escape_markdown
from ui import sidebar
from ui.dashboard import dashboard_page
from ui.data import load_app_data
from ui.detail import detail_panel
from ui.map_panel import feature_picker, legend, map_view, result_counts, visible_project_ids
from ui.state import current_state, seed_from_query, write_query

st.set_page_config(page_title="Đồng Đăng – Lạng Sơn", page_icon="🗺️", layout="wide")
today = date.today()

try:
    data = load_app_data()
except (GeoError, OSError, ValueError) as exc:
    # Without a registry there is nothing to show; say which file and why.
    st.error(escape_markdown(t("error.registry", DEFAULT_LANGUAGE, reason=str(exc))))
    st.stop()

ignored = seed_from_query(data, today)
lang, page = sidebar.language_and_page()
sidebar.layer_tree(data, lang)
sidebar.filters(lang)
sidebar.timeline(data, lang, today)
sidebar.basemap(lang)

st.title(t("app.title", lang))
st.caption(t("app.subtitle", lang))
for layer_id, reason in data.errors.items():
    st.error(escape_markdown(t("error.layer", lang, layer=layer_id, reason=reason)))
if ignored:
    items = "; ".join(t(item.key, lang, **item.values) for item in ignored)
    st.warning(escape_markdown(t("warning.ignored", lang, items=items)))

state = current_state(data)
if page == "map":
    shown = visible_project_ids(data, state)
    map_col, panel_col = st.columns([3, 2])
    with map_col:
        map_view(data, state, shown)
        result_counts(data, state, shown)
        legend(data, state)
    with panel_col:
        feature = feature_picker(data, state, shown)
        detail_panel(data, feature, lang, state.as_of)
    st.caption(t("app.disclaimer", lang))
    st.caption(t("share.caption", lang))
else:
    dashboard_page(data, state)

write_query(data, current_state(data), today)
# Streamlit's page says lang="en" whatever the language: screen readers would misread it.
st.html(f"<script>{document_script(lang)}</script>", unsafe_allow_javascript=True)

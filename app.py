"""Đồng Đăng – Lạng Sơn border-gate economic zone: the Streamlit entry point.

Thin on purpose: page set-up, then calls into ``ui``. Each UI function draws its
widgets and returns what they show; the view they make is written to the address
bar before the main page is drawn. Run with ``make run``.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from geo.errors import GeoError
from geo.feature_state import latest_source, states_on
from geo.i18n import DEFAULT_LANGUAGE, t
from geo.map_frame import document_script
from geo.text import escape_markdown, format_day
from ui import auth, planner, read_only, sidebar
from ui.dashboard import dashboard_page
from ui.data import load_app_data
from ui.detail import detail_panel
from ui.enquiry_form import enquiries_page
from ui.import_page import import_page
from ui.investor_page import investor_page
from ui.layout import page_css
from ui.map_panel import feature_picker, map_view, result_counts, visible_project_ids
from ui.query import ViewState
from ui.state import seed_from_query, view_value, write_query
from ui.tour_page import tour_page
from ui.view_exports import map_export_buttons

st.set_page_config(page_title="Đồng Đăng – Lạng Sơn", page_icon="🗺️", layout="wide")
page_css()  # a compact title on a phone
today = date.today()

try:
    data = load_app_data()
except (GeoError, OSError, ValueError) as exc:
    # Without a registry there is nothing to show; say which file and why.
    st.error(escape_markdown(t("error.registry", DEFAULT_LANGUAGE, reason=str(exc))))
    st.stop()

ignored = seed_from_query(data, today)
if view_value("page") == "tour":
    # Presenting mode: full screen, no sidebar; the stop and language are in the view.
    if data.read_only is not None:
        read_only.tour_note(data.read_only, view_value("lang"))
    tour_page(data, ignored)
    st.html(f"<script>{document_script(view_value('lang'))}</script>", unsafe_allow_javascript=True)
    st.stop()
lang = sidebar.language()
page = sidebar.page(lang, auth.can_edit())
if page == "investor":  # its own filters; the map's filters and timeline stay as they are
    layers = sidebar.layer_tree(data, lang, sidebar.INVESTOR_LAYER_SCHEMAS)
    statuses, groups, search = view_value("statuses"), view_value("groups"), view_value("search")
    as_of, colour_by = view_value("as_of"), view_value("colour_by")
else:
    layers = sidebar.layer_tree(data, lang)
    sidebar.lots_pointer(data, lang)
    statuses, groups, search = sidebar.filters(lang)
    colour_by = sidebar.colour_by(lang)
    as_of = sidebar.timeline(data, lang, today)
basemap = sidebar.basemap(lang)
account = auth.login(lang)  # None: a public session (the role lives server-side only)
state = ViewState(
    page=page,
    lang=lang,
    layers=layers,
    feature=view_value("feature"),
    as_of=as_of,
    statuses=statuses,
    groups=groups,
    search=search,
    basemap=basemap,
    lot=view_value("lot"),
    colour_by=colour_by,
)
write_query(data, state, today)

st.title(t("app.title", lang))
st.caption(t("app.subtitle", lang))
newest = latest_source(states_on(data.project_features(), state.as_of))
st.caption(
    t("app.latest_source", lang, date=format_day(newest.day, lang, newest.precision))
    if newest
    else t("app.no_dated_source", lang)
)
if data.read_only is not None:  # the store file is damaged: a backup or the seed is shown
    read_only.banner(data.read_only, lang)
for layer_id, reason in data.errors.items():
    st.error(escape_markdown(t("error.layer", lang, layer=layer_id, reason=reason)))
if ignored:
    items = "; ".join(t(item.key, lang, **item.values) for item in ignored)
    st.warning(escape_markdown(t("warning.ignored", lang, items=items)))

if page == "map":
    shown = visible_project_ids(data, state)
    map_col, panel_col = st.columns([3, 2])
    with map_col:
        # The count first: the map fills the height below it (its legend is on the map).
        result_counts(data, state, shown)
        map_view(data, state, shown)
    with panel_col:
        feature = feature_picker(data, state, shown)
        detail_panel(data, feature, lang, state.as_of)
        planner.edit_panel(data, feature, lang, account)
        map_export_buttons(data, state)
    st.caption(t("app.disclaimer", lang))
    st.caption(t("share.caption", lang))
elif page == "investor":
    investor_page(data, state)
elif page == "enquiries":
    enquiries_page(data, state, account)
elif page == "import":
    import_page(data, lang, account)
else:
    dashboard_page(data, state)
planner.stale_list(data, lang, today, account)

# Streamlit's page says lang="en" whatever the language: screen readers would misread it.
st.html(f"<script>{document_script(lang)}</script>", unsafe_allow_javascript=True)

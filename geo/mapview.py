"""Assemble the folium map from its parts: pure Python, no Streamlit.

The map is split in two so that a Streamlit re-run neither rebuilds nor re-mounts
what did not change (``st_folium`` still re-sends the base script in the same
message; measured in ``bench/README.md``):

* :func:`base_map` holds the basemap and the context layers (provinces, border,
  towns…): large, and the same for every date, filter and selection;
* :func:`project_groups` holds the project layers drawn for one date, language,
  filter and selection: small, and handed to ``st_folium`` as
  ``feature_group_to_add`` so they update without re-mounting the map.

:func:`build_map` puts both together for tests, exports and benchmarks.

Styling happens in the browser from one small table: each feature carries a style
index ``k`` and one JavaScript function looks it up (a per-feature
``style_function`` would become an O(N²) ``switch`` in folium).

This module only assembles; the parts live by concern:

* :mod:`geo.map_data`: the layers' data and its safe serialisation (``script_json``);
* :mod:`geo.map_elements` and :mod:`geo.map_overlay`: the folium elements and
  their Leaflet templates;
* :mod:`geo.leaflet_style`: Leaflet options from the style table (:mod:`geo.style`);
* :mod:`geo.legend`: the legend's entries; :mod:`geo.viewport`: fit and focus;
* :mod:`geo.feature_text`: tooltip and label texts.

Security: all data reaches the browser through :func:`geo.map_data.script_json`,
and tooltips, labels, legend and credits are set with ``textContent``, so markup
in data is shown as text, never run.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import folium

from geo import style as st
from geo.basemaps import BASEMAPS, DEFAULT_BASEMAP, OFFLINE_BASEMAP
from geo.feature_state import state_on
from geo.feature_text import age_text, label_text, tooltip_text
from geo.freshness import figure_age
from geo.i18n import t
from geo.leaflet_style import feature_style, halo_band_styles
from geo.legend import legend_entries
from geo.linework import split_by_fraction
from geo.map_data import LayerData, MapLayer, iter_features
from geo.map_elements import Attribution, DataLayer, MapSetup
from geo.map_frame import FrameDocument
from geo.map_overlay import MapOverlay
from geo.timeline import open_fraction_on
from geo.vector_basemap import VectorBasemap, basemap_credits, load_basemap
from geo.viewport import fit_bounds

#: Where Streamlit serves the vendored front-end assets (``static/vendor``).
DEFAULT_ASSET_BASE_URL = "/app/static/vendor"


# ---------------------------------------------------------------------------
# Layer data


def _project_collection(
    layer: MapLayer,
    *,
    lang: str,
    as_of: date,
    feature_ids: Collection[str] | None,
    colour_by: str = "status",
    source_names: Mapping[str, str] | None = None,
) -> LayerData:
    if colour_by not in st.COLOUR_BY:
        raise KeyError(f"unknown colour_by {colour_by!r}; expected one of {st.COLOUR_BY}")
    spec, gdf = layer.spec, layer.data
    style = st.layer_style(spec.style)
    out = LayerData()
    for fid, props, geom in iter_features(gdf):
        if feature_ids is not None and fid not in feature_ids:
            continue
        state = state_on(props, as_of)  # once per feature: colour, tooltip and label
        if not state.exists:
            continue  # the project did not exist yet on that date
        age = None
        if colour_by == "age":
            aged = figure_age(state, as_of)
            colour = st.age_colour(aged.age_class)
            source = aged.latest.source if aged.latest else None
            age = age_text(aged, lang, (source_names or {}).get(source or ""))
        else:
            colour = st.status_colour(state.status)
        base = {"id": fid, "tip": tooltip_text(props, "project", lang, as_of, state, age)}
        if spec.geometry_kind == "line":
            opened, rest = split_by_fraction(geom, open_fraction_on(props, as_of))
            if opened is not None:
                out.add(opened, base, feature_style(spec, colour, None))
            if rest is not None:
                out.add(rest, base, feature_style(spec, colour, st.NOT_OPEN_DASH))
        else:
            dash = st.ACCURACY_DASH[str(props.get("geometry_accuracy"))]
            out.add(geom, base, feature_style(spec, colour, dash))
        if style.label:
            point = geom.representative_point()
            label: dict[str, Any] = {
                "lat": point.y,
                "lng": point.x,
                "text": label_text(props, lang, as_of, state),
            }
            if spec.geometry_kind == "point":
                # Points (gates) are placed first, then areas: a gate's label stays by
                # its marker (dy pixels above it) and a zone's label moves or yields.
                label.update(rank=0, dy=-(style.radius + st.LABEL_FONT_PX))
            out.labels.append(label)
    return out


def project_layer_data(
    layer: MapLayer,
    *,
    lang: str,
    as_of: date,
    feature_ids: Collection[str] | None = None,
    colour_by: str = "status",
    source_names: Mapping[str, str] | None = None,
) -> LayerData:
    """Prepare a project layer as drawn on ``as_of``: the map's styles, split roads, labels.

    What :func:`project_groups` draws, for other renderers (the print export draws it with
    matplotlib). A project with no status yet on ``as_of`` is left out. ``colour_by`` and
    ``source_names`` are those of :func:`project_groups`.
    """
    return _project_collection(
        layer,
        lang=lang,
        as_of=as_of,
        feature_ids=feature_ids,
        colour_by=colour_by,
        source_names=source_names,
    )


def context_layer_data(layer: MapLayer, *, lang: str) -> LayerData:
    """Prepare a context layer for :func:`base_map`: features with tooltips in ``lang``.

    It depends only on the layer and the language, so a caller may cache it across
    dates, filters and selections (the app does).
    """
    spec, gdf = layer.spec, layer.data
    style = st.layer_style(spec.style)
    leaflet = feature_style(spec, style.colour or st.NEUTRAL_COLOUR, style.dash)
    out = LayerData()
    for fid, props, geom in iter_features(gdf):
        tip = tooltip_text(props, "context", lang, date.today())
        out.add(geom, {"id": fid, "tip": tip}, leaflet)
    return out


# ---------------------------------------------------------------------------
# Maps


def base_map(
    context: Iterable[MapLayer],
    *,
    lang: str,
    basemap: str = DEFAULT_BASEMAP,
    asset_base_url: str = DEFAULT_ASSET_BASE_URL,
    prepared: Mapping[str, LayerData] | None = None,
    font_faces: bool = True,
) -> folium.Map:
    """Build the map with its basemap and the given context layers.

    Parameters
    ----------
    context : iterable of MapLayer
        Context layers to draw, in drawing order.
    lang : str
        Language of tooltips.
    basemap : str
        A key of :data:`BASEMAPS`: ``"offline"`` draws the bundled vector basemap,
        ``"none"`` nothing (both fully offline), the others online tiles.
    asset_base_url : str
        URL prefix of the vendored Leaflet (``<prefix>/leaflet/leaflet.js``); the
        map never loads anything from a CDN.
    prepared : Mapping[str, LayerData], optional
        :func:`context_layer_data` of some layers by layer id, already made for
        ``lang``; the others are prepared here.
    font_faces : bool
        False: the map declares no ``@font-face`` rules (a standalone page inlines its own).

    Returns
    -------
    folium.Map

    Raises
    ------
    KeyError
        If ``basemap`` is unknown.
    """
    if basemap not in BASEMAPS:
        raise KeyError(f"unknown basemap {basemap!r}; expected one of {', '.join(BASEMAPS)}")
    provider = BASEMAPS[basemap]
    fmap = folium.Map(
        location=st.MAP_CENTRE,
        zoom_start=st.MAP_ZOOM,
        min_zoom=st.MAP_MIN_ZOOM,
        max_zoom=st.MAP_MAX_ZOOM,
        max_bounds=True,
        min_lat=st.MAP_MAX_BOUNDS[0][0],
        min_lon=st.MAP_MAX_BOUNDS[0][1],
        max_lat=st.MAP_MAX_BOUNDS[1][0],
        max_lon=st.MAP_MAX_BOUNDS[1][1],
        tiles=None,
        control_scale=True,
        zoom_snap=st.MAP_ZOOM_SNAP,
    )
    MapSetup(
        t("map.credits", lang),
        font_base_url=f"{asset_base_url}/fonts" if font_faces else None,
        # static/fonts sits beside static/vendor (made here, not vendored).
        subset_base_url=f"{asset_base_url}/../fonts/noto-sans-sc-subset",
    ).add_to(fmap)
    # Only Leaflet itself, from the repository: folium's defaults would pull
    # jQuery, Bootstrap and icon fonts from CDNs that conference halls do not reach.
    fmap.default_js = [("leaflet", f"{asset_base_url}/leaflet/leaflet.js")]
    fmap.default_css = [("leaflet_css", f"{asset_base_url}/leaflet/leaflet.css")]
    if provider is not None:
        folium.TileLayer(
            tiles=provider.build_url(),
            attr=provider.html_attribution,
            name=provider.name,
            max_zoom=min(provider.get("max_zoom", 19), st.MAP_MAX_ZOOM),
        ).add_to(fmap)
    attributions: list[str] = []
    if basemap == OFFLINE_BASEMAP:
        data = load_basemap()
        VectorBasemap(data, lang).add_to(fmap)
        attributions.extend(basemap_credits(data, lang))
    for layer in context:
        data = (prepared or {}).get(layer.spec.id) or context_layer_data(layer, lang=lang)
        pane = st.pane_name(layer.spec.geometry_kind, "context")
        DataLayer(data, name=layer.spec.title[lang], pane=pane).add_to(fmap)
        attributions.extend(layer_credits(layer, lang))
    Attribution(attributions).add_to(fmap)
    FrameDocument(lang).add_to(fmap)  # lang and a zoomable viewport in st_folium's frame
    return fmap


def layer_credits(layer: MapLayer, lang: str | None = None) -> tuple[str, ...]:
    """Return the credit lines of a layer in ``lang``, as plain text.

    The credits of the data sets its shapes derive from; a layer that declares none
    is credited by its registry ``source`` and ``licence``.
    """
    credits = layer.credits_by_lang.get(lang, ()) if lang else ()
    return credits or layer.credits or (f"{layer.spec.source} ({layer.spec.licence})",)


def project_groups(
    layers: Iterable[MapLayer],
    *,
    lang: str,
    as_of: date,
    feature_ids: Collection[str] | None = None,
    selected: str | None = None,
    colour_by: str = "status",
    source_names: Mapping[str, str] | None = None,
) -> list[folium.FeatureGroup]:
    """Build one feature group per project layer, as drawn on ``as_of``.

    Parameters
    ----------
    layers : iterable of MapLayer
        Project layers to draw.
    lang : str
        Language of tooltips and labels.
    as_of : datetime.date
        Statuses, progress and open road lengths are those of this date; a project
        with no status yet on that date is not drawn.
    feature_ids : collection of str, optional
        Draw only these features (search and filters); ``None`` draws all.
    selected : str, optional
        Id of the selected feature: it keeps its colour and dash and gets a halo
        (a dark and a white band, wider than the feature's line) drawn under it.
    colour_by : {"status", "age"}
        What the colour shows (:data:`geo.style.COLOUR_BY`): the status, or the age class of
        the latest figure on ``as_of`` (:func:`geo.freshness.figure_age`), whose age then
        also goes into the tooltip.
    source_names : Mapping[str, str], optional
        How a source id is named in that tooltip (else the id is shown).

    Returns
    -------
    list of folium.FeatureGroup
        One per layer, then one for the selection halo if a drawn feature is selected.

    Raises
    ------
    KeyError
        For an unknown ``colour_by``.
    """
    groups = []
    halo = LayerData()
    halo_kind = None
    for layer in layers:
        group = folium.FeatureGroup(name=layer.spec.title[lang])
        collection = _project_collection(
            layer,
            lang=lang,
            as_of=as_of,
            feature_ids=feature_ids,
            colour_by=colour_by,
            source_names=source_names,
        )
        pane = st.pane_name(layer.spec.geometry_kind, "project")
        DataLayer(collection, name=layer.spec.title[lang], pane=pane).add_to(group)
        groups.append(group)
        if selected is not None and selected in layer.data.index:
            halo_kind = layer.spec.geometry_kind
            _add_halo(halo, collection, selected)
    if halo.features and halo_kind is not None:
        group = folium.FeatureGroup(name="selection")
        DataLayer(halo, name="selection", pane=st.pane_name(halo_kind, "halo")).add_to(group)
        groups.append(group)
    return groups


def _add_halo(halo: LayerData, collection: LayerData, selected: str) -> None:
    """Add the halo bands of every drawn piece of ``selected`` (each with its own dash)."""
    for feature in collection.features:
        if feature["properties"]["id"] != selected:
            continue
        own = collection.styles[feature["properties"]["k"]]
        for band in halo_band_styles(own):
            props = {"id": f"selected-{selected}", "tip": ""}
            halo.features.append({**feature, "properties": {**props, "k": halo.style_id(band)}})


def overlay_group(
    layers: Sequence[MapLayer],
    *,
    lang: str,
    as_of: date,
    request: str,
    fit_ids: Collection[str],
    home: bool = False,
    colour_by: str = "status",
) -> folium.FeatureGroup:
    """Build the group holding the legend, the project layers' credits and the fit.

    Parameters
    ----------
    layers : sequence of MapLayer
        Every visible layer (context and project): the legend and credits cover them.
    lang : str
        Language of the legend.
    as_of : datetime.date
        Date of the statuses in the legend.
    request : str
        What the person asked for (filters, search, layers, selection): when it
        changes, the map fits ``fit_ids`` (see :class:`MapOverlay`).
    fit_ids : collection of str
        Project features to fit the map to (the matches, or the selection).
    home : bool
        Go to the home view instead (nothing narrows the view: no filter, search
        or selection); ``fit_ids`` then only tells the date's matches apart.
    colour_by : {"status", "age"}
        What the project colours show (the legend lists those colours).

    Returns
    -------
    folium.FeatureGroup
    """
    projects = [layer for layer in layers if layer.spec.schema == "project"]
    note = (
        t("legend.road_split_note", lang)
        if any(layer.spec.geometry_kind == "line" for layer in projects)
        else None
    )
    legend = {
        "title": t("legend.title", lang),
        "entries": legend_entries(layers, lang=lang, as_of=as_of, colour_by=colour_by),
        "note": note,
    }
    fit = {
        "request": request,
        "matches": ",".join(sorted(fit_ids)),
        "bounds": None if home else fit_bounds(projects, fit_ids),
        "home": home,
    }
    group = folium.FeatureGroup(name="overlay")
    credits = [text for layer in projects for text in layer_credits(layer, lang)]
    MapOverlay(legend=legend, credits=credits, fit=fit).add_to(group)
    return group


def build_map(
    layers: Sequence[MapLayer],
    *,
    lang: str,
    as_of: date,
    feature_ids: Collection[str] | None = None,
    selected: str | None = None,
    basemap: str = DEFAULT_BASEMAP,
    asset_base_url: str = DEFAULT_ASSET_BASE_URL,
    colour_by: str = "status",
    source_names: Mapping[str, str] | None = None,
) -> folium.Map:
    """Build the whole map in one piece: context layers, project layers, legend.

    Same parameters as :func:`base_map` and :func:`project_groups`; ``layers`` may
    mix context and project layers (their registry ``schema`` decides). The map
    is fitted to the selection, else to the features drawn.
    """
    context = [layer for layer in layers if layer.spec.schema == "context"]
    projects = [layer for layer in layers if layer.spec.schema == "project"]
    fmap = base_map(context, lang=lang, basemap=basemap, asset_base_url=asset_base_url)
    for group in project_groups(
        projects,
        lang=lang,
        as_of=as_of,
        feature_ids=feature_ids,
        selected=selected,
        colour_by=colour_by,
        source_names=source_names,
    ):
        group.add_to(fmap)
    if selected is not None:
        fit_ids: Collection[str] = {selected}
    elif feature_ids is not None:
        fit_ids = feature_ids
    else:
        fit_ids = {fid for layer in projects for fid in layer.data.index}
    overlay_group(
        layers, lang=lang, as_of=as_of, request="", fit_ids=fit_ids, colour_by=colour_by
    ).add_to(fmap)
    return fmap


__all__ = [
    "DEFAULT_ASSET_BASE_URL",
    "base_map",
    "build_map",
    "context_layer_data",
    "layer_credits",
    "overlay_group",
    "project_groups",
    "project_layer_data",
]

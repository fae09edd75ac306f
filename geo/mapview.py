"""Build the folium map: pure Python, no Streamlit.

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
``style_function`` would become an O(N²) ``switch`` in folium). Tooltips and labels
are set with ``textContent``, so markup in data is shown as text, never run.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import shapely
from jinja2 import Template
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from geo import style as st
from geo.basemaps import BASEMAPS
from geo.i18n import accuracy_label, feature_name, status_label, t
from geo.linework import split_by_fraction
from geo.map_frame import FrameDocument
from geo.registry import LayerSpec
from geo.text import format_number
from geo.timeline import open_fraction_on, open_length_on, progress_on, status_on

#: Where Streamlit serves the vendored front-end assets (``static/vendor``).
DEFAULT_ASSET_BASE_URL = "/app/static/vendor"


@dataclass(frozen=True)
class MapLayer:
    """A registry entry and its loaded features (EPSG:4326, indexed by feature id)."""

    spec: LayerSpec
    data: gpd.GeoDataFrame


@dataclass
class LayerData:
    """Features, style table and labels of one layer, ready for the browser.

    Plain lists and dicts, so it can be cached (and pickled) between re-runs.
    """

    features: list[dict[str, Any]] = field(default_factory=list)
    styles: list[dict[str, Any]] = field(default_factory=list)
    labels: list[dict[str, Any]] = field(default_factory=list)
    _style_index: dict[str, int] = field(default_factory=dict)

    def style_id(self, leaflet_style: dict[str, Any]) -> int:
        """Return the index of ``leaflet_style`` in the style table, adding it if new."""
        key = repr(sorted(leaflet_style.items()))
        if key not in self._style_index:
            self._style_index[key] = len(self.styles)
            self.styles.append(leaflet_style)
        return self._style_index[key]

    def add(self, geom: BaseGeometry, props: dict[str, Any], leaflet_style: dict) -> None:
        """Add a feature (coordinates rounded) drawn with ``leaflet_style``."""
        props = {**props, "k": self.style_id(leaflet_style)}
        self.features.append({"type": "Feature", "geometry": _rounded(geom), "properties": props})


_TEMPLATE_OPENER = re.compile(r"\{([{%#])")
_HTML_SPECIALS = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027"}


def script_json(value: Any) -> str:
    r"""Serialise ``value`` as JSON that is safe inside a folium ``<script>``.

    branca renders every element's script and then parses the result *again* as a
    Jinja template, so text from the data such as ``{{ 7*7 }}`` would be evaluated on
    the server (and a lone ``{{`` would crash the map). Jinja openers and HTML
    specials can only occur inside JSON strings here, where ``\uXXXX`` escapes are
    valid, so they are escaped and data stays text. The output is compact UTF-8
    (folium's ``tojson`` escapes every Vietnamese letter).

    Examples
    --------
    >>> print(script_json({"tip": "Lô {{ 7*7 }} </script>"}))
    {"tip":"Lô {\u007b 7*7 }} \u003c/script\u003e"}
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escaped in _HTML_SPECIALS.items():
        text = text.replace(char, escaped)
    return _TEMPLATE_OPENER.sub(lambda m: "{" + f"\\u{ord(m.group(1)):04x}", text)


def _rounded(geom: BaseGeometry) -> dict[str, Any]:
    rounded = shapely.transform(geom, lambda xy: np.round(xy, st.COORDINATE_DECIMALS))
    geo = mapping(rounded)
    return {"type": geo["type"], "coordinates": geo["coordinates"]}


def iter_features(gdf: gpd.GeoDataFrame) -> Iterator[tuple[str, dict[str, Any], BaseGeometry]]:
    """Yield ``(id, properties, geometry)`` for each row of a layer, in order.

    One ``to_dict("records")`` pass: per-row ``iterrows`` and ``Series.drop`` cost
    more than everything else in the map builder (see ``bench/``). Properties hold
    ``id`` too; a column a feature lacks is NaN, as in the frame.
    """
    records = gdf.drop(columns="geometry").to_dict("records")
    for fid, props, geom in zip(gdf.index, records, gdf.geometry, strict=True):
        props["id"] = fid
        yield fid, props, geom


class DataLayer(folium.map.Layer):
    """A GeoJSON layer styled from a table, with text-only tooltips and labels.

    Parameters
    ----------
    collection : dict
        ``{"features": [...], "styles": [...], "labels": [...]}``; each feature's
        ``properties`` hold ``id``, ``k`` (index into ``styles``) and ``tip`` (text).
    name : str
        Layer name (shown in Leaflet's layer control, if any).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var styles = {{ this.styles_json }};
            var group = L.featureGroup();
            var data = L.geoJson({{ this.data_json }}, {
                style: function (f) {
                    return Object.assign({}, styles[f.properties.k],
                                         {className: "lsz-f lsz-f-" + f.properties.id});
                },
                pointToLayer: function (f, latlng) {
                    return L.circleMarker(latlng, Object.assign({}, styles[f.properties.k],
                                          {className: "lsz-f lsz-f-" + f.properties.id}));
                },
                onEachFeature: function (f, layer) {
                    // Tooltips are made on first hover: thousands of unused ones cost
                    // load time and memory (bench/README.md, browser diagnostics).
                    layer.on("mouseover", function (e) {
                        if (layer.getTooltip()) { return; }
                        var tip = document.createElement("div");
                        tip.className = "lsz-tip";
                        tip.textContent = f.properties.tip;
                        layer.bindTooltip(tip, {sticky: true}).openTooltip(e.latlng);
                    });
                }
            });
            group.addLayer(data);
            // Labels crowd each other at province scale: they are made the first time
            // the map reaches the label zoom, and shown only from there on.
            var labelData = {{ this.labels_json }};
            var labels = null;
            function makeLabels() {
                labels = L.layerGroup();
                labelData.forEach(function (label) {
                    var el = document.createElement("div");
                    el.className = "lsz-label";
                    el.textContent = label.text;
                    el.style.cssText = "white-space:nowrap;font:600 12px/1.25 sans-serif;"
                        + "color:#212529;text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff;"
                        + "transform:translate(-50%,-50%);display:inline-block;";
                    labels.addLayer(L.marker([label.lat, label.lng], {
                        icon: L.divIcon({html: el, className: "lsz-label-icon", iconSize: null}),
                        interactive: false, keyboard: false
                    }));
                });
            }
            group.on("add", function () {
                var map = group._map;
                if (!labelData.length || !map) { return; }
                var toggle = function () {
                    var wanted = map.getZoom() >= {{ this.label_min_zoom }};
                    if (wanted && !labels) { makeLabels(); }
                    if (labels && wanted !== group.hasLayer(labels)) {
                        if (wanted) { group.addLayer(labels); } else { group.removeLayer(labels); }
                    }
                };
                map.on("zoomend", toggle);
                group.on("remove", function () { map.off("zoomend", toggle); });
                toggle();
            });
            return group;
        })();
        {% endmacro %}
        """
    )

    def __init__(self, collection: LayerData, name: str, *, show: bool = True) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "DataLayer"
        self.data = {"type": "FeatureCollection", "features": collection.features}
        self.styles = collection.styles
        self.labels = collection.labels
        # Serialised here, never with ``tojson`` in the template (see script_json).
        self.data_json = script_json(self.data)
        self.styles_json = script_json(self.styles)
        self.labels_json = script_json(self.labels)
        self.label_min_zoom = st.LABEL_MIN_ZOOM


class _Attribution(folium.MacroElement):
    """Adds plain-text attributions (data sources and licences) to the map."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
            .leaflet-control-attribution { font-size: 10px; max-width: 60%; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        {{ this.texts_json }}.forEach(function (text) {
            var s = document.createElement("span");
            s.textContent = text;
            {{ this._parent.get_name() }}.attributionControl.addAttribution(s.outerHTML);
        });
        {% endmacro %}
        """
    )

    def __init__(self, texts: Sequence[str]) -> None:
        super().__init__()
        self._name = "Attribution"
        self.texts = list(dict.fromkeys(texts))
        self.texts_json = script_json(self.texts)


# ---------------------------------------------------------------------------
# Text shown for a feature


def progress_text(props: Mapping[str, Any], lang: str, as_of: date) -> str:
    """Return "45 % (2026-02-20)"-style progress text for ``as_of``, or "no figure".

    Examples
    --------
    >>> progress_text({"progress_history": []}, "en", date(2026, 1, 1))
    'progress not published'
    """
    obs = progress_on(props, as_of)
    if obs is None:
        return t("map.progress_unknown", lang)
    return t("map.progress", lang, pct=format_number(obs.progress_pct), date=obs.as_of)


def accuracy_tag(props: Mapping[str, Any], lang: str) -> str | None:
    """Return the short accuracy warning for a non-surveyed shape, else ``None``."""
    accuracy = props.get("geometry_accuracy")
    if accuracy in (None, "surveyed"):
        return None
    return accuracy_label(str(accuracy), lang)


def tooltip_text(props: Mapping[str, Any], schema: str, lang: str, as_of: date) -> str:
    """Return the hover text of a feature: name, status, progress, open length, accuracy.

    Parameters
    ----------
    props : Mapping
        Feature properties (with ``id``).
    schema : {"project", "context"}
        The layer's schema: context features have no status or progress.
    lang : str
        Language code.
    as_of : datetime.date
        The date the status and progress are shown for.

    Returns
    -------
    str
        Plain text, lines separated by " · ".
    """
    parts = [feature_name(props, lang)]
    if schema == "project":
        parts.append(status_label(status_on(props, as_of), lang))
        parts.append(progress_text(props, lang, as_of))
        opened = open_length_on(props, as_of)
        if opened is not None and props.get("length_km"):
            parts.append(
                t(
                    "map.open_length",
                    lang,
                    open=format_number(opened.open_length_km),
                    total=format_number(props["length_km"]),
                )
            )
    tag = accuracy_tag(props, lang)
    if tag:
        parts.append(tag)
    return " · ".join(parts)


#: Prefix of the on-map label of a shape that is not surveyed (explained in the legend).
NOT_SURVEYED_MARK = "≈ "


def label_text(props: Mapping[str, Any], lang: str, as_of: date) -> str:
    """Return the short permanent label of a zone or gate: name and progress (or status).

    The name loses any parenthesis (the tooltip and panel keep it), and a shape that
    is not surveyed is marked with :data:`NOT_SURVEYED_MARK`.

    Examples
    --------
    >>> props = {"name_en": "Cargo transit zone (Viettel Logistics Park)", "status": "planned",
    ...          "geometry_accuracy": "schematic", "milestones": [], "progress_history": []}
    >>> label_text(props, "en", date(2026, 1, 1))
    '≈ Cargo transit zone · Planned'
    """
    name = feature_name(props, lang).split(" (")[0].split("（")[0]
    obs = progress_on(props, as_of)
    state = (
        f"{format_number(obs.progress_pct)} %"
        if obs
        else status_label(status_on(props, as_of), lang)
    )
    mark = NOT_SURVEYED_MARK if accuracy_tag(props, lang) else ""
    return f"{mark}{name} · {state}"


# ---------------------------------------------------------------------------
# Styles


def _leaflet_style(spec: LayerSpec, colour: str, dash: str | None) -> dict[str, Any]:
    style = st.layer_style(spec.style)
    leaflet: dict[str, Any] = {"color": colour, "weight": style.weight, "opacity": 0.95}
    if spec.geometry_kind in ("polygon", "point"):
        leaflet.update(fillColor=colour, fillOpacity=style.fill_opacity, fill=True)
    else:
        leaflet.update(fill=False, lineCap="butt")
    if spec.geometry_kind == "point":
        leaflet.update(radius=style.radius, color="#ffffff" if style.by_status else colour)
        if dash:
            leaflet.update(color=colour, fillOpacity=style.fill_opacity * 0.5)
    if dash:
        leaflet["dashArray"] = dash
    return leaflet


def _project_collection(
    layer: MapLayer, *, lang: str, as_of: date, feature_ids: Collection[str] | None
) -> LayerData:
    spec, gdf = layer.spec, layer.data
    style = st.layer_style(spec.style)
    out = LayerData()
    for fid, props, geom in iter_features(gdf):
        if feature_ids is not None and fid not in feature_ids:
            continue
        status = status_on(props, as_of)
        if status is None:
            continue  # the project did not exist yet on that date
        colour = st.status_colour(status)
        base = {"id": fid, "tip": tooltip_text(props, "project", lang, as_of)}
        if spec.geometry_kind == "line":
            opened, rest = split_by_fraction(geom, open_fraction_on(props, as_of))
            if opened is not None:
                out.add(opened, base, _leaflet_style(spec, colour, None))
            if rest is not None:
                out.add(rest, base, _leaflet_style(spec, colour, st.NOT_OPEN_DASH))
        else:
            dash = st.ACCURACY_DASH[str(props.get("geometry_accuracy"))]
            out.add(geom, base, _leaflet_style(spec, colour, dash))
        if style.label:
            point = geom.representative_point()
            out.labels.append(
                {"lat": point.y, "lng": point.x, "text": label_text(props, lang, as_of)}
            )
    return out


def context_layer_data(layer: MapLayer, *, lang: str) -> LayerData:
    """Prepare a context layer for :func:`base_map`: features with tooltips in ``lang``.

    It depends only on the layer and the language, so a caller may cache it across
    dates, filters and selections (the app does).
    """
    spec, gdf = layer.spec, layer.data
    style = st.layer_style(spec.style)
    leaflet = _leaflet_style(spec, style.colour or "#495057", style.dash)
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
    basemap: str = "osm",
    asset_base_url: str = DEFAULT_ASSET_BASE_URL,
    prepared: Mapping[str, LayerData] | None = None,
) -> folium.Map:
    """Build the map with its basemap and the given context layers.

    Parameters
    ----------
    context : iterable of MapLayer
        Context layers to draw, in drawing order.
    lang : str
        Language of tooltips.
    basemap : str
        A key of :data:`BASEMAPS`; ``"none"`` draws no tiles (fully offline).
    asset_base_url : str
        URL prefix of the vendored Leaflet (``<prefix>/leaflet/leaflet.js``); the
        map never loads anything from a CDN.
    prepared : Mapping[str, LayerData], optional
        :func:`context_layer_data` of some layers by layer id, already made for
        ``lang``; the others are prepared here.

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
    )
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
    attributions = []
    for layer in context:
        data = (prepared or {}).get(layer.spec.id) or context_layer_data(layer, lang=lang)
        DataLayer(data, name=layer.spec.title[lang]).add_to(fmap)
        attributions.append(f"{layer.spec.source} ({layer.spec.licence})")
    _Attribution(attributions).add_to(fmap)
    FrameDocument(lang).add_to(fmap)  # lang and a zoomable viewport in st_folium's frame
    return fmap


def project_groups(
    layers: Iterable[MapLayer],
    *,
    lang: str,
    as_of: date,
    feature_ids: Collection[str] | None = None,
    selected: str | None = None,
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
        Id of the selected feature, outlined on top of the others.

    Returns
    -------
    list of folium.FeatureGroup
    """
    groups = []
    selection: list[tuple[MapLayer, BaseGeometry, str]] = []
    for layer in layers:
        group = folium.FeatureGroup(name=layer.spec.title[lang])
        collection = _project_collection(layer, lang=lang, as_of=as_of, feature_ids=feature_ids)
        DataLayer(collection, name=layer.spec.title[lang]).add_to(group)
        groups.append(group)
        if selected is not None and selected in layer.data.index:
            accuracy = str(layer.data.loc[selected, "geometry_accuracy"])
            selection.append((layer, layer.data.geometry[selected], accuracy))
    if selection:
        groups.append(_selection_group(selection, selected))
    return groups


def _selection_group(
    selection: list[tuple[MapLayer, BaseGeometry, str]], selected: str | None
) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name="selection")
    out = LayerData()
    for layer, geom, accuracy in selection:
        leaflet: dict[str, Any] = {
            "color": st.SELECTION_COLOUR,
            "weight": 4,
            "fill": False,
            "interactive": False,
        }
        dash = st.ACCURACY_DASH.get(accuracy)
        if dash and layer.spec.geometry_kind != "line":
            leaflet["dashArray"] = dash  # selecting a shape must not make it look surveyed
        if layer.spec.geometry_kind == "point":
            leaflet["radius"] = st.layer_style(layer.spec.style).radius + 6
        out.add(geom, {"id": f"selected-{selected}", "tip": ""}, leaflet)
    DataLayer(out, name="selection").add_to(group)
    return group


def build_map(
    layers: Sequence[MapLayer],
    *,
    lang: str,
    as_of: date,
    feature_ids: Collection[str] | None = None,
    selected: str | None = None,
    basemap: str = "osm",
    asset_base_url: str = DEFAULT_ASSET_BASE_URL,
) -> folium.Map:
    """Build the whole map in one piece: context layers, then project layers.

    Same parameters as :func:`base_map` and :func:`project_groups`; ``layers`` may
    mix context and project layers (their registry ``schema`` decides).
    """
    context = [layer for layer in layers if layer.spec.schema == "context"]
    projects = [layer for layer in layers if layer.spec.schema == "project"]
    fmap = base_map(context, lang=lang, basemap=basemap, asset_base_url=asset_base_url)
    for group in project_groups(
        projects, lang=lang, as_of=as_of, feature_ids=feature_ids, selected=selected
    ):
        group.add_to(fmap)
    return fmap


def focus_view(geom: BaseGeometry) -> tuple[tuple[float, float], int]:
    """Return the ``(lat, lon)`` centre and zoom that show a selected feature whole.

    The zoom is the largest (at most 14: closer, a schematic shape would look
    more exact than it is) at which the feature's bounding box fits in
    about 600 × 600 px of Web Mercator tiles; a point gets zoom 14.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> focus_view(Point(106.71, 21.97))
    ((21.97, 106.71), 14)
    """
    if geom.geom_type == "Point":
        return (round(geom.y, 6), round(geom.x, 6)), 14
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    centre = (round((min_lat + max_lat) / 2, 6), round((min_lon + max_lon) / 2, 6))
    span_deg = max(max_lon - min_lon, (max_lat - min_lat) / math.cos(math.radians(centre[0])))
    # At zoom z the world is 256 * 2**z px wide: fit the span in ~600 px.
    zoom = math.floor(math.log2(600 * 360 / (256 * max(span_deg, 1e-6))))
    return centre, max(st.MAP_MIN_ZOOM, min(14, zoom))


def legend_entries(
    layers: Iterable[MapLayer], *, lang: str, as_of: date
) -> list[dict[str, str | None]]:
    """Return the legend of the visible layers, from the same style table as the map.

    Each entry: ``{"label", "colour", "dash", "kind"}`` where ``kind`` is
    ``polygon``, ``line`` or ``point``. Status colours are listed once, for the
    statuses present in the visible project layers on ``as_of``; then the line
    conventions (open / not open) when a road is visible, the accuracy outlines
    used, then one entry per visible context layer.
    """
    layers = list(layers)
    entries: list[dict[str, str | None]] = []
    statuses: set[str | None] = set()
    accuracies: set[str] = set()
    has_line = False
    for layer in layers:
        if layer.spec.schema != "project":
            continue
        has_line |= layer.spec.geometry_kind == "line"
        for _, props, _ in iter_features(layer.data):
            status = status_on(props, as_of)
            if status is not None:
                statuses.add(status)
                if layer.spec.geometry_kind != "line":
                    accuracies.add(str(props.get("geometry_accuracy")))
    for status in st.STATUS_COLOURS:
        if status in statuses:
            entries.append(
                {
                    "label": status_label(status, lang),
                    "colour": st.status_colour(status),
                    "dash": None,
                    "kind": "polygon",
                }
            )
    if has_line:
        entries.append(
            {"label": t("legend.open", lang), "colour": "#495057", "dash": None, "kind": "line"}
        )
        entries.append(
            {
                "label": t("legend.not_open", lang),
                "colour": "#495057",
                "dash": st.NOT_OPEN_DASH,
                "kind": "line",
            }
        )
    if accuracies - {"surveyed"}:
        entries.append(
            {
                "label": t("legend.not_surveyed_mark", lang),
                "colour": None,
                "dash": None,
                "kind": "text",
            }
        )
    for accuracy, dash in st.ACCURACY_DASH.items():
        if accuracy in accuracies and dash:
            entries.append(
                {
                    "label": t(f"legend.outline_{accuracy}", lang),
                    "colour": "#495057",
                    "dash": dash,
                    "kind": "polygon",
                }
            )
    for layer in layers:
        if layer.spec.schema == "context":
            style = st.layer_style(layer.spec.style)
            entries.append(
                {
                    "label": layer.spec.title[lang],
                    "colour": style.colour,
                    "dash": style.dash,
                    "kind": layer.spec.geometry_kind,
                }
            )
    return entries


__all__ = [
    "BASEMAPS",
    "DEFAULT_ASSET_BASE_URL",
    "DataLayer",
    "LayerData",
    "MapLayer",
    "base_map",
    "build_map",
    "context_layer_data",
    "focus_view",
    "iter_features",
    "label_text",
    "legend_entries",
    "progress_text",
    "project_groups",
    "script_json",
    "tooltip_text",
]

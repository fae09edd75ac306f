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
from geo.feature_text import label_text, tooltip_text
from geo.i18n import status_label, t
from geo.linework import split_by_fraction
from geo.map_frame import FrameDocument
from geo.registry import LayerSpec
from geo.timeline import open_fraction_on, status_on

#: Where Streamlit serves the vendored front-end assets (``static/vendor``).
DEFAULT_ASSET_BASE_URL = "/app/static/vendor"


@dataclass(frozen=True)
class MapLayer:
    """A registry entry, its loaded features (EPSG:4326, indexed by id) and its credits.

    ``credits`` are the plain-text credits of the data sets the layer's shapes derive
    from (the registry's ``credits``, resolved with :func:`geo.sources.credits_for`);
    the map shows them whenever the layer is drawn, whatever the basemap.
    ``credits_by_lang`` holds them per language where a credit is translated; a
    language missing there falls back to ``credits``.
    """

    spec: LayerSpec
    data: gpd.GeoDataFrame
    credits: tuple[str, ...] = ()
    credits_by_lang: Mapping[str, tuple[str, ...]] = field(
        default_factory=dict, hash=False, compare=False
    )


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
    pane : str, optional
        Leaflet pane the features are drawn in (see ``geo.style.PANE_Z_INDEX``):
        the pane, not the order of layers, puts points above lines above areas,
        for drawing and for clicking. ``None`` = Leaflet's overlay pane.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var styles = {{ this.styles_json }};
            var pane = {{ this.pane_json }};
            var group = L.featureGroup();
            function options(f) {
                var o = Object.assign({}, styles[f.properties.k],
                                      {className: "lsz-f lsz-f-" + f.properties.id});
                if (pane) { o.pane = pane; }
                return o;
            }
            var data = L.geoJson({{ this.data_json }}, {
                pane: pane || "overlayPane",
                style: options,
                pointToLayer: function (f, latlng) { return L.circleMarker(latlng, options(f)); },
                onEachFeature: function (f, layer) {
                    if (!f.properties.tip) { return; }
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
            // the map reaches the label zoom, and shown only from there on; the map's
            // declutter (see _MapSetup) moves or hides the ones that overlap.
            var labelData = {{ this.labels_json }};
            var labels = null;
            function makeLabels() {
                labels = L.layerGroup();
                labelData.forEach(function (label) {
                    var el = document.createElement("div");
                    el.className = "lsz-label";
                    el.textContent = label.text;
                    // Points carry rank 0 and dy; areas leave them out (rank 1, dy 0).
                    el.setAttribute("data-rank", label.rank === 0 ? "0" : "1");
                    el.setAttribute("data-dy", String(Number(label.dy) || 0));
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
                        if (map.lszDeclutter) { map.lszDeclutter(); }
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

    def __init__(
        self, collection: LayerData, name: str, *, show: bool = True, pane: str | None = None
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "DataLayer"
        self.data = {"type": "FeatureCollection", "features": collection.features}
        self.styles = collection.styles
        self.labels = collection.labels
        self.pane = pane
        # Serialised here, never with ``tojson`` in the template (see script_json).
        self.data_json = script_json(self.data)
        self.styles_json = script_json(self.styles)
        self.labels_json = script_json(self.labels)
        self.pane_json = script_json(pane)
        self.label_min_zoom = st.LABEL_MIN_ZOOM


class _MapSetup(folium.MacroElement):
    """Panes, the first-click fix, the map's height, label declutter and short credits.

    Added to the map before any layer, so the panes exist when layers are made.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
            .leaflet-container { background: {{ this.background }}; }
            /* Each pane has its own SVG covering the map: only drawn shapes take clicks,
               so a lower pane's shapes stay clickable where no upper shape lies. */
            .leaflet-pane > svg { pointer-events: none; }
            .lsz-label { white-space: nowrap; font: 600 {{ this.label_px }}px/1.2 sans-serif;
                color: {{ this.label_colour }}; display: inline-block;
                transform: translate(-50%, -50%);
                text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 4px #fff, 0 0 5px #fff; }
            .lsz-tip { font: {{ this.tooltip_px }}px/1.3 sans-serif; white-space: normal;
                max-width: 22em; }
            .leaflet-control-attribution.lsz-credits { font-size: {{ this.credits_px }}px;
                max-width: calc(100vw - 130px); white-space: nowrap; overflow: hidden;
                text-overflow: ellipsis; cursor: pointer; }
            .leaflet-control-attribution.lsz-credits.lsz-open { white-space: normal;
                max-height: 45vh; overflow: auto; cursor: auto; }
            .lsz-credits-toggle { font: 600 1em/1 sans-serif; color: inherit; background: none;
                border: 0; padding: 0 2px; cursor: pointer; }
            .lsz-legend { background: rgba(255, 255, 255, 0.94); border-radius: 6px;
                box-shadow: 0 1px 5px rgba(0, 0, 0, 0.35);
                font: {{ this.legend_px }}px/1.35 sans-serif; color: #111;
                max-width: {{ this.legend_max_px }}px; }
            .lsz-legend button { font: 600 {{ this.legend_px }}px/1.35 sans-serif; color: #111;
                background: none; border: 0; padding: 6px 10px; cursor: pointer; width: 100%;
                text-align: left; }
            .lsz-legend button::after { content: " \\25BE"; }
            .lsz-legend.lsz-closed button::after { content: " \\25B8"; }
            .lsz-legend-body { padding: 0 10px 8px; max-height: 60vh; overflow: auto; }
            .lsz-legend.lsz-closed .lsz-legend-body { display: none; }
            .lsz-legend-row { display: flex; align-items: center; gap: 8px; margin: 3px 0; }
            .lsz-legend-row svg { flex: none; }
            .lsz-legend-note { font-size: 0.9em; color: #333; margin-top: 4px; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function (map) {
            var panes = {{ this.panes_json }};
            Object.keys(panes).forEach(function (name) {
                if (!map.getPane(name)) { map.createPane(name).style.zIndex = String(panes[name]); }
            });
            // Leaflet focuses the map on the first mousedown. When the map's frame
            // is not wholly in view the browser then scrolls the page to show it, the
            // shape moves from under the pointer before mouseup, and the first click
            // is lost (no click event at all). Focus without scrolling instead.
            var kb = map.keyboard;
            if (kb && kb.enabled()) {
                kb.disable();
                kb._onMouseDown = function () {
                    if (!this._focused) { this._map.getContainer().focus({preventScroll: true}); }
                };
                kb.enable();
            }
            // Credits: one short line; a click on it (or its button, from the keyboard)
            // shows them all. The button is the control's prefix, so no interactive
            // element is nested in another (tile credits hold links).
            var attr = map.attributionControl;
            if (attr) {
                var box = attr.getContainer();
                box.classList.add("lsz-credits");
                var prefix = function (open) {
                    var button = document.createElement("button");
                    button.type = "button";
                    button.className = "lsz-credits-toggle";
                    button.textContent = {{ this.credits_label_json }};
                    button.setAttribute("aria-expanded", open ? "true" : "false");
                    return button.outerHTML;
                };
                attr.setPrefix(prefix(false));
                L.DomEvent.on(box, "click", function (e) {
                    if (e.target && e.target.closest && e.target.closest("a")) { return; }
                    var fromButton = document.activeElement
                        && document.activeElement.classList.contains("lsz-credits-toggle");
                    attr.setPrefix(prefix(box.classList.toggle("lsz-open")));
                    if (fromButton) {
                        box.querySelector(".lsz-credits-toggle").focus({preventScroll: true});
                    }
                });
                L.DomEvent.disableClickPropagation(box);
            }
            // Labels: most important first (rank), each put where it overlaps none
            // placed before (centred, above, below), else hidden.
            var pending = false;
            map.lszDeclutter = function () {
                if (pending) { return; }
                pending = true;
                L.Util.requestAnimFrame(function () {
                    pending = false;
                    var els = Array.prototype.slice.call(
                        map.getContainer().querySelectorAll(".lsz-label"));
                    els.sort(function (a, b) {
                        return Number(a.getAttribute("data-rank"))
                            - Number(b.getAttribute("data-rank"));
                    });
                    els.forEach(function (el) {
                        el.style.transform = "translate(-50%, -50%)";
                        el.style.visibility = "";
                    });
                    var boxes = els.map(function (el) { return el.getBoundingClientRect(); });
                    var placed = [];
                    els.forEach(function (el, i) {
                        // A point's label sits above its marker (dy), else below it.
                        var r = boxes[i], h = r.height + 2, dy = Number(el.getAttribute("data-dy"));
                        var shifts = dy ? [dy, -dy, dy - h, h - dy] : [0, -h, h, -2 * h, 2 * h];
                        for (var j = 0; j < shifts.length; j++) {
                            var top = r.top + shifts[j], bottom = r.bottom + shifts[j];
                            var clash = placed.some(function (p) {
                                return r.left < p.right + 2 && r.right > p.left - 2
                                    && top < p.bottom + 1 && bottom > p.top - 1;
                            });
                            if (!clash) {
                                placed.push({left: r.left, right: r.right,
                                             top: top, bottom: bottom});
                                el.style.transform =
                                    "translate(-50%, calc(-50% + " + shifts[j] + "px))";
                                return;
                            }
                        }
                        el.style.visibility = "hidden";
                    });
                });
            };
            map.on("zoomend moveend resize", map.lszDeclutter);
            // The map fills the window below its top edge (st_folium only takes a
            // fixed height): size the map and the frame holding it, again on resize.
            var frame = null;
            try { frame = window.frameElement; } catch (e) { frame = null; }
            if (frame && window.parent && window.parent !== window) {
                var container = map.getContainer();
                var host = window.parent;
                var fitHeight = function () {
                    if (!frame.isConnected) {  // the map was re-mounted in a new frame
                        host.removeEventListener("resize", fitHeight);
                        return;
                    }
                    var top = frame.getBoundingClientRect().top;
                    for (var el = frame.parentElement; el; el = el.parentElement) {
                        top += el.scrollTop;
                    }
                    var height = Math.max({{ this.min_height }}, Math.floor(
                        host.innerHeight - top - {{ this.bottom_margin }}));
                    var extra = Math.max(
                        0, document.documentElement.scrollHeight - container.offsetHeight);
                    if (container.style.height !== height + "px") {
                        container.style.height = height + "px";
                        map.invalidateSize({pan: false});
                    }
                    var wanted = (height + extra) + "px";
                    if (frame.style.height !== wanted) {
                        frame.style.setProperty("height", wanted, "important");
                    }
                };
                fitHeight();
                host.addEventListener("resize", fitHeight);
                new MutationObserver(fitHeight).observe(
                    frame, {attributes: true, attributeFilter: ["style", "height"]});
            }
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, credits_label: str) -> None:
        super().__init__()
        self._name = "MapSetup"
        self.panes_json = script_json(st.PANE_Z_INDEX)
        self.credits_label_json = script_json(credits_label)
        self.background = st.MAP_BACKGROUND
        self.label_px = st.LABEL_FONT_PX
        self.label_colour = st.LABEL_COLOUR
        self.tooltip_px = st.TOOLTIP_FONT_PX
        self.credits_px = st.CREDITS_FONT_PX
        self.legend_px = st.LEGEND_FONT_PX
        self.legend_max_px = st.LEGEND_MAX_WIDTH_PX
        self.min_height = st.MAP_MIN_HEIGHT_PX
        self.bottom_margin = st.MAP_BOTTOM_MARGIN_PX


class _Attribution(folium.MacroElement):
    """Adds plain-text attributions (data sources and licences) to the map."""

    _template = Template(
        """
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


class MapOverlay(folium.MacroElement):
    """The part of the map that follows the view state: legend, project credits, fit.

    Added to a ``folium.FeatureGroup`` (see :func:`overlay_group`), so ``st_folium``
    replaces it with the project layers, without re-mounting the map. It is a
    Leaflet layer whose ``onAdd`` puts a collapsible legend control on the map
    (text set with ``textContent``), adds the credits of the project layers, and
    fits the map to ``fit["bounds"]``:

    * when ``fit["request"]`` (what the person asked for: filters, search,
      layers, selection) differs from the last one seen in this frame, always;
    * when only ``fit["matches"]`` changed (e.g. the date), only if the person has
      not dragged or zoomed the map since the last fit.

    Fitting happens in the browser because only the browser knows the map's pixel
    size (it fills the window, see ``_MapSetup``).

    Parameters
    ----------
    legend : dict
        ``{"title", "entries", "note"}``; entries as :func:`legend_entries`.
    credits : sequence of str
        Plain-text credits of the project layers drawn.
    fit : dict
        ``{"request", "matches", "bounds"}``: two strings and
        ``[[south, west], [north, east]]``, or ``None``: then the map goes to its
        home view (``geo.style.MAP_CENTRE``, ``MAP_ZOOM``) if ``fit["home"]`` is true,
        else stays where it is.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var opts = {{ this.options_json }};
            var view = window.lszView = window.lszView
                || {request: null, matches: null, moved: false};
            var Overlay = L.Layer.extend({
                onAdd: function (map) {
                    var self = this;
                    self._credits = opts.credits.map(function (text) {
                        var s = document.createElement("span");
                        s.textContent = text;
                        return s.outerHTML;
                    });
                    if (map.attributionControl) {
                        self._credits.forEach(function (c) {
                            map.attributionControl.addAttribution(c);
                        });
                    }
                    self._legend = L.control({position: "topright"});
                    self._legend.onAdd = function () { return self._legendBox(map); };
                    if (opts.legend.entries.length) { self._legend.addTo(map); }
                    if (!map.lszMoveWatch) {
                        map.lszMoveWatch = true;
                        map.on("dragstart zoomstart", function () {
                            if (!view.fitting) { view.moved = true; }
                        });
                    }
                    var asked = opts.fit.request !== view.request;
                    var changed = opts.fit.matches !== view.matches;
                    view.request = opts.fit.request;
                    view.matches = opts.fit.matches;
                    var target = opts.fit.bounds || opts.fit.home;
                    if (target && (asked || (changed && !view.moved))) {
                        view.fitting = true;
                        try {
                            if (opts.fit.bounds) {
                                var pad = [opts.fit.padding, opts.fit.padding];
                                map.fitBounds(opts.fit.bounds, {
                                    padding: pad, maxZoom: opts.fit.maxZoom, animate: false});
                            } else {
                                map.setView(opts.fit.home.centre, opts.fit.home.zoom,
                                            {animate: false});
                            }
                        } finally { view.fitting = false; }
                        view.moved = false;
                    }
                },
                onRemove: function (map) {
                    if (map.attributionControl) {
                        this._credits.forEach(function (c) {
                            map.attributionControl.removeAttribution(c);
                        });
                    }
                    this._legend.remove();
                },
                _legendBox: function (map) {
                    var box = L.DomUtil.create("div", "leaflet-control lsz-legend");
                    if (window.lszLegendOpen === undefined) {
                        window.lszLegendOpen = map.getSize().x >= {{ this.legend_open_px }};
                    }
                    if (!window.lszLegendOpen) { box.classList.add("lsz-closed"); }
                    var button = L.DomUtil.create("button", "", box);
                    button.type = "button";
                    button.textContent = opts.legend.title;
                    button.setAttribute("aria-expanded", window.lszLegendOpen ? "true" : "false");
                    var body = L.DomUtil.create("div", "lsz-legend-body", box);
                    L.DomEvent.on(button, "click", function () {
                        window.lszLegendOpen = !box.classList.toggle("lsz-closed");
                        button.setAttribute("aria-expanded",
                                            window.lszLegendOpen ? "true" : "false");
                    });
                    opts.legend.entries.forEach(function (entry) {
                        var row = L.DomUtil.create("div", "lsz-legend-row", body);
                        row.appendChild(swatch(entry));
                        var text = document.createElement("span");
                        text.textContent = entry.label;
                        row.appendChild(text);
                    });
                    if (opts.legend.note) {
                        var note = L.DomUtil.create("div", "lsz-legend-note", body);
                        note.textContent = opts.legend.note;
                    }
                    L.DomEvent.disableClickPropagation(box);
                    L.DomEvent.disableScrollPropagation(box);
                    return box;
                }
            });
            var NS = "http://www.w3.org/2000/svg";
            function swatch(entry) {
                var svg = document.createElementNS(NS, "svg");
                svg.setAttribute("width", "30");
                svg.setAttribute("height", "18");
                svg.setAttribute("aria-hidden", "true");
                if (entry.kind === "text") { return svg; }
                var colour = entry.colour || opts.neutral;
                var shape;
                if (entry.kind === "line") {
                    shape = document.createElementNS(NS, "line");
                    shape.setAttribute("x1", "1"); shape.setAttribute("y1", "9");
                    shape.setAttribute("x2", "29"); shape.setAttribute("y2", "9");
                    shape.setAttribute("stroke-width", "4");
                } else if (entry.kind === "point") {
                    shape = document.createElementNS(NS, "circle");
                    shape.setAttribute("cx", "15"); shape.setAttribute("cy", "9");
                    shape.setAttribute("r", "6");
                    shape.setAttribute("fill", colour);
                    shape.setAttribute("stroke-width", "1.5");
                } else {
                    shape = document.createElementNS(NS, "rect");
                    shape.setAttribute("x", "4"); shape.setAttribute("y", "2");
                    shape.setAttribute("width", "22"); shape.setAttribute("height", "14");
                    shape.setAttribute("fill", colour); shape.setAttribute("fill-opacity", "0.4");
                    shape.setAttribute("stroke-width", "2");
                }
                shape.setAttribute("stroke", colour);
                if (entry.dash) { shape.setAttribute("stroke-dasharray", entry.dash); }
                svg.appendChild(shape);
                return svg;
            }
            var overlay = new Overlay();
            overlay.addTo({{ this._parent.get_name() }});
            return overlay;
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self, *, legend: Mapping[str, Any], credits: Sequence[str], fit: Mapping[str, Any]
    ) -> None:
        super().__init__()
        self._name = "MapOverlay"
        self.options = {
            "legend": dict(legend),
            "credits": list(dict.fromkeys(credits)),
            "fit": {
                **fit,
                "home": {"centre": list(st.MAP_CENTRE), "zoom": st.MAP_ZOOM}
                if fit.get("home")
                else None,
                "padding": st.FIT_PADDING_PX,
                "maxZoom": st.FIT_MAX_ZOOM,
            },
            "neutral": st.NEUTRAL_COLOUR,
        }
        self.options_json = script_json(self.options)
        self.legend_open_px = st.LEGEND_OPEN_MIN_MAP_PX


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
        outline = st.POINT_OUTLINE_COLOUR if style.by_status else colour
        leaflet.update(radius=style.radius, color=outline)
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
            label: dict[str, Any] = {
                "lat": point.y,
                "lng": point.x,
                "text": label_text(props, lang, as_of),
            }
            if spec.geometry_kind == "point":
                # Points (gates) are placed first, then areas: a gate's label stays by
                # its marker (dy pixels above it) and a zone's label moves or yields.
                label.update(rank=0, dy=-(style.radius + st.LABEL_FONT_PX))
            out.labels.append(label)
    return out


def context_layer_data(layer: MapLayer, *, lang: str) -> LayerData:
    """Prepare a context layer for :func:`base_map`: features with tooltips in ``lang``.

    It depends only on the layer and the language, so a caller may cache it across
    dates, filters and selections (the app does).
    """
    spec, gdf = layer.spec, layer.data
    style = st.layer_style(spec.style)
    leaflet = _leaflet_style(spec, style.colour or st.NEUTRAL_COLOUR, style.dash)
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
        zoom_snap=st.MAP_ZOOM_SNAP,
    )
    _MapSetup(t("map.credits", lang)).add_to(fmap)
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
        pane = st.pane_name(layer.spec.geometry_kind, "context")
        DataLayer(data, name=layer.spec.title[lang], pane=pane).add_to(fmap)
        attributions.extend(layer_credits(layer, lang))
    _Attribution(attributions).add_to(fmap)
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

    Returns
    -------
    list of folium.FeatureGroup
        One per layer, then one for the selection halo if a drawn feature is selected.
    """
    groups = []
    halo = LayerData()
    halo_kind = None
    for layer in layers:
        group = folium.FeatureGroup(name=layer.spec.title[lang])
        collection = _project_collection(layer, lang=lang, as_of=as_of, feature_ids=feature_ids)
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
        for colour, extra in (
            (st.HALO_OUTER_COLOUR, st.HALO_OUTER_EXTRA_PX),
            (st.HALO_INNER_COLOUR, st.HALO_INNER_EXTRA_PX),
        ):
            band: dict[str, Any] = {
                "color": colour,
                "weight": own["weight"] + extra,
                "opacity": 0.9,
                "fill": False,
                "interactive": False,
                "lineCap": own.get("lineCap", "round"),
            }
            if "radius" in own:
                band["radius"] = own["radius"]
            if own.get("dashArray"):
                band["dashArray"] = own["dashArray"]  # a halo must not make it look surveyed
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
        "entries": legend_entries(layers, lang=lang, as_of=as_of),
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


def fit_bounds(layers: Iterable[MapLayer], ids: Collection[str]) -> list[list[float]] | None:
    """Return ``[[south, west], [north, east]]`` of the features ``ids``, or ``None``.

    One vectorised bounds call per layer (no loop over features in Python).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> gdf = gpd.GeoDataFrame(geometry=[Point(106.7, 21.9), Point(106.8, 22.0)],
    ...                        index=["a", "b"], crs=4326)
    >>> fit_bounds([MapLayer(None, gdf)], {"a", "b"})
    [[21.9, 106.7], [22.0, 106.8]]
    >>> fit_bounds([MapLayer(None, gdf)], set()) is None
    True
    """
    wanted = set(ids)
    boxes = []
    for layer in layers:
        index = layer.data.index
        hits = layer.data.geometry[index.isin(list(wanted))]
        if len(hits):
            boxes.append(hits.total_bounds)
    if not boxes:
        return None
    stacked = np.vstack(boxes)
    west, south = stacked[:, 0].min(), stacked[:, 1].min()
    east, north = stacked[:, 2].max(), stacked[:, 3].max()
    return [
        [round(float(south), 6), round(float(west), 6)],
        [round(float(north), 6), round(float(east), 6)],
    ]


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
    """Build the whole map in one piece: context layers, project layers, legend.

    Same parameters as :func:`base_map` and :func:`project_groups`; ``layers`` may
    mix context and project layers (their registry ``schema`` decides). The map
    is fitted to the selection, else to the features drawn.
    """
    context = [layer for layer in layers if layer.spec.schema == "context"]
    projects = [layer for layer in layers if layer.spec.schema == "project"]
    fmap = base_map(context, lang=lang, basemap=basemap, asset_base_url=asset_base_url)
    for group in project_groups(
        projects, lang=lang, as_of=as_of, feature_ids=feature_ids, selected=selected
    ):
        group.add_to(fmap)
    if selected is not None:
        fit_ids: Collection[str] = {selected}
    elif feature_ids is not None:
        fit_ids = feature_ids
    else:
        fit_ids = {fid for layer in projects for fid in layer.data.index}
    overlay_group(layers, lang=lang, as_of=as_of, request="", fit_ids=fit_ids).add_to(fmap)
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
            {
                "label": t("legend.open", lang),
                "colour": st.NEUTRAL_COLOUR,
                "dash": None,
                "kind": "line",
            }
        )
        entries.append(
            {
                "label": t("legend.not_open", lang),
                "colour": st.NEUTRAL_COLOUR,
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
                    "colour": st.NEUTRAL_COLOUR,
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
    "MapOverlay",
    "base_map",
    "build_map",
    "context_layer_data",
    "fit_bounds",
    "focus_view",
    "iter_features",
    "layer_credits",
    "legend_entries",
    "overlay_group",
    "project_groups",
    "script_json",
]

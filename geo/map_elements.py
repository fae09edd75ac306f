"""The folium elements of the map, each with its Leaflet template.

* :class:`DataLayer`: a GeoJSON layer styled from its table, with lazy tooltips
  and labels that the map declutters;
* :class:`MapSetup`: panes, the first-click fix, the map's height, label declutter,
  the page's CSS and the short credits line;
* :class:`Attribution`: plain-text credits of the data sources.

The legend, project credits and view fit that follow the view state are in
:mod:`geo.map_overlay`.

Security: every value from Python reaches the templates through
:func:`geo.map_data.script_json` (never folium's ``tojson``), and every text from
the data is set in the browser with ``textContent``, so markup in data is shown as
text, never run.
"""

from __future__ import annotations

from collections.abc import Sequence

import folium
from jinja2 import Template

from geo import style as st
from geo.fonts import FONT_URL_PREFIX, SUBSET_URL_PREFIX, font_face_css
from geo.map_data import LayerData, script_json


class DataLayer(folium.map.Layer):
    """A GeoJSON layer styled from a table, with text-only tooltips and labels.

    Parameters
    ----------
    collection : LayerData
        Its ``features``, ``styles`` and ``labels``; each feature's ``properties``
        hold ``id``, ``k`` (index into ``styles``) and ``tip`` (text).
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
            // declutter (see MapSetup) moves or hides the ones that overlap.
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


class MapSetup(folium.MacroElement):
    """Panes, fonts, the first-click fix, the map's height, label declutter and short credits.

    Added to the map before any layer, so the panes exist when layers are made.

    Parameters
    ----------
    credits_label : str
        Text of the button that opens the credits.
    font_base_url, subset_base_url : str
        Where the vendored fonts and the Chinese subset are served (``geo.fonts``): every
        text on the map is in Noto Sans / Noto Sans SC, loaded from there, never from a
        font service.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
            {{ this.font_faces }}
            .leaflet-container { background: {{ this.background }};
                font-family: {{ this.font_stack }}; }
            /* Each pane has its own SVG covering the map: only drawn shapes take clicks,
               so a lower pane's shapes stay clickable where no upper shape lies. */
            .leaflet-pane > svg { pointer-events: none; }
            .lsz-label { white-space: nowrap;
                font: 600 {{ this.label_px }}px/1.2 {{ this.font_stack }};
                color: {{ this.label_colour }}; display: inline-block;
                transform: translate(-50%, -50%);
                text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 4px #fff, 0 0 5px #fff; }
            .lsz-tip { font: {{ this.tooltip_px }}px/1.3 {{ this.font_stack }}; white-space: normal;
                max-width: 22em; }
            .leaflet-control-attribution.lsz-credits { font-size: {{ this.credits_px }}px;
                max-width: calc(100vw - 130px); white-space: nowrap; overflow: hidden;
                text-overflow: ellipsis; cursor: pointer; }
            .leaflet-control-attribution.lsz-credits.lsz-open { white-space: normal;
                max-height: 45vh; overflow: auto; cursor: auto; }
            .lsz-credits-toggle { font: 600 1em/1 {{ this.font_stack }}; color: inherit;
                background: none; border: 0; padding: 0 2px; cursor: pointer; }
            .lsz-legend { background: rgba(255, 255, 255, 0.94); border-radius: 6px;
                box-shadow: 0 1px 5px rgba(0, 0, 0, 0.35);
                font: {{ this.legend_px }}px/1.35 {{ this.font_stack }}; color: #111;
                max-width: {{ this.legend_max_px }}px; }
            .lsz-legend button { font: 600 {{ this.legend_px }}px/1.35 {{ this.font_stack }};
                color: #111; background: none; border: 0; padding: 6px 10px; cursor: pointer;
                width: 100%; text-align: left; }
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
                    if (host.innerWidth <= {{ this.narrow_px }}) {
                        // A phone: the panel is stacked under the map, one short scroll away.
                        height = Math.floor(host.innerHeight * {{ this.narrow_share }});
                    }
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

    def __init__(
        self,
        credits_label: str,
        *,
        font_base_url: str | None = FONT_URL_PREFIX,
        subset_base_url: str = SUBSET_URL_PREFIX,
    ) -> None:
        super().__init__()
        self._name = "MapSetup"
        # None: the page brings its own @font-face rules (a standalone export inlines them).
        self.font_faces = (
            "" if font_base_url is None else font_face_css(font_base_url, subset_base_url)
        )
        self.font_stack = st.MAP_FONT_STACK
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
        self.narrow_px = st.NARROW_SCREEN_MAX_PX
        self.narrow_share = st.MAP_NARROW_HEIGHT_SHARE


class Attribution(folium.MacroElement):
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


__all__ = ["Attribution", "DataLayer", "MapSetup"]

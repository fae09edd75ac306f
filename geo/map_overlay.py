"""The map overlay that follows the view state: legend, project credits and view fit.

:class:`MapOverlay` is small and made on every re-run; ``st_folium`` swaps it with
the project layers without re-mounting the map (see :func:`geo.mapview.overlay_group`).

Security: its options reach the template through :func:`geo.map_data.script_json`,
and the legend's texts and the credits are set with ``textContent``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import folium
from jinja2 import Template

from geo import style as st
from geo.map_data import script_json


class MapOverlay(folium.MacroElement):
    """The part of the map that follows the view state: legend, project credits, fit.

    Added to a ``folium.FeatureGroup`` (see :func:`geo.mapview.overlay_group`), so ``st_folium``
    replaces it with the project layers, without re-mounting the map. It is a
    Leaflet layer whose ``onAdd`` puts a collapsible legend control on the map
    (text set with ``textContent``), adds the credits of the project layers, and
    fits the map to ``fit["bounds"]``:

    * when ``fit["request"]`` (what the person asked for: filters, search,
      layers, selection) differs from the last one seen in this frame, always;
    * when only ``fit["matches"]`` changed (e.g. the date), only if the person has
      not dragged or zoomed the map since the last fit.

    Fitting happens in the browser because only the browser knows the map's pixel
    size (it fills the window, see :class:`geo.map_elements.MapSetup`).

    Parameters
    ----------
    legend : dict
        ``{"title", "entries", "note"}``; entries as :func:`geo.legend.legend_entries`.
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


__all__ = ["MapOverlay"]

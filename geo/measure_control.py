"""The map's measuring tool: geodesic distance and area, live as points are clicked.

Pure folium (no Streamlit). Two elements, added together by :func:`add_measure_control`:

* :class:`GeodesicText` defines ``window.lszMeasures`` in the map's page: the geodesic
  length of a line and area of a ring on the WGS84 ellipsoid (the vendored
  ``geographiclib-geodesic``: Karney's algorithms, those of ``pyproj.Geod`` behind
  :mod:`geo.measure`, so the browser shows what the server computes) and their text
  in the page's language (``Intl.NumberFormat``, whose CLDR separators are those
  :func:`geo.text.format_number` takes from Babel). The planners' drawing map uses it
  too.
* :class:`MeasureControl` is a Leaflet control (buttons, so it works from the keyboard;
  folded to one *Measure* button until opened) to measure a distance (a line, in m under
  1 km, km above) or an area (a polygon, in m² under 1 ha, ha above). While it measures,
  a click on the map adds a point and reaches nothing else (no feature is selected, the
  app does not re-run).

Security: labels reach the templates through :func:`geo.map_data.script_json` and are
set with ``textContent``.
"""

from __future__ import annotations

from typing import Any, Final

import folium
from jinja2 import Template

from geo import style as st
from geo.i18n import t
from geo.map_data import script_json

#: The vendored geodesic library (``static/vendor/README.md``), under the asset base URL.
GEODESIC_SCRIPT: Final[str] = "geographiclib-geodesic/geographiclib-geodesic.min.js"

#: From this many metres a distance is shown in km; from this many m² an area in ha.
KM_FROM_M: Final[float] = 1_000.0
HA_FROM_M2: Final[float] = 10_000.0

#: Decimals shown per unit (trailing zeros dropped, as :func:`geo.text.format_number`):
#: a decimetre, a metre, a square metre, a square metre.
UNIT_DECIMALS: Final[dict[str, int]] = {"m": 1, "km": 3, "m2": 0, "ha": 4}

#: The catalogue keys the control shows, by the name the browser reads them under.
LABEL_KEYS: Final[dict[str, str]] = {
    "title": "measure.title",
    "toggle": "measure.toggle",
    "distance": "measure.distance_button",
    "area": "measure.area_button",
    "add": "measure.add_centre",
    "finish": "measure.finish",
    "clear": "measure.clear",
    "hint": "measure.hint",
    "distanceValue": "measure.distance",
    "areaValue": "measure.area",
    "m": "measure.unit_m",
    "km": "measure.unit_km",
    "m2": "measure.unit_m2",
    "ha": "measure.unit_ha",
    "geodesic": "measure.geodesic",
}


def measure_config(lang: str) -> dict[str, Any]:
    """Return what the browser needs to measure and write measures in ``lang``.

    ``locale`` is the language tag ``Intl.NumberFormat`` takes (the same CLDR data as
    Babel's, so "1.234,5" in Vietnamese); unit labels are templates with ``{value}``.

    Examples
    --------
    >>> config = measure_config("zh")
    >>> config["locale"], config["labels"]["ha"], config["kmFromM"], config["decimals"]["km"]
    ('zh', '{value} 公顷', 1000.0, 3)
    >>> measure_config("fr")
    Traceback (most recent call last):
    ...
    ValueError: unknown language 'fr'; expected one of vi, en, zh
    """
    return {
        "locale": lang,
        "labels": {name: t(key, lang) for name, key in LABEL_KEYS.items()},
        "kmFromM": KM_FROM_M,
        "haFromM2": HA_FROM_M2,
        "decimals": dict(UNIT_DECIMALS),
    }


class GeodesicText(folium.MacroElement):
    """Define ``window.lszMeasures``: geodesic measures on WGS84 and their text in ``lang``.

    In the browser::

        lszMeasures.lengthM([{lat, lng}, ...])   // polyline length, metres
        lszMeasures.areaM2([{lat, lng}, ...])    // ring area (any orientation), m²
        lszMeasures.distanceText(m)              // "1.234 km", "850.5 m" in the language
        lszMeasures.areaText(m2)                 // "12.5 ha", "950 m²"

    Needs the vendored ``geographiclib-geodesic`` loaded first (:func:`add_measure_control`).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        window.lszMeasures = (function () {
            var cfg = {{ this.config_json }};
            var geod = geodesic.Geodesic.WGS84;
            var formats = {};
            function number(value, unit) {
                if (!formats[unit]) {
                    formats[unit] = new Intl.NumberFormat(cfg.locale, {
                        minimumFractionDigits: 0,
                        maximumFractionDigits: cfg.decimals[unit],
                        useGrouping: true
                    });
                }
                return cfg.labels[unit].replace("{value}", formats[unit].format(value));
            }
            function measure(latlngs, closed) {
                var p = geod.Polygon(!closed);
                latlngs.forEach(function (ll) { p.AddPoint(ll.lat, ll.lng); });
                return p.Compute(false, true);
            }
            return {
                config: cfg,
                lengthM: function (latlngs) {
                    return latlngs.length < 2 ? 0 : measure(latlngs, false).perimeter;
                },
                areaM2: function (latlngs) {
                    return latlngs.length < 3 ? 0 : Math.abs(measure(latlngs, true).area);
                },
                distanceText: function (m) {
                    return m < cfg.kmFromM ? number(m, "m") : number(m / 1000, "km");
                },
                areaText: function (m2) {
                    return m2 < cfg.haFromM2 ? number(m2, "m2") : number(m2 / 10000, "ha");
                }
            };
        })();
        {% endmacro %}
        """
    )

    def __init__(self, lang: str) -> None:
        super().__init__()
        self._name = "GeodesicText"
        self.config_json = script_json(measure_config(lang))


class MeasureControl(folium.MacroElement):
    """A Leaflet control measuring a distance or an area on the map (see the module doc).

    In the browser the map gets ``map.lszMeasure``: ``start("distance" | "area")``,
    ``add(latlng)``, ``finish()``, ``clear()``, ``points()`` and ``text()`` (what
    the control shows), for scripts and tests.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
            .lsz-measure { background: #fff; padding: 4px; font: 13px/1.3 {{ this.font_stack }};
                color: #111; max-width: 15em; }
            .lsz-measure button { display: block; width: 100%; margin: 2px 0; padding: 4px 6px;
                font: inherit; color: #111; background: #f4f4f4; border: 1px solid #888;
                border-radius: 3px; cursor: pointer; text-align: left; }
            .lsz-measure .lsz-measure-toggle { text-align: center; font-weight: 600;
                margin: 0; }
            .lsz-measure button[aria-pressed="true"] { background: #fde3ee;
                border-color: {{ this.colour }}; font-weight: 600; }
            .lsz-measure button:focus-visible { outline: 2px solid #1a4fa0; outline-offset: 1px; }
            .lsz-measure [hidden] { display: none !important; }
            .lsz-measure-result { display: block; font-weight: 600; margin-top: 3px; }
            .lsz-measure-hint { display: block; font-size: 12px; color: #333; }
            .leaflet-container.lsz-measuring { cursor: crosshair; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function (map) {
            var M = window.lszMeasures, labels = M.config.labels;
            if (!map.getPane({{ this.pane_json }})) {
                map.createPane({{ this.pane_json }}).style.zIndex = "{{ this.pane_z }}";
            }
            var style = {color: {{ this.colour_json }}, weight: 3, dashArray: "6 4",
                         pane: {{ this.pane_json }}, interactive: false};
            var drawn = L.layerGroup().addTo(map);
            var mode = null, active = false, open = false, points = [];
            var box, tools, buttons = {}, result, hint;
            function button(name, onClick, parent) {
                var b = L.DomUtil.create("button", "lsz-measure-" + name, parent || tools);
                b.type = "button";
                b.textContent = labels[name];
                L.DomEvent.on(b, "click", function (e) {
                    L.DomEvent.stop(e);
                    onClick();
                });
                buttons[name] = b;
                return b;
            }
            function text() {
                if (!mode) { return ""; }
                if (mode === "distance") {
                    return labels.distanceValue.replace(
                        "{value}", M.distanceText(M.lengthM(points)));
                }
                return labels.areaValue.replace("{value}", M.areaText(M.areaM2(points)));
            }
            function redraw() {
                drawn.clearLayers();
                if (points.length > 1) {
                    (mode === "area" && points.length > 2
                        ? L.polygon(points, Object.assign({fillOpacity: 0.15}, style))
                        : L.polyline(points, style)).addTo(drawn);
                }
                points.forEach(function (p) {
                    L.circleMarker(p, Object.assign({radius: 4, fillColor: "#fff",
                                                     fillOpacity: 1}, style)).addTo(drawn);
                });
                result.textContent = text();
                result.hidden = !mode;
                hint.hidden = !active;
                ["distance", "area"].forEach(function (name) {
                    buttons[name].setAttribute("aria-pressed",
                                               active && mode === name ? "true" : "false");
                });
                buttons.add.hidden = buttons.finish.hidden = !active;
                buttons.clear.hidden = !mode;
                tools.hidden = !open;
                buttons.toggle.setAttribute("aria-expanded", open ? "true" : "false");
                map.getContainer().classList.toggle("lsz-measuring", active);
            }
            var api = {
                start: function (kind) {
                    open = true;
                    mode = kind;
                    active = true;
                    points = [];
                    redraw();
                },
                add: function (latlng) {
                    if (!active) { return; }
                    points.push(L.latLng(latlng));
                    redraw();
                },
                finish: function () { active = false; redraw(); },
                clear: function () { mode = null; active = false; points = []; redraw(); },
                points: function () {
                    return points.map(function (p) { return [p.lat, p.lng]; });
                },
                text: text
            };
            var Control = L.Control.extend({
                options: {position: "topleft"},
                onAdd: function () {
                    box = L.DomUtil.create("div", "leaflet-bar lsz-measure");
                    box.setAttribute("role", "group");
                    box.setAttribute("aria-label", labels.title);
                    button("toggle", function () {
                        open = !open;
                        if (!open) { api.clear(); } else { redraw(); }
                    }, box).title = labels.title;
                    tools = L.DomUtil.create("div", "lsz-measure-tools", box);
                    tools.title = labels.geodesic;
                    button("distance", function () { api.start("distance"); });
                    button("area", function () { api.start("area"); });
                    button("add", function () { api.add(map.getCenter()); });
                    button("finish", api.finish);
                    button("clear", api.clear);
                    hint = L.DomUtil.create("span", "lsz-measure-hint", tools);
                    hint.textContent = labels.hint;
                    result = L.DomUtil.create("output", "lsz-measure-result", tools);
                    result.setAttribute("aria-live", "polite");
                    L.DomEvent.disableClickPropagation(box);
                    L.DomEvent.disableScrollPropagation(box);
                    return box;
                }
            });
            new Control().addTo(map);
            redraw();
            // While measuring, a click adds a point and goes no further: caught on its
            // way down (capture), before Leaflet or a shape sees it, so it neither
            // selects a feature nor reaches streamlit-folium (no re-run). A drag still pans.
            var container = map.getContainer();
            container.addEventListener("click", function (e) {
                if (!active || (e.target.closest && e.target.closest(".leaflet-control"))) {
                    return;
                }
                e.stopPropagation();
                if (map.dragging && map.dragging.moved()) { return; }
                api.add(map.mouseEventToLatLng(e));
            }, true);
            container.addEventListener("keydown", function (e) {
                if (active && e.key === "Escape") { api.finish(); }
            });
            map.lszMeasure = api;
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "MeasureControl"
        self.font_stack = st.MAP_FONT_STACK
        self.colour = st.MEASURE_COLOUR
        self.colour_json = script_json(st.MEASURE_COLOUR)
        self.pane_json = script_json(st.MEASURE_PANE)
        self.pane_z = st.MEASURE_PANE_Z_INDEX


def add_geodesic_text(fmap: folium.Map, lang: str, asset_base_url: str) -> None:
    """Load the vendored geodesic library in ``fmap``'s page and define ``lszMeasures``.

    Examples
    --------
    >>> fmap = folium.Map(tiles=None)
    >>> add_geodesic_text(fmap, "en", "/app/static/vendor")
    >>> [url for name, url in fmap.default_js if name == "geographiclib_geodesic"]
    ['/app/static/vendor/geographiclib-geodesic/geographiclib-geodesic.min.js']
    """
    entry = ("geographiclib_geodesic", f"{asset_base_url}/{GEODESIC_SCRIPT}")
    if entry not in fmap.default_js:
        fmap.default_js = [*fmap.default_js, entry]
    GeodesicText(lang).add_to(fmap)


def add_measure_control(fmap: folium.Map, lang: str, asset_base_url: str) -> None:
    """Put the measuring tool on ``fmap``, with its labels in ``lang``.

    Examples
    --------
    >>> fmap = folium.Map(tiles=None)
    >>> add_measure_control(fmap, "vi", "/app/static/vendor")
    >>> html = fmap.get_root().render()
    >>> "geographiclib-geodesic.min.js" in html, "Đo khoảng cách" in html
    (True, True)
    """
    add_geodesic_text(fmap, lang, asset_base_url)
    MeasureControl().add_to(fmap)


__all__ = [
    "GEODESIC_SCRIPT",
    "GeodesicText",
    "MeasureControl",
    "add_geodesic_text",
    "add_measure_control",
    "measure_config",
]

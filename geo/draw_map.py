"""The planners' drawing map: a feature's shape, reshaped or drawn anew, measured live.

Pure folium (no Streamlit). :func:`draw_map` builds a map holding one editable shape in
the vendored ``leaflet-draw`` 1.0.4 (its toolbar limited to the layer's geometry kind,
its texts in the page's language), with the shape's geodesic area or length shown live
while a vertex is added, dragged or removed (:class:`geo.measure_control.GeodesicText`:
the same code as the measuring tool, the same figures as :mod:`geo.measure`).

The map only proposes a shape: streamlit-folium returns it as ``all_drawings``,
:func:`drawn_geometry` turns that into GeoJSON text for the Edit panel's shape field, and
the save then goes the way of a typed shape (validated by the layer's rules, source and
reason required, audited). folium's own ``Draw`` plugin is not used: it loads
leaflet-draw from a CDN and keeps every shape drawn, where a feature has one.

Security: options and texts reach the template through :func:`geo.map_data.script_json`;
the only texts leaflet-draw writes as HTML are the catalogue's (``draw.*`` keys), never data.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

import folium
from jinja2 import Template
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from geo.i18n import t
from geo.map_data import script_json
from geo.mapview import DEFAULT_ASSET_BASE_URL, base_map
from geo.measure_control import add_geodesic_text
from geo.style import MEASURE_COLOUR

#: The vendored plugin (``static/vendor/README.md``), under the asset base URL.
DRAW_SCRIPT: Final[str] = "leaflet-draw/leaflet.draw.js"
DRAW_CSS: Final[str] = "leaflet-draw/leaflet.draw.css"

#: leaflet-draw's tool for each geometry kind of the registry; a point is a circle marker
#: (no marker image to load).
DRAW_TOOLS: Final[dict[str, str]] = {
    "polygon": "polygon",
    "line": "polyline",
    "point": "circlemarker",
}
_ALL_TOOLS: Final = ("polygon", "polyline", "rectangle", "circle", "marker", "circlemarker")

#: The ``L.drawLocal`` texts replaced from the catalogue, by their path there; the
#: catalogue key is ``"draw." + path``.
DRAW_TEXTS: Final[tuple[str, ...]] = (
    "draw.toolbar.actions.text",
    "draw.toolbar.actions.title",
    "draw.toolbar.finish.text",
    "draw.toolbar.finish.title",
    "draw.toolbar.undo.text",
    "draw.toolbar.undo.title",
    "draw.toolbar.buttons.polygon",
    "draw.toolbar.buttons.polyline",
    "draw.toolbar.buttons.circlemarker",
    "draw.handlers.polygon.tooltip.start",
    "draw.handlers.polygon.tooltip.cont",
    "draw.handlers.polygon.tooltip.end",
    "draw.handlers.polyline.error",
    "draw.handlers.polyline.tooltip.start",
    "draw.handlers.polyline.tooltip.cont",
    "draw.handlers.polyline.tooltip.end",
    "draw.handlers.circlemarker.tooltip.start",
    "edit.toolbar.actions.save.text",
    "edit.toolbar.actions.save.title",
    "edit.toolbar.actions.cancel.text",
    "edit.toolbar.actions.cancel.title",
    "edit.toolbar.actions.clearAll.text",
    "edit.toolbar.actions.clearAll.title",
    "edit.toolbar.buttons.edit",
    "edit.toolbar.buttons.editDisabled",
    "edit.toolbar.buttons.remove",
    "edit.toolbar.buttons.removeDisabled",
    "edit.handlers.edit.tooltip.text",
    "edit.handlers.edit.tooltip.subtext",
    "edit.handlers.remove.tooltip.text",
)


def draw_texts(lang: str) -> dict[str, str]:
    """Return leaflet-draw's texts in ``lang``, by their ``L.drawLocal`` path.

    Examples
    --------
    >>> draw_texts("en")["draw.toolbar.buttons.polygon"]
    'Draw the area'
    """
    return {path: t(f"draw.{path}", lang) for path in DRAW_TEXTS}


def draw_options(kind: str) -> dict[str, Any]:
    """Return leaflet-draw's ``draw`` options for a layer of geometry ``kind``: one tool.

    Crossing edges are refused while drawing and reshaping (the save would refuse them
    too); leaflet-draw's own length and area are hidden: they are spherical, and the
    map shows the geodesic ones.

    Examples
    --------
    >>> options = draw_options("line")
    >>> [tool for tool, value in options.items() if value]
    ['polyline']
    >>> draw_options("raster")
    Traceback (most recent call last):
    ...
    KeyError: "no drawing tool for geometry kind 'raster'; known: line, point, polygon"
    """
    if kind not in DRAW_TOOLS:
        raise KeyError(
            f"no drawing tool for geometry kind {kind!r}; known: {', '.join(sorted(DRAW_TOOLS))}"
        )
    style = {"color": MEASURE_COLOUR, "weight": 3}
    tool = DRAW_TOOLS[kind]
    settings: dict[str, Any] = {"shapeOptions": style}
    if tool in {"polygon", "polyline"}:
        settings.update(allowIntersection=False, showLength=False, showArea=False)
    return {name: (settings if name == tool else False) for name in _ALL_TOOLS}


class DrawTools(folium.MacroElement):
    """leaflet-draw on the map, holding one editable shape, with a live geodesic measure.

    In the browser, ``window.drawnItems`` (the name streamlit-folium reads) holds the
    shape; a new drawing replaces it. ``map.lszDraw.text()`` is the measure shown.

    Parameters
    ----------
    shape : BaseGeometry or None
        The feature's shape now (WGS 84 lon/lat), editable; ``None``: nothing yet.
    kind : str
        The layer's geometry kind (``"polygon"``, ``"line"``, ``"point"``).
    lang : str
        Language of the toolbar and of the measure.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
            .lsz-draw-measure { background: #fff; padding: 4px 8px; font-weight: 600;
                font-size: 13px; min-height: 1.3em; }
            .lsz-draw-measure:empty { display: none; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function (map) {
            var opts = {{ this.options_json }};
            var M = window.lszMeasures, labels = M.config.labels;
            Object.keys(opts.texts).forEach(function (path) {
                var keys = path.split("."), node = L.drawLocal;
                keys.slice(0, -1).forEach(function (k) { node = node[k] = node[k] || {}; });
                node[keys[keys.length - 1]] = opts.texts[path];
            });
            var style = opts.draw[opts.tool].shapeOptions;
            var group = L.featureGroup().addTo(map);
            window.drawnItems = group;  // streamlit-folium returns its shapes (all_drawings)
            if (opts.shape) {
                L.geoJson(opts.shape, {
                    style: function () { return style; },
                    pointToLayer: function (f, latlng) {
                        return L.circleMarker(latlng, Object.assign({radius: 7}, style));
                    }
                }).eachLayer(function (layer) { group.addLayer(layer); });
            }
            new L.Control.Draw({
                position: "topleft",
                draw: opts.draw,
                edit: {featureGroup: group, poly: {allowIntersection: false}}
            }).addTo(map);
            var out;
            var Box = L.Control.extend({
                options: {position: "bottomleft"},
                onAdd: function () {
                    out = L.DomUtil.create("output", "leaflet-bar lsz-draw-measure");
                    out.setAttribute("aria-live", "polite");
                    return out;
                }
            });
            new Box().addTo(map);
            function points(coords) {
                return coords.map(function (c) { return {lat: c[1], lng: c[0]}; });
            }
            function areaText(m2) { return labels.areaValue.replace("{value}", M.areaText(m2)); }
            function lengthText(m) {
                return labels.distanceValue.replace("{value}", M.distanceText(m));
            }
            // The measure of a GeoJSON geometry: areas minus holes, lengths summed.
            function geometryText(g) {
                var polys = g.type === "Polygon" ? [g.coordinates]
                    : g.type === "MultiPolygon" ? g.coordinates : null;
                if (polys) {
                    var m2 = 0;
                    polys.forEach(function (rings) {
                        rings.forEach(function (ring, i) {
                            m2 += (i ? -1 : 1) * M.areaM2(points(ring));
                        });
                    });
                    return areaText(m2);
                }
                var lines = g.type === "LineString" ? [g.coordinates]
                    : g.type === "MultiLineString" ? g.coordinates : null;
                if (lines) {
                    return lengthText(lines.reduce(function (sum, line) {
                        return sum + M.lengthM(points(line));
                    }, 0));
                }
                return "";
            }
            function show() {
                var texts = [];
                group.eachLayer(function (layer) {
                    texts.push(geometryText(layer.toGeoJSON().geometry));
                });
                out.textContent = texts.join(" ");
            }
            map.on("draw:created", function (e) {
                group.clearLayers();  // a feature has one shape: the new one replaces it
                group.addLayer(e.layer);
                show();
            });
            map.on("draw:drawvertex", function (e) {
                var pts = e.layers.getLayers().map(function (m) { return m.getLatLng(); });
                out.textContent = opts.tool === "polygon"
                    ? areaText(M.areaM2(pts)) : lengthText(M.lengthM(pts));
            });
            map.on("draw:drawstop draw:editvertex draw:editmove draw:edited draw:deleted "
                   + "draw:editstop draw:deletestop", show);
            show();
            map.lszDraw = {text: function () { return out.textContent; }, group: group};
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, shape: BaseGeometry | None, kind: str, lang: str) -> None:
        super().__init__()
        self._name = "DrawTools"
        draw = draw_options(kind)
        options = {
            "shape": None if shape is None else mapping(shape),
            "tool": DRAW_TOOLS[kind],
            "draw": draw,
            "texts": draw_texts(lang),
        }
        self.options_json = script_json(options)


def draw_map(
    shape: BaseGeometry | None,
    kind: str,
    *,
    lang: str,
    basemap: str,
    asset_base_url: str = DEFAULT_ASSET_BASE_URL,
) -> folium.Map:
    """Build the drawing map of one feature: its shape editable, the tools of its kind.

    Only the vendored Leaflet, leaflet-draw and geodesic library are loaded (from
    ``asset_base_url``), never a CDN. The map is fitted to ``shape``.

    Examples
    --------
    >>> from shapely import box
    >>> html = draw_map(box(106.70, 21.90, 106.71, 21.91), "polygon", lang="en",
    ...                 basemap="none").get_root().render()
    >>> "/app/static/vendor/leaflet-draw/leaflet.draw.js" in html, "cdnjs" in html
    (True, False)
    """
    fmap = base_map([], lang=lang, basemap=basemap, asset_base_url=asset_base_url)
    fmap.default_js = [*fmap.default_js, ("leaflet_draw_js", f"{asset_base_url}/{DRAW_SCRIPT}")]
    fmap.default_css = [
        *fmap.default_css,
        ("leaflet_draw_css", f"{asset_base_url}/{DRAW_CSS}"),
    ]
    add_geodesic_text(fmap, lang, asset_base_url)
    DrawTools(shape, kind, lang).add_to(fmap)
    if shape is not None and not shape.is_empty:
        west, south, east, north = shape.bounds
        fmap.fit_bounds([[south, west], [north, east]], max_zoom=17)
    return fmap


def drawn_geometry(value: Mapping[str, Any] | None) -> str | None:
    """Turn the drawing map's return value into the shape field's text (GeoJSON), if any.

    The map holds one shape; ``all_drawings`` lists what it holds after the person's
    last drawing, edit or deletion. Nothing drawn, or everything deleted: ``None``
    (the field is left as it is).

    Examples
    --------
    >>> drawn_geometry({"all_drawings": [{"type": "Feature", "properties": {},
    ...     "geometry": {"type": "Point", "coordinates": [106.7, 21.9]}}]})
    '{"type": "Point", "coordinates": [106.7, 21.9]}'
    >>> drawn_geometry({"all_drawings": []}) is None, drawn_geometry(None) is None
    (True, True)
    """
    drawings = (value or {}).get("all_drawings") or []
    geometry = (drawings[-1] or {}).get("geometry") if drawings else None
    return json.dumps(geometry, ensure_ascii=False) if geometry else None


__all__ = [
    "DRAW_CSS",
    "DRAW_SCRIPT",
    "DRAW_TEXTS",
    "DRAW_TOOLS",
    "DrawTools",
    "draw_map",
    "draw_options",
    "draw_texts",
    "drawn_geometry",
]

"""The offline basemap: land, sea, provinces, border, roads, railways and towns, with names.

Drawn in the browser from one bundled vector file, ``layers/basemap/offline.geojson`` (built
by ``scripts/build_basemap.py`` from the layer files, the ODV 2016 national outline and
Natural Earth; credits in its ``credits`` member, as ``sources.json`` ids), so the map looks
like a map with no network at all. Its shapes and labels are drawn in their own panes
(``geo.style.BASEMAP_PANES``) under every data layer and take no clicks; its labels join the
map's declutter, after the project labels. Colours, widths and label styles are in
:mod:`geo.style` (``BASEMAP_COLOURS``, ``BASEMAP_DRAW``, ``BASEMAP_LABELS``).

Security: every value reaches the template through :func:`geo.map_data.script_json`, and
label texts are set with ``textContent``.

Examples
--------
>>> data = load_basemap()
>>> sorted({s["properties"]["kind"] for s in data.shapes})
['border', 'china', 'province_line', 'railway', 'road', 'town', 'vietnam']
>>> "QL1A" in {label.texts["en"] for label in data.labels if label.role == "road"}
True
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import folium
from jinja2 import Template

from geo import style as st
from geo.errors import BasemapError
from geo.i18n import LANGUAGES
from geo.jsonfile import read_json
from geo.map_data import script_json
from geo.problems import Problem
from geo.sources import credits_for, load_sources

__all__ = [
    "BASEMAP_FILE",
    "BasemapData",
    "BasemapLabel",
    "VectorBasemap",
    "basemap_credits",
    "load_basemap",
    "parse_basemap",
]

#: The bundled basemap data (committed; never downloaded).
BASEMAP_FILE: Final = Path(__file__).resolve().parents[1] / "layers" / "basemap" / "offline.geojson"
#: The kinds of shape the file may hold (the ones :data:`geo.style.BASEMAP_DRAW` draws, towns).
SHAPE_KINDS: Final = frozenset(kind for kind, _, _ in st.BASEMAP_DRAW) | {"town"}


@dataclass(frozen=True)
class BasemapLabel:
    """One name on the basemap.

    Parameters
    ----------
    role : str
        A key of :data:`geo.style.BASEMAP_LABELS` (``town``, ``road``, ``country``…).
    lat, lng : float
        Where it is drawn (WGS84).
    texts : Mapping[str, str]
        The text in each language of :data:`geo.i18n.LANGUAGES`.
    """

    role: str
    lat: float
    lng: float
    texts: Mapping[str, str]


@dataclass(frozen=True)
class BasemapData:
    """The basemap file, checked: shapes to draw, labels, and the source ids to credit."""

    shapes: tuple[dict[str, Any], ...]
    labels: tuple[BasemapLabel, ...]
    credits: tuple[str, ...]


def parse_basemap(doc: Any, file: str) -> tuple[BasemapData | None, list[Problem]]:
    """Check a basemap document; return its data (None if broken) and every problem.

    Examples
    --------
    >>> label = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [106.7, 21.9]},
    ...          "properties": {"kind": "label", "role": "town", "text_vi": "A", "text_en": "A"}}
    >>> data, problems = parse_basemap({"features": [label], "credits": ["odv-2016"]}, "b.geojson")
    >>> data is None
    True
    >>> print(*problems)
    b.geojson: feature #0, field 'text_zh': expected a non-empty string; found None
    """
    problems: list[Problem] = []

    def add(index: int | None, field: str, expected: str, found: Any) -> None:
        problems.append(Problem(file, None, field, expected, repr(found), feature_index=index))

    if not isinstance(doc, dict) or not isinstance(doc.get("features"), list):
        add(None, "features", "a FeatureCollection with a features list", type(doc).__name__)
        return None, problems
    credits = doc.get("credits")
    if not (isinstance(credits, list) and credits and all(isinstance(c, str) for c in credits)):
        add(None, "credits", "a non-empty list of sources.json ids", credits)
    shapes, labels = [], []
    for i, feature in enumerate(doc["features"]):
        props = feature.get("properties") if isinstance(feature, dict) else None
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(props, dict) or not isinstance(geometry, dict):
            add(i, "properties", "a feature with properties and a geometry", feature)
            continue
        kind = props.get("kind")
        if kind == "label":
            role = props.get("role")
            if role not in st.BASEMAP_LABELS:
                add(i, "role", f"one of {', '.join(st.BASEMAP_LABELS)}", role)
            texts = {lang: props.get(f"text_{lang}") for lang in LANGUAGES}
            for lang, text in texts.items():
                if not (isinstance(text, str) and text.strip()):
                    add(i, f"text_{lang}", "a non-empty string", text)
            coords = geometry.get("coordinates")
            if geometry.get("type") != "Point":
                add(i, "geometry", "a Point", geometry.get("type"))
            else:
                labels.append(BasemapLabel(role, coords[1], coords[0], texts))
        elif kind in SHAPE_KINDS:
            keep = {k: props[k] for k in ("kind", "road_class") if k in props}
            shapes.append({"type": "Feature", "properties": keep, "geometry": geometry})
        else:
            add(i, "kind", f"'label' or one of {', '.join(sorted(SHAPE_KINDS))}", kind)
    if problems:
        return None, problems
    return BasemapData(tuple(shapes), tuple(labels), tuple(credits)), problems


@functools.cache
def load_basemap(path: Path = BASEMAP_FILE) -> BasemapData:
    """Load and check the basemap file (once per process).

    Raises
    ------
    BasemapError
        When the file is missing, not JSON, or a feature breaks the contract (naming the
        feature's index and field).
    """
    data, problems = parse_basemap(read_json(Path(path), BasemapError), Path(path).name)
    if data is None:
        raise BasemapError(Path(path), problems)
    return data


def basemap_credits(data: BasemapData, lang: str) -> tuple[str, ...]:
    r"""Return the credit lines of the basemap's data sets in ``lang`` (from ``sources.json``).

    Examples
    --------
    >>> credits = basemap_credits(load_basemap(), "en")
    >>> print(*credits[:2], sep="\n")
    Open Development Vietnam / Cục Đo đạc và Bản đồ (CC BY-SA 4.0)
    Natural Earth (public domain)
    >>> "© OpenStreetMap contributors (ODbL 1.0)" in credits
    True
    """
    return credits_for(data.credits, _sources(), lang)


@functools.cache
def _sources() -> Mapping[str, Any]:
    return load_sources(BASEMAP_FILE.parents[1] / "sources.json")


class VectorBasemap(folium.MacroElement):
    """The offline basemap on a :class:`folium.Map`, its labels in ``lang``.

    Add it after :class:`geo.map_elements.MapSetup` (which makes the panes and the
    declutter) and before the data layers.

    Parameters
    ----------
    data : BasemapData
        From :func:`load_basemap`.
    lang : str
        Language of the labels.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
            /* The sea: wherever neither land is drawn. */
            .leaflet-container { background: {{ this.sea }}; }
            .leaflet-lsz-basemap-pane, .leaflet-lsz-basemap-labels-pane,
            .leaflet-lsz-basemap-labels-pane * { pointer-events: none !important; }
            {% for role, css in this.label_css %}
            .lsz-label.lsz-base-{{ role }} { {{ css }} }
            {% endfor %}
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function (map) {
            var shapes = {{ this.shapes_json }};
            var draw = {{ this.draw_json }};
            var labels = {{ this.labels_json }};
            var roles = {{ this.roles_json }};
            var town = {{ this.town_json }};
            var pane = {{ this.pane_json }}, labelPane = {{ this.label_pane_json }};
            draw.forEach(function (d) {
                L.geoJson(shapes, {
                    pane: pane, interactive: false,
                    filter: function (f) {
                        return f.properties.kind === d[0]
                            && (!d[1] || f.properties.road_class === d[1]);
                    },
                    style: function () {
                        return Object.assign({pane: pane, interactive: false,
                                              className: "lsz-base-shape-" + d[0]}, d[2]);
                    }
                }).addTo(map);
            });
            L.geoJson(shapes, {
                pane: pane, interactive: false,
                filter: function (f) { return f.properties.kind === "town"; },
                pointToLayer: function (f, latlng) {
                    return L.circleMarker(latlng, {pane: pane, interactive: false,
                        className: "lsz-base-town-dot",
                        radius: town.radius, color: "#ffffff", weight: 1.5,
                        fillColor: town.colour, fillOpacity: 1});
                }
            }).addTo(map);
            var groups = {};
            labels.forEach(function (label) {
                var el = document.createElement("div");
                el.className = "lsz-label lsz-base-label lsz-base-" + label.role;
                el.textContent = label.text;
                el.setAttribute("data-rank", String(roles[label.role].rank));
                el.setAttribute("data-dy", String(label.role === "town" ? town.dy : 0));
                var group = groups[label.role] = groups[label.role] || L.layerGroup();
                group.addLayer(L.marker([label.lat, label.lng], {
                    icon: L.divIcon({html: el, className: "lsz-label-icon", iconSize: null}),
                    pane: labelPane, interactive: false, keyboard: false
                }));
            });
            var toggle = function () {
                var zoom = map.getZoom();
                Object.keys(groups).forEach(function (role) {
                    var wanted = zoom >= roles[role].minZoom;
                    if (wanted !== map.hasLayer(groups[role])) {
                        if (wanted) { groups[role].addTo(map); } else { groups[role].remove(); }
                    }
                });
                if (map.lszDeclutter) { map.lszDeclutter(); }
            };
            map.on("zoomend", toggle);
            toggle();
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, data: BasemapData, lang: str) -> None:
        super().__init__()
        self._name = "VectorBasemap"
        self.shapes_json = script_json({"type": "FeatureCollection", "features": data.shapes})
        self.draw_json = script_json([list(d) for d in st.BASEMAP_DRAW])
        self.labels = [
            {"role": lb.role, "lat": lb.lat, "lng": lb.lng, "text": lb.texts[lang]}
            for lb in data.labels
        ]
        self.labels_json = script_json(self.labels)
        self.roles_json = script_json(
            {r: {"minZoom": s.min_zoom, "rank": s.rank} for r, s in st.BASEMAP_LABELS.items()}
        )
        self.town_json = script_json(
            {
                "radius": st.BASEMAP_TOWN_RADIUS_PX,
                "colour": st.BASEMAP_COLOURS["town"],
                "dy": st.BASEMAP_TOWN_LABEL_DY_PX,
            }
        )
        self.pane_json = script_json(st.BASEMAP_PANES[0])
        self.label_pane_json = script_json(st.BASEMAP_PANES[1])
        self.sea = st.BASEMAP_COLOURS["sea"]
        self.label_css = [(role, s.css) for role, s in st.BASEMAP_LABELS.items()]

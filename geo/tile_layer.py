"""The folium element that draws a tiled layer (:mod:`geo.tiles`) in the browser.

The browser fetches the tiles in view from the layer's PMTiles archive (HTTP byte
ranges) and draws them on canvas with the vendored ``protomaps-leaflet``
(``static/vendor/protomaps-leaflet``; it bundles the ``pmtiles`` reader). No feature
is in the page: what Python sends is the archive's URL, the style table and a filter,
a few kilobytes whatever the layer's size, so a Streamlit re-run after a filter, date
or selection change sends the same small script (bench/RESULTS.md).

* :func:`tile_style_table`: colours and line widths by status, from the one style
  table (:mod:`geo.style` through :func:`geo.leaflet_style.feature_style`); features
  that carry an ``availability`` (lots) are outlined and faded by it as the inline lots
  are (:func:`geo.style.lot_style`), and a lot layer is filled by land-use family; the
  labels of the hover tooltip (code, area, land use, availability), set with
  ``textContent``;
* :class:`TileFilter`: which features are drawn (statuses, availability, the map's
  date, through each feature's status timeline) and which one is selected;
* :class:`TiledLayer`: the Leaflet layer. The same layer object is kept in the map's
  frame across re-runs (by archive URL), so a new filter re-paints the tiles already
  fetched instead of fetching them again.

Security: every value reaches the template through :func:`geo.map_data.script_json`;
the tiles carry no text that is shown (ids and codes only).

Pure: folium and Jinja, no Streamlit.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

import folium
from jinja2 import Template

from geo import style as st
from geo.i18n import t
from geo.leaflet_style import feature_style, halo_band_styles
from geo.limits import TILE_MAX_ZOOM
from geo.lot_map import land_use_label
from geo.map_data import script_json
from geo.registry import LayerSpec
from geo.tiles import TileArchive
from geo.vocabulary import AVAILABILITIES, LAND_USES, STATUSES

__all__ = ["TILE_SCRIPT", "TileFilter", "TiledLayer", "add_tile_script", "tile_style_table"]

#: The vendored plugin, relative to the asset base URL (``/app/static/vendor``).
TILE_SCRIPT: Final = "protomaps-leaflet/protomaps-leaflet.js"


def tile_style_table(spec: LayerSpec, lang: str = "en") -> dict[str, Any]:
    """Return the browser's style table of a tiled layer: paint, halo and tooltip labels.

    ``status``: fill and outline by status (every layer). ``availability``: outline colour,
    width and fill opacity of a feature that has one, as :func:`geo.style.lot_style` draws
    an inline lot. ``fills``: a lot layer's fill by land-use code (its colour family, the
    inline lots' fill; :data:`geo.style.LOT_FALLBACK_FILL` for another code), empty for
    other layers (filled by status). ``tip``: the tooltip's labels in ``lang``.

    Examples
    --------
    >>> from geo.registry import load_registry
    >>> table = tile_style_table(load_registry().get("zones"))
    >>> table["status"]["planned"]["fill"] == st.STATUS_COLOURS["planned"]
    True
    >>> sorted(table["status"]) == sorted(STATUSES)
    True
    >>> [band["colour"] for band in table["halo"]] == [st.HALO_OUTER_COLOUR, st.HALO_INNER_COLOUR]
    True
    >>> table["availability"]["reserved"]["stroke"] == st.AVAILABILITY_COLOURS["reserved"]
    True
    >>> table["fills"], tile_style_table(load_registry().get("lots"))["fills"]["TMD"][:1]
    ({}, '#')
    >>> tile_style_table(load_registry().get("lots"), "en")["tip"]["availability"]["leased"]
    'Leased'
    >>> provinces = tile_style_table(load_registry().get("provinces"))["status"]
    >>> len({paint["stroke"] for paint in provinces.values()})  # one colour, not by status
    1
    """
    context = spec.schema == "context"
    own_colour = st.layer_style(spec.style).colour or st.NEUTRAL_COLOUR
    by_status = {}
    for status in STATUSES:
        # A context layer (an imported parcel plan) has no status: its own colour, as inline.
        colour = own_colour if context else st.status_colour(status)
        leaflet = feature_style(spec, colour, None)
        by_status[status] = {
            "fill": leaflet["fillColor"],
            "fillOpacity": leaflet["fillOpacity"],
            "stroke": leaflet["color"],
            "strokeOpacity": leaflet.get("opacity", 1.0),
            "width": leaflet["weight"],
        }
    by_availability = {}
    for availability in AVAILABILITIES:
        lot = st.lot_style(availability, None, "surveyed")
        by_availability[availability] = {
            "fillOpacity": lot["fillOpacity"],
            "stroke": lot["color"],
            "strokeOpacity": lot["opacity"],
            "width": lot["weight"],
        }
    lots = spec.schema == "lot"
    fills = {code: use.family.hex for code, use in LAND_USES.items()} if lots else {}
    own = feature_style(spec, st.status_colour(None), None)
    halo = [{"colour": b["color"], "width": b["weight"]} for b in halo_band_styles(own)]
    tip = {
        "lang": lang,
        "ha": "ha",
        "illustrative": t("investor.lot.illustrative_short", lang),
        "use": {code: land_use_label(code, lang) for code in LAND_USES},
        "availability": {a: t(f"investor.lot.availability.{a}", lang) for a in AVAILABILITIES},
    }
    return {
        "status": by_status,
        "availability": by_availability,
        "fills": fills,
        "fallbackFill": st.LOT_FALLBACK_FILL,
        "halo": halo,
        "tip": tip,
    }


@dataclass(frozen=True)
class TileFilter:
    """What the browser draws of a tiled layer: its whole state in a few bytes.

    Parameters
    ----------
    as_of : datetime.date
        The map's date: a feature's status is the one its timeline gives on that date
        (not drawn before its first dated status), as :func:`geo.feature_state.state_on`.
    statuses : collection of str, optional
        Draw only features with one of these statuses on ``as_of``; ``None``: all.
    availability : collection of str, optional
        Draw only features with one of these ``availability`` values; ``None``: all.
    selected : str, optional
        Id of the selected feature: drawn with the selection halo.

    Examples
    --------
    >>> TileFilter(date(2026, 6, 30), statuses=("planned", "preparing")).as_json()
    {'asOf': 20260630, 'statuses': ['planned', 'preparing'], 'availability': None, 'selected': None}
    """

    as_of: date
    statuses: Collection[str] | None = None
    availability: Collection[str] | None = None
    selected: str | None = None

    def as_json(self) -> dict[str, Any]:
        """Return the filter as the browser reads it (dates as ``YYYYMMDD`` integers)."""
        return {
            "asOf": int(f"{self.as_of:%Y%m%d}"),
            "statuses": None if self.statuses is None else sorted(self.statuses),
            "availability": None if self.availability is None else sorted(self.availability),
            "selected": self.selected,
        }


def add_tile_script(fmap: folium.Map, asset_base_url: str) -> None:
    """Load the vendored tile plugin in ``fmap``'s page (after Leaflet), once.

    Examples
    --------
    >>> fmap = folium.Map(tiles=None)
    >>> add_tile_script(fmap, "/app/static/vendor")
    >>> add_tile_script(fmap, "/app/static/vendor")
    >>> [url for name, url in fmap.default_js if name == "protomaps_leaflet"]
    ['/app/static/vendor/protomaps-leaflet/protomaps-leaflet.js']
    """
    entry = ("protomaps_leaflet", f"{asset_base_url}/{TILE_SCRIPT}")
    if entry not in fmap.default_js:
        fmap.default_js = [*fmap.default_js, entry]


class TiledLayer(folium.map.Layer):
    """A layer drawn from a PMTiles archive, styled and filtered in the browser.

    Parameters
    ----------
    archive : TileArchive
        The layer's archive (:func:`geo.tiles.ensure_archive`): its URL and tile layer name.
    style_table : dict
        :func:`tile_style_table` of the layer.
    tile_filter : TileFilter
        What to draw and which feature is selected.
    name : str
        Layer name (Leaflet's layer control).
    pane : str
        Leaflet pane (``geo.style.PANE_Z_INDEX``).

    Examples
    --------
    >>> from pathlib import Path
    >>> archive = TileArchive(Path("x"), "/app/static/tiles/lots-0.pmtiles", "lots",
    ...                       (106.7, 21.9, 106.8, 22.0), 3)
    >>> layer = TiledLayer(archive, {"status": {}, "halo": []},
    ...                    TileFilter(date(2026, 6, 30)), name="Lots", pane="lsz-polygon-project")
    >>> fmap = folium.Map(tiles=None)
    >>> _ = layer.add_to(fmap)
    >>> '"/app/static/tiles/lots-0.pmtiles"' in fmap.get_root().render()
    True
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var spec = {{ this.spec_json }};
            var registry = window.lszTiledLayers || (window.lszTiledLayers = {});
            var entry = registry[spec.url];
            if (!entry) {
                entry = {filter: spec.filter, table: spec.table};
                var statusOn = function (p) {
                    if (!p.t) { return p.status || "unknown"; }
                    var found = null;
                    String(p.t).split("|").forEach(function (pair) {
                        var at = pair.indexOf(":");
                        if (Number(pair.slice(0, at)) <= entry.filter.asOf) {
                            found = pair.slice(at + 1);
                        }
                    });
                    return found;
                };
                var isDrawn = function (p, s) {
                    var flt = entry.filter;
                    if (s === null) { return false; }
                    if (flt.statuses && flt.statuses.indexOf(s) < 0) { return false; }
                    if (flt.availability && flt.availability.indexOf(p.availability) < 0) {
                        return false;
                    }
                    return true;
                };
                var styleOf = function (p, s) {
                    var table = entry.table;
                    var own = table.status[s] || table.status.unknown;
                    var lot = p.availability && table.availability[p.availability];
                    if (!lot) { return own; }
                    var lotLayer = Object.keys(table.fills).length > 0;
                    return {
                        fill: lotLayer ? (table.fills[p.land_use] || table.fallbackFill)
                            : own.fill,
                        fillOpacity: lot.fillOpacity, stroke: lot.stroke,
                        strokeOpacity: lot.strokeOpacity, width: lot.width
                    };
                };
                // What a feature looks like under the current filter and table, worked out
                // once per feature and filter: the paint rules ask for it several times.
                var looks = function (f) {
                    var held = f.lszLooks;
                    if (held && held.filter === entry.filter && held.table === entry.table) {
                        return held;
                    }
                    var p = f.props, s = statusOn(p), shown = isDrawn(p, s);
                    held = {filter: entry.filter, table: entry.table, drawn: shown,
                        style: shown ? styleOf(p, s) : null};
                    f.lszLooks = held;
                    return held;
                };
                var drawn = function (z, f) { return looks(f).drawn; };
                var paint = function (f) {
                    return looks(f).style || entry.table.status.unknown;
                };
                // The hover tooltip: the drawn feature under the pointer, as plain text.
                var tipText = function (p) {
                    var tip = entry.table.tip, parts = [String(p.code || p.id || "")];
                    if (typeof p.area_ha === "number") {
                        parts.push(p.area_ha.toLocaleString(tip.lang,
                            {maximumFractionDigits: 2}) + " " + tip.ha);
                    }
                    if (p.land_use) { parts.push(tip.use[p.land_use] || String(p.land_use)); }
                    if (p.availability) {
                        parts.push(tip.availability[p.availability] || String(p.availability));
                    }
                    if (p.geometry_accuracy === "illustrative") { parts.push(tip.illustrative); }
                    return parts.filter(function (s) { return s !== ""; }).join(" \u00b7 ");
                };
                var tipBody = document.createElement("span");
                tipBody.className = "lsz-tiled-tip-text";
                var tooltip = L.tooltip({direction: "top", offset: [0, -8],
                    className: "lsz-tiled-tip"}).setContent(tipBody);
                var hovered = function (e) {
                    var map = entry.layer._map;
                    if (!map) { return; }
                    var found = null;
                    entry.layer.queryTileFeaturesDebug(e.latlng.lng, e.latlng.lat, 4)
                        .forEach(function (picked) {
                            picked.forEach(function (hit) {
                                if (hit.layerName === spec.layer
                                    && drawn(map.getZoom(), {props: hit.feature.props})) {
                                    found = hit.feature.props;
                                }
                            });
                        });
                    if (found === null) { map.closeTooltip(tooltip); return; }
                    tipBody.textContent = tipText(found);
                    tooltip.setLatLng(e.latlng);
                    if (!map.hasLayer(tooltip)) { map.openTooltip(tooltip); }
                };
                var selected = function (z, f) {
                    return entry.filter.selected !== null && f.props.id === entry.filter.selected
                        && drawn(z, f);
                };
                var rules = [{
                    dataLayer: spec.layer,
                    filter: drawn,
                    symbolizer: new protomapsL.PolygonSymbolizer({
                        fill: function (z, f) { return paint(f).fill; },
                        opacity: function (z, f) { return paint(f).fillOpacity; },
                        width: 0
                    })
                }, {
                    // The outline on its own: its opacity is not the fill's (a leased lot's
                    // faint fill keeps a clear outline, as Leaflet draws the inline lots).
                    dataLayer: spec.layer,
                    filter: drawn,
                    symbolizer: new protomapsL.LineSymbolizer({
                        color: function (z, f) { return paint(f).stroke; },
                        opacity: function (z, f) { return paint(f).strokeOpacity; },
                        width: function (z, f) { return paint(f).width; }
                    })
                }];
                spec.table.halo.forEach(function (band) {
                    rules.push({dataLayer: spec.layer, filter: selected,
                        symbolizer: new protomapsL.LineSymbolizer({
                            color: band.colour, width: band.width})});
                });
                rules.push({dataLayer: spec.layer, filter: selected,
                    symbolizer: new protomapsL.LineSymbolizer({
                        color: function (z, f) { return paint(f).stroke; },
                        width: function (z, f) { return paint(f).width; }})});
                entry.layer = protomapsL.leafletLayer({
                    url: spec.url, pane: spec.pane, attribution: "", maxDataZoom: spec.maxZoom,
                    paintRules: rules, labelRules: [],
                    className: "lsz-tiled lsz-tiled-" + spec.layer
                });
                entry.layer.lszFilter = function () { return entry.filter; };
                var left = function () {
                    if (entry.layer._map) { entry.layer._map.closeTooltip(tooltip); }
                };
                entry.layer.on("add", function () {
                    this._map.on("mousemove", hovered).on("mouseout", left);
                });
                entry.layer.on("remove", function (e) {
                    left();
                    e.target._map && e.target._map.off("mousemove", hovered).off("mouseout", left);
                });
                registry[spec.url] = entry;
            } else {
                entry.filter = spec.filter;
                entry.table = spec.table;
                if (entry.layer._map) { entry.layer.rerenderTiles(); }
            }
            return entry.layer;
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        archive: TileArchive,
        style_table: dict[str, Any],
        tile_filter: TileFilter,
        *,
        name: str,
        pane: str,
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "TiledLayer"
        self.spec = {
            "url": archive.url,
            "layer": archive.layer_name,
            "pane": pane,
            "maxZoom": TILE_MAX_ZOOM,
            "table": style_table,
            "filter": tile_filter.as_json(),
        }
        self.spec_json = script_json(self.spec)

"""Bench-only rewrites of parts of ``geo.mapview``, to size possible gains.

Not used by the app.

:func:`fast_project_collection` keeps every per-feature decision of
``geo.mapview._project_collection`` (it calls the same ``geo`` functions for status,
tooltip, label, style and line splitting) and changes only how rows, geometries and
styles are handled:

* rows come from one ``DataFrame.to_dict("index")`` (``geo.map_data.iter_features``
  does the same with ``to_dict("records")`` since commit 5cf2c80; before, it used
  ``iterrows()`` + ``Series.drop(...).to_dict()`` per row);
* polygon and point coordinates are rounded for the whole layer at once
  (``numpy.round`` + ``shapely.set_coordinates``) and written by GEOS
  (``shapely.to_geojson``) instead of per geometry;
* label points come from one vectorised ``shapely.point_on_surface`` (the same GEOS
  operation as ``representative_point``);
* the style index is looked up by ``(status colour, dash)`` before building the
  Leaflet style dict and its ``repr(sorted(...))`` key.

``bench.profile_builder`` checks that it returns the same features, labels and
styles as the original, and times both.

:data:`LAZY_DATA_LAYER_TEMPLATE` is ``DataLayer``'s script with tooltips and labels
made lazily (see there); ``bench.variants.build_ours_lazy`` measures it in Chromium.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import date
from typing import Any

import numpy as np
import shapely
from jinja2 import Template

from geo import style as st
from geo.feature_text import label_text, tooltip_text
from geo.leaflet_style import feature_style
from geo.linework import split_by_fraction
from geo.map_data import LayerData, MapLayer
from geo.timeline import open_fraction_on, status_on


def rounded_geometries(geoms: Any, decimals: int = st.COORDINATE_DECIMALS) -> list[dict]:
    """Return GeoJSON geometry dicts of ``geoms`` with coordinates rounded to ``decimals``.

    ``np.round`` multiplies, rounds half to even and divides: a coordinate can land
    one unit of the last decimal away from Python's ``round`` (about 1e-7 degrees).
    """
    geoms = np.asarray(geoms, dtype=object)
    coords = shapely.get_coordinates(geoms)
    rounded = shapely.set_coordinates(
        shapely.transform(geoms, lambda c: c), np.round(coords, decimals)
    )
    return [json.loads(text) for text in shapely.to_geojson(rounded)]


def fast_project_collection(
    layer: MapLayer, *, lang: str, as_of: date, feature_ids: Collection[str] | None
) -> LayerData:
    """Same output as ``geo.mapview._project_collection``, with whole-layer steps."""
    spec, gdf = layer.spec, layer.data
    style = st.layer_style(spec.style)
    if feature_ids is not None:
        gdf = gdf[gdf.index.isin(list(feature_ids))]
    records = gdf.drop(columns="geometry").to_dict("index")
    geoms = gdf.geometry.values
    is_line = spec.geometry_kind == "line"
    geometries = None if is_line else rounded_geometries(geoms)
    points = shapely.point_on_surface(np.asarray(geoms, dtype=object)) if style.label else None
    out = LayerData()
    style_ids: dict[tuple[str, str | None], int] = {}

    def style_id(colour: str, dash: str | None) -> int:
        key = (colour, dash)
        if key not in style_ids:
            style_ids[key] = out.style_id(feature_style(spec, colour, dash))
        return style_ids[key]

    for i, (fid, values) in enumerate(records.items()):
        props = {**values, "id": fid}
        status = status_on(props, as_of)
        if status is None:
            continue
        colour = st.status_colour(status)
        tip = tooltip_text(props, "project", lang, as_of)
        if is_line:
            opened, rest = split_by_fraction(geoms[i], open_fraction_on(props, as_of))
            if opened is not None:
                out.add(opened, {"id": fid, "tip": tip}, feature_style(spec, colour, None))
            if rest is not None:
                out.add(
                    rest, {"id": fid, "tip": tip}, feature_style(spec, colour, st.NOT_OPEN_DASH)
                )
        else:
            k = style_id(colour, st.ACCURACY_DASH[str(props.get("geometry_accuracy"))])
            out.features.append(
                {
                    "type": "Feature",
                    "geometry": geometries[i],
                    "properties": {"id": fid, "tip": tip, "k": k},
                }
            )
        if points is not None:
            point = points[i]
            out.labels.append(
                {"lat": point.y, "lng": point.x, "text": label_text(props, lang, as_of)}
            )
    return out


#: Bench-only variant of ``DataLayer``'s script: the same data, styles and text safety,
#: but (1) each tooltip's element is made on first hover (a function given to
#: ``bindTooltip``) instead of one ``div`` per feature at load, and (2) the label
#: markers are made the first time the map reaches ``label_min_zoom``, and added to
#: or removed from the group by zoom, instead of all made at load and hidden by CSS.
LAZY_DATA_LAYER_TEMPLATE = Template(
    """
    {% macro script(this, kwargs) %}
    var {{ this.get_name() }} = (function () {
        var styles = {{ this.styles|tojson }};
        var group = L.featureGroup();
        var data = L.geoJson({{ this.data|tojson }}, {
            style: function (f) {
                return Object.assign({}, styles[f.properties.k],
                                     {className: "lsz-f lsz-f-" + f.properties.id});
            },
            pointToLayer: function (f, latlng) {
                return L.circleMarker(latlng, Object.assign({}, styles[f.properties.k],
                                      {className: "lsz-f lsz-f-" + f.properties.id}));
            },
            onEachFeature: function (f, layer) {
                layer.bindTooltip(function () {
                    var tip = document.createElement("div");
                    tip.className = "lsz-tip";
                    tip.textContent = f.properties.tip;
                    return tip;
                }, {sticky: true});
            }
        });
        group.addLayer(data);
        var labels = {{ this.labels|tojson }}, labelLayer = null;
        var makeLabels = function () {
            labelLayer = L.layerGroup();
            labels.forEach(function (label) {
                var el = document.createElement("div");
                el.className = "lsz-label";
                el.textContent = label.text;
                el.style.cssText = "white-space:nowrap;font:600 12px/1.25 sans-serif;"
                    + "color:#212529;text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff;"
                    + "transform:translate(-50%,-50%);display:inline-block;";
                labelLayer.addLayer(L.marker([label.lat, label.lng], {
                    icon: L.divIcon({html: el, className: "lsz-label-icon", iconSize: null}),
                    interactive: false, keyboard: false
                }));
            });
        };
        group.on("add", function () {
            var map = group._map;
            var toggle = function () {
                var show = labels.length > 0 && map.getZoom() >= {{ this.label_min_zoom }};
                if (show && !labelLayer) { makeLabels(); }
                if (labelLayer && show) { group.addLayer(labelLayer); }
                if (labelLayer && !show) { group.removeLayer(labelLayer); }
            };
            map.on("zoomend", toggle);
            toggle();
        });
        return group;
    })();
    {% endmacro %}
    """
)

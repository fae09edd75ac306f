"""What the map sends to the browser, and how it is serialised safely.

* :class:`MapLayer`: a registry entry with its loaded features and credits, the
  input of every map builder;
* :func:`iter_features`: the rows of a layer, in one fast pass;
* :class:`LayerData`: the features (coordinates rounded to
  ``geo.style.COORDINATE_DECIMALS``), style table and labels of one layer, as plain
  lists and dicts;
* :func:`script_json`: the only way data reaches a ``<script>`` of the map. Jinja
  openers and HTML specials are escaped, so text from the data is never evaluated
  by branca's second template pass nor read as markup; the browser side sets every
  text with ``textContent`` (see :mod:`geo.map_elements`).

No folium here: only geometry, data frames and JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from geo import style as st
from geo.registry import LayerSpec


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


__all__ = ["LayerData", "MapLayer", "iter_features", "script_json"]

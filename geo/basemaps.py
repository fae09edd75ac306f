"""The basemaps a person can choose, by stable key (no folium: parsers import this).

Tiles come from :mod:`xyzservices` providers, never hand-typed URLs; ``"none"``
draws no tiles at all and works with no network.

Examples
--------
>>> list(BASEMAPS)
['osm', 'light', 'none']
>>> BASEMAPS["none"] is None
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import xyzservices.providers as xyz

#: Basemaps offered to the user. ``None`` = no tiles: works with no network at all.
BASEMAPS: Final[Mapping[str, Any]] = {
    "osm": xyz.OpenStreetMap.Mapnik,
    "light": xyz.CartoDB.Positron,
    "none": None,
}

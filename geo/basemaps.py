"""The basemaps a person can choose, by stable key (no folium: parsers import this).

``"offline"`` (the default) is drawn from bundled vector data (:mod:`geo.vector_basemap`)
and needs no network; ``"none"`` draws nothing under the data. The online basemaps are
tiles from :mod:`xyzservices` providers (never hand-typed URLs), credited with their
attribution. They are never the default, and they are offered only where a network is
known to exist: when the environment sets ``LSZ_ONLINE_BASEMAPS=1``.

Examples
--------
>>> list(BASEMAPS)
['offline', 'osm', 'light', 'none']
>>> DEFAULT_BASEMAP
'offline'
>>> offered_basemaps({})
('offline', 'none')
>>> offered_basemaps({"LSZ_ONLINE_BASEMAPS": "1"})
('offline', 'osm', 'light', 'none')
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Final

import xyzservices.providers as xyz

#: Basemaps by key: an xyzservices provider (online tiles), or ``None`` (drawn locally, or
#: nothing): ``"offline"`` and ``"none"`` work with no network at all.
BASEMAPS: Final[Mapping[str, Any]] = {
    "offline": None,
    "osm": xyz.OpenStreetMap.Mapnik,
    "light": xyz.CartoDB.Positron,
    "none": None,
}
#: The basemap of a new view and of every link that names none.
DEFAULT_BASEMAP: Final = "offline"
#: The basemap drawn from the bundled vector data.
OFFLINE_BASEMAP: Final = "offline"
#: Set to ``1`` where the app's users have internet: the tile basemaps are then offered too.
ONLINE_ENV: Final = "LSZ_ONLINE_BASEMAPS"


def online_basemaps_enabled(environ: Mapping[str, str] | None = None) -> bool:
    """Whether a network is known to exist (``LSZ_ONLINE_BASEMAPS=1``; default: no).

    Examples
    --------
    >>> online_basemaps_enabled({"LSZ_ONLINE_BASEMAPS": "1"}), online_basemaps_enabled({})
    (True, False)
    """
    env = os.environ if environ is None else environ
    return env.get(ONLINE_ENV, "").strip() == "1"


def offered_basemaps(environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """Return the basemap keys offered to the user, in :data:`BASEMAPS` order.

    The online ones only when :func:`online_basemaps_enabled`.
    """
    online = online_basemaps_enabled(environ)
    return tuple(k for k, provider in BASEMAPS.items() if provider is None or online)


__all__ = [
    "BASEMAPS",
    "DEFAULT_BASEMAP",
    "OFFLINE_BASEMAP",
    "ONLINE_ENV",
    "offered_basemaps",
    "online_basemaps_enabled",
]

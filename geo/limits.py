"""Limits in one place: logins, passwords, sessions; which layers are drawn as vector tiles.

Examples
--------
>>> LOGIN_FAILURES_ALLOWED, LOGIN_FAILURE_WINDOW.total_seconds() / 60
(5, 15.0)
"""

from __future__ import annotations

from datetime import timedelta
from typing import Final

__all__ = [
    "ACCOUNT_NAME_MAX_CHARS",
    "AGE_OLD_AFTER_MONTHS",
    "AGE_RECENT_MONTHS",
    "LOGIN_FAILURES_ALLOWED",
    "LOGIN_FAILURE_WINDOW",
    "PASSWORD_MIN_CHARS",
    "SESSION_LIFETIME",
    "TILED_LAYER_IDS",
    "TILED_LAYER_MIN_FEATURES",
    "TILE_MAX_BYTES",
    "TILE_MAX_ZOOM",
    "TILE_MIN_ZOOM",
]

#: Failed logins of one account name allowed within :data:`LOGIN_FAILURE_WINDOW`; after that
#: every attempt is refused (and logged) until the oldest failure leaves the window.
LOGIN_FAILURES_ALLOWED: Final = 5
LOGIN_FAILURE_WINDOW: Final = timedelta(minutes=15)
#: A password shorter than this is refused when an account is created.
PASSWORD_MIN_CHARS: Final = 12
ACCOUNT_NAME_MAX_CHARS: Final = 64
#: How long a login lasts in the app before the planner logs in again.
SESSION_LIFETIME: Final = timedelta(hours=8)

# ---------------------------------------------------------------------------
# Freshness (geo.freshness): the map's age classes of a project's latest figure

#: A latest figure younger than this many calendar months is *recent*; one older than
#: :data:`AGE_OLD_AFTER_MONTHS` is *old*; between the two (both included) it is *ageing*.
AGE_RECENT_MONTHS: Final = 3
AGE_OLD_AFTER_MONTHS: Final = 12

# ---------------------------------------------------------------------------
# Vector tiles (geo.tiles): which layers leave the page

#: A polygon project layer with more features than this reaches the browser as vector tiles
#: (a PMTiles archive fetched by byte ranges) instead of GeoJSON inside the page: past ~10,000
#: features inline GeoJSON makes a filter re-run cost seconds and megabytes (bench/README.md).
TILED_LAYER_MIN_FEATURES: Final = 2000
#: Layers always drawn as tiles whatever their size (parcel plans: lots, imported plans).
TILED_LAYER_IDS: Final = frozenset({"lots"})
#: Zoom range of the tiles; Leaflet over-zooms the last level (lots of 0.5 ha are ~10 px at 15).
TILE_MIN_ZOOM: Final = 8
TILE_MAX_ZOOM: Final = 15
#: Largest tile (compressed bytes); denser tiles are thinned at that zoom (see geo.tiles).
TILE_MAX_BYTES: Final = 100_000

"""Web-map framing maths: the centre and zoom that fit a box, and the box a view shows.

Leaflet's zoom levels are Web Mercator: at zoom ``z`` the world is ``256 · 2**z`` pixels wide.
A tour stop frames a feature's box (the map needs a centre and zoom for that) and a print
draws the box a centre and zoom show on a screen; both go through these two functions so a
stop and its print frame the same ground.

Examples
--------
>>> centre, zoom = fit_view([[21.9, 106.7], [22.0, 106.8]], width_px=1000, height_px=600)
>>> [round(c, 3) for c in centre], zoom
([21.95, 106.75], 12.75)
>>> box = view_box(centre, zoom, width_px=1000, height_px=600)
>>> [[round(v, 3) for v in corner] for corner in box]
[[21.893, 106.648], [22.007, 106.852]]
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["fit_view", "view_box"]

_TILE_PX = 256.0


def _merc_y(lat: float) -> float:
    """Return the Web Mercator y of a latitude, in units of the world's width (0..1 span)."""
    phi = math.radians(lat)
    return math.log(math.tan(math.pi / 4 + phi / 2)) / (2 * math.pi)


def _lat_of(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y * 2 * math.pi)) - math.pi / 2)


def fit_view(
    bounds: Sequence[Sequence[float]],
    *,
    width_px: float,
    height_px: float,
    padding_px: float = 32,
    max_zoom: float = 14,
    min_zoom: float = 7,
    snap: float = 0.25,
) -> tuple[tuple[float, float], float]:
    """Return ``((lat, lon), zoom)`` that shows ``[[south, west], [north, east]]`` in the map.

    The zoom is the largest multiple of ``snap`` at which the box, with ``padding_px`` on
    every side, fits ``width_px`` × ``height_px``, clamped to ``[min_zoom, max_zoom]``; a box of
    one point gets ``max_zoom``.

    Examples
    --------
    >>> fit_view([[22.0, 106.7], [22.0, 106.7]], width_px=800, height_px=600)
    ((22.0, 106.7), 14)
    """
    (south, west), (north, east) = bounds
    centre_y = (_merc_y(south) + _merc_y(north)) / 2
    centre = (round(_lat_of(centre_y), 6), round((west + east) / 2, 6))
    span_x = (east - west) / 360.0
    span_y = _merc_y(north) - _merc_y(south)
    usable_w = max(width_px - 2 * padding_px, 1.0)
    usable_h = max(height_px - 2 * padding_px, 1.0)
    fits = []
    if span_x > 0:
        fits.append(math.log2(usable_w / (_TILE_PX * span_x)))
    if span_y > 0:
        fits.append(math.log2(usable_h / (_TILE_PX * span_y)))
    if not fits:
        return centre, max_zoom
    zoom = math.floor(min(fits) / snap) * snap
    return centre, max(min_zoom, min(max_zoom, zoom))


def view_box(
    centre: Sequence[float], zoom: float, *, width_px: float, height_px: float
) -> list[list[float]]:
    """Return ``[[south, west], [north, east]]`` that a map of that size shows at ``zoom``."""
    lat, lon = centre
    world_px = _TILE_PX * 2**zoom
    half_x = width_px / world_px / 2
    half_y = height_px / world_px / 2
    y = _merc_y(lat)
    return [
        [_lat_of(y - half_y), lon - half_x * 360.0],
        [_lat_of(y + half_y), lon + half_x * 360.0],
    ]

"""Rings as the file wrote them: GeoJSON and KML rings whose first and last positions differ.

shapely and GDAL close such rings silently, so they are looked for in the raw positions
before any geometry is built, and reported with the rule
:data:`~geo.importing.read_rules.UNCLOSED_RING`.

Examples
--------
>>> unclosed_rings([[[0, 0], [1, 0], [1, 1], [0, 0]], [[0, 0], [1, 0], [1, 1]]])
[(2, [0, 0], [1, 1])]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["unclosed_rings"]


def unclosed_rings(rings: Sequence[Sequence[Any]]) -> list[tuple[int, Any, Any]]:
    """Return ``(ring number, first, last)`` for every ring not closed (1-based numbers).

    Ring 1 is the outer ring, the next ones its holes. Empty rings are not reported here
    (they make no geometry at all).

    Examples
    --------
    >>> unclosed_rings([])
    []
    >>> unclosed_rings([[]])
    []
    """
    return [
        (number, ring[0], ring[-1])
        for number, ring in enumerate(rings, start=1)
        if len(ring) > 0 and list(ring[0]) != list(ring[-1])
    ]

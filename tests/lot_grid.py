"""A small seeded layer of lots on a grid near the zone's centre, for the tile tests.

Square-ish lots of about 1 ha (100 m × 100 m, 20 m apart), one status each in turn and
one availability each per run of statuses (so every status comes with every
availability), with the properties a lot layer carries and a few it must never send to
the browser (names, an internal note, a tenant).
"""

from __future__ import annotations

import geopandas as gpd
from shapely.geometry import box

from geo.vocabulary import STATUSES

#: South-west corner of the grid (degrees), inside the map's bounds.
ORIGIN = (106.70, 21.90)
#: Side of a lot and gap between lots, in degrees (≈ 100 m and 20 m at 21.9° N).
SIDE_DEG = 0.00095
GAP_DEG = 0.0002
AVAILABILITY = ("available", "reserved", "leased")


def lot_grid(count: int, columns: int = 20) -> gpd.GeoDataFrame:
    """Return ``count`` lots on a grid of ``columns`` columns (EPSG:4326, indexed by id)."""
    rows = []
    for i in range(count):
        col, row = i % columns, i // columns
        west = ORIGIN[0] + col * (SIDE_DEG + GAP_DEG)
        south = ORIGIN[1] + row * (SIDE_DEG + GAP_DEG)
        rows.append(
            {
                "id": f"lot-{i:05d}",
                "name_vi": f"Lô {i}",
                "status": STATUSES[i % len(STATUSES)],
                "availability": AVAILABILITY[(i // len(STATUSES)) % len(AVAILABILITY)],
                "land_use": "industrial",
                "code": f"G-{i:05d}",
                "tenant": "never in tiles either",
                "progress_pct": float(i % 100),
                "internal_note": "never in tiles",
                "milestones": [],
                "geometry": box(west, south, west + SIDE_DEG, south + SIDE_DEG),
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326").set_index("id")

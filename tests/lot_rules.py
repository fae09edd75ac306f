"""The geometry rules of a lot plan, measured independently of the generator.

Shared by the data tests (``tests/test_lots_data.py``) and the store tests
(``tests/store/test_lots_store.py``). Everything is measured in EPSG:9215 metres (VN-2000 /
TM-3 107-15, Lạng Sơn's zone; scale error < 0.01 % here) or geodesically, never in degrees.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import shapely
from shapely.geometry.base import BaseGeometry

from geo.crs import VN2000_TM3_LANG_SON, WGS84, transform_geometry
from geo.measure import area_ha

#: Two lots may share an edge; rounding coordinates to 1e-7° (~1 cm) leaves slivers well
#: under a square metre.
OVERLAP_M2 = 1.0
#: The lots plus the reserves tile the zone to this share (the issue's rule).
TILING_TOLERANCE = 0.005


def metric(geom: BaseGeometry) -> BaseGeometry:
    """Return ``geom`` in EPSG:9215, its lon/lat-straight edges densified to ~20 m first."""
    return transform_geometry(shapely.segmentize(geom, 0.0002), WGS84, VN2000_TM3_LANG_SON)


def overlaps_m2(lots: Mapping[str, BaseGeometry]) -> dict[tuple[str, str], float]:
    """Return every pair of lots whose intersection is at least :data:`OVERLAP_M2`."""
    shapes = {fid: metric(g) for fid, g in lots.items()}
    tree_ids = list(shapes)
    tree = shapely.STRtree([shapes[f] for f in tree_ids])
    found = {}
    for i, fid in enumerate(tree_ids):
        for j in tree.query(shapes[fid]):
            if j <= i:
                continue
            area = shapes[fid].intersection(shapes[tree_ids[j]]).area
            if area >= OVERLAP_M2:
                found[(fid, tree_ids[j])] = area
    return found


def outside_m2(lots: Mapping[str, BaseGeometry], zone: BaseGeometry) -> dict[str, float]:
    """Return every lot with at least :data:`OVERLAP_M2` outside ``zone``."""
    zone_m = metric(zone)
    out = {fid: metric(g).difference(zone_m).area for fid, g in lots.items()}
    return {fid: a for fid, a in out.items() if a >= OVERLAP_M2}


def tiling_error(
    lots: Iterable[BaseGeometry], zone: BaseGeometry, reserves: Iterable[BaseGeometry]
) -> float:
    """Return |Σ lot areas − (zone area − reserve area)| / (zone area − reserve area), geodesic."""
    usable = area_ha(zone) - sum(area_ha(r) for r in reserves)
    return abs(sum(area_ha(g) for g in lots) - usable) / usable


def without_frontage(
    lots: Mapping[str, BaseGeometry], roads: Iterable[BaseGeometry], min_frontage_m: float
) -> dict[str, float]:
    """Return every lot whose boundary runs along a road reserve for less than the minimum."""
    road_m = shapely.union_all([metric(r) for r in roads]).buffer(0.5)
    frontage = {fid: metric(g).boundary.intersection(road_m).length for fid, g in lots.items()}
    return {fid: f for fid, f in frontage.items() if f < min_frontage_m}

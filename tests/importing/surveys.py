"""Small survey layers for the pipeline tests, with coordinates checked independently.

``GATE`` is the Friendship Pass check value of :mod:`geo.crs` (lon/lat and EPSG:9215);
``lot_143_70_ha`` is a square in EPSG:9215 whose side is taken from PROJ's areal scale factor
at its centre (not from the code under test), so its geodesic area is 143.70 ha.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import geopandas
import pyproj
from shapely import Polygon, box
from shapely.geometry.base import BaseGeometry

from geo.importing.model import RawLayer

GATE_LONLAT = (106.71222, 21.97639)
GATE_TM3 = (444268.4, 2431151.1)
#: Near Lạng Sơn city, well inside the province: (lon, lat) and EPSG:9215.
CITY_LONLAT = (106.76, 21.85)
CITY_TM3 = (449158.0, 2417140.0)
ESRI_TM3_ON_WGS84 = (
    'PROJCS["VN2000_TM3_107_15",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",'
    'SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],'
    'UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],'
    'PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],'
    'PARAMETER["Central_Meridian",107.25],PARAMETER["Scale_Factor",0.9999],'
    'PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]'
)


def lot_143_70_ha(x: float = CITY_TM3[0], y: float = CITY_TM3[1]) -> Polygon:
    """Return a square of 143.70 ha (geodesic) centred on (x, y) in EPSG:9215."""
    lon, lat = pyproj.Transformer.from_crs("EPSG:9215", "EPSG:4756", always_xy=True).transform(x, y)
    scale = pyproj.Proj("EPSG:9215").get_factors(lon, lat).areal_scale
    half = math.sqrt(1_437_000 * scale) / 2
    return box(x - half, y - half, x + half, y + half)


def raw(
    geoms: Sequence[BaseGeometry | None],
    crs: Any = "EPSG:9215",
    file: str = "survey.zip",
    name: str = "survey",
    **columns: Sequence[Any],
) -> RawLayer:
    """Return a read layer of these geometries and columns (``crs=None``: none declared)."""
    data = {key: list(values) for key, values in columns.items()}
    frame = geopandas.GeoDataFrame(data, geometry=list(geoms), crs=crs)
    return RawLayer(file, name, frame)

"""Reading layer files into GeoDataFrames, refusing (never repairing) what breaks the data model.

The GeoJSON is parsed here with the ``json`` module and shapely, not with pyogrio/GDAL:
GDAL silently assumes WGS84 for a file without a ``crs`` member (a VN-2000 plan would land
~200 m off) and turns nested lists such as ``milestones`` into strings. Parsing ourselves
lets us refuse the first and keep the second as Python objects.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas
import pandas as pd

from geo.collection_checks import check_feature_collection
from geo.crs import WGS84, to_wgs84
from geo.errors import LayerError
from geo.jsonfile import read_json

if TYPE_CHECKING:
    from geo.registry import LayerSpec

__all__ = ["read_layer", "read_layer_file"]


def read_layer(spec: LayerSpec, *, source_ids: Collection[str]) -> geopandas.GeoDataFrame:
    """Read and validate a registry layer; return it in WGS84 (EPSG:4326).

    Parameters
    ----------
    spec : LayerSpec
        The layer's registry entry (file, geometry kind, schema).
    source_ids : Collection[str]
        The ids of ``sources.json``; every cited source must be among them.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per feature in file order, indexed by the feature ``id`` (index name
        ``"id"``), one column per property (lists and objects such as ``milestones`` kept as
        Python objects, missing numbers as NaN as in ``geopandas.read_file``) and
        ``geometry`` in EPSG:4326 (a file in another CRS is transformed through
        :func:`geo.crs.to_wgs84`, which drops Z). ``attrs["layer_id"]`` is the registry id and
        ``attrs["source_crs"]`` the CRS the file declared (e.g. ``"EPSG:9215"``).

    Raises
    ------
    LayerError
        With every problem at once: missing file, invalid JSON, no or unknown CRS, missing,
        empty, invalid or wrong-kind geometry, schema breaches. Nothing is repaired.
    CRSError
        When the declared CRS cannot be transformed to WGS84 through the approved operation.
    """
    gdf = read_layer_file(
        spec.file, geometry_kind=spec.geometry_kind, schema=spec.schema, source_ids=source_ids
    )
    gdf.attrs["layer_id"] = spec.id
    return gdf


def read_layer_file(
    path: Path, *, geometry_kind: str, schema: str, source_ids: Collection[str]
) -> geopandas.GeoDataFrame:
    """Read and validate any layer file given its geometry kind and schema.

    Same as :func:`read_layer` for a file that is not (or not yet) in the registry;
    ``attrs["layer_id"]`` is not set.
    """
    path = Path(path)
    doc = read_json(path, LayerError)
    checked = check_feature_collection(
        doc, file=path.name, geometry_kind=geometry_kind, schema=schema, source_ids=source_ids
    )
    if checked.problems:
        raise LayerError(path, checked.problems)
    if checked.crs is None:  # a valid collection always declares its CRS
        raise AssertionError(f"{path.name} validated without a CRS")
    records = [dict(props) for props in checked.properties]
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame({"id": []})
    frame = frame.set_index("id")
    gdf = geopandas.GeoDataFrame(frame, geometry=list(checked.geometries), crs=checked.crs)
    gdf = to_wgs84(gdf) if checked.crs != WGS84 else gdf
    gdf.attrs["source_crs"] = checked.crs
    return gdf

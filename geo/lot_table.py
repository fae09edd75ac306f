"""The lot table: one row per lot with what an investor compares, areas and distances measured.

Built once per data change from a lot layer (schema ``lot``, docs/data-model.md) and the
distances of :func:`geo.lot_distances.lot_distances` (one ``distance_<what>_m`` column per
target, and ``position_from``). The area
shown is the official ``area_ha`` where a plan gives one, else the geodesic area of the drawn
shape (:func:`geo.measure.area_ha`), and the table says which (``area_official``). A
distance is ``None`` (NaN in the table) when the lot's or the target's position is not
known: it is then never shown, and no distance filter lets the lot through.

Examples
--------
>>> import geopandas
>>> from shapely import box
>>> lots = geopandas.GeoDataFrame(
...     {"code": ["A-01"], "zone_id": ["zone-a"], "land_use": ["TMD"],
...      "availability": ["available"], "tenant": [None], "rent_usd_m2_term": [90.0],
...      "lease_end_year": [2070], "area_ha": [None], "area_source": [None],
...      "geometry_accuracy": ["illustrative"], "illustrative_fields": [["geometry", "code"]],
...      "geometry": [box(106.70, 21.95, 106.701, 21.951)]},
...     index=["lot-a01"], crs="EPSG:4326")
>>> import pandas as pd
>>> distances = pd.DataFrame({"distance_gate_m": [1520.4], "position_from": ["zone"]},
...                          index=["lot-a01"])
>>> row = lot_table(lots, distances).loc["lot-a01"]
>>> [round(float(row["area_ha"]), 3), bool(row["area_official"]), float(row["distance_gate_m"])]
[1.144, False, 1520.4]
>>> bool(row["illustrative"]), row["position_from"]
(True, 'zone')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import geopandas
import pandas as pd

from geo.measure import area_ha

__all__ = ["TABLE_COLUMNS", "illustrative_fields", "lot_table"]

#: The columns taken over from the layer as they are (a missing one is all None).
TABLE_COLUMNS = (
    "code",
    "road",
    "zone_id",
    "land_use",
    "availability",
    "tenant",
    "rent_usd_m2_term",
    "lease_end_year",
    "min_plot_m2",
    "geometry_accuracy",
)


def illustrative_fields(props: Mapping[str, Any]) -> frozenset[str]:
    """Return the fields of a lot whose values are illustrative (``utilities_*`` expanded).

    Examples
    --------
    >>> sorted(illustrative_fields({"illustrative_fields": ["rent_usd_m2_term", "utilities_*"]}))
    ['rent_usd_m2_term', 'utilities_en', 'utilities_vi', 'utilities_zh']
    >>> illustrative_fields({"illustrative_fields": None})
    frozenset()
    """
    names = props.get("illustrative_fields")
    if not isinstance(names, list | tuple):
        return frozenset()
    out: set[str] = set()
    for name in names:
        if isinstance(name, str) and name.endswith("_*"):
            out.update(f"{name[:-1]}{lang}" for lang in ("vi", "en", "zh"))
        elif isinstance(name, str):
            out.add(name)
    return frozenset(out)


def _official_area(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not pd.isna(value) else None


def lot_table(lots: geopandas.GeoDataFrame, distances: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the lot table of a lot layer.

    Parameters
    ----------
    lots : geopandas.GeoDataFrame
        A lot layer in EPSG:4326, indexed by lot id.
    distances : pandas.DataFrame or None
        :func:`geo.lot_distances.lot_distances` of the lots (same index): its columns are
        added as they are (NaN where a distance is not known).

    Returns
    -------
    pandas.DataFrame
        Indexed by lot id, in layer order: :data:`TABLE_COLUMNS`, ``area_ha`` (shown),
        ``area_m2``, ``area_official``, ``illustrative`` (any field illustrative) and the
        columns of ``distances``.
    """
    rows: list[dict[str, Any]] = []
    records = lots.drop(columns="geometry").to_dict("records")
    for lot_id, props, geom in zip(lots.index, records, lots.geometry, strict=True):
        official = _official_area(props.get("area_ha"))
        shown = official if official is not None else area_ha(geom)
        row: dict[str, Any] = {name: _plain(props.get(name)) for name in TABLE_COLUMNS}
        row.update(
            id=lot_id,
            area_ha=shown,
            area_m2=shown * 10_000.0,
            area_official=official is not None,
            illustrative=bool(illustrative_fields(props))
            or props.get("geometry_accuracy") == "illustrative",
        )
        rows.append(row)
    columns = ["id", *TABLE_COLUMNS, "area_ha", "area_m2", "area_official", "illustrative"]
    table = pd.DataFrame.from_records(rows, columns=columns).set_index("id")
    if distances is not None:
        table = table.join(distances.reindex(table.index))
    return table


def _plain(value: object) -> object:
    """Return None for a missing value (NaN from a frame), else the value."""
    if isinstance(value, float) and pd.isna(value):
        return None
    return value


def zones_of(table: pd.DataFrame) -> list[str]:
    """Return the zone ids of the lots, in first-seen order."""
    return list(dict.fromkeys(str(z) for z in table["zone_id"] if isinstance(z, str)))


def codes_in(table: pd.DataFrame, column: str, vocabulary: Iterable[str]) -> list[str]:
    """Return the values of ``column`` present in the table, in vocabulary order."""
    present = set(table[column].dropna())
    return [value for value in vocabulary if value in present]

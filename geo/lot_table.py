"""The lot table: one row per lot with what an investor compares, areas and distances measured.

Built once per data change from a lot layer (schema ``lot``, fields in
``LOTS_SCHEMA`` / docs/data-model.md) and the distance of each lot to each target. The area
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
>>> row = lot_table(lots, {"lot-a01": {"gate": 1520.4}}, targets=("gate",)).loc["lot-a01"]
>>> [round(float(row["area_ha"]), 3), bool(row["area_official"]), float(row["gate_distance_m"])]
[1.144, False, 1520.4]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import geopandas
import pandas as pd

from geo.lot_filter import distance_column
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


def lot_table(
    lots: geopandas.GeoDataFrame,
    distances_m: Mapping[str, Mapping[str, float | None]],
    *,
    targets: Sequence[str] = (),
) -> pd.DataFrame:
    """Return the lot table of a lot layer.

    Parameters
    ----------
    lots : geopandas.GeoDataFrame
        A lot layer in EPSG:4326, indexed by lot id.
    distances_m : Mapping[str, Mapping[str, float or None]]
        By lot id, the distance in metres to each target (None when not known).
    targets : Sequence[str]
        The distance targets, in column order (one :func:`geo.lot_filter.distance_column`
        each).

    Returns
    -------
    pandas.DataFrame
        Indexed by lot id, in layer order: :data:`TABLE_COLUMNS`, ``area_ha`` (shown),
        ``area_m2``, ``area_official``, ``illustrative`` (any field illustrative) and the
        distances.
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
        known = distances_m.get(str(lot_id), {})
        for target in targets:
            value = known.get(target)
            row[distance_column(target)] = float(value) if value is not None else float("nan")
        rows.append(row)
    columns = ["id", *TABLE_COLUMNS, "area_ha", "area_m2", "area_official", "illustrative"]
    columns += [distance_column(t) for t in targets]
    return pd.DataFrame.from_records(rows, columns=columns).set_index("id")


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

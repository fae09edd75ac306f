"""Distances from every lot to what investors ask about: gate, expressway, Đồng Đăng station.

Which targets exist is data (``layers/lot_distance_targets.json``): the nearest border gate,
the nearest point of an expressway (no interchange is mapped, so the label says "nearest
point of the schematic line") and Đồng Đăng station (the rail gate of ``gates.geojson``).
Every distance is geodesic, in metres, by the rule of :func:`geo.measure.known_distance_m`:
unknown (NaN) when the lot's position or any candidate target's is not known.

A lot's position: its own ``geometry_accuracy`` when that places it; an *illustrative* lot
(the generated plan) lies inside its zone, so it is placed as well as its zone's outline is
(``position_from`` says ``zone``): the distance is then good to the zone's size, and the
differences between lots of one zone are illustrative. A lot whose zone is not placed either
has no distance.

Examples
--------
>>> import geopandas
>>> from shapely import Point, box
>>> gates = geopandas.GeoDataFrame(
...     {"geometry_accuracy": ["digitised"]}, geometry=[Point(106.71112, 21.97062)],
...     index=["gate-dong-dang-rail"], crs="EPSG:4326")
>>> zones = geopandas.GeoDataFrame(
...     {"geometry_accuracy": ["schematic"]}, geometry=[box(106.70, 21.93, 106.71, 21.94)],
...     index=["zone-a"], crs="EPSG:4326")
>>> lots = geopandas.GeoDataFrame(
...     {"zone_id": ["zone-a"], "geometry_accuracy": ["illustrative"]},
...     geometry=[box(106.70, 21.93, 106.701, 21.931)], index=["lot-a01"], crs="EPSG:4326")
>>> table = lot_distances(lots, {"gates": gates, "zones": zones})
>>> round(table.loc["lot-a01", "distance_gate_m"]), table.loc["lot-a01", "position_from"]
(4510, 'zone')
>>> bool(table["distance_expressway_m"].isna().all())  # no expressways layer given
True
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import geopandas
import pandas as pd

from geo.errors import DataFileError
from geo.i18n import LANGUAGES
from geo.jsonfile import read_json
from geo.measure import distance_m, known_distance_m, position_known
from geo.problems import MISSING, Problem, show

__all__ = [
    "TARGETS_PATH",
    "LotDistanceTarget",
    "load_lot_distance_targets",
    "lot_distances",
    "nearest_feature",
]

TARGETS_PATH: Final = (
    Path(__file__).resolve().parent.parent / "layers" / "lot_distance_targets.json"
)
_COLUMN: Final = re.compile(r"distance_[a-z_]+_m")


class LotDistanceTargetsError(DataFileError):
    """A ``lot_distance_targets.json`` that is missing or breaks its rules."""


@dataclass(frozen=True)
class LotDistanceTarget:
    """One thing every lot is measured to.

    Attributes
    ----------
    id : str
        Stable id, e.g. ``nearest-gate``.
    column : str
        The column of :func:`lot_distances` (``distance_…_m``).
    layer : str
        The registry layer of the target.
    feature : str or None
        One feature of it; None: the nearest feature of the layer.
    label : Mapping[str, str]
        What the view calls the distance, per language.
    """

    id: str
    column: str
    layer: str
    feature: str | None
    label: Mapping[str, str]


def parse_lot_distance_targets(
    doc: object, *, file: str = "lot_distance_targets.json"
) -> tuple[LotDistanceTarget, ...]:
    """Build the targets of a parsed file, or raise listing every problem.

    Examples
    --------
    >>> parse_lot_distance_targets({"targets": [{"id": "x", "column": "x",
    ...     "layer": "gates", "feature": None, "label": {}}]})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    geo.lot_distances.LotDistanceTargetsError: ...'targets[0].column': expected a column \
name distance_<what>_m; found 'x'...
    """
    problems: list[Problem] = []
    entries = doc.get("targets", MISSING) if isinstance(doc, dict) else doc
    if not isinstance(entries, list) or not entries:
        problems.append(Problem(file, None, "targets", "a non-empty list", show(entries)))
        entries = []
    targets: list[LotDistanceTarget] = []
    for i, entry in enumerate(entries):
        where = f"targets[{i}]"
        if not isinstance(entry, dict):
            problems.append(Problem(file, None, where, "an object", show(entry)))
            continue
        before = len(problems)
        for key in ("id", "layer"):
            if not (isinstance(entry.get(key), str) and entry[key]):
                problems.append(
                    Problem(
                        file, None, f"{where}.{key}", "a non-empty string", show(entry.get(key))
                    )
                )
        column = entry.get("column", MISSING)
        if not (isinstance(column, str) and _COLUMN.fullmatch(column)):
            problems.append(
                Problem(
                    file, None, f"{where}.column", "a column name distance_<what>_m", show(column)
                )
            )
        feature = entry.get("feature", MISSING)
        if feature is not None and not (isinstance(feature, str) and feature):
            problems.append(
                Problem(file, None, f"{where}.feature", "a feature id or null", show(feature))
            )
        label = entry.get("label", MISSING)
        if not (
            isinstance(label, dict)
            and all(isinstance(label.get(lang), str) and label[lang] for lang in LANGUAGES)
        ):
            problems.append(
                Problem(file, None, f"{where}.label", "texts in vi, en and zh", show(label))
            )
        if len(problems) == before:
            targets.append(
                LotDistanceTarget(entry["id"], column, entry["layer"], feature, dict(label))
            )
    if problems:
        raise LotDistanceTargetsError(Path(file), problems)
    return tuple(targets)


@functools.cache
def load_lot_distance_targets(path: Path = TARGETS_PATH) -> tuple[LotDistanceTarget, ...]:
    """Read ``lot_distance_targets.json`` (see :func:`parse_lot_distance_targets`)."""
    return parse_lot_distance_targets(
        read_json(path, LotDistanceTargetsError), file=Path(path).name
    )


def _zone_accuracy(zone_id: object, layers: Mapping[str, geopandas.GeoDataFrame]) -> object:
    for gdf in layers.values():
        if isinstance(zone_id, str) and zone_id in gdf.index and "geometry_accuracy" in gdf:
            return gdf.at[zone_id, "geometry_accuracy"]
    return None


def _position(
    row: Mapping[str, Any], layers: Mapping[str, geopandas.GeoDataFrame]
) -> tuple[object, str | None]:
    """Return (the accuracy the lot is placed with, ``lot``/``zone``/None)."""
    own = row.get("geometry_accuracy")
    if position_known(own):
        return own, "lot"
    if own == "illustrative":
        zone = _zone_accuracy(row.get("zone_id"), layers)
        if position_known(zone):
            return zone, "zone"
    return None, None


def _candidates(
    target: LotDistanceTarget, layers: Mapping[str, geopandas.GeoDataFrame]
) -> list[tuple[Any, object]]:
    gdf = layers.get(target.layer)
    if gdf is None or len(gdf) == 0:
        return []
    if target.feature is not None:
        if target.feature not in gdf.index:
            return []
        gdf = gdf.loc[[target.feature]]
    accuracies = gdf["geometry_accuracy"] if "geometry_accuracy" in gdf else [None] * len(gdf)
    return list(zip(gdf.geometry, accuracies, strict=True))


def lot_distances(
    lots: geopandas.GeoDataFrame,
    layers: Mapping[str, geopandas.GeoDataFrame],
    targets: Sequence[LotDistanceTarget] | None = None,
) -> pd.DataFrame:
    """Return, per lot, the geodesic straight-line distance in metres to every target.

    Parameters
    ----------
    lots : geopandas.GeoDataFrame
        Lots (schema ``lot``) in EPSG:4326, indexed by lot id, with ``zone_id`` and
        ``geometry_accuracy``.
    layers : Mapping[str, geopandas.GeoDataFrame]
        Loaded layers by id (EPSG:4326, indexed by feature id): the targets' layers and the
        zones the lots lie in.
    targets : sequence of LotDistanceTarget, optional
        Default :func:`load_lot_distance_targets`.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``lots``: one float column per target (``distance_gate_m``,
        ``distance_expressway_m``, ``distance_station_m``), NaN where not known; and
        ``position_from``: ``lot`` (the lot's own shape is placed), ``zone`` (an illustrative
        lot, placed as its zone is) or None (no distance).

    Raises
    ------
    ValueError
        When ``lots`` is not in EPSG:4326 (distances are measured on lon/lat).
    """
    if lots.crs is not None and lots.crs.to_epsg() != 4326:
        raise ValueError(f"lots must be in EPSG:4326 (lon/lat); found {lots.crs.to_string()}")
    targets = load_lot_distance_targets() if targets is None else targets
    candidates = {t.id: _candidates(t, layers) for t in targets}
    columns: dict[str, list[float]] = {t.column: [] for t in targets}
    basis: list[str | None] = []
    for _, row in lots.iterrows():
        accuracy, position_from = _position(row, layers)
        basis.append(position_from)
        for target in targets:
            metres = known_distance_m(row.geometry, accuracy, candidates[target.id])
            columns[target.column].append(math.nan if metres is None else metres)
    table = pd.DataFrame(columns, index=lots.index, dtype=float)
    table["position_from"] = pd.Series(basis, index=lots.index, dtype=object)
    return table


def nearest_feature(geom: Any, gdf: geopandas.GeoDataFrame) -> str | None:
    """Return the id of the feature of ``gdf`` nearest to ``geom`` (geodesic), or None if empty.

    Examples
    --------
    >>> from shapely import Point
    >>> gates = geopandas.GeoDataFrame(geometry=[Point(106.7, 21.9), Point(106.8, 22.0)],
    ...                                index=["a", "b"], crs="EPSG:4326")
    >>> nearest_feature(Point(106.79, 21.99), gates)
    'b'
    """
    if len(gdf) == 0:
        return None
    return str(min(gdf.geometry.items(), key=lambda item: distance_m(geom, item[1]))[0])

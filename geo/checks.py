"""Checks across files: what no single layer file can see on its own.

A layer file is checked alone by :mod:`geo.collection_checks`. These checks need several files
at once: feature ids unique across layers, the official size of a feature against its geodesic
size, every project feature inside the registry's ``extent``, the registry's
``distance_targets`` and ``credits`` against the layers and ``sources.json``, and
``unmapped.json`` against all of them. ``python -m geo validate``,
:func:`geo.catalog.load_catalog` and the data tests all call :func:`cross_file_problems`, so
they share one rule set and one set of tolerances.

Examples
--------
>>> AREA_TOLERANCE, LENGTH_TOLERANCE
(0.005, 0.1)
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any, Final

import geopandas
import shapely
from shapely.geometry.base import BaseGeometry

from geo.crs import WGS84, WGS84_UTM_48N, transform_geometry
from geo.errors import DataFileError
from geo.field_checks import validate_unmapped_item
from geo.jsonfile import read_json
from geo.measure import area_ha, length_km
from geo.problems import MISSING, Problem, show
from geo.registry import Registry
from geo.values import is_number

__all__ = [
    "AREA_TOLERANCE",
    "LENGTH_TOLERANCE",
    "UnmappedError",
    "credit_problems",
    "cross_file_problems",
    "distance_target_problems",
    "duplicate_id_problems",
    "extent_problems",
    "load_unmapped",
    "lot_zone_problems",
    "parse_unmapped",
    "size_problems",
    "unmapped_problems",
]

#: A polygon's geodesic area may differ from its official ``area_ha`` by this share. The
#: schematic outlines are scaled to the official area, so 0.5 % leaves room for rounding only.
AREA_TOLERANCE: Final = 0.005
#: A line's geodesic length may differ from its official ``length_km`` by this share: no
#: alignment is published, and a schematic line drawn through a few waypoints is shorter
#: than a winding mountain road.
LENGTH_TOLERANCE: Final = 0.10


class UnmappedError(DataFileError):
    """An ``unmapped.json`` that is missing or breaks the data model."""


def duplicate_id_problems(
    layers: Mapping[str, geopandas.GeoDataFrame], registry: Registry
) -> list[Problem]:
    """Return a problem for every feature id used in more than one of ``layers``.

    Feature ids must be unique across all layers (the app selects features by id); a single
    file cannot see this. The problem is reported on the later layer.

    Parameters
    ----------
    layers : Mapping[str, geopandas.GeoDataFrame]
        Loaded layers by layer id, indexed by feature id (as :func:`geo.io.read_layer` gives).
    registry : Registry
        Where the layers' file names come from.
    """
    owner: dict[str, str] = {}
    problems: list[Problem] = []
    for layer_id, gdf in layers.items():
        file = registry.get(layer_id).file.name
        for fid in gdf.index:
            if fid in owner:
                problems.append(
                    Problem(
                        file,
                        str(fid),
                        "id",
                        "an id unique across all layers",
                        f"{fid!r}, also used in layer {owner[fid]!r}",
                    )
                )
            else:
                owner[fid] = layer_id
    return problems


def size_problems(
    layers: Mapping[str, geopandas.GeoDataFrame], registry: Registry
) -> list[Problem]:
    """Return a problem for every official area or length its geometry does not match.

    A polygon with ``area_ha`` must have that geodesic area within :data:`AREA_TOLERANCE`; a
    line with ``length_km`` that geodesic length within :data:`LENGTH_TOLERANCE`.
    """
    problems: list[Problem] = []
    for layer_id, gdf in layers.items():
        spec = registry.get(layer_id)
        if spec.geometry_kind == "polygon":
            field, measure, tolerance, unit = "area_ha", area_ha, AREA_TOLERANCE, "ha"
        elif spec.geometry_kind == "line":
            field, measure, tolerance, unit = "length_km", length_km, LENGTH_TOLERANCE, "km"
        else:
            continue
        if field not in gdf.columns:
            continue
        for fid, row in gdf.iterrows():
            official = row[field]
            if not is_number(official) or official <= 0:
                continue
            measured = measure(row.geometry)
            if abs(measured / official - 1) > tolerance:
                problems.append(
                    Problem(
                        spec.file.name,
                        str(fid),
                        "geometry",
                        f"a geodesic {field.split('_')[0]} within {tolerance:.1%} of "
                        f"{field} ({official:g} {unit})",
                        f"{measured:.2f} {unit} ({measured / official - 1:+.1%})",
                    )
                )
    return problems


def _metric(geom: BaseGeometry) -> BaseGeometry:
    return transform_geometry(geom, WGS84, WGS84_UTM_48N)


def extent_problems(
    layers: Mapping[str, geopandas.GeoDataFrame], registry: Registry
) -> list[Problem]:
    """Return a problem for every project feature outside the registry's ``extent``.

    Points may fall ``point_tolerance_m`` outside the area, lines and polygons
    ``edge_tolerance_m`` (distances in metres on WGS 84 / UTM 48N). Nothing is checked when
    the registry declares no extent; an extent whose layer or features did not load is
    itself a problem.
    """
    extent = registry.extent
    if extent is None:
        return []
    file = registry.path.name if registry.path is not None else "registry.json"
    area_layer = layers.get(extent.layer)
    if area_layer is None:
        return [
            Problem(file, None, "extent.layer", "a layer that loads", f"{extent.layer!r} did not")
        ]
    missing = [fid for fid in extent.features if fid not in area_layer.index]
    if missing:
        return [
            Problem(
                file,
                None,
                "extent.features",
                f"feature ids of layer {extent.layer!r}",
                ", ".join(repr(m) for m in missing) + " not in it",
            )
        ]
    area = _metric(shapely.union_all([area_layer.geometry.loc[f] for f in extent.features]))
    inside_points = area.buffer(extent.point_tolerance_m)
    inside_edges = area.buffer(extent.edge_tolerance_m)
    problems: list[Problem] = []
    for layer_id, gdf in layers.items():
        spec = registry.get(layer_id)
        if spec.schema != "project":
            continue
        for fid, geom in gdf.geometry.items():
            point = geom.geom_type == "Point"
            tolerance = extent.point_tolerance_m if point else extent.edge_tolerance_m
            if not (inside_points if point else inside_edges).covers(_metric(geom)):
                outside = _metric(geom).distance(area) if point else None
                found = (
                    f"{outside:.0f} m outside"
                    if outside is not None
                    else f"a part more than {tolerance:g} m outside"
                )
                problems.append(
                    Problem(
                        spec.file.name,
                        str(fid),
                        "geometry",
                        f"a geometry inside {' ∪ '.join(extent.features)} "
                        f"(+ {tolerance:g} m, the registry's extent)",
                        found,
                    )
                )
    return problems


def distance_target_problems(
    layers: Mapping[str, geopandas.GeoDataFrame], registry: Registry
) -> list[Problem]:
    """Return a problem for every distance target whose layer or feature did not load."""
    file = registry.path.name if registry.path is not None else "registry.json"
    problems: list[Problem] = []
    for index, target in enumerate(registry.distance_targets):
        gdf = layers.get(target.layer)
        where = f"distance_targets[{index}]"
        if gdf is None:
            problems.append(
                Problem(
                    file,
                    target.id,
                    f"{where}.layer",
                    "a layer that loads",
                    f"{target.layer!r} did not load",
                    item="distance target",
                )
            )
        elif target.feature is not None and target.feature not in gdf.index:
            problems.append(
                Problem(
                    file,
                    target.id,
                    f"{where}.feature",
                    f"a feature id of layer {target.layer!r}",
                    show(target.feature),
                    item="distance target",
                )
            )
    return problems


def lot_zone_problems(
    layers: Mapping[str, geopandas.GeoDataFrame], registry: Registry
) -> list[Problem]:
    """Return a problem for every lot whose ``zone_id`` is not a zone of a loaded layer.

    A zone is a feature of a project polygon layer. Whether the lot lies inside it is a
    geometry rule of the plan, tested on the data (``tests/test_lots_data.py``).
    """
    zone_ids = {
        str(fid)
        for layer_id, gdf in layers.items()
        if registry.get(layer_id).schema == "project"
        and registry.get(layer_id).geometry_kind == "polygon"
        for fid in gdf.index
    }
    problems: list[Problem] = []
    for layer_id, gdf in layers.items():
        spec = registry.get(layer_id)
        if spec.schema != "lot" or "zone_id" not in gdf:
            continue
        for fid, zone_id in gdf["zone_id"].items():
            if zone_id not in zone_ids:
                problems.append(
                    Problem(
                        spec.file.name,
                        str(fid),
                        "zone_id",
                        "the id of a zone (a feature of a project polygon layer)",
                        show(zone_id),
                    )
                )
    return problems


def credit_problems(registry: Registry, source_ids: Collection[str]) -> list[Problem]:
    """Return a problem for every registry ``credits`` id that ``sources.json`` lacks."""
    file = registry.path.name if registry.path is not None else "registry.json"
    problems: list[Problem] = []
    for spec in registry.layers:
        for i, sid in enumerate(spec.credits):
            if sid not in source_ids:
                problems.append(
                    Problem(
                        file,
                        spec.id,
                        f"credits[{i}]",
                        "a source id listed in sources.json",
                        show(sid),
                        item="layer",
                    )
                )
    return problems


def parse_unmapped(
    doc: object, *, source_ids: Collection[str], file: str = "unmapped.json"
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Return the items of a parsed ``unmapped.json`` and every problem in them.

    Examples
    --------
    >>> items, problems = parse_unmapped({"items": []}, source_ids=())
    >>> items, problems
    ([], [])
    """
    items = doc.get("items", MISSING) if isinstance(doc, dict) else MISSING
    if not isinstance(items, list):
        found = show(items) if isinstance(doc, dict) else show(doc)
        return [], [Problem(file, None, "items", "a list of items", found)]
    problems: list[Problem] = []
    good: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        found = validate_unmapped_item(item, file=file, index=index, source_ids=source_ids)
        problems.extend(found)
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            if item["id"] in seen:
                problems.append(
                    Problem(
                        file,
                        item["id"],
                        "id",
                        "an id used once in the file",
                        show(item["id"]),
                        index,
                        item="item",
                    )
                )
            seen.add(item["id"])
        if not found:
            good.append(item)
    for key in doc if isinstance(doc, dict) else ():
        if key != "items":
            problems.append(Problem(file, None, key, "no such member (only 'items')", "it"))
    return good, problems


def load_unmapped(path: Path, *, source_ids: Collection[str]) -> list[dict[str, Any]]:
    """Read and check ``unmapped.json``; a missing file means no unmapped items.

    Raises
    ------
    UnmappedError
        With every problem at once (invalid JSON, any field problem).
    """
    path = Path(path)
    if not path.exists():
        return []
    items, problems = parse_unmapped(
        read_json(path, UnmappedError), source_ids=source_ids, file=path.name
    )
    if problems:
        raise UnmappedError(path, problems)
    return items


def unmapped_problems(
    items: list[dict[str, Any]], layers: Mapping[str, geopandas.GeoDataFrame], file: str
) -> list[Problem]:
    """Return a problem for every unmapped item that clashes with the layers.

    An item may not use a feature's id, and its ``related_features`` must name features of
    the loaded layers.
    """
    owner = {str(fid): layer_id for layer_id, gdf in layers.items() for fid in gdf.index}
    problems: list[Problem] = []
    for index, item in enumerate(items):
        if item["id"] in owner:
            problems.append(
                Problem(
                    file,
                    item["id"],
                    "id",
                    "an id no layer feature uses",
                    f"{item['id']!r}, also a feature of layer {owner[item['id']]!r}",
                    index,
                    item="item",
                )
            )
        for i, fid in enumerate(item["related_features"]):
            if fid not in owner:
                problems.append(
                    Problem(
                        file,
                        item["id"],
                        f"related_features[{i}]",
                        "a feature id of a loaded layer",
                        show(fid),
                        index,
                        item="item",
                    )
                )
    return problems


def cross_file_problems(
    layers: Mapping[str, geopandas.GeoDataFrame],
    registry: Registry,
    source_ids: Collection[str],
    unmapped: list[dict[str, Any]] | None = None,
) -> list[Problem]:
    """Return every problem between files: ids, sizes, extent, targets, credits, unmapped.

    Parameters
    ----------
    layers : Mapping[str, geopandas.GeoDataFrame]
        The layers that loaded, by layer id.
    registry : Registry
        Their registry.
    source_ids : Collection[str]
        The ids of ``sources.json``.
    unmapped : list or None
        The items of ``unmapped.json`` (already checked field by field), if any.
    """
    problems = duplicate_id_problems(layers, registry)
    problems += size_problems(layers, registry)
    problems += extent_problems(layers, registry)
    problems += distance_target_problems(layers, registry)
    problems += credit_problems(registry, source_ids)
    problems += lot_zone_problems(layers, registry)
    if unmapped:
        name = registry.unmapped_path.name if registry.unmapped_path else "unmapped.json"
        problems += unmapped_problems(unmapped, layers, name)
    return problems

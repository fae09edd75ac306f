"""The illustrative lot plan: lots drawn inside a zone by fixed rules, the same every time.

No public lot plan of any zone exists, so the investor view shows an illustrative one,
drawn from the zone's outline by the rules of ``layers/recipes/lot_plan.json``:

1. In EPSG:9215 (VN-2000 / TM-3 107-15, metres; never degrees) the zone is turned so that
   its long axis (of its minimum rotated rectangle) is the x axis.
2. Main roads (``N1``, ``N2`` … numbered from the north) run along the long axis every
   ``block_depth_m``, local roads (``D1``, ``D2`` … from the west) across it every
   ``block_length_m``; each road reserve is its centre line widened to its width, cut to
   the zone. At a crossing the main road keeps the square.
3. The zone less the roads falls into blocks; each block is cut across the main roads into
   lots ``lot_width_m`` wide (widths drawn with the seed), so a lot reaches from road to road.
4. A piece smaller than ``lot_area_ha.min`` or without ``min_frontage_m`` of road frontage is
   merged into a neighbour of its block; one larger than ``lot_area_ha.max`` is halved. A
   piece that has no neighbour to join (a corner between two roads and the zone edge) is a
   green verge of the road reserve, not a lot.
5. Values are drawn per lot, in code order, from a generator seeded by the rules' ``seed``
   and the zone id: availability (``available``/``reserved``, never ``leased``: a leased lot
   names a tenant and none is published), land rent within the rules' band, a ready-built
   warehouse on a share of lots. Each such field is listed in ``illustrative_fields``.

The same outline and rules give byte-identical output (:func:`lots_geojson`).

Examples
--------
>>> from shapely import box
>>> from geo.crs import VN2000_TM3_LANG_SON, WGS84, transform_geometry
>>> zone = transform_geometry(box(440_000, 2_425_000, 441_000, 2_425_500),
...                           VN2000_TM3_LANG_SON, WGS84)
>>> rules = load_rules()
>>> lots = plan_lots(zone, rules, zone_id="zone-cargo-transit")
>>> len(lots), lots["code"].iloc[0], lots["road"].iloc[0] in {"N1", "D1", "D2"}
(18, 'A-01', True)
>>> lots.equals(plan_lots(zone, rules, zone_id="zone-cargo-transit"))
True
"""

from __future__ import annotations

import itertools
import json
import math
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import geopandas
import numpy as np
import shapely
from shapely import affinity
from shapely.geometry import LineString, MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

from geo.crs import VN2000_TM3_LANG_SON, WGS84, transform_geometry
from geo.errors import DataFileError, GeoError
from geo.i18n import LANGUAGES
from geo.jsonfile import read_json
from geo.problems import MISSING, Problem, show
from geo.vocabulary import LAND_USES, LOT_FIELDS

__all__ = [
    "RULES_PATH",
    "LotPlanError",
    "LotPlanRules",
    "ZoneRules",
    "drawable_zones",
    "load_rules",
    "lots_geojson",
    "plan_layer",
    "plan_lots",
    "plan_reserves",
]

RULES_PATH: Final = Path(__file__).resolve().parent.parent / "layers" / "recipes" / "lot_plan.json"
#: Zones whose outline stands where the zone is. An ``illustrative`` outline (a circle placed
#: beside a gate) only says that a zone exists somewhere near: lots drawn in it would place
#: investors' plots where nobody said they are.
DRAWN_ACCURACIES: Final = ("surveyed", "digitised", "schematic")
#: Fields of a generated lot whose values the rules draw (not sourced).
ILLUSTRATIVE_FIELDS: Final = (
    "geometry",
    "code",
    "road",
    "land_use",
    "availability",
    "rent_usd_m2_term",
    "min_plot_m2",
    "warehouse_rent_usd_m2_month",
)
_CRS84: Final = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
_FAR: Final = 1e5  # metres: road centre lines reach across any zone
_MAX_ROUNDS: Final = 60
_GRID_M: Final = 0.001
_DECIMALS: Final = 7
_DENSIFY_M: Final = 20.0
_DENSIFY_DEG: Final = 0.0002  # ≈ 20 m


class LotPlanError(DataFileError):
    """Rules of the lot plan that are missing or break their rules."""


class LotPlanFailure(GeoError):
    """The rules cannot tile this zone (the message says which piece and why)."""


@dataclass(frozen=True)
class ZoneRules:
    """What the plan needs to know about one zone: id prefix, land uses, contact."""

    id_prefix: str
    land_uses: tuple[str, ...]
    contact: Mapping[str, str] | None
    contact_source: str | None


@dataclass(frozen=True)
class LotPlanRules:
    """The rules of ``lot_plan.json`` (see the module docstring for how they are used)."""

    seed: int
    main_road_m: float
    local_road_m: float
    block_depth_m: float
    block_length_m: float
    min_lot_ha: float
    max_lot_ha: float
    min_width_m: float
    max_width_m: float
    min_frontage_m: float
    availability_weights: Mapping[str, float]
    rent_band: tuple[float, float]
    warehouse_share: float
    warehouse_band: tuple[float, float]
    basis: Mapping[str, str]
    basis_sources: tuple[str, ...]
    zones: Mapping[str, ZoneRules]


def _number(doc: Mapping[str, Any], path: str, problems: list[Problem], file: str) -> float:
    value: Any = doc
    for key in path.split("."):
        value = value.get(key, MISSING) if isinstance(value, dict) else MISSING
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        problems.append(Problem(file, None, path, "a number 0 or more", show(value)))
        return math.nan
    return float(value)


def parse_rules(doc: object, *, file: str = "lot_plan.json") -> LotPlanRules:
    """Build the rules from a parsed ``lot_plan.json``, or raise listing every problem.

    Raises
    ------
    LotPlanError
        When a field is missing or out of range.
    """
    problems: list[Problem] = []
    if not isinstance(doc, dict):
        raise LotPlanError(Path(file), [Problem(file, None, "", "an object", show(doc))])
    n = {
        key: _number(doc, key, problems, file)
        for key in (
            "seed",
            "road_reserve_m.main",
            "road_reserve_m.local",
            "block_depth_m",
            "block_length_m",
            "lot_area_ha.min",
            "lot_area_ha.max",
            "lot_width_m.min",
            "lot_width_m.max",
            "min_frontage_m",
            "values.rent_usd_m2_term.min",
            "values.rent_usd_m2_term.max",
            "values.warehouse_share",
            "values.warehouse_rent_usd_m2_month.min",
            "values.warehouse_rent_usd_m2_month.max",
        )
    }
    values = doc.get("values") if isinstance(doc.get("values"), dict) else {}
    weights = values.get("availability_weights", MISSING)
    if not (
        isinstance(weights, dict)
        and weights
        and all(k in ("available", "reserved") for k in weights)
        and all(isinstance(v, int | float) and v > 0 for v in weights.values())
    ):
        problems.append(
            Problem(
                file,
                None,
                "values.availability_weights",
                "an object of 'available'/'reserved' -> weight > 0 (no 'leased': a leased lot "
                "names a tenant, and no tenant may be invented)",
                show(weights),
            )
        )
        weights = {}
    basis = {lang: values.get(f"basis_{lang}") for lang in LANGUAGES}
    for lang, text in basis.items():
        if not (isinstance(text, str) and text.strip()):
            problems.append(
                Problem(file, None, f"values.basis_{lang}", "a non-empty string", show(text))
            )
    if n["lot_area_ha.min"] >= n["lot_area_ha.max"]:
        problems.append(
            Problem(file, None, "lot_area_ha", "min below max", show(doc.get("lot_area_ha")))
        )
    zones: dict[str, ZoneRules] = {}
    raw_zones = doc.get("zones", MISSING)
    if not isinstance(raw_zones, dict) or not raw_zones:
        problems.append(
            Problem(file, None, "zones", "an object of zone id -> rules", show(raw_zones))
        )
        raw_zones = {}
    for zid, entry in raw_zones.items():
        where = f"zones.{zid}"
        if not isinstance(entry, dict):
            problems.append(Problem(file, None, where, "an object", show(entry)))
            continue
        uses = entry.get("land_uses", MISSING)
        if not (isinstance(uses, list) and uses and all(u in LAND_USES for u in uses)):
            problems.append(
                Problem(
                    file,
                    None,
                    f"{where}.land_uses",
                    f"a list of codes of {', '.join(LAND_USES)}",
                    show(uses),
                )
            )
            uses = []
        prefix = entry.get("id_prefix", MISSING)
        if not (isinstance(prefix, str) and prefix.isalnum() and prefix.islower()):
            problems.append(
                Problem(
                    file, None, f"{where}.id_prefix", "lower-case letters and digits", show(prefix)
                )
            )
        contact = {lang: entry.get(f"contact_{lang}") for lang in LANGUAGES}
        has_contact = any(v is not None for v in contact.values())
        if has_contact and not all(isinstance(v, str) and v.strip() for v in contact.values()):
            problems.append(
                Problem(
                    file,
                    None,
                    f"{where}.contact",
                    "contact_vi, contact_en and contact_zh, or none",
                    show(contact),
                )
            )
        source = entry.get("contact_source")
        if has_contact and not isinstance(source, str):
            problems.append(
                Problem(
                    file,
                    None,
                    f"{where}.contact_source",
                    "a source id (a contact is a fact)",
                    show(source),
                )
            )
        zones[zid] = ZoneRules(
            str(prefix),
            tuple(uses),
            contact if has_contact else None,
            source if has_contact else None,
        )
    if problems:
        raise LotPlanError(Path(file), problems)
    return LotPlanRules(
        seed=int(n["seed"]),
        main_road_m=n["road_reserve_m.main"],
        local_road_m=n["road_reserve_m.local"],
        block_depth_m=n["block_depth_m"],
        block_length_m=n["block_length_m"],
        min_lot_ha=n["lot_area_ha.min"],
        max_lot_ha=n["lot_area_ha.max"],
        min_width_m=n["lot_width_m.min"],
        max_width_m=n["lot_width_m.max"],
        min_frontage_m=n["min_frontage_m"],
        availability_weights=dict(weights),
        rent_band=(n["values.rent_usd_m2_term.min"], n["values.rent_usd_m2_term.max"]),
        warehouse_share=n["values.warehouse_share"],
        warehouse_band=(
            n["values.warehouse_rent_usd_m2_month.min"],
            n["values.warehouse_rent_usd_m2_month.max"],
        ),
        basis=basis,
        basis_sources=tuple(values.get("basis_sources") or ()),
        zones=zones,
    )


def load_rules(path: Path = RULES_PATH) -> LotPlanRules:
    """Read ``lot_plan.json`` (see :func:`parse_rules`)."""
    return parse_rules(read_json(path, LotPlanError), file=Path(path).name)


# --- geometry, in a local frame of EPSG:9215 metres turned to the zone's long axis ----------


@dataclass(frozen=True)
class _Frame:
    """EPSG:9215 ↔ local frame: rotate by ``-angle`` about ``origin``."""

    angle_deg: float
    origin: tuple[float, float]

    def to_local(self, geom: BaseGeometry) -> BaseGeometry:
        return affinity.rotate(geom, -self.angle_deg, origin=self.origin)

    def to_metric(self, geom: BaseGeometry) -> BaseGeometry:
        return affinity.rotate(geom, self.angle_deg, origin=self.origin)


def _frame(zone_m: BaseGeometry) -> _Frame:
    rect = shapely.minimum_rotated_rectangle(zone_m)
    xs, ys = rect.exterior.coords.xy
    edges = [(xs[i + 1] - xs[i], ys[i + 1] - ys[i]) for i in range(2)]
    dx, dy = max(edges, key=lambda e: math.hypot(*e))
    angle = math.degrees(math.atan2(dy, dx))
    # Keep the long axis pointing east (−90°..90°) so "from the west" stays west.
    if angle > 90:
        angle -= 180
    elif angle <= -90:
        angle += 180
    c = zone_m.centroid
    return _Frame(round(angle, 9), (round(c.x, 3), round(c.y, 3)))


def _positions(low: float, high: float, spacing: float, *, at_least: int) -> list[float]:
    bands = max(at_least + 1, round((high - low) / spacing))
    step = (high - low) / bands
    return [low + i * step for i in range(1, bands)]


def _polygons(geom: BaseGeometry) -> list[Polygon]:
    if geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    return [p for part in getattr(geom, "geoms", []) for p in _polygons(part)]


@dataclass
class _Layout:
    lots: list[tuple[Polygon, str, int]]  # local frame, the road each fronts, its block
    roads: dict[str, BaseGeometry]  # road name -> reserve, local frame
    verges: list[Polygon]


def _roads(zone: BaseGeometry, rules: LotPlanRules) -> dict[str, BaseGeometry]:
    x0, y0, x1, y1 = zone.bounds
    ys = _positions(y0, y1, rules.block_depth_m, at_least=1)
    xs = _positions(x0, x1, rules.block_length_m, at_least=0)
    roads: dict[str, BaseGeometry] = {}
    # Local y grows to the north when the long axis points east (angle within ±90°).
    for i, y in enumerate(sorted(ys, reverse=True), start=1):
        line = LineString([(x0 - _FAR, y), (x1 + _FAR, y)])
        roads[f"N{i}"] = line.buffer(rules.main_road_m / 2, cap_style="flat").intersection(zone)
    mains = shapely.union_all(list(roads.values()))
    for j, x in enumerate(sorted(xs), start=1):
        line = LineString([(x, y0 - _FAR), (x, y1 + _FAR)])
        cross = line.buffer(rules.local_road_m / 2, cap_style="flat").intersection(zone)
        roads[f"D{j}"] = cross.difference(mains)
    return {name: geom for name, geom in roads.items() if not geom.is_empty}


def _cut_block(block: Polygon, rules: LotPlanRules, rng: np.random.Generator) -> list[Polygon]:
    bx0, by0, bx1, by1 = block.bounds
    mean = (rules.min_width_m + rules.max_width_m) / 2
    count = max(1, round((bx1 - bx0) / mean))
    weights = rng.uniform(rules.min_width_m, rules.max_width_m, count)
    cuts = bx0 + np.cumsum(weights) / weights.sum() * (bx1 - bx0)
    edges = [bx0, *cuts[:-1].tolist(), bx1]
    pieces: list[Polygon] = []
    for a, b in itertools.pairwise(edges):
        pieces.extend(_polygons(block.intersection(box(a, by0 - 1, b, by1 + 1))))
    return pieces


def _shared(a: BaseGeometry, b: BaseGeometry) -> float:
    return a.boundary.intersection(b.buffer(0.01)).length


def _fix_block(
    pieces: list[Polygon], roads: BaseGeometry, rules: LotPlanRules
) -> tuple[list[Polygon], list[Polygon]]:
    """Merge small or landlocked pieces into neighbours, halve large ones; return (lots, verges)."""
    min_m2, max_m2 = rules.min_lot_ha * 1e4, rules.max_lot_ha * 1e4
    road_zone = roads.buffer(0.01)
    verges: list[Polygon] = []

    def fronts(p: BaseGeometry) -> bool:
        return p.boundary.intersection(road_zone).length >= rules.min_frontage_m

    for _ in range(_MAX_ROUNDS):
        bad = next((i for i, p in enumerate(pieces) if p.area < min_m2 or not fronts(p)), None)
        if bad is None:
            big = next((i for i, p in enumerate(pieces) if p.area > max_m2), None)
            if big is None:
                return pieces, verges
            p = pieces.pop(big)
            x0, y0, x1, y1 = p.bounds
            mid = (x0 + x1) / 2
            halves = [
                *_polygons(p.intersection(box(x0 - 1, y0 - 1, mid, y1 + 1))),
                *_polygons(p.intersection(box(mid, y0 - 1, x1 + 1, y1 + 1))),
            ]
            pieces[big:big] = halves
            continue
        p = pieces.pop(bad)
        neighbours = [(i, q) for i, q in enumerate(pieces) if _shared(p, q) > 1.0]
        if not neighbours:
            verges.append(p)
            continue
        # Join the neighbour that fronts a road, then the smallest (least likely to overflow).
        i, q = min(neighbours, key=lambda iq: (not fronts(iq[1]), iq[1].area))
        merged = shapely.union(q, p)
        pieces[i] = merged if isinstance(merged, Polygon) else q
        if not isinstance(merged, Polygon):
            verges.append(p)
    raise LotPlanFailure(
        f"the lot plan rules did not settle after {_MAX_ROUNDS} rounds in a block of "
        f"{sum(p.area for p in pieces) / 1e4:.2f} ha: check lot_width_m and lot_area_ha"
    )


def _layout(zone_local: BaseGeometry, rules: LotPlanRules, rng: np.random.Generator) -> _Layout:
    roads = _roads(zone_local, rules)
    road_union = shapely.union_all(list(roads.values()))
    blocks = _polygons(zone_local.difference(road_union))
    blocks.sort(key=lambda b: (-round(b.centroid.y, 1), round(b.centroid.x, 1)))
    lots: list[tuple[Polygon, str, int]] = []
    verges: list[Polygon] = []
    for index, block in enumerate(blocks):
        pieces, block_verges = _fix_block(_cut_block(block, rules, rng), road_union, rules)
        verges.extend(block_verges)
        for piece in sorted(pieces, key=lambda p: round(p.centroid.x, 1)):
            road = max(roads, key=lambda name: (_shared(piece, roads[name]), name))
            lots.append((piece, road, index))
    return _Layout(lots, roads, verges)


def _block_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _to_wgs84(geom: BaseGeometry, frame: _Frame) -> BaseGeometry:
    # Zero-width spikes (an edge run out and back along the zone's outline by the overlays)
    # collapse on a 1 mm grid; then the output is snapped to 1e-7° (~1 cm): finer than the
    # 1e-6° of the other layers, so that lots sharing an edge still tile to < 1 m².
    clean = shapely.set_precision(geom, _GRID_M).simplify(0.002)
    # Straight in metres is not straight in lon/lat: vertices every 20 m keep the edges where
    # the plan put them (a 1.5 km road edge would bow by centimetres, a square metre of area).
    dense = shapely.segmentize(frame.to_metric(clean), _DENSIFY_M)
    out = transform_geometry(dense, VN2000_TM3_LANG_SON, WGS84)
    out = shapely.transform(out, lambda xy: np.round(xy, _DECIMALS))
    if not out.is_valid:
        raise LotPlanFailure(
            f"a lot becomes invalid on the 1e-7° output grid ({shapely.is_valid_reason(out)})"
        )
    return out


def _zone_rules(rules: LotPlanRules, zone_id: str) -> ZoneRules:
    try:
        return rules.zones[zone_id]
    except KeyError:
        raise LotPlanFailure(
            f"lot_plan.json: zone {zone_id!r} has no rules (zones: {', '.join(rules.zones)})"
        ) from None


def _plan(
    zone_polygon_wgs84: BaseGeometry, rules: LotPlanRules, zone_id: str
) -> tuple[_Layout, _Frame, np.random.Generator]:
    if not isinstance(zone_polygon_wgs84, Polygon | MultiPolygon) or zone_polygon_wgs84.is_empty:
        raise LotPlanFailure(
            f"zone {zone_id!r}: expected a non-empty (Multi)Polygon in WGS 84; found "
            f"{type(zone_polygon_wgs84).__name__}"
        )
    # The outline's edges are straight in lon/lat (GeoJSON); densified, they stay where they
    # are in metres too.
    dense = shapely.segmentize(zone_polygon_wgs84, _DENSIFY_DEG)
    zone_m = transform_geometry(dense, WGS84, VN2000_TM3_LANG_SON)
    frame = _frame(zone_m)
    rng = np.random.default_rng([rules.seed, zlib.crc32(zone_id.encode("utf-8"))])
    return _layout(frame.to_local(zone_m), rules, rng), frame, rng


def plan_lots(
    zone_polygon_wgs84: BaseGeometry, rules: LotPlanRules, *, zone_id: str
) -> geopandas.GeoDataFrame:
    """Return the illustrative lots of one zone: every field of the lot schema, WGS 84.

    Parameters
    ----------
    zone_polygon_wgs84 : Polygon or MultiPolygon
        The zone's outline, lon/lat.
    rules : LotPlanRules
        :func:`load_rules`.
    zone_id : str
        The zone's feature id; ``rules.zones`` must have it (id prefix, land uses, contact).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per lot in code order, columns :data:`geo.vocabulary.LOT_FIELDS` and
        ``geometry`` (EPSG:4326, coordinates on a 1e-7° grid), indexed by lot id.

    Raises
    ------
    LotPlanFailure
        When the zone has no rules, or the rules cannot tile it.
    """
    zone_rules = _zone_rules(rules, zone_id)
    layout, frame, rng = _plan(zone_polygon_wgs84, rules, zone_id)
    rows: list[dict[str, Any]] = []
    geoms: list[BaseGeometry] = []
    letters: dict[int, str] = {}
    counters: dict[int, int] = {}
    choices = sorted(rules.availability_weights)
    weights = np.array([rules.availability_weights[c] for c in choices], dtype=float)
    cumulative = np.cumsum(weights / weights.sum())
    for piece, road, b in layout.lots:
        letter = letters.setdefault(b, _block_letter(len(letters)))
        counters[b] = counters.get(b, 0) + 1
        code = f"{letter}-{counters[b]:02d}"
        draws = rng.random(5)
        availability = choices[int(np.searchsorted(cumulative, draws[0], side="right"))]
        rent = round(rules.rent_band[0] + draws[1] * (rules.rent_band[1] - rules.rent_band[0]))
        warehouse = (
            round(
                rules.warehouse_band[0]
                + draws[3] * (rules.warehouse_band[1] - rules.warehouse_band[0]),
                1,
            )
            if draws[2] < rules.warehouse_share
            else None
        )
        land_use = zone_rules.land_uses[int(draws[4] * len(zone_rules.land_uses))]
        contact = zone_rules.contact or {}
        sources = [
            s
            for s in (zone_rules.contact_source, "lot-plan-illustrative", *rules.basis_sources)
            if s
        ]
        props: dict[str, Any] = {
            "id": f"lot-{zone_rules.id_prefix}-{code.replace('-', '').lower()}",
            "code": code,
            "road": road,
            "zone_id": zone_id,
            "land_use": land_use,
            "availability": availability,
            "tenant": None,
            "rent_usd_m2_term": rent,
            "lease_end_year": None,
            "min_plot_m2": round(rules.min_lot_ha * 1e4),
            "management_fee_usd_m2_month": None,
            "warehouse_rent_usd_m2_month": warehouse,
            **{f"utilities_{lang}": None for lang in LANGUAGES},
            **{f"incentives_{lang}": None for lang in LANGUAGES},
            "incentives_source": None,
            **{f"contact_{lang}": contact.get(lang) for lang in LANGUAGES},
            "contact_source": zone_rules.contact_source,
            "area_ha": None,
            "area_source": None,
            "geometry_accuracy": "illustrative",
            "illustrative_fields": list(ILLUSTRATIVE_FIELDS),
            **{f"illustrative_basis_{lang}": rules.basis[lang] for lang in LANGUAGES},
            "sources": list(dict.fromkeys(sources)),
        }
        rows.append({key: props[key] for key in LOT_FIELDS})
        geoms.append(_to_wgs84(piece, frame))
    gdf = geopandas.GeoDataFrame(rows, geometry=geoms, crs=WGS84, columns=[*LOT_FIELDS])
    return gdf.set_index("id", drop=False).rename_axis(None)


def plan_reserves(
    zone_polygon_wgs84: BaseGeometry, rules: LotPlanRules, *, zone_id: str
) -> geopandas.GeoDataFrame:
    """Return the road reserves of the plan (one row per road, plus the green verges).

    Columns ``name`` (``N1``, ``D2``, ``verge``), ``kind`` (``main``, ``local``, ``verge``)
    and ``geometry`` (EPSG:4326). With :func:`plan_lots` they tile the zone.
    """
    _zone_rules(rules, zone_id)
    layout, frame, _ = _plan(zone_polygon_wgs84, rules, zone_id)
    rows = [
        {
            "name": name,
            "kind": "main" if name.startswith("N") else "local",
            "geometry": _to_wgs84(geom, frame),
        }
        for name, geom in layout.roads.items()
    ]
    rows += [
        {"name": "verge", "kind": "verge", "geometry": _to_wgs84(v, frame)} for v in layout.verges
    ]
    return geopandas.GeoDataFrame(
        rows, geometry="geometry", crs=WGS84, columns=["name", "kind", "geometry"]
    )


def drawable_zones(zones: geopandas.GeoDataFrame) -> geopandas.GeoDataFrame:
    """Return the zones whose outline is drawn where the zone is (:data:`DRAWN_ACCURACIES`).

    Examples
    --------
    >>> from shapely import box
    >>> zones = geopandas.GeoDataFrame(
    ...     {"geometry_accuracy": ["schematic", "illustrative"]},
    ...     geometry=[box(0, 0, 1, 1), box(2, 2, 3, 3)], index=["zone-a", "zone-b"])
    >>> list(drawable_zones(zones).index)
    ['zone-a']
    """
    return zones[zones["geometry_accuracy"].isin(DRAWN_ACCURACIES)]


def plan_layer(zones: geopandas.GeoDataFrame, rules: LotPlanRules) -> geopandas.GeoDataFrame:
    """Return the lots of every drawable zone that the rules name, zones in id order."""
    frames = [
        plan_lots(geom, rules, zone_id=str(zid))
        for zid, geom in sorted(drawable_zones(zones).geometry.items())
        if zid in rules.zones
    ]
    if not frames:
        raise LotPlanFailure("no drawable zone has rules in lot_plan.json: nothing to plan")
    return geopandas.GeoDataFrame(geopandas.pd.concat(frames), geometry="geometry", crs=WGS84)


def _geometry_json(geom: BaseGeometry) -> str:
    oriented = shapely.orient_polygons(geom, exterior_cw=False)
    doc = json.loads(shapely.to_geojson(oriented))

    def rounded(value: Any) -> Any:
        if isinstance(value, list):
            return [rounded(v) for v in value]
        return round(value, _DECIMALS) if isinstance(value, float) else value

    doc["coordinates"] = rounded(doc["coordinates"])
    return json.dumps(doc, separators=(",", ":"))


def lots_geojson(lots: geopandas.GeoDataFrame) -> str:
    """Return the lots as the text of ``layers/lots.geojson``: one property per line.

    The layout of the other project layers: a CRS84 ``crs`` member, the feature id also as the
    Feature's ``id``, the geometry on one line. Same frame, same text.
    """
    features = []
    for fid, row in lots.iterrows():
        props = {key: _plain(row[key]) if key in row else None for key in LOT_FIELDS}
        props["id"] = props["id"] if props["id"] is not None else str(fid)
        lines = [
            f"    {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}"
            for key, value in props.items()
        ]
        features.append(
            "{\n"
            '  "type": "Feature",\n'
            f'  "id": {json.dumps(props["id"], ensure_ascii=False)},\n'
            '  "properties": {\n' + ",\n".join(lines) + "\n  },\n"
            f'  "geometry": {_geometry_json(row.geometry)}\n'
            "}"
        )
    head = json.dumps({"type": "FeatureCollection", "crs": _CRS84})[:-1]
    return head + ', "features": [\n' + ",\n".join(features) + "\n]}\n"


def _plain(value: Any) -> Any:
    """Turn a frame's cell back into a JSON value (NaN and numpy scalars out)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, Iterable) and not isinstance(value, str):
        return list(value)
    return value

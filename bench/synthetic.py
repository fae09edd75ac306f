"""Deterministic synthetic project layers for the map benchmarks.

Parcels of 0.5–2 ha with 5–12 vertices and Vietnamese names, scattered around
21.95° N 106.72° E, plus 3 roads of 60 km and 10 gates, with the project
properties of ``docs/data-model.md`` (as ``geo.io.read_layer`` returns them:
indexed by ``id``, lists kept as Python objects, missing numbers as NaN).

Everything is seeded: the same ``n`` and ``seed`` give the same frames, so runs
and machines compare.

Examples
--------
>>> data = synthetic_layers(100)
>>> len(data.parcels), len(data.roads), len(data.gates)
(100, 3, 10)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

CENTRE_LAT = 21.95
CENTRE_LON = 106.72
#: Half-size of the box parcels are scattered in (about 44 km × 41 km).
HALF_SPAN_DEG = 0.2
#: Metres per degree at the centre (local tangent plane; good to ~0.1 % here).
M_PER_DEG_LAT = 110_740.0
M_PER_DEG_LON = 111_320.0 * math.cos(math.radians(CENTRE_LAT))

SOURCE = "bench-synthetic"
ROAD_LENGTH_KM = 60.0

_PLACES = (
    "Đồng Đăng", "Tân Thanh", "Cốc Nam", "Hữu Nghị", "Chi Ma", "Bảo Lâm", "Hoàng Đồng",
    "Mai Pha", "Khánh Khê", "Tân Mỹ", "Yên Trạch", "Thụy Hùng", "Hợp Thành", "Lộc Bình",
    "Cao Lộc", "Văn Lãng", "Chi Lăng", "Na Dương", "Bắc Sơn", "Đình Lập",
)  # fmt: skip
_KINDS = (
    ("cargo_transit_zone", "Khu trung chuyển hàng hóa", "Cargo transit zone", "货物中转区"),
    ("export_processing_zone", "Khu chế xuất", "Export processing zone", "出口加工区"),
    ("non_tariff_zone", "Khu phi thuế quan", "Non-tariff zone", "非关税区"),
)
#: Status of a parcel and the share of parcels that have it.
_STATUS_WEIGHTS = {
    "planned": 0.35,
    "preparing": 0.15,
    "under_construction": 0.25,
    "partly_open": 0.05,
    "operational": 0.15,
    "unknown": 0.05,
}
#: Status-bearing milestones that lead to each status, in order.
_PATH = {
    "planned": [("approval", "planned")],
    "preparing": [("approval", "planned"), ("other", "preparing")],
    "under_construction": [
        ("approval", "planned"),
        ("other", "preparing"),
        ("groundbreaking", "under_construction"),
    ],
    "partly_open": [
        ("approval", "planned"),
        ("groundbreaking", "under_construction"),
        ("partial_opening", "partly_open"),
    ],
    "operational": [
        ("approval", "planned"),
        ("groundbreaking", "under_construction"),
        ("opening", "operational"),
    ],
    "unknown": [],
}


@dataclass(frozen=True)
class SyntheticLayers:
    """The three synthetic project layers (EPSG:4326, indexed by ``id``)."""

    parcels: gpd.GeoDataFrame
    roads: gpd.GeoDataFrame
    gates: gpd.GeoDataFrame

    def all_features(self) -> int:
        """Return the number of features of the three layers."""
        return len(self.parcels) + len(self.roads) + len(self.gates)


def _dates(rng: np.random.Generator, count: int) -> list[date]:
    """Return ``count`` increasing dates between 2019 and 2026-06."""
    start = date(2019, 1, 1)
    days = np.sort(rng.choice(np.arange(0, 2700), size=count, replace=False))
    return [start + timedelta(days=int(d)) for d in days]


def _history(
    rng: np.random.Generator, status: str, *, length_km: float | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return consistent ``milestones`` and ``progress_history`` for ``status``."""
    path = _PATH[status]
    # About 40 % of projects publish no dated history: their status holds on every date.
    # Roads (with a length) always have one: it decides the part drawn as open.
    if not path or (length_km is None and rng.random() < 0.4):
        return [], []
    days = _dates(rng, len(path) + 2)
    milestones = [
        {
            "date": day.isoformat(),
            "date_precision": "day",
            "kind": kind,
            "label_vi": f"Mốc {kind}",
            "label_en": f"Milestone {kind}",
            "label_zh": f"里程碑 {kind}",
            "status": stat,
            "source": SOURCE,
        }
        for day, (kind, stat) in zip(days, path, strict=False)
    ]
    milestones.append(
        {
            "date": date(2028, 12, 31).isoformat(),
            "date_precision": "year",
            "kind": "target",
            "label_vi": "Mục tiêu hoàn thành",
            "label_en": "Completion target",
            "label_zh": "完工目标",
            "status": None,
            "source": SOURCE,
        }
    )
    history: list[dict[str, Any]] = []
    if status in ("under_construction", "partly_open", "operational"):
        pct = sorted(rng.uniform(5, 100, size=2).round(1).tolist())
        for day, p in zip(days[-2:], pct, strict=True):
            opened = round(length_km * p / 100, 1) if length_km else None
            history.append(
                {
                    "date": day.isoformat(),
                    "progress_pct": 100.0 if status == "operational" else p,
                    "open_length_km": opened,
                    "source": SOURCE,
                    "note_vi": None,
                    "note_en": None,
                    "note_zh": None,
                }
            )
    return milestones, history


def _project_props(
    rng: np.random.Generator,
    fid: str,
    names: tuple[str, str, str | None],
    kind: str,
    status: str,
    *,
    area_ha: float | None = None,
    length_km: float | None = None,
    histories: bool = True,
) -> dict[str, Any]:
    milestones, history = _history(rng, status, length_km=length_km) if histories else ([], [])
    latest = history[-1] if history else None
    return {
        "id": fid,
        "name_vi": names[0],
        "name_en": names[1],
        "name_zh": names[2],
        "geometry_accuracy": "schematic",
        "accuracy_note_vi": "Vị trí tổng hợp cho đo hiệu năng; hình dạng không có thật.",
        "accuracy_note_en": "Synthetic position for benchmarking; the shape is not real.",
        "accuracy_note_zh": "用于性能测试的合成位置；形状并非真实。",
        "sources": [SOURCE],
        "kind": kind,
        "status": status,
        "progress_pct": latest["progress_pct"] if latest else None,
        "progress_as_of": latest["date"] if latest else None,
        "progress_source": SOURCE if latest else None,
        "progress_note_vi": None if latest else "Chưa công bố số liệu.",
        "progress_note_en": None if latest else "No figure published.",
        "progress_note_zh": None if latest else "未公布数字。",
        "progress_history": history,
        "milestones": milestones,
        "area_ha": area_ha,
        "area_source": SOURCE if area_ha else None,
        "length_km": length_km,
        "length_source": SOURCE if length_km else None,
        "open_length_km": latest["open_length_km"] if latest else None,
        "investment_vnd_bn": None,
        "investment_source": None,
        "investor": None,
        "investor_source": None,
        "note_vi": None,
        "note_en": None,
        "note_zh": None,
    }


def _frame(records: list[dict[str, Any]], geometries: Any) -> gpd.GeoDataFrame:
    # Same construction as geo.io.read_layer_file: records -> DataFrame indexed by id.
    frame = pd.DataFrame.from_records(records).set_index("id")
    return gpd.GeoDataFrame(frame, geometry=list(geometries), crs="EPSG:4326")


def parcel_geometries(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Return ``n`` star-shaped polygons of 0.5–2 ha, 5–12 vertices, and their areas (ha)."""
    area_ha = rng.uniform(0.5, 2.0, size=n)
    vertices = rng.integers(5, 13, size=n)
    centre_lat = CENTRE_LAT + rng.uniform(-HALF_SPAN_DEG, HALF_SPAN_DEG, size=n)
    centre_lon = CENTRE_LON + rng.uniform(-HALF_SPAN_DEG, HALF_SPAN_DEG, size=n)
    rings = []
    for i in range(n):
        k = int(vertices[i])
        angles = np.sort((np.arange(k) + rng.uniform(-0.3, 0.3, size=k)) * 2 * np.pi / k)
        radii = rng.uniform(0.75, 1.25, size=k)
        x, y = radii * np.cos(angles), radii * np.sin(angles)
        # Shoelace area of the unit shape, then scale to the target area in m².
        unit_area = 0.5 * abs(
            np.dot(x[1:], y[:-1]) - np.dot(y[1:], x[:-1]) + x[0] * y[-1] - y[0] * x[-1]
        )
        scale = math.sqrt(area_ha[i] * 10_000 / unit_area)
        lon = centre_lon[i] + x * scale / M_PER_DEG_LON
        lat = centre_lat[i] + y * scale / M_PER_DEG_LAT
        rings.append(np.column_stack([lon, lat]))
    ring_index = np.repeat(np.arange(n), vertices)
    polygons = shapely.polygons(shapely.linearrings(np.vstack(rings), indices=ring_index))
    return polygons, area_ha


def _parcels(n: int, rng: np.random.Generator, histories: bool) -> gpd.GeoDataFrame:
    geometries, area_ha = parcel_geometries(n, rng)
    statuses = rng.choice(list(_STATUS_WEIGHTS), size=n, p=list(_STATUS_WEIGHTS.values()))
    records = []
    for i in range(n):
        kind, kind_vi, kind_en, kind_zh = _KINDS[i % len(_KINDS)]
        place = _PLACES[int(rng.integers(len(_PLACES)))]
        names = (
            f"{kind_vi} {place} – lô số {i + 1}",
            f"{kind_en} {place}, parcel {i + 1}",
            f"{kind_zh} {i + 1}号地块" if i % 2 == 0 else None,
        )
        records.append(
            _project_props(
                rng,
                f"parcel-{i + 1:05d}",
                names,
                kind,
                str(statuses[i]),
                area_ha=round(float(area_ha[i]), 2),
                histories=histories,
            )
        )
    return _frame(records, geometries)


def _road_geometry(rng: np.random.Generator, start: tuple[float, float]) -> shapely.LineString:
    """Return a gently winding line of exactly 60 km (local plane), 500 m segments."""
    steps = int(ROAD_LENGTH_KM * 1000 / 500)
    heading = rng.uniform(0, 2 * np.pi)
    turns = np.cumsum(rng.normal(0, 0.08, size=steps)) + heading
    dx, dy = 500 * np.cos(turns), 500 * np.sin(turns)
    lon = start[1] + np.concatenate([[0], np.cumsum(dx)]) / M_PER_DEG_LON
    lat = start[0] + np.concatenate([[0], np.cumsum(dy)]) / M_PER_DEG_LAT
    return shapely.LineString(np.column_stack([lon, lat]))


def _roads(rng: np.random.Generator) -> gpd.GeoDataFrame:
    statuses = ("operational", "partly_open", "under_construction")
    names = (
        (
            "Đường chuyên dụng vận chuyển hàng hóa Tân Thanh – Cốc Nam",
            "Tan Thanh – Coc Nam cargo road",
            "新清—谷南货运专用道",
        ),
        ("Cao tốc Đồng Đăng – Trà Lĩnh", "Dong Dang – Tra Linh expressway", "同登—茶岭高速公路"),
        ("Quốc lộ 4B đoạn Lạng Sơn – Lộc Bình", "National road 4B, Lang Son – Loc Binh", None),
    )
    records, geometries = [], []
    for i, (status, name) in enumerate(zip(statuses, names, strict=True)):
        start = (CENTRE_LAT + rng.uniform(-0.1, 0.1), CENTRE_LON + rng.uniform(-0.1, 0.1))
        geometries.append(_road_geometry(rng, start))
        records.append(
            _project_props(
                rng,
                f"road-{i + 1}",
                name,
                "dedicated_cargo_road",
                status,
                length_km=ROAD_LENGTH_KM,
            )
        )
    return _frame(records, geometries)


def _gates(rng: np.random.Generator) -> gpd.GeoDataFrame:
    statuses = ("operational",) * 5 + ("under_construction",) * 3 + ("planned",) * 2
    records, geometries = [], []
    for i, status in enumerate(statuses):
        place = _PLACES[i]
        lat = CENTRE_LAT + rng.uniform(-HALF_SPAN_DEG, HALF_SPAN_DEG)
        lon = CENTRE_LON + rng.uniform(-HALF_SPAN_DEG, HALF_SPAN_DEG)
        geometries.append(shapely.Point(lon, lat))
        names = (f"Cửa khẩu {place}", f"{place} border gate", None)
        records.append(_project_props(rng, f"gate-{i + 1:02d}", names, "national_gate", status))
    return _frame(records, geometries)


def synthetic_layers(
    n: int, seed: int = 20261123, *, parcel_histories: bool = False
) -> SyntheticLayers:
    """Return ``n`` parcels, 3 roads of 60 km and 10 gates, deterministically.

    Parameters
    ----------
    n : int
        Number of parcels (the benchmark uses 100, 1,000, 10,000 and 50,000).
    seed : int
        Seed of the random generator; roads and gates do not depend on ``n``.
    parcel_histories : bool
        Give about 60 % of the parcels 2–4 milestones and up to 2 progress
        observations (consistent with their status). Off by default: the benchmark
        parcels carry ``milestones: []`` and ``progress_history: []`` like the
        reference measurements; roads and gates always have histories (roads need
        them for their open part).

    Returns
    -------
    SyntheticLayers
    """
    if n < 0:
        raise ValueError(f"expected a number of parcels >= 0, got {n}")
    fixed = np.random.default_rng(seed)
    roads, gates = _roads(fixed), _gates(fixed)
    parcels = _parcels(n, np.random.default_rng([seed, n]), parcel_histories)
    return SyntheticLayers(parcels=parcels, roads=roads, gates=gates)


if __name__ == "__main__":
    import sys

    from geo.measure import area_ha, length_km

    data = synthetic_layers(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
    print("first parcel:", data.parcels.iloc[0].drop("geometry").to_dict())
    p = data.parcels
    counts = shapely.get_num_coordinates(p.geometry.values) - 1
    print("vertices:", counts.min(), "to", counts.max())
    print("stated area_ha:", p.area_ha.min(), "to", p.area_ha.max())
    print("geodesic area_ha, first 5:", [round(area_ha(g), 3) for g in p.geometry[:5]])
    print("stated area_ha, first 5:  ", p.area_ha[:5].tolist())
    print("geodesic length_km of roads:", [round(length_km(g), 2) for g in data.roads.geometry])
    print("statuses:", p.status.value_counts().to_dict())
    print("bounds:", p.total_bounds.round(3).tolist())

"""Write and read a large parcel layer through the store (GeoPackage, or PostGIS by URL).

    .venv/bin/python bench/bench_store.py 200000                 # a GeoPackage in a temp dir
    .venv/bin/python bench/bench_store.py 200000 postgresql://…  # an empty PostGIS database

Prints one line: features, seconds to write (one transaction, every feature checked) and to
read back (:meth:`geo.store.Store.snapshot`).

Measured 2026-12-01 on the shared 2-core dev machine under load (1-minute load average 4-7,
so upper bounds), 200,000 square parcels with 3 properties each:

| store | write | read |
|---|---|---|
| GeoPackage | 13.4 s | 6.6 s |
| PostGIS 15 / 3.3 (throwaway server, fsync off) | 21.6 s | 12.5 s |
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shapely import box

from geo.store import Feature, LayerWrite, open_store

ENTRY = {
    "id": "parcels",
    "title": {"vi": "Thửa đất", "en": "Parcels", "zh": "地块"},
    "file": "parcels.geojson",
    "geometry_kind": "polygon",
    "group": "context",
    "style": "town",
    "visible": True,
    "schema": "context",
    "source": "synthetic benchmark",
    "licence": "CC0-1.0",
}


def parcels(n: int) -> list[Feature]:
    size = 8e-5  # ~8 m
    return [
        Feature(
            {"id": f"p-{i}", "owner": "Nguyễn Văn A", "area_m2": 64.0, "tags": ["a", "b"]},
            box(
                106.7 + (i % 500) * 1e-4,
                21.8 + (i // 500) * 1e-4,
                106.7 + (i % 500) * 1e-4 + size,
                21.8 + (i // 500) * 1e-4 + size,
            ),
        )
        for i in range(n)
    ]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    url = sys.argv[2] if len(sys.argv) > 2 else f"sqlite:///{tempfile.mkdtemp()}/bench.gpkg"
    features = parcels(n)
    with open_store(url, seed=None) as store:
        start = time.perf_counter()
        store.write([LayerWrite(ENTRY, features)])
        wrote = time.perf_counter() - start
        start = time.perf_counter()
        snapshot = store.snapshot()
        read = time.perf_counter() - start
    assert len(snapshot.layers["parcels"]) == n
    print(f"{store.label}: {n} features: write {wrote:.1f} s, read {read:.1f} s")


if __name__ == "__main__":
    main()

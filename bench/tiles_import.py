"""Import + validation + tile building of a large lot plan in EPSG:9215 (VN-2000 / TM-3 107-15).

``run(n, out)`` writes N synthetic lots (``bench.synthetic``) to a GeoPackage in EPSG:9215
(pyogrio), then times, once each:

* **read**: ``geo.importing.read.read_file`` (the import pipeline's reader: size, format,
  encoding, vertex limits);
* **validate**: ``shapely.is_valid`` over every geometry and the CRS bounds
  (``geo.crs.valid_bounds``);
* **to WGS84**: ``geo.crs.to_wgs84`` (VN-2000 → WGS84 through EPSG:6960);
* **tiles**: ``geo.tiles.build_archive`` (tippecanoe).

Returns the row (also written to ``out/tiles_import.csv``). Nothing asserts anything.
"""

from __future__ import annotations

import csv
import tempfile
import time
from pathlib import Path
from typing import Any

import pyogrio
import shapely

from bench.synthetic import SyntheticLayers, synthetic_layers
from geo.crs import to_wgs84, valid_bounds
from geo.importing.read import read_file
from geo.tiles import archive_header, build_archive

FIELDS = ["n", "gpkg_bytes", "read_s", "validate_s", "to_wgs84_s", "tiles_s", "total_s",
          "archive_bytes", "tiles", "invalid"]  # fmt: skip


def run(n: int, out: Path, layers: SyntheticLayers | None = None) -> dict[str, Any]:
    """Measure the import of ``n`` lots; write and return the row.

    ``layers``: ``synthetic_layers(n)`` if already made (200,000 lots take tens of
    seconds to make); made here otherwise.
    """
    lots = (layers if layers is not None else synthetic_layers(n)).parcels
    keep = ["name_vi", "status", "area_ha", "kind", "geometry"]
    lots = lots[keep].to_crs(9215).reset_index()
    with tempfile.TemporaryDirectory(prefix="lsz-bench-import-") as work:
        gpkg = Path(work) / "lots_vn2000.gpkg"
        pyogrio.write_dataframe(lots, gpkg, layer="lots")
        row: dict[str, Any] = {"n": n, "gpkg_bytes": gpkg.stat().st_size}
        start = time.perf_counter()
        (raw,) = read_file(gpkg)
        row["read_s"] = time.perf_counter() - start
        t = time.perf_counter()
        frame = raw.frame
        west, south, east, north = valid_bounds("EPSG:9215")
        x0, y0, x1, y1 = frame.total_bounds
        invalid = int((~shapely.is_valid(frame.geometry.to_numpy())).sum())
        inside = west <= x0 and x1 <= east and south <= y0 and y1 <= north
        row["invalid"] = invalid + (0 if inside else len(frame))
        row["validate_s"] = time.perf_counter() - t
        t = time.perf_counter()
        wgs84 = to_wgs84(frame.set_index("id"))
        row["to_wgs84_s"] = time.perf_counter() - t
        t = time.perf_counter()
        archive = build_archive(wgs84, Path(work) / "lots.pmtiles", layer_name="lots")
        row["tiles_s"] = time.perf_counter() - t
        row["total_s"] = time.perf_counter() - start
        row["archive_bytes"] = archive.path.stat().st_size
        row["tiles"] = archive_header(archive.path)["tiles"]
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "tiles_import.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, FIELDS)
        writer.writeheader()
        writer.writerow({k: (round(v, 3) if isinstance(v, float) else v) for k, v in row.items()})
    return row

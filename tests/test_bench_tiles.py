"""The tiles benchmark runs end to end at a tiny size and writes its outputs (nothing timed).

``explore()`` is left out here: it needs mapclassify, a benchmark-only extra
(``bench/requirements.txt``) that ``make test`` does not install.
"""

from __future__ import annotations

import csv

from bench import tiles_import, tiles_report
from bench.bench_tiles import run


def test_the_benchmark_writes_runs_tables_and_plots(tmp_path):
    runs = run([30], 1, tmp_path, variants=("folium", "ours", "tiled"), log=lambda *a, **k: None)
    rows = list(csv.DictReader(runs.open(encoding="utf-8")))
    assert [r["variant"] for r in rows] == ["folium", "ours", "tiled"]
    assert all(r["error"] == "" for r in rows), [r["error"] for r in rows]
    assert all(float(r["ready_s"]) > 0 and float(r["zoom_s"]) > 0 for r in rows)
    by_variant = {r["variant"]: r for r in rows}
    assert int(by_variant["tiled"]["fetched_bytes"]) > int(by_variant["tiled"]["html_bytes"])
    imported = tiles_import.run(40, tmp_path)
    assert imported["invalid"] == 0 and imported["tiles"] > 0
    report = tiles_report.write(runs, tmp_path / "RESULTS.md", import_row=imported)
    text = report.read_text(encoding="utf-8")
    assert "## Chromium drawn view, s" in text and "tiled (PMTiles)" in text
    assert "## The issue's targets" in text and "EPSG:9215" in text
    assert (tmp_path / "tiles_ready_s.png").stat().st_size > 1000

"""The tiles benchmark runs end to end at a tiny size and writes its outputs (nothing timed).

``explore()`` is left out here: it needs mapclassify, a benchmark-only extra
(``bench/requirements.txt``) that ``make test`` does not install. The benchmark drives
Chromium through Playwright's sync API, which refuses to run inside an asyncio loop that an
earlier test may have left in this process, so it runs in a process of its own, as
``make bench`` runs it.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
_RUN = """
import json, sys
from pathlib import Path
from bench import tiles_import, tiles_report
from bench.bench_tiles import run
out = Path(sys.argv[1])
runs = run([30], 1, out, variants=("folium", "ours", "tiled"), log=lambda *a, **k: None)
imported = tiles_import.run(40, out)
tiles_report.write(runs, out / "RESULTS.md", import_row=imported)
(out / "result.json").write_text(json.dumps({"runs": str(runs), "imported": imported}))
"""


def test_the_benchmark_writes_runs_tables_and_plots(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", _RUN, str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads((tmp_path / "result.json").read_text(encoding="utf-8"))
    rows = list(csv.DictReader(Path(result["runs"]).open(encoding="utf-8")))
    assert [r["variant"] for r in rows] == ["folium", "ours", "tiled"]
    assert all(r["error"] == "" for r in rows), [r["error"] for r in rows]
    assert all(float(r["ready_s"]) > 0 and float(r["zoom_s"]) > 0 for r in rows)
    by_variant = {r["variant"]: r for r in rows}
    assert int(by_variant["tiled"]["fetched_bytes"]) > int(by_variant["tiled"]["html_bytes"])
    imported = result["imported"]
    assert imported["invalid"] == 0 and imported["tiles"] > 0
    text = (tmp_path / "RESULTS.md").read_text(encoding="utf-8")
    assert "## Chromium drawn view, s" in text and "tiled (PMTiles)" in text
    assert "## The issue's targets" in text and "EPSG:9215" in text
    assert (tmp_path / "tiles_ready_s.png").stat().st_size > 1000

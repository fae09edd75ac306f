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
from bench import st_wire, tiles_import, tiles_report
from bench.bench_tiles import run
out = Path(sys.argv[1])
quiet = lambda *a, **k: None
runs = run([30], 2, out, variants=("folium", "ours", "tiled"), keep_archives=out / "archives",
           log=quiet)
st_wire.run_matrix([30], ["tiled"], out / "archives", out, reps=1, log=quiet)
imported = tiles_import.run(40, out)
crowd = "<!-- crowd:start -->\\n## Crowd\\nkept as written\\n<!-- crowd:end -->"
(out / "RESULTS.md").write_text("# old report\\n\\n" + crowd + "\\n", encoding="utf-8")
tiles_report.write(runs, out / "RESULTS.md", import_row=imported, wall_s=12.0)
(out / "result.json").write_text(json.dumps({"runs": str(runs), "imported": imported}))
"""
_FAIL = """
import sys
from pathlib import Path
from bench import st_wire, tiles_report
from bench.bench_tiles import Budget, page_failures, run
out = Path(sys.argv[1])
runs = run([30, 60], 1, out, variants=("folium",), budget=Budget(build_s=0),
           use_browser=False, log=lambda *a, **k: None)
# no server is started for a page that could not be built
st_wire.run_matrix([30, 60], ["folium"], out, out, page_failures=page_failures(runs),
                   log=lambda *a, **k: None)
tiles_report.write(runs, out / "RESULTS.md")
"""


def _python(code: str, out: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", code, str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_the_benchmark_writes_runs_tables_and_plots(tmp_path):
    _python(_RUN, tmp_path)
    result = json.loads((tmp_path / "result.json").read_text(encoding="utf-8"))
    rows = _rows(Path(result["runs"]))
    assert [(r["variant"], r["run"]) for r in rows] == [
        (variant, run) for variant in ("folium", "ours", "tiled") for run in ("0", "1")
    ]
    assert all(r["error"] == "" for r in rows), [r["error"] for r in rows]
    assert all(float(r["ready_s"]) > 0 and float(r["zoom_s"]) > 0 for r in rows)
    # gzip is computed on a cell's first run, and its size carried to the later runs
    assert all(0 < int(r["html_gzip_bytes"]) < int(r["html_bytes"]) for r in rows)
    assert rows[0]["html_gzip_bytes"] == rows[1]["html_gzip_bytes"]
    by_variant = {r["variant"]: r for r in rows if r["run"] == "0"}
    tiled = by_variant["tiled"]
    assert int(tiled["fetched_bytes"]) > int(tiled["html_bytes"])
    assert float(tiled["tile_build_s"]) > 0 and by_variant["folium"]["tile_build_s"] == ""
    assert float(tiled["build_s"]) >= float(tiled["tile_build_s"])
    wire = _rows(tmp_path / "tiles_wire_runs.csv")
    assert [r["event"] for r in wire] == ["first", "filter", "toggle"], wire
    assert all(r["error"] == "" and float(r["s"]) > 0 and int(r["ws_bytes"]) > 0 for r in wire)
    imported = result["imported"]
    assert imported["invalid"] == 0 and imported["tiles"] > 0
    text = (tmp_path / "RESULTS.md").read_text(encoding="utf-8")
    assert "## Chromium: navigation until the lot layer is drawn, s" in text
    assert "## Streamlit: re-run after a layer toggle, s" in text and "tiled (PMTiles)" in text
    assert "## The issue's targets" in text and "EPSG:9215" in text
    assert "This part (tiles, Streamlit re-runs, import) took 0.2 minutes." in text
    assert "<!-- wall:start -->The whole `make bench` has not recorded" in text
    assert text.rstrip().endswith("## Crowd\nkept as written\n<!-- crowd:end -->")
    assert "# old report" not in text
    assert (tmp_path / "tiles_ready_s.png").stat().st_size > 1000


def test_a_peer_over_its_budget_is_recorded_as_failed_and_the_table_says_how(tmp_path):
    _python(_FAIL, tmp_path)
    rows = _rows(tmp_path / "tiles_runs.csv")
    assert [(r["n"], r["failed_step"]) for r in rows] == [("30", "build"), ("60", "skipped")]
    assert rows[0]["error"] == "build not done in 0 s" and rows[0]["page_build_s"] == ""
    assert rows[1]["error"].startswith("not run: failed at 30 lots")
    text = (tmp_path / "RESULTS.md").read_text(encoding="utf-8")
    wire = _rows(tmp_path / "tiles_wire_runs.csv")
    assert [(r["n"], r["error"]) for r in wire] == [
        ("30", "not run: its page build failed (build not done in 0 s)"),
        ("60", "not run: its page build failed (build not done in 0 s)"),
    ]
    assert "| 30 | failed: build not done in 0 s |" in text
    assert "| 60 | not run: failed at 30 lots (build not done in 0 s) |" in text

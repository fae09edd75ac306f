"""The concurrent-viewers benchmark runs end to end at tiny sizes and writes its outputs.

Nothing timed: it checks that 1 and 2 real websocket sessions got the real app's map page
and its filter re-run (no failures), that the CSVs carry every column, that the plots are
drawn and that the marked section of RESULTS.md is replaced while the rest of the file
stays. It runs in a process of its own, as ``make bench`` runs it.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from bench.bench_crowd import RUN_FIELDS, SESSION_FIELDS
from bench.tiles_report import CROWD_END, CROWD_START

REPO = Path(__file__).resolve().parents[1]


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def test_two_tiny_crowds_write_runs_sessions_plots_and_the_marked_section(tmp_path):
    results = tmp_path / "RESULTS.md"
    results.write_text(
        f"# Tiles report\n\nkept above\n\n{CROWD_START}\nstale crowd table\n{CROWD_END}\n"
        "\nkept below\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.bench_crowd",
            "--sessions",
            "2",
            "1",
            "--repeat",
            "1",
            "--timeout",
            "60",
            "--out",
            str(tmp_path),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=240,
    )
    assert done.returncode == 0, done.stdout + done.stderr

    fields, runs = _rows(tmp_path / "crowd.csv")
    assert fields == RUN_FIELDS
    assert [(r["sessions"], r["run"]) for r in runs] == [("1", "0"), ("2", "0")]
    assert [r["failures"] for r in runs] == ["0", "0"], [r["failure_reasons"] for r in runs]
    for row in runs:
        assert float(row["open_p50_s"]) <= float(row["open_p95_s"]) <= float(row["open_max_s"])
        assert float(row["filter_p95_s"]) > 0 and float(row["cpu_filter_per_session_s"]) > 0
        assert int(row["rss_after_bytes"]) > 0 and int(row["rss_before_bytes"]) > 0
        assert int(row["rss_peak_bytes"]) >= int(row["rss_after_bytes"])
        assert float(row["open_bytes"]) > 0 and float(row["filter_bytes"]) > 0

    fields, sessions = _rows(tmp_path / "crowd_sessions.csv")
    assert fields == SESSION_FIELDS
    assert sorted((s["sessions"], s["session"]) for s in sessions) == [
        ("1", "0"),
        ("2", "0"),
        ("2", "1"),
    ]
    assert all(s["error"] == "" and float(s["filter_s"]) > 0 for s in sessions)

    for name in ("crowd_latency.png", "crowd_memory.png"):
        assert (tmp_path / name).stat().st_size > 1000

    text = results.read_text(encoding="utf-8")
    assert text.startswith("# Tiles report\n\nkept above\n") and text.rstrip().endswith(
        "kept below"
    )
    assert text.count(CROWD_START) == 1 and text.count(CROWD_END) == 1
    assert "stale crowd table" not in text
    section = text[text.index(CROWD_START) : text.index(CROWD_END)]
    assert "## Concurrent viewers" in section
    assert "| 1 | 1 |" in section and "| 2 | 1 |" in section
    assert "*Sessions held:*" in section and "*Memory per session:*" in section
    assert "sticky sessions" in section and "PMTiles archive on a static host" in section
    assert "(crowd_latency.png)" in section and "(crowd_memory.png)" in section

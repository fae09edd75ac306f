"""Benchmark the map builder against the obvious folium path and ``gdf.explore()``.

Run from the repository root::

    .venv/bin/python -m bench.bench_map                      # sizes 100 1000 10000, 5 runs
    .venv/bin/python -m bench.bench_map --sizes 50000 --repeat 3
    .venv/bin/python -m bench.bench_map --sizes 100 --repeat 1 --no-browser   # quick look

For each number of parcels N and each variant (``folium``, ``explore``, ``ours``; see
:mod:`bench.variants`) it measures, ``--repeat`` times:

* Python: build the map and render its HTML (``get_root().render()``), wall time;
* the HTML's size, raw and gzip (level 6);
* Streamlit re-run: the server-side work and the bytes ``st_folium`` is handed when a
  filter or the date changes (``folium``: the whole map again; ``ours``: the base map
  plus the project groups as ``feature_group_to_add``, as ``ui/map_panel.py`` does);
* Chromium: time from navigation start until the page has loaded, every feature
  (and, for ours, every label) is in the DOM and two animation frames have passed;
  the JS heap then, and after a forced garbage collection.

Raw runs go to ``bench/results/map_build_runs.csv`` (rows for the sizes measured are
replaced, other sizes kept), medians to ``bench/results/map_build.csv``; then run
``python -m bench.report`` for the tables and plots. Nothing here asserts anything.
"""

from __future__ import annotations

import argparse
import csv
import gc
import gzip
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from bench import browser
from bench.synthetic import synthetic_layers
from bench.variants import (
    BUILDERS,
    DIAGNOSTICS,
    VARIANTS,
    build_folium,
    localise,
    ours_rerun_payload,
    st_folium_payload,
)

RESULTS = Path(__file__).resolve().parent / "results"
RUNS_CSV = RESULTS / "map_build_runs.csv"
MEDIANS_CSV = RESULTS / "map_build.csv"
#: Where ``--name diagnostics`` writes (variants beside each other in their own session).
DIAGNOSTICS_RUNS_CSV = RESULTS / "diagnostics_runs.csv"
DIAGNOSTICS_CSV = RESULTS / "diagnostics.csv"
ENVIRONMENT_JSON = RESULTS / "environment.json"
MAPVIEW = Path(__file__).resolve().parent.parent / "geo" / "mapview.py"
#: The geo/mapview.py this process imported (others may edit it while a run goes on).
MAPVIEW_SHA1_AT_IMPORT = hashlib.sha1(MAPVIEW.read_bytes()).hexdigest()[:12]

RUN_FIELDS = [
    "n",
    "variant",
    "run",
    "python_s",
    "python_cpu_s",
    "html_bytes",
    "html_gzip_bytes",
    "rerun_python_s",
    "rerun_python_cpu_s",
    "st_script_bytes",
    "st_html_header_bytes",
    "st_feature_group_bytes",
    "load_avg_python",
    "ready_s",
    "load_s",
    "task_s",
    "script_s",
    "heap_bytes",
    "heap_after_gc_bytes",
    "load_avg_browser",
    "expected_drawn",
    "drawn",
    "js_errors",
    "failed_requests",
    "browser_error",
]
#: Columns summarised by their median (the others are constant per size and variant).
MEDIAN_FIELDS = [
    "python_s",
    "python_cpu_s",
    "html_bytes",
    "html_gzip_bytes",
    "rerun_python_s",
    "rerun_python_cpu_s",
    "st_script_bytes",
    "st_html_header_bytes",
    "st_feature_group_bytes",
    "load_avg_python",
    "ready_s",
    "load_s",
    "task_s",
    "script_s",
    "heap_bytes",
    "heap_after_gc_bytes",
    "load_avg_browser",
]
PACKAGES = (
    "folium",
    "geopandas",
    "shapely",
    "pandas",
    "numpy",
    "pyproj",
    "streamlit",
    "streamlit-folium",
    "branca",
    "jinja2",
    "playwright",
    "matplotlib",
    "mapclassify",
)


def log(message: str) -> None:
    """Print a progress line to stderr with the time."""
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def _timed(func: Any, *args: Any) -> tuple[float, float, Any]:
    """Return wall seconds, this process's CPU seconds and the result of ``func(*args)``."""
    gc.collect()
    start, start_cpu = time.perf_counter(), time.process_time()
    result = func(*args)
    return time.perf_counter() - start, time.process_time() - start_cpu, result


def _load_avg() -> float:
    """Return the 1-minute load average (other work on the machine skews wall times)."""
    return round(os.getloadavg()[0], 2)


def wait_until_quiet(max_load: float, max_wait_s: float) -> None:
    """Wait (at most ``max_wait_s``) until the 1-minute load average is below ``max_load``."""
    deadline = time.monotonic() + max_wait_s
    while _load_avg() >= max_load and time.monotonic() < deadline:
        log(f"load average {_load_avg()} >= {max_load}: waiting for a quieter machine")
        time.sleep(20)


def _rerun(variant: str, data: Any) -> dict[str, int] | None:
    """What a Streamlit re-run after a filter change computes for st_folium."""
    if variant == "ours":
        return ours_rerun_payload(data)
    if variant == "folium":
        return st_folium_payload(build_folium(data).fmap)
    return None  # explore() is not meant for st_folium re-runs; not measured


ALL_VARIANTS = VARIANTS + DIAGNOSTICS


def python_runs(
    n: int, repeat: int, pages: Path, variants: Sequence[str]
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Build and render every variant ``repeat`` times; write the last HTML of each to ``pages``.

    Returns the rows and, per variant, the number of objects the browser must draw.
    """
    data = synthetic_layers(n)
    rows: list[dict[str, Any]] = []
    expected: dict[str, int] = {}
    for variant in variants:
        for run in range(repeat):
            seconds, cpu_seconds, built = _timed(BUILDERS[variant], data)
            raw = built.html.encode()
            row: dict[str, Any] = {
                "n": n,
                "variant": variant,
                "run": run,
                "python_s": round(seconds, 4),
                "python_cpu_s": round(cpu_seconds, 4),
                "load_avg_python": _load_avg(),
                "html_bytes": len(raw),
                "html_gzip_bytes": len(gzip.compress(raw, compresslevel=6, mtime=0)),
                "expected_drawn": built.expected_drawn,
            }
            expected[variant] = built.expected_drawn
            if run == repeat - 1:
                page = browser.offline_page(localise(built.html))
                (pages / f"{variant}_{n}.html").write_text(page, encoding="utf-8")
            del built, raw
            rerun_s, rerun_cpu_s, payload = _timed(_rerun, variant, data)
            if payload is not None:
                row.update(
                    rerun_python_s=round(rerun_s, 4),
                    rerun_python_cpu_s=round(rerun_cpu_s, 4),
                    st_script_bytes=payload["script"],
                    st_html_header_bytes=payload["html_header"],
                    st_feature_group_bytes=payload["feature_group"],
                )
            rows.append(row)
            log(
                f"N={n} {variant} run {run + 1}/{repeat}: build+render {seconds:.2f} s, "
                f"{row['html_bytes'] / 1e6:.2f} MB; re-run {rerun_s:.2f} s"
            )
    return rows, expected


def browser_runs(
    sizes: Sequence[int],
    variants: Sequence[str],
    repeat: int,
    pages: Path,
    expected: dict[tuple[int, str], int],
    timeout_s: float,
) -> tuple[dict[tuple[int, str, int], browser.PageResult], str]:
    """Load every page ``repeat`` times, variants interleaved so drift hits all alike."""
    results: dict[tuple[int, str, int], browser.PageResult] = {}
    with browser.http_server(pages) as url, browser.chromium() as chrome:
        version = chrome.version
        # Two discarded loads per variant: the first pages of a browser pay for its start-up.
        for _ in range(2):
            for variant in variants:
                browser.load_page(
                    chrome,
                    f"{url}/{variant}_{sizes[0]}.html",
                    expected[sizes[0], variant],
                    timeout_s,
                )
        for n in sizes:
            for run in range(repeat):
                for variant in variants:
                    result = browser.load_page(
                        chrome, f"{url}/{variant}_{n}.html", expected[n, variant], timeout_s
                    )
                    result.load_avg = _load_avg()
                    results[n, variant, run] = result
                    ready = "-" if result.ready_s is None else f"{result.ready_s:.2f}"
                    log(
                        f"N={n} {variant} browser run {run + 1}/{repeat}: ready {ready} s,"
                        f" heap {(result.heap_bytes or 0) / 1e6:.0f} MB"
                        + (f" ERROR {result.error}" if result.error else "")
                    )
    return results, version


def _median(values: list[Any]) -> Any:
    present = [float(v) for v in values if v not in (None, "")]
    return round(statistics.median(present), 4) if present else ""


def write_results(
    rows: list[dict[str, Any]], runs_csv: Path = RUNS_CSV, medians_csv: Path = MEDIANS_CSV
) -> None:
    """Merge ``rows`` into the runs CSV and rewrite the medians CSV.

    Rows of the sizes and variants just measured replace the stored ones; others stay.
    """
    measured = {(int(r["n"]), r["variant"]) for r in rows}
    kept: list[dict[str, Any]] = []
    if runs_csv.exists():
        with runs_csv.open(newline="") as f:
            kept = [r for r in csv.DictReader(f) if (int(r["n"]), r["variant"]) not in measured]
    merged = kept + rows
    merged.sort(key=lambda r: (int(r["n"]), ALL_VARIANTS.index(r["variant"]), int(r["run"])))
    with runs_csv.open("w", newline="") as f:
        writer = csv.DictWriter(f, RUN_FIELDS)
        writer.writeheader()
        writer.writerows({k: r.get(k, "") for k in RUN_FIELDS} for r in merged)
    groups: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for r in merged:
        groups.setdefault((int(r["n"]), r["variant"]), []).append(r)
    with medians_csv.open("w", newline="") as f:
        fields = ["n", "variant", "runs", "browser_runs", *MEDIAN_FIELDS, "expected_drawn",
                  "js_errors", "browser_errors"]  # fmt: skip
        writer = csv.DictWriter(f, fields)
        writer.writeheader()
        for (n, variant), group in sorted(
            groups.items(), key=lambda kv: (kv[0][0], ALL_VARIANTS.index(kv[0][1]))
        ):
            row: dict[str, Any] = {"n": n, "variant": variant, "runs": len(group)}
            row["browser_runs"] = sum(1 for r in group if r.get("ready_s") not in (None, ""))
            for field in MEDIAN_FIELDS:
                row[field] = _median([r.get(field) for r in group])
            row["expected_drawn"] = group[0].get("expected_drawn", "")
            row["js_errors"] = max(int(r.get("js_errors") or 0) for r in group)
            row["browser_errors"] = sum(1 for r in group if r.get("browser_error"))
            writer.writerow(row)


def _git(*args: str) -> str:
    try:
        out = subprocess.run(
            ["git", *args], cwd=MAPVIEW.parent.parent, capture_output=True, text=True, timeout=20
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return out.stdout.strip()


def environment(chromium_version: str | None) -> dict[str, Any]:
    """Describe the machine and versions the numbers were measured with."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        mem_kb = 0
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    debian = Path("/etc/debian_version")
    return {
        "date_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_head": _git("rev-parse", "--short", "HEAD"),
        # Others edit geo/ meanwhile: which mapview.py was measured (sha1 of the file's
        # bytes when this process imported it; compare `git show <rev>:geo/mapview.py |
        # sha1sum`), and whether the file on disk differs from HEAD at the end.
        "geo_mapview_sha1": MAPVIEW_SHA1_AT_IMPORT,
        "geo_mapview_dirty": bool(_git("status", "--porcelain", "--", "geo/mapview.py")),
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "memory_gb": round(mem_kb / 1e6, 1),
        "os": f"Debian {debian.read_text().strip()}" if debian.exists() else platform.platform(),
        "python": platform.python_version(),
        "chromium": chromium_version,
        "packages": versions,
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--repeat", type=int, default=5, help="runs per size and variant")
    parser.add_argument(
        "--variants", nargs="+", choices=ALL_VARIANTS, default=list(VARIANTS), help="what to run"
    )
    parser.add_argument(
        "--browser-repeat", type=int, default=None, help="page loads per size and variant"
    )
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium part")
    parser.add_argument("--timeout", type=float, default=240, help="seconds per page load")
    parser.add_argument(
        "--name",
        choices=["map_build", "diagnostics"],
        default="map_build",
        help="which results files to merge into (diagnostics: results/diagnostics*.csv)",
    )
    parser.add_argument("--pages", type=Path, default=None, help="keep the HTML pages here")
    parser.add_argument(
        "--quiet-load",
        type=float,
        default=None,
        help="before starting, wait (up to 10 min) for the 1-min load average to fall below this",
    )
    args = parser.parse_args(argv)
    if args.quiet_load is not None:
        wait_until_quiet(args.quiet_load, 600)
    browser_repeat = args.repeat if args.browser_repeat is None else args.browser_repeat

    RESULTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench_map_") as scratch:
        pages = browser.stage_dir(args.pages or Path(scratch))
        log("warm-up (imports, first calls): one discarded build per variant at N=100")
        warm = synthetic_layers(100)
        for variant in args.variants:
            BUILDERS[variant](warm)
            _rerun(variant, warm)
        rows: list[dict[str, Any]] = []
        expected: dict[tuple[int, str], int] = {}
        for n in args.sizes:
            size_rows, size_expected = python_runs(n, args.repeat, pages, args.variants)
            rows += size_rows
            expected.update({(n, v): e for v, e in size_expected.items()})
            gc.collect()
        chromium_version = None
        if not args.no_browser:
            results, chromium_version = browser_runs(
                args.sizes, args.variants, browser_repeat, pages, expected, args.timeout
            )
            for row in rows:
                result = results.get((row["n"], row["variant"], row["run"]))
                if result is None:
                    continue
                row.update(
                    ready_s=None if result.ready_s is None else round(result.ready_s, 4),
                    load_s=None if result.load_s is None else round(result.load_s, 4),
                    task_s=None if result.task_s is None else round(result.task_s, 4),
                    script_s=None if result.script_s is None else round(result.script_s, 4),
                    load_avg_browser=result.load_avg,
                    heap_bytes=result.heap_bytes,
                    heap_after_gc_bytes=result.heap_after_gc_bytes,
                    drawn=result.drawn,
                    js_errors=result.js_errors,
                    failed_requests=result.failed_requests,
                    browser_error=result.error or "",
                )
    if args.name == "diagnostics":
        write_results(rows, DIAGNOSTICS_RUNS_CSV, DIAGNOSTICS_CSV)
    else:
        write_results(rows)
    env = environment(chromium_version)
    previous = json.loads(ENVIRONMENT_JSON.read_text()) if ENVIRONMENT_JSON.exists() else {}
    runs = previous.get("runs", [])
    runs.append(
        {
            "name": args.name,
            "sizes": args.sizes,
            "variants": args.variants,
            "repeat": args.repeat,
            "browser_repeat": browser_repeat,
            "browser": not args.no_browser,
            **env,
        }
    )
    ENVIRONMENT_JSON.write_text(json.dumps({"runs": runs}, indent=2, ensure_ascii=False) + "\n")
    log(f"wrote results for {args.name}")


if __name__ == "__main__":
    main()

"""Tables, ratios, targets and log-log plots of ``tiles_runs.csv`` → ``RESULTS.md``.

``python -m bench.tiles_report [RUNS_CSV] [RESULTS_MD]`` (defaults: ``bench/results/
tiles_runs.csv`` → ``bench/RESULTS.md``); :func:`write` is what ``bench.bench_tiles``
calls. Plots go next to the runs CSV (``tiles_<metric>.png``) and are linked relatively.
"""

from __future__ import annotations

import csv
import os
import platform
import statistics
import sys
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

VARIANT_NAMES = {
    "explore": "`gdf.explore()`",
    "folium": "obvious folium",
    "ours": "inline builder (`build_map`)",
    "tiled": "tiled (PMTiles)",
}
#: metric, heading, unit scale, unit
METRICS = [
    ("build_s", "build (incl. tiles), s", 1, "s"),
    ("html_bytes", "first view HTML, MB", 1e-6, "MB"),
    ("html_gzip_bytes", "first view HTML gzip, MB", 1e-6, "MB"),
    ("fetched_bytes", "first view fetched by Chromium, MB", 1e-6, "MB"),
    ("rerun_bytes", "filter change: st_folium payload, MB", 1e-6, "MB"),
    ("rerun_gzip_bytes", "filter change payload gzip, MB", 1e-6, "MB"),
    ("rerun_python_s", "filter change: server Python, s", 1, "s"),
    ("ready_s", "Chromium drawn view, s", 1, "s"),
    ("zoom_s", "redraw after zoom-in, s", 1, "s"),
    ("pan_s", "redraw after 400 px pan, s", 1, "s"),
    ("heap_bytes", "JS heap when drawn, MB", 1e-6, "MB"),
]
#: (n, metric, peer, target ratio tiled ÷ peer, what the issue says)
TARGETS = [
    (10_000, "rerun_python_s", "folium", 0.1, "re-run after a filter ≤ 0.1× obvious"),
    (10_000, "rerun_bytes", "folium", 0.05, "bytes for a filter change ≤ 0.05× obvious"),
    (10_000, "ready_s", "folium", 0.3, "browser ready ≤ 0.3× obvious"),
    (10_000, "build_s", "explore", 0.5, "build ≤ 0.5× `explore()`"),
    (50_000, "ready_s", "folium", 0.1, "browser ready ≤ 0.1× obvious"),
    (200_000, "ready_s", "folium", 0.1, "browser ready ≤ 0.1× obvious"),
]


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def summarise(rows: list[dict[str, str]]) -> dict[tuple[int, str], dict[str, Any]]:
    """Return, per (n, variant), each metric's (median, min, max, runs) and errors."""
    groups: dict[tuple[int, str], list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        groups[(int(row["n"]), row["variant"])].append(row)
    out: dict[tuple[int, str], dict[str, Any]] = {}
    for key, group in groups.items():
        cell: dict[str, Any] = {"errors": sorted({r["error"] for r in group if r["error"]})}
        for metric, *_ in METRICS:
            values = [float(r[metric]) for r in group if r.get(metric) not in ("", None)]
            if values:
                cell[metric] = (statistics.median(values), min(values), max(values), len(values))
        out[key] = cell
    return out


def _fmt(value: float) -> str:
    if value == 0:
        return "0"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def _cell(summary: dict[str, Any], metric: str, scale: float) -> str:
    if metric not in summary:
        return "—"
    median, low, high, _runs = summary[metric]
    return f"{_fmt(median * scale)} ({_fmt(low * scale)}–{_fmt(high * scale)})"


def _ratio(summaries, n: int, metric: str, peer: str) -> float | None:
    ours = summaries.get((n, "tiled"), {}).get(metric)
    theirs = summaries.get((n, peer), {}).get(metric)
    if not ours or not theirs or theirs[0] == 0:
        return None
    return ours[0] / theirs[0]


def _plot(summaries, sizes: list[int], metric: str, heading: str, path: Path) -> bool:
    fig, ax = plt.subplots(figsize=(5.5, 3.6))
    drawn = False
    for variant, label in VARIANT_NAMES.items():
        points = [
            (n, summaries[(n, variant)][metric][0])
            for n in sizes
            if metric in summaries.get((n, variant), {}) and summaries[(n, variant)][metric][0] > 0
        ]
        if points:
            ax.plot(*zip(*points, strict=True), marker="o", label=label.replace("`", ""))
            drawn = True
    if not drawn:
        plt.close(fig)
        return False
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("lots")
    ax.set_title(heading, fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return True


def write(runs_csv: Path, results_md: Path, *, import_row: dict[str, Any] | None = None) -> Path:
    """Write the report of ``runs_csv`` to ``results_md`` (and the plots beside the CSV)."""
    rows = _read(runs_csv)
    summaries = summarise(rows)
    imported = runs_csv.parent / "tiles_import.csv"
    if import_row is None and imported.exists():
        (saved,) = _read(imported)
        import_row = {k: float(v) if "." in v else int(v) for k, v in saved.items()}
    sizes = sorted({n for n, _ in summaries})
    variants = [v for v in VARIANT_NAMES if any(v == key[1] for key in summaries)]
    lines = [
        "# Map benchmark: tiled lots against the peers",
        "",
        f"Generated by `make bench` (`python -m bench.bench_tiles`) on "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; method in `bench/bench_tiles.py` and "
        "`bench/README.md`. Synthetic lots (`bench/synthetic.py`: 0.5–2 ha, 5–12 vertices, "
        "Vietnamese names; plus 3 roads and 10 gates), the same data for every variant. "
        "Cells: median (min–max) of the runs; runs per cell in the CSV "
        f"(`{runs_csv.name}`).",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{sys.version.split()[0]}; shared with other work (load average per run in the CSV).",
        "",
    ]
    for metric, heading, scale, _unit in METRICS:
        if not any(metric in summaries[k] for k in summaries):
            continue
        lines += [f"## {heading}", ""]
        lines.append("| lots | " + " | ".join(VARIANT_NAMES[v] for v in variants) + " |")
        lines.append("|---:|" + "---:|" * len(variants))
        for n in sizes:
            cells = [_cell(summaries.get((n, v), {}), metric, scale) for v in variants]
            lines.append(f"| {n:,} | " + " | ".join(cells) + " |")
        png = runs_csv.parent / f"tiles_{metric}.png"
        if _plot(summaries, sizes, metric, heading, png):
            rel = os.path.relpath(png, results_md.parent)
            lines += ["", f"![{heading}]({rel})"]
        lines.append("")
    lines += ["## Ratios, tiled ÷ each peer (below 1: tiled is better)", ""]
    peers = [p for p in ("folium", "explore", "ours") if p in variants]
    lines.append("| metric | lots | " + " | ".join(VARIANT_NAMES[p] for p in peers) + " |")
    lines.append("|---|---:|" + "---:|" * len(peers))
    for metric, heading, *_ in METRICS:
        for n in sizes:
            ratios = [_ratio(summaries, n, metric, p) for p in peers]
            if any(r is not None for r in ratios):
                cells = ["—" if r is None else f"{r:.3g}×" for r in ratios]
                lines.append(f"| {heading} | {n:,} | " + " | ".join(cells) + " |")
    lines += ["", "## The issue's targets", ""]
    lines.append("| lots | target | measured | met |")
    lines.append("|---:|---|---:|---|")
    for n, metric, peer, target, text in TARGETS:
        ratio = _ratio(summaries, n, metric, peer)
        if ratio is None:
            peer_errors = summaries.get((n, peer), {}).get("errors") or ["not measured"]
            lines.append(f"| {n:,} | {text} | — | peer: {'; '.join(peer_errors)} |")
        else:
            met = "yes" if ratio <= target else f"no (by {ratio / target:.1f}×)"
            lines.append(f"| {n:,} | {text} | {ratio:.3g}× | {met} |")
    failures = [
        f"- {n:,} lots, {VARIANT_NAMES[v]}: {'; '.join(c['errors'])}"
        for (n, v), c in sorted(summaries.items())
        if c["errors"]
    ]
    if failures:
        lines += ["", "## Failed or not run", "", *failures]
    if import_row:
        lines += [
            "",
            "## Import + validation + tiles of a lot plan in EPSG:9215 (one run)",
            "",
            "| lots | GeoPackage, MB | read (`read_file`), s | validate, s | to WGS84, s "
            "| tiles, s | total, s | archive, MB | tiles | invalid |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
            f"| {import_row['n']:,} | {import_row['gpkg_bytes'] / 1e6:.1f} "
            f"| {import_row['read_s']:.2f} | {import_row['validate_s']:.2f} "
            f"| {import_row['to_wgs84_s']:.2f} | {import_row['tiles_s']:.2f} "
            f"| {import_row['total_s']:.2f} | {import_row['archive_bytes'] / 1e6:.1f} "
            f"| {import_row['tiles']:,} | {import_row['invalid']} |",
        ]
    notes = Path(__file__).resolve().parent / "tiles_notes.md"
    if notes.exists():  # the hand-written reading of the last committed run
        lines += ["", notes.read_text(encoding="utf-8").rstrip()]
    results_md.parent.mkdir(parents=True, exist_ok=True)
    results_md.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return results_md


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    runs = Path(sys.argv[1]) if len(sys.argv) > 1 else here / "results" / "tiles_runs.csv"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else here / "RESULTS.md"
    write(runs, out)

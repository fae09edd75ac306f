"""Tables, ratios, targets and log-log plots of the tiles benchmark → ``RESULTS.md``.

``python -m bench.tiles_report [RUNS_CSV] [RESULTS_MD]`` (defaults: ``bench/results/
tiles_runs.csv`` → ``bench/RESULTS.md``); :func:`write` is what ``bench.bench_tiles``
calls. It reads the page runs (``tiles_runs.csv``), the real-Streamlit re-runs beside it
(``tiles_wire_runs.csv``, :mod:`bench.st_wire`) and the import (``tiles_import.csv``).
Plots go next to the runs CSV (``tiles_<metric>.png``) and are linked relatively.

A cell is "median (min–max) ×runs" of the runs that finished, or "failed: how" when
none did (a step over its budget, a crashed tab, a killed build: ``bench.bench_tiles``),
or "not run: why". The targets table is computed from the same summaries. A section of
an existing ``RESULTS.md`` between :data:`CROWD_START` and :data:`CROWD_END` (written by
``bench/bench_crowd.py``) is kept as it is, at the end.
"""

from __future__ import annotations

import csv
import json
import os
import platform
import re
import statistics
import sys
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from bench import clock

VARIANT_NAMES = {
    "explore": "`gdf.explore()`",
    "folium": "obvious folium",
    "ours": "inline builder (`build_map`)",
    "tiled": "tiled (PMTiles)",
}
PEERS = ("folium", "explore", "ours")
#: metric, heading, unit scale, source ("page": tiles_runs.csv, "wire": tiles_wire_runs.csv)
METRICS = [
    ("page_build_s", "page build (HTML), s", 1, "page"),
    ("tile_build_s", "tile build (tippecanoe, once per layer version), s", 1, "page"),
    ("build_s", "build incl. tiles (page + tile build), s", 1, "page"),
    ("html_bytes", "first view HTML, MB", 1e-6, "page"),
    ("html_gzip_bytes", "first view HTML gzip, MB", 1e-6, "page"),
    ("fetched_bytes", "first view fetched by Chromium, MB", 1e-6, "page"),
    ("ready_s", "Chromium: navigation until the lot layer is drawn, s", 1, "page"),
    ("zoom_s", "redraw after zoom-in, s", 1, "page"),
    ("pan_s", "redraw after 400 px pan, s", 1, "page"),
    ("heap_bytes", "JS heap when drawn, MB", 1e-6, "page"),
    ("build_peak_rss_bytes", "page build: peak resident memory, MB", 1e-6, "page"),
    ("first.s", "Streamlit: first run, s (to done)", 1, "wire"),
    ("first.ws_bytes", "Streamlit: first run websocket, MB", 1e-6, "wire"),
    ("filter.s", "Streamlit: re-run after a filter change, s", 1, "wire"),
    ("filter.ws_bytes", "Streamlit: filter change websocket, MB", 1e-6, "wire"),
    ("filter.ws_gzip_bytes", "Streamlit: filter change websocket gzip, MB", 1e-6, "wire"),
    ("toggle.s", "Streamlit: re-run after a layer toggle, s", 1, "wire"),
    ("toggle.ws_bytes", "Streamlit: layer toggle websocket, MB", 1e-6, "wire"),
]
#: (n, metric, peer, target ratio tiled ÷ peer, what the issue says)
TARGETS = [
    (10_000, "filter.s", "folium", 0.1, "re-run after a filter change ≤ 0.1× obvious"),
    (10_000, "toggle.s", "folium", 0.1, "re-run after a layer toggle ≤ 0.1× obvious"),
    (10_000, "filter.ws_bytes", "folium", 0.05, "bytes for a filter change ≤ 0.05× obvious"),
    (10_000, "ready_s", "folium", 0.3, "browser ready ≤ 0.3× obvious"),
    (10_000, "page_build_s", "explore", 0.5, "build ≤ 0.5× `explore()` (page build)"),
    (10_000, "build_s", "explore", 0.5, "build ≤ 0.5× `explore()` (page + tile build)"),
    (50_000, "ready_s", "folium", 0.1, "browser ready ≤ 0.1× obvious"),
    (200_000, "ready_s", "folium", 0.1, "browser ready ≤ 0.1× obvious"),
]
#: Redraw "not growing with the layer": the tiled median at N within this factor of 10,000's.
REDRAW_BASE_N = 10_000
REDRAW_GROWTH_MAX = 1.5
CROWD_START = "<!-- crowd:start -->"
CROWD_END = "<!-- crowd:end -->"
META_NAME = "tiles_meta.json"


def _read(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _values(group: list[dict[str, str]], key: str) -> list[float]:
    return [float(r[key]) for r in group if r.get(key) not in ("", None)]


def summarise(
    rows: list[dict[str, str]], wire_rows: list[dict[str, str]] | None = None
) -> dict[tuple[int, str], dict[str, Any]]:
    """Return, per (n, variant), each metric's (median, min, max, runs) and the errors.

    Examples
    --------
    >>> s = summarise([{"n": "10", "variant": "tiled", "ready_s": "2", "error": ""},
    ...                {"n": "10", "variant": "tiled", "ready_s": "4", "error": ""},
    ...                {"n": "10", "variant": "folium", "error": "not drawn in 60 s"}])
    >>> s[(10, "tiled")]["ready_s"], s[(10, "folium")]["errors"]
    ((3.0, 2.0, 4.0, 2), ['not drawn in 60 s'])
    """
    page: dict[tuple[int, str], list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        page[(int(row["n"]), row["variant"])].append(row)
    wire: dict[tuple[int, str], list[dict[str, str]]] = defaultdict(list)
    for row in wire_rows or []:
        wire[(int(row["n"]), row["variant"])].append(row)
    out: dict[tuple[int, str], dict[str, Any]] = {}
    for key in sorted(set(page) | set(wire)):
        cell: dict[str, Any] = {
            "errors": sorted({r["error"] for r in page.get(key, []) if r.get("error")}),
            "wire_errors": sorted({r["error"] for r in wire.get(key, []) if r.get("error")}),
        }
        for metric, *_rest, source in METRICS:
            if source == "page":
                values = _values(page.get(key, []), metric)
            else:
                event, field = metric.split(".")
                values = _values([r for r in wire.get(key, []) if r["event"] == event], field)
            if values:
                cell[metric] = (statistics.median(values), min(values), max(values), len(values))
        out[key] = cell
    return out


def figure(value: float) -> str:
    """Write a measured figure with the digits that mean something (tables and the prose).

    Examples
    --------
    >>> figure(1234.5), figure(3.14159), figure(0.012345), figure(0)
    ('1,234', '3.14', '0.0123', '0')
    """
    if value == 0:
        return "0"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def _failure_text(errors: list[str]) -> str:
    first = errors[0]
    return first if first.startswith("not run") else f"failed: {first}"


def _cell(summary: dict[str, Any], metric: str, scale: float, source: str) -> str:
    errors = summary.get("errors" if source == "page" else "wire_errors") or []
    if metric not in summary:
        if metric == "tile_build_s" or not errors:
            return "—"
        return _failure_text(errors)
    median, low, high, runs = summary[metric]
    text = f"{figure(median * scale)} ({figure(low * scale)}–{figure(high * scale)}) ×{runs}"
    if errors:
        text += f"; then {_failure_text(errors)}"
    return text


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
    ax.set_title(heading, fontsize=9)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return True


def target_rows(summaries: dict[tuple[int, str], dict[str, Any]]) -> list[tuple[str, ...]]:
    """Return the targets table's rows: (lots, target, required, measured, met).

    A peer that failed the step the target compares (a budget of B seconds exceeded)
    took longer than B: the ratio is then at most tiled ÷ B, and met when that bound is.
    A peer that failed an earlier step (the build) gives no ratio: "peer failed".
    """
    out = []
    for n, metric, peer, target, text in TARGETS:
        required = f"≤ {target:g}×"
        ratio = _ratio(summaries, n, metric, peer)
        if ratio is not None:
            met = "yes" if ratio <= target else f"no (by {ratio / target:.1f}×)"
            out.append((f"{n:,}", text, required, f"{ratio:.3g}×", met))
            continue
        tiled = summaries.get((n, "tiled"), {}).get(metric)
        cell = summaries.get((n, peer), {})
        errors = cell.get("wire_errors" if "." in metric else "errors") or []
        bound = _budget_in(errors[0]) if errors and not errors[0].startswith("not run") else None
        if tiled and bound and _failed_this_step(metric, errors[0]):
            upper = tiled[0] / bound
            met = "yes" if upper <= target else "not shown"
            measured = f"< {upper:.3g}× (peer {_failure_text(errors)})"
            out.append((f"{n:,}", text, required, measured, met))
        elif tiled and errors:
            out.append((f"{n:,}", text, required, f"— (peer {_failure_text(errors)})",
                        "peer failed"))  # fmt: skip
        else:
            out.append((f"{n:,}", text, required, "—", "not measured"))
    for n in sorted({n for n, _ in summaries}):
        if n <= REDRAW_BASE_N:
            continue
        for metric, what in (("zoom_s", "zoom"), ("pan_s", "pan")):
            base = summaries.get((REDRAW_BASE_N, "tiled"), {}).get(metric)
            here = summaries.get((n, "tiled"), {}).get(metric)
            text = f"redraw after a {what} not growing with the layer (tiled, vs 10,000 lots)"
            required = f"≤ {REDRAW_GROWTH_MAX:g}× the 10,000-lot median"
            if not base or not here:
                out.append((f"{n:,}", text, required, "—", "not measured"))
                continue
            growth = here[0] / base[0]
            met = "yes" if growth <= REDRAW_GROWTH_MAX else f"no ({growth:.2g}×)"
            measured = f"{figure(here[0])} s vs {figure(base[0])} s = {growth:.2g}×"
            out.append((f"{n:,}", text, required, measured, met))
    return out


def _budget_in(error: str) -> float | None:
    """The seconds of a "… in 60 s" failure, else ``None``.

    Examples
    --------
    >>> _budget_in("not drawn in 60 s"), _budget_in("Chromium tab crashed")
    (60.0, None)
    """
    found = re.search(r"\bin (\d+(?:\.\d+)?) s\b", error)
    return float(found[1]) if found else None


def _failed_this_step(metric: str, error: str) -> bool:
    if metric == "ready_s":
        return error.startswith("not drawn")
    if "." in metric:
        return error.startswith(metric.split(".")[0])
    return error.startswith("build")


def _kept_crowd_section(results_md: Path) -> str | None:
    if not results_md.exists():
        return None
    text = results_md.read_text(encoding="utf-8")
    start, end = text.find(CROWD_START), text.find(CROWD_END)
    if start < 0 or end < start:
        return None
    return text[start : end + len(CROWD_END)]


def load_range(rows: list[dict[str, str]], field: str) -> str | None:
    """The machine's 1-minute load average in ``field`` over ``rows``: median (min–max).

    The reports' one way of saying how busy the machine was; None if none was recorded.

    Examples
    --------
    >>> load_range([{"load_avg": "0.5"}, {"load_avg": "2.5"}, {"load_avg": ""}], "load_avg")
    '1.5 median (0.5–2.5)'
    >>> load_range([{"load_avg": ""}], "load_avg") is None
    True
    """
    loads = [float(r[field]) for r in rows if r.get(field)]
    if not loads:
        return None
    return f"{statistics.median(loads):.2g} median ({min(loads):.2g}–{max(loads):.2g})"


def _load_summary(rows: list[dict[str, str]]) -> str:
    """How busy the machine was: the 1-minute load average over the runs.

    Examples
    --------
    >>> _load_summary([{"load_avg": "0.5"}, {"load_avg": "2.5"}, {"load_avg": ""}])
    'load average 1.5 median (0.5–2.5) over the runs (per run in the CSVs)'
    """
    loads = load_range(rows, "load_avg")
    if loads is None:
        return "load average not recorded"
    return f"load average {loads} over the runs (per run in the CSVs)"


def write(
    runs_csv: Path,
    results_md: Path,
    *,
    import_row: dict[str, Any] | None = None,
    wall_s: float | None = None,
) -> Path:
    """Write the report of ``runs_csv`` to ``results_md`` (and the plots beside the CSV).

    ``wall_s``: the whole benchmark's wall time (saved beside the CSV, so a report
    regenerated later still says it).
    """
    results = runs_csv.parent
    rows = _read(runs_csv)
    wire_rows = _read(results / "tiles_wire_runs.csv")
    summaries = summarise(rows, wire_rows)
    meta_path = results / META_NAME
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    if wall_s is not None:
        meta = {"wall_s": round(wall_s, 1), "finished": f"{datetime.now(UTC):%Y-%m-%d %H:%M}"}
        meta_path.write_text(json.dumps(meta) + "\n", encoding="utf-8")
    imported = results / "tiles_import.csv"
    if import_row is None and imported.exists():
        (saved,) = _read(imported)
        import_row = {k: float(v) if "." in v else int(v) for k, v in saved.items()}
    sizes = sorted({n for n, _ in summaries})
    variants = [v for v in VARIANT_NAMES if any(v == key[1] for key in summaries)]
    tiles_wall = (
        f" This part (tiles, Streamlit re-runs, import) took {meta['wall_s'] / 60:.1f} minutes."
        if meta.get("wall_s")
        else ""
    )
    wall = f" {clock.WALL_START}{clock.kept_wall(results)}{clock.WALL_END}{tiles_wall}"
    lines = [
        "# Map benchmark: tiled lots against the peers",
        "",
        f"Generated by `make bench` (`python -m bench.bench_tiles`), measured until "
        f"{meta.get('finished') or f'{datetime.now(UTC):%Y-%m-%d %H:%M}'} UTC; method in "
        "`bench/bench_tiles.py`, "
        "`bench/st_wire.py` and `bench/README.md`. Synthetic lots (`bench/synthetic.py`: "
        "0.5–2 ha, 5–12 vertices, Vietnamese names; plus 3 roads and 10 gates), the same "
        "data for every variant. Cells: median (min–max) ×runs of the runs that finished; "
        '"failed: …" when a step went over its budget or crashed (how is said); every run '
        f"in the CSVs (`{runs_csv.name}`, `tiles_wire_runs.csv`).{wall}",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{sys.version.split()[0]}; {_load_summary(rows + wire_rows)}.",
        "",
        "## The issue's targets (computed from the tables below)",
        "",
        "| lots | target | required | measured | met |",
        "|---:|---|---|---|---|",
    ]
    lines += ["| " + " | ".join(r) + " |" for r in target_rows(summaries)]
    lines.append("")
    for metric, heading, scale, source in METRICS:
        errors = "errors" if source == "page" else "wire_errors"
        failed_only = metric != "tile_build_s" and any(c[errors] for c in summaries.values())
        if not any(metric in summaries[k] for k in summaries) and not failed_only:
            continue
        lines += [f"## {heading}", ""]
        lines.append("| lots | " + " | ".join(VARIANT_NAMES[v] for v in variants) + " |")
        lines.append("|---:|" + "---:|" * len(variants))
        for n in sizes:
            cells = [_cell(summaries.get((n, v), {}), metric, scale, source) for v in variants]
            lines.append(f"| {n:,} | " + " | ".join(cells) + " |")
        png = results / f"tiles_{metric.replace('.', '_')}.png"
        if _plot(summaries, sizes, metric, heading, png):
            rel = os.path.relpath(png, results_md.parent)
            lines += ["", f"![{heading}]({rel})"]
        lines.append("")
    lines += ["## Ratios, tiled ÷ each peer (below 1: tiled is better)", ""]
    peers = [p for p in PEERS if p in variants]
    lines.append("| metric | lots | " + " | ".join(VARIANT_NAMES[p] for p in peers) + " |")
    lines.append("|---|---:|" + "---:|" * len(peers))
    for metric, heading, *_ in METRICS:
        for n in sizes:
            ratios = [_ratio(summaries, n, metric, p) for p in peers]
            if any(r is not None for r in ratios):
                cells = ["—" if r is None else f"{r:.3g}×" for r in ratios]
                lines.append(f"| {heading} | {n:,} | " + " | ".join(cells) + " |")
    failures = [
        f"- {n:,} lots, {VARIANT_NAMES[v]}: " + "; ".join(c["errors"] + c["wire_errors"])
        for (n, v), c in sorted(summaries.items())
        if c["errors"] or c["wire_errors"]
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
    crowd = _kept_crowd_section(results_md)
    if crowd:
        lines += ["", crowd]
    results_md.parent.mkdir(parents=True, exist_ok=True)
    results_md.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return results_md


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    runs = Path(sys.argv[1]) if len(sys.argv) > 1 else here / "results" / "tiles_runs.csv"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else here / "RESULTS.md"
    write(runs, out)

"""Tables, the computed capacity and log-log plots of ``crowd.csv`` → a section of ``RESULTS.md``.

``python -m bench.crowd_report [CROWD_CSV] [RESULTS_MD]`` (defaults: ``bench/results/
crowd.csv`` → ``bench/RESULTS.md``); :func:`write` is what ``bench.bench_crowd`` calls.
The section sits between ``<!-- crowd:start -->`` and ``<!-- crowd:end -->``: it replaces
what is between the markers, or is appended when they are absent; the rest of the file is
kept. Plots go next to the CSV (``crowd_*.png``) and are linked relatively.
"""

from __future__ import annotations

import csv
import itertools
import math
import os
import statistics
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from bench.tiles_report import CROWD_END, CROWD_START, figure, load_range

#: Where p95 counts as degraded: this many times the p95 of the smallest crowd measured.
DEGRADED_FACTOR = 2.0
#: metric, heading, unit scale: the times (first table) and what the server spends (second)
TIME_METRICS = [
    ("open_p50_s", "open: p50, s", 1),
    ("open_p95_s", "open: p95, s", 1),
    ("filter_p50_s", "filter re-run: p50, s", 1),
    ("filter_p95_s", "filter re-run: p95, s", 1),
    ("filter_max_s", "filter re-run: max, s", 1),
    ("load_avg_before", "machine load average (1 min) before", 1),
]
COST_METRICS = [
    ("cpu_open_per_session_s", "open: server CPU per session, s", 1),
    ("cpu_filter_per_session_s", "filter re-run: server CPU per session, s", 1),
    ("filter_bytes", "filter re-run: received per session, MB", 1e-6),
    ("rss_before_bytes", "server RSS before, MB", 1e-6),
    ("rss_after_bytes", "RSS with the sessions open, MB", 1e-6),
    ("rss_per_session_bytes", "RSS per session, MB", 1e-6),
]
METRICS = TIME_METRICS + COST_METRICS
#: Audiences the replica arithmetic is shown for (examples, not a forecast).
EXAMPLE_AUDIENCES = (50, 200, 1000)


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def summarise(rows: list[dict[str, str]]) -> dict[int, dict[str, Any]]:
    """Per number of sessions: each metric's (median, min, max) over the runs, failures, runs.

    Examples
    --------
    >>> rows = [{"sessions": "2", "filter_p95_s": v, "failures": "0"} for v in ("1", "3", "2")]
    >>> summarise(rows)[2]["filter_p95_s"], summarise(rows)[2]["runs"]
    ((2.0, 1.0, 3.0), 3)
    """
    out: dict[int, dict[str, Any]] = {}
    for n in sorted({int(r["sessions"]) for r in rows}):
        group = [r for r in rows if int(r["sessions"]) == n]
        cell: dict[str, Any] = {
            "runs": len(group),
            "failures": sum(int(r["failures"] or 0) for r in group),
            "reasons": sorted({r["failure_reasons"] for r in group if r.get("failure_reasons")}),
        }
        for metric, *_ in METRICS:
            values = [float(r[metric]) for r in group if r.get(metric) not in ("", None)]
            if values:
                cell[metric] = (statistics.median(values), min(values), max(values))
        out[n] = cell
    return out


def capacity(points: list[tuple[int, float]], factor: float = DEGRADED_FACTOR) -> dict[str, Any]:
    """Where a latency first exceeds ``factor`` × its value at the smallest crowd.

    ``points`` are (sessions, latency), smallest crowd first. Returns the baseline, the
    largest measured crowd at or under the limit before the first one over it (``held``),
    the first crowd over it (``over``, None if none), and the crossing estimated by
    straight-line interpolation in log-log between those two (``crossing``, None if
    never crossed).

    Examples
    --------
    >>> c = capacity([(1, 1.0), (10, 1.5), (50, 6.0)])
    >>> c["held"], c["over"], round(c["crossing"], 1)
    (10, 50, 14.0)
    >>> capacity([(1, 1.0), (10, 1.2)])["over"] is None
    True
    """
    base_n, base = points[0]
    limit = factor * base
    held, over, crossing = base_n, None, None
    for (n_a, t_a), (n_b, t_b) in itertools.pairwise(points):
        if t_b > limit:
            over = n_b
            share = (math.log(limit) - math.log(t_a)) / (math.log(t_b) - math.log(t_a))
            crossing = math.exp(math.log(n_a) + share * (math.log(n_b) - math.log(n_a)))
            break
        held = n_b
    return {"base_n": base_n, "base": base, "limit": limit, "held": held, "over": over,
            "crossing": crossing}  # fmt: skip


def loglog_slope(points: list[tuple[int, float]]) -> float | None:
    """Least-squares slope of log(latency) against log(sessions); None under two points.

    Examples
    --------
    >>> round(loglog_slope([(2, 1.0), (4, 2.0), (8, 4.0)]), 6)
    1.0
    >>> loglog_slope([(2, 1.0)]) is None
    True
    """
    if len(points) < 2:
        return None
    xs = [math.log(n) for n, _t in points]
    ys = [math.log(t) for _n, t in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def _cell(summary: dict[str, Any], metric: str, scale: float) -> str:
    if metric not in summary:
        return "—"
    median, low, high = (v * scale for v in summary[metric])
    return f"{figure(median)} ({figure(low)}–{figure(high)})"


def _plot(
    summaries: dict[int, dict[str, Any]],
    series: list[tuple[str, str]],
    title: str,
    ylabel: str,
    path: Path,
    *,
    scale: float = 1.0,
    limit: float | None = None,
) -> bool:
    fig, ax = plt.subplots(figsize=(5.5, 3.6))
    drawn = False
    for metric, label in series:
        points = [
            (n, cell[metric][0] * scale)
            for n, cell in summaries.items()
            if metric in cell and cell[metric][0] > 0
        ]
        if points:
            xs, ys = zip(*points, strict=True)
            low = [ys[i] - summaries[n][metric][1] * scale for i, n in enumerate(xs)]
            high = [summaries[n][metric][2] * scale - ys[i] for i, n in enumerate(xs)]
            ax.errorbar(xs, ys, yerr=[low, high], marker="o", capsize=3, label=label)
            drawn = True
    if not drawn:
        plt.close(fig)
        return False
    if limit is not None:
        ax.axhline(limit, color="grey", linestyle="--", linewidth=1, label="2× p95 of 1 session")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("concurrent sessions")
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return True


def _table(
    summaries: dict[int, dict[str, Any]], metrics: list[tuple[str, str, float]], *, failures: bool
) -> list[str]:
    heads = [h for _m, h, _s in metrics] + (["failed sessions"] if failures else [])
    lines = [
        "| sessions | runs | " + " | ".join(heads) + " |",
        "|---:|---:|" + "---:|" * len(heads),
    ]
    for n, cell in summaries.items():
        cells = [_cell(cell, metric, scale) for metric, _h, scale in metrics]
        if failures:
            cells.append(f"{cell['failures']} of {n * cell['runs']}")
        lines.append(f"| {n:,} | {cell['runs']} | " + " | ".join(cells) + " |")
    return lines


def _load_before(rows: list[dict[str, str]]) -> str:
    """The machine's 1-minute load average before the runs, as the report says it.

    Examples
    --------
    >>> _load_before([{"load_avg_before": "0.4"}, {"load_avg_before": "1.2"}])
    '1-minute load average before a run 0.8 median (0.4–1.2)'
    """
    loads = load_range(rows, "load_avg_before")
    if loads is None:
        return "load average not recorded"
    return f"1-minute load average before a run {loads}"


def section(runs_csv: Path, results_md: Path) -> str:
    """Return the markdown section (markers included) for ``runs_csv``; write its plots."""
    rows = _read(runs_csv)
    summaries = summarise(rows)
    sizes = list(summaries)
    lines = [
        CROWD_START,
        "## Concurrent viewers: sessions opening the map and changing a filter at once",
        "",
        f"Generated by `make bench` (`python -m bench.bench_crowd`) on "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; method in `bench/bench_crowd.py`. "
        "**The real app** (`app.py`, its map page, on the shipped layers through a throwaway "
        "embedded store), a fresh `streamlit run` on 127.0.0.1 for every run, warmed up by "
        "one session. N clients speaking Streamlit's websocket protocol (`websockets`, "
        "protobuf `BackMsg`/`ForwardMsg`) connect at once and ask for the page (*open*: "
        "connection to `script_finished`); when all have it, each sets the sidebar status "
        "filter (*filter re-run*: `rerun_script` with that widget's state to "
        "`script_finished`). Percentiles are nearest-rank over the N sessions of a run (p95 "
        "of 10 is their slowest); cells are the median (min–max) over the runs. Server "
        "memory is the process's RSS before the sessions connect and while all are open "
        "after the filter change; per session = the difference ÷ N. Not measured: what a "
        "browser adds (the page's scripts, the map component, basemap tiles) and its "
        "rendering; clients report no cached messages, so the server sends each page whole.",
        "",
        f"Machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}; "
        f"{_load_before(rows)}, which counts the benchmark's own previous run too: every "
        f"run's load before and after is in [`{runs_csv.name}`]"
        f"({os.path.relpath(runs_csv, results_md.parent)}), each session in "
        f"`crowd_sessions.csv`. Server and clients share the same {os.cpu_count()} cores.",
        "",
    ]
    lines += _table(summaries, TIME_METRICS, failures=True)
    lines += ["", "What the server spends (CPU time of its process over each phase ÷ N):", ""]
    lines += _table(summaries, COST_METRICS, failures=False)
    reasons = [f"- {n} sessions: {'; '.join(c['reasons'])}" for n, c in summaries.items()
               if c["reasons"]]  # fmt: skip
    if reasons:
        lines += ["", "Failures:", "", *reasons]
    lines.append("")
    points = [(n, c["filter_p95_s"][0]) for n, c in summaries.items() if "filter_p95_s" in c]
    cap = capacity(points) if points else None
    for stem, series, title, ylabel, scale, limit in (
        (
            "crowd_latency",
            [
                ("open_p95_s", "open p95"),
                ("filter_p50_s", "filter p50"),
                ("filter_p95_s", "filter p95"),
            ],
            "time to a finished run (median of runs; bars: min–max)",
            "s",
            1.0,
            cap["limit"] if cap else None,
        ),
        (
            "crowd_memory",
            [
                ("rss_per_session_bytes", "RSS per session"),
                ("rss_after_bytes", "RSS with the sessions open"),
            ],
            "server memory (median of runs; bars: min–max)",
            "MB",
            1e-6,
            None,
        ),
    ):
        png = runs_csv.parent / f"{stem}.png"
        if _plot(summaries, series, title, ylabel, png, scale=scale, limit=limit):
            lines.append(f"![{title}]({os.path.relpath(png, results_md.parent)})")
    lines.append("")
    if cap:
        lines += _reading(cap, summaries, sizes)
    lines.append(CROWD_END)
    return "\n".join(lines)


def _reading(cap: dict[str, Any], summaries: dict[int, dict[str, Any]], sizes: list[int]):
    """The computed statements: sessions held, memory per session, what a province adds."""
    largest = sizes[-1]
    per_session = summaries[largest].get("rss_per_session_bytes", (0.0, 0.0, 0.0))[0]
    baseline = statistics.median(
        c["rss_before_bytes"][0] for c in summaries.values() if "rss_before_bytes" in c
    )
    if cap["over"] is None:
        held_text = (
            f"p95 of the filter re-run stayed within {DEGRADED_FACTOR:g}× the "
            f"{cap['base_n']}-session p95 ({figure(cap['base'])} s → limit "
            f"{figure(cap['limit'])} s) up to the largest crowd measured, **{largest} sessions**: "
            "this machine holds at least that many."
        )
        per_replica = largest
    else:
        per_replica = max(cap["base_n"], math.floor(cap["crossing"]))
        held_text = (
            f"p95 of the filter re-run doubles past the {cap['base_n']}-session p95 "
            f"({figure(cap['base'])} s → limit {figure(cap['limit'])} s) between "
            f"**{cap['held']} session{'' if cap['held'] == 1 else 's'}** (measured, within the "
            "limit) and "
            f"**{cap['over']}** (over it: {figure(summaries[cap['over']]['filter_p95_s'][0])} s); "
            f"log-log interpolation puts the crossing at **≈ {cap['crossing']:.1f} sessions**."
        )
    worst = summaries[largest].get("filter_max_s")
    slope = loglog_slope([(n, c["filter_p95_s"][0]) for n, c in summaries.items()
                          if "filter_p95_s" in c and n > cap["base_n"]])  # fmt: skip
    if worst:
        rate = largest / worst[0]
        throughput = (
            f"the last of {largest} simultaneous filter re-runs finished after "
            f"{figure(worst[0])} s (median of runs): one server process completes ≈ "
            f"{figure(rate)} re-runs of this page per second under a crowd, so an audience of A "
            f"changing a filter in the same moment waits up to ≈ A ÷ {figure(rate)} s on one "
            "replica"
            + (
                f"; p95 grows with the crowd as N^{slope:.2f} (log-log slope past "
                f"{cap['base_n']} session), i.e. the re-runs queue for the one interpreter."
                if slope is not None
                else "."
            )
        )
    else:
        throughput = "not measured (no filter re-run finished)."
    cpu = summaries[largest].get("cpu_filter_per_session_s")
    if cpu and cpu[0] > 0:
        throughput += (
            f" The server's own CPU time per filter re-run is {figure(cpu[0])} s (median at "
            f"{largest} sessions; the second table gives each crowd): one process that had a "
            f"core to itself would do ≈ {figure(1 / cpu[0])} re-runs per second; the rest of "
            "the wait above is the queue and the other work on this shared machine."
        )
        if worst:
            cores = cpu[0] * largest / worst[0]
            throughput += (
                f" Over those {largest} re-runs the server process used ≈ {cores:.2f} cores "
                "(its CPU time ÷ the time to the last one). With re-runs queueing, a looser "
                f"target scales the same way: a p95 of T seconds holds about T × {figure(rate)} "
                "simultaneous filter changes per process."
            )
    filter_bytes = summaries[largest].get("filter_bytes")
    filter_mb = f"{figure(filter_bytes[0] * 1e-6)} MB" if filter_bytes else "—"
    replicas = ", ".join(
        f"{a} viewers → {math.ceil(a / per_replica)} replica(s)" for a in EXAMPLE_AUDIENCES
    )
    return [
        "**Reading (computed from the tables above).**",
        "",
        f"- *Sessions held:* {held_text}",
        f"- *Throughput:* {throughput}",
        f"- *Memory per session:* {figure(per_session * 1e-6)} MB of server RSS per open session "
        f"(median at {largest} sessions; the table gives each crowd), on top of "
        f"{figure(baseline * 1e-6)} MB for the warmed-up server. With one or two sessions the "
        "difference is within the process's own swings of ~10 MB (it can come out negative); "
        "divided by the largest crowd they matter least. A closed tab's session is not freed "
        "at once: Streamlit keeps a disconnected session's state for "
        "`server.disconnectedSessionTTL` (default 120 s) so that it can reconnect.",
        "- *What a province adds past that.* Streamlit keeps every session's state (widget "
        "values, its script thread) in the server process that holds its websocket, and the "
        "script runs of one process take turns under one Python interpreter lock, so one app "
        "process uses about one core however many the machine has. More viewers need more app "
        "processes, each with its own core: **replicas behind a load balancer with sticky "
        "sessions** (a session's websocket and its reconnects must reach the same replica). "
        f"At the {per_replica} session(s) per replica measured here (a shared 2-core machine, "
        f"server and clients on it): {replicas}; each replica needs ≈ "
        f"{figure((baseline + per_replica * per_session) * 1e-6)} MB for that many sessions. "
        f"On the map page measured here a filter re-run sends {filter_mb} per session over "
        "the websocket. Tile traffic should leave the app: put the **PMTiles archive on a "
        "static host or CDN** (README, *Large layers*), so panning and zooming a province's "
        "parcel plan (an imported layer over 2,000 lots is tiled on the map page; the "
        "Investors page still draws its lots inline) "
        "costs the replicas nothing and only re-runs reach them; a tiled layer's filter "
        "re-run sends a few kilobytes whatever the number of "
        "lots (the tiles tables of this file).",
        "- Compare crowd sizes within one run of `make bench` (runs are interleaved across "
        "crowd sizes), not across machines or runs.",
        "",
    ]


def merge(text: str, block: str) -> str:
    """Put ``block`` between the crowd markers of ``text`` (replacing), or append it.

    Examples
    --------
    >>> merge("a\\n<!-- crowd:start -->\\nold\\n<!-- crowd:end -->\\nb\\n", "NEW")
    'a\\nNEW\\nb\\n'
    >>> merge("a\\n", "NEW")
    'a\\n\\nNEW\\n'
    """
    start, end = text.find(CROWD_START), text.find(CROWD_END)
    if start != -1 and end > start:
        return text[:start] + block + text[end + len(CROWD_END) :]
    return text.rstrip("\n") + "\n\n" + block + "\n" if text else block + "\n"


def write(runs_csv: Path, results_md: Path) -> Path:
    """Write the crowd section of ``runs_csv`` into ``results_md`` (plots beside the CSV)."""
    block = section(runs_csv, results_md)
    text = results_md.read_text(encoding="utf-8") if results_md.exists() else ""
    results_md.parent.mkdir(parents=True, exist_ok=True)
    results_md.write_text(merge(text, block), encoding="utf-8")
    return results_md


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    runs = Path(sys.argv[1]) if len(sys.argv) > 1 else here / "results" / "crowd.csv"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else here / "RESULTS.md"
    write(runs, out)

"""Turn ``bench/results/map_build.csv`` into Markdown tables and plots.

``python -m bench.report`` writes ``bench/results/map_build.md`` and
``bench/results/map_build.png`` / ``st_folium_rerun.png`` (matplotlib, a
benchmark-only dependency: ``bench/requirements.txt``), and replaces the part of
``bench/README.md`` between ``<!-- results:begin -->`` and ``<!-- results:end -->``.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from bench.bench_map import DIAGNOSTICS_CSV, ENVIRONMENT_JSON, MEDIANS_CSV, RESULTS

README = Path(__file__).resolve().parent / "README.md"
TABLE_MD = RESULTS / "map_build.md"
BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"
VARIANT_LABELS = {
    "folium": "obvious folium",
    "explore": "`explore()`",
    "ours": "ours (`build_map`)",
}
DIAGNOSTIC_LABELS = {
    "ours": "ours, as is",
    "ours_nolabels": "ours, parcels without permanent labels",
    "ours_lazy": "ours, lazy tooltips + labels made from zoom 12 (bench prototype)",
}
PROFILE_CSV = RESULTS / "profile_builder.csv"
WIRE_CSV = RESULTS / "st_wire.csv"
#: The obvious path in ``PERFORMANCE.md`` (medians of 5 on a machine like ours):
#: folium build + render s, explore s, HTML MB, gzip MB, Chromium ready SVG s, JS heap MB.
REFERENCE = {
    100: (0.13, 0.10, 0.35, 0.12, 0.87, 7),
    1000: (0.51, 0.32, 1.12, 0.27, 0.90, 14),
    10000: (3.6, 2.0, 8.9, 1.85, 2.5, 75),
    50000: (13.6, 9.5, 43.3, 8.8, 31.3, 300),
}


def read_medians(path: Path = MEDIANS_CSV) -> dict[tuple[int, str], dict[str, Any]]:
    """Return a medians CSV keyed by ``(n, variant)``, numbers as floats (None if empty)."""
    rows: dict[tuple[int, str], dict[str, Any]] = {}
    if not path.exists():
        return rows
    with path.open(newline="") as f:
        for row in csv.DictReader(f):
            parsed: dict[str, Any] = {}
            for key, value in row.items():
                if key == "variant":
                    parsed[key] = value
                else:
                    parsed[key] = float(value) if value not in ("", None) else None
            rows[int(parsed["n"]), row["variant"]] = parsed
    return rows


def _s(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def _mb(value: float | None) -> str:
    if value is None:
        return "–"
    mb = value / 1e6
    return f"{mb:.3f}" if mb < 0.1 else f"{mb:.2f}" if mb < 10 else f"{mb:.1f}"


def _ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b == 0:
        return "–"
    return f"{a / b:.2f}×"


def main_table(rows: dict[tuple[int, str], dict[str, Any]]) -> str:
    """Return the table of medians, one line per size and variant."""
    lines = [
        "| parcels | variant | Python build + render, s (CPU s) | HTML, MB (gzip) "
        "| Chromium ready, s | main-thread busy, s | JS heap, MB (after GC) | runs |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for (n, variant), r in sorted(
        rows.items(), key=lambda kv: (kv[0][0], list(VARIANT_LABELS).index(kv[0][1]))
    ):
        lines.append(
            f"| {n:,} | {VARIANT_LABELS[variant]} "
            f"| {_s(r['python_s'])} ({_s(r['python_cpu_s'])}) "
            f"| {_mb(r['html_bytes'])} ({_mb(r['html_gzip_bytes'])}) "
            f"| {_s(r['ready_s'])} | {_s(r['task_s'])} "
            f"| {_mb(r['heap_bytes'])} ({_mb(r['heap_after_gc_bytes'])}) "
            f"| {int(r['runs'])}/{int(r['browser_runs'] or 0)} |"
        )
    return "\n".join(lines)


def ratio_table(rows: dict[tuple[int, str], dict[str, Any]]) -> str:
    """Return ours / obvious folium and ours / explore for each measure and size."""
    measures = [
        ("Python build + render (wall)", "python_s"),
        ("Python build + render (CPU)", "python_cpu_s"),
        ("HTML bytes", "html_bytes"),
        ("HTML gzip bytes", "html_gzip_bytes"),
        ("Chromium ready", "ready_s"),
        ("main-thread busy", "task_s"),
        ("JS heap", "heap_bytes"),
        ("JS heap after GC", "heap_after_gc_bytes"),
    ]
    sizes = sorted({n for n, _ in rows})
    head = "| ours ÷ … | " + " | ".join(f"{n:,}: folium / explore" for n in sizes) + " |"
    lines = [head, "|---|" + "---:|" * len(sizes)]
    for label, key in measures:
        cells = []
        for n in sizes:
            ours = rows.get((n, "ours"), {}).get(key)
            cells.append(
                f"{_ratio(ours, rows.get((n, 'folium'), {}).get(key))} / "
                f"{_ratio(ours, rows.get((n, 'explore'), {}).get(key))}"
            )
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def rerun_table(rows: dict[tuple[int, str], dict[str, Any]]) -> str:
    """Return what a Streamlit re-run after a filter/date change costs through st_folium."""
    lines = [
        "| parcels | obvious: map script, MB | obvious: Python, s "
        "| ours: base map script, KB | ours: `feature_group_to_add` JS, MB "
        "| ours: Python, s | groups ÷ obvious script |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sorted({n for n, _ in rows}):
        f, o = rows.get((n, "folium")), rows.get((n, "ours"))
        if not f or not o or f.get("st_script_bytes") is None:
            continue
        base_kb = ((o["st_script_bytes"] or 0) + (o["st_html_header_bytes"] or 0)) / 1e3
        lines.append(
            f"| {n:,} | {_mb(f['st_script_bytes'])} | {_s(f['rerun_python_s'])} "
            f"| {base_kb:.1f} | {_mb(o['st_feature_group_bytes'])} | {_s(o['rerun_python_s'])} "
            f"| {_ratio(o['st_feature_group_bytes'], f['st_script_bytes'])} |"
        )
    return "\n".join(lines)


def reference_table(rows: dict[tuple[int, str], dict[str, Any]]) -> str:
    """Return our obvious-path numbers beside PERFORMANCE.md's, and ours beside both."""
    lines = [
        "| parcels | folium build: PERFORMANCE.md / here | `explore()`: PERFORMANCE.md / here "
        "| HTML MB (gzip): PERFORMANCE.md / here | ready s (SVG): PERFORMANCE.md / here "
        "| heap MB: PERFORMANCE.md / here | ours here: build s, HTML MB, ready s, heap MB |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sorted({n for n, _ in rows}):
        if n not in REFERENCE:
            continue
        ref = REFERENCE[n]
        f, e, o = (
            rows.get((n, "folium"), {}),
            rows.get((n, "explore"), {}),
            rows.get((n, "ours"), {}),
        )
        lines.append(
            f"| {n:,} | {ref[0]} / {_s(f.get('python_s'))} | {ref[1]} / {_s(e.get('python_s'))} "
            f"| {ref[2]} ({ref[3]}) / {_mb(f.get('html_bytes'))} ({_mb(f.get('html_gzip_bytes'))}) "
            f"| {ref[4]} / {_s(f.get('ready_s'))} | {ref[5]} / {_mb(f.get('heap_bytes'))} "
            f"| {_s(o.get('python_s'))}, {_mb(o.get('html_bytes'))}, {_s(o.get('ready_s'))}, "
            f"{_mb(o.get('heap_bytes'))} |"
        )
    return "\n".join(lines)


def diagnostics_table(rows: dict[tuple[int, str], dict[str, Any]]) -> str:
    """Return the browser-side diagnostics, measured interleaved in one session."""
    lines = [
        "| parcels | variant | HTML, MB | Chromium ready, s | main-thread busy, s "
        "| JS heap, MB (after GC) | DOM objects at load | runs |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    order = list(DIAGNOSTIC_LABELS)
    for (n, variant), r in sorted(rows.items(), key=lambda kv: (kv[0][0], order.index(kv[0][1]))):
        lines.append(
            f"| {n:,} | {DIAGNOSTIC_LABELS[variant]} | {_mb(r['html_bytes'])} "
            f"| {_s(r['ready_s'])} | {_s(r['task_s'])} "
            f"| {_mb(r['heap_bytes'])} ({_mb(r['heap_after_gc_bytes'])}) "
            f"| {int(r['expected_drawn']):,} | {int(r['browser_runs'] or 0)} |"
        )
    return "\n".join(lines)


def profile_table() -> str:
    """Return the per-step timings of ``_project_collection`` and the prototype's."""
    if not PROFILE_CSV.exists():
        return ""
    with PROFILE_CSV.open(newline="") as f:
        rows = list(csv.DictReader(f))
    sizes = sorted({int(r["n"]) for r in rows if r["histories"] == "False"})
    whats = list(dict.fromkeys(r["what"] for r in rows))
    cell = {(int(r["n"]), r["histories"], r["what"]): r for r in rows}
    lines = [
        "| step (over all parcels unless said) | "
        + " | ".join(f"{n:,}" for n in sizes)
        + " | 10,000 with histories |",
        "|---|" + "---:|" * (len(sizes) + 1),
    ]
    for what in whats:
        values = []
        for key in [(n, "False") for n in sizes] + [(10000, "True")]:
            r = cell.get((key[0], key[1], what))
            if r is None:
                values.append("–")
            elif r.get("bytes"):
                values.append(f"{int(r['bytes']) / 1e6:.2f} MB")
            else:
                note = f" ({r['note']})" if r.get("note") else ""
                values.append(f"{float(r['seconds']):.3f} s{note}")
        lines.append(f"| {what} | " + " | ".join(values) + " |")
    return "\n".join(lines)


def wire_table() -> str:
    """Return the bytes of a real Streamlit first run and filter re-run."""
    if not WIRE_CSV.exists():
        return ""
    with WIRE_CSV.open(newline="") as f:
        rows = sorted(
            csv.DictReader(f),
            key=lambda r: (int(r["n"]), r["mode"] != "folium", r["websocket_compression"]),
        )
    lines = [
        "| parcels | page | websocket compression | first run: websocket payload, MB "
        "(s to done) | filter re-run: websocket payload, MB | filter re-run: bytes on the "
        "connection, MB | filter re-run: s to done |",
        "|---:|---|---|---:|---:|---:|---:|",
    ]
    labels = {"folium": "obvious folium through `st_folium`", "ours": "ours (`base_map` + groups)"}
    for r in rows:
        on = "on" if r["websocket_compression"] == "True" else "off (default)"
        lines.append(
            f"| {int(r['n']):,} | {labels[r['mode']]} | {on} "
            f"| {_mb(float(r['first_run_bytes']))} ({r['first_run_s']}) "
            f"| {_mb(float(r['rerun_bytes']))} | {_mb(float(r['rerun_tcp_bytes']))} "
            f"| {r['rerun_s']} |"
        )
    return "\n".join(lines)


def plots(rows: dict[tuple[int, str], dict[str, Any]]) -> list[Path]:
    """Draw the medians against N (log-log); return the files written."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted({n for n, _ in rows})
    panels = [
        ("python_s", "Python build + render (s)", 1),
        ("html_bytes", "HTML (MB)", 1e6),
        ("html_gzip_bytes", "HTML gzip (MB)", 1e6),
        ("ready_s", "Chromium ready (s)", 1),
        ("task_s", "Chromium main-thread busy (s)", 1),
        ("heap_bytes", "JS heap at ready (MB)", 1e6),
    ]
    ref_index = {
        "python_s": 0,
        "html_bytes": 2,
        "html_gzip_bytes": 3,
        "ready_s": 4,
        "heap_bytes": 5,
    }
    fig, axes = plt.subplots(2, 3, figsize=(13, 7.5))
    for ax, (key, title, scale) in zip(axes.flat, panels, strict=True):
        for variant, label in VARIANT_LABELS.items():
            xs = [n for n in sizes if rows.get((n, variant), {}).get(key) is not None]
            ys = [rows[n, variant][key] / scale for n in xs]
            if xs:
                ax.plot(xs, ys, marker="o", label=label.replace("`", ""))
        if key in ref_index:
            xs = [n for n in sizes if n in REFERENCE]
            ax.plot(
                xs,
                [REFERENCE[n][ref_index[key]] for n in xs],
                linestyle=":",
                color="grey",
                label="obvious path, PERFORMANCE.md",
            )
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(title)
        ax.set_xlabel("parcels")
        ax.grid(True, which="both", alpha=0.3)
    axes.flat[0].legend(fontsize=8)
    fig.suptitle("Map build and load, medians (bench/results/map_build.csv)")
    fig.tight_layout()
    out = [RESULTS / "map_build.png"]
    fig.savefig(out[0], dpi=110)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    xs = [n for n in sizes if rows.get((n, "folium"), {}).get("st_script_bytes")]
    series = {
        "obvious: whole map script": [rows[n, "folium"]["st_script_bytes"] for n in xs],
        "ours: feature_group_to_add JS": [rows[n, "ours"]["st_feature_group_bytes"] for n in xs],
        "ours: base map script + HTML": [
            rows[n, "ours"]["st_script_bytes"] + rows[n, "ours"]["st_html_header_bytes"] for n in xs
        ],
    }
    for label, values in series.items():
        if xs:
            ax.plot(xs, [v / 1e6 for v in values], marker="o", label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("parcels")
    ax.set_ylabel("MB handed to st_folium on a filter/date re-run")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    out.append(RESULTS / "st_folium_rerun.png")
    fig.savefig(out[1], dpi=110)
    plt.close(fig)
    return out


def environment_text() -> str:
    """Summarise ``environment.json``: the machine once, then one line per run."""
    if not ENVIRONMENT_JSON.exists():
        return ""
    runs = json.loads(ENVIRONMENT_JSON.read_text())["runs"]
    last = runs[-1]
    pkgs = ", ".join(f"{k} {v}" for k, v in last["packages"].items() if v)
    lines = [
        f"Machine: {last['cpu']}, {last['cpus']} CPUs, {last['memory_gb']} GB, {last['os']}, "
        f"Python {last['python']}, Chromium {last['chromium']} (Debian package), {pkgs}. "
        "Shared with other engineers' test runs (see the load averages in the runs CSV).",
        "",
    ]
    for run in runs:
        note = f" *{run['note']}*" if run.get("note") else ""
        lines.append(
            f"- {run['date_utc']} `{run.get('name', 'map_build')}`: sizes {run['sizes']}, "
            f"variants {run.get('variants') or list(VARIANT_LABELS)}, {run['repeat']} Python "
            f"runs, {run['browser_repeat'] if run['browser'] else 0} page loads; git "
            f"{run['git_head']}, geo/mapview.py sha1 {run['geo_mapview_sha1']}.{note}"
        )
    return "\n".join(lines)


def main() -> None:
    rows = read_medians()
    text = "\n\n".join(
        [
            "### Medians",
            main_table(rows),
            "### Ratios, ours ÷ obvious folium / ours ÷ `explore()` (below 1 = ours is better)",
            ratio_table(rows),
            "### Streamlit re-run after a filter or date change (what `st_folium` is handed)",
            rerun_table(rows),
            "### The same in a real Streamlit server (`python -m bench.st_wire`, one run each; "
            "re-run = tick a checkbox that hides the 35 % planned parcels)",
            wire_table(),
            "### Beside PERFORMANCE.md",
            reference_table(rows),
            "### Browser diagnostics (ours, one interleaved session: `--name diagnostics`; "
            "measured on geo/mapview.py 770845ff0abe, when labels and tooltips were made "
            "at load: 8e1599f then adopted the lazy approach)",
            diagnostics_table(read_medians(DIAGNOSTICS_CSV)),
            "### Where the Python time goes (`python -m bench.profile_builder`, medians of 3)",
            profile_table(),
            "### Runs in the CSV",
            environment_text(),
        ]
    )
    TABLE_MD.write_text(text + "\n", encoding="utf-8")
    written = plots(rows)
    if README.exists():
        readme = README.read_text(encoding="utf-8")
        if BEGIN in readme and END in readme:
            head, rest = readme.split(BEGIN, 1)
            _, tail = rest.split(END, 1)
            README.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}", encoding="utf-8")
    print(f"wrote {TABLE_MD}", *written, sep="\n")


if __name__ == "__main__":
    main()

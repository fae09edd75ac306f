"""How long the view exports take on the shipped layers (benchmark, not a test).

Each export of ``python -m geo export`` is made ``--repeat`` times after one warm-up, from
the same loaded data; the wall time, CPU time and output size of each run go to
``results/view_exports.csv`` and the medians are printed as a table. Run with
``.venv/bin/python -m bench.bench_view_exports``.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from geo.exports.view_html import tour_html, view_html
from geo.exports.view_print import render_pdf_pages, render_print
from geo.exports.view_spec import load_material, stop_view

RESULTS = Path(__file__).resolve().parent / "results" / "view_exports.csv"


def cases(lang: str) -> dict[str, Callable[[], bytes]]:
    """Return the exports to time, by name, on the shipped layers and tour."""
    material = load_material()
    count = len(material.stops)
    views = [stop_view(s, lang, count=count, link="http://localhost:8501/") for s in material.stops]
    first = views[0]
    return {
        f"tour html {lang}": lambda: tour_html(material, lang).encode("utf-8"),
        f"stop 1 html {lang}": lambda: view_html(first, material).encode("utf-8"),
        f"stop 1 png A4 150 dpi {lang}": lambda: render_print(first, material, fmt="png"),
        f"stop 1 pdf A4 {lang}": lambda: render_print(first, material, fmt="pdf"),
        f"stop 1 pdf A3 portrait {lang}": lambda: render_print(
            first, material, fmt="pdf", paper="A3", portrait=True
        ),
        f"tour pdf A4 ({count} pages) {lang}": lambda: render_pdf_pages(views, material),
    }


def main() -> None:
    """Time every case and write the CSV."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lang", nargs="+", default=["vi", "zh"])
    args = parser.parse_args()
    rows = []
    for lang in args.lang:
        for name, make in cases(lang).items():
            make()  # warm-up: fonts registered, caches filled
            for run in range(args.repeat):
                wall, cpu = time.perf_counter(), time.process_time()
                size = len(make())
                rows.append(
                    {
                        "case": name,
                        "run": run,
                        "wall_s": round(time.perf_counter() - wall, 3),
                        "cpu_s": round(time.process_time() - cpu, 3),
                        "bytes": size,
                        "load_avg_1m": round(os.getloadavg()[0], 2),
                    }
                )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print("| case | median wall s | median CPU s | bytes |\n|---|---:|---:|---:|")
    for name in dict.fromkeys(r["case"] for r in rows):
        mine = [r for r in rows if r["case"] == name]
        wall = statistics.median(r["wall_s"] for r in mine)
        cpu = statistics.median(r["cpu_s"] for r in mine)
        print(f"| {name} | {wall:.2f} | {cpu:.2f} | {mine[0]['bytes']:,} |")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()

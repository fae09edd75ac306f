"""What the lot plan, the lot distances and the exports cost on the shipped data.

    .venv/bin/python bench/bench_lots.py [REPEAT]

Prints one line per step: the best of REPEAT runs (default 3), in seconds. Benchmarks, not
tests: nothing here is collected by pytest and nothing asserts a time.

Measured 2026-12-02 on the shared 2-core dev machine under load (six helpers at once, so
upper bounds), 72 lots of the cargo transit zone:

| step | seconds |
|---|---|
| plan_layer (generate the plan) | 0.9 |
| lot_distances (72 lots × 3 targets) | 0.6 |
| GeoJSON / CSV / XLSX / GeoPackage of the 72 lots | 0.05 / 0.05 / 0.2 / 0.15 |
| lot sheet PDF, vi / zh | 3.5 / 9 |

The Chinese sheet costs most: matplotlib subsets Noto Sans SC (a 10 MB font) into the PDF.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.catalog import load_catalog
from geo.exports import FORMATS, export_bytes
from geo.exports.lot_sheet import lot_sheet_pdf
from geo.lot_distances import lot_distances
from geo.lot_plan import load_rules, plan_layer
from geo.registry import load_registry
from geo.sources import load_sources


def best(step: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return min(times)


def main(repeat: int = 3) -> None:
    registry = load_registry()
    catalog = load_catalog(registry)
    sources = load_sources(registry.path.parent / "sources.json")
    lots = catalog.layers["lots"]
    rules = load_rules()
    steps: dict[str, Callable[[], object]] = {
        "plan_layer": lambda: plan_layer(catalog.layers["zones"], rules),
        "lot_distances": lambda: lot_distances(lots, catalog.layers),
    }
    for fmt in FORMATS:
        steps[f"export {fmt}"] = lambda fmt=fmt: export_bytes(
            lots, fmt, title="lots", sources=sources, lang="vi"
        )
    for lang in ("vi", "zh"):
        steps[f"lot sheet {lang}"] = lambda lang=lang: lot_sheet_pdf(
            lots.index[0], lots=lots, layers=catalog.layers, sources=sources, lang=lang
        )
    print(f"{len(lots)} lots, best of {repeat}")
    for name, step in steps.items():
        print(f"{name:20s} {best(step, repeat):7.3f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)

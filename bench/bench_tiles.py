"""Benchmark the tiled lot layer against the peers: ``explore()``, obvious folium, inline builder.

Run from the repository root (``make bench`` runs the default)::

    .venv/bin/python -m bench.bench_tiles                         # 100 … 200,000 lots
    .venv/bin/python -m bench.bench_tiles --sizes 100 1000 --repeat 2 --out /tmp/b

For each number of lots N (``bench.synthetic.synthetic_layers(N)``: N parcels of
0.5–2 ha with 5–12 vertices and Vietnamese names, plus 3 roads and 10 gates, the same
data for every variant) and each variant:

* ``explore``: ``gdf.explore()`` of the parcels, then roads and gates (``explore(m=…)``);
* ``folium``: the obvious ``folium.GeoJson(gdf, style_function=…, tooltip=…)``;
* ``ours``: the current inline builder, ``geo.mapview.build_map``;
* ``tiled``: the parcels as a PMTiles archive (``geo.tiles.build_archive``, tippecanoe)
  drawn by ``geo.tile_layer.TiledLayer``; roads and gates inline as in ``ours``.

it measures, ``--repeat`` times (median / min / max in the report):

* **build**: Python wall time of the map's HTML, *including* building the archive;
* **first view bytes**: the HTML (raw and gzip level 6); in Chromium, every byte the
  page fetched until the view is drawn (HTML, scripts, tile ranges);
* **filter change bytes**: what ``st_folium`` is handed on a filter re-run (raw and
  gzip): the whole map for the peers, the groups for ``ours`` and ``tiled``; and the
  server's Python time for it;
* **Chromium**: time from navigation until the view is drawn (every inline feature in
  the DOM, every tile in view painted) and two frames passed; redraw after zooming in
  one level and after panning 400 px; JS heap when drawn.

A variant whose page or build exceeds ``--timeout`` seconds is recorded as failed
with the reason (that is a result). Peers are not run above ``--peer-max`` lots (their
build alone takes minutes and gigabytes there; the report says so).

Writes ``<out>/tiles_runs.csv`` (every run) and, through :mod:`bench.tiles_report`,
``<out>/RESULTS.md`` and ``<out>/tiles_*.png``. Nothing here asserts anything.
"""

from __future__ import annotations

import argparse
import csv
import gc
import gzip
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium

from bench import browser
from bench.synthetic import SyntheticLayers, synthetic_layers
from bench.variants import (
    AS_OF,
    ASSET_BASE_URL,
    LANG,
    SPECS,
    _drawn,
    build_explore,
    build_folium,
    build_ours,
    localise,
    map_layers,
)
from geo import style as st
from geo.mapview import base_map, build_map, project_groups
from geo.tile_layer import TiledLayer, TileFilter, add_tile_script, tile_style_table
from geo.tiles import TileArchive, build_archive

DEFAULT_OUT = Path(__file__).resolve().parent
SIZES = (100, 1_000, 10_000, 50_000, 200_000)
VARIANTS = ("explore", "folium", "ours", "tiled")
PEERS = ("explore", "folium", "ours")
FIELDS = [
    "n",
    "variant",
    "run",
    "build_s",
    "html_bytes",
    "html_gzip_bytes",
    "rerun_bytes",
    "rerun_gzip_bytes",
    "rerun_python_s",
    "ready_s",
    "zoom_s",
    "pan_s",
    "heap_bytes",
    "fetched_bytes",
    "load_avg",
    "error",
]
#: The filter change measured: hide the planned lots (35 % of them).
FILTER_STATUSES = tuple(s for s in st.STATUS_COLOURS if s != "planned")


@dataclass
class Page:
    """A built page: its HTML and how the browser knows it is drawn."""

    html: str
    inline_expected: int
    tiled: bool


def _tiled_map(data: SyntheticLayers, archive_dir: Path, url_prefix: str) -> folium.Map:
    archive = build_archive(
        data.parcels,
        archive_dir / f"lots-{len(data.parcels)}.pmtiles",
        layer_name="lots",
        url=f"{url_prefix}/lots-{len(data.parcels)}.pmtiles",
    )
    rest = map_layers(data)[1:]  # roads and gates stay inline
    fmap = build_map(rest, lang=LANG, as_of=AS_OF, basemap="osm", asset_base_url=ASSET_BASE_URL)
    add_tile_script(fmap, ASSET_BASE_URL)
    TiledLayer(
        archive,
        tile_style_table(SPECS["parcels"]),
        TileFilter(AS_OF),
        name="lots",
        pane=st.pane_name("polygon", "project"),
    ).add_to(fmap)
    return fmap


def build_page(variant: str, data: SyntheticLayers, archive_dir: Path) -> Page:
    """Build one variant's page (the archive too, for ``tiled``)."""
    if variant == "explore":
        return Page(build_explore(data).html, data.all_features(), False)
    if variant == "folium":
        return Page(build_folium(data).html, data.all_features(), False)
    if variant == "ours":
        built = build_ours(data)
        return Page(built.html, built.expected_drawn, False)
    fmap = _tiled_map(data, archive_dir, "pmtiles")
    return Page(fmap.get_root().render(), _drawn(fmap), True)  # inline roads and gates


def rerun_payload(variant: str, data: SyntheticLayers, archive_dir: Path) -> bytes:
    """Return the text ``st_folium`` is handed after a filter change (hide planned)."""
    if variant in ("explore", "folium"):
        fmap = build_explore(data).fmap if variant == "explore" else build_folium(data).fmap
        return _payload_text(fmap, [])
    fmap = base_map([], lang=LANG, basemap="osm")
    if variant == "ours":
        keep = set(data.parcels.index[data.parcels["status"].isin(FILTER_STATUSES)])
        keep |= set(data.roads.index) | set(data.gates.index)
        groups = project_groups(map_layers(data), lang=LANG, as_of=AS_OF, feature_ids=keep)
        return _payload_text(fmap, groups)
    # tiled: the archive exists (built by the page); a re-run sends the filter only.
    groups = project_groups(map_layers(data)[1:], lang=LANG, as_of=AS_OF)
    group = folium.FeatureGroup(name="lots")
    path = archive_dir / f"lots-{len(data.parcels)}.pmtiles"
    bounds = (0.0, 0.0, 0.0, 0.0)  # not read by the layer
    archive = TileArchive(path, f"pmtiles/{path.name}", "lots", bounds, len(data.parcels))
    TiledLayer(
        archive,
        tile_style_table(SPECS["parcels"]),
        TileFilter(AS_OF, statuses=FILTER_STATUSES),
        name="lots",
        pane=st.pane_name("polygon", "project"),
    ).add_to(group)
    return _payload_text(fmap, [group, *groups])


def _payload_text(fmap: folium.Map, groups: list[folium.FeatureGroup]) -> bytes:
    return st_folium_payload_text(fmap, groups).encode()


def st_folium_payload_text(fmap: folium.Map, groups: list[folium.FeatureGroup]) -> str:
    """The strings st_folium sends (map script, header, groups), concatenated."""
    from streamlit_folium import (
        _get_feature_group_string,
        _get_header,
        _get_html,
        _get_map_string,
    )

    fmap.get_root().render()
    fmap.render()
    parts = [_get_html(fmap), _get_header(fmap), _get_map_string(fmap)]
    parts += [_get_feature_group_string(g, map=fmap, idx=i) for i, g in enumerate(groups)]
    return "".join(parts)


# ---------------------------------------------------------------------------
# Chromium

_READY_JS = """
([expected, tiled]) => {
    if (document.readyState !== "complete") { return false; }
    const inline = new Set(document.querySelectorAll(
        ".leaflet-overlay-pane path, .leaflet-marker-pane .leaflet-marker-icon, .lsz-f")).size;
    if (inline < expected) { return false; }
    if (!tiled) { return true; }
    const reg = window.lszTiledLayers;
    const entry = reg && Object.values(reg)[0];
    if (!entry || !entry.layer._map) { return false; }
    const tiles = Object.values(entry.layer._tiles);
    return tiles.length > 0 && tiles.every((t) => t.loaded);
}
"""
_AFTER_PAINT_JS = """
() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => {
    const fetched = performance.getEntriesByType("resource")
        .concat(performance.getEntriesByType("navigation"))
        .reduce((sum, e) => sum + (e.encodedBodySize || 0), 0);
    resolve({now: performance.now(), heap: performance.memory.usedJSHeapSize, fetched});
})))
"""
_MOVE_JS = """
([how, tiled]) => new Promise((resolve) => {
    const map = Object.values(window).find((v) => v instanceof L.Map);
    const start = performance.now();
    const done = () => requestAnimationFrame(() => requestAnimationFrame(
        () => resolve(performance.now() - start)));
    const entry = tiled ? Object.values(window.lszTiledLayers)[0] : null;
    map.once("moveend", () => {
        if (!entry) { done(); return; }
        const check = () => {
            const tiles = Object.values(entry.layer._tiles);
            if (tiles.length && tiles.every((t) => t.loaded)) { done(); }
            else { requestAnimationFrame(check); }
        };
        check();
    });
    if (how === "zoom") { map.setZoom(map.getZoom() + 1, {animate: false}); }
    else { map.panBy([400, 0], {animate: false}); }
})
"""


def measure_page(br: Any, url: str, page: Page, timeout_s: float) -> dict[str, Any]:
    """Open ``url`` in a fresh context; return ready, zoom, pan (s), heap and bytes fetched."""
    context = br.new_context(viewport=browser.VIEWPORT, service_workers="block")
    tab = context.new_page()
    tab.set_default_timeout(timeout_s * 1000)
    try:
        tab.goto(url, wait_until="commit")
        tab.wait_for_function(_READY_JS, arg=[page.inline_expected, page.tiled], polling="raf")
        drawn = tab.evaluate(_AFTER_PAINT_JS)
        zoom_ms = tab.evaluate(_MOVE_JS, ["zoom", page.tiled])
        pan_ms = tab.evaluate(_MOVE_JS, ["pan", page.tiled])
        return {
            "ready_s": drawn["now"] / 1000,
            "zoom_s": zoom_ms / 1000,
            "pan_s": pan_ms / 1000,
            "heap_bytes": int(drawn["heap"]),
            "fetched_bytes": int(drawn["fetched"]),
        }
    except Exception as exc:  # a timeout or a crashed page is a result, not a stop
        return {"error": f"browser: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}"}
    finally:
        context.close()


# ---------------------------------------------------------------------------
# Runner


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def run(
    sizes: Sequence[int],
    repeat: int,
    out: Path,
    *,
    variants: Sequence[str] = VARIANTS,
    peer_max: int = 50_000,
    timeout_s: float = 120.0,
    use_browser: bool = True,
    repeat_large: int | None = None,
    log: Callable[..., None] = print,
) -> Path:
    """Run the benchmark; write ``out/tiles_runs.csv``; return its path."""
    out.mkdir(parents=True, exist_ok=True)
    runs_csv = out / "tiles_runs.csv"
    rows: list[dict[str, Any]] = []
    scratch = Path(tempfile.mkdtemp(prefix="lsz-bench-tiles-"))
    try:
        site = browser.stage_dir(scratch / "site")
        archive_dir = site / "pmtiles"
        archive_dir.mkdir()
        with browser.http_server(site) as base_url, _maybe_chromium(use_browser) as br:
            warm = synthetic_layers(50)
            for variant in variants:  # imports and first-use caches, not measured
                build_page(variant, warm, archive_dir)
            for n in sizes:
                data = synthetic_layers(n)
                for variant in variants:
                    if variant in PEERS and n > peer_max:
                        rows.append(_row(n, variant, 0, error=f"not run above {peer_max} lots"))
                        continue
                    runs = repeat if n <= 10_000 or repeat_large is None else repeat_large
                    rows.extend(
                        _measure_variant(
                            variant, data, runs, site, archive_dir, base_url, br, timeout_s, log
                        )
                    )
                    _write(runs_csv, rows)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return runs_csv


def _measure_variant(
    variant: str,
    data: SyntheticLayers,
    repeat: int,
    site: Path,
    archive_dir: Path,
    base_url: str,
    br: Any,
    timeout_s: float,
    log: Callable[..., None],
) -> list[dict[str, Any]]:
    n = len(data.parcels)
    rows = []
    for run_no in range(repeat):
        build_s, page = _timed(lambda: build_page(variant, data, archive_dir))
        html = browser.offline_page(localise(page.html))
        rerun_s, payload = _timed(lambda: rerun_payload(variant, data, archive_dir))
        row = _row(
            n,
            variant,
            run_no,
            build_s=round(build_s, 4),
            html_bytes=len(html.encode()),
            html_gzip_bytes=len(gzip.compress(html.encode(), 6)),
            rerun_bytes=len(payload),
            rerun_gzip_bytes=len(gzip.compress(payload, 6)),
            rerun_python_s=round(rerun_s, 4),
        )
        if build_s > timeout_s:
            row["error"] = f"build took {build_s:.0f} s > {timeout_s:.0f} s"
        elif br is not None:
            name = f"{variant}-{n}.html"
            (site / name).write_text(html, encoding="utf-8")
            row.update(measure_page(br, f"{base_url}/{name}", page, timeout_s))
        row["load_avg"] = round(os.getloadavg()[0], 2)
        log(f"{n:>7} {variant:<8} run {run_no}: " + _brief(row), flush=True)
        rows.append(row)
    return rows


def _brief(row: dict[str, Any]) -> str:
    keys = ("build_s", "html_bytes", "rerun_bytes", "ready_s", "zoom_s", "pan_s", "error")
    return ", ".join(f"{k}={row.get(k)}" for k in keys if row.get(k) not in (None, ""))


def _row(n: int, variant: str, run_no: int, **values: Any) -> dict[str, Any]:
    return {"n": n, "variant": variant, "run": run_no, **values}


def _write(path: Path, rows: list[dict[str, Any]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, FIELDS)
        writer.writeheader()
        for row in rows:
            writer.writerow({key: row.get(key, "") for key in FIELDS})


class _NoBrowser:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _maybe_chromium(use_browser: bool):
    return browser.chromium() if use_browser else _NoBrowser()


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--repeat-large", type=int, default=1, help="runs above 10,000 lots (slow peers)"
    )
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=VARIANTS)
    parser.add_argument("--peer-max", type=int, default=50_000)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--import-lots", type=int, default=200_000)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    runs = run(
        args.sizes,
        args.repeat,
        args.out / "results" if args.out == DEFAULT_OUT else args.out,
        variants=args.variants,
        peer_max=args.peer_max,
        timeout_s=args.timeout,
        use_browser=not args.no_browser,
        repeat_large=args.repeat_large,
    )
    from bench import tiles_import, tiles_report

    import_row = tiles_import.run(args.import_lots, runs.parent) if args.import_lots else None
    tiles_report.write(runs, args.out / "RESULTS.md", import_row=import_row)


if __name__ == "__main__":
    main()

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

it measures, up to ``--repeat`` times (median / min / max in the report):

* **page build**: Python wall time of the map's HTML (``get_root().render()``);
* **tile build** (``tiled`` only): tippecanoe's archive of the lots. It is paid once per
  layer version, in the background of an import or edit, never by a page view or a
  re-run; built every run up to 10,000 lots, once above (it takes tens of seconds).
  ``build_s`` is the page build plus the tile build of the layer version it shows (that
  run's, or the cell's one build above 10,000 lots);
* **first view bytes**: the HTML (raw every run; gzip level 6 on a cell's first run,
  the later pages differing only in folium's random ids); in Chromium, every byte the
  page fetched until the view is drawn (HTML, scripts, tile ranges);
* **Chromium**: time from navigation until the lot layer is drawn (every inline feature
  in the DOM; for ``tiled``, every tile in view painted on its canvas) and two frames
  passed; redraw after zooming in one level and after panning 400 px; JS heap then.

The Streamlit re-runs (filter change, layer toggle: time and websocket bytes) are measured
on a real server by :mod:`bench.st_wire`, which ``main`` runs after this.

**Bounds.** Every step runs under a budget (:class:`Budget`): a page build runs in a
forked child process, killed when it exceeds its time or resident memory; the browser
waits at most so long for the drawn view, a zoom or a pan. A step over budget, a crashed
tab or a killed build is recorded as a failure saying how (``failed_step``, ``error``:
"build not done in 45 s", "not drawn in 60 s", "Chromium tab crashed", "out of memory:
RSS over 6 GB"), and the table cell says so. A failed cell is not run again, nor at
larger sizes (it would fail the same way, only later). Runs of a peer's cell stop once
the cell has used ``Budget.cell_s`` (at least one run): the run count per cell is in the
report and the CSV. The tiled variant always gets ``--repeat`` runs.

Writes ``<out>/tiles_runs.csv`` (every run) and, through :mod:`bench.tiles_report`,
``<out>/RESULTS.md`` and ``<out>/tiles_*.png``. Nothing here asserts anything.
"""

from __future__ import annotations

import argparse
import csv
import gc
import gzip
import multiprocessing
import os
import pickle
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium

from bench import browser, clock
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
from geo.mapview import build_map
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
    "page_build_s",
    "tile_build_s",
    "build_s",
    "html_bytes",
    "html_gzip_bytes",
    "ready_s",
    "zoom_s",
    "pan_s",
    "heap_bytes",
    "fetched_bytes",
    "build_peak_rss_bytes",
    "load_avg",
    "failed_step",
    "error",
]
#: Tiles are rebuilt every run up to this many lots, once per size above.
TILES_EVERY_RUN_MAX = 10_000


@dataclass(frozen=True)
class Budget:
    """Time and memory allowed to each step; over it, the step is recorded as failed.

    ``build_s`` bounds a page build (a forked child, killed past it or past ``rss_bytes``),
    ``tiles_s`` the archive's build, ``ready_s`` the wait for the drawn view, ``move_s``
    a zoom or pan redraw, ``cell_s`` the time a peer's runs at one size may take in all
    (runs stop once it is used, after at least one).
    """

    build_s: float = 45.0
    tiles_s: float = 600.0
    ready_s: float = 60.0
    move_s: float = 30.0
    rss_bytes: int = 6_000_000_000
    cell_s: float = 60.0


class StepFailed(Exception):
    """A step exceeded its budget or crashed; ``str()`` says how, ``step`` which."""

    def __init__(self, step: str, how: str) -> None:
        super().__init__(how)
        self.step = step


# ---------------------------------------------------------------------------
# Pages


def tiled_archive(data: SyntheticLayers, archive_dir: Path) -> TileArchive:
    """Build the lots' PMTiles archive (what the ``tiled`` variant's page reads)."""
    n = len(data.parcels)
    path = archive_dir / f"lots-{n}.pmtiles"
    return build_archive(data.parcels, path, layer_name="lots", url=f"pmtiles/{path.name}")


def tiled_map(data: SyntheticLayers, archive: TileArchive) -> folium.Map:
    """The ``tiled`` variant's map: the archive's lots, roads and gates inline."""
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


def build_html(variant: str, data: SyntheticLayers, archive: TileArchive | None) -> tuple[str, int]:
    """Build one variant's page; return its HTML and the inline objects the browser draws."""
    if variant == "explore":
        return build_explore(data).html, data.all_features()
    if variant == "folium":
        return build_folium(data).html, data.all_features()
    if variant == "ours":
        built = build_ours(data)
        return built.html, built.expected_drawn
    if archive is None:
        raise ValueError("the tiled page needs its archive")
    fmap = tiled_map(data, archive)
    return fmap.get_root().render(), _drawn(fmap)  # inline roads and gates


def _page_job(
    variant: str,
    data: SyntheticLayers,
    archive: Any,
    target: Path,
    tile_base: str,
    compress: bool = True,
) -> dict[str, Any]:
    """Child process: build the page, time it, write the served HTML to ``target``.

    ``compress``: also gzip the page (level 6) for its compressed size. A cell's pages
    differ only in folium's random element ids, so its later runs reuse the first run's
    figure rather than gzip 100–370 MB again (the raw size is measured every run).
    """
    gc.collect()
    start = time.perf_counter()
    html, expected = build_html(variant, data, archive)
    build_s = time.perf_counter() - start
    served = browser.offline_page(localise(html), tile_base).encode()
    target.write_bytes(served)
    return {
        "page_build_s": round(build_s, 4),
        "html_bytes": len(served),
        "html_gzip_bytes": len(gzip.compress(served, 6)) if compress else None,
        "expected": expected,
    }


def _tiles_job(data: SyntheticLayers, archive_dir: Path) -> dict[str, Any]:
    start = time.perf_counter()
    archive = tiled_archive(data, archive_dir)
    return {"tile_build_s": round(time.perf_counter() - start, 4), "archive": archive}


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _child(conn: Any, job: Callable[[], dict[str, Any]]) -> None:
    try:
        conn.send(("ok", job()))
    except BaseException as exc:  # reported to the parent, which records it
        conn.send(("error", f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"))
    finally:
        conn.close()


def bounded(
    job: Callable[[], dict[str, Any]], *, step: str, limit_s: float, rss_bytes: int
) -> dict[str, Any]:
    """Run ``job`` in a forked child under a time and memory bound; return its result.

    Adds ``peak_rss_bytes`` (the child's largest resident set seen, polled every 50 ms).

    Raises
    ------
    StepFailed
        The child ran past ``limit_s`` or ``rss_bytes`` (killed), raised, or died.
    """
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, job), daemon=True)
    start = time.monotonic()
    proc.start()
    child.close()
    peak = 0
    try:
        while True:
            if parent.poll(0.05):
                status, value = parent.recv()
                if time.monotonic() - start > limit_s:  # finished, but over its budget
                    raise StepFailed(step, f"{step} not done in {limit_s:.0f} s")
                break
            peak = max(peak, _rss_bytes(proc.pid))
            if time.monotonic() - start > limit_s:
                raise StepFailed(step, f"{step} not done in {limit_s:.0f} s")
            if peak > rss_bytes:
                raise StepFailed(step, f"out of memory: {step} RSS over {rss_bytes / 1e9:.0f} GB")
            if not proc.is_alive() and not parent.poll(0):
                raise StepFailed(step, f"{step} process died (exit code {proc.exitcode})")
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        parent.close()
    if status != "ok":
        raise StepFailed(step, f"{step} failed: {value}")
    return {**value, "peak_rss_bytes": peak}


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


def _browser_failure(step: str, exc: Exception, limit_s: float) -> StepFailed:
    text = str(exc)
    if "crash" in text.lower():
        return StepFailed(step, "Chromium tab crashed")
    if "Timeout" in type(exc).__name__ or "Timeout" in text:
        what = {"ready": "not drawn", "zoom": "zoom not redrawn", "pan": "pan not redrawn"}
        return StepFailed(step, f"{what.get(step, step)} in {limit_s:.0f} s")
    return StepFailed(step, f"{step}: {type(exc).__name__}: {text.splitlines()[0][:160]}")


def measure_page(
    br: Any, url: str, expected: int, tiled: bool, budget: Budget
) -> tuple[dict[str, Any], StepFailed | None]:
    """Open ``url`` in a fresh context; return what was measured and the failure, if any."""
    context = br.new_context(viewport=browser.VIEWPORT, service_workers="block")
    tab = context.new_page()
    got: dict[str, Any] = {}
    step, limit = "ready", budget.ready_s
    try:
        tab.set_default_timeout(max(budget.ready_s, 0.001) * 1000)  # 0 would mean none
        tab.goto(url, wait_until="commit")
        tab.wait_for_function(_READY_JS, arg=[expected, tiled], polling="raf")
        drawn = tab.evaluate(_AFTER_PAINT_JS)
        got.update(
            ready_s=drawn["now"] / 1000,
            heap_bytes=int(drawn["heap"]),
            fetched_bytes=int(drawn["fetched"]),
        )
        step, limit = "zoom", budget.move_s
        tab.set_default_timeout(max(budget.move_s, 0.001) * 1000)
        got["zoom_s"] = _move(tab, "zoom", tiled, budget.move_s) / 1000
        step = "pan"
        got["pan_s"] = _move(tab, "pan", tiled, budget.move_s) / 1000
        return got, None
    except Exception as exc:  # a timeout or a crashed tab is a result, not a stop
        return got, _browser_failure(step, exc, limit)
    finally:
        context.close()


def _move(tab: Any, how: str, tiled: bool, limit_s: float) -> float:
    # evaluate() has no timeout of its own: race the redraw against the budget in the page.
    race = (
        "([how, tiled, ms]) => Promise.race([(" + _MOVE_JS + ")([how, tiled]),"
        " new Promise((_, no) => setTimeout(() => no(new Error('Timeout')), ms))])"
    )
    return tab.evaluate(race, [how, tiled, limit_s * 1000])


# ---------------------------------------------------------------------------
# Runner


def run(
    sizes: Sequence[int],
    repeat: int,
    out: Path,
    *,
    variants: Sequence[str] = VARIANTS,
    budget: Budget = Budget(),
    use_browser: bool = True,
    keep_archives: Path | None = None,
    log: Callable[..., None] = print,
) -> Path:
    """Run the benchmark; write ``out/tiles_runs.csv``; return its path.

    ``keep_archives``: a folder to copy each size's archive into (``lots-<n>.pmtiles``),
    for :mod:`bench.st_wire`'s tiled page.
    """
    out.mkdir(parents=True, exist_ok=True)
    runs_csv = out / "tiles_runs.csv"
    rows: list[dict[str, Any]] = []
    failed_at: dict[str, str] = {}
    scratch = Path(tempfile.mkdtemp(prefix="lsz-bench-tiles-"))
    try:
        site = browser.stage_dir(scratch / "site")
        archive_dir = site / "pmtiles"
        archive_dir.mkdir()
        with (
            browser.http_server(site) as base_url,
            browser.http_server(site) as basemap_url,  # another origin: see offline_page
            _maybe_chromium(use_browser) as br,
        ):
            warm = synthetic_layers(50)
            warm_archive = tiled_archive(warm, archive_dir)
            for variant in variants:  # imports and first-use caches, not measured
                build_html(variant, warm, warm_archive)
            for n in sizes:
                data = synthetic_layers(n)
                cell = _Cell(
                    n, site, archive_dir, base_url, f"{basemap_url}/tiles/", br, budget, log
                )
                for variant in variants:
                    if variant in failed_at:
                        rows.append(
                            _row(n, variant, 0, failed_step="skipped", error=failed_at[variant])
                        )
                    else:
                        runs = cell.measure(variant, data, repeat)
                        rows.extend(runs)
                        bad = [r for r in runs if r.get("error")]
                        if bad:
                            failed_at[variant] = (
                                f"not run: failed at {n:,} lots ({bad[0]['error']})"
                            )
                    _write(runs_csv, rows)
                if keep_archives is not None:  # for bench.st_wire: the archive and the data
                    keep_archives.mkdir(parents=True, exist_ok=True)
                    src = archive_dir / f"lots-{n}.pmtiles"
                    if src.exists():
                        shutil.copy2(src, keep_archives / src.name)
                    held = keep_archives / f"layers-{n}.pickle"
                    held.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
                for stale in site.glob("*.html"):
                    stale.unlink()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return runs_csv


@dataclass
class _Cell:
    n: int
    site: Path
    archive_dir: Path
    base_url: str
    tile_base: str
    br: Any
    budget: Budget
    log: Callable[..., None]

    def measure(self, variant: str, data: SyntheticLayers, repeat: int) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        archive: TileArchive | None = None
        tile_s: float | None = None
        started = time.monotonic()
        for run_no in range(repeat):
            row = _row(self.n, variant, run_no)
            try:
                if variant == "tiled" and (archive is None or self.n <= TILES_EVERY_RUN_MAX):
                    built = bounded(
                        lambda: _tiles_job(data, self.archive_dir),
                        step="tile build",
                        limit_s=self.budget.tiles_s,
                        rss_bytes=self.budget.rss_bytes,
                    )
                    archive, tile_s = built["archive"], built["tile_build_s"]
                    row["tile_build_s"] = tile_s
                self._page(variant, data, archive, run_no, row, rows[-1] if rows else None, tile_s)
            except StepFailed as failed:
                row.update(failed_step=failed.step, error=str(failed))
            row["load_avg"] = round(os.getloadavg()[0], 2)
            self.log(
                f"{clock.stamp()} {self.n:>7} {variant:<8} run {run_no}: " + _brief(row),
                flush=True,
            )
            rows.append(row)
            if row.get("error"):
                break
            if variant in PEERS and time.monotonic() - started > self.budget.cell_s:
                break
        return rows

    def _page(
        self,
        variant: str,
        data: SyntheticLayers,
        archive: TileArchive | None,
        run_no: int,
        row: dict[str, Any],
        previous: dict[str, Any] | None = None,
        layer_build_s: float | None = None,
    ) -> None:
        target = self.site / f"{variant}-{self.n}-{run_no}.html"
        page = bounded(
            lambda: _page_job(
                variant, data, archive, target, self.tile_base, compress=previous is None
            ),
            step="build",
            limit_s=self.budget.build_s,
            rss_bytes=self.budget.rss_bytes,
        )
        gzip_bytes = page["html_gzip_bytes"]
        if gzip_bytes is None and previous is not None:  # same page but for random ids
            gzip_bytes = previous.get("html_gzip_bytes")
        row.update(
            page_build_s=page["page_build_s"],
            build_s=round(page["page_build_s"] + (layer_build_s or 0), 4),
            html_bytes=page["html_bytes"],
            html_gzip_bytes=gzip_bytes,
            build_peak_rss_bytes=page["peak_rss_bytes"],
        )
        if self.br is None:
            return
        try:
            measured, failed = measure_page(
                self.br,
                f"{self.base_url}/{target.name}",
                page["expected"],
                variant == "tiled",
                self.budget,
            )
        finally:
            target.unlink(missing_ok=True)
        row.update({k: (round(v, 4) if isinstance(v, float) else v) for k, v in measured.items()})
        if failed is not None:
            raise failed


def page_failures(runs_csv: Path) -> dict[tuple[int, str], str]:
    """(lots, variant) whose page build failed in ``runs_csv``, with how.

    A Streamlit first run builds that same page, so :func:`bench.st_wire.run_matrix`
    records those cells as not run instead of waiting out its own budget for them.
    """
    with open(runs_csv, encoding="utf-8") as fh:
        return {
            (int(row["n"]), row["variant"]): row["error"]
            for row in csv.DictReader(fh)
            if row["failed_step"] == "build"
        }


def _brief(row: dict[str, Any]) -> str:
    keys = ("page_build_s", "tile_build_s", "html_bytes", "ready_s", "zoom_s", "pan_s", "error")
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
    defaults = Budget()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=VARIANTS)
    parser.add_argument("--build-budget", type=float, default=defaults.build_s)
    parser.add_argument("--ready-budget", type=float, default=defaults.ready_s)
    parser.add_argument("--cell-budget", type=float, default=defaults.cell_s)
    parser.add_argument("--rss-cap-gb", type=float, default=defaults.rss_bytes / 1e9)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--no-wire", action="store_true", help="skip the real-Streamlit re-runs")
    parser.add_argument("--import-lots", type=int, default=200_000)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    budget = Budget(
        build_s=args.build_budget,
        ready_s=args.ready_budget,
        cell_s=args.cell_budget,
        rss_bytes=int(args.rss_cap_gb * 1e9),
    )
    results = args.out / "results" if args.out == DEFAULT_OUT else args.out
    started = time.monotonic()
    archives = Path(tempfile.mkdtemp(prefix="lsz-bench-archives-"))
    try:
        runs = run(
            args.sizes,
            args.repeat,
            results,
            variants=args.variants,
            budget=budget,
            use_browser=not args.no_browser,
            keep_archives=archives,
        )
        from bench import st_wire, tiles_import, tiles_report

        if not args.no_wire and not args.no_browser:
            st_wire.run_matrix(
                args.sizes, args.variants, archives, results, page_failures=page_failures(runs)
            )
        import_row = None
        if args.import_lots:
            kept = archives / f"layers-{args.import_lots}.pickle"  # made by run() at that size
            layers = pickle.loads(kept.read_bytes()) if kept.exists() else None
            import_row = tiles_import.run(args.import_lots, results, layers)
    finally:
        shutil.rmtree(archives, ignore_errors=True)
    wall_s = time.monotonic() - started
    tiles_report.write(runs, args.out / "RESULTS.md", import_row=import_row, wall_s=wall_s)


if __name__ == "__main__":
    main()
